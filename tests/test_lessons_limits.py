"""Lesson files too large to open are refused where they are; `--no-self-check` still reads every reference."""

from __future__ import annotations

from lessonkit import exercise, front_matter, make_course, numeric  # noqa: F401
from tutor.lessons.loader import MAX_LESSON_BYTES, MAX_PAGE_CHARS, load_course
from tutor.lessons.validate import validate_course


def lesson(lesson_id: str, body: str) -> str:
    return front_matter(lesson_id) + "\nSome prose.\n\n" + body


def test_an_oversized_lesson_file_is_refused_unread(make_course):
    huge = lesson("big", "word " * (MAX_LESSON_BYTES // 4))
    folder = make_course({"big": huge, "small": lesson("small", numeric("small/e1"))})
    course = load_course(folder)
    big = course.lessons["big"]
    assert big.pages == ()
    (problem,) = big.problems
    assert (problem.line, problem.severity) == (1, "error")
    assert f"larger than {MAX_LESSON_BYTES // 1024} KB" in problem.message and "split it" in problem.message
    assert course.lessons["small"].pages, "the other lessons still load"
    assert any(p.path.name == "big.md" and p.line == 1 for p in validate_course(course, self_check=False))


def test_an_oversized_page_is_left_out_with_its_line(make_course):
    body = "## Fine\n\nShort.\n\n## Huge\n\n" + ("x" * 80 + "\n") * (MAX_PAGE_CHARS // 80 + 10) + "\n## After\n\nEnd.\n"
    text = lesson("paged", body)
    course = load_course(make_course({"paged": text}))
    paged = course.lessons["paged"]
    assert [page.title for page in paged.pages] == ["Lesson paged", "Fine", "After"]
    (problem,) = [p for p in paged.problems if "page 'Huge'" in p.message]
    assert problem.line == text.splitlines().index("## Huge") + 1
    assert problem.severity == "error" and "left out" in problem.message


def test_no_self_check_still_reports_an_unreadable_reference_answer(make_course):
    folder = make_course({"a": lesson("a", numeric("a/e1", answer='"2*x +"'))})
    problems = validate_course(load_course(folder), self_check=False)
    (problem,) = [p for p in problems if "a/e1" in p.message]
    assert "reference answer '2*x +' cannot be read" in problem.message and problem.severity == "error"


def test_no_self_check_still_reports_a_code_reference_that_does_not_parse(make_course):
    block = exercise('''
        id: a/e1
        kind: code
        prompt: Double it.
        function: "def f(x):"
        starter: |
          def f(x):
              return 0
        tests:
          - assert f(2) == 4
        reference: |
          def f(x)
              return 2 * x
        hints: [Multiply.]
    ''')
    problems = validate_course(load_course(make_course({"a": lesson("a", block)})), self_check=False)
    assert any("the reference is not valid Python" in p.message for p in problems), [str(p) for p in problems]
