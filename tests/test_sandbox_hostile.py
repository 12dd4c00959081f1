"""Code written to escape the sandbox or forge a verdict, and the proof that each attempt is contained.

Every attack tries to leave a trace outside the run's temporary folder (a marker file under
pytest's tmp_path, which the sandbox must not reach), to run a program (`touch` of a marker),
to outlive the run, to hurt the parent, or to be recorded as "correct" without the right values.
Each test asserts the trace is absent, not merely that an error was raised.

On Linux the kernel layers are expected to hold (Landlock, seccomp, the private scratch); a
system that lacks one makes the tests that need it skip, naming the layer, rather than pass.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tutor.sandbox.runner import SCRATCH_MB, RunResult, run_code

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel layers are Linux's")

# Test-only: lets the hostile code reach the process-level routes directly, as a determined
# learner reaches them anyway through len.__self__ (see the first test).
EVERYTHING = ("math", "numpy", "os", "ctypes", "socket", "gc", "sys", "signal", "pickle", "threading", "time")


def code(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def run(learner: str, tests=("assert f() == 1",), **kwargs) -> RunResult:
    kwargs.setdefault("allowed_imports", EVERYTHING)
    return run_code(code(learner), list(tests), **kwargs)


def need(result: RunResult, *layers: str) -> None:
    held = " ".join(result.details.get("layers", []))
    missing = [layer for layer in layers if layer not in held]
    if missing:
        pytest.skip(f"this system lacks the {', '.join(missing)} layer: {result.details.get('layers_missing')}")


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][0]
    except (OSError, IndexError):
        return False
    return state != "Z"


# --------------------------------------------------------------------------- running programs


def test_builtins_module_through_len_cannot_run_a_shell_command(tmp_path):
    marker = tmp_path / "shell-ran"
    result = run(f"""
        def f():
            posix = len.__self__.__import__('posix')
            print('status', posix.system('touch {marker}'))
            return 1
    """, allowed_imports=("math",))
    need(result, "seccomp")
    assert not marker.exists()
    assert "status 32512" in result.stdout or "status -1" in result.stdout  # the shell never started


def test_ctypes_libc_system_and_numpy_ctypeslib_run_nothing(tmp_path):
    markers = [tmp_path / "ctypes-ran", tmp_path / "ctypeslib-ran", tmp_path / "execv-ran"]
    result = run(f"""
        import ctypes
        import numpy as np

        def f():
            ctypes.CDLL(None).system(b'touch {markers[0]}')
            np.ctypeslib.ctypes.CDLL(None).system(b'touch {markers[1]}')
            libc = np.ctypeslib.ctypes.CDLL(None)
            argv = (ctypes.c_char_p * 3)(b'/usr/bin/touch', b'{markers[2]}', None)
            libc.execv(b'/usr/bin/touch', argv)  # would replace the process: it must fail and return
            return 1
    """)
    need(result, "seccomp")
    assert result.passed, result.message
    assert not any(m.exists() for m in markers)


def test_subprocess_and_posix_spawn_are_refused(tmp_path):
    marker = tmp_path / "spawned"
    result = run(f"""
        def f():
            posix = len.__self__.__import__('posix')
            try:
                posix.posix_spawn('/usr/bin/touch', ['touch', '{marker}'], {{}})
            except OSError as exc:
                return 1
            return 0
    """, allowed_imports=("math",))
    need(result, "seccomp")
    assert not marker.exists()
    assert result.passed, result.message


# --------------------------------------------------------------------------- the filesystem


def test_files_outside_the_run_cannot_be_read():
    result = run("""
        import os

        def f():
            found = []
            for path in ('/etc/passwd', '/etc/shadow', os.path.expanduser('~/.ssh/id_rsa'),
                         f'/proc/{os.getppid()}/environ', f'/proc/{os.getppid()}/cmdline', '/proc/1/environ'):
                try:
                    with open(path, 'rb') as handle:
                        found.append(handle.read(200))
                except OSError:
                    pass
            return len(found)
    """, tests=["assert f() == 0"])
    need(result, "landlock")
    assert result.passed, result.tests[0].message


def test_the_parents_environment_does_not_leak(monkeypatch):
    monkeypatch.setenv("TUTOR_HOSTILE_SECRET", "s3cret-token")
    result = run("""
        import os

        def f():
            for path in (f'/proc/{os.getppid()}/environ', '/proc/self/environ'):
                try:
                    print(open(path, 'rb').read())
                except OSError:
                    pass
            print(dict(os.environ))
            return 1
    """)
    assert "s3cret-token" not in result.stdout and "TUTOR_HOSTILE_SECRET" not in result.stdout


def test_writes_outside_the_run_are_refused(tmp_path):
    home = Path.home() / f".tutor-escape-{os.getpid()}"
    targets = [tmp_path / "escaped.txt", Path("/tmp") / f"tutor-escape-{os.getpid()}", home]
    result = run(f"""
        import os

        def f():
            written = 0
            for path in {[str(t) for t in targets]!r}:
                try:
                    with open(path, 'a') as handle:
                        handle.write('escaped')
                    written += 1
                except OSError:
                    pass
            try:
                os.symlink('/etc/passwd', 'link')
                written += len(open('link').read()) > 0
            except OSError:
                pass
            return written
    """, tests=["assert f() == 0"])
    escaped = [t for t in targets if t.exists()]
    for target in targets[1:]:  # outside pytest's folder: clean up before failing
        target.unlink(missing_ok=True)
    need(result, "landlock")
    assert result.passed, result.tests[0].message
    assert escaped == []


def test_the_scratch_space_is_bounded_in_total_not_per_file(tmp_path):
    # The route: 250 files of 8 MB filled 2 GB outside the temp folder in 5 s.
    result = run("""
        def f():
            block = b'x' * (8 * 1024 * 1024)
            written = 0
            for i in range(250):
                try:
                    with open(f'fill-{i}', 'wb') as handle:
                        handle.write(block)
                    written += 1
                except OSError:
                    break
            print('files', written)
            return written
    """, tests=["assert f() >= 0"], time_limit=10.0)
    assert result.passed, result.message
    files = int(result.stdout.split()[-1])
    if "private scratch" in " ".join(result.details["layers"]):
        assert files * 8 <= SCRATCH_MB
    else:
        need(result, "landlock")
        assert files == 0  # without a private scratch, Landlock lets the run create no file at all


def test_many_empty_files_are_bounded_too():
    result = run("""
        def f():
            made = 0
            for i in range(100_000):
                try:
                    open(f'empty-{i}', 'w').close()
                    made += 1
                except OSError:
                    break
            return made
    """, tests=["assert f() < 1000"], time_limit=10.0)
    need(result, "landlock")
    assert result.passed, result.tests[0].message


# --------------------------------------------------------------------------- processes and signals


def test_killing_the_parent_fails_and_the_parent_survives(tmp_path):
    # The tutor is played by a separate Python process here, so a broken sandbox kills that, not pytest.
    # (No kill(-1): on a machine where the filter were missing, that would reach every process.)
    probe = tmp_path / "probe.py"
    probe.write_text(textwrap.dedent("""
        import sys
        from tutor.sandbox.runner import run_code
        learner = (
            "import os, signal\\n"
            "def f():\\n"
            "    for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGSTOP):\\n"
            "        for target in (os.getppid(), 0):\\n"
            "            try:\\n"
            "                os.kill(target, sig)\\n"
            "            except OSError:\\n"
            "                pass\\n"
            "    return 1\\n"
        )
        result = run_code(learner, ["assert f() == 1"], allowed_imports=("os", "signal"))
        print("parent alive", result.status)
    """))
    done = subprocess.run([sys.executable, str(probe)], capture_output=True, text=True, timeout=60)
    assert "parent alive passed" in done.stdout, (done.stdout, done.stderr[-2000:])


def test_fork_and_setsid_leave_no_process_behind(tmp_path):
    marker = tmp_path / "survivor"
    result = run(f"""
        import ctypes, os, time

        def f():
            libc = ctypes.CDLL(None)
            pids = []
            for fork in (libc.fork, lambda: len.__self__.__import__('posix').fork()):
                try:
                    pid = fork()
                except OSError:
                    pid = -1
                if pid == 0:  # a child: leave the group and outlive the run
                    os.setsid()
                    time.sleep(1.5)
                    open('{marker}', 'w').write('alive')
                    os._exit(0)
                pids.append(pid)
            print(*pids)
            return 1
    """)
    need(result, "seccomp")
    pids = [int(p) for p in result.stdout.split()]
    assert pids == [-1, -1]
    time.sleep(2.0)
    assert not marker.exists()


def test_a_thread_ends_with_the_run(tmp_path):
    # Threads pass the seccomp filter (numpy may use them); RLIMIT_NPROC refuses them to users
    # other than root. Either way none outlives the run.
    marker = tmp_path / "thread-outlived"
    result = run(f"""
        import threading, time

        def late():
            time.sleep(1.5)
            open('{marker}', 'w').write('x')

        def f():
            try:
                threading.Thread(target=late).start()
            except RuntimeError:  # can't start new thread
                pass
            return 1
    """)
    assert result.passed, result.message
    time.sleep(2.0)
    assert not marker.exists()


def test_sockets_are_refused():
    result = run("""
        import socket

        def f():
            opened = 0
            for family in (socket.AF_INET, socket.AF_INET6, socket.AF_UNIX):
                try:
                    socket.socket(family, socket.SOCK_STREAM).close()
                    opened += 1
                except OSError:
                    pass
            return opened
    """, tests=["assert f() == 0"])
    need(result, "seccomp")
    assert result.passed, result.tests[0].message


# --------------------------------------------------------------------------- pickles


def test_a_pickle_loaded_by_numpy_is_contained(tmp_path):
    marker_exec, marker_write = tmp_path / "pickle-ran", tmp_path / "pickle-wrote"
    result = run(f"""
        import numpy as np

        class Payload:
            def __reduce__(self):
                return (len.__self__.__import__('posix').system, ('touch {marker_exec}',))

        class Writer:
            def __reduce__(self):
                return (open, ('{marker_write}', 'w'))

        def f():
            for payload in (Payload(), Writer()):
                np.save('payload.npy', np.array([payload], dtype=object), allow_pickle=True)
                try:
                    np.load('payload.npy', allow_pickle=True)
                except OSError:
                    pass
            return 1
    """)
    need(result, "seccomp", "landlock")
    assert result.passed, result.message
    assert not marker_exec.exists() and not marker_write.exists()


# --------------------------------------------------------------------------- forged verdicts


def test_an_object_equal_to_everything_is_not_correct():
    result = run("""
        class Always:
            def __eq__(self, other): return True
            def __ne__(self, other): return False
            def __lt__(self, other): return True
            def __le__(self, other): return True
            def __gt__(self, other): return True
            def __ge__(self, other): return True
            def __bool__(self): return True
            def __abs__(self): return self
            def __sub__(self, other): return self
            __rsub__ = __sub__
            def __float__(self): return 4.0

        class Float(float):
            def __eq__(self, other): return True
            __hash__ = float.__hash__

        def f(x):
            return Always()

        def g(x):
            return Float(0.0)
    """, tests=["assert f(2) == 4", "assert abs(f(2) - 4) < 1e-9", "assert math.isclose(f(2), 4)",
                "assert np.isclose(f(2), 4)", "assert g(2) == 4", "assert all(f(x) == x * x for x in [1, 2])"],
        allowed_imports=("math",))
    assert not result.passed
    assert all(not t.passed for t in result.tests)
    assert "cannot compare" in result.tests[0].message


def test_patching_the_comparison_functions_changes_nothing():
    result = run("""
        import math
        import numpy as np

        math.isclose = lambda *a, **k: True
        np.isclose = lambda *a, **k: True
        np.allclose = lambda *a, **k: True
        len.__self__.abs = lambda x: 0
        len.__self__.all = lambda x: True

        def f(x):
            return 0.0
    """, tests=["assert math.isclose(f(2), 4)", "assert np.isclose(f(2), 4)", "assert np.allclose([f(2)], [4])",
                "assert abs(f(2) - 4) < 1e-9", "assert all(f(x) == x for x in [1, 2])",
                "assert abs(f(2) - math.sqrt(16)) < 1e-9"],
        allowed_imports=("math", "numpy"))
    assert [t.status for t in result.tests] == ["failed"] * 6


def test_forged_events_on_every_descriptor_do_not_pass(tmp_path):
    # Old-style "passed" events, and values for every leaf id (the expected side's included),
    # written to every descriptor the process might hold, then a clean exit.
    result = run("""
        import json, os

        def f(x):
            lines = [{"event": "test", "index": 0, "source": "", "status": "passed"},
                     {"event": "values", "index": 0, "scope": {"v": {str(i): {"ok": 0} for i in range(10)}, "c": {}}},
                     {"event": "done", "seconds": 0, "dropped_output": 0}]
            data = "".join(json.dumps(line) + "\\n" for line in lines).encode()
            for fd in range(3, 64):
                try:
                    os.write(fd, data)
                except OSError:
                    pass
            os._exit(0)
    """, tests=["assert f(3) == math.sqrt(81)"], allowed_imports=("json", "os"))
    assert not result.passed
    assert result.tests[0].status in ("failed", "error", "crashed")


def test_expected_values_never_enter_the_learners_process():
    # The expected value is computed by the tests without the learner's code; the learner's
    # process searches its own memory for it and finds neither the number nor its source text.
    result = run("""
        import gc

        def f():
            text = repr(gc.get_objects())  # before the needles exist: they are built from pieces
            pieces = (('7.38', '905'), ('ex', 'p(2)'), ('tar', 'get ='))  # joined at run time, not by the compiler
            return any(''.join(p) in text for p in pieces)
    """, tests=["target = math.exp(2)", "assert f() == False", "assert 7.38905 < target < 7.38906"])
    assert result.passed, result.message


def test_huge_and_deep_values_do_not_hurt_the_parent():
    result = run("""
        def big():
            return 10 ** 10000

        def deep():
            value = []
            for _ in range(100_000):
                value = [value]
            return value

        def wide():
            return [0.0] * 5_000_000

        def small():
            return [1]
    """, tests=["assert big() == 1", "assert deep() == 1", "assert wide() == 1", "assert small() * 10 ** 9 == [1]"],
        allowed_imports=("math",))
    assert [t.status for t in result.tests] == ["error"] * 4


def test_the_harness_cannot_be_rewritten_by_the_learner():
    from tutor.sandbox.child import HARNESS as harness

    before = harness.read_bytes()
    result = run(f"""
        def f():
            try:
                open({str(harness)!r}, 'a').write('\\nprint("owned")\\n')
            except OSError:
                return 1
            return 0
    """)
    changed = harness.read_bytes() != before
    if changed:
        harness.write_bytes(before)  # a broken sandbox must not leave the checkout broken too
    need(result, "landlock")
    assert result.passed and not changed


# --------------------------------------------------------------------------- tutor validate


def test_validating_a_shared_lesson_runs_its_code_in_the_sandbox(tmp_path):
    from tutor.sandbox.exercise import validate_code_exercise

    markers = [tmp_path / "reference-ran", tmp_path / "starter-ran", tmp_path / "tests-ran"]
    block = {
        "id": "x/e1", "function": "def f(x):",
        "starter": f"def f(x):\n    open('{markers[1]}', 'w').write('x')\n    return 0\n",
        "reference": f"def f(x):\n    len.__self__.__import__('posix').system('touch {markers[0]}')\n    return 2 * x\n",
        "tests": [f"open('{markers[2]}', 'w').write('x')", "assert f(2) == 4"],
    }
    problems = validate_code_exercise(block)
    assert not any(m.exists() for m in markers), problems


def test_a_test_that_compares_inside_the_learners_process_is_refused_by_the_validator():
    from tutor.sandbox.exercise import validate_code_exercise

    block = {"id": "x/e1", "function": "def f(x):", "starter": "def f(x):\n    return 0\n",
             "reference": "def f(x):\n    return 2 * x\n", "tests": ["assert str(f(2) == 4) == 'True'"]}
    (problem,) = validate_code_exercise(block, run=False)
    assert "compares inside `str(f(2) == 4)`" in problem and "runs with the learner's code" in problem
    block["tests"] = ["assert bool(f(2) == 4)"]  # bool() is decided here, on the value: fine
    assert validate_code_exercise(block, run=False) == []


def test_without_a_private_scratch_no_file_can_be_created(monkeypatch):
    # What holds where unprivileged user namespaces are disabled: Landlock alone bounds the disk.
    from tutor.sandbox import runner

    monkeypatch.setattr(runner, "SCRATCH_MB", 0)
    result = run("""
        def f():
            made = 0
            for i in range(10):
                try:
                    with open(f'fill-{i}', 'wb') as handle:
                        handle.write(b'x' * 1024)
                    made += 1
                except OSError:
                    pass
            return made
    """, tests=["assert f() == 0"])
    need(result, "landlock")
    assert "private scratch: turned off" in " ".join(result.details["layers_missing"])
    assert result.passed, result.tests[0].message


def test_limits_cannot_be_raised_from_inside():
    result = run("""
        import ctypes

        class Limit(ctypes.Structure):
            _fields_ = [("soft", ctypes.c_ulong), ("hard", ctypes.c_ulong)]

        def f():
            libc = ctypes.CDLL(None, use_errno=True)
            RLIMIT_AS = 9
            unlimited = Limit(2 ** 64 - 1, 2 ** 64 - 1)
            return libc.setrlimit(RLIMIT_AS, ctypes.byref(unlimited))
    """, tests=["assert f() == -1"])
    need(result, "seccomp")
    assert result.passed, result.tests[0].message


def test_a_missing_layer_is_reported_once_and_the_runs_go_on(monkeypatch, caplog):
    from tutor.sandbox import runner

    monkeypatch.setattr(runner, "SCRATCH_MB", 0)
    monkeypatch.setattr(runner, "_reported_missing", set())
    caplog.set_level("WARNING", logger="tutor.sandbox.runner")
    for _ in range(2):
        assert run_code("def f():\n    return 1\n", ["assert f() == 1"]).passed
    said = [r.getMessage() for r in caplog.records if "private scratch" in r.getMessage()]
    assert len(said) == 1 and "runs go on without this layer" in said[0]


def test_values_built_to_exhaust_the_parent_are_refused_there():
    result = run("""
        import numpy as np

        def column():
            return np.zeros((100_000, 1))

        def row():
            return np.zeros((1, 100_000))

        def fmt():
            return '%999999999d'
    """, tests=["assert np.all(np.isclose(column(), row()))", "assert np.all(column() == row())",
                "assert np.max(abs(column() - row())) == 0", "assert fmt() % 3 == ''"], allowed_imports=("numpy",))
    assert [t.status for t in result.tests] == ["error"] * 4
    assert all("too large" in t.message or "not evaluated" in t.message for t in result.tests)


@pytest.mark.skipif(os.uname().machine != "x86_64", reason="raw system call numbers of x86_64")
def test_raw_system_calls_that_reach_outside_are_refused(tmp_path):
    # Straight to the kernel through libc's syscall(), past every Python-level guard.
    marker = tmp_path / "raw-exec"
    result = run(f"""
        import ctypes, os

        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long

        def call(number, *args):
            value = libc.syscall(ctypes.c_long(number), *[ctypes.c_long(a) for a in args])
            return value, ctypes.get_errno()

        def f():
            argv = (ctypes.c_char_p * 3)(b'/usr/bin/touch', b'{marker}', None)
            outcomes = {{
                'clone': call(56, 17, 0, 0, 0, 0),  # SIGCHLD: a new process
                'clone3': call(435, 0, 0),
                'execve': call(59, ctypes.cast(argv[0], ctypes.c_void_p).value, ctypes.addressof(argv), 0),
                'kill parent': call(62, os.getppid(), 0),
                # PTRACE_SEIZE, not ATTACH: if it ever got through, it would not stop the test runner.
                'ptrace parent': call(101, 0x4206, os.getppid(), 0, 0),
                'process_vm_readv': call(310, os.getppid(), 0, 0, 0, 0, 0),
                'unshare': call(272, 0x10000000),  # CLONE_NEWUSER
                'mount': call(165, 0, 0, 0, 0, 0),
                'socket': call(41, 2, 1, 0),
                'io_uring_setup': call(425, 1, 0),
            }}
            for name, (value, errno) in outcomes.items():
                print(name, value, errno)
            return sum(value != -1 for value, _ in outcomes.values())
    """, tests=["assert f() == 0"])
    need(result, "seccomp")
    assert result.passed, result.stdout
    assert not marker.exists()
