"""The worker process: a budget that is enforced, and a worker that comes back."""

from __future__ import annotations

import os
import signal

from tutor.checking import ExerciseSpec
from tutor.checking.service import CheckService, worker_pid

SPEC = ExerciseSpec("derivative", function="sin(x^3)")


def test_check_over_budget_is_stopped_and_the_worker_restarts():
    with CheckService(budget_s=0.0005) as svc:
        svc.warm()
        first = worker_pid(svc)
        verdict = svc.check(SPEC, "3x^2 cos(x^3)")
        assert verdict.status == "invalid"
        assert verdict.diagnosis == "timeout"
        assert "longer than" in verdict.message
        assert svc.restarts == 1
        svc.budget_s = 10.0
        assert svc.check(SPEC, "3x^2 cos(x^3)").status == "correct"
        assert worker_pid(svc) != first


def test_a_crashed_worker_is_replaced():
    with CheckService(budget_s=10.0) as svc:
        svc.warm()
        os.kill(worker_pid(svc), signal.SIGKILL)
        verdict = svc.check(SPEC, "3x^2 cos(x^3)")
        # The dead worker is noticed before or during the call; either way the next answer is checked.
        if verdict.status == "invalid":
            assert verdict.diagnosis == "checker-crashed"
            verdict = svc.check(SPEC, "3x^2 cos(x^3)")
        assert verdict.status == "correct"


def test_preview_through_the_worker(service):
    verdict = service.preview("2x sin x", ("x",))
    assert verdict.interpreted == "2·x·sin(x)"
    assert verdict.pretty


def test_the_worker_replies_with_typed_messages(service):
    from tutor.checking.service import Pong, Preview

    assert isinstance(service._call("ping", None), Pong)
    assert isinstance(service._call("preview", ("xy^2", ("x", "y"))), Preview)
    assert service.warm() is True
    reading = service.preview("xy^2", ("x", "y"))
    assert reading.interpreted == "x·y^2"
    assert service.formula("x^2 = y").status == "correct"
