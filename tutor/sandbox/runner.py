"""Run learner code against a lesson's tests: two sandboxed children, and the verdicts decided here.

`run_code` starts (child.py) the learner's child and one without the learner's code that
computes the tests' expected values (remembered per set of tests). Each child applies the
kernel layers (lockdown.py) and the resource limits to itself before any code of the learner
or the lesson runs, and streams plain data back. This module decides every test (judge.py)
and turns whatever happened into a `RunResult`. The README says what holds on which system.
"""

from __future__ import annotations

import json
import logging
import re
import signal
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Literal

from tutor.sandbox.child import OUTPUT_LIMIT, STARTUP_LIMIT, Raw, run_child
from tutor.sandbox.harness import CODE_FILE
from tutor.sandbox.judge import judge
from tutor.sandbox.plan import EXPECTED, LEARNER, AssertPlan, Plan, make_plan, split_tests

log = logging.getLogger(__name__)

RunStatus = Literal["passed", "failed", "error", "timeout", "memory", "crashed", "invalid"]
TestStatus = Literal["passed", "failed", "error", "timeout", "memory", "crashed", "not run"]

DEFAULT_ALLOWED_IMPORTS = ("math", "numpy")
DEFAULT_TIME_LIMIT = 5.0
DEFAULT_MEMORY_MB = 512
EXPECTED_TIME_FLOOR = 5.0  # seconds the expected child gets at least
KERNEL_LAYERS = True  # benchmarks/sandbox_overhead.py turns them off for its baseline; nothing else does
SCRATCH_MB = 32  # the learner's private RAM disk (Linux): all its files together; 0 turns it off
SCRATCH_FILES = 256  # files and folders it may hold

_CRASH_SIGNALS = {"SIGSEGV": "a segmentation fault (bad memory access)", "SIGBUS": "a bus error (bad memory access)",
                  "SIGILL": "an illegal instruction", "SIGFPE": "a floating-point exception",
                  "SIGABRT": "an abort"}


@dataclass(frozen=True)
class TestResult:
    """One test (an `assert` of the tests), or a setup statement that failed."""

    index: int  # position among the tests' top-level statements, 0-based
    source: str  # the statement as the lesson wrote it
    status: TestStatus
    message: str = ""  # the assertion message, "expected 1.08, got 0.54", or "ZeroDivisionError: ..."
    actual: str | None = None  # repr of the value the learner's code produced, when it could be found
    expected: str | None = None  # repr of the value the test wanted (or "< 1e-05" for order comparisons)
    tolerance: str | None = None
    where: str | None = None  # for `all(... for x in xs)`: the first failing item, "x = 0.5"
    traceback: str = ""  # cut down to the learner's lines, numbered as in their code
    line: int | None = None  # the learner's line where the error was raised
    output: str = ""  # printed while this test ran
    setup: bool = False  # a non-assert statement of the tests (listed only when it fails)

    @property
    def passed(self) -> bool:
        return self.status == "passed"


@dataclass(frozen=True)
class RunResult:
    status: RunStatus
    tests: tuple[TestResult, ...]
    stdout: str  # everything the learner's code printed, in order, capped
    message: str  # one or two sentences for the learner
    elapsed: float  # seconds, wall clock, including interpreter startup
    line: int | None = None  # the learner's line the message is about, if any
    column: int | None = None  # 1-based, for syntax errors
    stderr: str = ""  # the raw process stderr (crash reports), capped; not normally shown
    limits: tuple[str, ...] = ()  # OS limits the child applied, e.g. "RLIMIT_AS=536870912"
    details: dict = field(default_factory=dict)  # exit code, signal, unapplied limits...

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def checks(self) -> tuple[TestResult, ...]:
        """The asserts only (failed setup statements left out)."""
        return tuple(t for t in self.tests if not t.setup)

    @property
    def passed_count(self) -> int:
        return sum(t.passed for t in self.checks)

    def to_json(self) -> dict:
        data = asdict(self)
        data["tests"] = [asdict(t) for t in self.tests]
        return data


def run_code(
    learner_code: str,
    tests: str | list[str] | tuple[str, ...],
    *,
    allowed_imports: tuple[str, ...] | list[str] = DEFAULT_ALLOWED_IMPORTS,
    time_limit: float = DEFAULT_TIME_LIMIT,
    memory_mb: int = DEFAULT_MEMORY_MB,
    output_limit: int = OUTPUT_LIMIT,
) -> RunResult:
    """Run `learner_code`, then each statement of `tests`, in a sandboxed child process.

    The expected values come from a second sandboxed child that never loads the learner's code
    (started in parallel, and remembered for the next run of the same tests); this process
    compares the two (see plan.py and judge.py).

    Blocks for at most about `time_limit` + interpreter startup (+1 s hard-stop grace); call it
    from a worker thread in the UI. Never raises for anything the learner's code does.
    """
    started = time.monotonic()
    try:
        statements = split_tests(tests)
    except SyntaxError as exc:
        return RunResult("error", (), "", f"The exercise's tests do not parse (test {getattr(exc, 'item', 0) + 1}, "
                         f"line {exc.lineno}: {exc.msg}).", time.monotonic() - started)
    plan = make_plan(statements)
    job = {"allowed_imports": list(allowed_imports), "time_limit": float(time_limit),
           "memory_mb": int(memory_mb), "output_limit": int(output_limit),
           "scratch_mb": SCRATCH_MB, "scratch_files": SCRATCH_FILES, "kernel_layers": KERNEL_LAYERS}
    # The tests' own steps are small; a floor on their time keeps a loaded machine from failing a tight limit.
    expected = _expected_events({**job, "role": EXPECTED, "code": "", "plan": plan.for_child(EXPECTED),
                                 "time_limit": max(float(time_limit), EXPECTED_TIME_FLOOR)})
    raw = _run_job({**job, "role": LEARNER, "code": learner_code, "plan": plan.for_child(LEARNER)},
                   float(time_limit), int(output_limit))
    sources = [(s.source, not s.is_assert) for s in statements]
    return _assemble(raw, expected.result(), plan, sources, job, time.monotonic() - started)


# Expected values per set of tests: they do not depend on the learner's code, so one run serves every draft.
_expected_cache: dict[str, list[dict]] = {}
_expected_lock = threading.Lock()
_expected_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="tutor-expected")


def _expected_events(job: dict) -> Future:
    key = json.dumps(job, sort_keys=True)
    with _expected_lock:
        events = _expected_cache.get(key)
    if events is not None:
        done: Future = Future()
        done.set_result(events)
        return done

    def compute() -> list[dict]:
        raw = _run_job(job, job["time_limit"], job["output_limit"])
        if any(e["event"] == "done" for e in raw.events):
            with _expected_lock:
                if len(_expected_cache) > 256:
                    _expected_cache.clear()
                _expected_cache[key] = raw.events
        elif not any(e["event"] in ("end", "tests_invalid") for e in raw.events):
            raw.events.append({"event": "expected_failed", "message": _expected_failure(raw)})
        return raw.events

    return _expected_pool.submit(compute)


def _expected_failure(raw: "Raw") -> str:
    if raw.killed_at_deadline:
        return "the tests' own computations did not finish in time"
    return f"the tests' own computations stopped (exit code {raw.returncode}): {raw.stderr.strip()[-300:]}"


def _run_job(job: dict, time_limit: float, output_limit: int) -> "Raw":
    with tempfile.TemporaryDirectory(prefix="tutor-sandbox-", ignore_cleanup_errors=True) as work:
        (Path(work) / "job.json").write_text(json.dumps(job), encoding="utf-8")
        raw = run_child(Path(work), time_limit, output_limit)
    _report_missing_layers(raw.events)
    return raw


_reported_missing: set[str] = set()


def _report_missing_layers(events: list[dict]) -> None:
    """Say once per tutor process which kernel layers this system lacks (the runs go on with the rest)."""
    for event in events:
        if event["event"] != "limits":
            continue
        for item in event.get("layers_missing", ()):
            name = str(item).split(":")[0]
            if name not in _reported_missing:
                _reported_missing.add(name)
                log.warning("code sandbox: %s; runs go on without this layer", item)
        return


# --------------------------------------------------------------------------- interpretation


_TEST_FIELDS = ("message", "actual", "expected", "tolerance", "where", "traceback", "line", "output")


def _assemble(raw: Raw, expected_events: list[dict], plan: Plan, sources: list[tuple[str, bool]], job: dict,
              elapsed: float) -> RunResult:
    """The run's result. The learner's child sent data only; every verdict is decided here."""
    try:
        result = _interpret(raw, expected_events, plan, sources, job, elapsed)
    except Exception as exc:  # events are the learner's process's word: never let them crash the tutor
        return RunResult("error", (), raw.stdout, f"The sandbox sent back something unreadable ({type(exc).__name__}); "
                         "your code was stopped.", elapsed, stderr=raw.stderr)
    failure = next((e for e in expected_events if e["event"] in ("end", "tests_invalid", "expected_failed")), None)
    if failure is not None and result.status in ("passed", "failed"):
        reason = failure.get("message") or failure.get("status") or "it stopped"
        return replace(result, status="error", message=f"This exercise cannot be checked: without your code, "
                       f"the tests' own steps failed ({reason}).")
    return result


def _expected_scopes(events: list[dict]) -> dict[int, dict]:
    return {e["index"]: e["scope"] for e in events
            if e["event"] == "values" and type(e.get("index")) is int and isinstance(e.get("scope"), dict)}


def _judged(step: AssertPlan, event: dict, expected: dict[int, dict]) -> TestResult:
    scope = event.get("scope")
    fields = judge(step, scope if isinstance(scope, dict) else None, expected.get(step.index))
    output = event.get("output")
    return TestResult(step.index, step.source, fields["status"], output=output if isinstance(output, str) else "",
                      **{k: fields[k] for k in _TEST_FIELDS if k != "output" and fields.get(k) is not None})


def _interpret(raw: Raw, expected_events: list[dict], plan: Plan, sources: list[tuple[str, bool]], job: dict,
               elapsed: float) -> RunResult:
    events = raw.events
    expected = _expected_scopes(expected_events)
    steps = {step.index: step for step in plan.steps}
    by_kind: dict[str, dict] = {}
    finished: dict[int, TestResult] = {}
    running: int | None = None
    for event in events:
        kind = event["event"]
        by_kind[kind] = event
        index = event.get("index")
        if kind in ("start", "values", "setup") and not (type(index) is int and index in steps):
            continue
        if kind == "start":
            running = index
        elif kind == "values":
            step = steps[index]
            if isinstance(step, AssertPlan) and index not in finished:
                finished[index] = _judged(step, event, expected)
            running = None
        elif kind == "setup":
            if not event.get("ok") and index not in finished:
                finished[index] = TestResult(index, sources[index][0], "error", setup=True, **{
                    k: event[k] for k in ("message", "traceback", "line", "output") if event.get(k) is not None})
            running = None
    # The raw stdout is the whole output in order (the harness writes print() through to it).
    cut = raw.stdout_cut or by_kind.get("done", {}).get("dropped_output", 0) > 0
    stdout = raw.stdout + ("\n[output cut: more than the limit was printed]\n" if cut else "")
    limits_event = by_kind.get("limits", {})
    common = {"stdout": stdout, "elapsed": elapsed, "stderr": raw.stderr,
              "limits": tuple(limits_event.get("applied", ())),
              "details": {"returncode": raw.returncode, "limits_not_applied": limits_event.get("failed", []),
                          "layers": limits_event.get("layers", []), "layers_missing": limits_event.get("layers_missing", []),
                          "layer_seconds": limits_event.get("layer_seconds")}}
    limit = job["time_limit"]

    def tests(fill: TestStatus = "not run", message: str = "", line: int | None = None,
              traceback: str = "") -> tuple[TestResult, ...]:
        """Finished tests as reported; the one that was running gets `fill`; the rest did not run."""
        out = []
        for index, (source, setup) in enumerate(sources):
            if index in finished:
                result = finished[index]
                if not (result.setup and result.passed):
                    out.append(result)
            elif index == running:
                out.append(TestResult(index, source, fill, message=message, line=line, setup=setup,
                                      traceback=traceback))
            elif not setup:
                out.append(TestResult(index, source, "not run", setup=setup))
        return tuple(out)

    if "tests_invalid" in by_kind:
        text = f"This exercise cannot run: {by_kind['tests_invalid']['message']}."
        return RunResult("error", (), message=text, **common)
    if "invalid" in by_kind:
        event = by_kind["invalid"]
        line, column = event.get("line"), event.get("column")
        if event.get("kind") == "syntax":
            where = f" at line {line}" + (f", column {column}" if column else "") if line else ""
            text = f"Syntax error{where}: {_sentence(event['message'])}"
        else:
            text = (f"Line {line}: " if line else "") + _sentence(event["message"])
        return RunResult("invalid", tests(), message=text, line=line,
                         column=event.get("column"), **common)
    if "end" in by_kind:  # the harness stopped the run itself: time or memory
        event = by_kind["end"]
        status: RunStatus = event["status"]
        stopped = next((i for i, t in finished.items() if t.status == status), running)
        text = _limit_message(status, limit, job["memory_mb"], event.get("line"), stopped, finished, sources)
        trace = event.get("traceback")
        return RunResult(status, tests(status, text, traceback=trace if isinstance(trace, str) else ""),
                         message=text, line=event.get("line"), **common)
    load = by_kind.get("load")
    if load is not None and not load.get("ok"):
        line = load.get("line")
        text = f"Your code stopped with an error before the tests could run{_at(line)}: {load['message']}"
        return RunResult("error", tests(), message=text, line=line, **common)
    if "done" in by_kind:
        results = tests()
        checks = [t for t in results if not t.setup]
        failing = [t for t in results if not t.passed]
        if not failing:
            return RunResult("passed", results, message=f"All {len(checks)} tests passed.", **common)
        first = failing[0]
        label = "A setup step of the tests" if first.setup else f"Test {_number(first, results)}"
        text = (f"{sum(t.passed for t in checks)} of {len(checks)} tests passed. "
                f"{label} {'failed' if first.status == 'failed' else 'raised an error'}: {first.message}")
        return RunResult("failed", results, message=text, line=first.line, **common)
    # No normal end: we killed it, or it died.
    if raw.killed_at_deadline:
        if not raw.ready:
            return RunResult("error", (), message=f"The sandbox did not start within {STARTUP_LIMIT:g} s.", **common)
        text = _limit_message("timeout", limit, job["memory_mb"], None, running, finished, sources)
        return RunResult("timeout", tests("timeout", text), message=text, **common)
    return _died(raw, tests, running, finished, sources, common, limit, job["memory_mb"])


def _died(raw: Raw, tests, running, finished, sources, common: dict, limit: float, memory_mb: int) -> RunResult:
    code = raw.returncode if raw.returncode is not None else 0
    during = _during(running, finished, sources)
    line = _fault_line(raw.stderr)
    common["details"]["signal"] = _signal_name(-code) if code < 0 else None
    if code < 0:
        name = _signal_name(-code)
        if name == "SIGXCPU":
            text = _limit_message("timeout", limit, memory_mb, line, running, finished, sources)
            return RunResult("timeout", tests("timeout", text, line), message=text, line=line, **common)
        if name == "SIGKILL":  # not ours (we only kill after deciding): on Linux, the OOM killer
            text = (f"The system killed the Python process running your code{during}, most likely because it "
                    f"used too much memory (the limit is {memory_mb} MB).")
            return RunResult("memory", tests("memory", text, line), message=text, line=line, **common)
        what = _CRASH_SIGNALS.get(name, f"signal {name}")
        text = f"Python crashed with {what}{during}{_at(line)}. The tutor is fine; your code was stopped."
        return RunResult("crashed", tests("crashed", text, line), message=text, line=line, **common)
    if code == 1 and "Traceback (most recent call last)" in raw.stderr:  # the harness itself failed
        last = raw.stderr.strip().splitlines()[-1]
        return RunResult("error", tests(), message=f"The sandbox failed: {last}", **common)
    text = (f"The Python process running your code ended early (exit code {code}){during}{_at(line)}, "
            "before the tests finished. Something called os._exit() or stopped the interpreter; "
            "an exercise function should return its result instead.")
    return RunResult("crashed", tests("crashed", text, line), message=text, line=line, **common)


def _limit_message(status: str, limit: float, memory_mb: int, line, running, finished, sources) -> str:
    during = _during(running, finished, sources)
    if status == "timeout":
        return (f"Your code ran longer than the {limit:g} s time limit{during}{_at(line)} and was stopped. "
                "Look for a loop that never ends.")
    return f"Your code used more than the {memory_mb} MB memory limit{during}{_at(line)} and was stopped."


def _during(running: int | None, finished: dict, sources: list[tuple[str, bool]]) -> str:
    if running is None:
        if finished or not sources:
            return ""
        return " while loading"
    source, setup = sources[running]
    asserts_before = sum(1 for s, is_setup in sources[:running] if not is_setup)
    label = "a setup step of the tests" if setup else f"test {asserts_before + 1}"
    return f" during {label} (`{_short(source)}`)"


def _number(result: TestResult, results: tuple[TestResult, ...]) -> int:
    """1-based number of a test among the asserts."""
    return 1 + sum(1 for t in results if not t.setup and t.index < result.index)


def _at(line: int | None) -> str:
    return f" at line {line} of your code" if line else ""


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


_FAULT_LINE = re.compile(r'File "' + re.escape(CODE_FILE) + r'", line (\d+)')


def _fault_line(stderr: str) -> int | None:
    """The learner's innermost line in a faulthandler dump (it lists the most recent call first)."""
    match = _FAULT_LINE.search(stderr)
    return int(match.group(1)) if match else None


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)
