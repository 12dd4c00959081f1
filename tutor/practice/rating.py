"""An outcome's FSRS rating, decided by what the learner did, never by how they felt about it.

- solved first try, no hint → Good, or Easy when it was also quick for that kind of exercise;
- solved after a wrong try or a hint → Hard;
- revealed, or abandoned after trying → Again.
"""

from __future__ import annotations

from fsrs import Rating

from tutor.practice.episodes import Outcome

# A first-try solve this fast, from the moment the exercise was shown, is Easy. By kind, because
# a derivative takes longer to type than a multiple-choice click. Unknown kinds are never Easy.
QUICK_SECONDS: dict[str, float] = {
    "choice": 15, "numeric": 45, "vector": 60, "matrix": 90, "expression": 60, "derivative": 60,
    "antiderivative": 75, "gd": 60, "backprop": 180, "code": 240,
}


def rate(outcome: Outcome, kind: str) -> Rating:
    if not outcome.solved:
        return Rating.Again
    if not outcome.first_try:
        return Rating.Hard
    seconds = outcome.seconds
    if seconds is not None and seconds <= QUICK_SECONDS.get(kind, 0):
        return Rating.Easy
    return Rating.Good


def success(rating: Rating) -> bool:
    return rating != Rating.Again
