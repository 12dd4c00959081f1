"""The `tutor` command line: with no subcommand it opens the TUI.

Each subcommand lives in its own module under `tutor.commands` and exposes
`register(subparsers, common)`, which adds its parser and sets `func(args) -> int`.
Modules are imported only when the command line is parsed, so `tutor` alone stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from tutor.commands import common
from tutor.commands.common import common_options

COMMAND_MODULES = (
    "tutor.commands.compare",  # tutor compare
    "tutor.commands.course",  # tutor validate, tutor lessons, tutor check
    "tutor.commands.saves",  # tutor progress, reset, export, import, profiles
    "tutor.commands.read",  # tutor read
    "tutor.commands.serve",  # tutor serve
    "tutor.commands.practice",  # tutor review, tutor stats
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tutor",
        description="A terminal textbook for the calculus behind machine learning.",
        parents=[common_options()],
    )
    parser.add_argument("--accessible", action="store_true",
                        help="accessible mode: high contrast, figures and answer readings also in words, "
                             "no animation (also a setting in the command palette)")
    common.now_option(parser, "start the tutor's clock (what is due, what is recorded)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers, common_options())
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from tutor.ui.run import run_app

        return run_app(args)
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:
        # `tutor lessons | head`: the reader left; say nothing more and exit quietly.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stdout must stay valid until exit
        return 141


if __name__ == "__main__":
    sys.exit(main())
