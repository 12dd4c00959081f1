"""`tutor read`: a lesson as plain text, on a fixture lesson that uses every kind of segment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.commands.common import CHECKOUT_DIR
from tutor.lessons.loader import load_course
from tutor.lessons.plaintext import lesson_text, markdown_lines
from tutor.plots import figure_from_block
from tutor.plots.describe import describe_figure

READER = Path(__file__).parent / "fixtures" / "reader"


def tutor(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tutor", "--lessons", str(READER), *args],
                          capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture(scope="module")
def whole() -> str:
    done = tutor("read", "everything")
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_prose_loses_its_markdown_marks_but_keeps_links_lists_tables_and_code(whole):
    assert "This opening page has bold, emphasis, code and a link\n(https://example.org/sigmoid)." in whole
    assert "**" not in whole and "`" not in whole
    assert "- a second item with bold" in whole
    assert "1. numbered one\n2. numbered two" in whole
    assert "- x: 2; x²: 4\n- x: 3; x²: 9" in whole  # a table row reads as header: value pairs
    assert "    def square(x):\n        return x * x" in whole


def test_pages_are_numbered_and_titled(whole):
    assert "Page 1 of 3: Every kind of segment" in whole
    assert "Page 2 of 3: Formulas and a figure" in whole
    assert "Page 3 of 3: Exercises" in whole
    assert whole.index("Page 1 of 3") < whole.index("Page 2 of 3") < whole.index("Page 3 of 3")


def test_math_stays_on_one_line_in_the_answer_language(whole):
    assert "Math: sigmoid(z) = 1/(1 + exp(-z))" in whole


def test_figures_are_described_with_their_key_numbers(whole):
    assert "Figure: The sigmoid and its slope" in whole
    assert "Curve σ(x): from (-5, 0.01) to (5, 0.99)" in whole
    assert "Curve σ'(x) (dashed):" in whole and "highest 0.25" in whole
    assert "Marked: σ(0) = 0.5 at (0, 0.5)." in whole
    # The interactive figure's own readout: the regime and where the run ended.
    assert "lr = 0.1: good" in whole
    assert "converged: x ≈ 0.057646" in whole


def test_exercises_show_prompts_options_parts_and_how_to_answer_but_never_the_answer(whole):
    assert "Exercise everything/e1 (derivative):\n  Differentiate f(x) = x³." in whole
    assert "  a) 1\n  b) 2\n  c) 3" in whole
    assert "tutor check everything/e2 'LETTER'" in whole
    assert "  (a) 2 + 2\n  (b) 3 · 3" in whole
    assert "tutor check everything/e3#a 'ANSWER'" in whole
    for secret in ("3x².", "Four", "4 and 9.", "Power rule", "Use 2x"):
        assert secret not in whole  # solutions and hints are not printed


def test_a_computation_graph_lists_its_inputs_and_nodes(whole):
    assert "Computation graph: y = exp(sin(x² + 1))" in whole
    assert "  Inputs: x = 0.5.\n  u = x^2 + 1\n  v = sin(u)\n  y = exp(v)\n  Output: y." in whole


def test_one_page_alone():
    done = tutor("read", "everything", "--page", "2")
    assert done.returncode == 0
    assert "Page 2 of 3" in done.stdout and "Page 1 of 3" not in done.stdout and "Page 3 of 3" not in done.stdout


def test_a_page_or_lesson_that_does_not_exist_is_refused_with_a_message():
    done = tutor("read", "everything", "--page", "9")
    assert done.returncode == 2 and "has 3 pages, so there is no page 9" in done.stderr
    done = tutor("read", "everythin")
    assert done.returncode == 2 and "no lesson 'everythin'" in done.stderr and "everything" in done.stderr


def test_no_colour_or_escape_bytes_even_when_no_color_is_set():
    done = tutor("read", "everything", env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 0 and "\x1b" not in done.stdout


def test_every_lesson_of_the_course_reads_as_text():
    course = load_course(CHECKOUT_DIR / "lessons")
    for lesson in course.lessons.values():
        text = lesson_text(lesson)
        assert text.startswith(lesson.title)
        assert f"Page {len(lesson.pages)} of {len(lesson.pages)}" in text
        assert "cannot be described" not in text, lesson.id
        assert "```" not in text, lesson.id


def test_describe_rounds_to_what_the_picture_shows():
    figure = figure_from_block({"title": "x²", "x": [-2, 2], "curves": [{"expr": "x^2", "label": "x²"}]})
    lines = describe_figure(figure)
    assert lines[0] == "Figure: x²"
    curve = next(line for line in lines if line.strip().startswith("Curve x²"))
    assert "lowest 0 at x = 0" in curve and "highest 4 at x = -2" in curve


def test_markdown_table_with_a_ragged_row_still_prints_every_cell():
    lines = markdown_lines("| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "- a: 1; b: 2" in lines


def test_math_is_also_read_out_in_words(whole):
    assert "Math: sigmoid(z) = 1/(1 + exp(-z))\n  In words: sigma of z equals 1 over the quantity 1 plus e to the minus z, end quantity" in whole
