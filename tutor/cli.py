"""The `tutor` command line: with no subcommand it opens the TUI.

Each subcommand lives in its own module under `tutor.commands` and exposes
`register(subparsers, common)`, which adds its parser and sets `func(args) -> int`.
Modules are imported only when the command line is parsed, so `tutor` alone stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from tutor.commands.common import common_options

COMMAND_MODULES = (
    "tutor.commands.compare",  # tutor compare
    "tutor.commands.course",  # tutor validate, tutor lessons, tutor check
    "tutor.commands.saves",  # tutor progress, reset, export, import, profiles
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tutor",
        description="A terminal textbook for the calculus behind machine learning.",
        parents=[common_options()],
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue  # a command module not written yet
        module.register(subparsers, common_options())
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from tutor.ui.run import run_app

        return run_app(args)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
