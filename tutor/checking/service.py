"""Run checks in a worker process with a time budget.

A Python thread cannot be stopped, so a runaway SymPy computation is cut off by terminating the
worker process and starting a fresh one. The worker is forked from a server that has already
imported SymPy (forkserver with preload), so a restart costs milliseconds, not a second.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
import time
import os
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection

from tutor.checking.spec import ExerciseSpec
from tutor.checking.verdict import Verdict

DEFAULT_BUDGET_S = 2.0


# -- the worker's replies: one type per request ----------------------------------------------------

@dataclass(frozen=True)
class Pong:
    """The worker is up and has imported the checker."""

    pid: int


@dataclass(frozen=True)
class Preview:
    """How a text is read (the live preview, a math block's 2-D form), with no judgement:
    `reading.status` is "correct" when the text can be read, "invalid" with the reason if not."""

    reading: Verdict


Reply = Pong | Preview | Verdict
MEMORY_LIMIT_BYTES = 2 * 1024**3
_PRELOAD = ["tutor.checking.engine"]


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:  # not on Windows
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = MEMORY_LIMIT_BYTES if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT_BYTES, hard)
    if soft == resource.RLIM_INFINITY or soft > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _serve(conn: Connection) -> None:
    """The worker's loop: one request in, one Verdict out, until the pipe closes."""
    _limit_memory()
    from tutor.checking import engine

    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        op, payload = request
        result: Reply
        try:
            if op == "check":
                spec, answer, seed = payload
                result = engine.check(spec, answer, seed)
            elif op == "preview":
                text, variables = payload
                result = Preview(engine.preview(text, variables))
            elif op == "formula":
                result = Preview(engine.formula(payload))
            elif op == "ping":
                result = Pong(os.getpid())
            else:
                result = Verdict(status="invalid", message=f"unknown request {op!r}")
        except MemoryError:
            result = Verdict(status="invalid", message="This answer needs too much memory to check.",
                             diagnosis="resource-limit")
        except RecursionError:
            result = Verdict(status="invalid", message="This answer is nested too deeply to check.",
                             diagnosis="resource-limit")
        except Exception as exc:  # a checker bug must not kill the worker or reach the learner as a traceback
            result = Verdict(status="invalid", message=f"The checker failed on this answer ({type(exc).__name__}).",
                             diagnosis="checker-error")
        try:
            conn.send(result)
        except (BrokenPipeError, OSError):
            return


def _context() -> multiprocessing.context.BaseContext:
    if sys.platform.startswith("linux"):
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


class CheckService:
    """A worker process that checks answers; thread-safe, restarted after an overrun or a crash.

    Create it before Textual takes over stderr (see stack notes): the constructor starts the
    multiprocessing helpers while file descriptors are still real.
    """

    def __init__(self, budget_s: float = DEFAULT_BUDGET_S) -> None:
        self.budget_s = budget_s
        self._ctx = _context()
        self._lock = threading.Lock()
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self.restarts = 0
        self._prepare()

    @staticmethod
    def _prepare() -> None:
        # The resource tracker passes stderr's descriptor to its process; start it while that is
        # real. The fork server itself starts with the first worker, after the first frame.
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()

    # -- lifecycle ----------------------------------------------------------------------------------
    def _start(self) -> None:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_serve, args=(child,), daemon=True, name="tutor-checker")
        process.start()
        child.close()
        self._process, self._conn = process, parent

    def _stop(self) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()
        if process is not None and process.is_alive():
            process.terminate()
            process.join(0.5)
            if process.is_alive():
                process.kill()
                process.join(0.5)

    def close(self) -> None:
        with self._lock:
            self._stop()

    def __enter__(self) -> CheckService:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def warm(self) -> bool:
        """Start the worker and wait until it answers, so the first real check is fast.
        True when the worker replied."""
        return isinstance(self._call("ping", None, budget_s=30.0), Pong)

    # -- requests -------------------------------------------------------------------------------------
    def check(self, spec: ExerciseSpec, answer: str, seed: int = 0) -> Verdict:
        reply = self._call("check", (spec, answer, seed))
        return reply if isinstance(reply, Verdict) else _unexpected(reply)

    def preview(self, text: str, variables: tuple[str, ...]) -> Verdict:
        return _reading(self._call("preview", (text, tuple(variables))))

    def formula(self, text: str) -> Verdict:
        return _reading(self._call("formula", text))

    def _call(self, op: str, payload, budget_s: float | None = None) -> Reply:
        budget = self.budget_s if budget_s is None else budget_s
        start = time.perf_counter()
        with self._lock:
            if self._process is None or not self._process.is_alive():
                self._stop()
                self._start()
            assert self._conn is not None
            try:
                self._conn.send((op, payload))
                ready = self._conn.poll(budget)
                result = self._conn.recv() if ready else None
            except (EOFError, BrokenPipeError, ConnectionResetError, OSError):
                self._stop()
                self.restarts += 1
                return Verdict(status="invalid", diagnosis="checker-crashed",
                               message="The checker stopped while reading this answer; try a simpler form.",
                               elapsed_ms=round((time.perf_counter() - start) * 1000, 2))
            if result is None:
                self._stop()
                self.restarts += 1
                return Verdict(status="invalid", diagnosis="timeout",
                               message=f"Checking took longer than {budget:g} s and was stopped; "
                                       "try a simpler form of your answer.",
                               elapsed_ms=round((time.perf_counter() - start) * 1000, 2))
        if isinstance(result, Verdict):
            return replace(result, elapsed_ms=round((time.perf_counter() - start) * 1000, 2))
        return result


def _reading(reply: Reply) -> Verdict:
    """A Preview's reading; a failure (timeout, crash) arrives as a Verdict and is passed on."""
    if isinstance(reply, Preview):
        return reply.reading
    return reply if isinstance(reply, Verdict) else _unexpected(reply)


def _unexpected(reply: Reply) -> Verdict:
    return Verdict(status="invalid", diagnosis="checker-error",
                   message=f"The checker answered with {type(reply).__name__} where a verdict was expected.")


def worker_pid(service: CheckService) -> int | None:
    """For tests: the current worker's process id."""
    return service._process.pid if service._process is not None else None
