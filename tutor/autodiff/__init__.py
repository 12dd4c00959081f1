"""Reverse-mode automatic differentiation and the step-through backprop challenge.

Pure domain: no Textual, and no SymPy until a closed form of a local derivative is asked for.

- `engine`: micrograd-style `Value`s, one local-derivative rule per op, `backward` with +=.
- `graph`: a graph of named nodes from a ```backprop block, or from a typed expression.
- `steps`, `feedback`, `stepper`: the challenge (forward then backward steps), its chain-rule
  cards, targeted feedback, and a JSON state to resume from.
- `headless`: `tutor check` answers and the lesson validator.
"""

from __future__ import annotations

from tutor.autodiff.engine import DomainError, Value, backward, topological_order
from tutor.autodiff.feedback import StepVerdict
from tutor.autodiff.expression import graph_from_expression
from tutor.autodiff.graph import Graph, GraphError, build_graph
from tutor.autodiff.headless import check_backprop, validate_backprop
from tutor.autodiff.stepper import FDRow, Stepper
from tutor.autodiff.steps import Step, Template

__all__ = [
    "DomainError", "FDRow", "Graph", "GraphError", "Step", "StepVerdict", "Stepper", "Template", "Value",
    "backward", "build_graph", "check_backprop", "graph_from_expression", "topological_order",
    "validate_backprop",
]
