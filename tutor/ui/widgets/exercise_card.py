"""An exercise: prompt, answer boxes with a live reading, verdicts, hints and the solution.

The card checks answers itself (through the app's checker, off the UI thread) and reports what
happened with messages; the screen records them in the save file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import (
    Button,
    Input,
    LoadingIndicator,
    Markdown,
    RadioButton,
    RadioSet,
    Static,
)

from tutor.checking.verdict import Verdict
from tutor.lessons.model import Exercise, ExercisePart
from tutor.progress.model import ExerciseProgress
from tutor.ui.background import background
from tutor.ui.widgets.card_messages import AnswerChecked, DraftChanged, RevealAsked
from tutor.ui.widgets.glyphs import EXERCISE_GLYPHS
from tutor.ui.widgets.hints import hints_text, show_next_hint

PREVIEW_DELAY_S = 0.25
DRAFT_DELAY_S = 0.6


def verdict_text(verdict: Verdict) -> Text:
    """The verdict as shown under an answer: a mark and a word first, so colour is not needed."""
    if verdict.status == "correct":
        head = ("✓ Correct. ", "bold green")
        body = verdict.message.removeprefix("Correct.").strip()
    elif verdict.status == "incorrect":
        head = ("✗ Not yet. ", "bold red")
        body = verdict.message
    else:
        head = ("! Can't read that. ", "bold yellow")
        body = verdict.message
    text = Text.assemble(head, body)
    if verdict.extra.get("caret"):
        text.append("\n" + verdict.extra["caret"], style="bold")
    for entry in verdict.entries:
        mark = "✓" if entry.correct else "✗"
        where = ", ".join(str(i + 1) for i in entry.index)
        text.append(f"\n  {mark} entry {where}" + (f": {entry.message}" if entry.message else ""))
    return text


def reading_text(verdict: Verdict) -> Text:
    """'read as' with the 2-D form, or the syntax error with a caret."""
    if verdict.status == "invalid":
        if not verdict.message:
            return Text("")
        text = Text.assemble(("! ", "bold yellow"), verdict.message)
        if verdict.extra.get("caret"):
            text.append("\n" + verdict.extra["caret"])
        return text
    text = Text("read as:\n", style="dim")
    text.append(verdict.pretty or verdict.interpreted)
    for note in verdict.notes:
        text.append(f"\n· {note}", style="italic")
    return text


def answer_plot(spec, answer: str):
    """A model factory for the learner's answer against the truth, for derivative (and one-variable
    expression) parts; None where there is no single curve to compare."""
    if len(spec.declared) != 1:
        return None
    var = spec.declared[0]
    x_range = _plot_range(spec.domain or "", var)
    if spec.kind == "derivative" and spec.function:
        def factory():
            from tutor.plots.interactive import AnswerVsTruth

            return AnswerVsTruth.for_derivative(answer, spec.function, var, spec.order, x_range)
        return factory
    if spec.kind == "expression" and spec.answer:
        def factory():
            from tutor.plots.interactive import AnswerVsTruth

            return AnswerVsTruth(answer, spec.answer, (var,), x_range, true_label="true")
        return factory
    return None


_BOUND = {"pi": 3.141592653589793, "pi/2": 1.5707963267948966, "pi/4": 0.7853981633974483}


def _plot_range(domain: str, var: str) -> tuple[float, float]:
    """[-5, 5], cut to simple bounds of the domain ("x > 0", "-pi/2 < x < pi/2")."""
    lo, hi = -5.0, 5.0
    for part in domain.split(","):
        terms = [t.strip() for t in re.split(r"<=?|>=?", part)]
        ops = re.findall(r"<=?|>=?", part)
        for (a, b), op in zip(zip(terms, terms[1:]), ops):
            if var not in (a, b) or (a == var) == (b == var):
                continue
            bound = _number(b if a == var else a)
            if bound is None:
                continue
            above = (a == var) == op.startswith(">")  # var > bound, or bound < var
            if above:
                lo = max(lo, bound)
            else:
                hi = min(hi, bound)
    return (lo, hi) if lo < hi else (-5.0, 5.0)


def _number(text: str) -> float | None:
    sign = -1.0 if text.startswith("-") else 1.0
    text = text.removeprefix("-").strip()
    if text in _BOUND:
        return sign * _BOUND[text]
    try:
        return sign * float(text)
    except ValueError:
        return None


def show(widget: Static, content: Text | str) -> None:
    """Update a Static and hide it while it is empty, so an unanswered card stays compact."""
    widget.update(content)
    widget.display = bool(str(content))


@dataclass
class _Pending:
    timer: Timer | None = None


class _Row(Vertical):
    """What every answer row shares: its part, the check in a worker, and showing the verdict."""

    def __init__(self, exercise: Exercise, part: ExercisePart, draft: str, solved: bool) -> None:
        super().__init__(classes="answer-row")
        self.exercise = exercise
        self.part = part
        self.draft = draft
        self.solved = solved
        self.plot_factory = None  # after a wrong answer: its plot against the truth (F4)

    @property
    def key(self) -> str:
        return self.part.key

    def compose_prompt(self) -> ComposeResult:
        if self.part.key:
            yield Static(Text(f"({self.part.key}) {self.part.prompt}"), classes="part-prompt")

    def compose_verdict(self) -> ComposeResult:
        yield LoadingIndicator(classes="checking")
        yield Static("✓ Solved." if self.solved else "", classes="verdict")

    def on_mount(self) -> None:
        self.query_one(".checking").display = False
        for empty in self.query(".reading, .verdict"):
            empty.display = bool(str(empty.render()))

    def worker_failed(self, _error: BaseException) -> None:
        self.query_one(".checking").display = False
        show(self.query_one(".verdict", Static), Text("The check failed; try again.", style="italic"))

    def start_check(self, answer: str) -> None:
        self.query_one(".checking").display = True
        show(self.query_one(".verdict", Static), Text("checking…", style="italic"))
        self.check(answer)

    @background(group="check", exclusive=True)
    def check(self, answer: str) -> None:
        verdict = self.app.checker.check(self.part.spec, answer)
        self.app.call_from_thread(self.show_verdict, answer, verdict)

    def show_verdict(self, answer: str, verdict: Verdict) -> None:
        self.query_one(".checking").display = False
        shown = self.query_one(".verdict", Static)
        show(shown, verdict_text(verdict))
        self.call_after_refresh(shown.scroll_visible, animate=False)
        self.post_message(AnswerChecked(self.exercise, self.part.key, answer, verdict))


class AnswerRow(_Row):
    """One answer box (an exercise, or one part of it) with its reading and verdict."""

    def __init__(self, exercise: Exercise, part: ExercisePart, draft: str, solved: bool) -> None:
        super().__init__(exercise, part, draft, solved)
        self._preview = _Pending()
        self._draft = _Pending()

    def compose(self) -> ComposeResult:
        yield from self.compose_prompt()
        placeholder = {"numeric": "a number, e.g. 0.5 or 3e", "vector": "[a, b, ...]",
                       "matrix": "[[a, b], [c, d]]"}.get(self.part.spec.kind, "your answer")
        yield Input(self.draft, placeholder=placeholder, id=f"answer-{self.part.key or 'main'}")
        yield Static("", classes="reading")
        yield from self.compose_verdict()

    def on_mount(self) -> None:
        super().on_mount()
        if self.draft:
            self.request_preview(self.draft)

    # -- live reading ---------------------------------------------------------------------------------
    @on(Input.Changed)
    def typed(self, event: Input.Changed) -> None:
        event.stop()
        for pending, delay, action in ((self._preview, PREVIEW_DELAY_S, self.request_preview),
                                       (self._draft, DRAFT_DELAY_S, self.save_draft)):
            if pending.timer is not None:
                pending.timer.stop()
            pending.timer = self.set_timer(delay, lambda a=action, v=event.value: a(v))

    def request_preview(self, text: str) -> None:
        if not text.strip():
            show(self.query_one(".reading", Static), "")
            return
        self.preview(text)

    @background(group="preview", exclusive=True)
    def preview(self, text: str) -> None:
        verdict = self.app.checker.preview(text, self.part.spec.declared if self.part.spec.kind not in
                                           ("numeric",) else ())
        if self.query_one(Input).value == text:  # skip readings of text already replaced
            self.app.call_from_thread(show, self.query_one(".reading", Static), reading_text(verdict))

    def save_draft(self, text: str) -> None:
        self._draft.timer = None
        self.post_message(DraftChanged(self.exercise, self.part.key, text))

    def take_pending_draft(self) -> str | None:
        """The typed text not yet saved, if any; the caller writes it (on quit, a page change...)."""
        if self._draft.timer is None:
            return None
        self._draft.timer.stop()
        self._draft.timer = None
        return self.query_one(Input).value

    # -- checking -------------------------------------------------------------------------------------
    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        pending = self.take_pending_draft()
        if pending is not None:
            self.save_draft(pending)
        self.run_check(event.value)

    def run_check(self, answer: str) -> None:
        self.start_check(answer)

    def show_verdict(self, answer: str, verdict: Verdict) -> None:
        if verdict.interpreted or verdict.pretty:
            show(self.query_one(".reading", Static), reading_text(verdict))
        super().show_verdict(answer, verdict)


class ChoiceRow(_Row):
    """A choice: arrow keys or number keys pick, Enter or the Check button checks."""

    def __init__(self, exercise: Exercise, part: ExercisePart, draft: str, solved: bool) -> None:
        super().__init__(exercise, part, draft, solved)
        self._ready = False  # a saved pick restored on mount is not a new answer

    def compose(self) -> ComposeResult:
        yield from self.compose_prompt()
        with RadioSet(id=f"choice-{self.part.key or 'main'}"):
            for index, option in enumerate(self.part.spec.options):
                letter = chr(ord("a") + index)
                yield RadioButton(f"({letter}) {option}", value=self.draft == letter)
        yield from self.compose_verdict()

    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(setattr, self, "_ready", True)

    @property
    def picked(self) -> str | None:
        index = self.query_one(RadioSet).pressed_index
        return None if index < 0 else chr(ord("a") + index)

    def pick(self, index: int) -> None:
        buttons = list(self.query(RadioButton))
        if 0 <= index < len(buttons):
            buttons[index].value = True

    @on(RadioSet.Changed)
    def changed(self, event: RadioSet.Changed) -> None:
        # Picking an option (Enter, Space, a number key or a click) is the answer: check it.
        event.stop()
        if self._ready and self.picked is not None:
            self.post_message(DraftChanged(self.exercise, self.part.key, self.picked))
            self.run_check()

    def take_pending_draft(self) -> str | None:
        """Choices are saved the moment they change."""
        return None

    def run_check(self, _answer: str = "") -> None:
        picked = self.picked
        if picked is None:
            show(self.query_one(".verdict", Static), Text("Pick an option first (arrow keys or 1–9).", "italic"))
            return
        self.start_check(picked)


class ExerciseCard(Vertical, can_focus=False):
    BINDINGS = [
        Binding("f2", "hint", "Hint", id="hint"),
        Binding("f3", "reveal", "Solution", id="reveal"),
        Binding("f4", "plot_answer", "Plot my answer", id="plot-answer"),
        Binding("enter", "check", "Check", show=False),
        *[Binding(str(n), f"pick({n - 1})", show=False) for n in range(1, 10)],
    ]

    def __init__(self, exercise: Exercise, record: ExerciseProgress) -> None:
        super().__init__(classes="exercise", id=f"ex-{exercise.id.replace('/', '-')}")
        self.exercise = exercise
        self.record = record
        self.hints_shown = record.hints_used

    def compose(self) -> ComposeResult:
        yield Static(self._title(), classes="exercise-title")
        yield Markdown(self.exercise.prompt, classes="prompt")
        for part in self.exercise.parts:  # the answer kinds only: the others have cards of their own
            draft = self.record.drafts.get(part.key, "")
            solved = self.record.solved or part.key in self.record.parts_solved
            row_type = ChoiceRow if part.spec.kind == "choice" else AnswerRow
            yield row_type(self.exercise, part, draft, solved)
        with Horizontal(classes="card-buttons"):
            yield Button("Check ⏎", id="check", variant="primary", compact=True)
            yield Button("Hint F2", id="hint", compact=True)
            yield Button("Solution F3", id="reveal", compact=True)
        yield Static(hints_text(self.exercise.hints, self.hints_shown), classes="hints")
        yield Markdown(self.exercise.solution if self.record.revealed else "", classes="solution")

    def on_mount(self) -> None:
        self.query_one(".hints").display = self.hints_shown > 0
        self.query_one(".solution").display = self.record.revealed

    def _title(self) -> Text:
        glyph, word = EXERCISE_GLYPHS.get(self.record.status, ("·", "new"))
        return Text.assemble((f"{glyph} ", "bold"), ("Exercise ", "bold"), self.exercise.id,
                             (f"  · {self.exercise.kind} · {word}", "dim"))

    # -- attributes down -------------------------------------------------------------------------------
    def update_record(self, record: ExerciseProgress) -> None:
        self.record = record
        self.query_one(".exercise-title", Static).update(self._title())

    def show_solution(self) -> None:
        solution = self.query_one(".solution", Markdown)
        solution.update(self.exercise.solution)
        solution.display = True

    # -- rows -------------------------------------------------------------------------------------------
    def rows(self) -> list[AnswerRow | ChoiceRow]:
        return list(self.query(AnswerRow)) + list(self.query(ChoiceRow))

    def focused_row(self) -> AnswerRow | ChoiceRow | None:
        focused = self.app.focused
        for row in self.rows():
            if focused is not None and (focused is row or row in focused.ancestors):
                return row
        rows = self.rows()
        return rows[0] if rows else None

    def focus_answer(self) -> None:
        rows = self.rows()
        if rows:
            target = rows[0].query_one(Input) if isinstance(rows[0], AnswerRow) else rows[0].query_one(RadioSet)
            target.focus()

    def pending_drafts(self) -> list[tuple[str, str]]:
        """(part key, text) for every answer box typed in but not saved yet."""
        out = []
        for row in self.rows():
            text = row.take_pending_draft()
            if text is not None:
                out.append((row.key, text))
        return out

    # -- actions ----------------------------------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.has_class("plot-answer"):
            self.toggle_plot(next(a for a in event.button.ancestors if isinstance(a, AnswerRow)))
            return
        {"check": self.action_check, "hint": self.action_hint, "reveal": self.action_reveal}[event.button.id]()

    def action_check(self) -> None:
        row = self.focused_row()
        if row is None:
            return
        if isinstance(row, AnswerRow):
            pending = row.take_pending_draft()
            if pending is not None:
                row.save_draft(pending)
            row.run_check(row.query_one(Input).value)
        else:
            row.run_check()

    def action_pick(self, index: int) -> None:
        row = self.focused_row()
        if isinstance(row, ChoiceRow):
            row.pick(index)

    def action_hint(self) -> None:
        show_next_hint(self)

    # -- the learner's answer against the truth (after a wrong answer) ---------------------------------
    def on_answer_checked(self, event: AnswerChecked) -> None:
        """Not stopped: the screen records it too."""
        row = next((r for r in self.rows() if r.key == event.part and isinstance(r, AnswerRow)), None)
        if row is None or event.verdict.status == "invalid":
            return  # an answer that could not be read leaves the last plot as it was
        wrong = event.verdict.status == "incorrect"
        row.plot_factory = answer_plot(row.part.spec, event.answer) if wrong else None
        shown = row.query(".answer-plot")
        if shown:
            shown.remove()
            if row.plot_factory is not None:
                self._mount_plot(row)  # the plot follows the newest wrong answer
        buttons = row.query(".plot-answer")
        if row.plot_factory is None:
            buttons.remove()
        elif not buttons:
            row.mount(Button("Plot my answer against the truth F4", compact=True, classes="plot-answer"),
                      after=row.query_one(".verdict"))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "plot_answer":
            return any(row.plot_factory for row in self.rows())
        return True

    def action_plot_answer(self) -> None:
        row = self.focused_row()
        if row is None or not row.plot_factory:
            row = next((r for r in self.rows() if r.plot_factory), None)
        if row is not None:
            self.toggle_plot(row)

    def toggle_plot(self, row: AnswerRow) -> None:
        shown = row.query(".answer-plot")
        if shown:
            shown.remove()
        elif row.plot_factory is not None:
            self._mount_plot(row)

    def _mount_plot(self, row: AnswerRow) -> None:
        from tutor.ui.widgets.plot_view import InteractivePlot

        plot = InteractivePlot(row.plot_factory, classes="answer-plot")
        row.mount(plot, after=row.query_one(".plot-answer"))
        self.call_after_refresh(plot.scroll_visible, animate=False)

    def action_reveal(self) -> None:
        if self.query_one(".solution").display:
            return
        self.post_message(RevealAsked(self.exercise))
