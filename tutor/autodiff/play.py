"""A backprop challenge as it is played and recorded: what is known so far, the saved stepper
state, and attempts written in the answer format `headless.check_backprop` reads (the step
values in step order, separated by ';').
"""

from __future__ import annotations

import json
from typing import Any

from tutor.autodiff.feedback import StepVerdict
from tutor.autodiff.numbers import fmt
from tutor.autodiff.stepper import Stepper
from tutor.autodiff.steps import Step
from tutor.checking.verdict import Verdict

ANSWER_SEPARATOR = "; "


def steps_by_node(stepper: Stepper) -> dict[tuple[str, str], Step]:
    """(phase, node) -> its step."""
    return {(s.phase, s.node): s for s in stepper.steps}


def step_done(stepper: Stepper, step: Step | None) -> bool:
    """Found or shown."""
    entry = stepper.entry(step) if step is not None else None
    return entry is not None and entry.done


def step_revealed(stepper: Stepper, step: Step | None) -> bool:
    entry = stepper.entry(step) if step is not None else None
    return entry is not None and entry.revealed


def known_numbers(stepper: Stepper) -> tuple[dict[str, float], dict[str, float]]:
    """The forward values and gradients known so far (given, found or shown)."""
    graph = stepper.graph
    by_node = steps_by_node(stepper)
    values, grads = {}, {}
    for name, node in graph.nodes.items():
        if node.is_input or step_done(stepper, by_node.get(("forward", name))):
            values[name] = node.value
        if name == graph.output:
            if stepper.phase != "forward":
                grads[name] = 1.0  # given
        elif step_done(stepper, by_node.get(("backward", name))):
            grads[name] = graph.grads[name]
    return values, grads


def all_found_state(stepper: Stepper) -> dict[str, Any]:
    """A state with every step answered right (a solved challenge, a worked example)."""
    return {"entries": {s.key: {"text": fmt(s.expected), "correct": True} for s in stepper.steps}}


def read_state(text: str) -> dict | None:
    """A saved stepper state (the exercise's draft), or None when there is none or it is unreadable."""
    try:
        state = json.loads(text) if text else None
    except ValueError:
        return None
    return state if isinstance(state, dict) else None


def write_state(stepper: Stepper) -> str:
    return json.dumps(stepper.state())


def wrong_step_attempt(step: Step, text: str, verdict: StepVerdict) -> tuple[str, Verdict]:
    """The attempt recorded for a wrong step: its answer and verdict."""
    answer = f"{step.label} = {text.strip()}"
    return answer, Verdict("incorrect", f"step {step.index + 1} ({step.label}): {verdict.message}",
                           interpreted=answer, diagnosis=verdict.diagnosis)


def finished_attempt(stepper: Stepper) -> tuple[str, Verdict] | None:
    """The attempt recorded when every step was found without help: the whole answer, in the
    format `check_backprop` reads, and its verdict. None while unfinished or after help."""
    if not stepper.done or stepper.helped:
        return None
    answer = ANSWER_SEPARATOR.join(stepper.entries[s.key].text for s in stepper.steps)
    return answer, Verdict("correct", f"Correct: all {len(stepper.steps)} steps.", interpreted=answer)
