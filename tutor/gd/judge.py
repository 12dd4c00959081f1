"""A learner's setting, simulated and judged: did it meet the goal, and if not, what happened.

    read_setting(setup, "beta=0.9") -> {"beta": 0.9}    (SettingError when it cannot be read)
    judge(setup, setting) -> Outcome                   the run, the measure, a verdict and why

The feedback comes from the run itself: diverged at step k; oscillating (the steps keep
reversing); stalled (the gradient all but vanished away from the goal); too slow (still going
the right way when the steps ran out, and how far it got).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from tutor.gd.objective import Objective
from tutor.gd.setup import CANONICAL, Goal, Setup, distance_label, norm_label, shown
from tutor.gd.simulate import Run, simulate

STALLED = 1e-3  # |gradient| fell below this share of where it started
OSCILLATING = 0.6  # this share of the last steps reverse the one before
TAIL = 12  # the last steps looked at for oscillation and progress
RISING = 0.25  # or the loss rises on this share of the steps in the second half
GROWN = 10.0  # a finite run whose loss ends this many times above its start, steps lengthening: diverging
MAX_VALUE_CHARS = 60  # a setting is one number: a long text is a mistake (or an attack), not a value

DIVERGED, OSCILLATES, STALLS, TOO_SLOW, MET = "diverged", "oscillating", "stalled", "too-slow", "met"
CONVERGED = "converged"  # with no goal (a free playground): the gradient all but vanished


class SettingError(ValueError):
    """A setting that cannot be read or is out of range; the message is for the learner."""


def read_setting(setup: Setup, text: str) -> dict[str, float]:
    """`0.01` (when one thing is chosen), `beta=0.9`, `α = 0.1`, `lr=0.1, beta=0.9`."""
    from tutor.autodiff.numbers import NoValue, read_number
    from tutor.mathlang import MathError

    chosen = list(setup.choose)
    pieces = [p.strip() for p in re.split(r"[;,]\s*(?![^()\[\]]*[)\]])", str(text)) if p.strip()]
    if not pieces:
        raise SettingError(f"Type a value for {_names(chosen)}, e.g. {example(setup)}.")
    setting: dict[str, float] = {}
    for piece in pieces:
        name_text, eq, value_text = piece.partition("=")
        if not eq and ":" in piece:  # "lr: 0.01", as the block's own YAML writes it
            name_text, eq, value_text = piece.partition(":")
        if not eq:
            if len(chosen) != 1 or len(pieces) != 1:
                raise SettingError(f"Say which value is which: {example(setup)}.")
            name, value_text = chosen[0], name_text
        else:
            key = name_text.strip()
            name = CANONICAL.get(key.lower(), "")
            if name not in setup.choose:
                fixed = f"; {shown(name)} is fixed at {setup.settings[name]:g} here" if name in setup.settings else ""
                raise SettingError(f"'{key}' is not something you choose here{fixed}. You choose {_names(chosen)}.")
        if name in setting:
            raise SettingError(f"{shown(name)} is given twice.")
        if len(value_text) > MAX_VALUE_CHARS:
            raise SettingError(f"{shown(name)} = {value_text.strip()[:20]}… is too long for one number.")
        try:
            value = read_number(value_text.strip())
        except (MathError, NoValue, ArithmeticError, ValueError) as exc:  # 1e400 overflows a float
            raise SettingError(f"{shown(name)} = {value_text.strip()} is not a number: "
                               f"{exc or 'too large'}") from None
        lo, hi = setup.choose[name]
        if not lo <= value <= hi:
            raise SettingError(f"{shown(name)} must be between {lo:g} and {hi:g}; {value:g} is outside.")
        setting[name] = value
    missing = [n for n in chosen if n not in setting]
    if missing:
        raise SettingError(f"Give {_names(missing)} too, e.g. {example(setup)}.")
    return setting


def _names(names: list[str]) -> str:
    return " and ".join(shown(n) for n in names)


def example(setup: Setup) -> str:
    if len(setup.choose) == 1:
        return f"{fmt(setup.settings[next(iter(setup.choose))])}"
    return ", ".join(f"{n}={fmt(setup.settings[n])}" for n in setup.choose)


def as_answer(setting: dict[str, float]) -> str:
    """The setting as a learner would type it (and `read_setting` reads it back exactly enough):
    the bare number when one thing is chosen, else name=value pairs."""
    if len(setting) == 1:
        return f"{next(iter(setting.values())):.12g}"
    return ", ".join(f"{name}={value:.12g}" for name, value in setting.items())


def describe(setting: dict[str, float]) -> str:
    return ", ".join(f"{shown(n)} = {fmt(v)}" for n, v in setting.items())


def fmt(x: float) -> str:
    """Six significant figures, the way the lessons print numbers."""
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    text = f"{x:.6g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}e{int(exponent)}"
    return text


@dataclass(frozen=True, eq=False)
class Outcome:
    run: Run
    setting: dict[str, float]
    code: str  # met | diverged | oscillating | stalled | too-slow
    measure: float | None  # the goal's measure at the end (None: no goal, or diverged)
    message: str  # one or two sentences for the learner

    @property
    def passed(self) -> bool:
        return self.code == MET


def run_setting(setup: Setup, setting: dict[str, float], objective: Objective | None = None) -> Run:
    objective = objective or setup.objective()
    return simulate(objective, setup.start, setup.optimizer, {**setup.settings, **setting}, setup.steps)


def judge(setup: Setup, setting: dict[str, float], objective: Objective | None = None) -> Outcome:
    objective = objective or setup.objective()
    run = run_setting(setup, setting, objective)
    goal = setup.goal
    if run.diverged:
        return Outcome(run, setting, DIVERGED, None, _diverged(setup, run))
    measures = measure_path(goal, run) if goal else None
    if _blowing_up(run):  # still finite when the steps ran out, but on its way out
        return Outcome(run, setting, DIVERGED, float(measures[-1]) if measures is not None else None,
                       _diverging(setup, run))
    if goal is not None and measures is not None and measures[-1] < goal.below:
        return Outcome(run, setting, MET, float(measures[-1]), _met(setup, goal, run, measures))
    code, why = behaviour(setup, objective, run)
    final = float(measures[-1]) if measures is not None else None
    if goal is None:
        return Outcome(run, setting, code, None, why)
    return Outcome(run, setting, code, final, f"{_shortfall(setup, goal, run, final)} {why}")


def measure_path(goal: Goal, run: Run) -> np.ndarray:
    """The goal's measure after each step (index k: after k steps)."""
    if goal.measure == "distance":
        return np.linalg.norm(run.path - np.array(goal.to), axis=1)
    if goal.measure == "norm":
        return np.linalg.norm(run.path, axis=1)
    # The loss a training loop records at step k is the loss *before* its update (seed 002's
    # convention, which the syllabus's "final loss" numbers follow): after k steps, L(w_{k-1}).
    return np.concatenate(([run.losses[0]], run.losses[:-1]))


def behaviour(setup: Setup, objective: Objective, run: Run) -> tuple[str, str]:
    """What a finished, finite run did, when it is not (or has no) success: a code and a sentence."""
    where = _point(setup.names, run.final)
    if _oscillates(run):
        tail = run.losses[-TAIL:]
        lo, hi = fmt(float(tail.min())), fmt(float(tail.max()))
        swing = f"swings between {lo} and {hi}" if lo != hi else f"stays at {lo}"
        return OSCILLATES, (f"It is oscillating: the steps keep reversing direction, and the loss {swing} "
                            f"at the end ({where}). The steps are too large for the curvature here.")
    g0 = float(np.linalg.norm(objective.gradient(run.path[0])))
    g = float(np.linalg.norm(objective.gradient(run.final)))
    if g <= STALLED * g0 and setup.goal is None:  # a free playground has no wrong point to stall at
        return CONVERGED, (f"It converged: after {len(run.path) - 1} steps it is at {where}, where the gradient is "
                           f"almost 0 ({fmt(g)}, from {fmt(g0)} at the start); loss {fmt(float(run.losses[-1]))}.")
    if g <= STALLED * g0 and not _still_improving(setup, run):
        return STALLS, (f"It stalled at {where}, where the gradient is almost 0 ({fmt(g)}, from {fmt(g0)} "
                        f"at the start): the steps became too small to go anywhere.")
    return TOO_SLOW, (f"Too slow: it was still going when the {setup.steps} steps ran out, at {where} "
                      f"(loss {fmt(float(run.losses[0]))} → {fmt(float(run.losses[-1]))}).")


def _oscillates(run: Run) -> bool:
    """Zigzag (most of the last steps reverse the one before), or overshoot (momentum's slow
    swing: the loss goes up on many of the steps of the second half)."""
    steps = np.diff(run.path, axis=0)
    tail = steps[-TAIL:]
    if len(tail) < 3 or np.linalg.norm(tail[-1]) <= 1e-9 * (1 + float(np.linalg.norm(run.final))):
        return False
    dots = np.einsum("ij,ij->i", tail[1:], tail[:-1])
    if np.mean(dots < 0) >= OSCILLATING:
        return True
    half = run.losses[len(run.losses) // 2:]
    rises = np.diff(half) > 1e-12 * (1 + np.abs(half[:-1]))
    return len(half) > 4 and float(np.mean(rises)) >= RISING


def _blowing_up(run: Run) -> bool:
    """The loss ended far above where it started and the last steps keep getting longer: a run
    that would leave any box with more steps, even if it has not yet."""
    if len(run.losses) < 4 or run.losses[-1] <= GROWN * max(float(run.losses[0]), 1e-12):
        return False
    lengths = np.linalg.norm(np.diff(run.path, axis=0), axis=1)[-TAIL:]
    return float(np.mean(np.diff(lengths) > 0)) >= 0.8


def _diverging(setup: Setup, run: Run) -> str:
    where = _point(setup.names, run.final)
    return (f"It is diverging: each step overshoots further than the last, and the loss grew from "
            f"{fmt(float(run.losses[0]))} to {fmt(float(run.losses[-1]))} in {len(run.path) - 1} steps ({where}). "
            f"With more steps it would blow up: make the steps smaller.")


def _still_improving(setup: Setup, run: Run) -> bool:
    """The goal's measure (or the loss) still fell by more than 1% over the last steps."""
    values = measure_path(setup.goal, run) if setup.goal else run.losses
    recent = values[-TAIL:]
    return bool(recent[0] - recent[-1] > 0.01 * abs(recent[0]))


def _point(names: tuple[str, ...], w: np.ndarray) -> str:
    if len(names) == 1:
        return f"{names[0]} = {fmt(float(w[0]))}"
    return f"({', '.join(names)}) = ({', '.join(fmt(float(v)) for v in w)})"


def _diverged(setup: Setup, run: Run) -> str:
    k = run.diverged_at
    last = _point(setup.names, run.final)
    return (f"It diverged at step {k}: the next point left |w| ≤ 1e6 or stopped being a number (the last "
            f"finite one, after {k - 1} steps, was {last}, loss {fmt(float(run.losses[-1]))}). The steps "
            f"overshoot and grow: make them smaller.")


def _measure_name(setup: Setup, goal: Goal) -> str:
    if goal.measure == "distance":
        return distance_label(setup.names, goal.to)
    if goal.measure == "norm":
        return norm_label(setup.names)
    return "the final loss"


def _met(setup: Setup, goal: Goal, run: Run, measures: np.ndarray) -> str:
    first = int(np.argmax(measures < goal.below))
    text = f"{_measure_name(setup, goal)} = {fmt(float(measures[-1]))} after {setup.steps} steps (goal < {goal.below:g})"
    if goal.measure == "distance" and first < setup.steps:
        text += f"; it got there at step {first}"
    return text + "."


def _shortfall(setup: Setup, goal: Goal, run: Run, final: float | None) -> str:
    start = float(measure_path(goal, run)[0])
    text = f"{_measure_name(setup, goal)} = {fmt(final)} after {setup.steps} steps; the goal is < {goal.below:g}."
    if final is not None and start > goal.below and final < start:
        share = (start - final) / (start - goal.below)
        text += f" It went {math.floor(100 * share)}% of the way from {fmt(start)}."
    return text
