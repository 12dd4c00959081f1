"""The sandboxed runner: results per test, and every misbehaviour ending cleanly within its limit.

Misbehaviour runs use a 1 s time limit to keep the file fast. Bounds on `elapsed` are generous
(CI machines are about twice as slow as a laptop) but still far below "hung".
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tutor.sandbox.child import HARNESS, KILL_GRACE
from tutor.sandbox.runner import run_code

LINUX = sys.platform.startswith("linux")
SLACK = 3.0  # seconds of interpreter startup and CI noise allowed on top of a limit
WITH_OS = ("math", "numpy", "os")  # test-only: lets a test reach the process-level misbehaviours


def code(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def alive(pid: int) -> bool:
    """True if `pid` runs (a zombie waiting for a parent that does not reap counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state != "Z"


# --------------------------------------------------------------------------- results per test


def test_passing_and_failing_tests_report_actual_and_expected_values():
    learner = code("""
        def double(x):
            return x * 2
    """)
    tests = [
        "assert double(2) == 4",
        "assert double(3) == 7",
        "assert abs(double(0.5) - 1.5) < 1e-9",
        "assert math.isclose(double(1), 2.5, rel_tol=1e-9)",
        "assert all(abs(double(x) - v) < 1e-9 for x, v in zip([1, 2, 3], [2, 4, 7]))",
        "assert double(1) == 3, 'double(1) should be 3 here'",
    ]
    result = run_code(learner, tests)
    assert result.status == "failed"
    assert result.passed_count == 1
    first, eq, tol, close, every, custom = result.tests
    assert first.passed
    assert (eq.status, eq.actual, eq.expected) == ("failed", "6", "7")
    assert eq.message == "expected 7, got 6"
    assert (tol.actual, tol.expected, tol.tolerance) == ("1.0", "1.5", "1e-09")
    assert (close.actual, close.expected, close.tolerance) == ("2", "2.5", "rel_tol=1e-09")
    assert every.where == "x = 3, v = 7" and every.message.startswith("at x = 3, v = 7: expected 7, got 6")
    assert custom.message == "double(1) should be 3 here"
    assert result.message.startswith("1 of 6 tests passed. Test 2 failed: expected 7, got 6")


def test_all_passing():
    result = run_code("def f(x):\n    return x + 1\n", ["assert f(1) == 2", "y = f(2)", "assert y == 3"])
    assert result.status == "passed" and result.passed
    assert [t.source for t in result.tests] == ["assert f(1) == 2", "assert y == 3"]  # passing setup is not listed
    assert result.message == "All 2 tests passed."


def test_an_exception_points_at_the_learners_line():
    learner = code("""
        import math

        def slope(f, x, h):
            step = h
            return (f(x + step) - f(x)) / hh
    """)
    result = run_code(learner, ["assert slope(math.sin, 0, 1e-6) == 1"])
    (test,) = result.tests
    assert test.status == "error"
    assert test.message == "NameError: name 'hh' is not defined"
    assert test.line == 5
    assert "line 5, in slope" in test.traceback and "/ hh" in test.traceback
    assert "harness" not in test.traceback and "<tests>" not in test.traceback


def test_tests_get_math_and_np_but_the_learner_must_import_them():
    result = run_code("def root(x):\n    return math.sqrt(x)\n", ["assert np.isclose(root(4.0), 2.0)"])
    assert result.tests[0].message == "NameError: name 'math' is not defined"
    result = run_code("import math\ndef root(x):\n    return math.sqrt(x)\n", ["assert np.isclose(root(4.0), 2.0)"])
    assert result.passed


def test_print_output_is_captured_per_test_and_in_order():
    learner = code("""
        print("loading")

        def f(x):
            print("f called with", x)
            return x
    """)
    result = run_code(learner, ["assert f(1) == 1", "assert f(2) == 3"])
    assert result.stdout == "loading\nf called with 1\nf called with 2\n"
    assert [t.output for t in result.tests] == ["f called with 1\n", "f called with 2\n"]


def test_a_print_flood_is_cut_at_the_output_limit():
    learner = "def f():\n    for i in range(200_000):\n        print('spam spam spam', i)\n    return 1\n"
    result = run_code(learner, ["assert f() == 1"], output_limit=10_000)
    assert result.passed
    assert len(result.stdout) < 10_200 and result.stdout.endswith("[output cut: more than the limit was printed]\n")


def test_syntax_error_gives_line_and_column():
    result = run_code("def f(x):\n    y = 2\n    return x +\n", ["assert f(1) == 1"])
    assert result.status == "invalid"
    assert (result.line, result.column) == (3, 15)
    assert result.message.startswith("Syntax error at line 3, column 15")
    assert [t.status for t in result.tests] == ["not run"]


def test_an_error_while_loading_stops_before_the_tests():
    result = run_code("values = [1, 2]\nthird = values[2]\ndef f(x):\n    return x\n", ["assert f(1) == 1"])
    assert result.status == "error"
    assert result.line == 2
    assert "IndexError" in result.message


def test_broken_tests_are_the_exercises_fault():
    result = run_code("def f(x):\n    return x\n", ["assert f(1) ==", "assert f(1) == 1"])
    assert result.status == "error"
    assert "tests do not parse (test 1" in result.message


# --------------------------------------------------------------------------- imports


@pytest.mark.parametrize("learner, line", [
    ("import os\ndef f(x):\n    return x\n", 1),
    ("def f(x):\n    import subprocess\n    return x\n", 2),
    ("from os import path\ndef f(x):\n    return x\n", 1),
    ("import math\nimport numpy as np\nfrom .secret import x\n", 3),
])
def test_forbidden_import_statements_are_refused_before_running(learner, line):
    result = run_code(learner, ["assert f(1) == 1"])
    assert result.status == "invalid"
    assert result.line == line
    assert "is not allowed" in result.message


def test_dynamic_import_is_refused_with_a_clear_message():
    result = run_code("def f(x):\n    return __import__('os').getpid()\n", ["assert f(1) == 1"])
    (test,) = result.tests
    assert test.status == "error" and test.line == 2
    assert test.message == "ImportError: importing 'os' is not allowed in this exercise (allowed: math, numpy)"


def test_allowed_modules_and_their_submodules_import():
    learner = code("""
        import math
        import numpy.linalg
        from numpy.random import default_rng

        def norm(v):
            return float(numpy.linalg.norm(v))
    """)
    assert run_code(learner, ["assert norm([3, 4]) == 5.0", "assert default_rng(0) is not None"]).passed


def test_input_is_refused_because_stdin_is_closed():
    result = run_code("def ask():\n    return input('x? ')\n", ["assert ask() == '1'"])
    assert result.tests[0].message == "PermissionError: input() is not available in code exercises"


# --------------------------------------------------------------------------- misbehaviour


def test_infinite_loop_times_out_at_the_learners_line():
    learner = "def f(x):\n    while x > 0:\n        x += 1\n    return x\n"
    result = run_code(learner, ["assert f(1) == 1", "assert f(2) == 2"], time_limit=1.0)
    assert result.status == "timeout"
    assert result.elapsed < 1.0 + SLACK
    assert result.line in (2, 3)
    assert [t.status for t in result.tests] == ["timeout", "not run"]
    assert "time limit" in result.message and "test 1" in result.message


def test_a_loop_that_swallows_the_timeout_is_killed_with_its_process_group():
    learner = code("""
        import os
        print(os.getpid(), flush=True)

        def f(x):
            while True:
                try:
                    for i in range(10 ** 5):
                        x += 1
                except BaseException:
                    pass
    """)
    result = run_code(learner, ["assert f(1) == 1"], allowed_imports=WITH_OS, time_limit=1.0)
    assert result.status == "timeout"
    assert 1.0 <= result.elapsed < 1.0 + KILL_GRACE + SLACK
    assert result.tests[0].status == "timeout"
    assert result.stdout.strip(), "output printed before the kill is kept"
    assert not alive(int(result.stdout.split()[0]))


def test_top_level_infinite_loop_times_out_while_loading():
    result = run_code("while True:\n    pass\n", ["assert True"], time_limit=1.0)
    assert result.status == "timeout" and result.elapsed < 1.0 + SLACK
    assert "while loading" in result.message


@pytest.mark.skipif(not LINUX, reason="RLIMIT_AS is enforced on Linux only")
@pytest.mark.parametrize("learner, line", [
    ("def f(x):\n    big = [0] * (10 ** 10)\n    return x\n", 2),
    ("import numpy as np\ndef f(x):\n    return np.ones(10 ** 10).sum()\n", 3),
    ("def f(x):\n    chunks = []\n    while True:\n        chunks.append(bytearray(10 ** 7))\n", 4),
])
def test_huge_allocation_hits_the_memory_limit(learner, line):
    result = run_code(learner, ["assert f(1) == 1"], memory_mb=256, time_limit=5.0)
    assert result.status == "memory"
    assert result.line == line
    assert result.elapsed < 5.0
    assert "256 MB" in result.message


def test_sys_exit_and_exit_are_caught_and_explained():
    learner = "import sys\ndef f(x):\n    sys.exit(3)\ndef g(x):\n    exit()\n"
    result = run_code(learner, ["assert f(1) == 1", "assert g(1) == 1", "assert 2 + 2 == 4"],
                      allowed_imports=("math", "numpy", "sys"))
    assert result.status == "failed"
    f, g, after = result.tests
    assert f.status == "error" and f.line == 3 and "tried to end the program" in f.message and "code 3" in f.message
    assert g.status == "error" and g.line == 5
    assert after.passed, "the run goes on after a caught exit"


def test_os_exit_ends_the_process_and_is_reported_as_a_crash():
    learner = "import os\ndef f(x):\n    os._exit(7)\n"
    result = run_code(learner, ["assert 1 + 1 == 2", "assert f(1) == 1", "assert 2 + 2 == 4"], allowed_imports=WITH_OS)
    assert result.status == "crashed"
    assert "exit code 7" in result.message and "test 2" in result.message
    assert [t.status for t in result.tests] == ["passed", "crashed", "not run"]


def test_segfault_through_numpy_is_reported_with_the_learners_line():
    learner = code("""
        import numpy as np

        def f(x):
            wild = np.lib.stride_tricks.as_strided(np.zeros(1), shape=(2,), strides=(2 ** 40,))
            return wild.sum()
    """)
    result = run_code(learner, ["assert f(1) == 0"])
    assert result.status == "crashed"
    assert "segmentation fault" in result.message
    assert result.line == 5
    assert result.tests[0].status == "crashed"


def test_segfault_through_ctypes():
    learner = "import ctypes\ndef f(x):\n    return ctypes.string_at(0)\n"
    result = run_code(learner, ["assert f(1) == 1"], allowed_imports=("math", "numpy", "ctypes"))
    assert result.status == "crashed" and result.line == 3


def test_a_fork_loop_is_stopped_at_the_first_fork():
    learner = code("""
        import os

        def bomb(n):
            for _ in range(n):
                os.fork()
            return n
    """)
    result = run_code(learner, ["assert bomb(20) == 20"], allowed_imports=WITH_OS)
    assert result.status == "failed"
    assert result.tests[0].message == "PermissionError: os.fork() is not available in code exercises"
    assert result.tests[0].line == 5


@pytest.mark.skipif(not LINUX, reason="uses libc and /proc")
def test_children_forked_behind_the_guard_are_killed_with_the_process_group():
    # libc's fork() bypasses the os.fork guard (as any C code could); the children spin forever.
    # Bounded to 8 children so that a broken sandbox cannot hurt the machine running the tests.
    # Run as root (CI containers) this checks the process-group kill, otherwise RLIMIT_NPROC.
    learner = code("""
        import ctypes
        libc = ctypes.CDLL(None)

        def spawn(n):
            pids = []
            for _ in range(n):
                pid = libc.fork()
                if pid == 0:
                    while True:
                        pass
                pids.append(pid)
            print(*pids)
            return len(pids)
    """)
    result = run_code(learner, ["assert spawn(8) == 8"], allowed_imports=("math", "numpy", "ctypes"), time_limit=2.0)
    assert result.passed, result.message
    pids = [int(p) for p in result.stdout.split()]
    assert len(pids) == 8
    seccomp = any(layer.startswith("seccomp") for layer in result.details["layers"])
    if seccomp or os.geteuid() != 0:  # seccomp refuses fork for everyone; RLIMIT_NPROC=0 for all but root
        assert pids == [-1] * 8
        return
    assert all(p > 0 for p in pids)  # root ignores RLIMIT_NPROC: the process-group kill must clean up
    deadline = time.monotonic() + 2.0
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(p) for p in pids)


def test_the_child_gets_a_temporary_folder_and_a_minimal_environment(monkeypatch):
    monkeypatch.setenv("TUTOR_TEST_SECRET", "do-not-leak")
    learner = code("""
        import os
        print(os.getcwd())
        print(sorted(os.environ))
        print(os.environ.get("OPENBLAS_NUM_THREADS"))
    """)
    result = run_code(learner, ["assert True"], allowed_imports=WITH_OS)
    cwd, names, threads = result.stdout.splitlines()
    assert "tutor-sandbox-" in cwd and not Path(cwd).exists(), "the temporary folder is removed afterwards"
    assert "TUTOR_TEST_SECRET" not in names
    assert threads == "1"


@pytest.mark.skipif(not LINUX, reason="resource limits are applied on Linux")
def test_resource_limits_are_applied():
    result = run_code("x = 1\n", ["assert x == 1"], memory_mb=300)
    assert f"RLIMIT_AS={300 * 1024 * 1024}" in result.limits
    for name in ("RLIMIT_CPU", "RLIMIT_NPROC", "RLIMIT_FSIZE", "RLIMIT_CORE"):
        assert any(limit.startswith(name + "=") for limit in result.limits)


def test_the_sandbox_package_imports_without_textual_or_sympy():
    probe = ("import sys, tutor.sandbox\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'sympy')))")
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"


def test_the_runner_leaves_no_process_behind():
    before = _harness_processes()
    run_code("def f(x):\n    while True:\n        pass\n", ["assert f(1) == 1"], time_limit=0.5)
    assert _harness_processes() <= before


def _harness_processes() -> set[int]:
    if not LINUX:
        return set()
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                # This checkout's harness only: other checkouts on the machine may be running theirs.
                if str(HARNESS).encode() in (entry / "cmdline").read_bytes() and alive(int(entry.name)):
                    found.add(int(entry.name))
            except OSError:
                pass
    return found


def test_time_limit_runs_from_the_learners_code_not_from_interpreter_startup():
    # A 0.2 s limit is tight but fair: interpreter and numpy startup are not counted.
    result = run_code("def f(x):\n    return x\n", ["assert f(1) == 1"], time_limit=0.2)
    assert result.passed, result.message


def test_the_runner_changes_nothing_in_the_tutor_process():
    env_before, cwd_before = dict(os.environ), os.getcwd()
    run_code("print('hi')\n", ["assert True"])
    assert dict(os.environ) == env_before and os.getcwd() == cwd_before


def test_runs_from_several_threads_do_not_mix():
    # The UI runs drafts from worker threads and the validator runs two at a time.
    from concurrent.futures import ThreadPoolExecutor

    def run(i: int):
        return run_code(f"def f():\n    print({i})\n    return {i}\n", [f"assert f() == {i}"])

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(run, range(8)))
    assert all(r.passed for r in results)
    assert [r.stdout for r in results] == [f"{i}\n" for i in range(8)]
