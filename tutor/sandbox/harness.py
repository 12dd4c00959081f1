"""The child side of the sandbox: run the learner's code, then the lesson's tests, and report.

The runner starts this file by path in a fresh interpreter:

    python -I -B -X utf8 harness.py JOB_DIR RESULT_CHANNEL

`JOB_DIR/job.json` holds the code, the tests and the limits (files, not argv, so nothing
depends on command-line length or quoting). RESULT_CHANNEL is a pipe file descriptor (POSIX)
or a file path; events go there as JSON lines, never on stdout, which belongs to the learner.
Events are streamed as they happen so that a crash half-way still leaves the finished tests.

Standard library only, and nothing from `tutor`: `-I` keeps the package off `sys.path`, and a
small self-contained file is quick to start. The parent imports this module only for
`split_tests` and the event names; everything with side effects sits under `main()`.

This is the one place where `exec` is right: it runs the learner's own Python on the learner's
own machine, which is the whole point of a code exercise. It runs in this throwaway process
only, never in the tutor.
"""

from __future__ import annotations

import ast
import builtins
import json
import linecache
import os
import signal
import sys
import time
import traceback
from dataclasses import dataclass

CODE_FILE = "<your code>"  # the filename learner frames carry in tracebacks
TESTS_FILE = "<tests>"
REPR_LIMIT = 300  # characters of a value shown in a report
TRACEBACK_FRAMES = 6  # learner frames kept in a traceback (deep recursion is cut in the middle)
RESERVE_BYTES = 4 * 1024 * 1024  # freed on MemoryError so the report can still be written
EXPLAIN_ITEMS = 10_000  # how far `all(...)` is searched for the first failing item


# --------------------------------------------------------------------------- test statements


@dataclass(frozen=True)
class Statement:
    """One top-level statement of the tests: an `assert` is a test, anything else is setup."""

    source: str
    node: ast.stmt
    is_assert: bool


def split_tests(tests: str | list[str] | tuple[str, ...]) -> list[Statement]:
    """The tests' top-level statements, in order. Raises SyntaxError (with `.item`) if one does not parse.

    Tests come either as one text or, as the lessons write them, as a list of texts; each text
    may hold several statements.
    """
    items = [tests] if isinstance(tests, str) else list(tests)
    statements: list[Statement] = []
    for number, text in enumerate(items):
        try:
            module = ast.parse(text, TESTS_FILE, "exec")
        except SyntaxError as exc:
            exc.item = number  # type: ignore[attr-defined]
            raise
        for node in module.body:
            source = ast.get_source_segment(text, node) or text
            statements.append(Statement(source.strip(), node, isinstance(node, ast.Assert)))
    return statements


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


def safe_repr(value) -> str:
    try:
        text = repr(value)
    except Exception as exc:  # a learner's __repr__ can fail too
        text = f"<{type(value).__name__}: repr failed: {exc!r}>"
    return text if len(text) <= REPR_LIMIT else text[: REPR_LIMIT - 1] + "…"


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


# --------------------------------------------------------------------------- explaining failures


def _eval(node: ast.expr, scope: dict):
    expr = ast.fix_missing_locations(ast.Expression(node))
    return eval(compile(expr, TESTS_FILE, "eval", dont_inherit=True, optimize=0), scope)


def _callee(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name):
            return node.func.id
        if isinstance(node.func, ast.Attribute):
            return node.func.attr
    return ""


_SYMBOLS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
            ast.Is: "is", ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in"}


def explain(node: ast.expr, scope: dict) -> dict:
    """Actual and expected values of a failed assert's condition, by evaluating its parts again.

    Recognised shapes: `a == b` (and the other comparisons), `abs(a - b) < tol`,
    `isclose(a, b, ...)`/`allclose(...)`, and `all(<condition> for x in xs)` (reported at the
    first failing x). Anything else gets no details. The parts are evaluated a second time,
    which is harmless for the pure functions exercises ask for.
    """
    if _callee(node) == "all" and len(node.args) == 1 and not node.keywords:
        gen = node.args[0]
        if isinstance(gen, (ast.GeneratorExp, ast.ListComp, ast.SetComp)) and len(gen.generators) == 1:
            return _explain_all(gen, scope)
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        op, right = node.ops[0], node.comparators[0]
        left = node.left
        if (isinstance(op, (ast.Lt, ast.LtE)) and _callee(left) == "abs" and len(left.args) == 1
                and isinstance(left.args[0], ast.BinOp) and isinstance(left.args[0].op, ast.Sub)):
            diff = left.args[0]
            return {"actual": safe_repr(_eval(diff.left, scope)), "expected": safe_repr(_eval(diff.right, scope)),
                    "tolerance": safe_repr(_eval(right, scope))}
        actual, other = _eval(left, scope), _eval(right, scope)
        if isinstance(op, (ast.Eq, ast.Is)):
            return {"actual": safe_repr(actual), "expected": safe_repr(other)}
        return {"actual": safe_repr(actual), "expected": f"{_SYMBOLS[type(op)]} {safe_repr(other)}"}
    if _callee(node) in ("isclose", "allclose", "array_equal", "allequal") and len(node.args) >= 2:
        found = {"actual": safe_repr(_eval(node.args[0], scope)), "expected": safe_repr(_eval(node.args[1], scope))}
        tolerances = [f"{k.arg}={safe_repr(_eval(k.value, scope))}" for k in node.keywords if k.arg]
        if tolerances:
            found["tolerance"] = ", ".join(tolerances)
        return found
    return {}


def _explain_all(gen: ast.GeneratorExp | ast.ListComp | ast.SetComp, scope: dict) -> dict:
    comp = gen.generators[0]
    if comp.is_async:
        return {}
    bind = ast.fix_missing_locations(ast.Module(
        body=[ast.Assign(targets=[comp.target], value=ast.Name("__tutor_item__", ast.Load()))], type_ignores=[]))
    bind_code = compile(bind, TESTS_FILE, "exec", dont_inherit=True)
    names = [n.id for n in ast.walk(comp.target) if isinstance(n, ast.Name)]
    for count, item in enumerate(_eval(comp.iter, scope)):
        if count >= EXPLAIN_ITEMS:
            break
        local = dict(scope)  # one flat scope, so lambdas in the condition still see the loop names
        local["__tutor_item__"] = item
        exec(bind_code, local)
        if not all(_eval(cond, local) for cond in comp.ifs):
            continue
        if not _eval(gen.elt, local):
            found = explain(gen.elt, local)
            found["where"] = ", ".join(f"{n} = {safe_repr(local[n])}" for n in names)
            return found
    return {}


def failure_message(details: dict) -> str:
    if "expected" not in details:
        return "this check is false"
    text = f"expected {details['expected']}, got {details['actual']}"
    if "tolerance" in details:
        text += f" (tolerance {details['tolerance']})"
    if details.get("where"):
        text = f"at {details['where']}: {text}"
    return text


def exit_message(exc: SystemExit) -> str:
    code = "" if exc.code is None else f" with code {exc.code!r}"
    return (f"your code tried to end the program (sys.exit() or exit(){code}); an exercise function "
            "should return its result instead")


# --------------------------------------------------------------------------- the run


class Run:
    def __init__(self, job: dict, reporter: Reporter) -> None:
        self.job = job
        self.reporter = reporter
        self.allowed = tuple(job["allowed_imports"])
        self.capture = Capture(int(job["output_limit"]), sys.__stdout__)
        self.timed_out = False
        self.reserve: bytearray | None = None  # released on MemoryError so the report can still be written

    def main(self) -> None:
        code, allowed = self.job["code"], self.allowed
        linecache.cache[CODE_FILE] = (len(code), None, code.splitlines(True), CODE_FILE)
        try:
            statements = split_tests(self.job["tests"])
        except SyntaxError as exc:
            self.reporter.emit("tests_invalid", message=f"test {exc.item + 1}: {describe(exc)}")
            return
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
            if not self.load(compiled, learner_ns):
                return
            tests_ns = {**learner_ns, **self.test_globals()}
            for index, statement in enumerate(statements):
                if not self.run_statement(index, statement, tests_ns):
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

    def end(self, status: str, message: str, line: int | None) -> None:
        self.reporter.emit("end", status=status, message=message, line=line)

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

    def run_statement(self, index: int, statement: Statement, ns: dict) -> bool:
        """Run one test or setup statement and report it; False when the run must stop."""
        module = ast.Module(body=[statement.node], type_ignores=[])
        compiled = compile(module, TESTS_FILE, "exec", dont_inherit=True, optimize=0)
        record = {"index": index, "source": statement.source, "setup": not statement.is_assert}
        self.reporter.emit("start", index=index)
        try:
            exec(compiled, ns)
        except TimeLimit as exc:
            self.report(record, "timeout", "time limit reached", exc)
            self.end("timeout", "time limit reached", short_traceback(exc)[1])
            return False
        except MemoryError as exc:
            self.reserve = None  # headroom for the report
            self.report(record, "memory", "your code used more memory than the exercise allows", exc)
            self.end("memory", "your code used more memory than the exercise allows", short_traceback(exc)[1])
            return False
        except AssertionError as exc:
            if statement.is_assert and _raised_by_test(exc):
                output = self.capture.take()
                details = self.explain(statement.node, ns)
                message = str(exc) if exc.args else failure_message(details)
                self.reporter.emit("test", **record, status="failed", message=message, traceback="",
                                   line=None, output=output, **details)
            else:
                self.report(record, "error", describe(exc), exc)
        except SystemExit as exc:
            self.report(record, "error", exit_message(exc), exc)
        except BaseException as exc:
            self.report(record, "error", describe(exc), exc)
        else:
            if statement.is_assert:
                self.reporter.emit("test", **record, status="passed", output=self.capture.take())
            else:
                self.capture.take()  # setup output stays in the run's output, not in a test
        if self.timed_out:
            self.end("timeout", "time limit reached", None)
            return False
        return True

    def report(self, record: dict, status: str, message: str, exc: BaseException) -> None:
        text, line = short_traceback(exc)
        self.reporter.emit("test", **record, status=status, message=message, traceback=text, line=line,
                           output=self.capture.take())

    def explain(self, node: ast.Assert, ns: dict) -> dict:
        self.capture.muted = True  # the learner already saw these prints once
        try:
            return explain(node.test, ns)
        except TimeLimit:
            self.timed_out = True  # the one-shot timer fired: stop after reporting this test
        except BaseException:  # best effort: a failure to explain is not the learner's failure
            pass
        finally:
            self.capture.muted = False
        return {}


def _raised_by_test(exc: AssertionError) -> bool:
    """True if the assert statement of the test failed, not an assert inside the learner's code."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and frames[-1].filename == TESTS_FILE


def _on_alarm(signum, frame):
    raise TimeLimit()


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
    import math  # noqa: F401 - loaded before the limits and the clock start
    if allowed_module("numpy", tuple(job["allowed_imports"])):
        try:
            import numpy  # noqa: F401
        except ImportError:
            reporter.emit("tests_invalid", message="numpy is allowed but not installed")
            return 0
    guard_processes()
    applied, failed = apply_limits(job)
    reporter.emit("limits", applied=applied, failed=failed)
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
