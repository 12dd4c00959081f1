"""The database store against the plain model: any sequence of changes leaves the store (its
in-memory profile and what a fresh open reads from disk) equal to the model functions applied
to a Profile in memory. This is what makes writing only the rows that differ safe."""

from __future__ import annotations

from dataclasses import asdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.progress import model
from tutor.progress.model import Profile
from tutor.progress.store import open_profile

EXERCISES = ["a/e1", "a/e2", "b/e1"]
PARTS = ("", "x")
texts = st.text(alphabet=st.characters(codec="utf-8") | st.just("\udcff"), max_size=6)

ops = st.lists(
    st.one_of(
        st.tuples(st.just("attempt"), st.sampled_from(EXERCISES), texts, st.sampled_from(model.VERDICT_STATUSES),
                  st.sampled_from(PARTS)),
        st.tuples(st.just("hint"), st.sampled_from(EXERCISES), st.integers(1, 3)),
        st.tuples(st.just("reveal"), st.sampled_from(EXERCISES)),
        st.tuples(st.just("draft"), st.sampled_from(EXERCISES), texts),
        st.tuples(st.just("position"), st.sampled_from(["a", "b"]), st.integers(0, 3)),
        st.tuples(st.just("setting"), st.sampled_from(["theme", "speed"]), st.one_of(st.none(), st.booleans(), st.integers(-3, 3), texts)),
        st.tuples(st.just("reset_exercise"), st.sampled_from(EXERCISES)),
        st.tuples(st.just("reset_lesson"), st.sampled_from(["a", "b"])),
        st.tuples(st.just("reset_all")),
        st.tuples(st.just("undo")),
    ),
    max_size=14,
)


def shape(profile: Profile) -> dict:
    """Everything but the clock: times differ between the two runs by construction."""
    return {
        "last_lesson": profile.last_lesson,
        "settings": profile.settings,
        "lessons": {k: (p.page, p.scroll, p.focused_exercise) for k, p in profile.lessons.items()},
        "exercises": {
            k: {
                **{f: v for f, v in asdict(r).items() if f not in ("attempts", "first_solved")},
                "solved_once": r.first_solved is not None,
                "attempts": [(a.answer, a.status, a.part, a.diagnosis, a.message) for a in r.attempts],
            }
            for k, r in profile.exercises.items()
        },
    }


def part_of(profile: Profile, ids: list[str]) -> Profile:
    """What a reset keeps for undo: the head and the exercises it touches."""
    kept = profile.copy()
    kept.exercises = {i: r for i, r in kept.exercises.items() if i in ids}
    return kept


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=ops)
def test_the_store_equals_the_model(tmp_path_factory, steps):
    folder = tmp_path_factory.mktemp("eq")
    store, issue = open_profile(folder)
    assert issue is None
    expected = model.new_profile("default")
    undo: Profile | None = None
    for step in steps:
        kind, *args = step
        if kind == "attempt":
            exercise_id, answer, status, part = args
            store.record_attempt(exercise_id, answer, status, part=part, parts=PARTS, message=answer)
            model.apply_attempt(expected, exercise_id, answer, status, part=part, parts=PARTS, message=answer)
        elif kind == "hint":
            store.record_hint(*args)
            model.apply_hint(expected, *args)
        elif kind == "reveal":
            store.record_reveal(args[0], "h")
            model.apply_reveal(expected, args[0], content_hash="h")
        elif kind == "draft":
            store.set_draft(args[0], args[1])
            model.apply_draft(expected, args[0], args[1])
        elif kind == "position":
            store.set_position(args[0], args[1])
            model.apply_position(expected, args[0], args[1])
        elif kind == "setting":
            store.set_setting(*args)
            model.apply_setting(expected, *args)
        elif kind.startswith("reset"):
            if kind == "reset_exercise":
                ids, done = args, store.reset_exercise(args[0])
            elif kind == "reset_lesson":
                ids = [i for i in expected.exercises if model.lesson_of(i) == args[0]]
                done = store.reset_lesson(args[0])
            else:
                ids, done = list(expected.exercises), store.reset_all()
            before = part_of(expected, ids)
            change = {"reset_exercise": model.reset_exercise, "reset_lesson": model.reset_lesson}.get(kind)
            assert done == (change(expected, *args) if change else model.reset_all(expected))
            if done:
                undo = before
        else:
            assert store.undo_reset() == (undo is not None)
            if undo is not None:
                expected = model.merge_profiles(expected, undo)
                undo = None
        assert shape(store.profile) == shape(expected), step
    reopened, issue = open_profile(folder)
    assert issue is None
    assert shape(reopened.profile) == shape(expected)
    if _head_stored(store.path):  # with nothing written yet, each just made up a new profile
        assert reopened.profile == store.profile  # times included
    store.close(backup=False)
    reopened.close(backup=False)


def _head_stored(path) -> bool:
    """The profile's head row exists (a reset that found nothing to reset creates the file and
    its tables, but writes no profile, so there are no stored times to compare)."""
    import sqlite3

    if not path.exists():
        return False
    conn = sqlite3.connect(path)
    try:
        return bool(conn.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'profile'").fetchone()[0]
                    and conn.execute("SELECT count(*) FROM profile").fetchone()[0])
    finally:
        conn.close()
