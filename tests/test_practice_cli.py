"""The practice game headless: the service over the store's events with a settable clock, and
`tutor review`, `tutor stats` and `tutor check --now` on the real course."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from lessonkit import make_course  # noqa: F401

from tutor.cli import main
from tutor.practice.episodes import Event
from tutor.practice.service import Settings, practice
from tutor.practice.shape import CourseShape

UTC = timezone.utc
DAY0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
E1, E2, E4 = "calculus-and-ml-functions/e1", "calculus-and-ml-functions/e2", "calculus-and-ml-functions/e4"

SHAPE = CourseShape(
    lessons=("basics", "top"),
    lesson_part={"basics": 1, "top": 2},
    lesson_title={"basics": "Basics", "top": "Top"},
    requires={"basics": (), "top": ("basics",)},
    exercises={"basics": ("basics/e1", "basics/e2"), "top": ("top/e1",)},
    kinds={"basics/e1": "numeric", "basics/e2": "choice", "top/e1": "derivative"},
    part_titles={1: "One", 2: "Two"},
)


def at(days: float, exercise: str, what: str, review: bool = False) -> Event:
    return Event(DAY0 + timedelta(days=days), exercise, what, review)  # type: ignore[arg-type]


# -- the service -------------------------------------------------------------------------------------


def test_the_service_puts_deck_mastery_xp_and_stats_together():
    events = [at(0, "basics/e1", "correct"), at(0, "basics/e2", "wrong"), at(0.01, "basics/e2", "correct"),
              at(0.02, "top/e1", "reveal")]
    game = practice(events, SHAPE, DAY0 + timedelta(hours=1), Settings(daily_goal=10, streak=True), UTC)
    assert game.due() == []  # nothing the same day
    tomorrow = practice(events, SHAPE, DAY0 + timedelta(days=1, hours=1), Settings(), UTC)
    # The revealed and the helped solve come back first; the first-try solve waits longer.
    assert {exercise for exercise, _ in tomorrow.due()} == {"top/e1", "basics/e2"}
    assert game.mastery["basics"].level == "proficient" and game.mastery["top"].level == "practised"
    stats = game.stats()
    assert stats.xp_total == 10 + 2 and stats.xp_today == 12  # numeric first try, choice helped, reveal 0
    assert stats.xp_per_day[-1] == (DAY0.date(), 12) and len(stats.xp_per_day) == 30
    assert stats.parts[0].correct == 2 and stats.parts[0].answered == 3
    assert stats.parts[0].mastery["proficient"] == 1 and stats.parts[1].mastery["practised"] == 1
    assert stats.parts[1].accuracy is None  # a reveal answers nothing
    assert stats.streak is not None and stats.streak.length == 1
    assert len(stats.due_per_day) == 14 and sum(n for _, n in stats.due_per_day) <= 3
    assert stats.due_per_day[1][1] == 2  # the revealed and the helped card, due tomorrow
    assert json.loads(json.dumps(stats.to_json()))["xp_total"] == 12
    assert practice(events, SHAPE, DAY0, Settings(streak=False)).stats().streak is None  # opt-in


def test_settings_come_from_the_profile_with_safe_defaults():
    assert Settings.of({}) == Settings()
    assert Settings.of({"daily_reviews": 5, "daily_goal": 30, "streak": True}) == Settings(5, 30, True)
    assert Settings.of({"daily_reviews": "lots", "daily_goal": -4, "streak": "yes"}) == Settings(20, 1, False)


def test_the_daily_size_bounds_the_session_but_not_the_due_list():
    events = [at(0, "basics/e1", "reveal"), at(0, "basics/e2", "reveal"), at(0, "top/e1", "reveal")]
    game = practice(events, SHAPE, DAY0 + timedelta(days=1), Settings(daily_reviews=2), UTC)
    assert len(game.due()) == 3 and len(game.queue()) == 2
    assert {SHAPE.lesson_of(e) for e in game.queue()} == {"basics", "top"}  # mixed across lessons


# -- the command line on the real course ------------------------------------------------------------


@pytest.fixture
def save(tmp_path, monkeypatch):
    monkeypatch.delenv("TUTOR_SAVE_DIR", raising=False)
    return tmp_path


def tutor(save: Path, capsys, *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main([*argv, "--save-dir", str(save)])
    return code, capsys.readouterr().out


def due_at(save: Path, capsys, when: datetime) -> dict[str, str]:
    code, out = tutor(save, capsys, "review", "--json", "--now", when.isoformat())
    assert code == 0
    return {entry["exercise"]: entry["due"] for entry in json.loads(out)["due"]}


def check(save: Path, capsys, exercise: str, answer: str, when: datetime) -> int:
    return tutor(save, capsys, "check", exercise, answer, "--now", when.isoformat())[0]


def test_review_due_dates_move_with_the_clock(save, capsys):
    assert check(save, capsys, E1, "60", DAY0) == 0  # first try: Good
    assert check(save, capsys, E2, "7", DAY0) == 1  # wrong...
    assert check(save, capsys, E4, "3", DAY0) == 1  # wrong, never solved: walked away
    assert due_at(save, capsys, DAY0 + timedelta(hours=3)) == {}  # a Good solve is not due the same day
    assert due_at(save, capsys, DAY0 + timedelta(hours=12)) == {}  # nor, walked away from, is E4
    assert check(save, capsys, E2, "120", DAY0 + timedelta(hours=13)) == 0  # a late solve (Hard)
    week = {day: due_at(save, capsys, DAY0 + timedelta(days=day)) for day in range(1, 15)}
    first_due = {ex: min(d for d, due in week.items() if ex in due) for ex in (E1, E4)}
    assert first_due[E4] < first_due[E1]  # a failure comes back sooner than a first-try solve
    assert first_due[E1] >= 1
    # Reviewing E1 on its due day moves its due date further out than the first interval.
    day = first_due[E1]
    when = DAY0 + timedelta(days=day, hours=1)
    before = datetime.fromisoformat(due_at(save, capsys, when)[E1])
    assert check(save, capsys, E1, "60", when) == 0
    assert E1 not in due_at(save, capsys, when + timedelta(minutes=1))
    code, out = tutor(save, capsys, "review", "--json", "--now", (when + timedelta(days=60)).isoformat())
    after = datetime.fromisoformat({e["exercise"]: e["due"] for e in json.loads(out)["due"]}[E1])
    assert after - when > before - DAY0


def test_review_and_stats_in_text_and_json(save, capsys):
    assert tutor(save, capsys, "review", "--now", DAY0.isoformat()) == (0, "Nothing due.\n")
    check(save, capsys, E1, "60", DAY0)
    check(save, capsys, E4, "3", DAY0)
    code, out = tutor(save, capsys, "review", "--now", (DAY0 + timedelta(days=1)).isoformat())
    assert code == 0 and E4 in out and "1 due" in out
    code, out = tutor(save, capsys, "stats", "--json", "--now", (DAY0 + timedelta(days=1)).isoformat())
    data = json.loads(out)
    assert code == 0 and data["xp_total"] == 10
    assert [d["xp"] for d in data["xp_per_day"]][-2:] == [10, 0]  # yesterday's solve, nothing today
    assert data["parts"][0]["correct"] == 1 and data["parts"][0]["answered"] == 2
    assert data["parts"][0]["mastery"]["practised"] == 1
    assert data["reviews_due_per_day"][0]["due"] == 1 and len(data["reviews_due_per_day"]) == 14
    code, out = tutor(save, capsys, "stats", "--now", (DAY0 + timedelta(days=1)).isoformat())
    assert code == 0 and "XP: 10 in all" in out and "50% of 2 answers right" in out
    due_days = [d["day"][5:] + f" {d['due']}" for d in data["reviews_due_per_day"] if d["due"]]
    assert f"Reviews due (next 14 days): {', '.join(due_days)}" in out  # dated, as the chart


def test_a_bad_now_is_refused(save, capsys):
    with pytest.raises(SystemExit):
        main(["review", "--now", "yesterday", "--save-dir", str(save)])


def test_review_work_from_the_command_line_masters_a_lesson(save, capsys):
    lesson = "calculus-and-ml-functions"
    answers = {"e1": "60", "e2": "120", "e3": "b", "e4": "0.5", "e5": "a", "e6": "c"}
    code, out = tutor(save, capsys, "lessons", "--json")
    ids = [e["id"] if isinstance(e, dict) else e for part in json.loads(out)["parts"] for l in part["lessons"]
           if l["id"] == lesson for e in l["exercises"]]
    assert ids and all(i.split("/")[1] in answers for i in ids)
    for exercise in ids:
        assert check(save, capsys, exercise, answers[exercise.split("/")[1]], DAY0) == 0
    levels = lambda when: {p["part"]: p["mastery"] for p in json.loads(  # noqa: E731
        tutor(save, capsys, "stats", "--json", "--now", when.isoformat())[1])["parts"]}[1]
    assert levels(DAY0)["proficient"] == 1
    later = DAY0 + timedelta(days=30)
    for exercise in ids:
        assert tutor(save, capsys, "check", exercise, answers[exercise.split("/")[1]], "--review",
                     "--now", later.isoformat())[0] == 0
    assert levels(later)["mastered"] == 1


def review_json(save: Path, capsys, when: datetime, *more: str) -> dict:
    code, out = tutor(save, capsys, "review", "--json", "--now", when.isoformat(), *more)
    assert code == 0
    return json.loads(out)


def xp_total(save: Path, capsys, when: datetime) -> int:
    code, out = tutor(save, capsys, "stats", "--json", "--now", when.isoformat())
    assert code == 0
    return json.loads(out)["xp_total"]


def test_a_reset_takes_the_practice_history_with_it_and_undo_brings_it_back(save, capsys):
    check(save, capsys, E1, "60", DAY0)
    check(save, capsys, E2, "120", DAY0)
    check(save, capsys, E4, "3", DAY0)
    later = DAY0 + timedelta(days=30)
    assert set(due_at(save, capsys, later)) == {E1, E2, E4}
    assert xp_total(save, capsys, later) == 20
    assert tutor(save, capsys, "reset", E2, "--yes")[0] == 0
    assert set(due_at(save, capsys, later)) == {E1, E4} and xp_total(save, capsys, later) == 10
    assert tutor(save, capsys, "reset", "--undo")[0] == 0
    assert set(due_at(save, capsys, later)) == {E1, E2, E4} and xp_total(save, capsys, later) == 20
    assert tutor(save, capsys, "reset", "calculus-and-ml-functions", "--yes")[0] == 0
    assert due_at(save, capsys, later) == {} and xp_total(save, capsys, later) == 0
    assert tutor(save, capsys, "reset", "--undo")[0] == 0
    assert tutor(save, capsys, "reset", "--all", "--yes")[0] == 0
    assert due_at(save, capsys, later) == {} and xp_total(save, capsys, later) == 0


def test_the_reset_question_says_the_review_history_goes_too(save, capsys, monkeypatch):
    import io

    check(save, capsys, E1, "60", DAY0)
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    code, out = tutor(save, capsys, "reset", "--all")
    assert code == 1 and "with its review history, XP and mastery?" in out
    assert xp_total(save, capsys, DAY0) == 10  # a no changes nothing


def test_review_json_names_the_variant_a_review_serves_next(save, capsys, make_course):
    from lessonkit import exercise, front_matter

    family = ("id: a/e1\nkind: numeric\nprompt: Slope of x² at x = {k}?\nanswer: 2*k\n"
              "params:\n  k: {range: [2, 40], value: 3}\nsolution: 2·{k}.\n")
    plain = "id: a/e2\nkind: numeric\nprompt: 2 + 2?\nanswer: \"4\"\nsolution: Four.\n"
    folder = make_course({"a": front_matter("a") + "\nText.\n\n" + exercise(family) + "\n" + exercise(plain)})
    lessons = ("--lessons", str(folder))
    assert tutor(save, capsys, "check", "a/e1", "1", "--now", DAY0.isoformat(), *lessons)[0] == 1
    assert tutor(save, capsys, "check", "a/e1", "6", "--now", DAY0.isoformat(), *lessons)[0] == 0
    assert tutor(save, capsys, "check", "a/e2", "4", "--now", DAY0.isoformat(), *lessons)[0] == 0
    due = {e["exercise"]: e["seed"] for e in review_json(save, capsys, DAY0 + timedelta(days=30), *lessons)["due"]}
    assert due == {"a/e1": 1, "a/e2": 0}  # a fresh variant; an exercise without variants as written
def test_stats_list_the_achievements_in_text_and_json(save, capsys):
    lesson = "calculus-and-ml-functions"
    answers = {"e1": "60", "e2": "120", "e3": "b", "e4": "0.5", "e5": "a", "e6": "c"}
    ids = [f"{lesson}/{key}" for key in answers]
    assert check(save, capsys, ids[0], "7", DAY0) == 1  # a wrong try: not a first try
    for n, exercise in enumerate(ids):
        assert check(save, capsys, exercise, answers[exercise.split("/")[1]], DAY0 + timedelta(minutes=n + 1)) == 0
    later = DAY0 + timedelta(days=30)
    for n, exercise in enumerate(ids):
        when = (later + timedelta(minutes=n)).isoformat()
        answer = answers[exercise.split("/")[1]]
        assert tutor(save, capsys, "check", exercise, answer, "--review", "--now", when)[0] == 0
    code, out = tutor(save, capsys, "stats", "--json", "--now", (later + timedelta(hours=1)).isoformat())
    found = {a["id"]: a for a in json.loads(out)["achievements"]}
    assert code == 0 and set(found["first-mastery"]) == {"id", "title", "asks", "earned", "progress"}
    # Mastered by the last review pass; 5 + 6 first tries (the helped one is not).
    assert found["first-mastery"]["earned"] == (later + timedelta(minutes=len(ids) - 1)).isoformat()
    assert found["first-try-25"] == {**found["first-try-25"], "earned": None, "progress": [11, 25]}
    assert found["part-1"]["earned"] is None and found["part-1"]["progress"][0] == 1
    code, out = tutor(save, capsys, "stats", "--now", (later + timedelta(hours=1)).isoformat())
    assert f"★ {found['first-mastery']['title']} · earned {later.date().isoformat()}" in out
    assert f"○ {found['first-try-25']['title']} · 11 / 25 solves at the first try" in out
