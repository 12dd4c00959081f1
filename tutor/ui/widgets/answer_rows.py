"""Answer rows of an exercise card: a typed answer (with its live reading) or a choice.

A row's view follows its state: `verdict` is the verdict of the answer in the box, and is
cleared the moment the box holds something else, so an old verdict (or "✓ Solved.", or the
"plot my answer" button) never sits beside a new draft.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Button, Input, LoadingIndicator, RadioButton, RadioSet, Static

from tutor.checking.spec import precision_note
from tutor.checking.verdict import Verdict
from tutor.lessons.model import Exercise, ExercisePart
from tutor.plots.answer_spec import plottable
from tutor.ui.background import background
from tutor.ui.widgets.accessibility import accessible, follow_accessible
from tutor.ui.widgets.card import reveal, show
from tutor.ui.widgets.card_messages import AnswerChecked, DraftChanged

PREVIEW_DELAY_S = 0.25
DRAFT_DELAY_S = 0.6
PLACEHOLDERS = {"numeric": "a number, e.g. 0.5 or 3e-4", "vector": "[a, b, ...]", "matrix": "[[a, b], [c, d]]"}


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


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
        body = _sentence(verdict.message)
    text = Text.assemble(head, body)
    if verdict.extra.get("caret"):
        text.append("\n" + verdict.extra["caret"], style="bold")
    for entry in verdict.entries:
        mark = "✓" if entry.correct else "✗"
        where = "entry " + ", ".join(str(i + 1) for i in entry.index)
        message = entry.message
        if message.lower().startswith(where):  # the checker already names the entry
            line = f"\n  {mark} {message}"
        else:
            line = f"\n  {mark} {where}" + (f": {message}" if message else "")
        text.append(line)
    return text


def reading_text(verdict: Verdict, words: bool = False) -> Text:
    """'read as' with the 2-D form (and, with `words`, the same reading said on one line), or the
    syntax error with a caret."""
    if verdict.status == "invalid":
        if not verdict.message:
            return Text("")
        text = Text.assemble(("! ", "bold yellow"), _sentence(verdict.message))
        if verdict.extra.get("caret"):
            text.append("\n" + verdict.extra["caret"])
        return text
    text = Text("read as:\n", style="dim")
    text.append(verdict.pretty or verdict.interpreted)
    if words and verdict.words:
        text.append("\nin words: ", style="dim")
        text.append(verdict.words)
    for note in verdict.notes:
        text.append(f"\n· {note}", style="italic")
    return text


class AnswerInput(Input):
    """An Input whose own editing keys (Ctrl+U, Backspace, Enter...) run in order with typing.

    Textual inserts printable keys in the Input's `_on_key`, but runs bound keys only once the
    key event has bubbled up to the app, so under fast input (a paste-like burst, a loaded
    machine) `Ctrl+U 7016 Enter` could clear after some digits were typed and check an empty
    box or "70" (Textual issue #6605). Running the Input's own bindings here keeps the order."""

    async def _on_key(self, event: events.Key) -> None:
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return
        await super()._on_key(event)


class Row(Vertical):
    """What every answer row shares: its part, the check in a worker, and the verdict view."""

    verdict: reactive[Verdict | None] = reactive(None, init=False, always_update=True)
    checking: reactive[bool] = reactive(False, init=False)
    solved_note: reactive[bool] = reactive(False, init=False)  # "✓ Solved." beside the saved answer

    def __init__(self, exercise: Exercise, part: ExercisePart, draft: str, solved: bool) -> None:
        super().__init__(classes="answer-row")
        self.exercise = exercise
        self.part = part
        self.draft = draft
        self.set_reactive(Row.solved_note, solved)
        self.checked_answer = draft  # the answer the verdict (or the solved note) is about

    @property
    def key(self) -> str:
        return self.part.key

    def compose_prompt(self) -> ComposeResult:
        if self.part.key:
            yield Static(Text(f"({self.part.key}) {self.part.prompt}"), classes="part-prompt")

    def compose_verdict(self) -> ComposeResult:
        yield LoadingIndicator(classes="checking")
        yield Static("", classes="verdict")

    def on_mount(self) -> None:
        self.query_one(".checking").display = False
        self._draw_verdict()
        reading = self.query(".reading")
        if reading:
            reading.first().display = False

    # -- the view follows the state -------------------------------------------------------------------
    def watch_verdict(self, _verdict: Verdict | None) -> None:
        self._draw_verdict()

    def watch_checking(self, _checking: bool) -> None:
        self._draw_verdict()

    def watch_solved_note(self, _solved: bool) -> None:
        self._draw_verdict()

    def _draw_verdict(self) -> None:
        self.query_one(".checking").display = self.checking
        shown = self.query_one(".verdict", Static)
        if self.checking:
            show(shown, Text("checking…", style="italic"))
        elif self.verdict is not None:
            show(shown, verdict_text(self.verdict))
        elif self.solved_note:
            show(shown, Text("✓ Solved.", style="bold"))
        else:
            show(shown, "")

    def forget_verdict(self) -> None:
        """The box no longer holds the checked answer: nothing about that answer stays shown."""
        self.checking = False
        self.solved_note = False
        self.verdict = None

    # -- checking -------------------------------------------------------------------------------------
    def worker_failed(self, _error: BaseException) -> None:
        self.checking = False
        show(self.query_one(".verdict", Static), Text("The check failed; try again.", style="italic"))

    def start_check(self, answer: str) -> None:
        self.checked_answer = answer
        self.solved_note = False
        self.checking = True
        reveal(self.query_one(".verdict"))
        self.check(answer)

    @background(group="check", exclusive=True)
    def check(self, answer: str) -> None:
        verdict = self.app.checker.check(self.part.spec, answer)
        self.app.call_from_thread(self.show_verdict, answer, verdict)

    def current_answer(self) -> str:
        raise NotImplementedError

    def show_verdict(self, answer: str, verdict: Verdict) -> None:
        if answer != self.current_answer():
            return  # typed over while it was checked: that verdict is about text no longer there
        self.checking = False
        self.verdict = verdict
        reveal(self.query_one(".verdict"))
        self.post_message(AnswerChecked(self.exercise, self.part.key, answer, verdict))


class AnswerRow(Row):
    """One answer box (an exercise, or one part of it) with its reading and verdict."""

    def __init__(self, exercise: Exercise, part: ExercisePart, draft: str, solved: bool) -> None:
        super().__init__(exercise, part, draft, solved)
        self._preview_timer: Timer | None = None
        self._draft_timer: Timer | None = None
        self._reading: Verdict | None = None  # the reading on show, redrawn when the accessible mode changes

    def compose(self) -> ComposeResult:
        yield from self.compose_prompt()
        placeholder = PLACEHOLDERS.get(self.part.spec.kind, "your answer")
        precision = precision_note(self.part.spec)
        if precision:
            yield Static(Text(f"Give numbers {precision}.", style="dim"), classes="precision")
        yield AnswerInput(self.draft, placeholder=placeholder, id=f"answer-{self.part.key or 'main'}")
        yield Static("", classes="reading")
        yield from self.compose_verdict()

    @property
    def box(self) -> AnswerInput:
        return self.query_one(AnswerInput)

    def current_answer(self) -> str:
        return self.box.value

    def on_mount(self) -> None:
        super().on_mount()
        follow_accessible(self, self._accessible_changed)
        if self.draft:
            self.request_preview(self.draft)

    def _accessible_changed(self, _accessible: bool) -> None:
        if self._reading is not None:
            self._show_reading_of(self._reading)

    def _show_reading_of(self, verdict: Verdict | None) -> None:
        """The reading under the box: the verdict's, or nothing."""
        self._reading = verdict
        content = reading_text(verdict, words=accessible(self)) if verdict is not None else ""
        show(self.query_one(".reading", Static), content)

    # -- live reading ---------------------------------------------------------------------------------
    @on(Input.Changed)
    def typed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value != self.checked_answer:
            self.forget_verdict()
        for name, delay, action in (("_preview_timer", PREVIEW_DELAY_S, self.request_preview),
                                    ("_draft_timer", DRAFT_DELAY_S, self.save_draft)):
            timer = getattr(self, name)
            if timer is not None:
                timer.stop()
            setattr(self, name, self.set_timer(delay, lambda a=action, v=event.value: a(v)))

    def request_preview(self, text: str) -> None:
        self._preview_timer = None
        if not text.strip():
            self._show_reading_of(None)
            return
        self.preview(text)

    @background(group="preview", exclusive=True)
    def preview(self, text: str) -> None:
        declared = self.part.spec.declared if self.part.spec.kind != "numeric" else ()
        verdict = self.app.checker.preview(text, declared)
        self.app.call_from_thread(self._show_reading, text, verdict)

    def _show_reading(self, text: str, verdict: Verdict) -> None:
        if self.box.value == text and not (self.verdict is not None and self.verdict.status == "invalid"):
            self._show_reading_of(verdict)

    def save_draft(self, text: str) -> None:
        self._draft_timer = None
        self.post_message(DraftChanged(self.exercise, self.part.key, text))

    def take_pending_draft(self) -> str | None:
        """The typed text not yet saved, if any; the caller writes it (on quit, a page change...)."""
        if self._draft_timer is None:
            return None
        self._draft_timer.stop()
        self._draft_timer = None
        return self.box.value

    # -- checking -------------------------------------------------------------------------------------
    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.run_check(event.value)

    def run_check(self, answer: str | None = None) -> None:
        answer = self.box.value if answer is None else answer
        pending = self.take_pending_draft()
        if pending is not None:
            self.save_draft(pending)
        self.start_check(answer)

    def watch_verdict(self, verdict: Verdict | None) -> None:
        super().watch_verdict(verdict)
        self._update_plot_offer()
        if verdict is None:
            return
        if verdict.status == "invalid":
            self._show_reading_of(None)  # the verdict says why, once
        elif verdict.interpreted or verdict.pretty:
            self._show_reading_of(verdict)

    # -- the learner's answer against the truth (after a wrong answer) ---------------------------------
    @property
    def can_plot(self) -> bool:
        """A wrong answer is in the box and this part has a curve to compare it with."""
        if self.verdict is None or self.verdict.status != "incorrect":
            return False
        return plottable(self.part.spec)

    def _update_plot_offer(self) -> None:
        # Whatever answer the plot or its button were about is gone once the verdict changes.
        self.query(".answer-plot").remove()
        buttons = self.query(".plot-answer")
        if not self.can_plot:
            buttons.remove()
        elif not buttons:
            self.mount(Button("Plot my answer against the truth F4", compact=True, classes="plot-answer"),
                       after=self.query_one(".verdict"))
        self.screen.refresh_bindings()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.has_class("plot-answer"):
            event.stop()
            self.toggle_plot()

    def toggle_plot(self) -> None:
        shown = self.query(".answer-plot")
        if shown:
            shown.remove()
            return
        if not self.can_plot:
            return
        from tutor.plots.interactive.answer import answer_against_truth
        from tutor.ui.widgets.plot_view import InteractivePlot

        spec, answer = self.part.spec, self.checked_answer
        plot = InteractivePlot(lambda: answer_against_truth(spec, answer), classes="answer-plot")
        self.mount(plot, after=self.query_one(".plot-answer"))
        reveal(plot)


class ChoiceRow(Row):
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

    def current_answer(self) -> str:
        return self.picked or ""

    def pick(self, index: int) -> None:
        buttons = list(self.query(RadioButton))
        if 0 <= index < len(buttons):
            buttons[index].value = True

    @on(RadioSet.Changed)
    def changed(self, event: RadioSet.Changed) -> None:
        # Picking an option (Enter, Space, a number key or a click) is the answer: check it.
        event.stop()
        if self._ready and self.picked is not None:
            self.forget_verdict()
            self.post_message(DraftChanged(self.exercise, self.part.key, self.picked))
            self.run_check()

    def take_pending_draft(self) -> str | None:
        """Choices are saved the moment they change."""
        return None

    def run_check(self, _answer: str | None = None) -> None:
        picked = self.picked
        if picked is None:
            show(self.query_one(".verdict", Static), Text("Pick an option first (arrow keys or 1–9).", "italic"))
            return
        self.start_check(picked)
