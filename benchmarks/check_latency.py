"""Checker latency on a corpus of realistic (exercise, answer) pairs.

Prints p50/p95/p99 per check in a warm worker (round trip through CheckService, as the app and
the CLI use it), the in-process engine time, and process start to first verdict for
`tutor compare`. Targets on a 2-core machine: p50 <= 15 ms and p99 <= 60 ms warm; nothing over
the time budget.

    python benchmarks/check_latency.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from tutor.checking import ExerciseSpec, check
from tutor.checking.service import CheckService

# (function, var, domain, answers): correct forms and typical mistakes for each.
DERIVATIVES = [
    ("3x^4 - 2x^2 + 7x - 1", None, ["12x^3 - 4x + 7", "12x^3-4x+7", "12x^3 - 4x", "3x^3 - 2x + 7", "x^5"]),
    ("sin(x^3)", None, ["3x^2 cos(x^3)", "cos(x^3)", "3x^2 cos(3x^2)", "-3x^2 cos(x^3)", "3x²cos x³"]),
    ("ln(cos(x))", "-pi/2 < x < pi/2", ["-tan(x)", "-sin(x)/cos(x)", "tan(x)", "1/cos(x)", "-sin x / cos x"]),
    ("exp(-x^2/2)", None, ["-x exp(-x^2/2)", "exp(-x^2/2)", "-x e^(-x^2/2)", "x exp(-x^2/2)", "-2x exp(-x^2/2)"]),
    ("(1 + x^2)^10", None, ["20x(1 + x^2)^9", "10(1 + x^2)^9", "20 x (x^2+1)^9", "2x(1+x^2)^9", "(1+x^2)^11/11"]),
    ("sqrt(x) exp(x)", "x > 0", ["exp(x)/(2 sqrt(x)) + sqrt(x) exp(x)", "(x + 1/2) exp(x)/sqrt(x)",
                                 "exp(x)/(2sqrt(x))", "sqrt(x) exp(x)", "e^x (1/(2√x) + √x)"]),
    ("(x^2 + 1)/(x - 1)", "x != 1", ["(x^2 - 2x - 1)/(x - 1)^2", "(2x(x-1) - (x^2+1))/(x-1)^2",
                                     "(x^2 + 1 - 2x(x - 1))/(x - 1)^2", "2x/(x-1)", "2x"]),
    ("x^2 exp(x)", None, ["exp(x)(x^2 + 2x)", "2x e^x + x^2 e^x", "2x e^x", "x^2 e^x", "e^x(x^2+2x) + 1"]),
    ("sigmoid(x)", None, ["sigmoid(x)(1 - sigmoid(x))", "exp(-x)/(1 + exp(-x))^2", "σ(x)", "σ(x)(1+σ(x))",
                          "e^(-x)/(1+e^(-x))^2"]),
    ("tanh(x)", None, ["1 - tanh(x)^2", "sech(x)^2", "1 - tanh^2(x)", "tanh(x)^2 - 1", "1/cosh(x)^2"]),
    ("2^x", None, ["2^x ln(2)", "x 2^(x-1)", "2^x", "2^x log(2)", "ln(2) 2^x"]),
    ("x^2 exp(-x)", None, ["2xe^(-x) - x^2e^(-x)", "xe^(-x)(2 - x)", "2xe^(-x)", "-x^2e^(-x)", "dy/dx = x(2-x)e^-x"]),
    ("log10(x)", "x > 0", ["1/(x ln(10))", "1/x", "ln(10)/x", "1/(x log(10))", "log10(e)/x"]),
    ("ln(x^2 + 1)", None, ["2x/(x^2 + 1)", "1/(x^2+1)", "2x/(x^2+1)^2", "2 x (x^2+1)^-1", "-2x/(x^2+1)"]),
    ("x ln(x + exp(-x))", None, ["ln(x + exp(-x)) + x(1 - exp(-x))/(x + exp(-x))",
                                 "ln(x + exp(-x))", "x(1-exp(-x))/(x+exp(-x))",
                                 "log(x + e^-x) + x (1 - e^-x)/(x + e^-x)", "1/(x + exp(-x))"]),
    ("x^4 - 4x^3 + 4x^2 + 1", None, ["4x^3 - 12x^2 + 8x", "4x(x-1)(x-2)", "12x^2 - 24x + 8", "4x^3 - 12x^2",
                                      "x^3 - 3x^2 + 2x"]),
    ("exp(sin(x^2 + 1))", None, ["2x cos(x^2+1) exp(sin(x^2+1))", "cos(x^2+1) exp(sin(x^2+1))",
                                  "exp(sin(x^2+1))", "2x exp(sin(x^2+1))", "2 x cos(x²+1) e^(sin(x²+1))"]),
    ("relu(x)", None, ["step(x)", "(1 + sign(x))/2", "max(0, 1)", "1", "x"]),
    ("abs(x)", None, ["sign(x)", "x/|x|", "|x|/x", "1", "-sign(x)"]),
    ("softplus(x)", None, ["sigmoid(x)", "1/(1 + exp(-x))", "exp(x)/(1+exp(x))", "softplus(x)", "exp(x)"]),
    ("x^3 - x", None, ["3x^2 - 1", "3x^2", "x^2 - 1", "3x^2 + 1", "6x"]),
]
EXPRESSIONS = [
    ("2*x + h", ("x", "h"), ["2x + h", "h + 2x", "2x", "2x + 2h", "x + h"]),
    ("3*x^2 + 3*x*h + h^2", ("x", "h"), ["3x^2 + 3xh + h^2", "3x^2 + 3x h + h²", "3x^2", "3x^2 + 3xh", "(x+h)^3"]),
    ("-9*x/(4*y)", ("x", "y"), ["-9x/(4y)", "-(9/4) x/y", "9x/(4y)", "-4x/(9y)", "-9/4 x y^-1"]),
    ("2*lam*w", ("lam", "w"), ["2 lam w", "2λw", "lam w^2", "2w", "2 lam"]),
    ("1 + x + x^2/2 + x^3/6", ("x",), ["1 + x + x^2/2 + x^3/6", "1 + x + 0.5x^2 + x^3/6", "1 + x + x^2 + x^3",
                                       "x + x^2/2 + x^3/6", "1 + x + x^2/2"]),
    ("x - x^3/6 + x^5/120", ("x",), ["x - x^3/6 + x^5/120", "x - x³/6 + x⁵/120", "x - x^3/3! + x^5/5!",
                                     "x + x^3/6 + x^5/120", "x - x^3/6"]),
    ("2 + (x - 4)/4", ("x",), ["2 + (x-4)/4", "x/4 + 1", "0.25x + 1", "2 + (x - 4)/2", "sqrt(x)"]),
    ("3*x - 2.25", ("x",), ["3x - 2.25", "3x - 9/4", "3(x - 0.75)", "3x + 2.25", "3x"]),
]
ANTIDERIVATIVES = [
    ("2x", None, ["x^2", "x^2 + C", "2", "x^2/2", "x^2 + 3"]),
    ("cos(x)", None, ["sin(x)", "sin(x) + C", "-sin(x)", "cos(x)", "-cos(x)"]),
    ("1/x", None, ["ln|x|", "ln(abs(x)) + C", "ln(x)", "-1/x^2", "1/x"]),
    ("x exp(x)", None, ["(x - 1) exp(x)", "x e^x - e^x + C", "x e^x", "exp(x)(x+1)", "x^2/2 e^x"]),
    ("sigmoid(x)", None, ["softplus(x)", "ln(1 + exp(x))", "σ(x)(1-σ(x))", "x", "log(1+e^x) + C"]),
    ("x step(x)", None, ["x^2 step(x)/2", "relu(x)^2/2", "x^2/2", "step(x)", "x^2 step(x)/2 + 1"]),
    ("1/(1 + x^2)", None, ["atan(x)", "arctan(x) + C", "-atan(1/x)", "ln(1 + x^2)", "atan(x) + step(x)"]),
]
NUMERICS = [
    ("60", ["60", "60.0", "120/2", "6", "-60"]),
    ("0.999983", ["0.999983", "sin(0.01)/0.01", "1", "0.99998", "0.999983333"]),
    ("-1.32", ["-1.32", "-33/25", "1.32", "-1.3", "-132/100"]),
    ("1.22041", ["1.22041", "1.220415", "1.22", "1.2204", "1.23"]),
    ("13.0621", ["13.0621", "13.06", "(2 + 1/2) e^2/sqrt(2)", "13.062", "14"]),
    ("8.15485", ["3e", "8.15485", "3*exp(1)", "8.15", "8.1548"]),
    ("-0.866025", ["-sqrt(3)/2", "-0.866025", "-0.866", "0.866025", "-√3/2"]),
    ("0.0199442", ["0.0199442", "0.02", "3 sigmoid(5)(1 - sigmoid(5))", "0.019944", "0.0199"]),
]
VECTORS = [
    ("[-4, -2, 0, 2, 4]", (), ["[-4, -2, 0, 2, 4]", "[-4,-2,0,2,4]", "[4, 2, 0, -2, -4]", "[-4, -2, 0, 2]",
                               "[-4, -2, 1, 2, 4]"]),
    ("[2*x, 6*y]", ("x", "y"), ["[2x, 6y]", "[2 x, 6 y]", "[2x, 6x]", "[x^2, 3y^2]", "[2, 6]"]),
    ("[[2, 0], [0, 6]]", (), ["[[2, 0], [0, 6]]", "[[2,0],[0,6]]", "[[2, 0], [0, 5]]", "[[0, 2], [6, 0]]",
                              "[[2, 0, 0], [0, 6, 0]]"]),
    ("[-2/sqrt(3), 2/sqrt(3)]", (), ["[-1.15470, 1.15470]", "[-2/√3, 2/√3]", "[1.1547, -1.1547]",
                                     "[-1.15, 1.15]", "[-2/sqrt(3), 2/sqrt(3)]"]),
]


def corpus() -> list[tuple[ExerciseSpec, str]]:
    cases: list[tuple[ExerciseSpec, str]] = []
    for function, domain, answers in DERIVATIVES:
        spec = ExerciseSpec("derivative", function=function, domain=domain)
        cases += [(spec, a) for a in answers]
    for answer, variables, answers in EXPRESSIONS:
        spec = ExerciseSpec("expression", answer=answer, variables=variables)
        cases += [(spec, a) for a in answers]
    for function, domain, answers in ANTIDERIVATIVES:
        spec = ExerciseSpec("antiderivative", function=function, domain=domain)
        cases += [(spec, a) for a in answers]
    for answer, answers in NUMERICS:
        spec = ExerciseSpec("numeric", answer=answer)
        cases += [(spec, a) for a in answers]
    for answer, variables, answers in VECTORS:
        kind = "matrix" if answer.startswith("[[") else "vector"
        spec = ExerciseSpec(kind, answer=answer, variables=variables)
        cases += [(spec, a) for a in answers]
    return cases


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def summary(name: str, values: list[float]) -> str:
    return (f"{name:34} n={len(values):4}  p50={percentile(values, 50):6.1f} ms  p95={percentile(values, 95):6.1f} ms"
            f"  p99={percentile(values, 99):6.1f} ms  max={max(values):6.1f} ms")


def first_verdict_seconds(runs: int = 5) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tutor", "compare", "sin(x^3)", "cos(x^3)", "--mode", "derivative"],
                       capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="passes over the corpus (first pass warms caches)")
    args = parser.parse_args()
    cases = corpus()
    print(f"corpus: {len(cases)} (exercise, answer) pairs")
    if hasattr(os, "getloadavg"):
        # Figures scale with the machine's load: on a shared 2-core machine, read them against
        # the same benchmark of the main branch run at the same time.
        print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    statuses: dict[str, int] = {}
    engine_ms: list[float] = []
    for spec, answer in cases:
        start = time.perf_counter()
        verdict = check(spec, answer)
        engine_ms.append((time.perf_counter() - start) * 1000)
        statuses[verdict.status] = statuses.get(verdict.status, 0) + 1
    print("verdicts:", ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
    print(summary("in-process engine, first pass", engine_ms))
    with CheckService() as service:
        service.warm()
        round_trip: list[float] = []
        over_budget = 0
        for repeat in range(args.repeat):
            for spec, answer in cases:
                start = time.perf_counter()
                verdict = service.check(spec, answer)
                elapsed = (time.perf_counter() - start) * 1000
                if verdict.diagnosis == "timeout":
                    over_budget += 1
                if repeat > 0 or args.repeat == 1:
                    round_trip.append(elapsed)
        print(summary("warm worker round trip", round_trip))
        print(f"checks over the {service.budget_s:g} s budget: {over_budget}; worker restarts: {service.restarts}")
    starts = first_verdict_seconds()
    print(f"process start -> first verdict (tutor compare): median {statistics.median(starts):.2f} s, "
          f"min {min(starts):.2f} s, max {max(starts):.2f} s over {len(starts)} runs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
