"""A `code` exercise as the lessons write it, its validation, and its results as a Verdict."""

from __future__ import annotations

import ast
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from tutor.checking.verdict import EntryResult, Verdict
from tutor.sandbox.harness import forbidden_imports
from tutor.sandbox.plan import make_plan, split_tests
from tutor.sandbox.runner import (
    DEFAULT_ALLOWED_IMPORTS,
    DEFAULT_MEMORY_MB,
    DEFAULT_TIME_LIMIT,
    RunResult,
    run_code,
)

MAX_TIME_LIMIT = 30.0  # seconds; a longer exercise is a mistake in the lesson
CODE_FIELDS = ("function", "starter", "tests", "reference", "time_limit", "allowed_imports")
REQUIRED = ("function", "starter", "tests", "reference")
COMMON_FIELDS = ("id", "kind", "prompt", "hints", "solution")
_MODULE_NAME = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")
_DEF_NAME = re.compile(r"\bdef\s+([A-Za-z_]\w*)\s*\(")


class CodeExerciseError(ValueError):
    """The block's fields cannot make an exercise; `.problems` says why, one message each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class CodeExercise:
    id: str
    function: str  # the signature line(s) as shown: "def f(x):  /  def g(x):"
    starter: str
    tests: tuple[str, ...]  # each a piece of Python, usually one `assert`
    reference: str
    time_limit: float = DEFAULT_TIME_LIMIT
    allowed_imports: tuple[str, ...] = DEFAULT_ALLOWED_IMPORTS
    memory_mb: int = DEFAULT_MEMORY_MB

    @classmethod
    def from_block(cls, data: dict[str, Any]) -> CodeExercise:
        """The exercise from an ```exercise block's YAML fields. Raises CodeExerciseError."""
        problems: list[str] = []
        values = _read_fields(data, problems)
        if problems:
            raise CodeExerciseError(problems)
        return cls(**values)

    @classmethod
    def from_exercise(cls, exercise: Any) -> CodeExercise:
        """From a loaded `tutor.lessons.model.Exercise` (its raw `data`)."""
        return cls.from_block({"id": exercise.id, **exercise.data})

    @property
    def function_names(self) -> tuple[str, ...]:
        """The functions the learner must write, read from `function`."""
        return tuple(_DEF_NAME.findall(self.function))

    def run(self, code: str) -> RunResult:
        """Run a learner's draft against the tests, with this exercise's limits."""
        return run_code(code, self.tests, allowed_imports=self.allowed_imports, time_limit=self.time_limit,
                        memory_mb=self.memory_mb)

    run_learner = run

    def run_reference(self) -> RunResult:
        return self.run(self.reference)

    def run_starter(self) -> RunResult:
        return self.run(self.starter)


def _read_fields(data: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    if not isinstance(data, dict):
        problems.append("a code exercise needs YAML fields")
        return {}
    for name in REQUIRED:
        if data.get(name) in (None, "", []):
            problems.append(f"missing field '{name}'")
    values: dict[str, Any] = {"id": str(data.get("id") or "")}
    for name in ("function", "starter", "reference"):
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            problems.append(f"'{name}' must be text")
        values[name] = value if isinstance(value, str) else ""
    tests = data.get("tests")
    if isinstance(tests, str):
        tests = [tests]
    if tests is not None and not (isinstance(tests, list) and all(isinstance(t, str) and t.strip() for t in tests)):
        problems.append("'tests' must be a list of Python lines (quote any line YAML could misread)")
        tests = []
    values["tests"] = tuple(tests or ())
    limit = data.get("time_limit", DEFAULT_TIME_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or not 0 < limit <= MAX_TIME_LIMIT:
        problems.append(f"'time_limit' must be a number of seconds above 0 and at most {MAX_TIME_LIMIT:g}")
        limit = DEFAULT_TIME_LIMIT
    values["time_limit"] = float(limit)
    allowed = data.get("allowed_imports", list(DEFAULT_ALLOWED_IMPORTS))
    if isinstance(allowed, str):
        allowed = [a.strip() for a in allowed.split(",") if a.strip()]
    if not isinstance(allowed, list) or not all(isinstance(a, str) and _MODULE_NAME.match(a) for a in allowed):
        problems.append("'allowed_imports' must be a list of module names, like [math, numpy]")
        allowed = list(DEFAULT_ALLOWED_IMPORTS)
    values["allowed_imports"] = tuple(allowed)
    return values


def validate_code_exercise(data: dict[str, Any], *, run: bool = True) -> list[str]:
    """What is wrong with a code exercise block, one message each; [] if nothing.

    Static checks always: fields present and typed, no unknown fields, the tests, starter and
    reference parse (parsing only: nothing is evaluated in this process), at least one
    `assert`, the functions named in `function` defined, imports within `allowed_imports`.
    With `run` (the default) also, in the sandbox: the reference passes every test and the
    starter does not. The two runs go in parallel: each is a separate process.
    """
    problems: list[str] = []
    if isinstance(data, dict):
        unknown = [k for k in data if k not in COMMON_FIELDS + CODE_FIELDS]
        if unknown:
            problems.append(f"unknown field(s) {', '.join(map(str, unknown))} in a code exercise "
                            f"(allowed: {', '.join(COMMON_FIELDS + CODE_FIELDS)})")
    values = _read_fields(data, problems)
    if not values or not values.get("tests"):
        return problems
    exercise = CodeExercise(**values)
    runnable = _static_problems(exercise, problems)
    if run and runnable:
        with ThreadPoolExecutor(max_workers=2) as pool:
            reference, starter = pool.map(exercise.run, (exercise.reference, exercise.starter))
        if not reference.passed:
            problems.append(f"the reference solution does not pass the tests: {_explain(reference)}")
        if starter.passed:
            problems.append("the starter already passes every test; the tests must fail until the learner "
                            "writes the solution")
    return problems


def _static_problems(exercise: CodeExercise, problems: list[str]) -> bool:
    """Append what a look at the text finds; True if the two runs make sense."""
    before = len(problems)
    try:
        statements = split_tests(list(exercise.tests))
        if not any(s.is_assert for s in statements):
            problems.append("the tests have no `assert` statement, so there is nothing to pass")
        for step in make_plan(statements).steps:
            for source in getattr(step, "weak", ()):
                problems.append(f"the test `{step.source}` compares inside `{source}`, which runs with the learner's "
                                "code, so that code could answer the comparison itself; compare in the assert "
                                "(`f(x) == y`, `abs(a - b) < tol`, `isclose(...)`, `all(... for x in xs)`)")
    except SyntaxError as exc:
        problems.append(f"test {getattr(exc, 'item', 0) + 1} is not valid Python: {exc.msg} "
                        f"(line {exc.lineno}, column {exc.offset})")
    names = exercise.function_names
    if exercise.function and not names:
        problems.append("'function' should show the signature, like \"def f(x):\"")
    for field_name in ("starter", "reference"):
        code = getattr(exercise, field_name)
        try:
            tree = ast.parse(code)
        except SyntaxError as exc:
            problems.append(f"the {field_name} is not valid Python: {exc.msg} (line {exc.lineno})")
            continue
        defined = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        missing = [n for n in names if n not in defined]
        if missing:
            problems.append(f"the {field_name} does not define {', '.join(missing)} (named in 'function')")
        for line, _column, module in forbidden_imports(tree, exercise.allowed_imports):
            problems.append(f"the {field_name} imports '{module}' (line {line}), which 'allowed_imports' does not "
                            f"allow ({', '.join(exercise.allowed_imports)})")
    return len(problems) == before


def _explain(result: RunResult) -> str:
    failing = next((t for t in result.tests if not t.passed), None)
    if result.status == "failed" and failing is not None:
        return f"`{failing.source}`: {failing.message}"
    return result.message


def to_verdict(result: RunResult) -> Verdict:
    """A run as the checker's Verdict: correct when every test passes; invalid when the code cannot run."""
    if result.passed:
        status = "correct"
    elif result.status == "invalid":
        status = "invalid"
    else:
        status = "incorrect"
    entries = tuple(EntryResult((i,), t.passed, t.message or ("" if t.passed else t.status))
                    for i, t in enumerate(result.checks))
    return Verdict(
        status=status,
        message=result.message,
        entries=entries,
        error_column=result.column,
        elapsed_ms=result.elapsed * 1000,
        diagnosis=None if result.passed else f"code-{result.status}",
        extra={"run": result.to_json()},
    )


def check_code(data: dict[str, Any], code: str) -> Verdict:
    """`tutor check` for a code exercise: run `code` against the block's tests."""
    return to_verdict(CodeExercise.from_block(data).run(code))
