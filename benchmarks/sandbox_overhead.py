"""What the sandbox's kernel layers and the parent-side verdicts cost per run.

Runs the same learner draft (the chain-rule exercise and the matrix backprop exercise, as the
course writes them) through `run_code`, alternating, in this one process:

- baseline: the kernel layers off (private scratch, descriptor closing, Landlock, seccomp),
  expected values already cached: the old-style single child with rlimits only;
- layered: everything on, expected values cached (every draft after the first);
- first run: everything on and nothing cached, so the expected child runs beside the learner's.

Prints medians and the ratio to the baseline measured in the same run, plus the seconds the
child itself spends applying the layers.

    python benchmarks/sandbox_overhead.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from tutor.lessons.loader import load_course
from tutor.sandbox import runner
from tutor.sandbox.exercise import CodeExercise


def exercises() -> list[CodeExercise]:
    course = load_course(Path(__file__).resolve().parents[1] / "lessons")
    wanted = ("chain-rule/e12", "backprop-matrix/e7")
    found = {e.id: e for lesson in course.lessons.values() for e in lesson.exercises if e.id in wanted}
    return [CodeExercise.from_exercise(found[i]) for i in wanted]


def timed(exercise: CodeExercise, *, layers: bool, cached: bool) -> tuple[float, float | None]:
    runner.KERNEL_LAYERS = layers
    if not cached:
        runner._expected_cache.clear()
    started = time.perf_counter()
    result = exercise.run(exercise.reference)
    elapsed = time.perf_counter() - started
    assert result.passed, result.message
    return elapsed, result.details.get("layer_seconds")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    for exercise in exercises():
        timed(exercise, layers=True, cached=False)  # warm the disk cache and the expected values
        base, layered, first, layer_cost = [], [], [], []
        for _ in range(args.repeat):
            base.append(timed(exercise, layers=False, cached=True)[0])
            seconds, cost = timed(exercise, layers=True, cached=True)
            layered.append(seconds)
            layer_cost.append(cost or 0.0)
            first.append(timed(exercise, layers=True, cached=False)[0])
        runner.KERNEL_LAYERS = True
        b, lay, f = statistics.median(base), statistics.median(layered), statistics.median(first)
        print(f"{exercise.id} (median of {args.repeat}):")
        print(f"  baseline, no kernel layers     {b * 1000:7.0f} ms")
        print(f"  all layers, expected cached    {lay * 1000:7.0f} ms   ratio {lay / b:.2f}")
        print(f"  all layers, first run          {f * 1000:7.0f} ms   ratio {f / b:.2f}")
        print(f"  applying the layers (in child) {statistics.median(layer_cost) * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
