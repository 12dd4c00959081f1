"""SymPy functions the ML course needs that SymPy lacks: σ, ReLU and softplus.

Each knows its own derivative, so `diff` works on them and the numeric evaluator can name them.
"""

from __future__ import annotations

import sympy


class sigmoid(sympy.Function):  # noqa: N801 - named as learners type it
    """σ(x) = 1/(1 + e^(-x)); σ' = σ(1 - σ)."""

    @classmethod
    def eval(cls, arg):
        if arg.is_zero:
            return sympy.S.Half
        return None

    def fdiff(self, argindex=1):
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        return 1 / (1 + sympy.exp(-arg))

    def _pretty(self, printer, *args):
        return printer._print_Function(self, func_name="σ")

    def _sympystr(self, printer):
        return f"sigmoid({printer._print(self.args[0])})"


class relu(sympy.Function):  # noqa: N801
    """max(0, x); its derivative is the step function (undefined at 0, where samples avoid it)."""

    def fdiff(self, argindex=1):
        return sympy.Heaviside(self.args[0])

    def _eval_rewrite_as_Max(self, arg, **kwargs):
        return sympy.Max(0, arg)


class softplus(sympy.Function):  # noqa: N801
    """ln(1 + e^x), a smooth ReLU; its derivative is σ(x)."""

    def fdiff(self, argindex=1):
        return sigmoid(self.args[0])

    def _eval_rewrite_as_log(self, arg, **kwargs):
        return sympy.log(1 + sympy.exp(arg))
