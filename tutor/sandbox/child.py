"""Start one sandbox child (the harness) and collect what it sends, within the time limits.

The child runs `python -I harness.py` (a fresh interpreter, never a fork of the tutor, which
may be a threaded Textual app) in a new session: its own process group, killed as a whole when
the run ends, and no controlling terminal. It gets a temporary working folder, closed stdin,
its result pipe as the only extra descriptor, and a minimal environment. Everything it sends
is kept up to a cap and parsed as untrusted text.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HARNESS = Path(__file__).with_name("harness.py")
RESULT_LIMIT = 8 * 1024 * 1024  # bytes of harness events kept; reprs are capped, so this is slack
STARTUP_LIMIT = 20.0  # seconds for the interpreter and numpy to load; not counted against the learner
KILL_GRACE = 1.0  # the harness stops the learner itself at the time limit; this is the hard stop after it
DRAIN_LIMIT = 0.5  # seconds to collect the last output after the process group is killed
OUTPUT_LIMIT = 64 * 1024  # characters of printed output kept (and bytes of raw stderr)

# Thread pools in numpy's BLAS would count against the limits and outlive a kill; one thread suffices.
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
               "VECLIB_MAXIMUM_THREADS", "BLIS_NUM_THREADS")


@dataclass
class Raw:
    """What came back from the child, before interpretation."""

    events: list[dict]
    stdout: str
    stderr: str
    returncode: int | None
    stdout_cut: bool  # more was printed than kept
    killed_at_deadline: bool  # we stopped it: over the time limit (or a startup that never finished)
    ready: bool  # the harness got as far as starting the learner's code


def _child_env(work: Path) -> dict[str, str]:
    """A minimal environment: no user variables leak in (tokens, PATH, PYTHON*), and numpy stays single-threaded."""
    env = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "HOME": str(work), "TMPDIR": str(work), "TMP": str(work),
           "TEMP": str(work)}
    for name in ("SYSTEMROOT", "WINDIR", "PATH"):  # Windows cannot start Python without them
        if os.name == "nt" and name in os.environ:
            env[name] = os.environ[name]
    env.update({name: "1" for name in THREAD_VARS})
    return env


def run_child(work: Path, time_limit: float, output_limit: int) -> Raw:
    posix = os.name == "posix"
    if posix:
        read_fd, write_fd = os.pipe()
        channel = str(write_fd)
    else:  # no fd passing on Windows: a file in the work folder, read after the end
        read_fd = write_fd = -1
        channel = str(work / "events.jsonl")
    command = [sys.executable, "-I", "-B", "-X", "utf8", str(HARNESS), str(work), channel]
    try:
        proc = subprocess.Popen(
            command, cwd=work, env=_child_env(work), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, pass_fds=(write_fd,) if posix else (),
            # A new session: its own process group to kill as a whole, and no controlling
            # terminal, so nothing the learner runs can read from or draw on the tutor's terminal.
            start_new_session=posix,
        )
    except OSError as exc:
        if posix:
            os.close(read_fd)
            os.close(write_fd)
        return Raw([{"event": "tests_invalid", "message": f"could not start Python: {exc}"}], "", "", None, False,
                    False, False)
    if not posix:
        return _collect_simple(proc, work, time_limit)
    os.close(write_fd)
    try:
        return _collect(proc, read_fd, time_limit, output_limit)  # kills the group and reaps the child
    except BaseException:
        kill_group(proc)  # collecting failed (or the tutor is quitting): never leave a runaway behind
        raise
    finally:
        proc.wait()
        for stream in (proc.stdout, proc.stderr):
            stream.close()
        os.close(read_fd)


def _collect_simple(proc: subprocess.Popen, work: Path, time_limit: float) -> Raw:
    """Windows: no selectable pipes, no process groups, no rlimits; only one wall-clock limit. Untested."""
    killed = False
    try:
        out, err = proc.communicate(timeout=STARTUP_LIMIT + time_limit + KILL_GRACE)
    except subprocess.TimeoutExpired:
        killed = True
        proc.kill()
        out, err = proc.communicate()
    events_path = work / "events.jsonl"
    text = events_path.read_text("utf-8", "replace")[:RESULT_LIMIT] if events_path.exists() else ""
    return Raw(parse_events(text), out[:4 * OUTPUT_LIMIT].decode("utf-8", "replace"),
                err[:OUTPUT_LIMIT].decode("utf-8", "replace"), proc.returncode, len(out) > 4 * OUTPUT_LIMIT,
                killed, '"event": "ready"' in text)


class _Buffer:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.data = bytearray()
        self.cut = False

    def add(self, chunk: bytes) -> None:
        room = self.limit - len(self.data)
        if room > 0:
            self.data += chunk[:room]  # the rest is read and dropped, so the child never blocks on a full pipe
        self.cut = self.cut or len(chunk) > room


def _collect(proc: subprocess.Popen, result_fd: int, time_limit: float, output_limit: int) -> Raw:
    # The harness caps print() output in characters; bytes here (up to 4 per character in UTF-8)
    # also cap writes that bypass it, such as C code writing to fd 1.
    buffers = {proc.stdout.fileno(): _Buffer(4 * output_limit), proc.stderr.fileno(): _Buffer(OUTPUT_LIMIT),
               result_fd: _Buffer(RESULT_LIMIT)}
    selector = selectors.DefaultSelector()
    for fd in buffers:
        os.set_blocking(fd, False)
        selector.register(fd, selectors.EVENT_READ)
    exit_fd = _pidfd(proc.pid)
    if exit_fd is not None:
        selector.register(exit_fd, selectors.EVENT_READ)  # readable the moment the child exits
    deadline = time.monotonic() + STARTUP_LIMIT
    ready = killed = False
    try:
        while True:
            if not ready and b'"event": "ready"' in buffers[result_fd].data:
                ready = True
                deadline = time.monotonic() + time_limit + KILL_GRACE
            if _exited(proc):
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                killed = True
                break
            for key, _ in selector.select(min(remaining, 0.05 if exit_fd is None else remaining)):
                if key.fd == exit_fd:
                    continue
                _read(key.fd, buffers, selector)
        # Kill the group before reaping the leader: its zombie keeps the group id from being reused.
        kill_group(proc)
        proc.wait()
        _drain(buffers, selector, exit_fd)
    finally:
        selector.close()
        if exit_fd is not None:
            os.close(exit_fd)
    return Raw(
        events=parse_events(buffers[result_fd].data.decode("utf-8", "replace")),
        stdout=buffers[proc.stdout.fileno()].data.decode("utf-8", "replace"),
        stderr=buffers[proc.stderr.fileno()].data.decode("utf-8", "replace"),
        returncode=proc.returncode,
        stdout_cut=buffers[proc.stdout.fileno()].cut,
        killed_at_deadline=killed,
        ready=ready,
    )


def _read(fd: int, buffers: dict[int, _Buffer], selector: selectors.BaseSelector) -> None:
    try:
        chunk = os.read(fd, 65536)
    except BlockingIOError:
        return
    except OSError:
        chunk = b""
    if chunk:
        buffers[fd].add(chunk)
    else:
        selector.unregister(fd)


def _drain(buffers: dict[int, _Buffer], selector: selectors.BaseSelector, exit_fd: int | None) -> None:
    """Read what is left in the pipes. Bounded: a process that escaped the group may hold them open."""
    if exit_fd is not None:
        selector.unregister(exit_fd)
    end = time.monotonic() + DRAIN_LIMIT
    while selector.get_map() and (remaining := end - time.monotonic()) > 0:
        for key, _ in selector.select(remaining):
            _read(key.fd, buffers, selector)


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)  # Linux 5.3+
    except (AttributeError, OSError):
        return None


def _exited(proc: subprocess.Popen) -> bool:
    """Has the child exited? Without reaping it where possible (see `_collect`)."""
    if hasattr(os, "waitid"):
        try:
            return os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
        except ChildProcessError:
            return True
    return proc.poll() is not None


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the child's whole process group: it and anything it forked that stayed in the group."""
    if os.name == "posix":
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    elif proc.poll() is None:
        proc.kill()


def parse_events(text: str) -> list[dict]:
    events = []
    for line in text.splitlines():
        try:
            event = json.loads(line)
        except (ValueError, RecursionError):  # a line cut short by a crash, or nested beyond reason
            continue
        if isinstance(event, dict) and isinstance(event.get("event"), str):
            events.append(event)
    return events
