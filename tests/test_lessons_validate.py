"""Every rule of `validate_course`: each test breaks one rule and expects its problem, at its line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import tutor.checking as checking
from tutor import kinds
import tutor.mathlang as mathlang
from lessonkit import FIXTURES, exercise, front_matter, line_of, make_course, numeric  # noqa: F401
from tutor.lessons.exercises import build_exercise
from tutor.lessons.fences import RawBlock, scan_body
from tutor.lessons.loader import load_course
from tutor.lessons.model import Problem
from tutor.lessons.plots import build_backprop, build_plot
from tutor.lessons.report import Report
from tutor.lessons.validate import find_cycles, validate_course
from tutor.plots import check_plot_block


def problems_of(folder: Path, *, self_check: bool = False) -> list[Problem]:
    return validate_course(load_course(folder), self_check=self_check)


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "warning"]


def one(problems: list[Problem], pattern: str, severity: str = "error") -> Problem:
    """The single problem whose message matches `pattern`."""
    found = [p for p in problems if re.search(pattern, p.message) and p.severity == severity]
    assert len(found) == 1, f"{pattern!r} in {[str(p) for p in problems]}"
    return found[0]


def lesson(lesson_id: str, body: str, **front) -> str:
    return front_matter(lesson_id, **front) + "\nSome prose.\n\n" + body


# -- a clean course ----------------------------------------------------------------------------------


def test_fixture_course_is_clean():
    problems = problems_of(FIXTURES / "lessons", self_check=True)
    assert errors(problems) == []
    assert warnings(problems) == []  # chains/e4 is a code exercise: playable, so no "not yet playable"


def test_problems_are_sorted_manifest_first_then_course_order(make_course):
    folder = make_course(
        {"b": lesson("b", numeric("b/e1", extra="id: again\n")), "a": lesson("a", "```js\n```\n")},
        parts=[(1, ["b", "a", "gone"])],
    )
    problems = problems_of(folder)
    assert [p.path.name for p in problems] == ["course.yaml", "b.md", "a.md"]


# -- YAML ------------------------------------------------------------------------------------------------


def test_bad_yaml_in_an_exercise_points_into_the_block(make_course):
    text = lesson("a", exercise("id: a/e1\nkind: numeric\nprompt: a: b\nanswer: '1'\n"))
    problem = one(problems_of(make_course({"a": text})), "bad YAML")
    assert problem.line == line_of(text, "prompt: a: b")
    assert "quotes" in problem.message


def test_bad_yaml_in_front_matter(make_course):
    text = "---\nid: a\ntitle: [unclosed\npart: 1\nminutes: 5\n---\n\nText.\n"
    problem = one(problems_of(make_course({"a": text})), "bad YAML")
    assert problem.line in (line_of(text, "title:"), line_of(text, "part:"))


def test_bad_yaml_in_the_manifest(tmp_path):
    (tmp_path / "course.yaml").write_text("parts:\n  - number: 1\n    title: [x\n", encoding="utf-8")
    problem = one(problems_of(tmp_path), "bad YAML")
    assert problem.path.name == "course.yaml" and problem.line >= 3


def test_bad_yaml_in_plot_and_backprop_blocks(make_course):
    text = lesson("a", "```plot\nx: [1, 2\n```\n\n```backprop\nnodes: {a\n```\n")
    problems = [p for p in problems_of(make_course({"a": text})) if "bad YAML" in p.message]
    assert len(problems) == 2


def test_a_block_that_is_not_a_mapping(make_course):
    text = lesson("a", "```exercise\n- just\n- a list\n```\n")
    problem = one(problems_of(make_course({"a": text})), "must hold YAML fields")
    assert problem.line == line_of(text, "```exercise")


def test_a_field_given_twice(make_course):
    text = lesson("a", numeric("a/e1", extra='answer: "5"\n'))
    problem = one(problems_of(make_course({"a": text})), "'answer' is given twice")
    assert problem.line == line_of(text, 'answer: "5"')


def test_yaml_boolean_where_text_is_needed(make_course):
    body = "id: a/e1\nkind: choice\nprompt: p\noptions: [yes, no]\nanswer: a\nhints: [h]\nsolution: s\n"
    one(problems_of(make_course({"a": lesson("a", exercise(body))})), "read by YAML as true")


# -- missing and unknown fields ------------------------------------------------------------------------


def test_missing_common_field(make_course):
    text = lesson("a", exercise("id: a/e1\nkind: numeric\nanswer: '1'\nhints: [h]\nsolution: s\n"))
    problem = one(problems_of(make_course({"a": text})), "missing field 'prompt'")
    assert problem.line == line_of(text, "```exercise")


def test_missing_solution(make_course):
    text = lesson("a", exercise("id: a/e1\nkind: numeric\nprompt: p\nanswer: '1'\nhints: [h]\n"))
    one(problems_of(make_course({"a": text})), "missing field 'solution'")


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        ("numeric", "answer"),
        ("expression", "answer"),
        ("derivative", "function"),
        ("antiderivative", "function"),
        ("vector", "answer"),
        ("matrix", "answer"),
        ("choice", "options"),
    ],
)
def test_missing_kind_field(make_course, kind, field):
    text = lesson("a", exercise(f"id: a/e1\nkind: {kind}\nprompt: p\nhints: [h]\nsolution: s\n"))
    one(problems_of(make_course({"a": text})), f"missing field '{field}' \\(a {kind} exercise needs")


def test_missing_field_in_a_part_is_reported_at_the_part(make_course):
    body = "id: a/e1\nkind: numeric\nprompt: p\nparts:\n  - key: a\n    answer: '1'\n  - key: b\n    prompt: no answer\nhints: [h]\nsolution: s\n"
    text = lesson("a", exercise(body))
    problem = one(problems_of(make_course({"a": text})), "part b: missing field 'answer'")
    assert problem.line == line_of(text, "- key: b")


def test_unknown_field_names_the_allowed_ones(make_course):
    text = lesson("a", numeric("a/e1", extra="tolerence: {rel: 1e-3}\n"))
    problem = one(problems_of(make_course({"a": text})), "unknown field 'tolerence'")
    assert problem.line == line_of(text, "tolerence")
    assert "did you mean 'tolerance'" in problem.message
    assert "(a numeric exercise allows: answer, hints, id, kind, mistakes, parts, prompt, solution, tolerance)" in problem.message


def test_field_of_another_kind_is_unknown(make_course):
    text = lesson("a", numeric("a/e1", extra="vars: [x]\n"))
    one(problems_of(make_course({"a": text})), "unknown field 'vars'")


@pytest.mark.parametrize(
    ("extra", "pattern"),
    [
        ("parts:\n  - key: a\n    hint: x\n", "part a: unknown field 'hint'"),
        ("mistakes:\n  - answer: '5'\n    message: m\n    why: w\n", "mistake 1: unknown field 'why'"),
        ("tolerance: {rel: 1e-3, relative: 2}\n", "tolerance: unknown field 'relative'"),
    ],
)
def test_unknown_nested_fields(make_course, extra, pattern):
    one(problems_of(make_course({"a": lesson("a", numeric("a/e1", extra=extra))})), pattern)


def test_unknown_front_matter_field(make_course):
    text = lesson("a", "", extra="level: easy\n")
    problem = one(problems_of(make_course({"a": text})), "front matter: unknown field 'level'")
    assert problem.line == line_of(text, "level: easy")


def test_missing_front_matter_field(make_course):
    text = "---\nid: a\npart: 1\nminutes: 5\n---\n\nText.\n"
    one(problems_of(make_course({"a": text})), "missing field 'title'")


def test_unknown_manifest_field(tmp_path):
    (tmp_path / "course.yaml").write_text("parts: []\nauthor: me\n", encoding="utf-8")
    problem = one(problems_of(tmp_path), "unknown field 'author'")
    assert problem.line == 2


def test_wrong_types(make_course):
    body = numeric("a/e1", answer="{x: 1}", extra="tolerance: {rel: -1}\n")
    problems = problems_of(make_course({"a": lesson("a", body)}))
    one(problems, "'answer' must be text, not a mapping")
    one(problems, "'rel' must be positive")


def test_answer_shape_must_match_the_kind(make_course):
    problems = problems_of(make_course({"a": lesson("a", numeric("a/e1", answer="[1, 2]"))}))
    one(problems, "a numeric answer is written a number")


def test_choice_letters(make_course):
    body = (
        "id: a/e1\nkind: choice\nprompt: p\noptions: [one, two]\nanswer: c\n"
        "feedback: {d: nope}\nmistakes: [{answer: e, message: m}]\nhints: [h]\nsolution: s\n"
    )
    problems = problems_of(make_course({"a": lesson("a", exercise(body))}))
    one(problems, "a choice answer is an option letter \\(one of a, b\\), not 'c'")
    one(problems, "feedback for 'd'")
    one(problems, "mistake 'e' is not an option letter")


def test_part_keys(make_course):
    body = "id: a/e1\nkind: numeric\nprompt: p\nanswer: '1'\nparts:\n  - key: a\n  - key: a\n  - key: B\nhints: [h]\nsolution: s\n"
    problems = problems_of(make_course({"a": lesson("a", exercise(body))}))
    one(problems, "part key 'a' is used twice")
    one(problems, "part key 'B' must be lowercase")


# -- kinds and fences --------------------------------------------------------------------------------------


def test_unknown_kind(make_course):
    text = lesson("a", exercise("id: a/e1\nkind: essay\nprompt: p\nhints: [h]\nsolution: s\n"))
    problem = one(problems_of(make_course({"a": text})), "unknown kind 'essay'")
    assert problem.line == line_of(text, "kind: essay")


def test_engine_kinds_read_their_own_fields_and_the_loader_checks_the_common_ones(make_course):
    gd = exercise("id: a/e1\nkind: gd\nprompt: p\nhints: [h]\nlr: 0.1\nobjective: x^2\nstart: 1\nsteps: 5\n"
                  "choose: {lr: [0.01, 1]}\ngoal: {measure: norm, below: 0.1}\nanswer: 0.5\n")
    bad = exercise("id: a/e2\nkind: backprop\nnodes: []\n")
    problems = problems_of(make_course({"a": lesson("a", gd + "\n" + bad)}))
    one(problems, r"exercise a/e1: unknown field 'lr' \(a gd exercise allows: .*objective")
    one(problems, "exercise a/e2: missing field 'prompt'")
    assert not any("not yet playable" in p.message for p in problems)


def test_unknown_fence_language(make_course):
    text = lesson("a", "```javascript\nlet x = 1\n```\n")
    problem = one(problems_of(make_course({"a": text})), "unknown fence language 'javascript'")
    assert problem.line == line_of(text, "```javascript")


def test_unclosed_fence(make_course):
    text = lesson("a", "```math\nx^2\n")
    problem = one(problems_of(make_course({"a": text})), "never closed")
    assert problem.line == line_of(text, "```math")


def test_title_heading_is_a_warning(make_course):
    text = lesson("a", "# A title\n")
    problem = one(problems_of(make_course({"a": text})), "'# ' heading", "warning")
    assert problem.line == line_of(text, "# A title")


# -- files -------------------------------------------------------------------------------------------------


def test_front_matter_id_must_be_the_file_name(make_course):
    text = front_matter("other") + "\nText.\n"
    problem = one(problems_of(make_course({"a": text})), "id 'other' differs from the file name 'a.md'")
    assert problem.line == 2


def test_front_matter_part_must_match_the_manifest(make_course):
    one(problems_of(make_course({"a": lesson("a", "", part=2)})), "part 2, but course.yaml lists the lesson in part 1")


@pytest.mark.parametrize(
    ("content", "pattern", "line"),
    [
        (b"", "the file is empty", 1),
        (b"   \n\n", "the file is empty", 1),
        (b"---\nid: a\ntitle: caf\xe9\n---\n", "not UTF-8", 3),
        ("Just text.\n".encode(), "no front matter", 1),
        ("---\nid: a\n".encode(), "never closed", 1),
        ("---\n- a\n- list\n---\n".encode(), "front matter must be YAML fields", 2),
    ],
)
def test_unreadable_lessons(make_course, content, pattern, line):
    problem = one(problems_of(make_course({"a": content})), pattern)
    assert problem.line == line


def test_missing_lesson_file(make_course):
    folder = make_course({"a": lesson("a", "")}, parts=[(1, ["a", "gone"])])
    problem = one(problems_of(folder), "lesson file gone.md not found")
    assert problem.path.name == "course.yaml" and problem.line == 4


def test_unlisted_lesson_file_is_a_warning(make_course):
    folder = make_course({"a": lesson("a", ""), "extra": lesson("extra", "")}, parts=[(1, ["a"])])
    (folder / "README.md").write_text("# not a lesson\n", encoding="utf-8")
    problem = one(problems_of(folder), "'extra' is not listed in course.yaml", "warning")
    assert problem.path.name == "extra.md"


def test_duplicate_lesson_id_in_the_manifest(make_course):
    folder = make_course({"a": lesson("a", "")}, parts=[(1, ["a"]), (2, ["a"])])
    problem = one(problems_of(folder), "lesson 'a' is listed twice")
    assert problem.line == 7


def test_manifest_lesson_id_form(make_course):
    folder = make_course({"a": lesson("a", "")}, parts=[(1, ["a", "Bad_Id"])])
    one(problems_of(folder), "'Bad_Id' is not a lesson id")


def test_missing_manifest(tmp_path):
    one(problems_of(tmp_path), "no course.yaml")


# -- ids ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad_id", ["b/e1", "a/1", "a/e0", "a/ex1", "a-e1"])
def test_exercise_id_form(make_course, bad_id):
    text = lesson("a", numeric(bad_id))
    problem = one(problems_of(make_course({"a": text})), f"exercise id '{bad_id}' is not of the form a/eN")
    assert problem.line == line_of(text, "```exercise")


def test_duplicate_exercise_ids_in_a_lesson_and_across_lessons(make_course):
    a = lesson("a", numeric("a/e1") + "\n" + numeric("a/e1"))
    b = lesson("b", numeric("a/e2") + "\n" + numeric("b/e1"), requires="[a]")
    a = a + "\n" + numeric("a/e2")
    problems = problems_of(make_course({"a": a, "b": b}))
    within = one(problems, "'a/e1' is used twice")
    assert within.line == line_of(a, "id: a/e1", line_of(a, "id: a/e1") + 1) - 1
    across = one(problems, "'a/e2' is used twice")
    assert across.path.name == "b.md" and "a.md:" in across.message


# -- requires ----------------------------------------------------------------------------------------------


def test_requires_unknown_lesson(make_course):
    text = lesson("a", "", requires="[nowhere]")
    problem = one(problems_of(make_course({"a": text})), "requires 'nowhere', which is not a lesson")
    assert problem.line == line_of(text, "requires:")


def test_requires_cycle_is_reported_once_with_its_path(make_course):
    folder = make_course(
        {
            "a": lesson("a", "", requires="[c]"),
            "b": lesson("b", "", requires="[a]"),
            "c": lesson("c", "", requires="[b]"),
        }
    )
    problem = one(problems_of(folder), "cycle")
    assert problem.message == "requires form a cycle: a → c → b → a"
    assert problem.path.name == "a.md"


def test_self_requirement_is_a_cycle(make_course):
    one(problems_of(make_course({"a": lesson("a", "", requires="[a]")})), "cycle: a → a")


def test_find_cycles_finds_each_cycle_once():
    course = load_course(FIXTURES / "broken")
    assert find_cycles(course) == [["cycle-a", "cycle-b"]]


def test_requires_later_lesson_is_a_warning(make_course):
    folder = make_course({"a": lesson("a", "", requires="[b]"), "b": lesson("b", "")})
    one(problems_of(folder), "requires 'b', which comes later", "warning")


# -- hints, pages, engines ---------------------------------------------------------------------------------


@pytest.mark.parametrize("hints", ["", "hints: []\n"])
def test_no_hints(make_course, hints):
    text = lesson("a", exercise(f"id: a/e1\nkind: numeric\nprompt: p\nanswer: '1'\n{hints}solution: s\n"))
    problem = one(problems_of(make_course({"a": text})), "a/e1 has no hints")
    assert problem.line == line_of(text, "```exercise")


def test_long_page_warning(make_course):
    paragraphs = "\n\n".join(f"Paragraph {i}." for i in range(31))
    text = lesson("a", f"## Long\n\n{paragraphs}\n\n## Short\n\nOne.\n")
    problem = one(problems_of(make_course({"a": text})), "page 'Long' has 31 Markdown blocks", "warning")
    assert problem.line == line_of(text, "## Long")


def test_page_of_thirty_blocks_is_fine(make_course):
    paragraphs = "\n\n".join(f"Paragraph {i}." for i in range(30))
    text = lesson("a", f"## Long\n\n{paragraphs}\n")
    assert not [p for p in problems_of(make_course({"a": text})) if "Markdown blocks" in p.message]


def test_unknown_plot_field_is_a_warning_and_bad_range_an_error(make_course):
    text = lesson("a", "```plot\nx: [3, 1]\ncurves: [{expr: x}]\ncolour: red\naxes: polar\n```\n")
    problems = problems_of(make_course({"a": text}))
    assert one(problems, r"^plot colour: unknown field", "warning").line == line_of(text, "colour")
    assert one(problems, "'x' must be a range").line == line_of(text, "x: [3, 1]")
    assert one(problems, "axes 'polar'").line == line_of(text, "axes: polar")


def test_plot_settings_of_interactive_figures_are_known(make_course):
    text = lesson("a", "```plot\nfunction: x^2\nx: [-5, 5]\nat: 4\nlr: 0.1\nsteps: 20\ninteractive: gd\n```\n\n"
                       "```plot\nfunction: sin(x)\norder: 3\ninteractive: taylor\n```\n")
    assert problems_of(make_course({"a": text})) == []


def test_plot_warning_stays_a_warning_at_its_line(make_course):
    text = lesson("a", "```plot\nx: [0, 1]\ncurves:\n  - expr: x^2\n    style: dotted\n```\n")
    problem = one(problems_of(make_course({"a": text})), r"^plot curves\[1\]\.style: style 'dotted'", "warning")
    assert problem.line == line_of(text, "style: dotted")


def test_plot_field_given_twice(make_course):
    text = lesson("a", "```plot\nx: [0, 1]\ncurves: [{expr: x}]\nx: [0, 2]\n```\n")
    assert one(problems_of(make_course({"a": text})), "field 'x' is given twice").line == line_of(text, "x: [0, 2]")


def test_plot_that_draws_nothing(make_course):
    one(problems_of(make_course({"a": lesson("a", "```plot\ntitle: empty\n```\n")})), "draws nothing", "warning")


# -- mathematics -------------------------------------------------------------------------------------------

def test_math_line_that_does_not_parse(make_course):
    text = lesson("a", "```math\nx^2\nsin(x^^2)\n```\n")
    problem = one(problems_of(make_course({"a": text})), "^math: ")
    assert problem.line == line_of(text, "sin(x^^2)")
    assert "sin(x^^2)" in problem.message and "column" in problem.message


def test_derivative_operator_in_math_is_a_warning(make_course):
    text = lesson("a", "```math\nd/dx x^2 = 2*x\ndy/dx = dy/du*du/dx\n```\n")
    problem = one(problems_of(make_course({"a": text})), "'d/d…' in front of an expression", "warning")
    assert problem.line == line_of(text, "d/dx x^2")


def test_plot_expression_that_does_not_parse(make_course):
    text = lesson(
        "a",
        "```plot\nx: [0, 1]\ncurves:\n  - expr: x^2\n  - derivative: sin(x\ntangents:\n  - {of: y^2, at: 1}\n```\n\n"
        "```plot\npanels:\n  - curves: [{expr: '2**'}]\n```\n",
    )
    problems = problems_of(make_course({"a": text}))
    assert one(problems, r"plot curves\[2\].derivative").line == line_of(text, "derivative: sin(x")
    assert one(problems, r"plot tangents\[1\].of").line == line_of(text, "of: y^2")
    assert one(problems, r"plot panels\[1\].curves\[1\].expr").line == line_of(text, "expr: '2**'")


def test_self_check_reference_rejected(make_course):
    body = "id: a/e1\nkind: derivative\nprompt: p\nfunction: x^3\nanswer: 2*x\nhints: [h]\nsolution: s\n"
    text = lesson("a", exercise(body))
    problems = problems_of(make_course({"a": text}), self_check=True)
    problem = one(problems, "^exercise a/e1: .*reference answer")
    assert problem.line == line_of(text, "```exercise")


def test_self_check_mistake_accepted(make_course):
    body = numeric("a/e1", extra="mistakes: [{answer: '2+2', message: m}]\n")
    problems = problems_of(make_course({"a": lesson("a", body)}), self_check=True)
    one(problems, "^exercise a/e1: .*mistake '2\\+2'")


def test_self_check_unparsable_reference_names_the_part(make_course):
    body = "id: a/e1\nkind: numeric\nprompt: p\nparts:\n  - {key: a, answer: '1'}\n  - {key: b, answer: '2*/3'}\nhints: [h]\nsolution: s\n"
    problems = problems_of(make_course({"a": lesson("a", exercise(body))}), self_check=True)
    assert [p.message.split(":")[0] for p in errors(problems)] == ["exercise a/e1#b"]


def test_self_check_reference_undefined_on_the_domain(make_course):
    body = "id: a/e1\nkind: expression\nprompt: p\nanswer: ln(x)\ndomain: 'x < 0'\nhints: [h]\nsolution: s\n"
    problems = problems_of(make_course({"a": lesson("a", exercise(body))}), self_check=True)
    assert [p for p in errors(problems) if p.message.startswith("exercise a/e1:")]


def test_self_check_is_skipped_on_request(make_course):
    body = "id: a/e1\nkind: derivative\nprompt: p\nfunction: x^3\nanswer: 2*x\nhints: [h]\nsolution: s\n"
    assert errors(problems_of(make_course({"a": lesson("a", exercise(body))}), self_check=False)) == []


def test_a_crashing_self_check_is_reported_not_raised(make_course, monkeypatch):
    def crash(spec):
        raise RuntimeError("boom")

    monkeypatch.setattr(checking, "self_check", crash)
    problems = problems_of(make_course({"a": lesson("a", numeric("a/e1"))}), self_check=True)
    one(problems, "self-check failed: RuntimeError: boom")


# -- the README's examples ---------------------------------------------------------------------------------


def _readme_blocks() -> list[RawBlock]:
    text = (Path(__file__).parent.parent / "lessons" / "README.md").read_text(encoding="utf-8")
    blocks = []
    for example in re.findall(r"^````markdown\n(.*?)^````$", text, re.S | re.M):
        pages, _ = scan_body(example.splitlines(), 1)
        blocks += [item for page in pages for item in page.items if isinstance(item, RawBlock)]
    return blocks


def test_every_readme_example_is_valid():
    blocks = _readme_blocks()
    assert {b.lang for b in blocks} == {"math", "exercise", "plot", "backprop"}
    report = Report(Path("README.md"))
    for block in blocks:
        if block.lang == "exercise":
            built = build_exercise(block, report)
            assert built is not None, block.text
            for part in built.parts:
                assert checking.self_check(part.spec) == [], (built.id, part.key)
            kind = kinds.get(built.kind)
            if kind.problems is not None:
                assert kind.problems(built.data) == [], built.id
            if kind.self_check is not None and built.kind != "code":  # code runs the sandbox: its own tests
                assert kind.self_check(built.data) == [], built.id
        elif block.lang == "plot":
            data = build_plot(block, report).data
            playground = kinds.for_plot_block(data)
            if playground is not None:
                assert playground.playground_problems(data) == [], block.text
                continue
            issues = check_plot_block(data)
            assert [str(i) for i in issues if i.severity == "error"] == [], block.text
        elif block.lang == "backprop":
            assert build_backprop(block, report) is not None
        else:
            for line in block.text.splitlines():
                mathlang.parse_formula(line)
    assert [str(p) for p in report.problems] == []


def test_unquoted_colon_in_a_hint_is_explained_at_its_line(make_course):
    body = "id: a/e1\nkind: numeric\nprompt: p\nanswer: '1'\nhints:\n  - First hint.\n  - Local derivatives: du/dx = 2x\nsolution: s\n"
    text = lesson("a", exercise(body))
    problem = one(problems_of(make_course({"a": text})), "'hints' must be text, not a mapping")
    assert problem.line == line_of(text, "Local derivatives")
    assert "put text that contains ': ' in quotes" in problem.message
