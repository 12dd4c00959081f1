"""One registry of exercise kinds (tutor.kinds): the loader, the validator and `tutor check` ask
it, so a kind added there is read, validated and checked with no other change."""

from __future__ import annotations

import pytest

from lessonkit import FIXTURES, exercise, front_matter, make_course  # noqa: F401 - make_course is a fixture
from tutor import kinds
from tutor.checking.spec import CHECKED_KINDS
from tutor.checking.verdict import Verdict
from tutor.cli import main
from tutor.lessons.loader import load_course
from tutor.lessons.validate import validate_course as _validate

GD = FIXTURES / "gd"


def lesson(lesson_id: str, body: str) -> str:
    return front_matter(lesson_id) + "\nSome prose.\n\n" + body


def validate_course(folder, self_check: bool = True):
    return _validate(load_course(folder), self_check=self_check)


def test_the_table():
    assert set(kinds.NAMES) == set(CHECKED_KINDS) | {"backprop", "code", "gd"}
    for kind in kinds.KINDS.values():
        assert kind.parts == kind.checker
        assert kind.checker or kind.check is not None, f"{kind.name} cannot be checked headlessly"
        assert kind.answer_format
    assert kinds.get("derivative").required == ("function",)
    assert kinds.for_plot_block({"interactive": "gd-playground"}) is kinds.get("gd")
    assert kinds.for_plot_block({"interactive": "tangent"}) is None and kinds.for_plot_block("text") is None


@pytest.fixture
def echo_kind(monkeypatch):
    """A new engine kind, registered in the table only: correct when the answer is the block's word."""
    seen = []

    def problems(data):
        return [] if "word" in data else ["'word' is missing"]

    def self_check(data):
        seen.append(data["word"])
        return [] if data["word"] != "bad" else ["the word is bad"]

    def check(data, answer):
        return Verdict("correct" if answer == data["word"] else "incorrect", f"the word was {data['word']}")

    kind = kinds.Kind("echo", "a word", problems=problems, self_check=self_check, check=check)
    monkeypatch.setitem(kinds.KINDS, "echo", kind)
    monkeypatch.setattr(kinds, "NAMES", tuple(kinds.KINDS))
    return seen


def test_a_kind_added_to_the_registry_is_loaded_validated_and_checked(make_course, echo_kind, capsys, tmp_path):
    good = exercise("id: a/e1\nkind: echo\nprompt: Say it.\nhints: [h]\nword: hello\n")
    missing = exercise("id: a/e2\nkind: echo\nprompt: Say it.\nhints: [h]\n")
    bad = exercise("id: a/e3\nkind: echo\nprompt: Say it.\nhints: [h]\nword: bad\n")
    course = make_course({"a": lesson("a", good + "\n" + missing + "\n" + bad)})
    messages = [p.message for p in validate_course(course)]
    assert messages == ["exercise a/e2: 'word' is missing", "exercise a/e3: the word is bad"]
    assert "hello" in echo_kind  # the self-check ran
    folder = str(course)
    assert main(["check", "--lessons", folder, "--no-save", "a/e1", "hello"]) == 0
    assert main(["check", "--lessons", folder, "--no-save", "a/e1", "bye"]) == 1
    assert "the word was hello" in capsys.readouterr().out
    assert main(["check", "--lessons", folder, "--no-save", "a/e1#b", "hello"]) == 2  # no parts


def test_an_unknown_kind_lists_the_registry(make_course):
    course = make_course({"a": lesson("a", exercise("id: a/e1\nkind: essay\nprompt: p\nhints: [h]\nsolution: s\n"))})
    (problem,) = [p for p in validate_course(course, self_check=False) if "essay" in p.message]
    assert all(name in problem.message for name in kinds.NAMES)


# -- the gd kind through the registry: tutor validate and tutor check --------------------------------


def test_validate_self_checks_the_gd_fixtures(capsys):
    assert main(["validate", str(GD)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == ["4 lessons, 5 exercises: 0 errors, 0 warnings"]  # no "not yet playable"


def test_validate_reports_a_gd_reference_that_fails(make_course):
    block = (GD / "learning-rate.md").read_text().split("```exercise\n")[1].split("```")[0]
    broken = block.replace('answer: "0.01"', 'answer: "0.04"')
    course = make_course({"a": lesson("a", exercise(broken.replace("learning-rate/e1", "a/e1")))})
    (problem,) = [p for p in validate_course(course) if p.severity == "error"]
    assert "reference answer '0.04' does not meet the goal: " in problem.message and "stalled" in problem.message


def test_validate_reports_a_broken_playground_block(make_course):
    plot = "```plot\ninteractive: gd-playground\nobjective: w0^2 +\nstart: [1, 1]\nsteps: 10\n```\n"
    (problem,) = validate_course(make_course({"a": lesson("a", plot)}), self_check=False)
    assert problem.message.startswith("plot: the objective 'w0^2 +' does not parse")


@pytest.mark.parametrize("argv, code, expected", [
    (["learning-rate/e1", "0.01"], 0, "✓ correct: learning-rate/e1\nread as: α = 0.01\n|x − 2.25| = 6.49543e-11"),
    (["momentum/e5", "beta=0.9"], 0, "‖w‖ = 0.019034 after 100 steps"),
    (["learning-rate/e1", "0.1"], 1, "It diverged at step 3"),
    (["learning-rate/e5", "0.001"], 1, "Too slow"),
    (["learning-rate/e1", "lr=2"], 2, "between 0.0001 and 1"),
    (["learning-rate/e1#a", "0.01"], 2, ""),
])
def test_tutor_check_plays_gd_headlessly(capsys, argv, code, expected):
    assert main(["check", "--lessons", str(GD), "--no-save", *argv]) == code
    captured = capsys.readouterr()
    assert expected in captured.out + captured.err


def test_a_gd_attempt_is_recorded(tmp_path, capsys):
    saves = tmp_path / "saves"
    assert main(["check", "--lessons", str(GD), "--save-dir", str(saves), "adam/e4", "0.1"]) == 0
    assert main(["check", "--lessons", str(GD), "--save-dir", str(saves), "adam/e4", "0.04"]) == 1
    capsys.readouterr()
    from tutor.progress import open_profile

    store, issue = open_profile(saves)
    assert issue is None
    record = store.profile.exercise("adam/e4")
    assert [(a.answer, a.status, a.diagnosis) for a in record.attempts] == [("0.1", "correct", None),
                                                                            ("0.04", "incorrect", "too-slow")]
    assert record.solved
