"""`tutor read LESSON [--page N]`: a lesson as plain text, for a screen reader or a pipe."""

from __future__ import annotations

import argparse
import difflib
import sys

from tutor.commands import common


def register(subparsers: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    read = subparsers.add_parser(
        "read",
        parents=[parent],
        help="print a lesson as plain text (for a screen reader or a pipe)",
        description=(
            "Print LESSON as plain text: the prose, math in one-line form, each exercise's prompt with "
            "the command that checks an answer, and each figure described in words."
        ),
    )
    read.add_argument("lesson", metavar="LESSON", help="a lesson id, as `tutor lessons` lists them")
    read.add_argument("--page", type=int, metavar="N", help="print only page N (from 1)")
    read.add_argument("--width", type=int, default=78, metavar="COLUMNS", help="wrap lines at this width")
    read.set_defaults(func=run_read)


def run_read(args: argparse.Namespace) -> int:
    from tutor.lessons.loader import load_course
    from tutor.lessons.plaintext import lesson_text

    course = load_course(common.lessons_dir(args))
    lesson = course.lessons.get(args.lesson)
    if lesson is None:
        close = difflib.get_close_matches(args.lesson, list(course.lessons), n=3)
        hint = f" Did you mean {' or '.join(close)}?" if close else " `tutor lessons` lists them."
        print(f"tutor read: there is no lesson '{args.lesson}'.{hint}", file=sys.stderr)
        return 2
    if lesson.broken:
        print(f"tutor read: lesson '{lesson.id}' has errors and cannot be shown:", file=sys.stderr)
        for problem in lesson.problems:
            if problem.severity == "error":
                print(f"  {problem}", file=sys.stderr)
        return 1
    try:
        text = lesson_text(lesson, args.page, width=max(20, args.width))
    except IndexError as exc:
        print(f"tutor read: {exc}.", file=sys.stderr)
        return 2
    sys.stdout.write(text)
    return 0
