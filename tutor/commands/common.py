"""Options shared by the TUI and every subcommand, and where their defaults come from."""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
CHECKOUT_DIR = PACKAGE_DIR.parent


def common_options() -> argparse.ArgumentParser:
    """A parent parser: pass as `parents=[common_options()]` so each subcommand accepts these."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--profile", default=argparse.SUPPRESS, help="progress profile (default: default)")
    parent.add_argument(
        "--save-dir", default=argparse.SUPPRESS, help="folder for save files (also TUTOR_SAVE_DIR)"
    )
    parent.add_argument(
        "--lessons", default=argparse.SUPPRESS, help="folder of lessons (default: the built-in course)"
    )
    return parent


def answers_may_start_with_minus(parser: argparse.ArgumentParser) -> None:
    """An answer such as -tan(x) starts with '-' but is not an option: only --long options and
    -h are options for this parser, so anything else that starts with '-' is read as a positional."""
    parser._negative_number_matcher = re.compile(r"^-(?!-)(?!h$).+")


def now_option(parser: argparse.ArgumentParser, what: str) -> None:
    """`--now ISO-TIME`: the clock, for trying scheduling out (a time without an offset is UTC).
    Given before or after the command name (`tutor --now T review` or `tutor review --now T`);
    read it with `now(args)`."""
    parser.add_argument("--now", metavar="ISO-TIME", type=_iso_time, default=argparse.SUPPRESS,
                        help=f"{what} at this time instead of now (e.g. 2026-03-02T09:00+01:00)")


def now(args: argparse.Namespace):
    """The `--now` time, or None for the real clock."""
    return getattr(args, "now", None)


def _iso_time(text: str):
    from datetime import datetime, timezone

    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def profile_name(args: argparse.Namespace) -> str:
    return getattr(args, "profile", None) or "default"


def is_source_checkout() -> bool:
    """True when running from a git checkout (as after `pip install -e .`)."""
    return (CHECKOUT_DIR / "pyproject.toml").is_file() and (CHECKOUT_DIR / "lessons").is_dir()


def lessons_dir(args: argparse.Namespace | None = None) -> Path:
    explicit = getattr(args, "lessons", None) if args is not None else None
    if explicit:
        return Path(explicit)
    if is_source_checkout():
        return CHECKOUT_DIR / "lessons"
    return PACKAGE_DIR / "course"  # the wheel carries the lessons here


def save_dir(args: argparse.Namespace | None = None) -> Path:
    explicit = getattr(args, "save_dir", None) if args is not None else None
    if explicit:
        return Path(explicit)
    env = os.environ.get("TUTOR_SAVE_DIR")
    if env:
        return Path(env)
    if is_source_checkout():
        return CHECKOUT_DIR / "saves"
    from platformdirs import user_data_dir

    return Path(user_data_dir("tutor", appauthor=False))
