"""Spaced review with FSRS (the `fsrs` package), one card per exercise family, replayed from the
learner's verified outcomes.

The lesson itself is the learning step: a first-try solve in a lesson graduates at once and is
not asked again the same day (no learning steps), and a failed or revealed exercise comes back
sooner than a solved one (FSRS's Again). A failure in a review comes back in the same sitting
(one short relearning step).

Implicit credit, after Math Academy's "fractional implicit repetition": solving an exercise in a
lesson also exercises what that lesson builds on, so each success adds a fraction of a review to
the cards of the lesson's prerequisites (half for a direct prerequisite, a quarter one level
further, halved again when the solve needed help). When a card's credit reaches one whole
review, FSRS records a Good review for it at that moment: the learner drills those basics less.
Only cards already in review are credited: implicit credit never replaces learning something.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from fsrs import Card, Rating, Scheduler, State

from tutor.practice.episodes import Outcome
from tutor.practice.rating import rate, success
from tutor.practice.shape import CourseShape

SCHEDULER = Scheduler(
    desired_retention=0.9,
    learning_steps=(),  # the lesson was the learning: Good graduates at once (due in days)
    relearning_steps=(timedelta(minutes=10),),  # a lapse in a review comes back in the same sitting
    enable_fuzzing=False,  # a verdict replayed from the same history gives the same schedule
)
CREDIT_BY_DEPTH = (0.5, 0.25)  # direct prerequisite, then one level further
HELPED_FACTOR = 0.5  # a Hard success passes on half as much


@dataclass(frozen=True)
class Review:
    """One FSRS review of a card: from an outcome, or implicit credit reaching a whole review."""

    exercise: str
    time: datetime
    rating: Rating
    implicit: bool = False
    in_review_session: bool = False


@dataclass
class Deck:
    cards: dict[str, Card] = field(default_factory=dict)
    credit: dict[str, float] = field(default_factory=dict)
    reviews: list[Review] = field(default_factory=list)

    def due(self, now: datetime) -> list[tuple[str, datetime]]:
        """Every card due at `now`, the longest overdue first."""
        found = [(ex, card.due) for ex, card in self.cards.items() if card.due <= now]
        return sorted(found, key=lambda item: (item[1], item[0]))

    def due_between(self, start: datetime, end: datetime) -> list[tuple[str, datetime]]:
        return sorted(((ex, c.due) for ex, c in self.cards.items() if start <= c.due < end), key=lambda i: i[1])

    def retrievability(self, exercise: str, now: datetime) -> float | None:
        card = self.cards.get(exercise)
        return None if card is None else SCHEDULER.get_card_retrievability(card, now)


def card_id(exercise: str) -> int:
    """A stable id per family, so a replayed deck is the same deck."""
    return int.from_bytes(hashlib.sha256(exercise.encode()).digest()[:6], "big")


def build_deck(outcomes: Iterable[Outcome], shape: CourseShape) -> Deck:
    """Replay every outcome in time order into FSRS cards, with implicit credit."""
    deck = Deck()
    for outcome in sorted(outcomes, key=lambda o: (o.ended, o.exercise)):
        if not shape.reviewable(outcome.exercise):
            continue
        rating = rate(outcome, shape.kind_of(outcome.exercise))
        _review(deck, outcome.exercise, rating, outcome.ended, implicit=False, session=outcome.review)
        if success(rating):
            _credit_prerequisites(deck, outcome.exercise, rating, outcome.ended, shape)
    return deck


def _review(deck: Deck, exercise: str, rating: Rating, when: datetime, *, implicit: bool, session: bool) -> None:
    card = deck.cards.get(exercise) or Card(card_id=card_id(exercise))
    card, _log = SCHEDULER.review_card(card, rating, review_datetime=when)
    deck.cards[exercise] = card
    deck.reviews.append(Review(exercise, when, rating, implicit, session))


def _credit_prerequisites(deck: Deck, exercise: str, rating: Rating, when: datetime, shape: CourseShape) -> None:
    factor = HELPED_FACTOR if rating == Rating.Hard else 1.0
    for lesson, depth in shape.prerequisites(shape.lesson_of(exercise), len(CREDIT_BY_DEPTH)).items():
        amount = CREDIT_BY_DEPTH[depth - 1] * factor
        for other in shape.exercises_of(lesson):
            card = deck.cards.get(other)
            if card is None or card.state == State.Learning:
                continue  # never seen, or still being learnt: credit does not replace learning
            total = deck.credit.get(other, 0.0) + amount
            if total >= 1.0:
                _review(deck, other, Rating.Good, when, implicit=True, session=False)
                total -= 1.0
            deck.credit[other] = total
