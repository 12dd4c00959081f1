"""The save file format: strict JSON validation that names the bad field, and migrations.

Current format, schema 2 (one file per profile, `<profile>.json`)::

    {
      "schema_version": 2,
      "profile": "default",
      "created": "2026-11-21T10:04:05.123456+00:00",
      "updated": "2026-11-21T10:09:12.654321+00:00",
      "last_lesson": "chain-rule",                  # or null
      "settings": {"theme": "dark"},                # string keys, scalar values
      "totals": {...},                              # written for people; recomputed, never read
      "lessons": {
        "chain-rule": {"page": 2, "scroll": 14.0, "focused_exercise": "chain-rule/e3",
                       "updated": "..."}
      },
      "exercises": {
        "chain-rule/e1": {
          "status": "solved",        # unseen | attempted | revealed | solved-with-help | solved
          "attempts": [{"time": "...", "part": "", "answer": "3*x^2*cos(x^3)",
                        "status": "correct", "diagnosis": null, "message": "Correct."}],
          "hints_used": 0, "revealed": false, "first_solved": "...",
          "solved_hash": "9f1c...", "parts_solved": [""], "drafts": {}
        }
      },
      "practice_events": [                          # optional: the practice game's history
        {"exercise": "chain-rule/e1", "time": "...", "what": "correct", "review": false, "seed": null}
      ]
    }

Fields other than `schema_version` may be left out (they take their defaults); unknown fields,
wrong types and impossible values are errors, so a hand edit is never half-understood and then
silently dropped on the next write.

Schema 1, the earlier shape (still read, migrated on load)::

    {"schema_version": 1, "solved": ["chain-rule/e1"], "drafts": {"chain-rule/e2": "cos(x)"},
     "last_lesson": "chain-rule", "theme": "dark"}

Every migration turns the dict of version n into a dict of version n + 1 and is registered in
`MIGRATIONS`; loading applies them in turn, then validates the result as the current schema.
"""

from __future__ import annotations

import json
import math
from typing import Any, Callable

from tutor.progress.errors import FutureVersionError, SchemaError
from tutor.progress.model import (
    EVENT_WHATS,
    STATUSES,
    VERDICT_STATUSES,
    Attempt,
    ExerciseProgress,
    LessonPosition,
    PracticeEvent,
    Profile,
    now,
    parse_time,
    totals,
)

CURRENT_VERSION = 2


# --- reading helpers: each checks one value and names its place on failure ------------------


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, (int, float)):
        return f"{value!r} (a number)"
    if isinstance(value, str):
        return f"{_short(value)} (a string)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _field(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SchemaError(where or "top level", f"expected an object, got {_kind(value)}")
    dupes = getattr(value, "duplicates", None)
    if dupes:
        raise SchemaError(where or "top level", f"key {dupes[0]!r} appears more than once")
    return value


def _only(obj: dict[str, Any], where: str, allowed: tuple[str, ...]) -> None:
    for key in obj:
        if key not in allowed:
            raise SchemaError(_field(where, key), f"unknown field (expected one of: {', '.join(allowed)})")


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise SchemaError(where, f"expected a string, got {_kind(value)}")
    return value


def _opt_str(value: Any, where: str) -> str | None:
    return None if value is None else _str(value, where)


def _int(value: Any, where: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SchemaError(where, f"expected a whole number, got {_kind(value)}")
    if value < minimum:
        raise SchemaError(where, f"expected a number >= {minimum}, got {value}")
    return value


def _num(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SchemaError(where, f"expected a number, got {_kind(value)}")
    if not math.isfinite(value) or value < 0:
        raise SchemaError(where, f"expected a finite number >= 0, got {value}")
    return float(value)


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise SchemaError(where, f"expected true or false, got {_kind(value)}")
    return value


def _time(value: Any, where: str) -> str:
    text = _str(value, where)
    try:
        parse_time(text)
    except ValueError:
        raise SchemaError(where, f"expected a time like 2026-11-21T10:04:05+00:00, got {_short(text)}") from None
    return text


def _opt_time(value: Any, where: str) -> str | None:
    return None if value is None else _time(value, where)


def _choice(value: Any, where: str, options: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in options:
        listed = ", ".join(repr(o) for o in options)
        raise SchemaError(where, f"expected one of {listed}, got {_kind(value)}")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise SchemaError(where, f"expected a list, got {_kind(value)}")
    return value


def _key(key: str, where: str) -> str:
    if not key:
        raise SchemaError(f"{where}['']", "an empty key is not allowed")
    return key


# --- schema 2 ------------------------------------------------------------------------------

_TOP = ("schema_version", "profile", "created", "updated", "last_lesson", "settings", "totals", "lessons", "exercises",
        "practice_events")
_EXERCISE = ("status", "attempts", "hints_used", "revealed", "first_solved", "solved_hash", "parts_solved", "drafts")
_ATTEMPT = ("time", "part", "answer", "status", "diagnosis", "message", "seed")
_POSITION = ("page", "scroll", "focused_exercise", "updated")
_EVENT = ("exercise", "time", "what", "review", "seed")


def _required(obj: dict, where: str, fields: tuple[str, ...]) -> None:
    for name in fields:
        if name not in obj:
            raise SchemaError(_field(where, name), "missing")


def _event(value: Any, where: str) -> PracticeEvent:
    obj = _obj(value, where)
    _only(obj, where, _EVENT)
    _required(obj, where, ("exercise", "time", "what"))
    seed = obj.get("seed")
    return PracticeEvent(
        exercise=_key(_str(obj["exercise"], _field(where, "exercise")), _field(where, "exercise")),
        time=_time(obj["time"], _field(where, "time")),
        what=_choice(obj["what"], _field(where, "what"), EVENT_WHATS),
        review=_bool(obj.get("review", False), _field(where, "review")),
        seed=None if seed is None else _seed(seed, _field(where, "seed")),
    )


def _attempt(value: Any, where: str) -> Attempt:
    obj = _obj(value, where)
    _only(obj, where, _ATTEMPT)
    _required(obj, where, ("time", "answer", "status"))
    return Attempt(
        time=_time(obj["time"], _field(where, "time")),
        answer=_str(obj["answer"], _field(where, "answer")),
        status=_choice(obj["status"], _field(where, "status"), VERDICT_STATUSES),
        part=_str(obj.get("part", ""), _field(where, "part")),
        diagnosis=_opt_str(obj.get("diagnosis"), _field(where, "diagnosis")),
        message=_str(obj.get("message", ""), _field(where, "message")),
        seed=_seed(obj.get("seed", 0), _field(where, "seed")),
    )


def _seed(value: Any, where: str) -> int:
    if type(value) is not int or value < 0:
        raise SchemaError(where, "expected a whole number from 0 (the variant answered)")
    return value


def _exercise(value: Any, where: str) -> ExerciseProgress:
    obj = _obj(value, where)
    _only(obj, where, _EXERCISE)
    attempts_where = _field(where, "attempts")
    raw_attempts = _list(obj.get("attempts", []), attempts_where)
    attempts = [_attempt(a, f"{attempts_where}[{i}]") for i, a in enumerate(raw_attempts)]
    parts_where = _field(where, "parts_solved")
    parts = [_str(p, f"{parts_where}[{i}]") for i, p in enumerate(_list(obj.get("parts_solved", []), parts_where))]
    drafts_where = _field(where, "drafts")
    drafts = {k: _str(v, f"{drafts_where}[{k!r}]") for k, v in _obj(obj.get("drafts", {}), drafts_where).items()}
    return ExerciseProgress(
        status=_choice(obj.get("status", "unseen"), _field(where, "status"), STATUSES),
        attempts=attempts,
        hints_used=_int(obj.get("hints_used", 0), _field(where, "hints_used")),
        revealed=_bool(obj.get("revealed", False), _field(where, "revealed")),
        first_solved=_opt_time(obj.get("first_solved"), _field(where, "first_solved")),
        solved_hash=_opt_str(obj.get("solved_hash"), _field(where, "solved_hash")),
        parts_solved=sorted(set(parts)),
        drafts=drafts,
    )


def _position(value: Any, where: str) -> LessonPosition:
    obj = _obj(value, where)
    _only(obj, where, _POSITION)
    updated = obj.get("updated", "")
    return LessonPosition(
        page=_int(obj.get("page", 0), _field(where, "page")),
        scroll=_num(obj.get("scroll", 0.0), _field(where, "scroll")),
        focused_exercise=_opt_str(obj.get("focused_exercise"), _field(where, "focused_exercise")),
        updated=_time(updated, _field(where, "updated")) if updated != "" else "",
    )


def _setting(value: Any, where: str) -> str | int | float | bool | None:
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    raise SchemaError(where, f"expected a string, number, true/false or null, got {_kind(value)}")


def profile_from_current(data: dict[str, Any]) -> Profile:
    """Validate a schema-2 dict (the top level already known to be an object)."""
    _only(data, "", _TOP)
    settings_obj = _obj(data.get("settings", {}), "settings")
    lessons_obj = _obj(data.get("lessons", {}), "lessons")
    exercises_obj = _obj(data.get("exercises", {}), "exercises")
    if "totals" in data:
        _obj(data["totals"], "totals")  # derived numbers for people to read; recomputed, so not read
    created = data.get("created", "")
    updated = data.get("updated", "")
    practice = None  # a save without them: the store derives events from the attempts
    if "practice_events" in data:
        raw_events = _list(data["practice_events"], "practice_events")
        practice = tuple(_event(e, f"practice_events[{i}]") for i, e in enumerate(raw_events))
    return Profile(
        name=_str(data.get("profile", ""), "profile"),
        created=_time(created, "created") if created != "" else "",
        updated=_time(updated, "updated") if updated != "" else "",
        last_lesson=_opt_str(data.get("last_lesson"), "last_lesson"),
        settings={_key(k, "settings"): _setting(v, f"settings[{k!r}]") for k, v in settings_obj.items()},
        lessons={_key(k, "lessons"): _position(v, f"lessons[{k!r}]") for k, v in lessons_obj.items()},
        exercises={_key(k, "exercises"): _exercise(v, f"exercises[{k!r}]") for k, v in exercises_obj.items()},
        practice=practice,
    )


def profile_to_dict(profile: Profile) -> dict[str, Any]:
    t = totals(profile)
    return {
        "schema_version": CURRENT_VERSION,
        "profile": profile.name,
        "created": profile.created,
        "updated": profile.updated,
        "last_lesson": profile.last_lesson,
        "settings": dict(profile.settings),
        "totals": {
            "exercises": t.exercises,
            "solved": t.solved,
            "solved_with_help": t.solved_with_help,
            "revealed": t.revealed,
            "attempted": t.attempted,
            "attempts": t.attempts,
            "hints": t.hints,
        },
        "lessons": {
            lesson_id: {
                "page": p.page,
                "scroll": p.scroll,
                "focused_exercise": p.focused_exercise,
                "updated": p.updated,
            }
            for lesson_id, p in sorted(profile.lessons.items())
        },
        "exercises": {
            exercise_id: {
                "status": r.status,
                "attempts": [
                    {
                        "time": a.time,
                        "part": a.part,
                        "answer": a.answer,
                        "status": a.status,
                        "diagnosis": a.diagnosis,
                        "message": a.message,
                        **({"seed": a.seed} if a.seed else {}),  # written only for a variant
                    }
                    for a in r.attempts
                ],
                "hints_used": r.hints_used,
                "revealed": r.revealed,
                "first_solved": r.first_solved,
                "solved_hash": r.solved_hash,
                "parts_solved": list(r.parts_solved),
                "drafts": dict(r.drafts),
            }
            for exercise_id, r in sorted(profile.exercises.items())
        },
        # The practice game's history (review flags, variants, shown times), when this copy has it.
        **({} if profile.practice is None else {"practice_events": [
            {"exercise": e.exercise, "time": e.time, "what": e.what, "review": e.review, "seed": e.seed}
            for e in profile.practice]}),
    }


# --- schema 1 and migrations ---------------------------------------------------------------


def _check_v1(data: dict[str, Any]) -> None:
    _only(data, "", ("schema_version", "solved", "drafts", "last_lesson", "theme"))
    for i, item in enumerate(_list(data.get("solved", []), "solved")):
        _key(_str(item, f"solved[{i}]"), "solved")
    for k, v in _obj(data.get("drafts", {}), "drafts").items():
        _key(k, "drafts")
        _str(v, f"drafts[{k!r}]")
    _opt_str(data.get("last_lesson"), "last_lesson")
    _opt_str(data.get("theme"), "theme")


def migrate_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 kept only solved ids and drafts. Their attempts, times and content hashes were
    never recorded, so they stay unknown (no `first_solved`, no `solved_hash`: never flagged)."""
    _check_v1(data)
    t = now()
    exercises: dict[str, dict[str, Any]] = {}
    for exercise_id in data.get("solved", []):
        exercises[exercise_id] = {"status": "solved"}
    for exercise_id, text in data.get("drafts", {}).items():
        if text:
            exercises.setdefault(exercise_id, {})["drafts"] = {"": text}
    theme = data.get("theme")
    return {
        "schema_version": 2,
        "created": t,
        "updated": t,
        "last_lesson": data.get("last_lesson"),
        "settings": {} if theme is None else {"theme": theme},
        "exercises": exercises,
    }


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: migrate_1_to_2}


def profile_from_dict(data: Any) -> tuple[Profile, int]:
    """A profile from parsed JSON of any supported version; also returns the version it had."""
    obj = _obj(data, "")
    if "schema_version" not in obj:
        raise SchemaError("schema_version", "missing (is this a tutor save file?)")
    version = obj["schema_version"]
    if isinstance(version, bool) or not isinstance(version, int):
        raise SchemaError("schema_version", f"expected a whole number, got {_kind(version)}")
    if version > CURRENT_VERSION:
        raise FutureVersionError(version, CURRENT_VERSION)
    if version < 1:
        raise SchemaError("schema_version", f"no tutor wrote schema {version}; the first is 1")
    original = version
    while version < CURRENT_VERSION:
        try:
            obj = MIGRATIONS[version](obj)
        except SchemaError as exc:
            raise SchemaError(exc.where, f"{exc.what} (in a schema {version} file)") from None
        version += 1
    return profile_from_current(obj), original


# --- text ----------------------------------------------------------------------------------


class _Object(dict):
    """A JSON object that remembers keys given twice, which plain `json` would silently merge."""

    duplicates: list[str]


def _pairs(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object()
    obj.duplicates = []
    for key, value in pairs:
        if key in obj:
            obj.duplicates.append(key)
        obj[key] = value
    return obj


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not allowed in a save file")


def parse_json(raw: bytes) -> Any:
    """Bytes to JSON values, with errors that say where the text goes wrong."""
    if not raw.strip():
        raise SchemaError("", "the file is empty")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise SchemaError(f"byte {nul}", "the file contains NUL bytes (damaged, perhaps by a crash or a disk error)")
    try:
        text = raw.decode("utf-8-sig")  # tolerate the BOM some editors add
    except UnicodeDecodeError as exc:
        raise SchemaError(f"byte {exc.start}", "not UTF-8 text") from None
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        what = exc.msg
        if exc.pos >= len(text.rstrip()):
            what += " (the file ends too early: truncated?)"
        raise SchemaError(f"line {exc.lineno}, column {exc.colno}", f"not valid JSON: {what}") from None
    except ValueError as exc:  # NaN / Infinity
        raise SchemaError("", str(exc)) from None
    except RecursionError:
        raise SchemaError("", "nested too deeply to be a save file") from None


def loads(raw: bytes) -> tuple[Profile, int]:
    """Parse and validate save-file bytes; returns the profile and the schema version read."""
    return profile_from_dict(parse_json(raw))


# One encoder for every value: json.dumps with options builds a new one per call, which
# dominated the cost of a save.
_enc: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode


def _block(mapping: dict[str, Any], pad: str, render: Callable[[Any, str], str]) -> str:
    if not mapping:
        return "{}"
    inner = pad + "  "
    items = ",\n".join(f"{inner}{_enc(k)}: {render(v, inner)}" for k, v in mapping.items())
    return "{\n" + items + "\n" + pad + "}"


def _render_record(record: dict[str, Any], pad: str) -> str:
    def field(value: Any, inner: str) -> str:
        if isinstance(value, list) and value and isinstance(value[0], dict):
            rows = ",\n".join(inner + "  " + _enc(item) for item in value)  # one attempt per line
            return "[\n" + rows + "\n" + inner + "]"
        return _enc(value)

    return _block(record, pad, field)


def dumps(profile: Profile) -> str:
    """Human-readable JSON of the current schema, ending with a newline: one line per field, one
    per attempt. (json.dumps with indent= would do, but it is several times slower, and this runs
    on every save.)"""
    data = profile_to_dict(profile)
    lines = []
    for key, value in data.items():
        if key == "lessons":
            text = _block(value, "  ", lambda v, _: _enc(v))
        elif key == "exercises":
            text = _block(value, "  ", _render_record)
        elif key == "practice_events":
            text = "[\n" + ",\n".join("    " + _enc(e) for e in value) + "\n  ]" if value else "[]"
        else:
            text = _enc(value)
        lines.append(f"  {_enc(key)}: {text}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def encode(profile: Profile) -> bytes:
    """The save file's bytes. A lone surrogate (undecodable terminal input arrives as one) cannot
    be UTF-8; it only occurs inside JSON strings, so writing it as a \\udcXX escape is valid
    JSON that reads back as the same text."""
    return dumps(profile).encode("utf-8", "backslashreplace")
