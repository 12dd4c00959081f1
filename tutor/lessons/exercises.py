"""Turn an ```exercise block into an Exercise with one ExerciseSpec per part.

Only the shape of the data is checked here (fields, types, choice letters). Whether the
mathematics is right is the validator's job, through the checker's self-check.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import replace
from pathlib import Path
from typing import Any

from tutor import kinds
from tutor.checking.spec import ExerciseSpec, Mistake
from tutor.lessons.fences import RawBlock
from tutor.lessons.fields import Fields
from tutor.lessons.model import Exercise, ExercisePart
from tutor.lessons.report import Report
from tutor.lessons.variants import Family, VariantError, instantiate, read_family
from tutor.lessons.yamlsource import YamlError, load_yaml, plain

COMMON_FIELDS = ("id", "kind", "prompt", "hints", "solution", "mistakes", "parts")
PART_FIELDS = ("key", "prompt", "kind", "mistakes")
MISTAKE_FIELDS = ("answer", "message")
TOLERANCE_FIELDS = ("rel", "abs")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def build_exercise(block: RawBlock, report: Report) -> Exercise | None:
    """The exercise, or None (with problems reported) when any of its fields is wrong."""
    try:
        data = load_yaml(block.text)
    except YamlError as exc:
        report.error(block.first_line + exc.line, exc.message)
        return None
    if not isinstance(data, dict):
        report.error(block.line, "an exercise block must hold YAML fields (name: value lines)")
        return None
    family = None
    if "params" in data or "where" in data:
        found = _family(data, report, block)
        if found is None:
            return None
        family, written = found
        template, data = data, written
    exercise = _build(data, report, block.first_line, block.line, content_hash(block.text))
    if exercise is None or family is None:
        return exercise
    return replace(exercise, family=family, template=template)


def _family(data: dict, report: Report, block: RawBlock) -> tuple[Family, dict] | None:
    """The block's variant family and the block as written (its parameters at their values), or
    None with the problem reported."""
    fields = Fields(data, report, block.first_line, block.line, f"exercise {data.get('id', '')}".strip())
    kind = data.get("kind")
    if kind in kinds.KINDS and not kinds.get(kind).checker or kind == "choice":
        fields.error("params", f"a {kind} exercise cannot have parameters (variants are for answer kinds "
                               "with formulas)")
        return None
    reserved = {"x"} | _declared_names(data)
    for part in data.get("parts") or ():
        if isinstance(part, dict):
            reserved |= _declared_names(part)
    try:
        family = read_family(str(data.get("id", "")), data.get("params"), data.get("where"), reserved)
        written = instantiate(data, family.default)
    except VariantError as exc:
        fields.error("params" if "params" in data else "where", str(exc))
        return None
    return family, written


def _declared_names(data: dict) -> set[str]:
    names: set[str] = set()
    if isinstance(data.get("var"), str):
        names.add(data["var"])
    declared = data.get("vars")
    if isinstance(declared, str):
        names |= set(declared.replace(",", " ").split())
    elif isinstance(declared, list):
        names |= {str(v) for v in declared}
    return names


def variant(exercise: Exercise, seed: int) -> Exercise:
    """Variant `seed` of an exercise with a family (seed 0: the exercise as written).
    Raises VariantError when the exercise has no variants or this one cannot be made."""
    if exercise.family is None or exercise.template is None:
        raise VariantError(f"exercise {exercise.id} has no variants")
    if seed == exercise.seed:
        return exercise
    data = instantiate(exercise.template, exercise.family.draw(seed))
    report = Report(Path("variant"))
    built = _build(data, report, 0, exercise.line, exercise.content_hash)
    if built is None or report.errors:
        problems = "; ".join(p.message for p in report.problems if p.severity == "error")
        raise VariantError(f"variant {seed} of {exercise.id} is not a valid exercise: {problems}")
    return replace(built, line=exercise.line, family=exercise.family, template=exercise.template, seed=seed)


def _build(data: dict, report: Report, first_line: int, line: int, digest: str) -> Exercise | None:
    fields = Fields(data, report, first_line, line, "exercise")
    exercise_id = fields.text("id", required=True)
    if exercise_id:
        fields.context = f"exercise {exercise_id}"
    kind = _kind(fields, "kind", required=True)
    prompt = fields.text("prompt", required=True)
    hints = fields.texts("hints") or ()
    if kind is not None and not kinds.get(kind).checker:
        solution = fields.text("solution")
        # Duplicates only: the kind's engine reads (and reports on) its own fields.
        fields.check_keys(tuple(data), f"a {kind} exercise")
        parts: tuple[ExercisePart, ...] = ()
        raw = plain(data)
    else:
        solution = fields.text("solution", required=True)
        if kind is None:
            return None
        fields.check_keys(COMMON_FIELDS + kinds.get(kind).fields, f"a {kind} exercise")
        parts = _parts(fields, kind, prompt or "")
        raw = {}
    if fields.failed or exercise_id is None or kind is None or prompt is None:
        return None
    return Exercise(
        id=exercise_id,
        kind=kind,
        prompt=prompt,
        parts=parts,
        hints=hints,
        solution=solution or "",
        line=line,
        content_hash=digest,
        data=raw,
    )


def _kind(fields: Fields, key: str, required: bool) -> str | None:
    kind = fields.text(key, required)
    if kind is not None and kind not in kinds.KINDS:
        fields.error(key, f"unknown kind '{kind}' (kinds: {', '.join(kinds.NAMES)})")
        return None
    return kind


# -- parts --------------------------------------------------------------------------------------


def _parts(fields: Fields, kind: str, prompt: str) -> tuple[ExercisePart, ...]:
    top = _kind_values(fields, kind)
    mistakes = _mistakes(fields)
    raw_parts = fields.sequence("parts")
    if raw_parts is None:
        spec = _spec(fields, kind, top, mistakes)
        return () if spec is None else (ExercisePart("", prompt, spec),)
    if not raw_parts:
        fields.error("parts", "'parts' is empty: leave it out for an exercise without parts")
        return ()
    parts: list[ExercisePart] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_parts):
        if not isinstance(raw, dict):
            fields.error("parts", f"part {index + 1} must be a mapping with 'key', 'prompt', ...")
            continue
        part = fields.sub("parts", raw, f"{fields.context}, part {index + 1}", index)
        key = part.text("key", required=True)
        if key is not None:
            part.context = f"{fields.context}, part {key}"
            if not key or not all(c in string.ascii_lowercase + string.digits for c in key):
                part.error("key", f"part key '{key}' must be lowercase letters or digits (a, b, ...)")
            elif key in seen:
                part.error("key", f"part key '{key}' is used twice")
            seen.add(key)
        part_kind = _kind(part, "kind", False) or kind
        if not kinds.get(part_kind).parts:
            part.error("kind", f"a part cannot be of kind {part_kind}")
            continue
        part_fields = kinds.get(part_kind).fields
        part.check_keys(PART_FIELDS + part_fields, f"a part of kind {part_kind}")
        inherited = {name: value for name, value in top.items() if name in part_fields}
        values = {**inherited, **_kind_values(part, part_kind)}
        part_mistakes = _mistakes(part) if part.has("mistakes") else mistakes
        part_prompt = part.text("prompt") or ""
        spec = _spec(part, part_kind, values, part_mistakes)
        if part.failed:
            fields.failed = True
        elif spec is not None and key is not None:
            parts.append(ExercisePart(key, part_prompt, spec))
    return tuple(parts)


# -- kind fields ---------------------------------------------------------------------------------


def _kind_values(fields: Fields, kind: str) -> dict[str, Any]:
    """The kind fields that are set, by field name, converted (None: set but unusable)."""
    readers = {
        "function": lambda: fields.expression("function"),
        "answer": lambda: fields.expression("answer"),
        "var": lambda: _name(fields, "var", fields.text("var")),
        "order": lambda: fields.integer("order", minimum=1),
        "vars": lambda: _names(fields),
        "domain": lambda: _domain(fields),
        "tolerance": lambda: _tolerance(fields),
        "options": lambda: _options(fields),
        "feedback": lambda: _feedback(fields),
    }
    return {name: readers[name]() for name in kinds.get(kind).fields if fields.has(name)}


def _domain(fields: Fields) -> str | None:
    conditions = fields.texts("domain")
    return None if conditions is None else ", ".join(conditions)


def _name(fields: Fields, key: str, name: str | None) -> str | None:
    if name is not None and not name.isidentifier():
        fields.error(key, f"'{name}' is not a variable name")
        return None
    return name


def _names(fields: Fields) -> tuple[str, ...] | None:
    value = fields.get("vars")
    # "x, y" is as good as [x, y].
    names = tuple(value.replace(",", " ").split()) if isinstance(value, str) else fields.texts("vars")
    if names is None:
        return None
    for name in names:
        if _name(fields, "vars", name) is None:
            return None
    return names


def _tolerance(fields: Fields) -> dict[str, float] | None:
    tolerance = fields.mapping("tolerance")
    if tolerance is None:
        return None
    sub = fields.sub("tolerance", tolerance, f"{fields.context}, tolerance")
    sub.check_keys(TOLERANCE_FIELDS, "tolerance")
    result: dict[str, float] = {}
    for key in TOLERANCE_FIELDS:
        value = sub.number(key)
        if value is not None and not value > 0:
            sub.error(key, f"'{key}' must be positive")
        elif value is not None:
            result[key] = value
    if sub.failed:
        fields.failed = True
        return None
    return result


def _options(fields: Fields) -> tuple[str, ...] | None:
    options = fields.texts("options")
    if options is not None and len(options) < 2:
        fields.error("options", "a choice needs at least two options")
        return None
    if options is not None and len(options) > 26:
        fields.error("options", "a choice has at most 26 options (a to z)")
        return None
    return options


def _feedback(fields: Fields) -> tuple[tuple[str, str], ...] | None:
    feedback = fields.mapping("feedback")
    if feedback is None:
        return None
    sub = fields.sub("feedback", feedback, f"{fields.context}, feedback")
    entries = []
    for letter in feedback:
        text = sub.text(str(letter))
        if text is not None:
            entries.append((str(letter), text))
    if sub.failed:
        fields.failed = True
    return tuple(sorted(entries))


def _mistakes(fields: Fields) -> tuple[Mistake, ...]:
    raw = fields.sequence("mistakes")
    if raw is None:
        return ()
    mistakes = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            fields.error("mistakes", f"mistake {index + 1} must be a mapping with 'answer' and 'message'")
            continue
        sub = fields.sub("mistakes", item, f"{fields.context}, mistake {index + 1}", index)
        sub.check_keys(MISTAKE_FIELDS, "a mistake")
        answer = sub.expression("answer", required=True)
        message = sub.text("message", required=True)
        if sub.failed:
            fields.failed = True
        elif answer is not None and message is not None:
            mistakes.append(Mistake(answer, message))
    return tuple(mistakes)


# -- the spec ------------------------------------------------------------------------------------


def _spec(fields: Fields, kind: str, values: dict[str, Any], mistakes: tuple[Mistake, ...]) -> ExerciseSpec | None:
    required = kinds.get(kind).required
    for name in required:
        if name not in values:
            fields.missing(name, f" (a {kind} exercise needs: {', '.join(required)})")
    # A None value was present but unusable, and has been reported where it was read.
    if fields.failed or any(value is None for value in values.values()):
        fields.failed = True
        return None
    if kind == "choice" and not _choice_letters(fields, values, mistakes):
        return None
    if not _answer_shape(fields, kind, values.get("answer")):
        return None
    var = values.get("var")
    variables = values.get("vars", ())
    if kind in ("derivative", "antiderivative") and var is None:
        var = variables[0] if len(variables) == 1 else "x"
    tolerance = values.get("tolerance", {})
    return ExerciseSpec(
        kind=kind,
        function=values.get("function"),
        answer=values.get("answer"),
        var=var,
        order=values.get("order", 1),
        variables=variables,
        domain=values.get("domain"),
        rel_tol=tolerance.get("rel"),
        abs_tol=tolerance.get("abs"),
        options=values.get("options", ()),
        option_feedback=values.get("feedback", ()),
        mistakes=mistakes,
    )


def _choice_letters(fields: Fields, values: dict[str, Any], mistakes: tuple[Mistake, ...]) -> bool:
    letters = string.ascii_lowercase[: len(values["options"])]
    valid = f"one of {', '.join(letters)}"
    ok = True
    if values["answer"] not in letters:
        fields.error("answer", f"a choice answer is an option letter ({valid}), not '{values['answer']}'")
        ok = False
    for letter, _ in values.get("feedback", ()):
        if letter not in letters:
            fields.error("feedback", f"feedback for '{letter}', which is not an option letter ({valid})")
            ok = False
    for mistake in mistakes:
        if mistake.answer not in letters:
            fields.error("mistakes", f"mistake '{mistake.answer}' is not an option letter ({valid})")
            ok = False
    return ok


def _answer_shape(fields: Fields, kind: str, answer: str | None) -> bool:
    """Numbers, vectors and matrices are told apart by their brackets; catch a mix-up early."""
    if answer is None or kind not in ("numeric", "vector", "matrix"):
        return True
    shape = "matrix" if answer.startswith("[[") else "vector" if answer.startswith("[") else "numeric"
    if shape == kind:
        return True
    wanted = {"numeric": "a number", "vector": "[a, b, ...]", "matrix": "[[a, b], [c, d]]"}[kind]
    fields.error("answer", f"a {kind} answer is written {wanted}, not '{answer}'")
    return False
