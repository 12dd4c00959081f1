"""The backprop sandbox: type any expression and values, then step through its backprop.

Nothing here is saved: it is a place to try things. The expression is split into one node per
operation (`graph_from_expression`) and played with the same panel as a lesson's challenge.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Static

from tutor.autodiff.graph import Graph, GraphError
from tutor.autodiff.layout import node_title
from tutor.ui.widgets.backprop_card import StepperPanel

EXAMPLE = "L = (w*x + b - y)^2"
EXAMPLE_VALUES = "w=1, x=2, b=1, y=7"
INTRO = ("Type an expression in the answer language and a value for each variable, then press Enter. "
         "The expression becomes one node per operation; step forward through it, then backward. "
         "F2 helps with the current step, F3 shows it. Nothing here is saved.")



def _pieces(text: str) -> list[str]:
    """Split at commas and semicolons outside brackets (max(a, b) stays whole)."""
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(depth - 1, 0)
        elif ch in ",;" and depth == 0:
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    return pieces


class ValuesError(ValueError):
    """The values line cannot be read; the message says why."""


def parse_values(text: str) -> dict[str, str]:
    """"w=1, x=2, b=pi/4" as {"w": "1", "x": "2", "b": "pi/4"} (the numbers are read later)."""
    values: dict[str, str] = {}
    for piece in _pieces(text):
        piece = piece.strip()
        if not piece:
            continue
        if "=" not in piece:
            raise ValuesError(f"'{piece}' is not of the form name=value (for example x=2)")
        name, value = (part.strip() for part in piece.split("=", 1))
        if not name or not value:
            raise ValuesError(f"'{piece}' needs a name and a value (for example x=2)")
        if name in values:
            raise ValuesError(f"{name} is given twice")
        values[name] = value
    return values


def build_sandbox_graph(expression: str, values_text: str) -> Graph:
    """The graph of a typed expression and values. Raises GraphError or ValuesError with a message
    meant for the learner."""
    from tutor.autodiff.expression import graph_from_expression

    if not expression.strip():
        raise GraphError("type an expression first, for example " + EXAMPLE)
    values = parse_values(values_text)
    try:
        return graph_from_expression(expression, values)
    except GraphError as err:
        message = str(err)
        if "unknown name" in message:
            message += " (give every variable a value, for example x=2)"
        raise GraphError(message) from err


class BackpropSandboxScreen(Screen):
    BINDINGS = [
        Binding("escape", "leave", "Back", id="leave"),
        Binding("f2", "help_step", "Hint", id="help-step"),
        Binding("f3", "show_step", "Show step", id="show-step"),
    ]

    def __init__(self, graph: Graph | None = None, title: str = "", expression: str = EXAMPLE,
                 values: str = EXAMPLE_VALUES) -> None:
        super().__init__()
        self.graph = graph
        self.graph_title = title
        self.expression = "" if graph is not None else expression
        self.values = "" if graph is not None else values

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="sandbox"):
            yield Static(INTRO, id="sandbox-intro")
            with Horizontal(id="sandbox-form"):
                yield Input(self.expression, placeholder=EXAMPLE, id="sandbox-expression")
                yield Input(self.values, placeholder=EXAMPLE_VALUES, id="sandbox-values")
                yield Button("Step through ⏎", id="sandbox-build", variant="primary", compact=True)
            yield Static("", id="sandbox-message")
            yield Vertical(id="sandbox-stepper")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Backprop sandbox"
        if self.graph is not None:
            self._play(self.graph, f"From the lesson: {self.graph_title}" if self.graph_title else "")
        else:  # the example is ready to step through; the cursor waits in the expression
            self.build(focus=False)
            self.query_one("#sandbox-expression", Input).focus()

    # -- building ---------------------------------------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id in ("sandbox-expression", "sandbox-values"):
            event.stop()
            self.build()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "sandbox-build":
            event.stop()
            self.build()

    def build(self, focus: bool = True) -> None:
        expression = self.query_one("#sandbox-expression", Input).value
        values = self.query_one("#sandbox-values", Input).value
        try:
            graph = build_sandbox_graph(expression, values)
        except (GraphError, ValuesError) as err:
            self._message(Text.assemble(("! ", "bold yellow"), ("Can't build that: ", "bold"), str(err)))
            return
        nodes = len(graph.formula_nodes)
        self._play(graph, f"{nodes} node{'s' if nodes != 1 else ''}: "
                          + ", ".join(node_title(graph, n) for n in graph.formula_nodes), focus)

    def _play(self, graph: Graph, note: str, focus: bool = True) -> None:
        from tutor.autodiff.stepper import Stepper

        self.graph = graph
        self._message(Text(note, style="dim") if note else Text(""))
        holder = self.query_one("#sandbox-stepper", Vertical)
        holder.remove_children()
        holder.mount(StepperPanel(Stepper(graph), focus_on_mount=focus))

    def _message(self, text: Text) -> None:
        message = self.query_one("#sandbox-message", Static)
        message.update(text)
        message.display = bool(str(text))

    @property
    def panel(self) -> StepperPanel | None:
        found = self.query(StepperPanel)
        return found.first() if found else None

    # -- actions ----------------------------------------------------------------------------------------
    def on_stepper_panel_finished(self, event: StepperPanel.Finished) -> None:
        self.notify("Done: every gradient is checked against finite differences below.")

    def action_help_step(self) -> None:
        panel = self.panel
        if panel is not None and not panel.show_help():
            self.notify("That is all the help for this step; F3 shows its answer.")

    def action_show_step(self) -> None:
        if self.panel is not None:
            self.panel.reveal_step()

    def action_leave(self) -> None:
        self.app.pop_screen()


def open_sandbox(app) -> None:
    """From the course map or the command palette."""
    app.push_screen(BackpropSandboxScreen())
