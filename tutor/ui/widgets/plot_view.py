"""Figures in lessons: `PlotView` draws a `tutor.plots` Figure, `InteractivePlot` lets keys and
clicks change it.

The figure is computed in a thread worker (NumPy, SymPy), and so is its plan (strokes, ticks,
labels, see plot_draw); only plotext's drawing of a plan runs on the UI thread, once per change
of plan, size or theme. The width follows the container: a resize recomputes the figure at the
new width, a moment after the resizing stops.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.color import Color
from textual.containers import ItemGrid, Vertical
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import Button, Static
from textual_plotext import PlotextPlot

from tutor.plots.describe import describe_figure
from tutor.ui.background import background
from tutor.ui.widgets.accessibility import accessible, follow_accessible
from tutor.ui.widgets.plot_draw import (
    Y_LABEL_COLS,
    PanelPlan,
    draw,
    palette,
    plan_panel,
)

if TYPE_CHECKING:  # pragma: no cover - types only
    from tutor.plots.interactive import Interactive
    from tutor.plots.model import Figure

CANVAS_ROWS = 15
MIN_PANEL_COLS = 36  # narrower than this, panels go one under the other
RESIZE_DELAY_S = 0.2
# A resize by this many columns or fewer (a scrollbar coming or going) keeps the figure: plotext
# draws it at the new size anyway, only the sampling and the tick choice stay as they were.
WIDTH_SLACK = 2
MIN_FIGURE_WIDTH = 16
# How keys are shown on the buttons and in the footer; `=` is `+` without Shift.
KEY_GLYPHS = {"left": "←", "right": "→", "up": "↑", "down": "↓", "plus": "+", "minus": "-"}
KEY_ALIASES = {"plus": "equals_sign"}
# Panels an interactive figure draws (the rest draw one), so the page keeps its height while the
# first figure is being computed.
INTERACTIVE_PANELS = {"activations": 4, "gd": 2, "relu-family": 2, "softmax": 3, "losses": 4}


def expected_panels(data: dict[str, Any]) -> int:
    kind = data.get("interactive")
    if kind in INTERACTIVE_PANELS:
        return INTERACTIVE_PANELS[kind]
    panels = data.get("panels")
    if not kind and isinstance(panels, list) and panels:
        return len(panels)
    return 1


def failure_text(exc: BaseException) -> str:
    """What a learner sees instead of a figure: the reason in one line, never a traceback."""
    from tutor.plots.vectorize import PlotError

    reason = str(exc) if isinstance(exc, PlotError) else f"{type(exc).__name__}: {exc}"
    return "This figure could not be drawn: " + " ".join(reason.split())


def _rgb(app, name: str, default: tuple[int, int, int]) -> tuple[int, int, int]:
    try:
        return Color.parse(app.theme_variables[name]).rgb
    except Exception:  # a theme without the variable
        return default


class PlotCanvas(PlotextPlot):
    """One panel's plot area. It draws its plan with plotext only when the plan, size or theme
    change (PlotextPlot rebuilds on every render), and turns plotext's character matrix into
    screen lines directly, without the ANSI text in between (that halves the UI time)."""

    def __init__(self, plan: PanelPlan | None = None) -> None:
        super().__init__(classes="plot-canvas")
        self.plan = plan
        self._version = 0
        self._cache: tuple[tuple, list[Strip]] | None = None

    def show(self, plan: PanelPlan) -> None:
        self.plan = plan
        self._version += 1
        self.refresh()

    def strips(self) -> list[Strip]:
        width, height = self.size
        if self.plan is None or not width or not height:
            return []
        key = (self.size, self.app.theme, self._version)
        if self._cache is not None and self._cache[0] == key:
            return self._cache[1]
        plt = self.plt
        draw(plt, self.plan, self.app.current_theme.dark, _rgb(self.app, "foreground", (224, 224, 224)),
             _rgb(self.app, "surface", (30, 30, 30)), (width, height))
        # What PlotextPlot.render does, up to plotext's matrix of characters and colours.
        plt.plotsize(width, height)
        plt._set_size(width, height)
        plt.theme(self._get_plotext_theme_name(self.app.theme))
        plt._set_sizes()
        plt._build_matrix()
        strips = _matrix_strips(plt.monitor.matrix, width)
        self._cache = (key, strips)
        return strips

    def render_line(self, y: int) -> Strip:
        strips = self.strips()
        return strips[y] if y < len(strips) else Strip.blank(self.size.width)

    def render(self) -> RenderResult:
        """The drawing as text (for tests and debugging; the screen uses render_line)."""
        text = Text()
        for index, strip in enumerate(self.strips()):
            if index:
                text.append("\n")
            for segment in strip:
                text.append(segment.text, segment.style)
        return text

    def on_resize(self) -> None:
        for view in self.ancestors:
            if isinstance(view, PlotView):
                view.canvas_resized(self.size.width)
                break


_STYLES: dict = {}


def _style(fg, style, bg) -> Style:
    """A Rich style for plotext's (colour, style, background); cached, there are only a few."""
    key = (fg, style, bg)
    found = _STYLES.get(key)
    if found is None:
        found = _STYLES[key] = Style(color=_colour(fg), bgcolor=_colour(bg),
                                     bold="bold" in str(style), italic="italic" in str(style))
    return found


def _colour(colour) -> RichColor | None:
    if colour == "default" or colour is None:
        return None
    if not isinstance(colour, tuple):
        from plotext._utility import to_rgb

        colour = to_rgb(colour)
        if not isinstance(colour, tuple):
            return None
    return RichColor.from_rgb(*colour[:3])


def _matrix_strips(matrix, width: int) -> list[Strip]:
    """plotext's matrix (row 0 at the bottom) as screen lines, one segment per run of a style."""
    strips = []
    for row in range(matrix.rows - 1, -1, -1):
        markers, fgs, styles, bgs = matrix.marker[row], matrix.fullground[row], matrix.style[row], matrix.background[row]
        segments = []
        run, key = [], None
        for col in range(matrix.cols):
            cell = (fgs[col], styles[col], bgs[col])
            if cell != key and run:
                segments.append(Segment("".join(run), _style(*key)))
                run = []
            key = cell
            run.append(markers[col])
        if run:
            segments.append(Segment("".join(run), _style(*key)))
        strips.append(Strip(segments).adjust_cell_length(width))
    return strips


class PlotPanel(Vertical):
    """Title, plot, legend and readout of one panel."""

    def __init__(self, plan: PanelPlan | None = None) -> None:
        super().__init__(classes="plot-panel")
        self.plan = plan

    def compose(self) -> ComposeResult:
        yield Static("", classes="panel-title")
        yield PlotCanvas(self.plan)
        yield Static("", classes="plot-legend")
        yield Static("", classes="plot-readout")

    def on_mount(self) -> None:
        self._fill()

    def show(self, plan: PanelPlan) -> None:
        self.plan = plan
        self.query_one(PlotCanvas).show(plan)
        self._fill()

    def _fill(self) -> None:
        plan = self.plan
        title = self.query_one(".panel-title", Static)
        legend = self.query_one(".plot-legend", Static)
        readout = self.query_one(".plot-readout", Static)
        title.update(Text(plan.title, style="bold") if plan else "")
        title.display = bool(plan and plan.title)
        legend.update(self.legend_text())
        legend.display = bool(str(legend.render()))
        readout.update(Text("\n".join(plan.readout)) if plan else "")  # plain: `E[X]` is not markup
        readout.display = bool(plan and plan.readout)

    def legend_text(self) -> Text:
        """Each curve's glyph in its colour, then its label: the glyph tells the styles apart
        without colour."""
        text = Text()
        if self.plan is None:
            return text
        colours = palette(self.app.current_theme.dark)
        for glyph, label, colour in self.plan.legend:
            r, g, b = colours[colour % len(colours)]
            if text:
                text.append("   ")
            text.append(glyph + " ", style=f"bold rgb({r},{g},{b})")
            text.append(label)
        axes = [f"{name}: {label}" for name, label in (("x", self.plan.x_label), ("y", self.plan.y_label)) if label]
        if axes:
            text.append(("   " if text else "") + " · ".join(axes), style="dim")
        return text


class PlotView(Vertical):
    """A figure: its title, one PlotPanel per panel (side by side when there is room) and its
    readouts. `source(width)` makes the Figure, in a worker thread, under `lock`."""

    DEFAULT_CSS = """
    PlotView { height: auto; }
    PlotView .plot-grid { height: auto; grid-gutter: 1 2; }
    PlotView .plot-panel { height: auto; }
    PlotView .plot-canvas { height: %d; }
    PlotView .plot-title, PlotView .plot-status, PlotView .panel-title,
    PlotView .plot-legend, PlotView .plot-readout, PlotView .plot-words { height: auto; }
    PlotView .plot-words { margin-top: 1; }
    """ % CANVAS_ROWS

    class Drawn(Message):
        """A figure (or its failure) is on screen."""

        def __init__(self, view: PlotView) -> None:
            super().__init__()
            self.view = view

    def __init__(self, source: Callable[[int], Figure], *, panels: int = 1, lock: threading.Lock | None = None,
                 min_panel_cols: int = MIN_PANEL_COLS, id: str | None = None, classes: str | None = None) -> None:
        """`min_panel_cols`: narrower than this, panels go one under the other (a chart of 30
        bars wants more room than a curve)."""
        super().__init__(id=id, classes=classes)
        self._source = source
        self._expected = max(1, panels)
        self._min_panel_cols = min_panel_cols
        self._lock = lock or threading.Lock()
        self.figure: Figure | None = None
        self.words: tuple[str, ...] = ()  # the figure described in words (shown in the accessible mode)
        self.error: str | None = None
        self.draws = 0  # figures shown so far
        self._width = 0
        self._computed_width = 0
        self._requested = 0
        self._generation_lock = threading.Lock()
        self._shown = 0
        self._timer: Timer | None = None

    @classmethod
    def from_block(cls, data: dict[str, Any], **kwargs) -> PlotView:
        def source(width: int) -> Figure:
            from tutor.plots import figure_from_block

            return figure_from_block(data, width)

        return cls(source, panels=expected_panels(data), **kwargs)

    def compose(self) -> ComposeResult:
        yield Static("", classes="plot-title")
        yield Static(Text("drawing…", style="italic"), classes="plot-status")
        with ItemGrid(min_column_width=self._min_panel_cols, classes="plot-grid"):
            for _ in range(self._expected):
                yield PlotPanel()
        yield Static("", classes="plot-words", markup=False)

    def on_mount(self) -> None:
        self.query_one(".plot-title").display = False
        self.query_one(".plot-words").display = False
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        follow_accessible(self, self._show_words)

    @property
    def settled(self) -> bool:
        """Drawn at its current width, with no recomputation asked for or under way."""
        return self.draws > 0 and self._timer is None and self._shown == self._requested

    # -- computing ------------------------------------------------------------------------------------
    def canvas_resized(self, width: int) -> None:
        """The panels' width changed: recompute now the first time, then once resizing stops."""
        if width <= 0 or width == self._width:
            return
        first = self._width == 0
        self._width = width
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if first:
            self.redraw()
        elif abs(width - self._computed_width) > WIDTH_SLACK:
            self._timer = self.set_timer(RESIZE_DELAY_S, self.redraw)

    def redraw(self) -> None:
        """Compute the figure again at the current width."""
        self._timer = None
        if not self._width:
            return  # not laid out yet: the first resize draws
        self._computed_width = self._width
        self._compute(self.next_generation(), self._width)

    def next_generation(self) -> int:
        """A number for a new figure request: only a figure newer than the one shown is shown."""
        with self._generation_lock:
            self._requested += 1
            return self._requested

    @background(group="plot-figure", exclusive=True)
    def _compute(self, generation: int, cols: int) -> None:
        self.compute(generation, cols)

    def compute(self, generation: int, cols: int) -> None:
        """Make the figure and its plans, then show them; in a worker thread."""
        try:
            with self._lock:
                figure = self._source(max(cols - Y_LABEL_COLS - 1, MIN_FIGURE_WIDTH))
            plans = tuple(plan_panel(panel, cols, CANVAS_ROWS) for panel in figure.panels)
            words = tuple(describe_figure(figure))
        except Exception as exc:  # shown as one line of text; a figure must not take the page down
            self._post(self._show_failure, generation, failure_text(exc))
            return
        self._post(self._show, generation, figure, plans, words)

    def _post(self, callback, *args) -> None:
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:  # the app is closing
            pass

    # -- showing -----------------------------------------------------------------------------------------
    @property
    def gone(self) -> bool:
        """Not on a screen (yet or any more): a figure computed for a page the learner has left
        arrives after the page's widgets are removed, and has nowhere to go."""
        return not self.is_mounted or not self.is_attached or self._closing or self._closed or self._pruning

    def _show(self, generation: int, figure: Figure, plans: tuple[PanelPlan, ...], words: tuple[str, ...] = ()) -> None:
        if generation < self._shown or self.gone:
            return  # a newer figure is on screen already, or the page is gone
        self._shown = generation
        if not any(plan.strokes or plan.labels for plan in plans):
            notes = "; ".join(figure.notes) or "it has nothing to draw"
            self._show_failure(generation, f"This figure could not be drawn: {notes}")
            return
        self.figure, self.error, self.words = figure, None, words
        title = self.query_one(".plot-title", Static)
        title.update(Text(figure.title, style="bold"))
        title.display = bool(figure.title)
        self.query_one(".plot-status").display = False
        grid = self.query_one(".plot-grid", ItemGrid)
        grid.display = True
        panels = list(grid.query_children(PlotPanel))
        if len(panels) == len(plans):
            for panel, plan in zip(panels, plans):
                panel.show(plan)
        else:
            grid.remove_children()
            grid.mount_all(PlotPanel(plan) for plan in plans)
        self._show_words()
        self.draws += 1
        self.post_message(self.Drawn(self))

    def _show_failure(self, generation: int, message: str) -> None:
        if generation < self._shown or self.gone:
            return
        self._shown = generation
        self.figure, self.error, self.words = None, message, ()
        self._show_words()
        status = self.query_one(".plot-status", Static)
        status.update(Text(message, style="italic"))
        status.display = True
        self.query_one(".plot-grid").display = False
        self.draws += 1
        self.post_message(self.Drawn(self))

    def _show_words(self, _accessible: bool | None = None) -> None:
        """In the accessible mode, the figure in words (its key numbers included) under it."""
        words = self.query_one(".plot-words", Static)
        shown = accessible(self) and bool(self.words)
        words.update("\n".join(self.words) if shown else "")
        words.display = shown

    def _theme_changed(self, _theme) -> None:
        for panel in self.query(PlotPanel):
            panel._fill()  # the legend's colours; the canvases redraw themselves

    @property
    def width_known(self) -> int:
        """The panels' width in columns, once laid out (0 before)."""
        return self._width

    def summary(self) -> dict | None:
        """What is on screen, for tests: the figure's summary, or None."""
        return self.figure.summary() if self.figure is not None else None


class InteractivePlot(Vertical, can_focus=True):
    """A PlotView whose model's controls are keys (shown in the footer while the figure has focus)
    and small buttons. Each control runs in a worker, in order, then the figure is redrawn."""

    DEFAULT_CSS = """
    InteractivePlot { height: auto; }
    InteractivePlot .plot-controls { height: auto; grid-gutter: 0 1; }
    InteractivePlot .plot-control { width: auto; }
    """

    class ModelReady(Message):
        pass

    def __init__(self, factory: Callable[[], Interactive | None], *, fallback: Callable[[int], Figure] | None = None,
                 panels: int = 1, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._factory = factory
        self._fallback = fallback
        self._panels = panels
        self._lock = threading.Lock()  # the model: one control or one figure at a time
        self._queue_lock = threading.Lock()
        self._pending: deque = deque()
        self._draining = False
        self._built = False
        self._early: list[Callable[[Interactive], bool]] = []  # changes asked before the model existed
        self._model_error: str | None = None
        self.model: Interactive | None = None
        self.view = PlotView(self._figure, panels=panels, lock=self._lock)

    @classmethod
    def from_block(cls, data: dict[str, Any], **kwargs) -> InteractivePlot:
        def factory():
            from tutor.plots import interactive_from_block

            return interactive_from_block(data)

        def fallback(width: int) -> Figure:
            from tutor.plots import figure_from_block

            return figure_from_block(data, width)

        return cls(factory, fallback=fallback, panels=expected_panels(data), **kwargs)

    def compose(self) -> ComposeResult:
        yield self.view
        yield ItemGrid(min_column_width=24, classes="plot-controls")

    # -- the model (worker threads, under the lock) ----------------------------------------------------
    def _figure(self, width: int) -> Figure:
        if not self._built:
            self._built = True
            model = None
            try:
                model = self._factory()
            except Exception as exc:  # drawn as the static figure, or as this reason
                self._model_error = failure_text(exc)
            with self._queue_lock:
                self.model, early, self._early = model, self._early, []
            for change in early:  # a setting typed before the model was built is not lost
                try:
                    change(model)
                except Exception as exc:  # a model bug: say so, keep the figure
                    self._post(self.notify, failure_text(exc), severity="error")
            if self.model is not None:
                self.post_message(self.ModelReady())
        if self.model is not None:
            return self.model.figure(width)
        if self._fallback is not None:
            return self._fallback(width)
        from tutor.plots.vectorize import PlotError

        raise PlotError((self._model_error or "").removeprefix("This figure could not be drawn: ") or "no figure")

    def on_interactive_plot_model_ready(self, event: ModelReady) -> None:
        event.stop()
        if self.model is None:
            return
        buttons = []
        for index, control in enumerate(self.model.controls):
            glyph = KEY_GLYPHS.get(control.key, control.key)
            # The keys are listed on the buttons under the figure; the footer keeps the page's own
            # keys, which a figure's four to seven controls would push out at 80 columns.
            self._bindings.bind(control.key, f"control({index})", control.description, key_display=glyph,
                                show=False)
            if control.key in KEY_ALIASES:
                self._bindings.bind(KEY_ALIASES[control.key], f"control({index})", control.description, show=False)
            button = Button(f"{glyph} {control.description}", id=f"control-{index}", compact=True,
                            classes="plot-control")
            button.can_focus = False  # Tab stops at the figure, not at each of its buttons
            buttons.append(button)
        controls = self.query_one(".plot-controls", ItemGrid)
        # Columns as wide as the longest button: as many side by side as fit, the rest wrap.
        controls.min_column_width = max(len(str(b.label)) for b in buttons) + 2 if buttons else None
        controls.mount_all(buttons)
        self.refresh_bindings()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("control-"):
            self.focus()
            self.action_control(int(event.button.id.removeprefix("control-")))

    # -- controls -----------------------------------------------------------------------------------
    def action_control(self, index: int) -> None:
        if self.model is None or not 0 <= index < len(self.model.controls):
            return
        self._enqueue(self.model.controls[index])

    def change(self, change: Callable[[Interactive], bool]) -> None:
        """Change the model from outside (a value the learner typed), in order with the keys;
        `change(model)` returns True when the figure changed. Asked before the model is built (its
        first drawing is still in its worker), the change is applied as soon as it is."""
        with self._queue_lock:
            if self.model is None:
                if not self._built or self._model_error is None:
                    self._early.append(change)
                return
        self._enqueue(change)

    def _enqueue(self, control) -> None:
        with self._queue_lock:
            self._pending.append(control)
            start = not self._draining
            self._draining = True
        if start:
            self._drain()

    @background(group="plot-control")
    def _drain(self) -> None:
        """Run the queued controls in the order they came, then redraw once."""
        changed = False
        while True:
            with self._queue_lock:
                if not self._pending:
                    self._draining = False
                    break
                control = self._pending.popleft()
            try:
                with self._lock:
                    # A key's Control, or a change from `change()` (a function of the model).
                    result = control(self.model) if callable(control) else self.model.act(control)
                    changed = bool(result) or changed
            except Exception as exc:  # a model bug: say so, keep the figure
                self._post(self.notify, failure_text(exc), severity="error")
        if changed and self.view.width_known:
            # Drawn from this worker too: one thread hop from key to figure, not two.
            self.view.compute(self.view.next_generation(), self.view.width_known)

    def _post(self, callback, *args, **kwargs) -> None:
        try:
            self.app.call_from_thread(callback, *args, **kwargs)
        except RuntimeError:
            pass
