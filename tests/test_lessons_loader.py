"""The lesson loader: course.yaml, front matter, pages, segments, exercises, line numbers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lessonkit import FIXTURES, exercise, front_matter, line_of, make_course, numeric  # noqa: F401
from tutor.checking.spec import ExerciseSpec, Mistake
from tutor.lessons.address import AddressError, find_part
from tutor.lessons.exercises import content_hash
from tutor.lessons.loader import load_course, load_lesson
from tutor.lessons.mdblocks import count_blocks
from tutor.lessons.model import BackpropBlock, Exercise, MathBlock, PlotBlock, Prose
from tutor.lessons.yamlsource import load_yaml, number_text

SLOPES = FIXTURES / "lessons" / "slopes.md"
SLOPES_TEXT = SLOPES.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def course():
    return load_course(FIXTURES / "lessons")


def _exercise(course, exercise_id: str) -> Exercise:
    return course.exercise(exercise_id)


# -- the course -----------------------------------------------------------------------------------


def test_fixture_course_loads_without_problems(course):
    assert course.problems == ()
    assert [lesson.problems for lesson in course.lessons.values()] == [(), (), (), ()]
    assert [(p.number, p.title, p.lesson_ids) for p in course.parts] == [
        (1, "Slopes", ("slopes", "figures")),
        (2, "Chains", ("chains", "graphs")),
    ]
    assert list(course.lessons) == ["slopes", "figures", "chains", "graphs"]


def test_front_matter_fields(course):
    slopes, chains = course.lessons["slopes"], course.lessons["chains"]
    assert slopes.title == "Slopes and derivatives"
    assert slopes.part == 1 and chains.part == 2
    assert slopes.minutes == 10
    assert slopes.requires == () and chains.requires == ("slopes",)
    assert slopes.objectives == ("Read a derivative as a slope.", "Compute a few derivatives.")
    assert chains.objectives == ()
    assert chains.requires_line == 5
    assert not slopes.broken


# -- pages and segments ----------------------------------------------------------------------------


def test_pages_split_at_level_two_headings(course):
    pages = course.lessons["slopes"].pages
    assert [page.title for page in pages] == ["Slopes and derivatives", "Slopes", "Practice"]
    assert pages[1].line == line_of(SLOPES_TEXT, "## Slopes")
    assert pages[2].line == line_of(SLOPES_TEXT, "## Practice")
    assert pages[0].line == line_of(SLOPES_TEXT, "The opening page")


def test_heading_inside_a_code_fence_is_prose(course):
    opening = course.lessons["slopes"].pages[0]
    assert len(opening.segments) == 1
    prose = opening.segments[0]
    assert isinstance(prose, Prose)
    assert "## a comment in code" in prose.markdown
    assert "```python" in prose.markdown and prose.markdown.endswith("```")


def test_no_opening_page_when_the_body_starts_with_a_heading(make_course):
    folder = make_course({"a": front_matter("a") + "\n## First\n\nText.\n"})
    lesson = load_course(folder).lessons["a"]
    assert [page.title for page in lesson.pages] == ["First"]


def test_segments_and_their_lines(course):
    page = course.lessons["slopes"].pages[1]
    kinds = [type(segment).__name__ for segment in page.segments]
    assert kinds == ["Prose", "MathBlock", "Exercise", "Exercise"]
    prose, math, first, second = page.segments
    assert prose.line == line_of(SLOPES_TEXT, "The slope of x²")
    assert math.line == line_of(SLOPES_TEXT, "```math")
    assert math.lines == ("f(x) = x^2", "2*x")
    assert math.line_numbers == (math.line + 1, math.line + 2)
    assert first.line == line_of(SLOPES_TEXT, "id: slopes/e1") - 1
    assert second.line == line_of(SLOPES_TEXT, "id: slopes/e2") - 1


def test_plot_and_backprop_blocks(course):
    plot = course.lessons["slopes"].pages[2].segments[-1]
    assert isinstance(plot, PlotBlock)
    assert plot.line == line_of(SLOPES_TEXT, "```plot")
    assert plot.data["x"] == [-3, 3] and type(plot.data["x"][0]) is int  # plain data, no YAML types
    # Every field's line, named as the plot engine names it in its issues.
    assert {name: plot.lines[name] for name in ("x", "curves[1].expr", "tangents[1].of", "tangents[1].at")} == {
        "x": line_of(SLOPES_TEXT, "x: [-3, 3]"),
        "curves[1].expr": line_of(SLOPES_TEXT, "- expr: x^2"),
        "tangents[1].of": line_of(SLOPES_TEXT, "- of: x^2"),
        "tangents[1].at": line_of(SLOPES_TEXT, "at: 1.5"),
    }
    graph = course.lessons["chains"].pages[1].segments[0]
    assert isinstance(graph, BackpropBlock)
    assert graph.data["output"] == "y"
    assert graph.data["nodes"][0] == {"name": "v", "formula": "sin(x)"}


def test_math_block_skips_blank_lines_but_keeps_file_lines(make_course):
    text = front_matter("a") + "\n```math\nx^2\n\n  sin(x)  \n```\n"
    lesson = load_course(make_course({"a": text})).lessons["a"]
    (math,) = lesson.pages[0].segments
    assert isinstance(math, MathBlock)
    assert math.lines == ("x^2", "sin(x)")
    assert math.line_numbers == (line_of(text, "x^2"), line_of(text, "sin(x)"))


def test_ordinary_fences_stay_in_the_prose(make_course):
    text = front_matter("a") + "\nBefore.\n\n```text\nplain\n```\n\n```\nbare\n```\n\nAfter.\n"
    lesson = load_course(make_course({"a": text})).lessons["a"]
    assert lesson.problems == ()
    (prose,) = lesson.pages[0].segments
    assert "```text" in prose.markdown and "bare" in prose.markdown and "After." in prose.markdown


# -- exercises ----------------------------------------------------------------------------------------


def test_numeric_exercise_spec(course):
    ex = _exercise(course, "slopes/e1")
    assert ex.kind == "numeric" and ex.prompt == "What is the slope of y = x² at x = 3?"
    assert ex.hints == ("The slope of x² is 2x.",)
    assert ex.solution == "2 · 3 = 6."
    (part,) = ex.parts
    assert part.key == "" and part.prompt == ex.prompt
    assert part.spec == ExerciseSpec(
        kind="numeric", answer="6", mistakes=(Mistake("9", "That is the value x², not the slope."),)
    )
    assert ex.data == {}


def test_choice_exercise_spec(course):
    spec = _exercise(course, "slopes/e2").parts[0].spec
    assert spec.options == ("increase w", "decrease w", "leave w unchanged")
    assert spec.answer == "b"
    assert spec.option_feedback == (("a", "Increasing w increases the loss."),)


def test_derivative_exercise_spec(course):
    spec = _exercise(course, "slopes/e3").parts[0].spec
    assert (spec.function, spec.answer, spec.var, spec.order) == ("sin(x^3)", "3*x^2*cos(x^3)", "x", 1)
    assert spec.mistakes == (Mistake("cos(x^3)", "Multiply by the inner derivative 3x²."),)


def test_vector_answer_written_as_a_yaml_list(course):
    assert _exercise(course, "slopes/e4").parts[0].spec.answer == "[-4, 0, 4]"


def test_parts_inherit_unset_fields(course):
    ex = _exercise(course, "slopes/e5")
    a, b = ex.parts
    assert (a.key, a.prompt, b.key, b.prompt) == ("a", "x = 0", "b", "x = 1")
    assert a.spec.answer == "6" and b.spec.answer == "24"  # an unquoted 6 arrives as text
    assert a.spec.rel_tol == b.spec.rel_tol == 1e-6  # inherited from the exercise
    assert a.spec.mistakes == () and b.spec.mistakes == (Mistake("16", "That is the value (3x + 1)², not the slope."),)
    assert ex.part("b") is b
    with pytest.raises(KeyError):
        ex.part("c")


def test_expression_antiderivative_matrix_specs(course):
    expression = _exercise(course, "chains/e1").parts[0].spec
    assert expression.variables == ("x", "h") and expression.domain == "h != 0"
    anti = _exercise(course, "chains/e2").parts[0].spec
    assert (anti.function, anti.answer, anti.var, anti.domain) == ("1/x", "ln(x)", "x", "x > 0")
    matrix = _exercise(course, "chains/e3").parts[0].spec
    assert matrix.answer == "[[2*y, 2*x], [2*x, 0]]" and matrix.declared == ("x", "y")


def test_engine_kinds_keep_their_yaml(course):
    ex = _exercise(course, "chains/e4")
    assert ex.kind == "code" and ex.parts == ()
    assert ex.data["tests"] == ["assert double(2) == 4"]
    assert ex.hints == ("Multiply by two.",)


def test_part_may_change_kind_and_override_mistakes(make_course):
    body = """
        id: a/e1
        kind: numeric
        prompt: Two parts.
        answer: "1"
        tolerance: {abs: 1e-6}
        mistakes: [{answer: "2", message: No.}]
        parts:
          - key: a
            prompt: a number
          - key: b
            kind: expression
            prompt: an expression
            answer: 2*x
            mistakes: []
        hints: [h]
        solution: s
    """
    lesson = load_course(make_course({"a": front_matter("a") + exercise(body)})).lessons["a"]
    assert lesson.problems == ()
    a, b = lesson.exercises[0].parts
    assert (a.spec.kind, a.spec.answer, a.spec.abs_tol, len(a.spec.mistakes)) == ("numeric", "1", 1e-6, 1)
    # The expression part inherits neither the numeric answer's tolerance nor its mistakes.
    assert (b.spec.kind, b.spec.answer, b.spec.abs_tol, b.spec.mistakes) == ("expression", "2*x", None, ())


def test_field_variants(make_course):
    body = """
        id: a/e1
        kind: derivative
        prompt: p
        function: t^3
        vars: "t, a"
        order: 2
        domain: ["t > 0", "a > 1"]
        hints: one hint as text
        solution: s
    """
    lesson = load_course(make_course({"a": front_matter("a") + exercise(body)})).lessons["a"]
    spec = lesson.exercises[0].parts[0].spec
    assert spec.variables == ("t", "a") and spec.order == 2 and spec.domain == "t > 0, a > 1"
    assert spec.var == "x"  # two vars: var must be named; the checker's default applies
    assert lesson.exercises[0].hints == ("one hint as text",)


def test_var_defaults_to_the_only_declared_variable(make_course):
    body = "id: a/e1\nkind: derivative\nprompt: p\nfunction: t^2\nvars: [t]\nhints: [h]\nsolution: s\n"
    lesson = load_course(make_course({"a": front_matter("a") + exercise(body)})).lessons["a"]
    assert lesson.exercises[0].parts[0].spec.var == "t"


def test_content_hash_follows_the_block(make_course):
    one = front_matter("a") + "Intro.\n\n" + numeric("a/e1")
    two = front_matter("a") + "Other intro text.\n\n" + numeric("a/e1")
    three = front_matter("a") + "Intro.\n\n" + numeric("a/e1", answer='"5"')
    hashes = []
    for text in (one, two, three):
        path = make_course({"a": text}) / "a.md"
        hashes.append(load_lesson(path).exercises[0].content_hash)
    assert len(hashes[0]) == 16 and int(hashes[0], 16) >= 0
    assert hashes[0] == hashes[1] != hashes[2]
    assert hashes[0] == content_hash(numeric("a/e1").split("\n", 1)[1].rsplit("```", 1)[0].rstrip("\n"))


# -- numbers from YAML -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "text"),
    [
        ("60", "60"),
        ("-9", "-9"),
        ("0.5", "0.5"),
        ("6.71678e-4", "6.71678e-4"),
        ("1e-6", "1e-6"),
        ("1.5e3", "1.5e3"),
        (".5", "0.5"),
        ("+3", "3"),
        ('"0.0199442"', "0.0199442"),
        ("1/4", "1/4"),
        ("3*e", "3*e"),
    ],
)
def test_numbers_reach_the_checker_as_written(make_course, written, text):
    folder = make_course({"a": front_matter("a") + numeric("a/e1", answer=written)})
    assert load_course(folder).lessons["a"].exercises[0].parts[0].spec.answer == text


def test_number_text_without_source_is_positional():
    assert number_text(6.71678e-4) == "0.000671678"
    assert number_text(1e20) == "100000000000000000000"
    assert number_text(60) == "60"
    assert number_text(load_yaml("a: 1_000")["a"]) == "1000"


def test_yaml_tags_that_build_objects_are_refused(make_course):
    body = "id: a/e1\nkind: numeric\nprompt: !!python/object/apply:os.system ['true']\nanswer: '1'\nhints: [h]\nsolution: s\n"
    text = front_matter("a") + exercise(body)
    lesson = load_course(make_course({"a": text})).lessons["a"]
    assert lesson.exercises == ()
    assert any("bad YAML" in p.message and p.line == line_of(text, "prompt:") for p in lesson.problems)


# -- broken lessons ---------------------------------------------------------------------------------------


def test_a_broken_lesson_does_not_stop_the_rest():
    course = load_course(FIXTURES / "broken")
    assert list(course.lessons) == [
        "good", "bad-yaml", "unknown-fence", "no-front-matter", "empty", "not-utf8", "missing", "cycle-a", "cycle-b"
    ]
    good = course.lessons["good"]
    assert not good.broken and [e.id for e in good.exercises] == ["good/e1"]
    bad = course.lessons["bad-yaml"]
    assert bad.broken and [e.id for e in bad.exercises] == ["bad-yaml/e2"]
    for lesson_id in ("unknown-fence", "no-front-matter", "empty", "not-utf8", "missing"):
        assert course.lessons[lesson_id].broken, lesson_id
    assert course.lessons["missing"].problems[0].path.name == "course.yaml"
    assert course.lessons["missing"].pages == ()


def test_missing_lessons_folder_is_a_problem_not_a_crash(tmp_path):
    course = load_course(tmp_path / "nowhere")
    assert course.lessons == {} and course.parts == ()
    assert "no course.yaml" in course.problems[0].message


# -- lookups ---------------------------------------------------------------------------------------------


def test_find_part_by_address(course):
    assert find_part(course, "slopes/e1")[1].key == ""
    assert find_part(course, "slopes/e5#b")[1].spec.answer == "24"
    for address, reason in [
        ("slopes/e9", "unknown-exercise"),
        ("slopes/e5", "needs-part"),
        ("slopes/e5#z", "unknown-part"),
        ("slopes/e1#a", "unknown-part"),
        ("chains/e4#a", "unknown-part"),
    ]:
        with pytest.raises(AddressError) as info:
            find_part(course, address)
        assert info.value.reason == reason, address
    with pytest.raises(AddressError, match="slopes/e5#a, slopes/e5#b"):
        find_part(course, "slopes/e5")
    # Code and backprop exercises are one whole answer, checked by their own engines.
    assert find_part(course, "chains/e4")[1].spec.kind == "code"


# -- Markdown blocks -------------------------------------------------------------------------------------


def test_count_blocks():
    markdown = "\n".join(
        [
            "# Heading",
            "A paragraph",
            "over two lines.",
            "",
            "- item one",
            "  continued",
            "- item two",
            "1. numbered",
            "",
            "| a | b |",
            "|---|---|",
            "| 1 | 2 |",
            "",
            "```python",
            "x = 1",
            "",
            "y = 2",
            "```",
            "---",
            "Last.",
        ]
    )
    # heading, paragraph, 3 items, 2 table rows, code, rule, paragraph
    assert count_blocks(markdown) == 10


# -- purity ---------------------------------------------------------------------------------------------


def test_domain_package_imports_neither_textual_nor_sympy():
    code = (
        "import sys, pathlib\n"
        "from tutor.lessons.loader import load_course\n"
        "import tutor.lessons.validate\n"
        f"load_course(pathlib.Path({str(FIXTURES / 'lessons')!r}))\n"
        "print(sorted(m for m in ('textual', 'sympy') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_no_textual_import_in_the_lessons_package():
    for path in (Path(__file__).parent.parent / "tutor" / "lessons").glob("*.py"):
        assert "textual" not in path.read_text(encoding="utf-8"), path


def test_longer_fences_and_tildes_hide_special_fences(make_course):
    text = front_matter("a") + "\n````text\n```exercise\nid: x\n```\n## not a page\n````\n\n~~~\n```math\n~~~\n"
    lesson = load_course(make_course({"a": text})).lessons["a"]
    assert lesson.problems == ()
    (page,) = lesson.pages
    assert [type(s).__name__ for s in page.segments] == ["Prose"]
    assert "## not a page" in page.segments[0].markdown and page.segments[0].markdown.endswith("~~~")
