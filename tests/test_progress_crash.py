"""A short run of benchmarks/crash_test.py, so CI kills a recording process too.

The full run (300 kills) is `python benchmarks/crash_test.py`; this one does 20 rounds with two
writers on the profile (backing up often in every other round, so kills land inside backups
too), and checks the script does catch an unsafe writer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "crash_test.py"

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")


def crash_test(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--json", *args], capture_output=True, text=True, timeout=300
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_no_acknowledged_attempt_is_lost_to_sigkill():
    figures = crash_test("--kills", "20", "--writers", "2")
    assert figures["problems"] == []
    assert figures["rounds"] == 20 and figures["kills"] == 40
    assert figures["load_failures"] == 0 and figures["missing"] == 0 and figures["bad_backups"] == 0
    assert figures["acknowledged"] > 20  # the children really were recording when killed
    assert figures["acknowledged_found"] == figures["acknowledged"]


def test_the_crash_test_catches_an_unsafe_writer():
    figures = crash_test("--kills", "40", "--sabotage")
    assert figures["failures"] > 0
    assert figures["load_failures"] + figures["missing"] > 0
