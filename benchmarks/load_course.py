"""How long loading and validating a course takes.

Generates a synthetic course of 100 lessons and 1,000 exercises (a realistic mix of kinds, with
prose, math blocks and plots) in a temporary folder, then times `load_course` and
`validate_course` with and without the checker's self-check; then the same for the real lessons/.

    python benchmarks/load_course.py [--lessons 100] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tutor.lessons.loader import load_course
from tutor.lessons.validate import validate_course

REAL_LESSONS = Path(__file__).resolve().parent.parent / "lessons"

# One template per kind; {k} varies so that no two exercises are the same expression.
# Weights give the mix of the syllabus: mostly derivatives and numbers.
TEMPLATES: list[tuple[int, str]] = [
    (3, """kind: derivative
prompt: Differentiate f(x) = {k}x³ + sin({k}x).
function: {k}*x^3 + sin({k}*x)
answer: 3*{k}*x^2 + {k}*cos({k}*x)
mistakes:
  - answer: {k}*cos({k}*x)
    message: The power term has a derivative too."""),
    (2, """kind: numeric
prompt: What is {k} · {k}?
answer: "{kk}"
tolerance: {{rel: 1e-6}}
mistakes:
  - answer: "{k2}"
    message: That is {k} + {k}."""),
    (1, """kind: numeric
prompt: Evaluate d/dx (x² + {k}x) at
parts:
  - key: a
    prompt: x = 0
    answer: "{k}"
  - key: b
    prompt: x = 1
    answer: "{k2p}\""""),
    (2, """kind: choice
prompt: Which is the derivative of {k}x?
options: ["{k}x", "{k}", "x", "0"]
answer: b
feedback:
  a: That is the function itself."""),
    (1, """kind: expression
prompt: Simplify [(x + h)² − x²]/h + {k}.
answer: 2*x + h + {k}
vars: [x, h]
domain: "h != 0\""""),
    (1, """kind: vector
prompt: The gradient of {k}(x² + y²) at (1, 2).
answer: "[{k2}, {k4}]\""""),
    (1, """kind: matrix
prompt: The Hessian of {k}x² + {k}y².
answer: "[[{k2}, 0], [0, {k2}]]\""""),
    (1, """kind: antiderivative
prompt: An antiderivative of {k}x² + 1/x, x > 0.
function: {k}*x^2 + 1/x
answer: {k}*x^3/3 + ln(x)
domain: "x > 0\""""),
    (1, """kind: code
prompt: Write `scale(x)` returning {k}x.
function: "def scale(x):"
tests: ["assert scale(2) == {k2}"]
reference: |
  def scale(x):
      return {k} * x"""),
]

PARAGRAPH = (
    "The derivative measures how fast a function changes. Near a point, a smooth curve looks\n"
    "like a straight line, and the slope of that line is the derivative: f'(x) ≈ Δf/Δx.\n"
)


def exercise_block(lesson_id: str, number: int, k: int) -> str:
    weighted = [template for weight, template in TEMPLATES for _ in range(weight)]
    body = weighted[number % len(weighted)].format(k=k, kk=k * k, k2=2 * k, k4=4 * k, k2p=k + 2)
    return (
        f"```exercise\nid: {lesson_id}/e{number}\n{body}\n"
        f"hints:\n  - Start from the definition.\n  - Apply the rule term by term.\n"
        f"solution: |\n  Worked out step by step, the answer follows.\n```\n"
    )


def lesson_text(index: int, exercises: int) -> str:
    lesson_id = f"lesson-{index:03d}"
    requires = f"[lesson-{index - 1:03d}]" if index > 1 else "[]"
    parts = [
        f"---\nid: {lesson_id}\ntitle: Lesson {index}\npart: 1\nrequires: {requires}\nminutes: 10\n"
        f"objectives:\n  - Learn thing {index}.\n---\n\n{PARAGRAPH}\n"
    ]
    for number in range(1, exercises + 1):
        if number % 3 == 1:
            parts.append(f"## Page {number // 3 + 1}\n\n{PARAGRAPH}\n- a point\n- another point\n\n")
            parts.append(f"```math\nf(x) = {index}*x^2\n{2 * index}*x\n```\n\n")
        parts.append(exercise_block(lesson_id, number, k=index + number) + "\n")
    parts.append("```plot\ntitle: f and f'\nx: [-3, 3]\ncurves:\n  - expr: x^2\n  - derivative: sin(x)\n```\n")
    return "".join(parts)


def write_course(folder: Path, lessons: int, exercises_per_lesson: int) -> None:
    ids = [f"lesson-{i:03d}" for i in range(1, lessons + 1)]
    (folder / "course.yaml").write_text(
        "parts:\n  - number: 1\n    title: Synthetic\n    lessons:\n" + "".join(f"      - {i}\n" for i in ids),
        encoding="utf-8",
    )
    for index in range(1, lessons + 1):
        (folder / f"lesson-{index:03d}.md").write_text(lesson_text(index, exercises_per_lesson), encoding="utf-8")


def timed(function: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median seconds over `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def report(name: str, folder: Path, repeat: int) -> None:
    load_s, course = timed(lambda: load_course(folder), repeat)
    lessons = len(course.lessons)
    exercises = sum(len(lesson.exercises) for lesson in course.lessons.values())
    structure_s, _ = timed(lambda: validate_course(course, self_check=False), repeat)
    full_s, problems = timed(lambda: validate_course(course), 1)
    errors = sum(1 for p in problems if p.severity == "error")
    print(f"{name}: {lessons} lessons, {exercises} exercises ({errors} errors)")
    print(f"  load_course                         {load_s * 1000:9.1f} ms")
    print(f"  validate_course, no self-check      {structure_s * 1000:9.1f} ms")
    print(f"  validate_course, with self-check    {full_s * 1000:9.1f} ms")
    if errors:
        for problem in [p for p in problems if p.severity == "error"][:5]:
            print(f"    {problem}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lessons", type=int, default=100)
    parser.add_argument("--exercises", type=int, default=10, help="per lesson")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    # Pay for SymPy's import and first use once, outside every timing.
    start = time.perf_counter()
    from tutor.checking import ExerciseSpec, self_check

    self_check(ExerciseSpec(kind="derivative", function="x^2", answer="2*x"))
    print(f"checker warm-up (SymPy import, first check): {(time.perf_counter() - start) * 1000:.0f} ms\n")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_course(folder, args.lessons, args.exercises)
        report("synthetic", folder, args.repeat)
    print()
    report("lessons/", REAL_LESSONS, args.repeat)


if __name__ == "__main__":
    main()
