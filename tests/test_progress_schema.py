"""The save format: validation that names the bad field, parse errors, migrations, round-trips."""

from __future__ import annotations

import copy
import json
from datetime import timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.progress import model, schema
from tutor.progress.errors import FutureVersionError, SchemaError
from tutor.progress.schema import CURRENT_VERSION, MIGRATIONS, dumps, encode, loads, profile_to_dict

FIXTURES = Path(__file__).parent / "progress"


def v2() -> dict:
    return json.loads((FIXTURES / "v2.json").read_text("utf-8"))


def raw(data: dict) -> bytes:
    return json.dumps(data).encode()


def test_fixture_is_current_schema_and_loads():
    profile, version = loads((FIXTURES / "v2.json").read_bytes())
    assert version == CURRENT_VERSION == 2
    assert profile.exercises["chain-rule/e1"].status == "solved"
    assert profile.exercises["chain-rule/e1"].attempts[0].diagnosis == "missing-inner-derivative"
    assert profile.exercises["product-and-quotient-rules/e4"].drafts == {"b": "x^2"}
    when = "2026-11-21T10:09:12.654321+00:00"
    assert profile.lessons["chain-rule"] == model.LessonPosition(2, 14.0, "chain-rule/e3", when)


def test_dumps_is_readable_json_that_reads_back():
    profile, _ = loads((FIXTURES / "v2.json").read_bytes())
    text = dumps(profile)
    assert json.loads(text) == profile_to_dict(profile)
    assert loads(text.encode())[0] == profile
    lines = text.splitlines()
    assert lines[1] == '  "schema_version": 2,'
    # one attempt per line, so a person can read and diff the file
    assert sum('"answer":' in line for line in lines) == 6
    assert "x*cos(x) + sin(x)" in text


def _set(data: dict, path: tuple, value) -> dict:
    data = copy.deepcopy(data)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


DELETE = object()
E1 = ("exercises", "chain-rule/e1")

BAD_FIELDS = [
    (E1 + ("attempts", 1, "status"), "right", "exercises['chain-rule/e1'].attempts[1].status",
     "expected one of 'correct', 'incorrect', 'invalid', got 'right'"),
    (E1 + ("attempts", 0, "time"), "yesterday", "exercises['chain-rule/e1'].attempts[0].time", "expected a time"),
    (E1 + ("attempts", 0, "answer"), 42, "exercises['chain-rule/e1'].attempts[0].answer", "expected a string, got 42"),
    (E1 + ("attempts", 0, "answer"), DELETE, "exercises['chain-rule/e1'].attempts[0].answer", "missing"),
    (E1 + ("attempts", 0, "colour"), "red", "exercises['chain-rule/e1'].attempts[0].colour", "unknown field"),
    (E1 + ("attempts",), {"0": {}}, "exercises['chain-rule/e1'].attempts", "expected a list, got an object"),
    (E1 + ("status",), "done", "exercises['chain-rule/e1'].status", "expected one of 'unseen'"),
    (E1 + ("hints_used",), "2", "exercises['chain-rule/e1'].hints_used", "expected a whole number, got '2'"),
    (E1 + ("hints_used",), -1, "exercises['chain-rule/e1'].hints_used", "expected a number >= 0"),
    (E1 + ("hints_used",), True, "exercises['chain-rule/e1'].hints_used", "expected a whole number, got true"),
    (E1 + ("revealed",), 0, "exercises['chain-rule/e1'].revealed", "expected true or false"),
    (E1 + ("first_solved",), 5, "exercises['chain-rule/e1'].first_solved", "expected a string"),
    (E1 + ("parts_solved",), [1], "exercises['chain-rule/e1'].parts_solved[0]", "expected a string"),
    (E1 + ("drafts",), {"a": None}, "exercises['chain-rule/e1'].drafts['a']", "expected a string, got null"),
    (E1, [], "exercises['chain-rule/e1']", "expected an object, got a list"),
    (("exercises",), [], "exercises", "expected an object"),
    (("lessons", "chain-rule", "scroll"), -3, "lessons['chain-rule'].scroll", "expected a finite number >= 0"),
    (("lessons", "chain-rule", "page"), 1.5, "lessons['chain-rule'].page", "expected a whole number"),
    (("settings", "theme"), {"name": "dark"}, "settings['theme']", "expected a string, number"),
    (("last_lesson",), 3, "last_lesson", "expected a string"),
    (("totals",), 3, "totals", "expected an object"),
    (("created",), "2026-13-45", "created", "expected a time"),
    (("mystery",), 1, "mystery", "unknown field"),
    (("schema_version",), "2", "schema_version", "expected a whole number, got '2'"),
    (("schema_version",), True, "schema_version", "expected a whole number"),
    (("schema_version",), 0, "schema_version", "no tutor wrote schema 0"),
    (("schema_version",), DELETE, "schema_version", "missing"),
]


@pytest.mark.parametrize(
    ("path", "value", "where", "what"), BAD_FIELDS, ids=[f"{b[2]}:{b[1]}" for b in BAD_FIELDS]
)
def test_bad_field_is_named(path, value, where, what):
    with pytest.raises(SchemaError) as info:
        loads(raw(_set(v2(), path, value)))
    assert info.value.where == where
    assert what in info.value.what


def test_optional_fields_may_be_left_out():
    profile, _ = loads(b'{"schema_version": 2, "exercises": {"a/e1": {"status": "solved"}}}')
    assert profile.exercises["a/e1"] == model.ExerciseProgress(status="solved")
    assert profile.settings == {} and profile.last_lesson is None


@pytest.mark.parametrize(
    ("data", "where", "what"),
    [
        (b"", "", "the file is empty"),
        (b"  \n\t", "", "the file is empty"),
        (b"\x00\x00\x00\x00", "byte 0", "NUL bytes"),
        (b'{"schema_version": 2,\x00\x00}', "byte 21", "NUL bytes"),
        (b'{"schema_version": 2, "profile": "\xff"}', "byte 34", "not UTF-8"),
        (b'{"schema_version": 2, "exercises": {', "line 1, column 37", "truncated"),
        (b'{"schema_version": 2,,}', "line 1, column 22", "not valid JSON"),
        (b"[1, 2]", "top level", "expected an object, got a list"),
        (b'"hello"', "top level", "expected an object, got 'hello'"),
        (b"null", "top level", "expected an object, got null"),
        (b'{"schema_version": 2, "schema_version": 2}', "top level", "'schema_version' appears more than once"),
        (b'{"schema_version": 2, "lessons": {"a": {"scroll": NaN}}}', "", "NaN is not allowed"),
    ],
)
def test_unreadable_text(data, where, what):
    with pytest.raises(SchemaError) as info:
        loads(data)
    assert info.value.where == where
    assert what in info.value.what


def test_absurd_nesting_is_an_error_not_a_crash():
    with pytest.raises(SchemaError) as info:
        loads(b"[" * 100_000 + b"]" * 100_000)
    assert "nested too deeply" in info.value.what


def test_truncated_real_file_names_a_line():
    text = (FIXTURES / "v2.json").read_bytes()
    for cut in (len(text) // 3, len(text) // 2, len(text) - 5):
        with pytest.raises(SchemaError) as info:
            loads(text[:cut])
        assert info.value.where.startswith("line ")


def test_utf8_bom_is_accepted():
    profile, _ = loads(b"\xef\xbb\xbf" + (FIXTURES / "v2.json").read_bytes())
    assert profile.settings == {"theme": "light"}


def test_future_version_is_refused_with_both_numbers():
    with pytest.raises(FutureVersionError) as info:
        loads(b'{"schema_version": 5, "anything": ["goes"]}')
    assert "written by a newer tutor (schema 5; this one reads up to 2)" in str(info.value)
    assert info.value.version == 5


# --- migrations ----------------------------------------------------------------------------


def test_every_older_version_has_a_migration_and_a_fixture():
    assert sorted(MIGRATIONS) == list(range(1, CURRENT_VERSION))
    for version in MIGRATIONS:
        profile, read = loads((FIXTURES / f"v{version}.json").read_bytes())
        assert read == version
        assert isinstance(profile, model.Profile)


def test_migrate_1_to_2():
    data = json.loads((FIXTURES / "v1.json").read_text("utf-8"))
    migrated = schema.migrate_1_to_2(data)
    assert migrated["schema_version"] == 2
    profile = schema.profile_from_current(migrated)
    assert {i for i, r in profile.exercises.items() if r.status == "solved"} == {
        "chain-rule/e1",
        "chain-rule/e2",
        "power-and-sum-rules/e4",
    }
    e1 = profile.exercises["chain-rule/e1"]
    assert e1.attempts == [] and e1.first_solved is None and e1.solved_hash is None
    assert e1.drafts == {}  # an empty draft was nothing to keep
    assert profile.exercises["chain-rule/e3"] == model.ExerciseProgress(status="unseen", drafts={"": "cos(x^2)*2x"})
    assert profile.settings == {"theme": "dark"}
    assert profile.last_lesson == "chain-rule"
    model.parse_time(profile.created)  # a real time, so the migrated file validates


def test_migrated_file_reads_back_identically_as_current_schema():
    profile, _ = loads((FIXTURES / "v1.json").read_bytes())
    again, version = loads(encode(profile))
    assert version == CURRENT_VERSION
    assert again == profile


@pytest.mark.parametrize(
    ("data", "where"),
    [
        ({"schema_version": 1, "solved": "chain-rule/e1"}, "solved"),
        ({"schema_version": 1, "solved": ["a/e1", 7]}, "solved[1]"),
        ({"schema_version": 1, "drafts": {"a/e1": 3}}, "drafts['a/e1']"),
        ({"schema_version": 1, "theme": ["dark"]}, "theme"),
        ({"schema_version": 1, "exercises": {}}, "exercises"),
    ],
)
def test_bad_v1_file_is_named_before_migrating(data, where):
    with pytest.raises(SchemaError) as info:
        loads(raw(data))
    assert info.value.where == where
    assert "(in a schema 1 file)" in info.value.what


# --- round-trips ---------------------------------------------------------------------------

times = st.datetimes(timezones=st.just(timezone.utc)).map(lambda d: d.isoformat(timespec="microseconds"))
# Any code point (surrogates too: undecodable terminal input arrives as them), plus the
# characters most likely to upset an encoder, often.
awkward = ["\udcff", "\ud800", "²", "σ", "\x00", '"', "\\", "\n"]
chars = st.characters(exclude_categories=()) | st.sampled_from(awkward)
text = st.text(chars, max_size=20)
ids = st.text(chars, min_size=1, max_size=12)
attempts = st.builds(
    model.Attempt,
    time=times,
    answer=text,
    status=st.sampled_from(model.VERDICT_STATUSES),
    part=st.sampled_from(["", "a", "b"]),
    diagnosis=st.none() | text,
    message=text,
)
records = st.builds(
    model.ExerciseProgress,
    status=st.sampled_from(model.STATUSES),
    attempts=st.lists(attempts, max_size=4),
    hints_used=st.integers(0, 10**6),
    revealed=st.booleans(),
    first_solved=st.none() | times,
    solved_hash=st.none() | text,
    parts_solved=st.lists(st.sampled_from(["", "a", "b"]), unique=True).map(sorted),
    drafts=st.dictionaries(st.sampled_from(["", "a", "b"]), text, max_size=3),
)
positions = st.builds(
    model.LessonPosition,
    page=st.integers(0, 10**6),
    scroll=st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False),
    focused_exercise=st.none() | ids,
    updated=st.just("") | times,
)
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | text
profiles = st.builds(
    model.Profile,
    name=text,
    created=st.just("") | times,
    updated=st.just("") | times,
    last_lesson=st.none() | ids,
    settings=st.dictionaries(ids, scalars, max_size=3),
    lessons=st.dictionaries(ids, positions, max_size=3),
    exercises=st.dictionaries(ids, records, max_size=5),
)


@settings(max_examples=300, deadline=None)
@given(profiles)
def test_round_trip(profile):
    again, version = loads(encode(profile))
    assert version == CURRENT_VERSION
    assert again == profile
    # and the value types survive, which == alone would not show (1 == 1.0 == True)
    assert [type(v) for v in again.settings.values()] == [type(v) for v in profile.settings.values()]


@settings(max_examples=100, deadline=None)
@given(profiles)
def test_encoded_file_is_valid_utf8_json(profile):
    data = encode(profile)
    data.decode("utf-8")  # strict: lone surrogates were escaped, not written raw
    assert json.loads(data)["schema_version"] == CURRENT_VERSION
