"""What a finished lesson's celebration says: the XP it earned, the achievements that finish
earned, the lessons it unlocked (all of their prerequisites now solved), and what to do next."""

from __future__ import annotations

from dataclasses import dataclass

from tutor.practice.achievements import earned_at
from tutor.practice.progress import PROFICIENT, MASTERED
from tutor.practice.service import Practice


@dataclass(frozen=True)
class Celebration:
    lesson: str
    title: str
    xp: int  # earned in the lesson
    level: str  # the lesson's mastery now
    unlocked: tuple[str, ...]  # titles of lessons whose prerequisites are now all done
    next_step: str
    achievements: tuple[str, ...] = ()  # titles of the achievements the finishing solve earned

    def lines(self) -> list[str]:
        out = [f"You earned {self.xp} XP in this lesson; it is now {self.level}."]
        out.extend(f"★ Achievement: {title}" for title in self.achievements)
        if self.unlocked:
            out.append("Unlocked: " + ", ".join(self.unlocked) + ".")
        out.append(f"Next: {self.next_step}")
        return out


def celebration(game: Practice, lesson: str, unsolved: list[str]) -> Celebration:
    shape = game.shape
    ready = (PROFICIENT, MASTERED)

    def done(other: str) -> bool:
        return game.mastery[other].level in ready

    unlocked = tuple(shape.lesson_title.get(other, other) for other in shape.lessons
                     if lesson in shape.requires.get(other, ()) and not done(other)
                     and all(done(r) for r in shape.requires.get(other, ())))
    nxt = game.whats_next(unsolved)
    if nxt.what == "review":
        step = f"{nxt.reason}: press r on the course map."
    elif nxt.what == "lesson":
        step = f"{shape.lesson_title.get(nxt.target, nxt.target)}."
    elif nxt.what == "exercise":
        step = f"{nxt.target}, still open."
    else:
        step = "everything is solved; reviews will come back on their days."
    finish = game.mastery[lesson].proficient_at
    earned = tuple(s.title for s in earned_at(game.achievements, finish)) if finish is not None else ()
    return Celebration(lesson, shape.lesson_title.get(lesson, lesson), game.lesson_xp(lesson),
                       game.mastery[lesson].level, unlocked, step, earned)
