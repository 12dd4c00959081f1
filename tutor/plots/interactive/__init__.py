"""Interactive figures: one small state model per kind, built from a plot block or directly.

    model = interactive_from_block(block.data)   # None for a static block
    figure = model.figure(width)                 # draw this
    for control in model.controls: ...          # bind control.key to model.act(control)

Every control returns True when the figure changed.
"""

from __future__ import annotations

from typing import Any

from tutor.plots.assemble import Curve
from tutor.plots.functions import PlotFunction, plot_function
from tutor.plots.interactive.activations import Activations
from tutor.plots.interactive.answer import AnswerVsTruth
from tutor.plots.interactive.base import Backdrop, Control, Interactive
from tutor.plots.interactive.expectation import Expectation
from tutor.plots.interactive.gd import GradientDescent1D
from tutor.plots.interactive.gradcheck import GradCheckError
from tutor.plots.interactive.integration_error import IntegrationError
from tutor.plots.interactive.level_sets import LevelSetsGradient
from tutor.plots.interactive.losses import LossGradients
from tutor.plots.interactive.newton import NewtonStep
from tutor.plots.interactive.numdiff import NumDiffError
from tutor.plots.interactive.relu_family import ReluFamily
from tutor.plots.interactive.riemann import RiemannSums
from tutor.plots.interactive.slices import PartialSlices
from tutor.plots.interactive.softmax import SoftmaxSweep
from tutor.plots.interactive.taylor import TaylorExplorer
from tutor.plots.interactive.tangent import SecantToTangent, TangentExplorer
from tutor.plots.schema import PanelSpec, PlotSpec, read_block
from tutor.plots.vectorize import PlotError

__all__ = [
    "Activations", "AnswerVsTruth", "Backdrop", "Control", "Expectation", "GradCheckError", "GradientDescent1D",
    "Interactive", "IntegrationError", "LevelSetsGradient", "LossGradients", "NewtonStep", "NumDiffError",
    "PartialSlices", "ReluFamily", "RiemannSums", "SecantToTangent", "SoftmaxSweep", "TangentExplorer",
    "TaylorExplorer",
    "interactive_from_block", "interactive_from_spec",
]


def interactive_from_block(data: dict[str, Any]) -> Interactive | None:
    """The model of a block with `interactive:`, or None for a static block.

    Raises PlotError when the block cannot make its figure (no function, f' undefined at `at`);
    `validate_plot_block` reports the same problems ahead of time.
    """
    spec, _issues = read_block(data)
    if spec is None or spec.interactive is None:
        return None
    return interactive_from_spec(spec)


def interactive_from_spec(spec: PlotSpec) -> Interactive:
    panel = spec.main
    kind = spec.interactive
    if kind == "activations":
        return Activations(panel.x_range or (-5.0, 5.0), title=spec.title)
    if kind == "relu-family":
        return ReluFamily(panel.x_range or (-3.0, 3.0), spec.at if spec.at is not None else -1.0, title=spec.title)
    if kind == "softmax":
        return SoftmaxSweep(title=spec.title)
    if kind == "losses":
        return LossGradients(spec.at if spec.at is not None else 0.2, title=spec.title)
    if kind == "numdiff-error":
        if spec.at is None:
            raise PlotError("numdiff-error needs 'at', the x where the derivative is estimated")
        h = spec.h if isinstance(spec.h, tuple) else (1e-15, 1.0)
        return NumDiffError(_required(panel, kind), spec.at, spec.methods or ("forward", "central"), h,
                            spec.samples or 100, _backdrop(spec, panel, curves=False))
    if kind == "tangent":
        f = _function(panel, prefer_tangent=True)
        if f is None:
            raise PlotError("a tangent figure needs a function: 'function', a tangent's 'of' or a curve")
        x0 = spec.at if spec.at is not None else (panel.tangents[0].at if panel.tangents else sum(panel.x) / 2)
        return TangentExplorer(f, x0, backdrop=_backdrop(spec, panel, curves=True))
    if kind == "secant":
        f = _function(panel, prefer_tangent=True)
        if f is None:
            raise PlotError("a secant figure needs a function: 'function', a tangent's 'of' or a curve")
        x0 = spec.at if spec.at is not None else (panel.tangents[0].at if panel.tangents else sum(panel.x) / 2)
        h = spec.h if isinstance(spec.h, float) else 1.0
        return SecantToTangent(f, x0, h, backdrop=_backdrop(spec, panel, curves=False))
    if kind == "taylor":
        f = _function(panel, prefer_tangent=False)
        if f is None:
            raise PlotError("a taylor figure needs a function: 'function' or a curve (the bold one)")
        return TaylorExplorer(f, spec.at or 0.0, spec.order if spec.order is not None else 1,
                              backdrop=_backdrop(spec, panel, curves=False))
    if kind == "gd":
        f = _required(panel, kind)
        lo, hi = panel.x
        x0 = spec.at if spec.at is not None else lo + 0.9 * (hi - lo)
        return GradientDescent1D(f, x0, spec.lr or 0.1, spec.steps or 20, _backdrop(spec, panel, curves=False))
    if kind == "riemann":  # the strips cover the block's x range
        return RiemannSums(_required(panel, kind), panel.x, spec.n or 4, backdrop=_backdrop(spec, panel, curves=False))
    if kind == "integration-error":  # x is the interval integrated over; the axis is n
        return IntegrationError(_required(panel, kind), panel.x, spec.n or 10_000,
                                backdrop=Backdrop(spec.title, None, None, (), panel.points))
    if kind == "expectation":
        return Expectation(_required(panel, kind), spec.at or 0.0, backdrop=_backdrop(spec, panel, curves=False))
    if kind in ("level-sets", "partial-slices", "newton"):
        if not panel.function:
            raise PlotError(f"{kind} needs 'function', an expression in x and y")
        box = (panel.function, spec.point, panel.x_range, panel.y_range)
        if kind == "level-sets":
            return LevelSetsGradient(*box, title=spec.title)
        if kind == "partial-slices":
            return PartialSlices(*box, title=spec.title)
        return NewtonStep(*box, lr=spec.lr, title=spec.title)
    if kind == "gradcheck-error":
        if not panel.function:
            raise PlotError("gradcheck-error needs 'function', an expression in x, y (and z)")
        h = spec.h if isinstance(spec.h, tuple) else (1e-13, 1.0)
        return GradCheckError(panel.function, spec.point, h, spec.samples or 53, title=spec.title)
    raise PlotError(f"unknown interactive kind '{kind}'")


def _required(panel: PanelSpec, kind: str) -> PlotFunction:
    f = _function(panel, prefer_tangent=False)
    if f is None:
        raise PlotError(f"{kind} needs 'function', the function to work on")
    return f


def _function(panel: PanelSpec, prefer_tangent: bool) -> PlotFunction | None:
    """The block's function: `function`; else (tangent, secant) the first tangent's `of`; else
    the first bold curve, else the first plain `expr` curve."""
    if panel.function:
        return plot_function(panel.function)
    if prefer_tangent and panel.tangents:
        return plot_function(panel.tangents[0].of)
    plain = [c for c in panel.curves if not c.derivative]
    bold = [c for c in plain if c.style == "bold"]
    if bold or plain:
        return plot_function((bold or plain)[0].text)
    return None


def _backdrop(spec: PlotSpec, panel: PanelSpec, curves: bool) -> Backdrop:
    """The block's title, ranges and points; its curves too when they do not compete with the
    live part (a tangent explorer keeps them; a secant or Taylor figure draws its own)."""
    drawn = []
    if curves:
        for c in panel.curves:
            f = plot_function(c.text)
            drawn.append(Curve(f.derivative(), c.label, c.style, mask=f) if c.derivative else Curve(f, c.label, c.style))
    lines = ()
    # Several tangents in the block stay drawn beside the live one (the title promises them);
    # a single one is only where the live tangent starts.
    if curves and len(panel.tangents) > 1:
        from tutor.plots.blocks import tangent_lines

        lines = tuple(tangent_lines(panel.tangents, panel.x_range or (-5.0, 5.0)))
    return Backdrop(spec.title, panel.x_range, panel.y_range, tuple(drawn), panel.points, lines)
