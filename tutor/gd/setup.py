"""A gd block read into a Setup: objective, start, optimizer, steps, what the learner chooses,
the goal. Used by a gd exercise and by the free playground (a plot block), which has no goal.

    objective: x^4 - 3x^3 + 2      # or  data: seed-002-regression
    vars: [x]                      # optional: the coordinates, in order (default: sorted names)
    start: 4                       # or [4, 2]
    optimizer: gd                  # gd | momentum | adam
    settings: {beta: 0.9}          # fixed hyper-parameters, and where chosen ones start
    steps: 100
    choose: {lr: [0.0001, 1]}      # what the learner sets, with its range
    goal: {measure: distance, to: 2.25, below: 1e-3}
    view: {x: [-1, 5]}             # optional plot ranges (x, and y for two coordinates)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tutor.gd.simulate import OPTIMIZERS, PARAMETERS

MAX_STEPS = 10_000
MEASURES = ("distance", "loss", "norm")
# What a learner or an author may call each hyper-parameter; the first name is the one we print.
ALIASES: dict[str, tuple[str, ...]] = {
    "lr": ("α", "alpha", "lr", "learning_rate", "eta", "η"),
    "beta": ("β", "beta", "momentum"),
    "beta1": ("β1", "beta1", "b1", "β₁"),
    "beta2": ("β2", "beta2", "b2", "β₂"),
    "eps": ("ε", "eps", "epsilon"),
}
CANONICAL = {alias.lower(): name for name, aliases in ALIASES.items() for alias in aliases}
# What a free playground lets the learner change when its block names nothing in 'choose'.
DEFAULT_RANGES: dict[str, tuple[float, float]] = {
    "lr": (1e-4, 10.0), "beta": (0.0, 0.999), "beta1": (0.0, 0.999), "beta2": (0.9, 0.99999), "eps": (1e-12, 1e-2),
}
SETUP_FIELDS = ("objective", "data", "vars", "start", "optimizer", "settings", "steps", "choose", "goal", "view")


def start_value(name: str, lo: float, hi: float) -> float:
    """Where a chosen hyper-parameter starts: the optimizer's default when it is in range, else
    the middle of the range (geometric for a positive range: learning rates span decades)."""
    for params in PARAMETERS.values():
        default = params.get(name)
        if default is not None and lo <= default <= hi:
            return default
    return math.sqrt(lo * hi) if lo > 0 else (lo + hi) / 2


def shown(name: str) -> str:
    return ALIASES[name][0]


@dataclass(frozen=True)
class Goal:
    measure: str  # distance (to a point) | loss (the last one a training loop records) | norm (of w)
    below: float
    to: tuple[float, ...] = ()  # distance: the point to reach

    def describe(self, names: tuple[str, ...]) -> str:
        if self.measure == "distance":
            return f"{distance_label(names, self.to)} < {self.below:g}"
        if self.measure == "norm":
            return f"{norm_label(names)} < {self.below:g}"
        return f"final loss < {self.below:g}"


def distance_label(names: tuple[str, ...], to: tuple[float, ...]) -> str:
    if len(names) == 1:
        return f"|{names[0]} − {to[0]:g}|"
    return f"‖({', '.join(names)}) − ({', '.join(f'{v:g}' for v in to)})‖"


def norm_label(names: tuple[str, ...]) -> str:
    return f"|{names[0]}|" if len(names) == 1 else "‖w‖"


@dataclass(frozen=True)
class Setup:
    objective_text: str  # the expression, or "" for a data set
    dataset: str  # the data set's name, or ""
    names: tuple[str, ...]
    start: tuple[float, ...]
    optimizer: str
    settings: dict[str, float]  # every hyper-parameter of the optimizer, chosen ones at their start
    steps: int
    choose: dict[str, tuple[float, float]]  # name -> (lowest, highest), in the order given
    goal: Goal | None = None
    view: dict[str, tuple[float, float]] = field(default_factory=dict)

    def objective(self):
        from tutor.gd.objective import from_dataset, from_expression

        return from_dataset(self.dataset) if self.dataset else from_expression(self.objective_text, self.names)


class _Reader:
    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.problems: list[str] = []

    def error(self, message: str) -> None:
        self.problems.append(message)

    def number(self, value: Any, what: str) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self.error(f"{what} must be a number, not {value!r}")
            return None
        return float(value)

    def numbers(self, value: Any, what: str) -> tuple[float, ...] | None:
        items = value if isinstance(value, list) else [value]
        if not items:
            self.error(f"{what} must be a number or a list of numbers, not []")
            return None
        out = [self.number(v, what) for v in items]
        return None if any(v is None for v in out) else tuple(out)  # type: ignore[misc]

    def pair(self, value: Any, what: str) -> tuple[float, float] | None:
        if not isinstance(value, list) or len(value) != 2:
            self.error(f"{what} must be [low, high], not {value!r}")
            return None
        lo, hi = self.number(value[0], what), self.number(value[1], what)
        if lo is None or hi is None:
            return None
        if not lo < hi:
            self.error(f"{what} must have low < high, not {value!r}")
            return None
        return lo, hi


def read_setup(data: Mapping[str, Any], *, exercise: bool = True) -> tuple[Setup | None, list[str]]:
    """The setup of a gd block, or None with the problems (one sentence each)."""
    r = _Reader(data)
    objective_text = data.get("objective")
    dataset = data.get("data")
    if (objective_text is None) == (dataset is None):
        r.error("give either 'objective' (an expression) or 'data' (a named data set), not both or neither")
        return None, r.problems
    from tutor.gd.objective import ObjectiveError, from_dataset, from_expression

    names_field = data.get("vars")
    names: tuple[str, ...] | None = None
    if names_field is not None:
        raw = names_field.replace(",", " ").split() if isinstance(names_field, str) else names_field
        if not isinstance(raw, list) or not all(isinstance(n, str) and n.isidentifier() for n in raw):
            r.error(f"'vars' must list variable names, not {names_field!r}")
        else:
            names = tuple(raw)
    try:
        if dataset is not None:
            objective = from_dataset(str(dataset))
        else:
            objective = from_expression(str(objective_text), names)
    except ObjectiveError as exc:
        r.error(str(exc))
        return None, r.problems
    names = objective.names
    if len(names) > 2:
        r.error(f"the objective has {len(names)} variables ({', '.join(names)}); the playground draws 1 or 2")
    start = r.numbers(data.get("start"), "'start'") if "start" in data else None
    if start is None and "start" not in data:
        r.error("'start' is missing: the point to start from")
    elif start is not None and len(start) != len(names):
        r.error(f"'start' has {len(start)} numbers; the objective has {len(names)} variables ({', '.join(names)})")
        start = None
    elif start is not None:
        with np.errstate(all="ignore"):
            finite = math.isfinite(objective.loss(np.array(start))) and all(map(math.isfinite, objective.gradient(start)))
        if not finite:
            r.error(f"the objective or its gradient is undefined at the start {list(start)}")
            start = None
    optimizer = str(data.get("optimizer", "gd"))
    if optimizer not in OPTIMIZERS:
        r.error(f"unknown optimizer '{optimizer}' (optimizers: {', '.join(OPTIMIZERS)})")
        return None, r.problems
    settings = _settings(r, data.get("settings", {}), optimizer)
    steps = data.get("steps")
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= MAX_STEPS:
        r.error(f"'steps' must be a whole number from 1 to {MAX_STEPS}, not {steps!r}")
    choose = _choose(r, data.get("choose"), optimizer, exercise)
    for name, (lo, hi) in choose.items():
        # The learner's control starts at the block's setting when that is in range.
        if not lo <= settings.get(name, math.nan) <= hi:
            settings[name] = start_value(name, lo, hi)
    missing = [shown(n) for n, default in PARAMETERS[optimizer].items() if default is None and n not in settings]
    if missing:
        r.error(f"{optimizer} needs {', '.join(missing)}: set it in 'settings' or let the learner choose it")
    goal = _goal(r, data.get("goal"), names) if (exercise or "goal" in data) else None
    view = _view(r, data.get("view", {}), len(names))
    if r.problems or start is None:
        return None, r.problems
    return Setup(str(objective_text or ""), str(dataset or ""), names, start, optimizer, settings, steps,
                 choose, goal, view), []


def _settings(r: _Reader, raw: Any, optimizer: str) -> dict[str, float]:
    if not isinstance(raw, dict):
        r.error(f"'settings' must map hyper-parameters to values, not {raw!r}")
        return {}
    settings = {n: d for n, d in PARAMETERS[optimizer].items() if d is not None}
    for key, value in raw.items():
        name = CANONICAL.get(str(key).lower())
        if name not in PARAMETERS[optimizer]:
            r.error(f"'settings' names '{key}', which {optimizer} does not have "
                    f"({', '.join(PARAMETERS[optimizer])})")
            continue
        number = r.number(value, f"setting '{key}'")
        if number is not None:
            settings[name] = number
    return settings


def _choose(r: _Reader, raw: Any, optimizer: str, exercise: bool) -> dict[str, tuple[float, float]]:
    if raw is None:
        if exercise:
            r.error("'choose' is missing: what the learner sets, e.g. {lr: [0.0001, 1]}")
        return {name: DEFAULT_RANGES[name] for name in PARAMETERS[optimizer]}
    if not isinstance(raw, dict) or not raw:
        r.error(f"'choose' must map hyper-parameters to [low, high], not {raw!r}")
        return {}
    choose = {}
    for key, value in raw.items():
        name = CANONICAL.get(str(key).lower())
        if name not in PARAMETERS[optimizer]:
            r.error(f"'choose' names '{key}', which {optimizer} does not have ({', '.join(PARAMETERS[optimizer])})")
            continue
        pair = r.pair(value, f"the range of '{key}'")
        if pair is not None:
            choose[name] = pair
    return choose


def _goal(r: _Reader, raw: Any, names: tuple[str, ...]) -> Goal | None:
    if not isinstance(raw, dict):
        r.error("'goal' is missing or not a mapping: e.g. {measure: loss, below: 3.3}")
        return None
    unknown = set(raw) - {"measure", "below", "to"}
    if unknown:
        r.error(f"'goal' has unknown fields: {', '.join(sorted(map(str, unknown)))} (fields: measure, below, to)")
    measure = raw.get("measure")
    if measure not in MEASURES:
        r.error(f"the goal's 'measure' must be one of {', '.join(MEASURES)}, not {measure!r}")
        return None
    below = r.number(raw.get("below"), "the goal's 'below'")
    if below is not None and measure != "loss" and below <= 0:
        r.error("the goal's 'below' must be positive")
    to: tuple[float, ...] = ()
    if measure == "distance":
        to = r.numbers(raw.get("to"), "the goal's 'to'") or ()
        if len(to) != len(names):
            r.error(f"the goal's 'to' needs {len(names)} number(s), one per variable ({', '.join(names)})")
    elif "to" in raw:
        r.error("the goal's 'to' goes with measure: distance only")
    return None if below is None else Goal(measure, below, to)


def _view(r: _Reader, raw: Any, dimension: int) -> dict[str, tuple[float, float]]:
    if not isinstance(raw, dict):
        r.error(f"'view' must map x (and y) to [low, high], not {raw!r}")
        return {}
    axes = ("x", "y") if dimension == 2 else ("x",)
    view = {}
    for key, value in raw.items():
        if key not in axes:
            r.error(f"'view' has '{key}'; it takes {', '.join(axes)}")
            continue
        pair = r.pair(value, f"the view's '{key}'")
        if pair is not None:
            view[key] = pair
    return view
