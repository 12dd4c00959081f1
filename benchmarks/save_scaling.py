"""Does a save stay fast as history grows? The time of one recorded attempt with 0, 10 k and
100 k attempts already stored (target: under 20 ms at 100 k).

    python benchmarks/save_scaling.py [--sizes 0,10000,100000] [--exercises 134] [--samples 50] [--dir DIR]

Two paths are timed, each with a full durable write (lock, transaction, fsync of the log):
  check  what `tutor check` does: open the profile without reading it all, record, close
         (`record` is the record_attempt call alone; `all` includes opening and closing, and
         closing the last connection checkpoints the log into the database: one more fsync);
  app    what the app does: record on a store whose whole profile is in memory.
Also printed, for each size: opening the profile and reading everything (the app's start), and
one backup (taken at most every 15 minutes and on quit, never per attempt). The ratio column
compares each p50 with the same figure at the first size, measured in the same run; `fsync` is
the p50 of one 4 KiB write + fsync in the same folder, the floor under any durable write.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tutor.progress import model  # noqa: E402
from tutor.progress.store import ProgressStore, open_profile  # noqa: E402


def history(attempts: int, exercises: int) -> model.Profile:
    """A profile with `attempts` attempts spread over `exercises` exercises, as years of practice."""
    profile = model.new_profile("bench")
    for n in range(attempts):
        exercise_id = f"lesson-{n % exercises // 8}/e{n % exercises % 8 + 1}"
        model.apply_attempt(
            profile, exercise_id, f"x^{n % 9}*sin(x) + {n}", "correct" if n % 4 == 3 else "incorrect",
            diagnosis="missing-inner-derivative" if n % 4 == 1 else None,
            message="Not quite: check the inner derivative.", time=f"2026-01-01T00:00:00.{n % 1000000:06d}+00:00",
        )
    return profile


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def measure(folder: Path, attempts: int, exercises: int, samples: int) -> dict[str, list[float]]:
    store, issue = open_profile(folder, "bench")
    assert issue is None, issue
    store.set_setting("theme", "dark")  # the database exists even with no attempt in it
    if attempts:
        store.import_profile(history(attempts, exercises))
    store.close(backup=False)
    figures: dict[str, list[float]] = {
        "check": [], "check record": [], "app": [], "open": [], "backup": [], "fsync": []
    }

    def check(n: int) -> None:
        cli = ProgressStore(folder, "bench")
        assert cli.load(read_all=False) is None
        figures["check record"].append(
            timed(lambda: cli.record_attempt(f"lesson-{n % 16}/e{n % 8 + 1}", f"answer {n}", "incorrect", message="No."))
        )
        cli.close(backup=False)

    app, _ = open_profile(folder, "bench")
    app.backup()  # so that no timed write is the one that takes the periodic backup
    for n in range(samples):
        figures["check"].append(timed(lambda: check(n)))
    app.refresh()  # reads what the checks wrote; from here on this store is the only writer
    for n in range(samples):
        figures["app"].append(
            timed(lambda: app.record_attempt(f"lesson-{n % 16}/e{n % 8 + 1}", f"app {n}", "incorrect"))
        )
    fd = os.open(folder / "fsync-probe", os.O_WRONLY | os.O_CREAT)
    try:
        for _ in range(samples):
            figures["fsync"].append(timed(lambda: (os.write(fd, b"x" * 4096), os.fsync(fd))))
    finally:
        os.close(fd)
    assert len(app.profile.exercise("lesson-0/e1").attempts) >= 1
    for _ in range(3):
        figures["open"].append(timed(lambda: open_profile(folder, "bench")[0].close(backup=False)))
        figures["backup"].append(timed(app.backup))
    app.close(backup=False)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="0,10000,100000", help="attempts already stored, comma-separated")
    parser.add_argument("--exercises", type=int, default=134, help="exercises the history is spread over")
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--dir", type=Path, default=None, help="where to put the databases (default: a temporary folder)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    print(f"one recorded attempt, ms (p50 of {args.samples}, and p95 for the app); open and backup: best of 3")
    print(f"{'stored':>8}  {'check record':>12} {'ratio':>6} {'all':>7}  {'app p50':>8} {'p95':>7} {'ratio':>6}"
          f"  {'open':>8}  {'backup':>8}  {'fsync':>6}  {'file':>8}")
    base: dict[str, float] = {}
    for size in sizes:
        with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
            figures = measure(Path(tmp), size, args.exercises, args.samples)
            file_kib = sum(p.stat().st_size for p in Path(tmp).glob("bench.sqlite3") if p.is_file()) / 1024
        p50 = {k: statistics.median(v) for k, v in figures.items()}
        for key in ("check record", "app"):
            base.setdefault(key, p50[key])
        print(
            f"{size:>8}  {p50['check record']:>12.2f} {p50['check record'] / base['check record']:>5.2f}x"
            f" {p50['check']:>7.2f}  {p50['app']:>8.2f} {percentile(figures['app'], 0.95):>7.2f}"
            f" {p50['app'] / base['app']:>5.2f}x  {min(figures['open']):>8.1f}  {min(figures['backup']):>8.1f}"
            f"  {p50['fsync']:>6.2f}  {file_kib:>6.0f} KiB",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
