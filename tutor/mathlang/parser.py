"""A Pratt parser for the answer language: tokens in, an `ast` tree out, nothing evaluated.

Reading rules that change what a learner might expect (implicit products, `sin x`, split
names such as `xy`) are recorded as notes, so the preview can show them.
"""

from __future__ import annotations

import re
from fractions import Fraction

from tutor.mathlang.ast import BinOp, Call, Const, Neg, Node, Num, Pow, Relation, Var, Vector, render
from tutor.mathlang.errors import MathError
from tutor.mathlang.lexer import Token, tokenize
from tutor.mathlang.names import ALIASES, CONSTANTS, FORBIDDEN, FUNCTIONS, GREEK

MAX_DEPTH = 100
RELATIONS = ("=", "<", ">", "<=", ">=", "!=")

_SUM, _PRODUCT, _POWER = 10, 20, 30
# Superscript exponents: a sign, digits and/or letters, then an optional ±digits (ⁿ⁻¹).
_GLUED_NUMBER = re.compile(r"([A-Za-z]+)([0-9]+)")
_SUPERSCRIPT = re.compile(r"([+-]?)(\d*)([a-z]*)(?:(?<=[0-9a-z])([+-])(\d+))?")


def _describe(tok: Token) -> str:
    if tok.kind == "end":
        return "the end of the answer"
    return f"'{tok.raw or tok.text}' at column {tok.column}"


class _Parser:
    def __init__(self, text: str, variables: tuple[str, ...], allow_unknown: bool) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.pos = 0
        self.variables = variables
        self.allow_unknown = allow_unknown
        self.unknown_seen: list[str] = []
        self.notes: list[str] = []
        self.abs_depth = 0
        self.depth = 0

    # -- token helpers ---------------------------------------------------------------------
    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        tok = self.tokens[self.pos]
        if tok.kind != "end":
            self.pos += 1
        return tok

    def error(self, message: str, tok: Token) -> MathError:
        return MathError(message, tok.column, self.text)

    def expect(self, op: str, opened: Token) -> None:
        tok = self.peek()
        if not tok.is_op(op):
            raise self.error(
                f"expected '{op}' to close the '{opened.raw}' at column {opened.column}, found {_describe(tok)}",
                tok,
            )
        self.advance()

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    # -- entry points ------------------------------------------------------------------------
    def parse(self, allow_relations: bool) -> Node:
        if self.peek().kind == "end":
            raise MathError("the answer is empty", None, self.text)
        node = self.expression(0)
        operands, ops = [node], []
        while self.peek().kind == "op" and self.peek().text in RELATIONS:
            tok = self.advance()
            if not allow_relations:
                hint = " type only the expression, not 'y ='" if tok.text == "=" else ""
                raise self.error(f"'{tok.raw}' at column {tok.column} is not allowed in an answer;{hint}", tok)
            ops.append(tok.text)
            operands.append(self.expression(0))
        tok = self.peek()
        if tok.kind != "end":
            if tok.is_op(","):
                raise self.error(f"unexpected ',' at column {tok.column}; a vector is typed [a, b]", tok)
            raise self.error(f"unexpected {_describe(tok)}", tok)
        if ops:
            return Relation(tuple(operands), tuple(ops))
        return node

    # -- Pratt core ---------------------------------------------------------------------------
    def expression(self, rbp: int) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise MathError(f"the answer is nested too deeply (more than {MAX_DEPTH} levels)", None, self.text)
        left = self.prefix()
        while self.left_binding(self.peek()) > rbp:
            left = self.infix(left)
        self.depth -= 1
        return left

    def starts_operand(self, tok: Token) -> bool:
        if tok.kind in ("num", "name"):
            return True
        if tok.is_op("(", "√"):
            return True
        # Inside |...| a bar closes; outside it opens a new absolute value.
        return tok.is_op("|") and self.abs_depth == 0

    def left_binding(self, tok: Token) -> int:
        if tok.kind == "op":
            if tok.text in ("+", "-"):
                return _SUM
            if tok.text in ("*", "/"):
                return _PRODUCT
            if tok.text == "^":
                return _POWER
        if tok.kind == "sup":
            return _POWER
        if self.starts_operand(tok):
            return _PRODUCT  # implicit multiplication
        return 0

    def prefix(self) -> Node:
        tok = self.advance()
        if tok.kind == "num":
            nxt = self.peek()
            if nxt.kind == "num":
                raise self.error(
                    f"two numbers in a row at column {nxt.column}: write {tok.raw}{nxt.raw} or {tok.raw}*{nxt.raw}",
                    nxt,
                )
            return Num(tok.value, tok.raw)  # type: ignore[arg-type]
        if tok.kind == "name":
            return self.name(tok)
        if tok.kind == "sup":
            raise self.error(f"a superscript at column {tok.column} needs something to raise", tok)
        if tok.is_op("("):
            return self.group(tok)
        if tok.is_op("["):
            return self.vector(tok)
        if tok.is_op("-"):
            return self.negate(self.expression(_PRODUCT))
        if tok.is_op("+"):
            return self.expression(_PRODUCT)
        if tok.is_op("√"):
            return Call("sqrt", (self.single_argument(tok, "√"),))
        if tok.is_op("|"):
            self.abs_depth += 1
            inner = self.expression(0)
            self.abs_depth -= 1
            self.expect("|", tok)
            return Call("abs", (inner,))
        if tok.kind == "end":
            previous = self.tokens[self.pos - 1] if self.pos else tok
            raise self.error(f"the answer ends too early after '{previous.raw}'", tok)
        if tok.is_op("'"):
            raise self.error(f"primes (') are not part of the answer language (column {tok.column})", tok)
        raise self.error(f"unexpected {_describe(tok)}", tok)

    def infix(self, left: Node) -> Node:
        tok = self.peek()
        if tok.is_op("+", "-"):
            self.advance()
            return BinOp(tok.text, left, self.expression(_SUM))
        if tok.is_op("*", "/"):
            self.advance()
            return BinOp(tok.text, left, self.expression(_PRODUCT))
        if tok.is_op("^"):
            self.advance()
            exponent = self.expression(_POWER - 1)  # right-associative: 2^3^2 is 2^(3^2)
            if self.starts_operand(self.peek()) and not isinstance(left, Call):
                shown = f"{render(left)}^{render(exponent)}"
                self.note(f"{shown}{self.peek().raw} is read as ({shown})·{self.peek().raw}")
            return Pow(left, exponent)
        if tok.kind == "sup":
            self.advance()
            return Pow(left, self.superscript(tok))
        # Implicit multiplication: 2x, x sin(x), (x+1)(x-1), 2|x|.
        return BinOp("*", left, self.expression(_PRODUCT))

    # -- pieces ----------------------------------------------------------------------------------
    @staticmethod
    def negate(node: Node) -> Node:
        if isinstance(node, Num):
            return Num(-node.value, f"-{node.text}")
        return Neg(node)

    def group(self, opened: Token) -> Node:
        inner = self.expression(0)
        if self.peek().is_op(","):
            items = [inner]
            while self.peek().is_op(","):
                self.advance()
                items.append(self.expression(0))
            self.expect(")", opened)
            return Vector(tuple(items))
        self.expect(")", opened)
        return inner

    def vector(self, opened: Token) -> Node:
        if self.peek().is_op("]"):
            raise self.error(f"empty brackets at column {opened.column}", opened)
        saved_abs, self.abs_depth = self.abs_depth, 0
        items = [self.expression(0)]
        while self.peek().is_op(","):
            self.advance()
            items.append(self.expression(0))
        self.abs_depth = saved_abs
        self.expect("]", opened)
        return Vector(tuple(items))

    def superscript(self, tok: Token) -> Node:
        """An exponent typed in superscripts: ², ⁻¹, ˣ, ⁻ˣ, ⁿ⁻¹, ²ˣ (digits, then letters, then ±...)."""
        match = _SUPERSCRIPT.fullmatch(tok.text)
        if match is None:
            raise self.error(f"cannot read the superscript '{tok.raw}' at column {tok.column}", tok)
        sign, digits, letters, rest_sign, rest_digits = match.groups()
        factors: list[Node] = [Num(Fraction(int(digits)), digits)] if digits else []
        factors += [self.resolve_plain_name(letter, tok) for letter in letters]
        node = factors[0]
        for factor in factors[1:]:
            node = BinOp("*", node, factor)
        if sign == "-":
            node = self.negate(node)
        if rest_sign:
            node = BinOp(rest_sign, node, Num(Fraction(int(rest_digits)), rest_digits))
        return node

    def single_argument(self, fn_tok: Token, shown: str) -> Node:
        """The argument of `sin x` or `√x`: one operand, with its own powers (sin x² is sin(x²))."""
        nxt = self.peek()
        if not self.starts_operand(nxt) or nxt.is_op("|") and self.abs_depth:
            raise self.error(f"'{shown}' at column {fn_tok.column} needs an argument, as in {shown}(x)", nxt)
        if nxt.is_op("("):
            return self.expression(_POWER - 1)
        arg = self.expression(_POWER - 1)
        follower = self.peek()
        if self.starts_operand(follower):
            self.note(f"{shown} {render(arg)} {follower.raw}… is read as {shown}({render(arg)})·{follower.raw}…; "
                      f"use brackets for more")
        else:
            self.note(f"{shown} {render(arg)} is read as {shown}({render(arg)})")
        return arg

    # -- names -----------------------------------------------------------------------------------
    def declared(self, name: str) -> str | None:
        canon = GREEK.get(name, name)
        for candidate in (name, canon, ALIASES.get(canon)):
            if candidate and candidate in self.variables:
                return candidate
        return None

    def resolve_plain_name(self, name: str, tok: Token) -> Node:
        """A name that is a value: a declared variable or a constant (no function call)."""
        var = self.declared(name)
        if var is not None:
            return Var(var)
        if name in CONSTANTS:
            return Const(CONSTANTS[name])
        if self.allow_unknown:
            if name not in self.unknown_seen:
                self.unknown_seen.append(name)
            return Var(GREEK.get(name, name))
        raise self.error(self.unknown_message(name), tok)

    def unknown_message(self, name: str) -> str:
        if name in FORBIDDEN:
            return f"'{name}' is not allowed in answers: {FORBIDDEN[name]}"
        if not self.variables:
            return f"unknown name '{name}'; this answer is a number, with no variables"
        listed = " and ".join([", ".join(self.variables[:-1]), self.variables[-1]] if len(self.variables) > 1
                              else self.variables)
        return f"unknown name '{name}'; this exercise uses {listed}"

    def name(self, tok: Token) -> Node:
        name = tok.text
        if self.declared(name) is not None or name in CONSTANTS:
            return self.resolve_plain_name(name, tok)
        if name in FUNCTIONS:
            return self.call(tok, name)
        if name in FORBIDDEN:
            raise self.error(f"'{name}' is not allowed in answers: {FORBIDDEN[name]}", tok)
        pieces = self.split(name)
        if pieces:
            return self.split_product(tok, pieces)
        glued = _GLUED_NUMBER.fullmatch(name)
        if glued and glued.group(1) in FUNCTIONS and 1 in FUNCTIONS[glued.group(1)][1]:
            # ln2, sin30: a function with its number typed against it.
            fn, digits = FUNCTIONS[glued.group(1)][0], glued.group(2)
            node = Call(fn, (Num(Fraction(int(digits)), digits),))
            self.note(f"{name} is read as {render(node)}")
            return node
        if self.allow_unknown and self.peek().is_op("(") and len(name) == 1:
            return self.unknown_call(tok)
        return self.resolve_plain_name(name, tok)

    def split(self, name: str) -> list[str] | None:
        """Split a run of letters into known names, fewest pieces first: xy -> x, y; xcosx -> x, cos, x."""
        known = set(CONSTANTS) | set(FUNCTIONS)
        known |= {n for n in self.variables} | {k for k, v in GREEK.items() if self.declared(k)}
        best: list[list[str] | None] = [None] * (len(name) + 1)
        best[0] = []
        for end in range(1, len(name) + 1):
            for start in range(end):
                piece = name[start:end]
                prefix = best[start]
                if prefix is None or piece not in known:
                    continue
                if self.declared(piece) is None and piece not in CONSTANTS and piece not in FUNCTIONS:
                    continue
                candidate = prefix + [piece]
                if best[end] is None or len(candidate) < len(best[end]):  # type: ignore[arg-type]
                    best[end] = candidate
        result = best[len(name)]
        if result is None or len(result) < 2:
            return None
        # A function inside the run must be followed by its one-piece argument.
        for i, piece in enumerate(result[:-1]):
            if piece in FUNCTIONS and result[i + 1] in FUNCTIONS:
                return None
        return result

    def split_product(self, tok: Token, pieces: list[str]) -> Node:
        factors: list[Node] = []
        shown: list[str] = []
        i = 0
        while i < len(pieces):
            piece = pieces[i]
            if piece in FUNCTIONS and i + 1 < len(pieces):
                arg = self.resolve_plain_name(pieces[i + 1], tok)
                fn = FUNCTIONS[piece][0]
                factors.append(Call(fn, (arg,)))
                shown.append(f"{fn}({render(arg)})")
                i += 2
                continue
            if piece in FUNCTIONS:
                node = self.call(tok, piece)
                factors.append(node)
                shown.append(render(node))
            else:
                node = self.resolve_plain_name(piece, tok)
                factors.append(node)
                shown.append(render(node))
            i += 1
        # A power binds to the last letter of the run, as in every textbook: xy^2 is x·y², xe^x is x·eˣ.
        nxt = self.peek()
        if nxt.is_op("^") or nxt.kind == "sup":
            self.advance()
            exponent = self.expression(_POWER - 1) if nxt.kind == "op" else self.superscript(nxt)
            factors[-1] = Pow(factors[-1], exponent)
            shown[-1] = render(factors[-1])
            typed = f"{tok.raw}{nxt.raw}" if nxt.kind == "sup" else f"{tok.raw}^{render(Pow(Var('_'), exponent))[2:]}"
            self.note(f"{typed} is read as {'·'.join(shown)}: the power applies to the last letter only")
        else:
            self.note(f"'{tok.text}' is read as {'·'.join(shown)}")
        product = factors[0]
        for factor in factors[1:]:
            product = BinOp("*", product, factor)
        return product

    def arguments(self) -> list[Node]:
        """`(a, b, ...)` after a function name; the '(' is the next token."""
        opened = self.advance()
        args = [self.expression(0)]
        while self.peek().is_op(","):
            self.advance()
            args.append(self.expression(0))
        self.expect(")", opened)
        return args

    def unknown_call(self, tok: Token) -> Node:
        return Call(tok.text, tuple(self.arguments()), known=False)

    def call(self, tok: Token, name: str) -> Node:
        func, arities = FUNCTIONS[name]
        power: Node | None = None
        nxt = self.peek()
        if nxt.is_op("^") and self.peek(1).kind in ("num",) or nxt.is_op("^") and self.peek(1).is_op("-"):
            self.advance()
            power = self.function_power(tok)
        elif nxt.kind == "sup":
            self.advance()
            power = self.superscript(nxt)
        if isinstance(power, Num) and power.value == -1:
            raise self.error(
                f"{name}^-1 is ambiguous: write a{func}(x) for the inverse function or 1/{name}(x)", tok
            )
        if self.peek().is_op("("):
            args = self.arguments()
        else:
            args = [self.single_argument(tok, name)]
        if len(args) not in arities:
            wanted = " or ".join(str(a) for a in arities)
            raise self.error(f"{name} takes {wanted} argument{'s' if arities != (1,) else ''}, not {len(args)}", tok)
        node: Node = Call(func, tuple(args))
        if power is not None:
            self.note(f"{name}^{render(power)}(…) is read as ({name}(…))^{render(power)}")
            node = Pow(node, power)
        return node

    def function_power(self, tok: Token) -> Node:
        """The n of sin^n(x): a plain (possibly negative) number."""
        negative = False
        if self.peek().is_op("-"):
            self.advance()
            negative = True
        num = self.advance()
        if num.kind != "num":
            raise self.error(f"expected a number after '{tok.text}^' at column {num.column}", num)
        value = -num.value if negative else num.value  # type: ignore[operator]
        return Num(value, f"-{num.raw}" if negative else num.raw)


def parse_tree(
    text: str,
    variables: tuple[str, ...],
    *,
    allow_unknown: bool = False,
    allow_relations: bool = False,
) -> tuple[Node, tuple[str, ...], tuple[str, ...]]:
    """Parse `text`; return the tree, the reading notes and (with allow_unknown) the unknown names."""
    parser = _Parser(text, variables, allow_unknown)
    tree = parser.parse(allow_relations)
    return tree, tuple(parser.notes), tuple(parser.unknown_seen)
