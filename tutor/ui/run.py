"""Start the TUI from the command line: open the session, prepare the checker, run the app."""

from __future__ import annotations

import argparse
import sys


def run_app(args: argparse.Namespace) -> int:
    from tutor.checking.service import CheckService
    from tutor.commands.common import lessons_dir, profile_name, save_dir
    from tutor.progress import ProfileNameError
    from tutor.session import Session

    try:
        session = Session.open(lessons_dir(args), save_dir(args), profile_name(args))
    except ProfileNameError as exc:
        print(f"tutor: {exc}", file=sys.stderr)
        return 2
    # Created before the app runs: it starts multiprocessing's helpers while stderr is still a
    # real file (Textual replaces it, and then they fail to start).
    checker = CheckService()
    from tutor.ui.app import TutorApp

    app = TutorApp(session, checker)
    try:
        app.run()
    finally:
        checker.close()
    return app.return_code or 0
