"""Run the learner's Python for `code` exercises in a separate, locked-down process.

Pure domain code (no Textual). `runner` starts the children and collects their reports;
`harness` (the child) locks itself down through `lockdown` (Linux kernel layers) and evaluates
values; `plan` cuts the tests into what the children evaluate, and `judge` decides every test
here, on plain data. The editor widget, `tutor validate` and `tutor check` use:

- `run_code(code, tests, ...) -> RunResult`: the runner itself;
- `CodeExercise.from_block(data)`: an exercise block's fields; `.run(code)` runs a draft;
- `validate_code_exercise(data) -> list[str]`: what is wrong with a block (its reference must
  pass, its starter must not);
- `to_verdict(result)`: a `RunResult` as the checker's `Verdict`.
"""

from tutor.sandbox.exercise import CodeExercise, CodeExerciseError, check_code, to_verdict, validate_code_exercise
from tutor.sandbox.runner import RunResult, TestResult, run_code

__all__ = ["CodeExercise", "CodeExerciseError", "RunResult", "TestResult", "check_code", "run_code", "to_verdict",
           "validate_code_exercise"]
