"""Process start to the first frame of the TUI, and to the first verdict.

Each run starts a fresh Python process that builds the real app (course, save file, checker)
and runs it headless; the app reports when its first frame has been drawn and when its first
answer has been checked by the worker process. Target on a 2-core machine: first frame within
about 0.5 s.

    python benchmarks/first_frame.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time


def child(started: float, save_dir: str) -> None:
    """Runs in the measured process: everything from here on is what a learner waits for."""
    import argparse as _argparse
    import threading
    from pathlib import Path

    from tutor.checking.service import CheckService
    from tutor.commands.common import lessons_dir
    from tutor.session import Session
    from tutor.ui.app import TutorApp

    session = Session.open(lessons_dir(_argparse.Namespace()), Path(save_dir), "default")
    checker = CheckService()
    marks: dict[str, float] = {}

    class MeasuredApp(TutorApp):
        def on_mount(self) -> None:
            super().on_mount()
            self.call_after_refresh(self.first_frame)

        def first_frame(self) -> None:
            marks["first_frame"] = time.time() - started
            threading.Thread(target=self.first_verdict, daemon=True).start()

        def first_verdict(self) -> None:
            exercise = next(e for lesson in self.session.course.lessons.values() for e in lesson.exercises
                            if e.kind == "derivative")
            verdict = self.checker.check(exercise.parts[0].spec, "cos(x^3)")
            marks["first_verdict"] = time.time() - started
            marks["status"] = verdict.status
            self.call_from_thread(self.exit, 0)

    MeasuredApp(session, checker).run(headless=True, size=(100, 32))
    checker.close()
    print(json.dumps(marks))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", type=float, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--save-dir", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args.save_dir)
        return 0
    frames, verdicts = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as save_dir:
            started = time.time()
            result = subprocess.run([sys.executable, __file__, "--child", str(started), "--save-dir", save_dir],
                                    capture_output=True, text=True, timeout=120)
            marks = json.loads(result.stdout.strip().splitlines()[-1])
            frames.append(marks["first_frame"])
            verdicts.append(marks["first_verdict"])
    print(f"process start -> first frame:   median {statistics.median(frames):.2f} s "
          f"(min {min(frames):.2f}, max {max(frames):.2f}) over {args.runs} runs")
    print(f"process start -> first verdict: median {statistics.median(verdicts):.2f} s "
          f"(min {min(verdicts):.2f}, max {max(verdicts):.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
