"""Process start to the first frame of the TUI, beside a minimal Textual app, and the ratio.

Each run starts a fresh Python process that builds the real app (course, save file, checker)
and runs it headless; the app reports when its first frame has been drawn and when its first
answer has been checked by the worker process. A minimal app (Header, Static, Footer) is
measured the same way in the same run, alternating with the tutor, so a loaded machine slows
both alike. Target: the tutor's first frame within 1.3x the minimal app's.

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

    from tutor.ui.run import build_app

    # The same app `tutor` runs: its course and save file are read after the first frame.
    built = build_app(_argparse.Namespace(save_dir=save_dir))
    TutorApp = type(built)
    marks: dict[str, float] = {}

    class MeasuredApp(TutorApp):
        def on_mount(self) -> None:
            self.call_after_refresh(self.first_frame)  # before the app's own after-frame work
            super().on_mount()

        def first_frame(self) -> None:
            marks["first_frame"] = time.time() - started
            threading.Thread(target=self.first_verdict, daemon=True).start()

        def first_verdict(self) -> None:
            while self.session is None:  # the course is read after the first frame
                time.sleep(0.01)
            exercise = next(e for lesson in self.session.course.lessons.values() for e in lesson.exercises
                            if e.kind == "derivative")
            verdict = self.checker.check(exercise.parts[0].spec, "cos(x^3)")
            marks["first_verdict"] = time.time() - started
            marks["status"] = verdict.status
            self.call_from_thread(self.exit, 0)

    app = MeasuredApp(built._open_session, built.checker)
    app.run(headless=True, size=(100, 32))
    app.checker.close()
    print(json.dumps(marks))


def minimal_child(started: float) -> None:
    """The baseline: the smallest Textual app with the same chrome, measured the same way."""
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    marks: dict[str, float] = {}

    class Minimal(App):
        def compose(self):
            yield Header()
            yield Static("hello")
            yield Footer()

        def on_mount(self) -> None:
            self.call_after_refresh(self.first_frame)

        def first_frame(self) -> None:
            marks["first_frame"] = time.time() - started
            self.exit(0)

    Minimal().run(headless=True, size=(100, 32))
    print(json.dumps(marks))


def _run(mode: str, save_dir: str) -> dict:
    started = time.time()
    result = subprocess.run([sys.executable, __file__, mode, str(started), "--save-dir", save_dir],
                            capture_output=True, text=True, timeout=120)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", type=float, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--minimal", type=float, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--save-dir", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args.save_dir)
        return 0
    if args.minimal is not None:
        minimal_child(args.minimal)
        return 0
    frames, verdicts, baseline = [], [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as save_dir:
            baseline.append(_run("--minimal", save_dir)["first_frame"])
            marks = _run("--child", save_dir)
            frames.append(marks["first_frame"])
            verdicts.append(marks["first_verdict"])
    tutor, minimal = statistics.median(frames), statistics.median(baseline)
    print(f"minimal Textual app -> first frame: median {minimal:.2f} s "
          f"(min {min(baseline):.2f}, max {max(baseline):.2f}) over {args.runs} runs")
    print(f"process start -> first frame:   median {tutor:.2f} s "
          f"(min {min(frames):.2f}, max {max(frames):.2f}) over {args.runs} runs")
    print(f"ratio tutor / minimal: {tutor / minimal:.2f}x (target <= 1.3x)")
    print(f"process start -> first verdict: median {statistics.median(verdicts):.2f} s "
          f"(min {min(verdicts):.2f}, max {max(verdicts):.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
