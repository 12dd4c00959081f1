"""Start the TUI from the command line: open the session, prepare the checker, run the app."""

from __future__ import annotations

import argparse


def build_app(args: argparse.Namespace):
    """The app for these options. The course and the save file are read after the first frame."""
    import time
    from functools import partial

    from tutor.checking.service import CheckService
    from tutor.commands import common
    from tutor.commands.common import lessons_dir, profile_name, save_dir
    from tutor.ui.app import TutorApp

    now, launched = common.now(args), time.monotonic()

    def open_session(lessons, saves, profile):
        from tutor.session import Session, clock_from

        session = Session.open(lessons, saves, profile)
        if now is not None:  # `--now`: the clock reads that time at launch and runs on from it
            session.clock = clock_from(now, began=launched)
        return session

    # Created before the app runs: it starts multiprocessing's helpers while stderr is still a
    # real file (Textual replaces it, and then they fail to start).
    checker = CheckService()
    opener = partial(open_session, lessons_dir(args), save_dir(args), profile_name(args))
    return TutorApp(opener, checker, accessible=getattr(args, "accessible", False))


def run_app(args: argparse.Namespace) -> int:
    app = build_app(args)
    try:
        app.run()
    finally:
        app.writer.close()
        app.checker.close()
    return app.return_code or 0
