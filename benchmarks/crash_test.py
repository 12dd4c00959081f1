"""Crash test: SIGKILL a process at random moments while it records attempts, then check that
the save always loads and holds every attempt acknowledged before the kill.

    python benchmarks/crash_test.py [--kills 300] [--writers 1] [--max-delay 0.06] [--dir DIR] [--json]

Each round starts `--writers` child processes on one profile. A child records attempts in a loop
through `ProgressStore.record_attempt` and prints `ack <answer>` only after the call returned,
that is after the attempt was durably written. After waiting for the children to be ready, the
parent sleeps a random time, SIGKILLs them, collects every ack they printed, and reloads the
profile: it must load without a problem and contain every acknowledged attempt, and its backup
(taken every BACKUP_EVERY by the children of every other round, so that kills also land inside
backups) must be usable. Exit status 0 when every round passed.

SIGKILL stops the process at any instruction, mid-transaction included; it does not simulate a
power cut (the kernel still writes out what was written), which the fsync on every commit
(`synchronous = FULL`) covers but this test cannot.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROFILE = "crash"


class _WriteBehind:
    """What not to do: acknowledge an attempt before it is written, flushing a queue of them
    every tenth call (as a careless write-behind cache would)."""

    def __init__(self, record):
        self.record = record
        self.queue: list[tuple] = []

    def __call__(self, *args, **kwargs):
        self.queue.append((args, kwargs))
        if len(self.queue) >= 10:
            for queued_args, queued_kwargs in self.queue:
                self.record(*queued_args, **queued_kwargs)
            self.queue.clear()


BACKUP_EVERY = 0.1  # seconds: in odd rounds the children back up this often, so kills land inside backups


def child(save_dir: Path, tag: str) -> None:
    """Record attempts forever, acknowledging each after it is durable."""
    from tutor.progress import backups
    from tutor.progress.store import open_profile

    if os.environ.get("TUTOR_CRASH_BACKUPS"):
        backups.BACKUP_EVERY = BACKUP_EVERY

    store, issue = open_profile(save_dir, PROFILE)
    if issue is not None:
        print(f"issue {issue.message}", flush=True)
        return
    record = store.record_attempt
    if os.environ.get("TUTOR_CRASH_SABOTAGE"):
        record = _WriteBehind(record)  # to show the test catches an unsafe writer
    print("ready", flush=True)
    n = 0
    while True:
        exercise_id = f"crash-{n % 7}/e{n % 11 + 1}"
        answer = f"{tag}-{n}"
        status = "correct" if n % 5 == 4 else ("invalid" if n % 5 == 3 else "incorrect")
        record(exercise_id, answer, status, message=f"attempt {n}", content_hash=f"h{n % 3}")
        print(f"ack {answer}", flush=True)
        if n % 4 == 1:
            store.set_draft(exercise_id, f"draft {answer}")  # other write paths, not acknowledged
        if n % 9 == 2:
            store.record_hint(exercise_id, 1 + n % 3)
        if n % 13 == 5:
            store.set_position(f"crash-{n % 7}", n % 4, float(n % 50))
        n += 1


def run(
    kills: int, writers: int, max_delay: float, folder: Path, seed: int, quiet: bool, sabotage: bool = False
) -> dict:
    from tutor.progress.backups import backup_info
    from tutor.progress.fileio import stale_temporaries
    from tutor.progress.store import open_profile

    rng = random.Random(seed)
    acked: set[str] = set()
    figures = {
        "rounds": 0,
        "kills": 0,
        "writers": writers,
        "acknowledged": 0,
        "acknowledged_found": 0,
        "unacknowledged_found": 0,
        "missing": 0,
        "load_failures": 0,
        "attempts_stored": 0,
        "mid_backup_kills": 0,
        "bad_backups": 0,
        "failures": 0,
        "seconds": 0.0,
        "save_bytes": 0,
    }
    problems: list[str] = []
    start = time.perf_counter()
    for round_no in range(kills):
        procs = [
            subprocess.Popen(
                [sys.executable, __file__, "--child", str(folder), f"r{round_no}w{w}"],
                stdout=subprocess.PIPE,
                text=True,
                env={
                    **os.environ,
                    **({"TUTOR_CRASH_SABOTAGE": "1"} if sabotage else {}),
                    **({"TUTOR_CRASH_BACKUPS": "1"} if round_no % 2 else {}),
                },
            )
            for w in range(writers)
        ]
        early: list[list[str]] = []
        for proc in procs:
            first = proc.stdout.readline().strip()
            if first != "ready":
                problems.append(f"round {round_no}: child said {first!r} instead of ready")
            early.append([])
        time.sleep(rng.uniform(0, max_delay))
        for proc in procs:
            proc.send_signal(signal.SIGKILL)
        for proc, lines in zip(procs, early):
            lines.extend(proc.stdout.read().splitlines())  # acks printed before the kill stay in the pipe
            proc.wait()
            proc.stdout.close()
            acked.update(line[4:] for line in lines if line.startswith("ack "))
        figures["rounds"] += 1
        backup = folder / f"{PROFILE}.sqlite3.bak"
        if stale_temporaries(backup):
            figures["mid_backup_kills"] += 1  # a temporary copy left behind: killed inside a backup
        info = backup_info(backup)
        if info is not None and not info.usable:
            figures["bad_backups"] += 1
            problems.append(f"round {round_no}: the backup is not usable: {info.summary}")
        figures["kills"] += len(procs)

        store, issue = open_profile(folder, PROFILE)
        if issue is not None:
            figures["load_failures"] += 1
            problems.append(f"round {round_no}: the save did not load: {issue.message}")
            break
        found = {a.answer for r in store.profile.exercises.values() for a in r.attempts}
        missing = acked - found
        if missing:
            example = sorted(missing)[:3]
            problems.append(f"round {round_no}: {len(missing)} acknowledged attempts missing, e.g. {example}")
            figures["missing"] += len(missing)
            acked -= missing  # report each loss once
        if not quiet and (round_no + 1) % 50 == 0:
            print(f"  {round_no + 1} rounds, {len(acked)} attempts acknowledged", file=sys.stderr, flush=True)

    store, issue = open_profile(folder, PROFILE)
    found = set() if issue else {a.answer for r in store.profile.exercises.values() for a in r.attempts}
    figures["acknowledged"] = len(acked) + figures["missing"]
    figures["acknowledged_found"] = len(acked & found)
    figures["unacknowledged_found"] = len(found - acked)
    figures["failures"] = len(problems)
    figures["seconds"] = round(time.perf_counter() - start, 1)
    figures["attempts_stored"] = len(found)
    figures["save_bytes"] = sum(p.stat().st_size for p in folder.glob(f"{PROFILE}.sqlite3*") if p.is_file())
    figures["problems"] = problems[:20]
    return figures


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) >= 4 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), sys.argv[3])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=300, help="rounds of start-record-kill (default 300)")
    parser.add_argument("--writers", type=int, default=1, help="processes recording at once on the profile")
    parser.add_argument("--max-delay", type=float, default=0.06, help="longest wait before the kill, seconds")
    parser.add_argument("--dir", type=Path, default=None, help="save folder (default: a new temporary one)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--sabotage", action="store_true", help="children acknowledge before writing: the test must then fail"
    )
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**32)

    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        figures = run(
            args.kills, args.writers, args.max_delay, Path(tmp), seed, quiet=args.json, sabotage=args.sabotage
        )
    figures["seed"] = seed
    ok = figures["failures"] == 0 and figures["acknowledged"] > 0
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"crash test: {figures['kills']} SIGKILLs over {figures['rounds']} rounds, {args.writers} writer(s), "
              f"{figures['seconds']} s, seed {seed}")
        print(f"  attempts acknowledged before a kill : {figures['acknowledged']}")
        print(f"  acknowledged attempts found         : {figures['acknowledged_found']}")
        print(f"  missing acknowledged attempts       : {figures['missing']}")
        print(f"  written but not yet acknowledged    : {figures['unacknowledged_found']}")
        print(f"  attempts in the save at the end     : {figures['attempts_stored']}")
        print(f"  load failures                       : {figures['load_failures']}")
        print(f"  rounds killed inside a backup       : {figures['mid_backup_kills']}")
        print(f"  unusable backups after a kill       : {figures['bad_backups']}")
        print(f"  final database (with log and backup): {figures['save_bytes'] / 1024:.0f} KiB")
        for problem in figures["problems"]:
            print(f"  FAIL {problem}")
        print("  RESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
