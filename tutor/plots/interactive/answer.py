"""After a wrong derivative: the learner's f' against the true f' on the same axes.

The point where they differ most is marked on both curves, so the learner sees *where* the
answer goes wrong (only for x < 0? everywhere by a factor?), not just that it does.
"""

from __future__ import annotations

import numpy as np

from tutor.plots import sampling

from tutor.plots.answer_window import answer_window, answer_y_range, domain_window
from tutor.plots.assemble import Curve, make_panel
from tutor.plots.fmt import num
from tutor.plots.functions import PlotFunction, plot_function
from tutor.plots.interactive.base import Control, Interactive, clamp, tidy
from tutor.plots.model import Figure, Marker

AGREE = 1e-9  # relative gap below which the curves are the same on this range
MIN_SPAN, MAX_SPAN = 1e-3, 1e4


class AnswerVsTruth(Interactive):
    kind = "answer"
    controls = (
        Control("zoom_in", "plus", "zoom in on the largest gap"),
        Control("zoom_out", "minus", "zoom out"),
    )

    def __init__(self, learner_expr_text: str, true_expr_text: str | PlotFunction,
                 variables: tuple[str, ...] = ("x",), x_range: tuple[float, float] = (-5.0, 5.0),
                 fixed_value: float = 1.0, learner_label: str = "your answer", true_label: str = "true") -> None:
        """`variables[0]` is plotted; any others are held at `fixed_value` (said in the readout)."""
        variables = tuple(variables) or ("x",)
        self.variable = variables[0]
        self.fixed = tuple((name, float(fixed_value)) for name in variables[1:])
        self.learner = plot_function(learner_expr_text, self.variable, self.fixed)
        self.truth = true_expr_text if isinstance(true_expr_text, PlotFunction) else \
            plot_function(true_expr_text, self.variable, self.fixed)
        self.labels = (learner_label, true_label)
        # Opened where the two differ, inside the domain: not a fixed window.
        self.home = answer_window(self.learner, self.truth, (float(x_range[0]), float(x_range[1])))
        self.x_range = self.home
        self.y_range = answer_y_range(self.learner, self.truth, self.x_range)

    @classmethod
    def for_derivative(cls, learner_expr_text: str, function_text: str, variable: str = "x", order: int = 1,
                       x_range: tuple[float, float] = (-5.0, 5.0)) -> AnswerVsTruth:
        """The truth is the exact derivative of the exercise's function (for exercises without a
        written `answer`)."""
        f = plot_function(function_text, variable)
        primes = "'" * order if order <= 3 else f"^({order})"
        return cls(learner_expr_text, f.derivative(order), (variable,), x_range,
                   learner_label=f"your f{primes}", true_label=f"true f{primes}")

    def largest_gap(self, width: int = 80) -> tuple[float, float, float] | None:
        """(x, yours, true) where |yours - true| is largest on the range, both defined there."""
        xs = sampling.grid(self.x_range, sampling.samples_for(width))
        mine, true = self.learner(xs), self.truth(xs)
        gap = np.abs(mine - true)
        if not np.isfinite(gap).any():
            return None
        i = int(np.nanargmax(gap))
        return float(xs[i]), float(mine[i]), float(true[i])

    def zoom_in(self) -> bool:
        return self._zoom(0.5)

    def zoom_out(self) -> bool:
        return self._zoom(2.0)

    def _zoom(self, factor: float) -> bool:
        lo, hi = self.x_range
        span = clamp((hi - lo) * factor, MIN_SPAN, MAX_SPAN)
        centre = (lo + hi) / 2
        if factor < 1:
            # Towards the largest gap, but inside the current view: zooming in never pans away.
            gap = self.largest_gap()
            if gap:
                centre = clamp(gap[0], lo + span / 2, hi - span / 2)
        new = (tidy(centre - span / 2), tidy(centre + span / 2))
        changed, self.x_range = new != self.x_range, new
        if changed:
            self.y_range = answer_y_range(self.learner, self.truth, self.x_range)
        return changed

    def figure(self, width: int = 80) -> Figure:
        mine, true = self.labels
        curves = [Curve(self.truth, true, "bold"), Curve(self.learner, mine, "line")]
        markers, readout = [], []
        gap = self.largest_gap(width)
        if gap is None:
            readout.append("the two are never both defined on this range")
        else:
            x, y_mine, y_true = gap
            scale = max(1.0, abs(y_true))
            if abs(y_mine - y_true) <= AGREE * scale:
                readout.append("the two curves agree everywhere on this range")
            else:
                markers = [Marker(x, y_true, true), Marker(x, y_mine, mine)]
                readout.append(f"largest gap at {self.variable} = {num(x, 4)}: {mine} {num(y_mine, 5)}, "
                               f"{true} {num(y_true, 5)}")
        undefined = self._only_truth_defined(width)
        if undefined:
            readout.append(f"{mine} is undefined at {undefined}% of the points where {true} is defined")
        if self.fixed:
            readout.append("with " + ", ".join(f"{n} = {num(v)}" for n, v in self.fixed))
        built = make_panel("", self.x_range, width, curves=curves, markers=markers, readout=readout,
                           y_range=self.y_range)
        return Figure(f"{mine} against {true}", (built.panel,))

    def _only_truth_defined(self, width: int) -> int:
        xs = sampling.grid(self.x_range, sampling.samples_for(width))
        mine, true = np.isfinite(self.learner(xs)), np.isfinite(self.truth(xs))
        if not true.any():
            return 0
        return int(round(100 * (true & ~mine).sum() / true.sum()))



def answer_against_truth(spec, answer: str) -> AnswerVsTruth:
    """The learner's `answer` against the truth for an exercise part (`plottable(spec)`), in a
    window chosen from the part's domain and from where the two differ."""
    var = spec.declared[0]
    home = domain_window(spec.domain, var, spec.declared)
    if spec.kind == "derivative":
        return AnswerVsTruth.for_derivative(answer, spec.function, var, spec.order, home)
    return AnswerVsTruth(answer, spec.answer, (var,), home, true_label="true")
