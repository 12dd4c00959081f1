"""`tutor compare EXPECTED ANSWER`: the checker from the command line, for authors and scripts."""

from __future__ import annotations

import argparse
import builtins
import json
import sys

from tutor.checking.spec import ExerciseSpec
from tutor.checking.verdict import Verdict
from tutor.commands.common import answers_may_start_with_minus
from tutor.commands.output import printable

MODES = ("equivalent", "derivative", "antiderivative", "numeric")
STATUS_WORDS = {"correct": "equivalent", "incorrect": "different", "invalid": "invalid"}
EXIT_CODES = {"correct": 0, "incorrect": 1, "invalid": 2}


def register(subparsers, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "compare",
        parents=[common],
        help="compare an answer with an expected expression",
        description="Decide whether ANSWER is equivalent to EXPECTED. Exit 0 equivalent, 1 different, 2 invalid.",
    )
    answers_may_start_with_minus(parser)
    parser.add_argument("expected", nargs="?", help="the reference; in derivative mode the function, "
                                                    "in antiderivative mode the integrand")
    parser.add_argument("answer", nargs="?", help="the answer to judge")
    parser.add_argument("--vars", default=None, help="comma-separated variable names (default: those in EXPECTED)")
    parser.add_argument("--var", default=None, help="variable of differentiation or integration")
    parser.add_argument("--mode", choices=MODES, default="equivalent")
    parser.add_argument("--domain", default=None, help='conditions such as "a>0, x>=1"')
    parser.add_argument("--rel-tol", type=float, default=None)
    parser.add_argument("--abs-tol", type=float, default=None)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--batch", action="store_true", help="read JSON lines on stdin, write one verdict per line")
    parser.set_defaults(func=run)


def _variables(expected: str, vars_text: str | list | None, var: str | None) -> tuple[str, ...]:
    if isinstance(vars_text, list):
        names = [str(v) for v in vars_text]
    elif vars_text:
        names = [v.strip() for v in vars_text.split(",") if v.strip()]
    else:
        from tutor.mathlang import MathError, parse

        try:
            # Read the reference with any names allowed, to learn which variables it uses.
            names = sorted(parse(expected, (), allow_unknown=True).unknown_names)
        except MathError:
            names = []
    if var and var not in names:
        names.insert(0, var)
    return tuple(names)


def build_spec(expected: str, mode: str, vars_text, var, domain, rel_tol, abs_tol) -> ExerciseSpec:
    variables = _variables(expected, vars_text, var)
    if mode == "numeric":
        return ExerciseSpec("numeric", answer=expected, rel_tol=rel_tol, abs_tol=abs_tol)
    if mode in ("derivative", "antiderivative"):
        if var is None and len(variables) > 1:
            raise ValueError(f"{expected!r} has several variables ({', '.join(variables)}): choose one with "
                             f"--var, e.g. --var {variables[0]}")
        return ExerciseSpec(mode, function=expected, var=var or (variables[0] if variables else "x"),
                            variables=variables or ("x",), domain=domain)
    kind = "vector" if expected.lstrip().startswith("[") else "expression"
    if kind == "vector" and expected.lstrip().startswith("[["):
        kind = "matrix"
    return ExerciseSpec(kind, answer=expected, variables=variables, domain=domain, rel_tol=rel_tol, abs_tol=abs_tol)


def verdict_json(verdict: Verdict) -> dict:
    data = verdict.to_json()
    return {
        "status": STATUS_WORDS[verdict.status],
        "interpreted": verdict.interpreted,
        "message": verdict.message,
        "diagnosis": verdict.diagnosis,
        "counterexample": data["counterexample"],
        "elapsed_ms": verdict.elapsed_ms,
        "pretty": verdict.pretty,
        "notes": list(verdict.notes),
        "entries": data["entries"],
    }


def print_verdict(verdict: Verdict, word: str, out=sys.stdout) -> None:
    def print(line: str, file=out) -> None:  # noqa: A001 - every line may echo the learner's text
        builtins.print(printable(line), file=file)

    print(word, file=out)
    if verdict.pretty:
        print("read as:", file=out)
        for line in verdict.pretty.splitlines():
            print(f"    {line}", file=out)
    elif verdict.interpreted:
        print(f"read as: {verdict.interpreted}", file=out)
    for note in verdict.notes:
        print(f"note: {note}", file=out)
    if verdict.extra.get("caret"):
        for line in verdict.extra["caret"].splitlines():
            print(f"    {line}", file=out)
    if verdict.message:
        print(verdict.message, file=out)


def run(args: argparse.Namespace) -> int:
    from tutor.checking.service import CheckService

    if args.batch:
        return _run_batch()
    if args.expected is None or args.answer is None:
        print("tutor compare: EXPECTED and ANSWER are required (or use --batch)", file=sys.stderr)
        return 2
    try:
        spec = build_spec(args.expected, args.mode, args.vars, args.var, args.domain, args.rel_tol, args.abs_tol)
    except ValueError as exc:
        print(f"tutor compare: {printable(str(exc))}", file=sys.stderr)
        return 2
    with CheckService() as service:
        verdict = service.check(spec, args.answer)
    if args.json:
        print(json.dumps(verdict_json(verdict), ensure_ascii=False))
    else:
        print_verdict(verdict, STATUS_WORDS[verdict.status])
    return EXIT_CODES[verdict.status]


def _run_batch() -> int:
    from tutor.checking.service import CheckService

    with CheckService() as service:
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                case = json.loads(line)
                if not isinstance(case, dict):
                    raise ValueError("each line must be a JSON object")
                spec = build_spec(str(case["expected"]), case.get("mode") or "equivalent", case.get("vars"),
                                  case.get("var"), case.get("domain"), case.get("rel_tol"), case.get("abs_tol"))
                if spec.kind not in ("numeric", "expression", "vector", "matrix", "derivative", "antiderivative"):
                    raise ValueError(f"unknown mode {case.get('mode')!r}")
                verdict = service.check(spec, str(case["answer"]))
                result = verdict_json(verdict)
            except (ValueError, KeyError, TypeError) as exc:
                message = f"line {number}: missing field {exc}" if isinstance(exc, KeyError) else f"line {number}: {exc}"
                result = {"status": "invalid", "interpreted": "", "message": message, "diagnosis": None,
                          "counterexample": None, "elapsed_ms": 0.0}
            print(json.dumps(result, ensure_ascii=False), flush=True)
    return 0
