"""Every rule a course must pass, as one list of problems (`tutor validate`, CI).

The loader already reports what it finds while reading a file (bad YAML, unknown fences,
missing or unknown fields, unknown kinds, front matter id and part). The rules here look at the
loaded course as a whole, and at the mathematics through `tutor.mathlang`, the checker's
self-check, and each exercise kind's own engine (as the kind registry, `tutor.kinds`, lists it),
which are imported only when needed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from tutor import kinds
from tutor.lessons.manifest import MANIFEST
from tutor.lessons.mdblocks import LONG_PAGE_BLOCKS, count_blocks
from tutor.lessons.model import BackpropBlock, Course, Exercise, Lesson, MathBlock, PlotBlock, Problem, Prose


def validate_course(course: Course, *, self_check: bool = True) -> list[Problem]:
    """All problems of `course`, errors and warnings, in file order.

    `self_check=False` skips the checker's self-check of every answer (the slow part).
    """
    problems: list[Problem] = list(course.problems)
    for lesson in course.lessons.values():
        problems.extend(lesson.problems)
    for rule in RULES:
        problems.extend(rule(course))
    if self_check:
        problems.extend(check_answers(course))
        problems.extend(check_variants(course))
        problems.extend(check_engine_exercises(course))
    else:
        problems.extend(check_answer_syntax(course))
    return sort_problems(problems, course)


def sort_problems(problems: Iterable[Problem], course: Course | None = None) -> list[Problem]:
    """By file (the manifest, then lessons in course order, then the rest), then by line."""
    problems = list(problems)
    order: dict = {}
    for problem in problems:  # the manifest first: its problems may explain the others
        if problem.path.name == MANIFEST:
            order.setdefault(problem.path, len(order))
    for lesson in course.lessons.values() if course else ():
        order.setdefault(lesson.path, len(order))
    for problem in problems:
        order.setdefault(problem.path, len(order))
    return sorted(problems, key=lambda p: (order[p.path], p.line))


def _exercises(course: Course) -> Iterator[tuple[Lesson, Exercise]]:
    for lesson in course.lessons.values():
        for exercise in lesson.exercises:
            yield lesson, exercise


# -- structure -----------------------------------------------------------------------------------


def check_requires(course: Course) -> list[Problem]:
    """`requires` must name lessons of the course, come earlier, and never form a cycle."""
    problems = []
    order = {lesson_id: index for index, lesson_id in enumerate(course.lessons)}
    for lesson in course.lessons.values():
        for required in lesson.requires:
            if required not in course.lessons:
                problems.append(
                    Problem(lesson.path, lesson.requires_line, f"requires '{required}', which is not a lesson of the course")
                )
            elif required != lesson.id and order[required] > order[lesson.id]:
                problems.append(
                    Problem(
                        lesson.path,
                        lesson.requires_line,
                        f"requires '{required}', which comes later in the course",
                        "warning",
                    )
                )
    for cycle in find_cycles(course):
        first = course.lessons[cycle[0]]
        path = " → ".join(cycle + [cycle[0]])
        problems.append(Problem(first.path, first.requires_line, f"requires form a cycle: {path}"))
    return problems


def find_cycles(course: Course) -> list[list[str]]:
    """Each cycle of `requires` once, starting at its lesson that comes first in the course."""
    order = {lesson_id: index for index, lesson_id in enumerate(course.lessons)}
    edges = {
        lesson.id: [r for r in lesson.requires if r in course.lessons] for lesson in course.lessons.values()
    }
    cycles: dict[tuple[str, ...], list[str]] = {}
    done: set[str] = set()

    def visit(node: str, stack: list[str], on_stack: set[str]) -> None:
        stack.append(node)
        on_stack.add(node)
        for successor in edges[node]:
            if successor in on_stack:
                cycle = stack[stack.index(successor) :]
                start = min(range(len(cycle)), key=lambda i: order[cycle[i]])
                cycle = cycle[start:] + cycle[:start]
                cycles.setdefault(tuple(cycle), cycle)
            elif successor not in done:
                visit(successor, stack, on_stack)
        stack.pop()
        on_stack.discard(node)
        done.add(node)

    for lesson_id in course.lessons:
        if lesson_id not in done:
            visit(lesson_id, [], set())
    return sorted(cycles.values(), key=lambda c: order[c[0]])


def check_exercise_ids(course: Course) -> list[Problem]:
    """Ids are `<lesson-id>/eN` for their own lesson, and unique in the course."""
    problems = []
    seen: dict[str, tuple[Lesson, Exercise]] = {}
    for lesson, exercise in _exercises(course):
        if not re.fullmatch(re.escape(lesson.id) + r"/e[1-9][0-9]*", exercise.id):
            problems.append(
                Problem(
                    lesson.path,
                    exercise.line,
                    f"exercise id '{exercise.id}' is not of the form {lesson.id}/eN (N = 1, 2, ...)",
                )
            )
        if exercise.id in seen:
            other_lesson, other = seen[exercise.id]
            where = f"line {other.line}" if other_lesson is lesson else f"{other_lesson.path.name}:{other.line}"
            problems.append(Problem(lesson.path, exercise.line, f"exercise id '{exercise.id}' is used twice (also at {where})"))
        else:
            seen[exercise.id] = (lesson, exercise)
    return problems


def check_hints(course: Course) -> list[Problem]:
    return [
        Problem(lesson.path, exercise.line, f"exercise {exercise.id} has no hints: give at least one")
        for lesson, exercise in _exercises(course)
        if not exercise.hints
    ]


def check_page_length(course: Course) -> list[Problem]:
    """Textual's Markdown slows down with many blocks: warn above about 30 on a page."""
    problems = []
    for lesson in course.lessons.values():
        for page in lesson.pages:
            blocks = sum(count_blocks(s.markdown) for s in page.segments if isinstance(s, Prose))
            if blocks > LONG_PAGE_BLOCKS:
                problems.append(
                    Problem(
                        lesson.path,
                        page.line,
                        f"page '{page.title}' has {blocks} Markdown blocks; keep a page to about "
                        f"{LONG_PAGE_BLOCKS} (split it with a '## ' heading)",
                        "warning",
                    )
                )
    return problems




# -- mathematics ---------------------------------------------------------------------------------


def _math_error_text(exc: Exception) -> str:
    message = getattr(exc, "message", None) or str(exc)
    column = getattr(exc, "column", None)
    return f"{message} (column {column})" if column and "column" not in message else message


def check_math(course: Course) -> list[Problem]:
    """Each line of a math block must parse."""
    import tutor.mathlang as mathlang  # only here: the loader itself never parses math

    problems = []
    for lesson in course.lessons.values():
        for page in lesson.pages:
            for segment in page.segments:
                if isinstance(segment, MathBlock):
                    problems.extend(_math_block(mathlang, lesson, segment))
    return problems


# `d/dx x^2` parses, as the fraction d/dx times x²: almost never what the author meant.
_DERIVATIVE_OPERATOR = re.compile(r"(?<![\w.])d/d[^\W\d]\w*\s*[(\w]")


def _math_block(mathlang, lesson: Lesson, block: MathBlock) -> list[Problem]:
    problems = []
    numbers = block.line_numbers or (block.line,) * len(block.lines)
    for text, line in zip(block.lines, numbers):
        try:
            mathlang.parse_formula(text)
        except mathlang.MathError as exc:
            problems.append(Problem(lesson.path, line, f"math: {_math_error_text(exc)}: {text}"))
            continue
        if _DERIVATIVE_OPERATOR.search(text):
            problems.append(
                Problem(
                    lesson.path,
                    line,
                    f"math: 'd/d…' in front of an expression reads as a fraction times it; "
                    f"write the result, and the operator in prose: {text}",
                    "warning",
                )
            )
    return problems


def check_plots(course: Course) -> list[Problem]:
    """Every plot block as the plot engine reads and draws it (fields, ranges, expressions,
    interactive settings), each issue at the line of its field, warnings as warnings."""
    from tutor.plots import check_plot_block  # NumPy and SymPy: only when validating

    problems = []
    for lesson in course.lessons.values():
        for page in lesson.pages:
            for plot in page.segments:
                if not isinstance(plot, PlotBlock):
                    continue
                kind = kinds.for_plot_block(plot.data)
                if kind is not None and kind.playground_problems is not None:  # a kind's own figure
                    problems.extend(Problem(lesson.path, plot.line, f"plot: {m}") for m in kind.playground_problems(plot.data))
                    continue
                try:
                    issues = check_plot_block(plot.data)
                except Exception as exc:  # an engine bug must not hide the other plots
                    problems.append(Problem(lesson.path, plot.line, f"plot: the plot engine failed: "
                                                                    f"{type(exc).__name__}: {exc}"))
                    continue
                for issue in issues:
                    where = f"plot {issue.field}" if issue.field else "plot"
                    problems.append(Problem(lesson.path, plot.lines.get(issue.field, plot.line),
                                            f"{where}: {issue.message}", issue.severity))
    return problems


def _self_check(spec) -> list[str]:
    """The checker's self-check of one part; a checker bug is reported, never hides the others."""
    import tutor.checking as checking

    try:
        return checking.self_check(spec)
    except Exception as exc:  # noqa: BLE001
        return [f"the checker's self-check failed: {type(exc).__name__}: {exc}"]


def check_answers(course: Course) -> list[Problem]:
    """The checker's self-check on every part: references parse, are defined on the domain and
    are accepted by their own checker; listed mistakes are rejected."""
    problems = []
    for lesson, exercise in _exercises(course):
        for part in exercise.parts:
            name = f"{exercise.id}#{part.key}" if part.key else exercise.id
            problems.extend(Problem(lesson.path, exercise.line, f"exercise {name}: {m}") for m in _self_check(part.spec))
    return problems


VARIANT_SEEDS = 20  # seeds 1..20 of every family are self-checked


def check_variants(course: Course) -> list[Problem]:
    """Seeds 1..20 of every variant family: each variant builds, its reference is accepted and
    each mistake rejected (the checker's self-check), every parameter value is finite, and the
    prompts of the 20 (with the one as written) are distinct."""
    import math

    from tutor.lessons.exercises import variant
    from tutor.lessons.variants import VariantError

    problems = []
    for lesson, exercise in _exercises(course):
        if exercise.family is None:
            continue
        seen: dict[str, int] = {_prompt_text(exercise): 0}
        for seed in range(1, VARIANT_SEEDS + 1):
            where = f"exercise {exercise.id}, seed {seed}"
            try:
                one = variant(exercise, seed)
            except VariantError as exc:
                problems.append(Problem(lesson.path, exercise.line, f"{where}: {exc}"))
                break
            values = exercise.family.draw(seed)
            bad = [name for name, value in values.items() if not math.isfinite(float(value))]
            if bad:
                problems.append(Problem(lesson.path, exercise.line, f"{where}: '{bad[0]}' is not finite"))
            prompt = _prompt_text(one)
            if prompt in seen:
                problems.append(Problem(lesson.path, exercise.line, f"{where}: the prompt is the same as seed "
                                        f"{seen[prompt]}'s: give the parameters more values, or show them all"))
            seen.setdefault(prompt, seed)
            for part in one.parts:
                name = f"{where}, part {part.key}" if part.key else where
                problems.extend(Problem(lesson.path, exercise.line, f"{name}: {m}") for m in _self_check(part.spec))
    return problems


def _prompt_text(exercise: Exercise) -> str:
    return "\n".join([exercise.prompt, *(part.prompt for part in exercise.parts)])


def check_engine_blocks(course: Course) -> list[Problem]:
    """Exercises of the kinds with their own engine, read by that engine (a backprop graph's
    formulas and numbers, a gd block's objective and settings); a backprop worked example is
    read as a backprop exercise is."""
    problems = []
    for lesson in course.lessons.values():
        for page in lesson.pages:
            for segment in page.segments:
                if isinstance(segment, Exercise) and segment.kind in kinds.KINDS:
                    where, read = f"exercise {segment.id}", kinds.get(segment.kind).problems
                elif isinstance(segment, BackpropBlock):
                    where, read = "backprop block", kinds.get("backprop").problems
                else:
                    continue
                if read is None:
                    continue
                try:
                    messages = read(segment.data)
                except Exception as exc:  # an engine bug must not hide the other blocks
                    messages = [f"the engine failed to read it: {type(exc).__name__}: {exc}"]
                problems.extend(Problem(lesson.path, segment.line, f"{where}: {m}") for m in messages)
    return problems


def check_answer_syntax(course: Course) -> list[Problem]:
    """Without the self-check, still read every reference answer and function (fast, no checking):
    one that cannot be read is an error either way."""
    import tutor.checking as checking

    problems = []
    for lesson, exercise in _exercises(course):
        for part in exercise.parts:
            spec = part.spec
            if spec.kind == "choice":
                continue
            name = f"{exercise.id}#{part.key}" if part.key else exercise.id
            for label, text in (("reference answer", spec.answer), ("function", spec.function)):
                if not text:
                    continue
                verdict = checking.preview(text, spec.declared)
                if verdict.status == "invalid":
                    problems.append(Problem(lesson.path, exercise.line, f"exercise {name}: the {label} '{text}' "
                                            f"cannot be read: {verdict.message or 'it is empty'}"))
    return problems


def check_engine_exercises(course: Course) -> list[Problem]:
    """The engine kinds' self-checks, which run things (the sandbox runs a code exercise's
    reference and starter; gd simulates its reference and its failing settings), so they go
    with the checker's self-check."""
    problems = []
    for lesson, exercise in _exercises(course):
        kind = kinds.KINDS.get(exercise.kind)
        if kind is None or kind.self_check is None:
            continue
        try:
            # A block that does not read cleanly has its problems listed by check_engine_blocks.
            messages = [] if kind.problems is not None and kind.problems(exercise.data) else kind.self_check(exercise.data)
        except Exception as exc:  # an engine bug must not hide the other exercises
            messages = [f"the {exercise.kind} self-check failed: {type(exc).__name__}: {exc}"]
        problems.extend(Problem(lesson.path, exercise.line, f"exercise {exercise.id}: {m}") for m in messages)
    return problems


# Every rule but the self-checks, in the order their problems are listed.
RULES: tuple[Callable[[Course], list[Problem]], ...] = (
    check_requires,
    check_exercise_ids,
    check_hints,
    check_page_length,
    check_math,
    check_plots,
    check_engine_blocks,
)
