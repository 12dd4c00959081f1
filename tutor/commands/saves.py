"""Save-file commands: `tutor progress`, `reset`, `export`, `import`, `profiles`, `recover`.

All take `--profile` and `--save-dir` from the common options. Exit status: 0 done, 1 refused
or failed (the reason is printed to stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from tutor.commands.common import lessons_dir, profile_name, save_dir

if TYPE_CHECKING:
    from tutor.lessons.model import Course
    from tutor.progress.store import ProgressStore

STATE_LABELS = {"ok": "", "future": "NEWER TUTOR: ", "missing": "MISSING: "}
RECOVER_HINT = (
    "Run `tutor recover --backup` to use the backup, or `tutor recover --fresh` to start over; "
    "either way the bad file is kept, renamed."
)


def register(subparsers, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "progress",
        parents=[common],
        help="solved/total per part and lesson",
        description="Show the profile's progress through the course: solved/total per part and lesson.",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_guard(run_progress))

    p = subparsers.add_parser(
        "reset",
        parents=[common],
        help="forget progress on an exercise, a lesson or everything",
        description="Forget the progress on one exercise, one lesson, or (--all) everything, with its practice "
        "history (review cards, XP, mastery); settings stay. The state before is kept, so `tutor reset --undo` "
        "brings it back.",
    )
    p.add_argument("target", nargs="?", help="an exercise id (chain-rule/e1) or a lesson id (chain-rule)")
    p.add_argument("--all", action="store_true", help="reset the whole profile")
    p.add_argument("--undo", action="store_true", help="bring back what the last reset removed")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=_guard(run_reset))

    p = subparsers.add_parser(
        "export",
        parents=[common],
        help="write the profile's save data as JSON",
        description="Write the profile's save data (current schema JSON) to FILE, or to stdout.",
    )
    p.add_argument("file", nargs="?", help="where to write (default: stdout)")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.set_defaults(func=_guard(run_export))

    p = subparsers.add_parser(
        "import",
        parents=[common],
        help="merge an exported save into the profile",
        description="Merge an exported save file into the profile: attempts are combined and "
        "nothing solved is ever downgraded.",
    )
    p.add_argument("file", help="a file written by `tutor export` (or a save file)")
    p.set_defaults(func=_guard(run_import))

    p = subparsers.add_parser(
        "profiles",
        parents=[common],
        help="list the profiles in the save folder",
        description="List the profiles in the save folder.",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=_guard(run_profiles))

    p = subparsers.add_parser(
        "recover",
        parents=[common],
        help="repair an unreadable save file",
        description="When the save file cannot be read: restore the backup (--backup) or start over "
        "(--fresh). The bad file is always kept, renamed.",
    )
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--backup", action="store_true", help="replace the save file with its backup")
    how.add_argument("--fresh", action="store_true", help="start the profile over")
    p.set_defaults(func=_guard(run_recover))


def _err(message: str) -> None:
    print(f"tutor: {message}", file=sys.stderr)


def _guard(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn the progress package's refusals (and disk errors) into a message and exit 1."""

    def wrapped(args: argparse.Namespace) -> int:
        from tutor.progress.errors import ProgressError

        try:
            return run(args)
        except ProgressError as exc:
            _err(str(exc))
            return 1
        except BrokenPipeError:
            # The reader went away (`tutor progress | head`): not a failure of ours.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 0
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            _err(f"{where}{exc.strerror or exc}")
            return 1

    return wrapped


def _open(args: argparse.Namespace, *, allow_issue: bool = False) -> ProgressStore | None:
    """The profile's store, or None (after saying why) when its file has a problem."""
    from tutor.progress.store import open_profile

    store, issue = open_profile(save_dir(args), profile_name(args))
    if issue is not None and not allow_issue:
        _err(issue.message)
        if issue.can_start_fresh:
            _err(RECOVER_HINT)
        return None
    return store


def _course(args: argparse.Namespace) -> Course | None:
    try:
        from tutor.lessons.loader import load_course
    except ImportError:
        return None
    folder = lessons_dir(args)
    if not folder.is_dir():
        return None
    return load_course(folder)


# --- tutor progress ------------------------------------------------------------------------


def run_progress(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from tutor.progress.model import totals
    from tutor.progress.report import course_report, report_to_json

    store = _open(args)
    if store is None:
        return 1
    profile = store.profile
    course = _course(args)
    report = course_report(course, profile) if course is not None else None
    if args.json:
        if report is not None:
            data = report_to_json(report)
        else:  # no course outline: the profile's own numbers only
            data = {
                "profile": profile.name,
                "solved": None,
                "total": None,
                "parts": [],
                "totals": asdict(totals(profile)),
                "changed": [],
                "unknown": sorted(profile.exercises),
            }
        data["save_file"] = str(store.path)
        data["saved"] = store.path.exists()
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0

    t = totals(profile)
    where = store.path if store.path.exists() else f"{store.path}, not written yet"
    print(f"Profile '{profile.name}' ({where})")
    if report is None:
        print(f"Solved {t.solved} exercises ({t.solved_with_help} with help); the course outline is not available.")
    else:
        print(f"Solved {report.solved} of {report.total} exercises ({t.solved_with_help} of them with help).")
    print(f"{t.revealed} revealed, {t.attempted} in progress; {t.attempts} attempts, {t.hints} hints used.")
    if report is None:
        return 0
    width = max([len(lesson.id) for part in report.parts for lesson in part.lessons] + [10])
    for part in report.parts:
        print()
        label = f"Part {part.number}  {part.title}" if part.number else part.title
        print(f"{label:<{width + 36}} {part.solved:>3}/{part.total}")
        for lesson in part.lessons:
            mark = "  *" if lesson.changed else ""
            title = lesson.title if len(lesson.title) <= 32 else lesson.title[:31] + "…"
            print(f"  {lesson.id:<{width}}  {title:<32} {lesson.solved:>3}/{lesson.total}{mark}")
    if report.changed:
        print()
        print("* changed since solved (the exercise was edited after you finished it):")
        for exercise_id in report.changed:
            print(f"    {exercise_id}")
    if report.unknown:
        print()
        print(f"Recorded but no longer in the course: {', '.join(report.unknown)}")
    return 0


# --- tutor reset ---------------------------------------------------------------------------


def _confirm(question: str, assume_yes: bool) -> bool:
    if assume_yes:
        return True
    print(f"{question} [y/N] ", end="", flush=True)
    try:
        reply = input()
    except EOFError:
        print()
        return False
    return reply.strip().lower() in ("y", "yes")


def _known_ids(course: Course | None) -> tuple[set[str], set[str]]:
    if course is None:
        return set(), set()
    exercises = {ex.id for lesson in course.lessons.values() for ex in lesson.exercises}
    return exercises, set(course.lessons)


def run_reset(args: argparse.Namespace) -> int:
    from tutor.progress.model import lesson_of, totals

    chosen = [bool(args.target), args.all, args.undo]
    if sum(chosen) != 1:
        _err("give exactly one of: an EXERCISE_ID or LESSON_ID, --all, --undo")
        return 1
    store = _open(args)
    if store is None:
        return 1
    profile = store.profile
    name = profile.name

    if args.undo:
        if not store.can_undo_reset():
            _err(f"there is no reset to undo in profile '{name}'")
            return 1
        store.undo_reset()
        print(f"Restored what the last reset removed from profile '{name}' (progress made since is kept).")
        return 0

    if args.all:
        t = totals(profile)
        if not (profile.exercises or profile.lessons or profile.last_lesson):
            print(f"Profile '{name}' has no progress to reset.")
            return 0
        question = (f"Reset ALL progress in profile '{name}' ({t.solved} solved, {t.attempts} attempts), "
                    "with its review history, XP and mastery?")
        if not _confirm(question, args.yes):
            print("Nothing was reset.")
            return 1
        store.reset_all()
        print(f"Reset all progress in profile '{name}'. Undo with `tutor reset --undo`.")
        return 0

    target = args.target.strip()
    if "#" in target:
        _err(f"reset works on whole exercises: use {target.split('#', 1)[0]}")
        return 1
    exercises, lessons = _known_ids(_course(args))
    if "/" in target:
        if target not in exercises and target not in profile.exercises:
            _err(f"no exercise '{target}' in the course or in profile '{name}'")
            return 1
        record = profile.exercises.get(target)
        if record is None:
            print(f"{target} has no progress in profile '{name}'; nothing to reset.")
            return 0
        question = (f"Reset {target} ({record.status}, {len(record.attempts)} attempts, and its review history) "
                    f"in profile '{name}'?")
        if not _confirm(question, args.yes):
            print("Nothing was reset.")
            return 1
        store.reset_exercise(target)
    else:
        records = [i for i in profile.exercises if lesson_of(i) == target]
        has_position = target in profile.lessons or profile.last_lesson == target
        if target not in lessons and not records and not has_position:
            _err(f"no lesson '{target}' in the course or in profile '{name}'")
            return 1
        if not records and not has_position:
            print(f"Lesson {target} has no progress in profile '{name}'; nothing to reset.")
            return 0
        solved = sum(profile.exercises[i].solved for i in records)
        question = (
            f"Reset lesson {target} ({len(records)} exercises touched, {solved} solved, their review history "
            f"and the reading position) in profile '{name}'?"
        )
        if not _confirm(question, args.yes):
            print("Nothing was reset.")
            return 1
        store.reset_lesson(target)
    print(f"Reset {target} in profile '{name}'. Undo with `tutor reset --undo`.")
    return 0


# --- tutor export / import -----------------------------------------------------------------


def run_export(args: argparse.Namespace) -> int:
    from tutor.progress.fileio import atomic_write

    store = _open(args)
    if store is None:
        return 1
    text = store.export_text()
    if args.file in (None, "-"):
        sys.stdout.write(text)
        return 0
    target = Path(args.file)
    if target.exists() and not args.force:
        _err(f"{target} exists; add --force to overwrite it")
        return 1
    atomic_write(target, text.encode("utf-8"))
    print(f"Exported profile '{store.name}' to {target}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from tutor.progress.errors import SaveFileError, SchemaError
    from tutor.progress.schema import loads

    source = Path(args.file)
    try:
        raw = source.read_bytes()
    except OSError as exc:
        _err(f"cannot read {source}: {exc.strerror or exc}")
        return 1
    try:
        other, _ = loads(raw)
    except SchemaError as exc:
        # Validate before touching the profile: a bad import changes nothing.
        raise SaveFileError(source, exc.what + "; nothing was imported", exc.where) from None
    store = _open(args)
    if store is None:
        return 1
    summary = store.import_profile(other)
    print(
        f"Imported {source} into profile '{store.name}': {summary.exercises_added} new exercises, "
        f"{summary.newly_solved} newly solved, {summary.attempts_added} attempts added."
    )
    return 0


# --- tutor profiles / recover --------------------------------------------------------------


def run_profiles(args: argparse.Namespace) -> int:
    from tutor.progress.listing import list_profiles

    folder = save_dir(args)
    current = profile_name(args)
    found = list_profiles(folder)
    if args.json:
        data = {
            "save_dir": str(folder),
            "current": current,
            "profiles": [{"name": p.name, "path": str(p.path), "state": p.state, "summary": p.summary} for p in found],
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    if not found:
        print(f"No profiles in {folder} yet; '{current}' is created on the first saved answer.")
        return 0
    print(f"Profiles in {folder}:")
    width = max(len(p.name) for p in found)
    for p in found:
        mark = "*" if p.name == current else " "
        print(f"{mark} {p.name:<{width}}  {STATE_LABELS.get(p.state, 'UNREADABLE: ')}{p.summary}")
    return 0


def run_recover(args: argparse.Namespace) -> int:
    store = _open(args, allow_issue=True)
    assert store is not None
    issue = store.issue
    if issue is None:
        print(f"Profile '{store.name}' loads fine; nothing to recover.")
        return 0
    if not issue.can_start_fresh:
        _err(issue.message)
        return 1
    if args.backup:
        if not issue.can_recover:
            _err(issue.message)
            return 1
        aside = store.recover_from_backup()
        done = f"Restored profile '{store.name}' from its backup"
    else:
        aside = store.start_fresh()
        done = f"Started profile '{store.name}' afresh"
    print(done + (f"; the unreadable file was kept as {aside}." if aside else "."))
    return 0
