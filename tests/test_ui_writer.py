"""The one save writer: in order, off the caller's thread, flushed on demand, failures reported."""

from __future__ import annotations

import threading
import time

from tutor.checking.spec import ExerciseSpec, precision_note
from tutor.ui.writer import SaveWriter


def direct(callback, arg):
    callback(arg)


def test_writes_run_in_the_order_asked_and_submit_never_waits():
    done, errors = [], []
    gate = threading.Event()
    writer = SaveWriter(direct, errors.append)
    writer.submit(gate.wait)
    started = time.perf_counter()
    for n in range(50):
        writer.submit(done.append, n)
    assert time.perf_counter() - started < 0.5 and done == []  # queued, not written
    gate.set()
    writer.flush()
    assert done == list(range(50)) and errors == []
    writer.close()


def test_a_failed_write_is_reported_and_the_rest_still_run():
    done, errors, results = [], [], []
    writer = SaveWriter(direct, errors.append)
    writer.submit(lambda: 1 / 0)
    writer.submit(lambda: "ok", then=results.append)
    writer.submit(done.append, "after")
    writer.close()  # closing writes what is queued
    assert [type(e) for e in errors] == [ZeroDivisionError] and results == ["ok"] and done == ["after"]


def test_precision_is_said_for_numbers_only():
    assert "5 significant figures" in precision_note(ExerciseSpec("numeric", answer="1"))
    assert "3 significant figures" in precision_note(ExerciseSpec("numeric", answer="1", rel_tol=1e-2))
    assert precision_note(ExerciseSpec("numeric", answer="1", abs_tol=0.01)) == "within 0.01"
    assert precision_note(ExerciseSpec("derivative", function="x^2")) == ""
