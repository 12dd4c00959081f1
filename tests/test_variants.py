"""Variant families: parameters drawn per seed under constraints, substituted into parsed trees
(never into text that is then evaluated), checked by `tutor validate`, and served by
`tutor variant` and `tutor check --seed`."""

from __future__ import annotations

import builtins
import json
from fractions import Fraction
from pathlib import Path

import pytest

from lessonkit import exercise, front_matter, make_course  # noqa: F401
from tutor.cli import main
from tutor.lessons.exercises import build_exercise, variant
from tutor.lessons.fences import RawBlock
from tutor.lessons.loader import load_course
from tutor.lessons.report import Report
from tutor.lessons.validate import check_variants
from tutor.lessons.variants import VariantError, fill_prose, number, read_family, substitute
from tutor.mathlang import parse, render

FAMILY = """\
id: a/e1
kind: derivative
prompt: Differentiate f(x) = {a}x{n:sup} {b:+}x.
function: a*x^n + b*x
answer: a*n*x^(n-1) + b
params:
  a: {range: [2, 9], value: 3}
  n: {range: [2, 6], value: 4}
  b: {choose: [-3, -1, 1, 2, 5], value: 2}
where: ["a != b", "a*n/2 is an integer"]
hints:
  - "The power rule brings down n = {n}."
solution: "f'(x) = {= a*n}x^{= n - 1} {b:+}"
mistakes:
  - answer: a*n*x^(n-1)
    message: The term {b}x has derivative {b}.
"""


def build(text: str):
    report = Report(Path("t.md"))
    built = build_exercise(RawBlock("exercise", text, 1), report)
    return built, report


def family_exercise():
    built, report = build(FAMILY)
    assert not report.problems, report.problems
    return built


def test_seed_zero_is_the_exercise_as_written():
    ex = family_exercise()
    assert ex.seed == 0
    assert ex.prompt == "Differentiate f(x) = 3x⁴ + 2x."
    assert ex.parts[0].spec.function == "3·x^4 + 2·x"
    assert ex.parts[0].spec.answer == "12·x^3 + 2"
    assert ex.solution == "f'(x) = 12x^3 + 2"
    assert variant(ex, 0) is ex


def test_a_variant_substitutes_every_field_consistently():
    ex = family_exercise()
    one = variant(ex, 5)
    values = ex.family.draw(5)
    a, n, b = (values[k] for k in "anb")
    spec = one.parts[0].spec
    expected = parse("a*n*x^(n-1) + b", ("x", "a", "n", "b")).tree
    assert spec.answer == render(substitute(expected, values))
    assert parse(spec.answer, ("x",)).to_sympy() == (a * n * parse("x^" + str(n - 1), ("x",)).to_sympy() + b)
    assert f"{a}x" in one.prompt and one.hints[0].endswith(f"n = {n}.")
    assert one.parts[0].spec.mistakes[0].message == f"The term {str(b).replace('-', '−')}x has derivative " \
        f"{str(b).replace('-', '−')}."
    assert one.seed == 5 and one.content_hash == ex.content_hash and one.id == ex.id


def test_constraints_hold_over_a_thousand_seeds():
    family = read_family("t/e1", {"a": {"range": [-9, 9], "value": 2}, "b": {"range": [1, 12], "value": 4},
                                  "c": {"choose": [1, 2, 3, 4], "value": 1}},
                         ["a != 0", "a != b", "a*b/c is an integer", "b > c"], set())
    seen = []
    for seed in range(1, 1001):
        v = family.draw(seed)
        assert v["a"] != 0 and v["a"] != v["b"] and v["b"] > v["c"]
        assert (v["a"] * v["b"] / v["c"]).denominator == 1
        assert -9 <= v["a"] <= 9 and 1 <= v["b"] <= 12 and v["c"] in (1, 2, 3, 4)
        seen.append(tuple(v.values()))
    count = len(set(seen))
    assert count > 400 and len(set(seen[:count])) == count  # seeds 1..count are all different variants
    assert seen[count] == seen[0]  # then they come round again
    assert family.draw(7) == family.draw(7)  # the same seed, the same variant


def test_unsatisfiable_constraints_are_a_clear_error():
    with pytest.raises(VariantError, match="do not meet"):
        read_family("t/e1", {"a": {"range": [1, 3], "value": 1}}, ["a > 5"], set())
    family = read_family("t/e1", {"a": {"range": [1, 3], "value": 1}}, ["a < 2"], set())
    with pytest.raises(VariantError, match="no values satisfy"):
        family.draw(1)


@pytest.mark.parametrize("value", ["__import__('os').system('true')", "2+2", "x", "1e400", [1], {"a": 1}, True])
def test_a_non_numeric_parameter_value_is_refused(value):
    with pytest.raises(VariantError, match="not a number|not a readable"):
        read_family("t/e1", {"a": {"choose": [1, value], "value": 1}}, None, set())
    with pytest.raises(VariantError):
        number(value, "a")


@pytest.mark.parametrize("text", ["{__import__('os')}", "{= __import__('os').system('true')}", "{a.__class__}",
                                  "{= a; 1}", "{unknown}", "{~ __import__('os')}", "{~ a.real}"])
def test_prose_holding_code_is_refused(text):
    with pytest.raises(VariantError):
        fill_prose(text, {"a": Fraction(2)})


def test_an_expression_field_holding_code_is_refused():
    built, report = build(FAMILY.replace("answer: a*n*x^(n-1) + b", "answer: __import__('os').getcwd()"))
    assert built is None and report.errors


def test_substitution_never_evaluates_strings(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec called")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    ex = family_exercise()
    for seed in range(1, 30):
        variant(ex, seed)
    # Parameters go into the tree as number nodes, whatever the value: no text is built and re-read.
    tree = parse("a*x^2 + b", ("x", "a", "b")).tree
    assert render(substitute(tree, {"a": Fraction(-1, 2), "b": Fraction(-3)})) == "-1/2·x^2 - 3"


def test_numbers_come_out_readable():
    tree = parse("a*x^2 + b*x - c", ("x", "a", "b", "c")).tree
    assert render(substitute(tree, {"a": Fraction(1), "b": Fraction(-3), "c": Fraction(-2)})) == "x^2 - 3·x + 2"
    assert fill_prose("{= a/b} and {a:sup} and {b:+}", {"a": Fraction(3), "b": Fraction(-6)}) == "−1/2 and ³ and − 6"
    assert fill_prose("{= a/8:dec}, {= a/b:dec}, {= -a/300:dec}, {= 1/a:dec}, {b:dec}", {"a": Fraction(3), "b": Fraction(-6)}) \
        == "0.375, −0.5, −0.01, 1/3, −6"
    assert fill_prose("{a:coef}x + {b:coef}y", {"a": Fraction(1), "b": Fraction(-1)}) == "x + −y"
    assert fill_prose("x{= a - 1:pow}, x{= a - 2:pow}, x{= a - 2:sup}", {"a": Fraction(3)}) == "x², x, x¹"
    # A negative value after an operator is bracketed; styles combine.
    assert fill_prose("4 − {b:par}, 4 − {a:par}, 1 − {= b/4:dec,par}", {"a": Fraction(3), "b": Fraction(-6)}) \
        == "4 − (−6), 4 − 3, 1 − (−1.5)"


def test_values_without_an_exact_form_are_shown_to_six_figures():
    two = {"a": Fraction(2)}
    assert fill_prose("{~ sigmoid(a)*(1 - sigmoid(a))}", two) == "0.104994"
    assert fill_prose("{~ -ln(a)} and {~ exp(a)*10^a}", two) == "−0.693147 and 738.906"
    with pytest.raises(VariantError, match="no value"):
        fill_prose("{~ ln(a - 2)}", two)


def test_an_engine_kind_cannot_have_parameters():
    built, report = build("id: a/e1\nkind: choice\nprompt: Pick.\noptions: [x, y]\nanswer: a\nhints: [h]\n"
                          "solution: s\nparams: {a: {range: [1, 3], value: 1}}\n")
    assert built is None and "cannot have parameters" in report.problems[0].message


def lesson_with(*blocks: str) -> str:
    return front_matter("a") + "\nText.\n\n" + "".join(exercise(b) for b in blocks)


def test_validate_proves_twenty_seeds(make_course):
    good = make_course({"a": lesson_with(FAMILY)})
    assert check_variants(load_course(good)) == []


def test_validate_catches_a_family_whose_mistake_is_right_for_some_seed(make_course):
    # With b = 1 this "mistake" equals the reference: the self-check of some seed must reject it.
    bad = FAMILY.replace("answer: a*n*x^(n-1)\n", "answer: a*n*x^(n-1) + 1\n")
    problems = check_variants(load_course(make_course({"a": lesson_with(bad)})))
    assert problems and all("seed" in p.message for p in problems)


def test_validate_catches_repeated_prompts(make_course):
    text = FAMILY.replace("{a}x{n:sup} {b:+}x", "a polynomial")
    problems = check_variants(load_course(make_course({"a": lesson_with(text)})))
    assert any("prompt is the same" in p.message for p in problems)


def test_variant_and_check_seed_round_trip(make_course, capsys, tmp_path):
    folder = make_course({"a": lesson_with(FAMILY)})
    assert main(["variant", "a/e1", "--count", "5", "--json", "--lessons", str(folder)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["seed"] for r in rows] == [1, 2, 3, 4, 5]
    assert len({r["prompt"] for r in rows}) == 5
    for row in rows:
        args = ["check", "a/e1", row["reference"], "--seed", str(row["seed"]), "--no-save", "--lessons", str(folder)]
        assert main(args) == 0, capsys.readouterr()
        other = rows[row["seed"] % 5]
        if other["reference"] != row["reference"]:
            assert main(args[:2] + [other["reference"]] + args[3:]) == 1
    capsys.readouterr()


def test_check_seed_without_variants_and_variant_without_a_family(make_course, capsys):
    plain = "id: a/e2\nkind: numeric\nprompt: 2 + 2?\nanswer: '4'\nhints: [Count.]\nsolution: Four.\n"
    folder = make_course({"a": lesson_with(plain)})
    assert main(["variant", "a/e2", "--lessons", str(folder)]) == 1
    assert "has no variants" in capsys.readouterr().out
    assert main(["check", "a/e2", "4", "--seed", "3", "--no-save", "--lessons", str(folder)]) == 2
    assert "has no variants" in capsys.readouterr().err
    assert main(["check", "a/e2", "4", "--seed", "0", "--no-save", "--lessons", str(folder)]) == 0


def test_batch_lines_take_a_seed(make_course, capsys, monkeypatch):
    import io

    folder = make_course({"a": lesson_with(FAMILY)})
    ex = load_course(folder).exercise("a/e1")
    reference = variant(ex, 4).parts[0].spec.answer
    lines = [{"exercise": "a/e1", "answer": reference, "seed": 4}, {"exercise": "a/e1", "answer": reference},
             {"exercise": "a/e1", "answer": reference, "seed": "x"}]
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(json.dumps(l) + "\n" for l in lines)))
    assert main(["check", "--batch", "--lessons", str(folder)]) == 0
    verdicts = [json.loads(line)["status"] for line in capsys.readouterr().out.splitlines()]
    assert verdicts[0] == "correct" and verdicts[2] == "invalid"
    assert verdicts[1] == ("correct" if reference == ex.parts[0].spec.answer else "incorrect")


def test_check_seed_records_the_variant_with_the_attempt(make_course, capsys, tmp_path):
    from tutor.progress import open_profile

    folder = make_course({"a": lesson_with(FAMILY)})
    reference = variant(load_course(folder).exercise("a/e1"), 3).parts[0].spec.answer
    save = tmp_path / "saves"
    assert main(["check", "a/e1", reference, "--seed", "3", "--lessons", str(folder), "--save-dir", str(save)]) == 0
    assert main(["check", "a/e1", "0", "--lessons", str(folder), "--save-dir", str(save)]) == 1
    capsys.readouterr()
    store, _ = open_profile(save)
    try:
        assert [(a.seed, a.status) for a in store.profile.exercises["a/e1"].attempts] == [(3, "correct"), (0, "incorrect")]
    finally:
        store.close(backup=False)


PARTS_FAMILY = """\
id: a/e3
kind: numeric
prompt: For f(x) = x^{n}, evaluate f'(x).
params:
  n: {range: [2, 7], value: 3}
parts:
  - key: a
    prompt: at x = 1
    answer: n
  - key: b
    prompt: at x = 2
    answer: n*2^(n-1)
hints: ["f'(x) = {n}x{= n - 1:sup}."]
solution: "{n} and {= n*2^(n-1)}."
"""


def test_a_family_with_parts_is_printed_whole_and_checked_part_by_part(make_course, capsys):
    folder = make_course({"a": lesson_with(PARTS_FAMILY)})
    assert main(["variant", "a/e3", "--count", "3", "--json", "--lessons", str(folder)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len({r["prompt"] for r in rows}) == 3 and all(set(r["reference"]) == {"a", "b"} for r in rows)
    for row in rows:
        for key, reference in row["reference"].items():
            args = ["check", f"a/e3#{key}", reference, "--seed", str(row["seed"]), "--no-save", "--lessons", str(folder)]
            assert main(args) == 0, capsys.readouterr()
    assert main(["variant", "a/e3#b", "--seed", "2", "--lessons", str(folder)]) == 0
    assert "(b)" in capsys.readouterr().out
