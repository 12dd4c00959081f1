"""Backprop exercises without the widget: `tutor check` answers, and the lesson validator.

An answer lists the step values in step order, separated by ';': the forward values first, then
the gradients (∂L/∂L = 1 is given, not a step). All steps must be given and right for
"correct"; a right prefix is "incorrect" and says how many steps remain.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any, Mapping

from tutor.autodiff.graph import Graph, GraphError, build, build_graph, number, read_block
from tutor.autodiff.numbers import NoValue, close, read_number
from tutor.autodiff.stepper import Stepper
from tutor.checking.verdict import EntryResult, Verdict
from tutor.mathlang import MathError

EXPECTED_REL_TOL = 1e-4


def check_backprop(block_data: Mapping[str, Any], answer: str) -> Verdict:
    start = time.perf_counter()
    verdict = _check(block_data, str(answer))
    return replace(verdict, elapsed_ms=round((time.perf_counter() - start) * 1000, 2))


def _check(block_data: Mapping[str, Any], answer: str) -> Verdict:
    try:
        stepper = Stepper(build_graph(block_data))
    except GraphError as err:
        return Verdict("invalid", f"This exercise cannot be checked: {err}", diagnosis="broken-exercise")
    steps = stepper.steps
    labels = [s.label for s in steps]
    pieces = [p.strip() for p in answer.split(";")]
    while pieces and not pieces[-1]:
        pieces.pop()  # a trailing ';' is harmless
    if not pieces:
        return Verdict("invalid", f"Type the {len(steps)} step values separated by ';': "
                                  + "; ".join(labels) + ".")
    notes: tuple[str, ...] = ()
    if len(pieces) == len(steps) + 1 and _is_one(pieces[stepper.forward_count]):
        # The learner wrote the given ∂L/∂L = 1 too, as the lesson's table shows it: skip it.
        del pieces[stepper.forward_count]
        notes = (f"∂{stepper.graph.output}/∂{stepper.graph.output} = 1 is given, not a step; it was skipped.",)
    if len(pieces) > len(steps):
        return Verdict("invalid", f"This challenge has {len(steps)} steps ({'; '.join(labels)}); "
                                  f"you gave {len(pieces)} values.", notes=notes)
    extra = {"steps": labels, "given": len(pieces)}
    interpreted = "; ".join(f"{s.label} = {text}" for s, text in zip(steps, pieces))
    entries: list[EntryResult] = []
    first_wrong = None
    for step, text in zip(steps, pieces):
        result = stepper.judge(step.index, text)
        if result.status == "invalid" and not text:
            result = replace(result, message="this step is empty")
        entries.append(EntryResult((step.index,), result.correct, "" if result.correct else result.message))
        if not result.correct and first_wrong is None:
            first_wrong = (step, result)
    if first_wrong is not None:
        step, result = first_wrong
        where = f"step {step.index + 1} ({step.label})"
        if result.status == "invalid":
            return Verdict("invalid", f"{where}: {result.message}", interpreted=interpreted, notes=notes,
                           extra=extra)
        wrong = sum(not e.correct for e in entries)
        tail = "" if wrong == 1 else f" ({wrong} of the {len(entries)} steps given are wrong.)"
        return Verdict("incorrect", f"{where}: {result.message}{tail}", interpreted=interpreted,
                       diagnosis=result.diagnosis, entries=tuple(entries), notes=notes, extra=extra)
    remaining = len(steps) - len(pieces)
    if remaining:
        first = f"the first {len(pieces)} steps are" if len(pieces) > 1 else "the first step is"
        return Verdict("incorrect", f"{first.capitalize()} right; {remaining} to go (next: step "
                                    f"{len(pieces) + 1}, {labels[len(pieces)]}).",
                       interpreted=interpreted, diagnosis="unfinished", entries=tuple(entries), notes=notes,
                       extra=extra)
    return Verdict("correct", f"Correct: all {len(steps)} steps.", interpreted=interpreted,
                   entries=tuple(entries), notes=notes, extra=extra)


def _is_one(text: str) -> bool:
    try:
        return close(read_number(text), 1.0)
    except (MathError, NoValue):
        return False


# -- the lesson validator ------------------------------------------------------------------------

def validate_backprop(block_data: Any) -> list[str]:
    """Every problem with a ```backprop block or backprop exercise, as messages; [] when sound.

    Formulas parse over the names defined before them, the output is a node, the forward pass has
    a value everywhere, every node feeds the output, and the `expected` numbers (if given) agree
    with the engine within a relative 1e-4.
    """
    spec, problems = read_block(block_data)
    if spec is None:
        return problems
    try:
        graph = build(spec)
    except GraphError as err:
        return [str(err)]
    problems = []
    for name in graph.formula_nodes:
        if name != graph.output and name not in _ancestors(graph, graph.output):
            problems.append(f"node {name} does not feed the output {graph.output}")
    problems += _check_expected(graph, block_data.get("expected"))
    return problems


def _ancestors(graph: Graph, name: str) -> set[str]:
    found: set[str] = set()
    stack = [name]
    while stack:
        for parent in graph.nodes[stack.pop()].parents:
            if parent not in found:
                found.add(parent)
                stack.append(parent)
    return found


def _check_expected(graph: Graph, expected: Any) -> list[str]:
    if expected is None:
        return []
    if not isinstance(expected, Mapping):
        return ["expected must be a mapping with forward and/or backward"]
    problems = [f"expected has an unknown field '{key}' (use forward and backward)"
                for key in expected if key not in ("forward", "backward")]
    for phase, truth in (("forward", {n: graph.value(n) for n in graph.nodes}), ("backward", graph.grads)):
        table = expected.get(phase)
        if table is None:
            continue
        if not isinstance(table, Mapping):
            problems.append(f"expected.{phase} must map node names to numbers")
            continue
        for name, raw in table.items():
            if name not in truth:
                problems.append(f"expected.{phase} names '{name}', which is not a node or input")
                continue
            try:
                value = number(raw, f"expected.{phase}.{name}")
            except GraphError as err:
                problems.append(str(err))
                continue
            if not close(value, truth[name], EXPECTED_REL_TOL, 1e-9):
                what = name if phase == "forward" else f"∂{graph.output}/∂{name}"
                problems.append(f"expected.{phase}.{name} is {raw}, but {what} = {truth[name]:.6g}")
    return problems
