"""A backprop challenge: the graph, one step at a time (forward, then backward), a table of the
nodes as they are filled in, targeted feedback, and a finite-difference check at the end.

- `StepperPanel`: the machinery, shared by the lesson card and the sandbox screen. It judges
  each step off the UI thread (the feedback may need SymPy for a closed form) and reports with
  its own messages.
- `BackpropCard`: a `backprop` exercise. Same interface and messages as ExerciseCard; the
  stepper's state is saved as the exercise's draft after every step, so it resumes.
- `BackpropExample`: a ```backprop worked example, filled in, with a way into the sandbox.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich import box
from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, Input, Static

from tutor.autodiff.feedback import StepVerdict
from tutor.autodiff.graph import Graph, GraphError, build_graph
from tutor.autodiff.layout import node_title, pretty
from tutor.autodiff.numbers import fmt
from tutor.autodiff.play import (
    all_found_state,
    finished_attempt,
    known_numbers,
    read_state,
    step_done,
    step_revealed,
    steps_by_node,
    write_state,
    wrong_step_attempt,
)
from tutor.autodiff.stepper import Stepper
from tutor.autodiff.steps import Step, local_symbol
from tutor.lessons.model import BackpropBlock, Exercise
from tutor.progress.model import ExerciseProgress
from tutor.ui.background import background
from tutor.ui.widgets.card import Card, show
from tutor.ui.widgets.card_messages import AnswerChecked, DraftChanged, HintShown
from tutor.ui.widgets.graph_view import GraphView, legend

PLACEHOLDERS = {
    "forward": "the value, e.g. 1.25 or sin(0.5)",
    "backward": "a number or a closed form, e.g. 2.58309*cos(1.25)",
}


# -- what the panel shows, from the stepper alone ----------------------------------------------------

def question(stepper: Stepper) -> Text:
    total = len(stepper.steps)
    step = stepper.current
    if step is None:
        return Text.assemble(("✓ ", "bold"), (f"All {total} steps done", "bold"),
                             ": forward pass, then backward pass.")
    where = Text(f"Step {step.index + 1} of {total} · {step.phase} pass   ", style="dim")
    if step.phase == "forward":
        return Text.assemble(where, (node_title(stepper.graph, step.node), "bold"), ": forward value?")
    return Text.assemble(where, (f"{step.label} = ?", "bold"))


def template_text(stepper: Stepper) -> Text:
    """The chain-rule card for the current step, without the local derivatives' values."""
    step = stepper.current
    if step is None:
        return Text("")
    graph = stepper.graph
    card = stepper.template(step.index)
    if step.phase == "forward":
        node = graph.nodes[step.node]
        given = ", ".join(f"{p} = {fmt(graph.value(p))}" for p in node.parents)
        return Text(f"Compute {node_title(graph, step.node)} with {given}.")
    out = graph.output
    terms = card.terms
    if not terms:
        return Text(card.text)

    def contribution(term) -> tuple[str, str]:
        local = local_symbol(graph, term.consumer, step.node)
        if term.consumer == out:
            return local, f"1 × {local}"
        return f"∂{out}/∂{term.consumer} · {local}", f"{fmt(term.upstream)} × {local}"

    if len(terms) == 1:
        symbolic, numeric = contribution(terms[0])
        if terms[0].consumer == out:
            symbolic = f"∂{out}/∂{out} · {symbolic}"
        pad = " " * len(f"{step.label} ")
        return Text.assemble(("upstream × local:  ", "dim"), f"{step.label} = {symbolic}\n",
                             " " * len("upstream × local:  "), pad, f"= {numeric}")
    users = [t.consumer for t in terms]
    text = Text.assemble(f"{step.node} feeds {_and(users)}, so {step.label} has one term per use ",
                         ("(upstream × local)", "dim"), f":\n  {card.symbolic}")
    for term in terms:
        _, numeric = contribution(term)
        text.append(f"\n  through {term.consumer}:  {numeric}")
    return text


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def forward_help(graph: Graph, step: Step) -> Text:
    """"v = sin(1.25)": the formula with the parents' values put in."""
    node = graph.nodes[step.node]
    formula = pretty(node.shown.split(" = ", 1)[1])
    for parent in sorted(node.parents, key=len, reverse=True):
        value = fmt(graph.value(parent))
        if value.startswith("-"):
            value = f"({value})"
        formula = re.sub(rf"(?<![\w.]){re.escape(parent)}(?![\w])", value, formula)
    return Text.assemble(("Help: ", "bold"), f"{step.node} = {formula}")


def backward_help(stepper: Stepper, step: Step) -> Text:
    """The local derivatives of this step, closed form and value. Imports SymPy: call it from a worker."""
    graph = stepper.graph
    try:
        card = stepper.template(step.index, closed_forms=True)
    except Exception:  # noqa: BLE001 - a closed form is a courtesy; the numbers still stand
        card = stepper.template(step.index)
    text = Text("Help: the local derivative" + ("s" if len(card.terms) > 1 else "") + ":", style="bold")
    for term in card.terms:
        local = local_symbol(graph, term.consumer, step.node)
        value = fmt(term.local)
        closed = term.local_text if term.local_text and term.local_text != value else ""
        text.append(f"\n  {local} = " + (f"{closed} = " if closed else "") + value, style="")
    return text


def verdict_line(step: Step, stepper: Stepper, verdict: StepVerdict, text: str) -> Text:
    if verdict.status == "correct":
        shown = f"{step.node} = {fmt(step.expected)}"
        if step.phase == "backward":
            numeric = stepper.template(step.index).numeric
            shown = f"{step.label} = " + (f"{numeric} = " if numeric != fmt(step.expected) else "") + fmt(step.expected)
        return Text.assemble(("✓ Correct. ", "bold green"), shown)
    if verdict.status == "incorrect":
        return Text.assemble(("✗ Not yet. ", "bold red"), verdict.message)
    out = Text.assemble(("! Can't read that. ", "bold yellow"), verdict.message)
    if verdict.error_column:
        out.append(f"\n  {text}\n  {' ' * (verdict.error_column - 1)}^", style="bold")
    return out


def node_table(stepper: Stepper, current_style: Style | str = "bold") -> Table:
    """One row per node: forward value, local derivatives (each use), ∂output/∂node."""
    graph = stepper.graph
    out = graph.output
    by_node = steps_by_node(stepper)
    current = stepper.current
    order = {name: i for i, name in enumerate(graph.nodes)}
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False, header_style="bold")
    table.add_column("", width=1, no_wrap=True)
    table.add_column("node", no_wrap=True)
    table.add_column("value", no_wrap=True)
    table.add_column(f"∂{out}/∂node", no_wrap=True)
    table.add_column("local derivatives")
    for name, node in graph.nodes.items():
        fwd, bwd = by_node.get(("forward", name)), by_node.get(("backward", name))
        is_current = current is not None and current.node == name
        mark = "▶" if is_current else ""
        label = f"{name} (input)" if node.is_input else node_title(graph, name)
        if node.is_input:
            value = fmt(node.value)
        elif fwd is not None and step_done(stepper, fwd):
            value = fmt(node.value) + (" ◇" if step_revealed(stepper, fwd) else "")
        else:
            value = "?" if is_current and current.phase == "forward" else ""
        local = ""
        if name == out:
            grad = "1 (given)" if stepper.phase != "forward" else ""
        elif name in graph.no_grad:
            grad = "— (data)"
        elif bwd is not None and step_done(stepper, bwd):
            grad = fmt(graph.grads[name]) + (" ◇" if step_revealed(stepper, bwd) else "")
            terms = sorted(graph.terms.get(name, ()), key=lambda t: order[t.consumer])
            local = "\n".join(f"{local_symbol(graph, t.consumer, name)} = {fmt(t.local)}" for t in terms)
        else:
            grad = "?" if is_current and current.phase == "backward" else ""
        table.add_row(mark, label, value, grad, local, style=current_style if is_current else None)
    return table


def fd_table(stepper: Stepper) -> Group:
    """Every gradient next to its central difference and the learner's number."""
    graph = stepper.graph
    rows = stepper.finite_difference_check()
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False, header_style="bold")
    for name in ("gradient", "yours", "backprop", "finite diff.", "agree"):
        table.add_column(name, no_wrap=True)
    for row in rows:
        entry = stepper.entries.get(f"backward:{row.name}")
        yours = "shown ◇" if entry is not None and entry.revealed else (
            fmt(row.entered) if row.entered is not None else "—")
        numeric = fmt(row.numeric) if row.numeric is not None else "undefined"
        agree = Text("✓", "bold green") if row.agrees else Text("✗ no", "bold red")
        table.add_row(row.label, yours, fmt(row.analytic), numeric, agree)
    head = Text.assemble(
        ("Finite-difference check: ", "bold"),
        f"nudge each value v by h = 1e-6 and watch {graph.output} move, "
        f"({graph.output}(v + h) − {graph.output}(v − h)) / 2h. ✓: backprop and the estimate agree.")
    return Group(head, table)


# -- the panel ---------------------------------------------------------------------------------------

class StepperPanel(Vertical):
    """Graph, question, chain-rule card, answer box, feedback, node table, and the check at the end."""

    COMPONENT_CLASSES = {"stepper--current"}

    @dataclass
    class Judged(Message):
        """A step was answered (right, wrong or unreadable); the stepper has moved on if right."""

        panel: StepperPanel
        step: Step
        text: str
        verdict: StepVerdict

    @dataclass
    class Finished(Message):
        """The last step is done."""

        panel: StepperPanel

    def __init__(self, stepper: Stepper, *, focus_on_mount: bool = False, id: str | None = None) -> None:
        super().__init__(id=id, classes="stepper")
        self.stepper = stepper
        self.focus_on_mount = focus_on_mount
        self.busy = False
        self._help: dict[int, Text] = {}  # step index -> the help shown for it
        self._feedback = Text("")

    @property
    def graph(self) -> Graph:
        return self.stepper.graph

    def compose(self) -> ComposeResult:
        yield GraphView(self.graph)
        yield Static(legend(self.graph), classes="graph-legend")
        yield Static("", classes="step-question")
        yield Static("", classes="step-template")
        yield Static("", classes="step-help")
        yield Input(placeholder=PLACEHOLDERS["forward"], id="answer-step")
        yield Static("", classes="step-feedback")
        yield Static("", classes="node-table")
        yield Static("", classes="fd-check")

    def on_mount(self) -> None:
        self.refresh_view()
        if self.focus_on_mount:
            self.focus_answer()

    # -- drawing ----------------------------------------------------------------------------------------
    def refresh_view(self) -> None:
        stepper = self.stepper
        step = stepper.current
        values, grads = known_numbers(stepper)
        asking = "" if step is None else ("value" if step.phase == "forward" else "grad")
        self.query_one(GraphView).show(values, grads, step.node if step else None, asking)
        show(self.query_one(".step-question", Static), question(stepper))
        show(self.query_one(".step-template", Static), template_text(stepper))
        show(self.query_one(".step-help", Static), self._help.get(step.index, Text("")) if step else Text(""))
        box_ = self.query_one("#answer-step", Input)
        box_.display = step is not None
        if step is not None:
            box_.placeholder = PLACEHOLDERS[step.phase]
        show(self.query_one(".step-feedback", Static), self._feedback)
        current_style = self.get_component_rich_style("stepper--current", partial=True)
        self.query_one(".node-table", Static).update(node_table(stepper, current_style))
        fd = self.query_one(".fd-check", Static)
        if stepper.done:
            fd.update(fd_table(stepper))
        fd.display = stepper.done

    def focus_answer(self) -> None:
        found = self.query("#answer-step")
        if found and found.first().display:
            found.first().focus()

    # -- answering --------------------------------------------------------------------------------------
    @on(Input.Submitted, "#answer-step")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit(event.value)

    def submit(self, text: str | None = None) -> None:
        stepper = self.stepper
        if stepper.done or self.busy:
            return
        if text is None:
            text = self.query_one("#answer-step", Input).value
        self.busy = True
        self._judge(stepper.index, text)

    @background(group="backprop-step")
    def _judge(self, index: int, text: str) -> None:
        step = self.stepper.steps[index]
        try:
            verdict = self.stepper.submit(index, text)
        except Exception as exc:  # noqa: BLE001 - never a traceback in the learner's face
            verdict = StepVerdict("invalid", f"That could not be checked ({type(exc).__name__}).", step=index)
        self.app.call_from_thread(self._judged, step, text, verdict)

    def _judged(self, step: Step, text: str, verdict: StepVerdict) -> None:
        self.busy = False
        if not self.is_attached:
            return  # the page changed meanwhile; the card saves the stepper's state when it flushes
        self._feedback = verdict_line(step, self.stepper, verdict, text)
        box_ = self.query_one("#answer-step", Input)
        if verdict.correct:
            box_.value = ""
        self.refresh_view()
        self.post_message(self.Judged(self, step, text, verdict))
        if self.stepper.done:
            self.post_message(self.Finished(self))
        self.call_after_refresh(self._keep_in_view)

    def _keep_in_view(self) -> None:
        target = self.query_one("#answer-step", Input)
        if not target.display:
            target = self.query_one(".fd-check", Static)
        target.scroll_visible(animate=False)

    # -- help ---------------------------------------------------------------------------------------------
    def show_help(self) -> bool:
        """Show help for the current step (its substitution, or its local derivatives' closed forms).
        False when there is nothing new to show."""
        step = self.stepper.current
        if step is None or step.index in self._help or self.busy:
            return False
        if step.phase == "forward":
            self._help[step.index] = forward_help(self.graph, step)
            self.refresh_view()
        else:
            self._help[step.index] = Text("Help: working out the local derivatives…", style="italic")
            self.refresh_view()
            self._closed_forms(step)
        return True

    @background(group="backprop-help")
    def _closed_forms(self, step: Step) -> None:
        text = backward_help(self.stepper, step)
        self.app.call_from_thread(self._helped, step, text)

    def _helped(self, step: Step, text: Text) -> None:
        self._help[step.index] = text
        if not self.is_attached:
            return
        self.refresh_view()

    # -- showing answers ------------------------------------------------------------------------------------
    def reveal_step(self) -> str | None:
        """Show the current step's answer and move on (the sandbox's F3)."""
        if self.stepper.done or self.busy:
            return None
        step = self.stepper.current
        assert step is not None
        value = self.stepper.reveal()
        self._feedback = Text.assemble(("◇ Shown. ", "bold"), f"{step.label} = {value}")
        self.refresh_view()
        if self.stepper.done:
            self.post_message(self.Finished(self))
        return value

    def reveal_all(self) -> None:
        """Every remaining step shown (the card's worked solution)."""
        while not self.stepper.done:
            self.stepper.reveal()
        self._feedback = Text.assemble(("◇ ", "bold"), "Every remaining value is filled in (marked ◇).")
        self.refresh_view()


# -- the exercise card ---------------------------------------------------------------------------------

class BackpropCard(Card):
    """A `backprop` exercise on the shared card chrome; the stepper's state is its draft."""

    TITLE_WORD = "Backprop"

    def __init__(self, exercise: Exercise, record: ExerciseProgress) -> None:
        super().__init__(exercise, record)
        self.problem = ""
        self.stepper: Stepper | None = None
        try:
            graph = build_graph(exercise.data)
        except GraphError as err:
            self.problem = str(err)
        else:
            self.stepper = Stepper.restore(graph, read_state(record.drafts.get("", "")))
            if record.solved and not self.stepper.done:  # solved elsewhere (`tutor check`): all found
                self.stepper = Stepper.restore(graph, all_found_state(self.stepper))
            while record.revealed and not self.stepper.done:  # the solution was shown before
                self.stepper.reveal()
        self._saved = record.drafts.get("", "")

    def compose_body(self) -> ComposeResult:
        if self.stepper is None:
            yield Static(Text(f"This challenge cannot be played: {self.problem}", style="italic"),
                         classes="unplayable")
        else:
            yield StepperPanel(self.stepper)

    def compose_buttons(self) -> ComposeResult:
        if self.stepper is not None and not self.stepper.done:
            yield Button("Check ⏎", id="check", variant="primary", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(".solution").display = self.record.revealed and bool(self.exercise.solution)

    def status_words(self) -> str:
        return "step through the graph"

    @property
    def panel(self) -> StepperPanel | None:
        found = self.query(StepperPanel)
        return found.first() if found else None

    # -- the card interface --------------------------------------------------------------------------------
    def pending_drafts(self) -> list[tuple[str, str]]:
        """The stepper's state if it changed since it was last saved (it is saved after every step,
        but a step judged while the page changes may not have been)."""
        if self.stepper is None:
            return []
        state = write_state(self.stepper)
        if state == self._saved:
            return []
        self._saved = state
        return [("", state)]

    def focus_answer(self) -> None:
        if self.panel is not None:
            self.panel.focus_answer()

    def show_solution(self) -> None:
        if self.panel is not None:
            self.panel.reveal_all()
            self._save_state()
        if self.exercise.solution:
            super().show_solution()

    @property
    def solution_shown(self) -> bool:
        return self.stepper is not None and self.stepper.done and self.record.revealed

    # -- from the panel --------------------------------------------------------------------------------------
    def _save_state(self) -> None:
        assert self.stepper is not None
        self._saved = write_state(self.stepper)
        self.post_message(DraftChanged(self.exercise, "", self._saved))

    @on(StepperPanel.Judged)
    def judged(self, event: StepperPanel.Judged) -> None:
        event.stop()
        self._save_state()
        if event.verdict.status == "incorrect":
            answer, verdict = wrong_step_attempt(event.step, event.text, event.verdict)
            self.post_message(AnswerChecked(self.exercise, "", answer, verdict))

    @on(StepperPanel.Finished)
    def finished(self, event: StepperPanel.Finished) -> None:
        event.stop()
        for button in self.query("#check"):
            button.display = False
        attempt = finished_attempt(self.stepper) if self.stepper is not None and not self.record.revealed else None
        if attempt is not None:
            self.post_message(AnswerChecked(self.exercise, "", *attempt))

    # -- actions ---------------------------------------------------------------------------------------------
    def action_check(self) -> None:
        if self.panel is not None:
            self.panel.submit()

    def action_hint(self) -> None:
        if self.panel is not None and self.panel.busy:
            return  # a step is being judged; its feedback comes first
        ladder = self.hints_shown < len(self.exercise.hints)
        helped = self.panel is not None and self.panel.show_help()
        if not (ladder or helped):
            self.notify("No more help for this step; F3 shows the worked solution.")
            return
        # One rung per F2, alongside the step's own help; the rung count is what is recorded.
        self.hints_shown += 1
        self._show_hints()
        self.post_message(HintShown(self.exercise, self.hints_shown))


# -- a worked example in the prose ------------------------------------------------------------------------

class BackpropExample(Vertical):
    """A ```backprop block: the graph and its table filled in, and a button into the sandbox."""

    def __init__(self, block: BackpropBlock) -> None:
        super().__init__(classes="backprop-example")
        self.block = block
        self.problem = ""
        self.stepper: Stepper | None = None
        try:
            graph = build_graph(block.data)
        except GraphError as err:
            self.problem = str(err)
        else:
            self.stepper = Stepper.restore(graph, all_found_state(Stepper(graph)))

    @property
    def title(self) -> str:
        title = self.block.data.get("title") if isinstance(self.block.data, dict) else None
        return str(title or (self.stepper.graph.output if self.stepper else "a graph"))

    def compose(self) -> ComposeResult:
        yield Static(Text.assemble(("Worked example: ", "bold"), self.title), classes="example-title")
        if self.stepper is None:
            yield Static(Text(f"This graph cannot be drawn: {self.problem}", style="italic"), classes="unplayable")
            return
        yield GraphView(self.stepper.graph)
        yield Static(legend(self.stepper.graph), classes="graph-legend")
        yield Static(node_table(self.stepper), classes="node-table")
        yield Button("Step through it", id="step-through", compact=True)

    def on_mount(self) -> None:
        if self.stepper is not None:
            values, grads = known_numbers(self.stepper)
            self.query_one(GraphView).show(values, grads)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "step-through" and self.stepper is not None:
            self.app.open_backprop_sandbox(graph=self.stepper.graph, title=self.title)
