"""How long a durable save takes: p50/p95 of record_attempt and set_draft on a 200-exercise profile.

    python benchmarks/save_latency.py [--exercises 200] [--attempts-each 3] [--samples 200] [--dir DIR]

Each call is the full path a learner's answer takes: lock, BEGIN IMMEDIATE, read the rows it
needs, apply, write what differs, COMMIT with the log fsynced. The profile starts as a JSON save
(as an older tutor wrote it) and is migrated on open, as on a learner's first start with this
tutor. The folder defaults to a fresh temporary one; pass --dir to measure the disk the saves
really live on. How the cost grows with history: save_scaling.py.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tutor.progress import model  # noqa: E402
from tutor.progress.schema import dumps  # noqa: E402
from tutor.progress.store import open_profile  # noqa: E402


def build_profile(exercises: int, attempts_each: int) -> model.Profile:
    profile = model.new_profile("bench")
    for i in range(exercises):
        exercise_id = f"lesson-{i // 10}/e{i % 10 + 1}"
        for k in range(attempts_each):
            status = "correct" if k == attempts_each - 1 and i % 2 == 0 else "incorrect"
            model.apply_attempt(
                profile, exercise_id, f"x^{k}*sin(x) + {i}", status, message="Not quite: check the inner derivative."
            )
    return profile


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--exercises", type=int, default=200)
    parser.add_argument("--attempts-each", type=int, default=3)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        profile = build_profile(args.exercises, args.attempts_each)
        (folder / "bench.json").write_text(dumps(profile), encoding="utf-8")
        json_size = (folder / "bench.json").stat().st_size
        start = time.perf_counter()
        store, issue = open_profile(folder, "bench")
        migrate_ms = (time.perf_counter() - start) * 1000
        assert issue is None, issue
        store.backup()  # the first write would take it: keep it out of the timed calls

        attempt_ms = []
        for n in range(args.samples):
            start = time.perf_counter()
            store.record_attempt(f"lesson-{n % 20}/e{n % 10 + 1}", f"answer {n}", "incorrect", message="No.")
            attempt_ms.append((time.perf_counter() - start) * 1000)

        draft_ms = []
        for n in range(args.samples):
            start = time.perf_counter()
            store.set_draft("lesson-0/e1", f"3*x^2*cos(x^3) + {n}")
            draft_ms.append((time.perf_counter() - start) * 1000)

        store.close(backup=False)
        db_size = (folder / "bench.sqlite3").stat().st_size
        print(f"profile: {args.exercises} exercises; JSON save {json_size / 1024:.0f} KiB migrated on open in "
              f"{migrate_ms:.0f} ms; database {db_size / 1024:.0f} KiB")
        for name, samples in (("record_attempt", attempt_ms), ("set_draft", draft_ms)):
            print(
                f"{name:15s} n={len(samples)}  p50 {statistics.median(samples):6.2f} ms"
                f"  p95 {percentile(samples, 0.95):6.2f} ms  max {max(samples):6.2f} ms"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
