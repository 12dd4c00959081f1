"""`tutor validate`, `tutor lessons`, `tutor check` and `tutor variant`: the course from the command line."""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from tutor.commands import common
from tutor.commands.common import answers_may_start_with_minus
from tutor.commands.output import printable
from tutor.lessons.exercises import variant
from tutor.lessons.variants import VariantError

if TYPE_CHECKING:
    from tutor.checking.verdict import Verdict
    from tutor.lessons.model import Course, Exercise, ExercisePart, Problem

EXIT_BY_STATUS = {"correct": 0, "incorrect": 1, "invalid": 2}


def register(subparsers: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    validate = subparsers.add_parser(
        "validate",
        parents=[parent],
        help="check every lesson file; exit 1 if there is any error",
        description="Check the lessons: print file:line: message for each problem, exit 1 on any error.",
    )
    validate.add_argument("dir", nargs="?", type=Path, help="lessons folder (default: the course)")
    validate.add_argument(
        "--no-self-check", action="store_true", help="skip checking every answer with the checker (faster)"
    )
    validate.set_defaults(func=run_validate)

    lessons = subparsers.add_parser(
        "lessons", parents=[parent], help="the course outline: parts, lessons, exercises"
    )
    lessons.add_argument("--json", action="store_true", help="print JSON")
    lessons.set_defaults(func=run_lessons)

    check = subparsers.add_parser(
        "check",
        parents=[parent],
        help="check an answer to an exercise",
        description=(
            "Check ANSWER against exercise EXERCISE_ID (ID#a for part a). Exit 0 correct, 1 incorrect, "
            "2 invalid. With --batch, read JSON lines {\"exercise\": ..., \"answer\": ...} from stdin "
            "and print one JSON verdict line each."
        ),
    )
    answers_may_start_with_minus(check)
    check.add_argument("exercise", nargs="?", metavar="EXERCISE_ID")
    check.add_argument("answer", nargs="?", metavar="ANSWER")
    check.add_argument("--json", action="store_true", help="print the verdict as JSON")
    check.add_argument("--batch", action="store_true", help="JSON lines on stdin, one verdict line each "
                                                            "(never recorded)")
    check.add_argument("--no-save", action="store_true", help="do not record the attempt in the profile")
    common.now_option(check, "record the attempt")
    check.add_argument("--review", action="store_true",
                       help="record the attempt as review work (a later-day review pass is what masters a lesson)")
    check.add_argument("--seed", type=int, default=0, metavar="N",
                       help="check an answer to variant N of the exercise (0, the default: as written)")
    check.set_defaults(func=run_check, parser=check)

    variant_cmd = subparsers.add_parser(
        "variant", parents=[parent], help="print a variant of an exercise (its prompt and reference)",
        description="Print variant N of an exercise that has parameters, or variants 1..K.")
    variant_cmd.add_argument("exercise", metavar="EXERCISE_ID")
    how = variant_cmd.add_mutually_exclusive_group()
    how.add_argument("--seed", type=int, default=1, metavar="N", help="the variant to print (default 1; 0: as written)")
    how.add_argument("--count", type=int, metavar="K", help="print variants 1..K")
    variant_cmd.add_argument("--json", action="store_true", help="one JSON object a line: seed, prompt, reference")
    variant_cmd.set_defaults(func=run_variant, parser=variant_cmd)


def _load(args: argparse.Namespace, folder: Path | None = None) -> Course:
    from tutor.lessons.loader import load_course

    return load_course(folder or common.lessons_dir(args))


def _shown(path: Path) -> str:
    """A path relative to the current folder when it is inside it, as editors like."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _closed_pipe_ok(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """`tutor validate | head` should end quietly when the reader stops reading."""

    @functools.wraps(run)
    def wrapper(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1

    return wrapper


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# -- tutor validate ------------------------------------------------------------------------------


def format_problem(problem: Problem) -> str:
    tag = "" if problem.severity == "error" else "warning: "
    return f"{_shown(problem.path)}:{problem.line}: {tag}{problem.message}"


@_closed_pipe_ok
def run_validate(args: argparse.Namespace) -> int:
    from tutor.lessons.validate import validate_course

    course = _load(args, args.dir)
    problems = validate_course(course, self_check=not args.no_self_check)
    for problem in problems:
        print(format_problem(problem))
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    exercises = sum(len(lesson.exercises) for lesson in course.lessons.values())
    print(
        f"{_plural(len(course.lessons), 'lesson')}, {_plural(exercises, 'exercise')}: "
        f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
    )
    return 1 if errors else 0


# -- tutor lessons -------------------------------------------------------------------------------


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def outline(course: Course) -> dict[str, Any]:
    parts = []
    for part in course.parts:
        lessons = []
        for lesson_id in part.lesson_ids:
            lesson = course.lessons[lesson_id]
            lessons.append(
                {
                    "id": lesson.id,
                    "title": lesson.title,
                    "minutes": lesson.minutes,
                    "requires": list(lesson.requires),
                    "broken": lesson.broken,
                    "exercises": [
                        {
                            "id": exercise.id,
                            "kind": exercise.kind,
                            "prompt": first_line(exercise.prompt),
                            "parts": [p.key for p in exercise.parts if p.key],
                        }
                        for exercise in lesson.exercises
                    ],
                }
            )
        parts.append({"number": part.number, "title": part.title, "lessons": lessons})
    return {"parts": parts}


@_closed_pipe_ok
def run_lessons(args: argparse.Namespace) -> int:
    data = outline(_load(args))
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for part in data["parts"]:
        print(f"Part {part['number']}. {part['title']}")
        for lesson in part["lessons"]:
            details = [f"{lesson['minutes']} min"] if lesson["minutes"] else []
            if lesson["requires"]:
                details.append("requires " + ", ".join(lesson["requires"]))
            if lesson["broken"]:
                details.append("BROKEN: run tutor validate")
            print(f"  {lesson['id']}: {lesson['title']} ({'; '.join(details)})")
            for exercise in lesson["exercises"]:
                keys = f" [parts {', '.join(exercise['parts'])}]" if exercise["parts"] else ""
                print(f"    {exercise['id']:<44} {exercise['kind']:<14} {exercise['prompt']}{keys}")
    return 0


# -- tutor check ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """One checked answer, as the progress store will want it."""

    address: str  # "chain-rule/e11#a"
    exercise: Exercise
    part: ExercisePart
    answer: str
    verdict: Verdict


EXIT_NOT_SAVED = 3  # 0, 1 and 2 are the verdicts


def record_attempt(args: argparse.Namespace, attempt: Attempt) -> None:
    """Record a decided answer in the profile, durably, before `tutor check` exits.

    `--batch` and `--no-save` never record, and an answer that could not be read costs no
    attempt. Raises ProgressError or OSError when the save cannot be written.
    """
    if getattr(args, "batch", False) or getattr(args, "no_save", False) or attempt.verdict.status == "invalid":
        return
    from tutor.progress import record_check

    now = common.now(args)
    record_check(common.save_dir(args), common.profile_name(args), attempt.exercise, attempt.part.key,
                 attempt.answer, attempt.verdict, time=None if now is None else now.isoformat(timespec="microseconds"),
                 review=getattr(args, "review", False))


def verdict_json(address: str, verdict: Verdict) -> dict[str, Any]:
    data: dict[str, Any] = {
        "exercise": address,
        "status": verdict.status,
        "interpreted": verdict.interpreted,
        "message": verdict.message,
        "diagnosis": verdict.diagnosis,
        "elapsed_ms": round(verdict.elapsed_ms, 1),
    }
    if verdict.counterexample is not None:
        data["counterexample"] = asdict(verdict.counterexample)
    if verdict.entries:
        data["entries"] = [asdict(entry) for entry in verdict.entries]
    return data


def refusal_json(address: Any, message: str, reason: str) -> dict[str, Any]:
    """A request that never reached the checker (unknown exercise, missing part, bad line)."""
    return {
        "exercise": address,
        "status": "invalid",
        "interpreted": "",
        "message": message,
        "diagnosis": reason,
        "elapsed_ms": 0.0,
    }


def format_verdict(address: str, answer: str, verdict: Verdict) -> str:
    mark = {"correct": "✓", "incorrect": "✗"}.get(verdict.status, "?")
    lines = [f"{mark} {verdict.status}: {address}"]
    if verdict.error_column and "\n" not in answer:
        lines += [f"  {answer}", "  " + " " * (verdict.error_column - 1) + "^"]
    pretty = verdict.pretty.rstrip("\n")
    if "\n" in pretty:
        lines.append("read as:")
        lines.extend("  " + row for row in pretty.splitlines())
    elif pretty or verdict.interpreted:
        lines.append(f"read as: {pretty or verdict.interpreted}")
    lines.extend(f"note: {note}" for note in verdict.notes)
    if verdict.message:
        lines.append(verdict.message)
    for entry in verdict.entries:
        where = ", ".join(str(i + 1) for i in entry.index)
        state = "right" if entry.correct else "wrong"
        lines.append(f"entry {where}: {state}{': ' + entry.message if entry.message else ''}")
    if verdict.diagnosis:
        lines.append(f"diagnosis: {verdict.diagnosis}")
    if verdict.counterexample is not None:
        lines.append(f"counterexample: {verdict.counterexample.text}")
    return "\n".join(lines)


def _service():
    from tutor.checking.service import CheckService

    service = CheckService()
    service.warm()  # start the worker outside the first answer's time budget
    return service


def decide(service, exercise: Exercise, part: ExercisePart, answer: str) -> Verdict:
    """The verdict from the engine that plays this kind of exercise (the registry says which)."""
    from tutor import kinds

    check = kinds.get(exercise.kind).check
    if check is not None:
        return check(exercise.data, answer)
    return service.check(part.spec, answer)


def run_check(args: argparse.Namespace) -> int:
    from tutor.lessons.address import AddressError, find_part

    parser: argparse.ArgumentParser = args.parser
    if args.batch:
        if args.exercise is not None:
            parser.error("--batch reads its requests from stdin: give no EXERCISE_ID or ANSWER")
        return run_batch(args, sys.stdin, sys.stdout)
    if args.exercise is None or args.answer is None:
        parser.error("give EXERCISE_ID and ANSWER (or --batch)")
    course = _load(args)
    try:
        exercise, part = find_part(course, args.exercise)
    except AddressError as exc:
        return _refuse(args, args.exercise, exc.message, exc.reason)
    try:
        exercise, part = seeded(exercise, part, args.seed)
    except VariantError as exc:
        return _refuse(args, args.exercise, str(exc), "no-variant")
    with _service() as service:
        verdict = decide(service, exercise, part, args.answer)
    from tutor.progress import ProgressError

    try:
        record_attempt(args, Attempt(args.exercise, exercise, part, args.answer, verdict))
    except (ProgressError, OSError) as exc:
        print(f"tutor check: the attempt was not saved: {exc}", file=sys.stderr)
        return EXIT_NOT_SAVED
    if args.json:
        print(json.dumps(verdict_json(args.exercise, verdict), ensure_ascii=False))
    else:
        print(printable(format_verdict(args.exercise, args.answer, verdict)))  # the answer is echoed
    return EXIT_BY_STATUS.get(verdict.status, 2)


def _refuse(args: argparse.Namespace, address: str, message: str, reason: str) -> int:
    if args.json:
        print(json.dumps(refusal_json(address, message, reason), ensure_ascii=False))
    else:
        print(printable(f"tutor check: {message}"), file=sys.stderr)
    return EXIT_BY_STATUS["invalid"]


def seeded(exercise: Exercise, part: ExercisePart, seed: int) -> tuple[Exercise, ExercisePart]:
    """The exercise and part of variant `seed` (0: as written). Raises VariantError."""
    if seed == 0:
        return exercise, part
    one = variant(exercise, seed)
    return one, one.part(part.key)


def _requests(lines: Iterable[str]) -> Iterator[tuple[Any, str | None, int, str]]:
    """(address, answer, seed, error) per non-blank line; error is "" for a usable request."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            request = json.loads(line)
        except json.JSONDecodeError as exc:
            yield None, None, 0, f"line {number} is not JSON: {exc.msg}"
            continue
        if not isinstance(request, dict):
            yield None, None, 0, f"line {number} must be a JSON object"
            continue
        address, answer, seed = request.get("exercise"), request.get("answer"), request.get("seed", 0)
        if not isinstance(address, str) or not isinstance(answer, str):
            yield address, None, 0, f"line {number} needs \"exercise\" and \"answer\" as strings"
            continue
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            yield address, None, 0, f"line {number}: \"seed\" must be a whole number from 0"
            continue
        yield address, answer, seed, ""


def run_batch(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    """One verdict line per request line, in order, from one checker process."""
    from tutor.lessons.address import AddressError, find_part

    course = _load(args)
    with _service() as service:
        for address, answer, seed, error in _requests(stdin):
            if error:
                result = refusal_json(address, error, "bad-request")
            else:
                try:
                    exercise, part = seeded(*find_part(course, address), seed)
                except AddressError as exc:
                    result = refusal_json(address, exc.message, exc.reason)
                except VariantError as exc:
                    result = refusal_json(address, str(exc), "no-variant")
                else:
                    verdict = decide(service, exercise, part, answer)
                    record_attempt(args, Attempt(address, exercise, part, answer, verdict))
                    result = verdict_json(address, verdict)
            stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            stdout.flush()  # a driving program reads each verdict as it comes
    return 0


# -- tutor variant -------------------------------------------------------------------------------


def variant_json(exercise: Exercise) -> dict[str, Any]:
    """What `tutor variant` prints for one variant: its seed, prompt (with the parts' prompts)
    and reference (per part key when the exercise has parts)."""
    prompts = [exercise.prompt] + [f"({p.key}) {p.prompt}" for p in exercise.parts if p.key]
    references = {p.key: p.spec.answer or p.spec.function or "" for p in exercise.parts}
    reference: Any = references.get("", "") if set(references) == {""} else references
    if set(references) == {""} and not exercise.parts[0].spec.answer:
        reference = f"the derivative of {exercise.parts[0].spec.function}" \
            if exercise.parts[0].spec.kind == "derivative" else reference
    return {"exercise": exercise.id, "seed": exercise.seed, "prompt": "\n".join(prompts), "reference": reference}


def run_variant(args: argparse.Namespace) -> int:
    from tutor.lessons.address import AddressError, find_part

    course = _load(args)
    try:  # a whole exercise (its parts are all printed), or one of its parts
        exercise = course.exercise(args.exercise)
    except KeyError:
        try:
            exercise, _part = find_part(course, args.exercise)
        except AddressError as exc:
            print(printable(f"tutor variant: {exc.message}"), file=sys.stderr)
            return 2
    if exercise.family is None:
        print(f"{exercise.id} has no variants: it is always the exercise as written.")
        return 1
    if args.count is not None and args.count < 1 or args.seed < 0:
        args.parser.error("--count is at least 1 and --seed at least 0")
    seeds = range(1, args.count + 1) if args.count is not None else (args.seed,)
    for seed in seeds:
        try:
            shown = variant_json(variant(exercise, seed))
        except VariantError as exc:
            print(printable(f"tutor variant: {exc}"), file=sys.stderr)
            return 2
        if args.json:
            print(json.dumps(shown, ensure_ascii=False))
        else:
            reference = shown["reference"]
            if isinstance(reference, dict):
                reference = "; ".join(f"({k}) {v}" for k, v in reference.items())
            print(printable(f"{exercise.id} seed {seed}\n{shown['prompt']}\nreference: {reference}\n"))
    return 0
