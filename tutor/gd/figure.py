"""The playground's figure: a model the learner drives with keys, drawn as plain Figure data.

One model serves a gd exercise (its goal drawn as a line, the verdict in the readout) and a free
playground in a lesson (no goal; the optimizer can be switched, so GD, momentum and Adam can be
compared on the same surface). Top panel: the path on the objective (1-D: the curve f; 2-D: the
iterates over level sets of the loss). Bottom panel: the goal's measure per step (the loss when
there is no goal, or the goal is on the loss), with the criterion line.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from tutor.gd.judge import Outcome, describe, fmt, judge, measure_path, run_setting
from tutor.gd.objective import Objective
from tutor.gd.setup import DEFAULT_RANGES, Setup, distance_label, norm_label, shown, start_value
from tutor.gd.simulate import OPTIMIZERS, PARAMETERS
from tutor.plots.assemble import Points, make_panel
from tutor.plots.interactive.base import Control, Interactive, nice_step, tidy
from tutor.plots.levelsets import level_lines
from tutor.plots.model import Figure, Marker, Panel, Series

LEVELS = 5
# A panel is ~50 x 12 cells (100 x 48 braille dots); a finer lattice adds points, not detail, and
# plotext's redraw grows with the points it joins (benchmarks/gd_playground.py).
LEVEL_GRID = 32
DOT_ROWS = 48  # the vertical resolution a panel draws at, in braille dots (12 rows of 4)
PAD = 0.15
LADDER = (1, 2, 3, 5, 7)  # a learning rate steps along 1-2-3-5-7 per decade
NUDGE = 1.1  # the fine step of a log-scaled setting


class GdPlayground(Interactive):
    kind = "gd-playground"

    def __init__(self, setup: Setup, *, switch_optimizer: bool = False) -> None:
        self.setup = setup
        self.switch_optimizer = switch_optimizer
        self.objective: Objective = setup.objective()
        self.settings = dict(setup.settings)
        self.selected = 0
        self._outcome: Outcome | None = None
        self.x_range, self.y_range = self._view()
        self._levels: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # by width: the picture never changes
        self.show_data = self.objective.data is not None  # a line fit opens on its data
        self.controls = self._controls()

    # -- state ---------------------------------------------------------------------------------------
    @property
    def chosen(self) -> list[str]:
        return list(self.setup.choose)

    @property
    def parameter(self) -> str:
        return self.chosen[self.selected]

    def setting(self) -> dict[str, float]:
        """The learner's current choice: the chosen hyper-parameters only."""
        return {name: self.settings[name] for name in self.chosen}

    def set_setting(self, setting: dict[str, float]) -> bool:
        """Take a typed setting (already read and range-checked by `read_setting`)."""
        changed = any(self.settings.get(k) != v for k, v in setting.items())
        self.settings.update(setting)
        self._outcome = None if changed else self._outcome
        return changed

    def _set(self, value: float) -> bool:
        lo, hi = self.setup.choose[self.parameter]
        value = min(max(tidy(value), lo), hi)
        if value == self.settings[self.parameter]:
            return False
        self.settings[self.parameter] = value
        self._outcome = None
        return True

    def _controls(self) -> tuple[Control, ...]:
        # Keys are bound once: with several settings they name none (the readout says which).
        several = len(self.chosen) > 1 or self.switch_optimizer  # another optimizer brings more settings
        name = "setting" if several else shown(self.parameter)
        controls = [Control("coarse", "plus", f"{name} up", (1,)), Control("coarse", "minus", f"{name} down", (-1,)),
                    Control("fine", "right", f"nudge {name} up", (1,)), Control("fine", "left", f"nudge {name} down", (-1,))]
        if several:
            controls.append(Control("next_parameter", "s", "next setting"))  # not p: the lesson's previous page
        if self.switch_optimizer:
            controls.append(Control("next_optimizer", "o", "next optimizer"))
        if self.objective.data is not None and self.objective.dimension == 2:
            controls.append(Control("toggle_view", "v", "data ↔ parameter space"))
        return tuple(controls)

    def toggle_view(self) -> bool:
        """A line fit: its data and line, or its path over the loss's level sets (bias, slope)."""
        self.show_data = not self.show_data
        return True

    # -- controls ------------------------------------------------------------------------------------
    def _log_scaled(self) -> bool:
        lo, hi = self.setup.choose[self.parameter]
        return lo > 0 and hi / lo >= 100

    def coarse(self, direction: int) -> bool:
        value = self.settings[self.parameter]
        if self._log_scaled():
            ladder = sorted(m * 10.0**k for k in range(-12, 4) for m in LADDER)
            if direction > 0:
                above = [v for v in ladder if v > value * (1 + 1e-9)]
                return bool(above) and self._set(above[0])
            below = [v for v in ladder if v < value * (1 - 1e-9)]
            return bool(below) and self._set(below[-1])
        lo, hi = self.setup.choose[self.parameter]
        return self._set(value + direction * nice_step(hi - lo, 10))

    def fine(self, direction: int) -> bool:
        value = self.settings[self.parameter]
        if self._log_scaled():
            return self._set(value * NUDGE**direction)
        lo, hi = self.setup.choose[self.parameter]
        return self._set(value + direction * nice_step(hi - lo, 100))

    def next_parameter(self) -> bool:
        if len(self.chosen) < 2:
            return False
        self.selected = (self.selected + 1) % len(self.chosen)
        return True  # the readout names the selected setting

    def next_optimizer(self) -> bool:
        """Free playground only: GD → momentum → Adam, with each one's default settings."""
        optimizer = OPTIMIZERS[(OPTIMIZERS.index(self.setup.optimizer) + 1) % len(OPTIMIZERS)]
        choose = {name: DEFAULT_RANGES[name] for name in PARAMETERS[optimizer]}
        lr = self.settings["lr"]
        settings = {name: start_value(name, *choose[name]) for name in choose}
        settings["lr"] = lr  # keep the learning rate: the comparison is of the update rules
        self.setup = replace(self.setup, optimizer=optimizer, choose=choose, settings=settings)
        self.settings = dict(settings)
        self.selected = 0
        self._outcome = None
        return True

    # -- the run -------------------------------------------------------------------------------------
    def outcome(self) -> Outcome:
        """The current setting's run, judged against the goal (or described, with no goal)."""
        if self._outcome is None:
            setup = replace(self.setup, settings=dict(self.settings))
            self._outcome = judge(setup, self.setting(), self.objective)
        return self._outcome

    # -- the figure ----------------------------------------------------------------------------------
    def _view(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """Fixed axes for the whole session (so a key press moves the path, not the picture):
        the block's view, else a box around the start, the goal's point (or the origin) and the
        first run's path."""
        view = self.setup.view
        start = np.array(self.setup.start)
        if self.objective.minimum is not None:
            target = np.array(self.objective.minimum)
        elif self.setup.goal is not None and self.setup.goal.to:
            target = np.array(self.setup.goal.to)
        else:
            target = np.zeros_like(start)  # a norm goal, or none: the origin is where the bowls sit
        points = [start, target]
        try:
            run = run_setting(self.setup, {n: self.settings[n] for n in self.chosen}, self.objective)
            if not run.diverged:
                points.extend(run.path)
        except ValueError:
            pass
        box = np.array(points)
        lo, hi = box.min(axis=0), box.max(axis=0)
        span = np.maximum(hi - lo, 1e-3 * (1 + np.abs(hi)))
        lo, hi = lo - PAD * span, hi + PAD * span
        x = view.get("x", (float(lo[0]), float(hi[0])))
        y = view.get("y", (float(lo[1]), float(hi[1])) if len(start) == 2 else (0.0, 1.0))
        return x, y

    def figure(self, width: int = 80) -> Figure:
        outcome = self.outcome()
        if self.objective.data is not None and self.show_data:
            top = self._data_panel(outcome, width)  # a line fit: show the line moving on its data
        elif self.objective.dimension == 2:
            top = self._path_panel(outcome, width)
        else:
            top = self._curve_panel(outcome, width)
        return Figure(self._title(), (top, self._measure_panel(outcome, width)))

    def _title(self) -> str:
        optimizer = {"gd": "Gradient descent", "momentum": "Momentum", "adam": "Adam"}[self.setup.optimizer]
        names, start = self.setup.names, [fmt(v) for v in self.setup.start]
        where = f"{names[0]} = {start[0]}" if len(names) == 1 else f"({', '.join(names)}) = ({', '.join(start)})"
        return f"{optimizer} on {self.objective.label} from {where}, {self.setup.steps} steps"

    def readout(self, outcome: Outcome) -> tuple[str, ...]:
        choice = describe(self.setting())
        if len(self.chosen) > 1:
            choice += f"   (keys change {shown(self.parameter)})"
        fixed = {n: v for n, v in self.settings.items() if n not in self.setup.choose}
        if fixed:
            choice += f"; fixed: {describe(fixed)}"
        verdict = "✓ " if outcome.passed else ""
        return (choice, verdict + outcome.message)

    def _curve_panel(self, outcome: Outcome, width: int) -> Panel:
        run = outcome.run
        xs = np.linspace(*self.x_range, max(2 * width, 64))
        ys = np.asarray(self.objective.values(xs), dtype=float)
        name = self.setup.names[0]
        markers = [Marker(float(run.path[0, 0]), float(run.losses[0]), f"{name}₀"),
                   Marker(float(run.final[0]), float(run.losses[-1]), f"{name}{_sub(len(run.path) - 1)}")]
        built = make_panel(f"f({name}) and the steps", self.x_range, width,
                           points=[Points(f"f({name})", xs, ys, "line", fit=True),
                                   Points("path", run.path[:, 0], run.losses, "line"),
                                   Points("iterates", run.path[:, 0], run.losses, "scatter")],
                           markers=markers, readout=self.readout(outcome), x_label=name)
        return built.panel

    def _path_panel(self, outcome: Outcome, width: int) -> Panel:
        run = outcome.run
        if width not in self._levels:
            lines = level_lines(lambda X, Y: self.objective.values(X, Y), self.x_range, self.y_range, LEVELS,
                                grid=LEVEL_GRID)
            xs = [np.append(x, np.nan) for _, x, _ in lines if len(x)]
            ys = [np.append(y, np.nan) for _, _, y in lines if len(y)]
            levels = (np.concatenate(xs), np.concatenate(ys)) if xs else (np.array([]), np.array([]))
            self._levels[width] = thin(*levels, self.x_range, self.y_range, width)
        px, py = thin(run.path[:, 0], run.path[:, 1], self.x_range, self.y_range, width)
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        outside = (px < x0) | (px > x1) | (py < y0) | (py > y1)
        px[outside], py[outside] = np.nan, np.nan  # a gap where the path leaves the picture
        a, b = self.setup.names
        markers = [Marker(float(run.path[0, 0]), float(run.path[0, 1]), "start")]
        if not outside[-1]:
            markers.append(Marker(float(run.final[0]), float(run.final[1]), f"after {len(run.path) - 1}"))
        series = (Series("level sets of the loss", *self._levels[width], "line"),
                  Series("path", px, py, "line"),
                  Series("iterates", px[:: len(px) // 60 + 1], py[:: len(px) // 60 + 1], "scatter"))
        return Panel("the path over level sets of the loss", (float(x0), float(x1)), (float(y0), float(y1)),
                     "linear", series, tuple(markers), self.readout(outcome), a, b)

    def _data_panel(self, outcome: Outcome, width: int) -> Panel:
        data = self.objective.data
        assert data is not None
        run = outcome.run
        lo, hi = float(data.x.min()), float(data.x.max())
        pad = 0.05 * (hi - lo or 1)
        x_range = (lo - pad, hi + pad)
        xs = np.array(x_range)
        slope, intercept = data.line(run.final)
        points = [Points("data", data.x, data.y, "scatter", fit=True),
                  Points(f"after {len(run.path) - 1} steps: {_line_text(slope, intercept)}", xs,
                         intercept + slope * xs, "line")]
        if self.objective.minimum is not None:
            best_slope, best_intercept = data.line(self.objective.minimum)
            points.append(Points(f"least squares: {_line_text(best_slope, best_intercept)}", xs,
                                 best_intercept + best_slope * xs, "dashed"))
        y_lo, y_hi = float(data.y.min()), float(data.y.max())
        margin = 0.1 * (y_hi - y_lo or 1)
        built = make_panel("the data and the line so far", x_range, width, points=points,
                           y_range=(y_lo - margin, y_hi + margin), readout=self.readout(outcome), x_label="x",
                           y_label="y")
        return built.panel

    def _measure_panel(self, outcome: Outcome, width: int) -> Panel:
        run = outcome.run
        goal = self.setup.goal
        names = self.setup.names
        if goal is None or goal.measure == "loss":
            values, label = (measure_path(goal, run), "final loss") if goal else (run.losses, "loss")
            title = "the loss a training loop records, per step" if goal else "loss per step"
        elif goal.measure == "norm":
            values, label, title = measure_path(goal, run), norm_label(names), f"{norm_label(names)} per step"
        else:
            label = distance_label(names, goal.to)
            values, title = measure_path(goal, run), f"{label} per step"
        steps = np.arange(len(values), dtype=float)
        positive = bool(np.all(values > 0))
        log = positive and float(values.max()) > 10 * float(values.min())
        points = [Points(label, steps, values, "line", fit=True)]
        y_range = None
        if goal is not None and (not log or goal.below > 0):
            points.append(Points(f"goal: < {goal.below:g}", np.array([0.0, float(self.setup.steps)]),
                                 np.array([goal.below, goal.below]), "dashed", fit=True))
            # The goal line is always in the picture, however far the run is from it.
            lo, hi = min(float(values.min()), goal.below), max(float(values.max()), goal.below)
            y_range = (lo / 2, hi * 2) if log else (lo - 0.05 * (hi - lo or 1), hi + 0.05 * (hi - lo or 1))
        # Half the usual sampling: a measure per step is smooth at this scale, and plotext's cost
        # grows with the points it joins.
        built = make_panel(title, (0.0, float(max(self.setup.steps, 1))), max(width // 2, 16),
                           axes="semilogy" if log else "linear", points=points, y_range=y_range, x_label="step k")
        return built.panel


def _line_text(slope: float, intercept: float) -> str:
    return f"y = {fmt(intercept)} {'−' if slope < 0 else '+'} {fmt(abs(slope))}x"


def thin(xs: np.ndarray, ys: np.ndarray, x_range: tuple[float, float], y_range: tuple[float, float],
         width: int) -> tuple[np.ndarray, np.ndarray]:
    """Drop the points of a line that sit within a braille dot of the last one kept (plotext's
    cost grows with the points it joins; the picture does not change). Gaps (NaN) stay, and so
    do the ends of every piece."""
    dx = (x_range[1] - x_range[0]) / max(2 * width, 1)
    dy = (y_range[1] - y_range[0]) / DOT_ROWS
    keep = np.zeros(len(xs), dtype=bool)
    last_x = last_y = np.nan
    for i, (x, y) in enumerate(zip(xs.tolist(), ys.tolist())):
        if x != x or y != y:  # a gap: keep it, and the next point starts a new piece
            keep[i], last_x, last_y = True, np.nan, np.nan
            continue
        if last_x != last_x or abs(x - last_x) >= dx or abs(y - last_y) >= dy:
            keep[i], last_x, last_y = True, x, y
        elif i + 1 == len(xs) or xs[i + 1] != xs[i + 1]:
            keep[i] = True  # the end of a piece
    return xs[keep], ys[keep]


def _sub(n: int) -> str:
    return "".join("₀₁₂₃₄₅₆₇₈₉"[int(d)] for d in str(n))


def playground_from_block(data: dict) -> GdPlayground:
    """A free playground from a plot block (`interactive: gd-playground`). Raises ValueError."""
    from tutor.gd.setup import read_setup

    setup, problems = read_setup({k: v for k, v in data.items() if k not in ("interactive", "title")}, exercise=False)
    if setup is None:
        raise ValueError("; ".join(problems))
    return GdPlayground(setup, switch_optimizer=True)


def exercise_playground(data: dict) -> GdPlayground:
    """The playground of a gd exercise (its goal, its chosen settings). Raises ValueError."""
    from tutor.gd.exercise import exercise_setup

    setup, problems = exercise_setup(data)
    if setup is None:
        raise ValueError("; ".join(problems))
    return GdPlayground(setup)


