"""Making variants: the cost of "Show me another" and of `tutor variant`, per family of the course.

Prints, for every family, the median time to build a variant (seeds 1..20, each from a fresh
load, so the draw is included) and the time to reach seed 2000 from nothing (the RNG stream is
walked to the N-th distinct draw). Targets on a 2-core machine: a variant in under 20 ms (it is
made on the UI thread when F7 is pressed), seed 2000 in under 500 ms.

    python benchmarks/variants.py
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from tutor.lessons.exercises import variant
from tutor.lessons.loader import load_course

LESSONS = Path(__file__).resolve().parent.parent / "lessons"


def main() -> None:
    course = load_course(LESSONS)
    families = [e for lesson in course.lessons.values() for e in lesson.exercises if e.family is not None]
    print(f"{len(families)} families")
    worst_one, worst_far = 0.0, 0.0
    for exercise in families:
        times = []
        for seed in range(1, 21):
            fresh = load_course(LESSONS).exercise(exercise.id)
            start = time.perf_counter()
            variant(fresh, seed)
            times.append((time.perf_counter() - start) * 1000)
        fresh = load_course(LESSONS).exercise(exercise.id)
        start = time.perf_counter()
        variant(fresh, 2000)
        far = (time.perf_counter() - start) * 1000
        one = statistics.median(times)
        worst_one, worst_far = max(worst_one, one), max(worst_far, far)
        print(f"{exercise.id:36} median {one:6.2f} ms   seed 2000 {far:7.1f} ms")
    print(f"worst median {worst_one:.2f} ms (target 20), worst seed 2000 {worst_far:.1f} ms (target 500)")


if __name__ == "__main__":
    main()
