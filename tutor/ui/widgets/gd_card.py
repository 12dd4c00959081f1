"""A gd exercise: the gradient-descent playground. The learner changes the setting with keys
(on the figure) or types it, sees the run live, and checks the setting like any answer.

The domain does the work (tutor.gd: the simulation, the feedback, the figure); the figure runs
in the InteractivePlot's worker thread, and Check runs `check_gd` in a worker of its own. The
chrome (title and status, hint ladder, solution, record updates) is the card base's.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Input, Static
from textual.worker import get_current_worker

from tutor.lessons.model import Exercise
from tutor.progress.model import ExerciseProgress
from tutor.ui.background import background
from tutor.ui.widgets.card import Card, show
from tutor.ui.widgets.card_messages import AnswerChecked, DraftChanged
from tutor.ui.widgets.plot_view import InteractivePlot, PlotView

PANELS = 2


def playground_plot(data: dict, **kwargs) -> InteractivePlot:
    """A free playground in a lesson: a plot block with `interactive: gd-playground`."""

    def factory():
        from tutor.gd.figure import playground_from_block

        return playground_from_block(data)

    return InteractivePlot(factory, panels=PANELS, **kwargs)


class GdCard(Card):
    DEFAULT_CSS = """
    GdCard .gd-setting { height: auto; }
    GdCard .gd-label { width: auto; height: 3; content-align: left middle; }
    GdCard .gd-input { width: 1fr; }
    """
    BINDINGS = [Binding("f5", "check", "Check", id="check-gd")]

    def __init__(self, exercise: Exercise, record: ExerciseProgress) -> None:
        super().__init__(exercise, record)
        self.checking = False
        self._shown_text = ""  # what the figure last wrote into the box (not the learner's typing)
        self.plot = InteractivePlot(self._model, panels=PANELS, classes="gd-plot")

    # -- the body: the playground --------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        yield self.plot
        with Horizontal(classes="gd-setting"):
            yield Static("Setting: ", classes="gd-label")
            yield Input(self._initial_text(), placeholder="type a setting, e.g. 0.01 or beta=0.9; Enter checks it",
                        classes="gd-input")
        yield Static(Text("✓ Solved." if self.record.solved else "", style="bold"), classes="verdict")

    def compose_buttons(self) -> ComposeResult:
        yield Button("Check F5", id="check", variant="primary", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        verdict = self.query_one(".verdict", Static)
        verdict.display = bool(str(verdict.render()))

    def _initial_text(self) -> str:
        """The saved draft; else the last setting checked; else empty (the model's start shows)."""
        return self.record.drafts.get("") or (self.record.attempts[-1].answer if self.record.attempts else "")

    def _model(self):
        """Built in the figure's worker: the playground, at the learner's last setting if readable."""
        from tutor.gd.figure import exercise_playground
        from tutor.gd.judge import SettingError, read_setting

        model = exercise_playground(self.exercise.data)
        text = self._initial_text()
        if text:
            try:
                model.set_setting(read_setting(model.setup, text))
            except SettingError:
                pass  # an unreadable draft stays in the box; the figure starts where the block says
        return model

    @property
    def model(self):
        return self.plot.model

    def setting_text(self) -> str:
        """The figure's current setting, as the learner would type it."""
        from tutor.gd.judge import as_answer

        return as_answer(self.model.setting()) if self.model is not None else ""

    @on(PlotView.Drawn)
    def _drawn(self, event: PlotView.Drawn) -> None:
        # Keys changed the setting: the box follows, unless the learner is typing in it.
        box = self.query_one(".gd-input", Input)
        # Only while the box still shows what the figure last put there: a learner's own text
        # (typed, or pasted before focus arrived) is never overwritten by a redraw.
        if self.model is not None and not box.has_focus and box.value in ("", self._shown_text):
            text = self.setting_text()
            if text and text != box.value:
                with box.prevent(Input.Changed):
                    box.value = text
                self._shown_text = text

    # -- typing and checking ---------------------------------------------------------------------------
    def focus_answer(self) -> None:
        self.plot.focus()

    @on(Input.Changed, ".gd-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.draft_typed()

    def draft_text(self) -> str:
        return self.query_one(".gd-input", Input).value

    @on(Input.Submitted, ".gd-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_check(event.value)

    def action_check(self, typed: str | None = None) -> None:
        """Check what is typed (Enter in the box), or the figure's setting (F5, the button)."""
        if self.checking:
            self.notify("Still simulating your last setting.")
            return
        answer = typed.strip() if typed is not None else self.setting_text()
        if not answer:
            answer = self.query_one(".gd-input", Input).value.strip()
        if not answer:
            self.notify("Choose a setting first: keys on the figure, or type it.")
            return
        for part_key, text in self.pending_drafts():
            self.post_message(DraftChanged(self.exercise, part_key, text))
        self.checking = True
        show(self.query_one(".verdict", Static), Text("simulating…", style="italic"))
        self._check(answer)

    @background(group="gd-check", exclusive=True)
    def _check(self, answer: str) -> None:
        from tutor.gd.exercise import check_gd, exercise_setup
        from tutor.gd.judge import SettingError, read_setting

        verdict = check_gd(self.exercise.data, answer)
        setting = None
        # The figure's model may still be in its first drawing: the block gives the same setup.
        setup = self.model.setup if self.model is not None else exercise_setup(self.exercise.data)[0]
        if verdict.status != "invalid" and setup is not None:
            try:
                setting = read_setting(setup, answer)
            except SettingError:
                setting = None
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_verdict, answer, verdict, setting)

    def _show_verdict(self, answer: str, verdict, setting) -> None:
        self.checking = False
        head = {"correct": ("✓ Correct. ", "bold green"), "incorrect": ("✗ Not yet. ", "bold red")}.get(
            verdict.status, ("! ", "bold yellow"))
        text = Text.assemble(head, verdict.message)
        if verdict.status == "correct":
            text.append("\n✓ Solved.", style="bold")
        show(self.query_one(".verdict", Static), text)
        box = self.query_one(".gd-input", Input)
        if box.value != answer and verdict.status != "invalid":
            with box.prevent(Input.Changed):
                box.value = answer
            self._shown_text = answer
        if setting is not None:
            self._show_setting(setting)
        self.post_message(AnswerChecked(self.exercise, "", answer, verdict))

    def _show_setting(self, setting: dict) -> None:
        """Move the figure to a typed setting, so the picture shows what was checked."""
        self.plot.change(lambda model: model.set_setting(setting))
