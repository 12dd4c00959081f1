"""The trusted side of a test: decode the children's plain data and decide each `assert` here.

`plan.py` cut every assert into a condition tree and leaves; the learner's child and the
expected child sent back the leaves' values (see `harness.encode`). This module rebuilds
the values (numbers, text, lists, tuples, dicts, sets, numpy arrays; anything else becomes
an `Opaque` that refuses to be compared), evaluates the tree with Python's own semantics
and a few size guards, and explains a failure the way a learner needs it ("expected 7, got 6").
"""

from __future__ import annotations

import math
import operator
from typing import Any

from tutor.sandbox.plan import LEARNER, AssertPlan, Comp

REPR_LIMIT = 300  # characters of a value shown in a report
MAX_ELEMENTS = 10_000_000  # elements of an array or sequence the parent will build from an operation
MAX_POW_BITS = 100_000  # bits of an integer power the parent will compute


class NotPlainData(TypeError):
    pass


class Failure(Exception):
    """A test that could not be decided: a leaf raised in a child, or its value cannot be compared."""

    def __init__(self, message: str, traceback: str = "", line: int | None = None) -> None:
        super().__init__(message)
        self.message, self.traceback, self.line = message, traceback, line


class Opaque:
    """A value the child could not send as data. Only identity (`is None`) works on it."""

    __slots__ = ("type_name",)
    __hash__ = object.__hash__

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<{self.type_name} object>"

    def _refuse(self, *args):
        raise NotPlainData(f"the value is a {self.type_name}, which the tests cannot compare: return plain data "
                           "(numbers, text, lists, tuples, numpy arrays)")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = __len__ = __iter__ = _refuse
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _refuse
    __pow__ = __rpow__ = __neg__ = __pos__ = __abs__ = __float__ = __int__ = __index__ = __getitem__ = _refuse
    __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __contains__ = __round__ = _refuse


# --------------------------------------------------------------------------- decoding


_NUMERIC_KINDS = "biufc"


def decode(data: Any) -> Any:
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(v) for v in data]
    if isinstance(data, dict) and len(data) >= 1:
        if "tuple" in data:
            return tuple(decode(v) for v in data["tuple"])
        if "ndarray" in data:
            import numpy as np

            dtype = np.dtype(str(data["dtype"]))
            if dtype.kind not in _NUMERIC_KINDS:
                return Opaque(f"numpy array of {dtype}")
            return np.array(_complex_items(data["ndarray"]) if dtype.kind == "c" else data["ndarray"],
                            dtype=dtype).reshape(tuple(int(n) for n in data["shape"]))
        if "complex" in data:
            real, imag = data["complex"]
            return complex(float(real), float(imag))
        if "dict" in data:
            return {decode(k): decode(v) for k, v in data["dict"]}
        if "set" in data:
            return frozenset(decode(v) for v in data["set"])
        if "opaque" in data:
            return Opaque(str(data["opaque"]))
    return Opaque("unreadable value")


def _complex_items(nested):
    if isinstance(nested, list):
        return [_complex_items(v) for v in nested]
    return complex(*nested)


# --------------------------------------------------------------------------- values from the two children


class Values:
    """One scope's leaf values: learner-side ones from the learner's child, the rest from the expected child."""

    def __init__(self, learner: dict | None, expected: dict | None, sides: dict[int, str],
                 comps: dict[int, Comp]) -> None:
        self.learner, self.expected, self.sides, self.comps = learner or {}, expected or {}, sides, comps

    def _record(self, side: str) -> dict:
        return self.learner if side == LEARNER else self.expected

    def leaf(self, leaf_id: int, src: str) -> Any:
        record = self._record(self.sides[leaf_id]).get("v", {}).get(str(leaf_id))
        return _value(record, src)

    def comp(self, comp_id: int) -> tuple[list, list[Values]]:
        comp = self.comps[comp_id]
        own = self._record(comp.iter_side).get("c", {}).get(str(comp_id))
        items = _value(own["items"] if own else None, comp.iter_src)
        if not isinstance(items, list):
            raise Failure(f"`{comp.iter_src}` did not give a list of items")
        learner = (self.learner.get("c", {}).get(str(comp_id)) or {}).get("per", [])
        expected = (self.expected.get("c", {}).get(str(comp_id)) or {}).get("per", [])
        per = [Values(learner[i] if i < len(learner) else None, expected[i] if i < len(expected) else None,
                      self.sides, self.comps) for i in range(len(items))]
        return items, per


def _value(record: dict | None, src: str) -> Any:
    if not isinstance(record, dict):
        raise Failure(f"no value came back for `{_short(src)}`")
    if "err" in record:
        line = record.get("line")
        raise Failure(str(record["err"]), str(record.get("tb") or ""), line if isinstance(line, int) else None)
    return decode(record.get("ok"))


# --------------------------------------------------------------------------- evaluation


def _guard_size(op: str, a: Any, b: Any) -> None:
    if op == "**" and type(a) is int and type(b) is int and b > 0 and abs(a) > 1:
        if b * math.log2(abs(a)) > MAX_POW_BITS:
            raise OverflowError("the number is too large to compute")
    if op == "%" and isinstance(a, str):
        raise TypeError("text formatting with % is not evaluated by the tests")
    if op == "*":
        for seq, n in ((a, b), (b, a)):
            if isinstance(seq, (list, tuple, str)) and type(n) is int and len(seq) * n > MAX_ELEMENTS:
                raise OverflowError("the sequence is too long to build")
    if _is_array(a) or _is_array(b):
        import numpy as np

        size = math.prod(np.broadcast_shapes(np.shape(a), np.shape(b)))
        if size > MAX_ELEMENTS:
            raise OverflowError("the array is too large to build")


def _is_array(value: Any) -> bool:
    return type(value).__module__ == "numpy"


_BIN = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "//": operator.floordiv,
        "%": operator.mod, "**": operator.pow}
_CMP = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
        ">=": operator.ge, "in": lambda a, b: a in b, "not in": lambda a, b: a not in b,
        "is": operator.is_, "is not": operator.is_not}


def _np(name: str):
    def call(*args, **kwargs):
        import numpy as np

        return getattr(np, name)(*args, **kwargs)

    return call


FUNCTIONS = {
    "abs": abs, "max": max, "min": min, "len": len, "bool": bool, "float": float, "int": int, "round": round,
    "sum": sum, "all": all, "any": any, "math.isclose": math.isclose, "math.fabs": math.fabs,
    "np.isclose": _np("isclose"), "np.allclose": _np("allclose"), "np.array_equal": _np("array_equal"),
    "np.all": _np("all"), "np.any": _np("any"), "np.abs": _np("abs"), "np.max": _np("max"), "np.min": _np("min"),
    "np.sum": _np("sum"), "np.shape": _np("shape"),
}


class _Eval:
    def __init__(self) -> None:
        self.where: dict[str, Any] | None = None  # the failing item of an all(), for the message

    def run(self, node: dict, env: dict, values: Values) -> Any:
        kind = node["t"]
        if kind == "const":
            return node["v"]
        if kind == "name":
            if node["n"] not in env:
                raise Failure(f"the loop variable `{node['n']}` has no value here")
            return env[node["n"]]
        if kind == "leaf":
            return values.leaf(node["id"], node["src"])
        if kind == "bin":
            a, b = self.run(node["l"], env, values), self.run(node["r"], env, values)
            _guard_size(node["op"], a, b)
            return _BIN[node["op"]](a, b)
        if kind == "unary":
            value = self.run(node["v"], env, values)
            return {"-": operator.neg, "+": operator.pos, "not": operator.not_}[node["op"]](value)
        if kind == "bool":
            result = None
            for part in node["vs"]:
                result = self.run(part, env, values)
                if bool(result) == (node["op"] == "or"):
                    return result
            return result
        if kind == "cmp":
            left = self.run(node["l"], env, values)
            last = len(node["ops"]) - 1
            for position, (op, right_node) in enumerate(zip(node["ops"], node["rs"])):
                right = self.run(right_node, env, values)
                _guard_size(op, left, right)
                result = _CMP[op](left, right)
                if position < last and not bool(result):  # a chain tests truth between links, as Python does
                    return result
                left = right
            return result
        if kind in ("tuple", "list"):
            items = [self.run(v, env, values) for v in node["vs"]]
            return tuple(items) if kind == "tuple" else items
        if kind == "call":
            args = [self.run(a, env, values) for a in node["args"]]
            kwargs = {k: self.run(v, env, values) for k, v in node["kw"].items()}
            if len(args) >= 2:
                _guard_size(node["fn"], args[0], args[1])
            return FUNCTIONS[node["fn"]](*args, **kwargs)
        if kind == "comp":
            return self.comp(node, env, values)
        raise Failure(f"unknown test node {kind!r}")

    def comp(self, node: dict, env: dict, values: Values) -> bool:
        items, per = values.comp(node["id"])
        want_all = node["fn"] == "all"
        for item, item_values in zip(items, per):
            local = dict(env)
            _bind(node["target"], item, local)
            if not all(bool(self.run(c, local, item_values)) for c in node["ifs"]):
                continue
            if bool(self.run(node["elt"], local, item_values)) != want_all:
                if want_all and self.where is None:
                    self.where = {"env": local, "values": item_values, "node": node["elt"],
                                  "names": _target_names(node["target"])}
                return not want_all
        return want_all


def _bind(target, item: Any, env: dict) -> None:
    if target is None:
        return
    if isinstance(target, str):
        env[target] = item
        return
    parts = list(item)
    if len(parts) != len(target):
        raise ValueError(f"cannot unpack {len(parts)} values into {len(target)} names")
    for sub, value in zip(target, parts):
        _bind(sub, value, env)


def _target_names(target) -> list[str]:
    if target is None:
        return []
    if isinstance(target, str):
        return [target]
    return [name for sub in target for name in _target_names(sub)]


# --------------------------------------------------------------------------- a verdict and its explanation


def judge(step: AssertPlan, learner_scope: dict | None, expected_scope: dict | None) -> dict:
    """Decide one assert. Returns the TestResult fields: status, message, actual, expected, tolerance, where..."""
    sides = _sides(step)
    comps = _comps(step.comps)
    values = Values(learner_scope, expected_scope, sides, comps)
    evaluator = _Eval()
    try:
        outcome = bool(evaluator.run(step.condition, {}, values))
    except Failure as exc:
        return {"status": "error", "message": exc.message, "traceback": exc.traceback, "line": exc.line}
    except Exception as exc:  # decided here on plain data: a TypeError, an ambiguous array truth...
        return {"status": "error", "message": f"{type(exc).__name__}: {exc}"}
    if outcome:
        return {"status": "passed"}
    details = _explain(step.condition, {}, values)
    if evaluator.where is not None:
        where = evaluator.where
        details = _explain(where["node"], where["env"], where["values"])
        details["where"] = ", ".join(f"{n} = {safe_repr(where['env'].get(n))}" for n in where["names"])
    message = None
    if step.message is not None:
        try:
            message = str(_Eval().run(step.message, {}, values))
        except Exception:
            message = None
    return {"status": "failed", "message": message or failure_message(details), **details}


def _sides(step: AssertPlan) -> dict[int, str]:
    sides = {leaf["id"]: leaf["side"] for leaf in step.leaves}
    stack = list(step.comps)
    while stack:
        comp = stack.pop()
        sides.update({leaf["id"]: leaf["side"] for leaf in comp.leaves})
        stack.extend(comp.comps)
    return sides


def _comps(comps: list[Comp]) -> dict[int, Comp]:
    found: dict[int, Comp] = {}
    stack = list(comps)
    while stack:
        comp = stack.pop()
        found[comp.id] = comp
        stack.extend(comp.comps)
    return found


_SYMBOLS = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "!=": "!=", "in": "in", "not in": "not in", "is not": "is not"}


def _explain(node: dict, env: dict, values: Values) -> dict:
    """Actual, expected and tolerance of a failed condition of a shape learners know; {} otherwise."""
    run = _Eval().run
    try:
        if node["t"] == "cmp" and len(node["ops"]) == 1:
            op, left, right = node["ops"][0], node["l"], node["rs"][0]
            if (op in ("<", "<=") and left["t"] == "call" and left["fn"] == "abs" and len(left["args"]) == 1
                    and left["args"][0]["t"] == "bin" and left["args"][0]["op"] == "-"):
                diff = left["args"][0]
                return {"actual": safe_repr(run(diff["l"], env, values)),
                        "expected": safe_repr(run(diff["r"], env, values)),
                        "tolerance": safe_repr(run(right, env, values))}
            actual, other = run(left, env, values), run(right, env, values)
            if op in ("==", "is"):
                return {"actual": safe_repr(actual), "expected": safe_repr(other)}
            return {"actual": safe_repr(actual), "expected": f"{_SYMBOLS[op]} {safe_repr(other)}"}
        if (node["t"] == "call" and node["fn"].split(".")[-1] in ("isclose", "allclose", "array_equal")
                and len(node["args"]) >= 2):
            found = {"actual": safe_repr(run(node["args"][0], env, values)),
                     "expected": safe_repr(run(node["args"][1], env, values))}
            if node["kw"]:
                found["tolerance"] = ", ".join(f"{k}={safe_repr(run(v, env, values))}" for k, v in node["kw"].items())
            return found
    except Exception:
        pass
    return {}


def failure_message(details: dict) -> str:
    if "expected" not in details:
        return "this check is false"
    text = f"expected {details['expected']}, got {details['actual']}"
    if "tolerance" in details:
        text += f" (tolerance {details['tolerance']})"
    if details.get("where"):
        text = f"at {details['where']}: {text}"
    return text


def safe_repr(value: Any) -> str:
    try:
        text = repr(value)
    except Exception as exc:
        text = f"<{type(value).__name__}: {exc}>"
    return text if len(text) <= REPR_LIMIT else text[: REPR_LIMIT - 1] + "…"


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
