"""A review session: the due cards one at a time, mixed across lessons and bounded by the daily
size (the practice service decides the queue). Each card starts fresh (a review asks again; it
does not show the lesson's old answers), as a variant the learner has not had when the exercise
has variants; the screen records `shown` when it serves a card, then every answer, hint and
reveal, marked as review work and naming the variant, through the app's one writer."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tutor.progress import model
from tutor.progress.model import practice_event
from tutor.ui.widgets.card_messages import AnswerChecked, DraftChanged, HintShown, RevealAsked
from tutor.ui.widgets.segments import card_class


class ReviewScreen(Screen):
    BINDINGS = [
        Binding("f6", "next_card", "Next card", id="next-card", priority=True),
        Binding("escape", "leave", "Back", id="leave-review"),
    ]

    def __init__(self, queue: list[str], seeds: Mapping[str, set[int]] | None = None) -> None:
        """`seeds`: exercise -> the variants its practice events name, so a fresh one is served."""
        super().__init__()
        self.queue = list(queue)
        self.seeds = seeds or {}
        self.index = -1
        self.finished: set[str] = set()  # cards solved or revealed in this session
        self._parts_right: set[str] = set()
        # This sitting's record of the card on screen (its title says attempted, solved...): the
        # lesson's old answers are not shown, and nothing here is saved but through the writer.
        self._sitting = model.new_profile("review")

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="review-status")
        yield VerticalScroll(id="review-card")
        yield Static("", id="review-note")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Review"
        self.action_next_card()

    @property
    def current(self) -> str | None:
        return self.queue[self.index] if 0 <= self.index < len(self.queue) else None

    def action_next_card(self) -> None:
        """The next card of the queue (the current one stays unfinished if skipped)."""
        session = self.app.session
        holder = self.query_one("#review-card", VerticalScroll)
        holder.remove_children()
        self._parts_right = set()
        self.index += 1
        exercise_id = self.current
        found = session.find_exercise(exercise_id) if exercise_id else None
        if exercise_id is None:
            done = len(self.finished)
            self.query_one("#review-status", Static).update(
                f"Review done: {done} card{'s' if done != 1 else ''} answered. Esc goes back to the course map.")
            self.query_one("#review-note", Static).update("")
            return
        if found is None:  # gone from the course since it was scheduled
            self.action_next_card()
            return
        lesson, _page, written = found
        exercise = session.review_variant(written, self.seeds.get(written.id, ()))
        fresh = " · fresh numbers" if exercise.seed else ""
        self.query_one("#review-status", Static).update(
            f"Review {self.index + 1} of {len(self.queue)} · from {lesson.title}{fresh}")
        self.query_one("#review-note", Static).update("F6 skips to the next card.")
        self._sitting = model.new_profile("review")
        card = card_class(exercise.kind)(exercise, self._sitting.exercise(exercise.id))
        card.offers_another = False
        holder.mount(card)
        self.app.save(session.record_shown, exercise)
        self.call_after_refresh(card.focus_answer)

    def _finish(self, exercise_id: str, words: str) -> None:
        self.finished.add(exercise_id)
        last = self.index + 1 >= len(self.queue)
        self.query_one("#review-note", Static).update(f"{words} F6: {'finish' if last else 'next card'}.")

    # -- what the card tells us ----------------------------------------------------------------------
    def on_answer_checked(self, event: AnswerChecked) -> None:
        event.stop()
        session = self.app.session
        self.app.save_answer(partial(session.record_verdict, review=True), event.exercise, event.part, event.answer,
                             event.verdict)
        keys = tuple(p.key for p in event.exercise.parts) or ("",)
        if event.verdict.status in ("correct", "incorrect"):
            self._show_sitting(model.apply_attempt(self._sitting, event.exercise.id, event.answer, event.verdict.status,
                                                   part=event.part, parts=keys, seed=event.exercise.seed))
        if practice_event(event.verdict.status, event.part, keys, self._parts_right) == "correct":
            self._finish(event.exercise.id, "Correct.")
        if event.verdict.correct:
            self._parts_right.add(event.part)  # this sitting's: the lesson's old answers do not count

    def on_draft_changed(self, event: DraftChanged) -> None:
        event.stop()  # a review answer is not the lesson's draft

    def on_hint_shown(self, event: HintShown) -> None:
        event.stop()
        self.app.save(partial(self.app.session.record_hint, review=True), event.exercise, event.rung)
        self._show_sitting(model.apply_hint(self._sitting, event.exercise.id, event.rung))

    def on_reveal_asked(self, event: RevealAsked) -> None:
        event.stop()
        exercise = event.exercise
        for card in self.query_one("#review-card").children:
            show = getattr(card, "show_solution", None)
            if show is not None:
                show()
        self.app.save(partial(self.app.session.record_reveal, review=True), exercise)
        self._show_sitting(model.apply_reveal(self._sitting, exercise.id))
        self._finish(exercise.id, "Solution shown: this card comes back soon.")

    def _show_sitting(self, record) -> None:
        for card in self.query_one("#review-card").children:
            update = getattr(card, "update_record", None)
            if update is not None:
                update(record)

    def action_leave(self) -> None:
        self.dismiss()
