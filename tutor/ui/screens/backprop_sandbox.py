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
from tutor.autodiff.sandbox import EXAMPLE, EXAMPLE_VALUES, ValuesError, build_sandbox_graph
from tutor.autodiff.layout import node_title
from tutor.ui.widgets.backprop_card import StepperPanel

INTRO = ("Type an expression in the answer language and a value for each variable, then press Enter. "
         "The expression becomes one node per operation; step forward through it, then backward. "
         "F2 helps with the current step, F3 shows it. Nothing here is saved.")



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
        yield Footer(compact=True)  # one line of keys that fits 80 columns

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
