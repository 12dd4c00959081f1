"""The child side of the sandbox: lock itself down, run the learner's code, evaluate test leaves, report.

The runner starts this file by path in a fresh interpreter:

    python -I -B -X utf8 harness.py JOB_DIR RESULT_CHANNEL

`JOB_DIR/job.json` holds the role, the code, this role's part of the test plan (plan.py) and
the limits (files, not argv, so nothing depends on command-line length or quoting).
RESULT_CHANNEL is a pipe file descriptor (POSIX) or a file path; events go there as JSON
lines, never on stdout, which belongs to the learner. Events are streamed as they happen so
that a crash half-way still leaves the finished tests.

Nothing sent on the channel is a verdict: the child reports values as plain data (`encode`)
and the parent decides (judge.py). Learner code can write to the channel too, since it runs
in this process; all it can say there is what its functions could have returned.

Before any learner code runs, the child applies the kernel layers (lockdown.py, Linux) and the
resource limits to itself. Standard library only, plus the layers' packages, and nothing from
`tutor`: `-I` keeps the package off `sys.path`. The parent imports this module for a few
helpers; everything with side effects sits under `main()`.

This is the one place where `exec` is right: it runs the learner's own Python on the learner's
own machine, which is the whole point of a code exercise. It runs in this throwaway process
only, never in the tutor.
"""

from __future__ import annotations

import ast
import builtins
import itertools
import json
import linecache
import os
import signal
import sys
import time
import traceback

CODE_FILE = "<your code>"  # the filename learner frames carry in tracebacks
TESTS_FILE = "<tests>"
TRACEBACK_FRAMES = 6  # learner frames kept in a traceback (deep recursion is cut in the middle)
RESERVE_BYTES = 4 * 1024 * 1024  # freed on MemoryError so the report can still be written
EXPLAIN_ITEMS = 10_000  # how far `all(...)` is searched for the first failing item


# --------------------------------------------------------------------------- test statements


def forbidden_imports(tree: ast.AST, allowed: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(line, column, module) of each import statement in `tree` that the exercise does not allow."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, node.col_offset + 1, a.name)
                      for a in node.names if not allowed_module(a.name, allowed)]
        elif isinstance(node, ast.ImportFrom):
            name = "." * node.level + (node.module or "")
            if node.level or not allowed_module(name, allowed):
                found.append((node.lineno, node.col_offset + 1, name))
    return found


def allowed_module(name: str, allowed: tuple[str, ...]) -> bool:
    """`numpy.linalg` is allowed when `numpy` is: a whitelisted package brings its submodules."""
    return any(name == a or name.startswith(a + ".") for a in allowed)


def import_message(name: str, allowed: tuple[str, ...]) -> str:
    choices = ", ".join(allowed) if allowed else "nothing"
    return f"importing '{name}' is not allowed in this exercise (allowed: {choices})"


# --------------------------------------------------------------------------- child machinery


class TimeLimit(BaseException):
    """Raised by the wall-clock timer. A BaseException so `except Exception` in learner code cannot swallow it."""


class ForbiddenImport(ImportError):
    """An ImportError, so `try: import scipy / except ImportError` in learner code still works."""


class Capture:
    """Stands in for sys.stdout/sys.stderr: keeps the first `limit` characters of the whole run.

    Everything kept is also written through to the real stdout, which the runner reads: that
    copy is the run's whole output, in order, even when the process is killed half-way. The
    copies kept here attribute output to the phase (loading, test k) that printed it.
    """

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, limit: int, sink) -> None:
        self.limit = limit
        self.sink = sink  # the real stdout: written through, so output survives a crash or a kill
        self.parts: list[str] = []
        self.kept = 0
        self.dropped = 0
        self.mark = 0  # where the current phase (loading, test k) started in `parts`
        self.muted = False  # while explaining a failure, which calls the learner's functions again

    def write(self, text: str) -> int:
        text = str(text)
        if self.muted:
            return len(text)
        room = self.limit - self.kept
        if room > 0:
            piece = text[:room]
            self.parts.append(piece)
            self.kept += len(piece)
            try:
                self.sink.write(piece)
                self.sink.flush()
            except (OSError, ValueError):
                pass
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def take(self) -> str:
        """The output written since the last call."""
        text = "".join(self.parts[self.mark:])
        self.mark = len(self.parts)
        return text


class Reporter:
    def __init__(self, channel: str) -> None:
        if channel.isdigit():
            self.stream = os.fdopen(int(channel), "w", encoding="utf-8")
        else:
            self.stream = open(channel, "w", encoding="utf-8")

    def emit(self, event: str, **data) -> None:
        self.stream.write(json.dumps({"event": event, **data}) + "\n")
        self.stream.flush()


def describe(exc: BaseException) -> str:
    """`NameError: name 'x' is not defined`, in one line."""
    if isinstance(exc, ForbiddenImport):
        return f"ImportError: {exc}"
    if isinstance(exc, TimeLimit):
        return "stopped here: time limit reached"
    return traceback.format_exception_only(type(exc), exc)[-1].strip()


def learner_frames(exc: BaseException) -> list[traceback.FrameSummary]:
    return [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == CODE_FILE]


def short_traceback(exc: BaseException) -> tuple[str, int | None]:
    """The traceback cut down to the learner's own lines (numbered as in their code), and the innermost line."""
    frames = learner_frames(exc)
    line = frames[-1].lineno if frames else None
    if isinstance(exc, SyntaxError) and exc.filename == CODE_FILE:
        line = exc.lineno
    if len(frames) > TRACEBACK_FRAMES:  # deep recursion: show both ends
        hidden = len(frames) - TRACEBACK_FRAMES
        shown = frames[:2] + [None] + frames[-(TRACEBACK_FRAMES - 2):]
    else:
        hidden, shown = 0, frames
    lines = ["Traceback (your code):"] if frames else []
    for frame in shown:
        if frame is None:
            lines.append(f"  ... {hidden} more calls ...")
            continue
        where = "" if frame.name == "<module>" else f", in {frame.name}"
        lines.append(f"  line {frame.lineno}{where}")
        if frame.line:
            lines.append(f"    {frame.line.strip()}")
    lines.append(describe(exc))
    return "\n".join(lines), line


def blocked(what: str):
    def refuse(*args, **kwargs):
        raise PermissionError(f"{what} is not available in code exercises")

    refuse.__name__ = what.replace(".", "_").replace("()", "")
    return refuse


def guard_processes() -> None:
    """Make starting processes fail with a clear error, so a fork loop stops at the first fork.

    A guard against mistakes, not a wall: the whitelist already keeps `os` and `subprocess` out
    of reach, and ctypes (or a C extension) can call fork() directly. The runner's process-group
    kill and RLIMIT_NPROC are the next layers.
    """
    for name in ("fork", "forkpty", "system", "popen", "posix_spawn", "posix_spawnp",
                 "execv", "execve", "execl", "execle", "execlp", "execlpe", "execvp", "execvpe",
                 "spawnv", "spawnve", "spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnvp", "spawnvpe"):
        if hasattr(os, name):
            setattr(os, name, blocked(f"os.{name}()"))
    try:
        import _posixsubprocess  # what subprocess and multiprocessing fork through

        _posixsubprocess.fork_exec = blocked("starting a subprocess")
    except ImportError:
        pass


def apply_limits(job: dict) -> tuple[list[str], list[str]]:
    """Set this process's resource limits before any learner code runs; forked children inherit them.

    Done here rather than in a `preexec_fn`: preexec_fn is unsafe when the parent has threads
    (the tutor is a Textual app), and this process has not run a line of learner code yet.
    """
    applied: list[str] = []
    failed: list[str] = []
    try:
        import resource
    except ImportError:  # Windows: only the wall clock applies
        return applied, ["resource (not available on this system)"]

    def limit(name: str, value: int, hard: int | None = None) -> None:
        which = getattr(resource, name, None)
        if which is None:
            failed.append(f"{name} (not on this system)")
            return
        try:
            resource.setrlimit(which, (value, value if hard is None else hard))
            applied.append(f"{name}={value}")
        except (ValueError, OSError) as exc:
            failed.append(f"{name} ({exc})")

    cpu_used = time.process_time()
    # The CPU limit is a backstop behind the wall clock, so it is a little looser.
    cpu = int(cpu_used + job["time_limit"]) + 3
    limit("RLIMIT_CPU", cpu, cpu + 1)
    if sys.platform.startswith("linux"):  # macOS does not enforce RLIMIT_AS
        limit("RLIMIT_AS", int(job["memory_mb"]) * 1024 * 1024)
    limit("RLIMIT_FSIZE", int(job.get("file_limit", 8 * 1024 * 1024)))
    limit("RLIMIT_CORE", 0)
    limit("RLIMIT_NOFILE", 64)
    # Counts every process and thread of the user, so 0 means "no new ones at all" for this
    # process and its children; the tutor itself is unaffected. Root ignores it.
    limit("RLIMIT_NPROC", 0)
    return applied, failed


def restricted_builtins(allowed: tuple[str, ...]) -> dict:
    """The builtins the learner's code and the tests see: imports go through the whitelist.

    Swapping `__import__` in the namespace's own `__builtins__` (rather than in the `builtins`
    module) means only code compiled from the learner's text and the tests is filtered: numpy's
    own modules keep the real `__import__` and import what they need internally.
    """
    real_import = builtins.__import__

    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level:
            raise ForbiddenImport("relative imports are not allowed in code exercises")
        if not allowed_module(name, allowed):
            raise ForbiddenImport(import_message(name, allowed))
        return real_import(name, globals, locals, fromlist, level)

    namespace = dict(builtins.__dict__)
    namespace["__import__"] = guarded_import
    namespace["input"] = blocked("input()")  # stdin is closed; say why instead of EOFError
    namespace["breakpoint"] = blocked("breakpoint()")
    return namespace


# --------------------------------------------------------------------------- values as data


ENCODE_LIMIT = 200_000  # numbers and items one value may hold (a few MB of JSON, under the runner's cap)
INT_DIGITS_LIMIT = 4000  # below Python's 4300-digit int-to-text limit


class NotData(Exception):
    pass


def encode(value, budget: list[int] | None = None):
    """`value` as JSON-ready plain data, by value and by exact type, so the parent can compare it.

    Exact types only: a subclass of float or list could answer comparisons its own way, so it
    (and any other object) is sent as {"opaque": type name}, which the parent refuses to compare.
    """
    budget = budget if budget is not None else [ENCODE_LIMIT]
    budget[0] -= 1
    if budget[0] < 0:
        raise NotData(f"the value is too large to send back (more than {ENCODE_LIMIT:,} items)")
    kind = type(value)
    if value is None or kind is bool or kind is str:
        return value if kind is not str or len(value) <= 100_000 else value[:100_000]
    if kind is int:
        if value.bit_length() > INT_DIGITS_LIMIT * 3.32:
            raise NotData("the integer is too large to send back (more than 4000 digits)")
        return value
    if kind is float:
        return value
    if kind is complex:
        return {"complex": [value.real, value.imag]}
    if kind is list:
        return [encode(v, budget) for v in value]
    if kind is tuple:
        return {"tuple": [encode(v, budget) for v in value]}
    if kind is dict:
        return {"dict": [[encode(k, budget), encode(v, budget)] for k, v in value.items()]}
    if kind in (set, frozenset):
        return {"set": [encode(v, budget) for v in value]}
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        if isinstance(value, numpy.ndarray):
            array = numpy.asarray(value).view(numpy.ndarray)
            if array.dtype.kind not in "biufc":
                return {"opaque": f"numpy array of {array.dtype}"}
            budget[0] -= array.size
            if budget[0] < 0:
                raise NotData(f"the array is too large to send back (more than {ENCODE_LIMIT:,} numbers)")
            items = numpy.ndarray.tolist(array)
            if array.dtype.kind == "c":
                items = _complex_pairs(items)
            return {"ndarray": items, "dtype": array.dtype.str, "shape": list(array.shape)}
        if isinstance(value, numpy.generic) and type(value).__module__ == "numpy":
            return encode(numpy.generic.item(value), budget)
    return {"opaque": f"{kind.__module__}.{kind.__qualname__}" if kind.__module__ != "builtins" else kind.__name__}


def _complex_pairs(items):
    if isinstance(items, list):
        return [_complex_pairs(v) for v in items]
    return [items.real, items.imag]


def exit_message(exc: SystemExit) -> str:
    code = "" if exc.code is None else f" with code {exc.code!r}"
    return (f"your code tried to end the program (sys.exit() or exit(){code}); an exercise function "
            "should return its result instead")


# --------------------------------------------------------------------------- the run


class Run:
    """One child's run. Role "learner": load the learner's code, run every setup step and evaluate
    the learner-side leaves. Role "expected": no learner code; run the setup steps and evaluate
    the leaves that do not depend on it. Neither decides a verdict: the parent does (judge.py).
    """

    def __init__(self, job: dict, reporter: Reporter) -> None:
        self.job = job
        self.reporter = reporter
        self.role = job.get("role", "learner")
        self.allowed = tuple(job["allowed_imports"])
        self.capture = Capture(int(job["output_limit"]), sys.__stdout__)
        self.reserve: bytearray | None = None  # released on MemoryError so the report can still be written

    def main(self) -> None:
        code, allowed = self.job["code"], self.allowed
        linecache.cache[CODE_FILE] = (len(code), None, code.splitlines(True), CODE_FILE)
        try:
            tree = ast.parse(code, CODE_FILE, "exec")
            compiled = compile(tree, CODE_FILE, "exec", dont_inherit=True, optimize=0)
        except SyntaxError as exc:
            self.reporter.emit("invalid", kind="syntax", message=exc.msg, line=exc.lineno, column=exc.offset)
            return
        except ValueError as exc:  # e.g. a NUL byte in the text
            self.reporter.emit("invalid", kind="syntax", message=str(exc), line=None, column=None)
            return
        bad = forbidden_imports(tree, allowed)
        if bad:
            line, column, name = bad[0]
            self.reporter.emit("invalid", kind="import", message=import_message(name, allowed), line=line,
                               column=column)
            return

        learner_ns = {"__name__": "solution", "__builtins__": restricted_builtins(allowed)}
        self.reserve = bytearray(RESERVE_BYTES)
        sys.stdout = sys.stderr = self.capture  # print() and warnings, attributed per phase
        timer = hasattr(signal, "setitimer")  # not on Windows: there only the runner's hard stop applies
        if timer:
            signal.signal(signal.SIGALRM, _on_alarm)
        self.reporter.emit("ready")
        if timer:
            signal.setitimer(signal.ITIMER_REAL, float(self.job["time_limit"]))
        started = time.perf_counter()
        try:
            if self.role == "learner" and not self.load(compiled, learner_ns):
                return
            tests_ns = {**learner_ns, **self.test_globals()}
            for step in self.job["plan"]:
                if not self.run_step(step, tests_ns):
                    return
        except TimeLimit:  # the timer fired between two tests, in the harness's own code
            self.end("timeout", "time limit reached", None)
            return
        except MemoryError:
            # Stray MemoryError outside a test (e.g. while reporting): free the reserve and say so.
            self.reserve = None
            self.end("memory", "your code used more memory than the exercise allows", None)
            return
        finally:
            if timer:
                signal.setitimer(signal.ITIMER_REAL, 0)
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        self.reporter.emit("done", seconds=time.perf_counter() - started, dropped_output=self.capture.dropped)

    def test_globals(self) -> dict:
        """What the tests may use without importing: `math`, and `np` when numpy is allowed."""
        import math

        names: dict = {"math": math}
        if allowed_module("numpy", self.allowed):
            names["np"] = names["numpy"] = sys.modules["numpy"]
        return names

    def end(self, status: str, message: str, line: int | None, traceback: str = "") -> None:
        self.reporter.emit("end", status=status, message=message, line=line, traceback=traceback)

    def load(self, compiled, learner_ns: dict) -> bool:
        """Run the learner's module body; False (after reporting) if it did not finish."""
        try:
            exec(compiled, learner_ns)
        except TimeLimit as exc:
            self.end("timeout", "time limit reached while loading your code", short_traceback(exc)[1])
            return False
        except MemoryError as exc:
            self.reserve = None  # headroom for the report
            self.end("memory", "your code used more memory than the exercise allows", short_traceback(exc)[1])
            return False
        except ForbiddenImport as exc:
            text, line = short_traceback(exc)
            self.reporter.emit("invalid", kind="import", message=str(exc), line=line, column=None)
            return False
        except SystemExit as exc:
            self.reporter.emit("load", ok=False, message=exit_message(exc), traceback="",
                               line=short_traceback(exc)[1], output=self.capture.take())
            return False
        except BaseException as exc:  # the learner's own error, e.g. NameError at top level
            text, line = short_traceback(exc)
            self.reporter.emit("load", ok=False, message=describe(exc), traceback=text, line=line,
                               output=self.capture.take())
            return False
        self.reporter.emit("load", ok=True, output=self.capture.take())
        return True

    def run_step(self, step: dict, ns: dict) -> bool:
        """Run one setup statement or evaluate one assert's leaves, and report; False when the run must stop."""
        index = step["index"]
        self.reporter.emit("start", index=index)
        try:
            if step["kind"] == "setup":
                exec(compile(step["source"], TESTS_FILE, "exec", dont_inherit=True, optimize=0), ns)
                self.capture.take()  # setup output stays in the run's output, not in a test
                self.reporter.emit("setup", index=index, ok=True)
            else:
                scope = self.scope(step["scope"], ns)
                self.reporter.emit("values", index=index, scope=scope, output=self.capture.take())
        except TimeLimit as exc:
            self.end("timeout", "time limit reached", *reversed(short_traceback(exc)))
            return False
        except MemoryError as exc:
            self.reserve = None  # headroom for the report
            self.end("memory", "your code used more memory than the exercise allows", *reversed(short_traceback(exc)))
            return False
        except SystemExit as exc:
            self.setup_failed(index, exit_message(exc), exc)
        except BaseException as exc:
            self.setup_failed(index, describe(exc), exc)
        return True

    def setup_failed(self, index: int, message: str, exc: BaseException) -> None:
        text, line = short_traceback(exc)
        self.reporter.emit("setup", index=index, ok=False, message=message, traceback=text, line=line,
                           output=self.capture.take())

    def scope(self, scope: dict, ns: dict) -> dict:
        """This role's leaf values in one scope, and, per comprehension, its items and their scopes."""
        out: dict = {"v": {}, "c": {}}
        for leaf in scope["leaves"]:
            if leaf["side"] == self.role:
                out["v"][leaf["id"]] = self.value(leaf["src"], ns)
        for comp in scope["comps"]:
            owns_items = comp["own_items"]
            try:
                items = list(itertools.islice(iter(_eval(comp["iter"], ns)), EXPLAIN_ITEMS))
            except (TimeLimit, MemoryError):
                raise
            except BaseException as exc:
                out["c"][comp["id"]] = {"items": _error(exc), "per": []}
                continue
            record = {"items": self.encoded(items) if owns_items else None, "per": []}
            bind = compile(f"{comp['target']} = __tutor_item__", TESTS_FILE, "exec", dont_inherit=True)
            for item in items:
                local = dict(ns)  # one flat scope, so lambdas in the condition still see the loop names
                local["__tutor_item__"] = item
                exec(bind, local)
                record["per"].append(self.scope(comp["scope"], local))
            out["c"][comp["id"]] = record
        return out

    def value(self, source: str, ns: dict) -> dict:
        try:
            result = _eval(source, ns)
        except (TimeLimit, MemoryError):
            raise
        except SystemExit as exc:
            return {"err": exit_message(exc), "tb": "", "line": short_traceback(exc)[1]}
        except BaseException as exc:
            return _error(exc)
        return self.encoded(result)

    def encoded(self, value) -> dict:
        try:
            return {"ok": encode(value)}
        except (TimeLimit, MemoryError):
            raise
        except RecursionError:
            return {"err": "the value is nested too deeply to send back", "tb": "", "line": None}
        except NotData as exc:
            return {"err": str(exc), "tb": "", "line": None}
        except BaseException as exc:  # a numpy subclass failing to convert, say
            return _error(exc)


def _error(exc: BaseException) -> dict:
    text, line = short_traceback(exc)
    return {"err": describe(exc), "tb": text, "line": line}


def _eval(source: str, ns: dict):
    return eval(compile(source, TESTS_FILE, "eval", dont_inherit=True, optimize=0), ns)


def _on_alarm(signum, frame):
    raise TimeLimit()


def _load_lockdown():
    """lockdown.py from beside this file (with -I, this folder is not on sys.path)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("tutor_lockdown", os.path.join(os.path.dirname(__file__),
                                                                                  "lockdown.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Layers:
    """The kernel layers (Linux) this system has, applied in order; what holds and what does not, and why."""

    def __init__(self, job: dict, work: str, keep_fd: int | None) -> None:
        self.job, self.work, self.keep_fd = job, work, keep_fd
        self.held: list[str] = []
        self.missing: list[str] = []
        self.scratch = False  # a private scratch holds the run's files (else Landlock lets it create none)
        self.lockdown = _load_lockdown() if sys.platform.startswith("linux") else None
        if self.lockdown is None:
            self.missing.append(f"private scratch, landlock, seccomp: not available on {sys.platform}")

    def layer(self, name: str, apply) -> bool:
        try:
            self.held.append(apply())
            return True
        except Exception as exc:  # the kernel or system lacks it: say so and carry on with the rest
            self.missing.append(f"{name}: {type(exc).__name__}: {exc}")
            return False

    def before_imports(self) -> None:
        """The private scratch: unshare() needs a process with one thread, so before numpy starts any."""
        if self.lockdown is None:
            return
        if int(self.job["scratch_mb"]) <= 0:
            self.missing.append("private scratch: turned off (scratch_mb = 0)")
            return
        self.scratch = self.layer(
            "private scratch", lambda: self.lockdown.private_scratch(self.work, int(self.job["scratch_mb"]),
                                                                     int(self.job["scratch_files"])))

    def after_imports(self) -> None:
        """Close the descriptors and the filesystem, once everything the run needs is loaded."""
        if self.lockdown is None:
            return
        ld = self.lockdown
        ld.load_bindings()
        self.layer("descriptors", lambda: ld.close_other_fds(() if self.keep_fd is None else (self.keep_fd,)))
        self.layer("landlock", lambda: ld.restrict_filesystem(ld.python_read_paths(), self.work, self.scratch))

    def seal(self) -> None:
        """The system-call filter, last: it refuses setrlimit, so the resource limits go on before it."""
        if self.lockdown is not None:
            self.layer("seccomp", self.lockdown.filter_syscalls)


def main(argv: list[str]) -> int:
    job_dir, channel = argv[1], argv[2]
    reporter = Reporter(channel)
    with open(os.path.join(job_dir, "job.json"), encoding="utf-8") as f:
        job = json.load(f)
    try:
        import faulthandler  # on a segfault, print where: the runner reads `<your code>` lines from it

        faulthandler.enable(file=sys.__stderr__)
    except (ImportError, RuntimeError, ValueError):
        pass
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # too big a file: OSError instead of a kill
    layers = Layers(job, os.path.abspath(job_dir), int(channel) if channel.isdigit() else None)
    started = time.perf_counter()
    if job.get("kernel_layers", True):
        layers.before_imports()
    layer_seconds = time.perf_counter() - started
    import math  # noqa: F401 - loaded before the limits and the clock start
    if allowed_module("numpy", tuple(job["allowed_imports"])):
        try:
            import numpy  # noqa: F401
        except ImportError:
            reporter.emit("tests_invalid", message="numpy is allowed but not installed")
            return 0
    started = time.perf_counter()
    if job.get("kernel_layers", True):
        layers.after_imports()
    layer_seconds += time.perf_counter() - started
    guard_processes()
    applied, failed = apply_limits(job)
    started = time.perf_counter()
    if job.get("kernel_layers", True):
        layers.seal()
    layer_seconds += time.perf_counter() - started
    reporter.emit("limits", applied=applied, failed=failed, layers=layers.held, layers_missing=layers.missing,
                  layer_seconds=layer_seconds)
    run = Run(job, reporter)
    run.main()
    return 0


if __name__ == "__main__":
    code = main(sys.argv)
    try:
        sys.stdout.flush()
    except Exception:
        pass
    # Skip interpreter shutdown: objects the learner left behind could misbehave in __del__.
    os._exit(code)
