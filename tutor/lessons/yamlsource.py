"""YAML for lesson files: safe loading that remembers where things were written.

The loader is PyYAML's safe loader (C-accelerated when libyaml is present) with three
constructors changed, all still building only plain data:
- numbers remember their source text, so `answer: 6.71678e-4` reaches the checker as written,
  and `1e-6` is a number as in YAML 1.2 (PyYAML alone reads it as text);
- mappings remember the line of each key, and which keys were repeated (PyYAML keeps the last
  one silently);
- sequences remember the line of each item.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

import yaml

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SourceInt(int):
    source: str = ""


class SourceFloat(float):
    source: str = ""


class LineDict(dict):
    """A YAML mapping; `lines[key]` is the 0-based line of the key inside the YAML text."""

    lines: dict[Any, int]
    duplicates: list[tuple[Any, int]]


class LineList(list):
    """A YAML sequence; `lines[i]` is the 0-based line of item i inside the YAML text."""

    lines: list[int]


class _LessonLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> SourceInt:
    number = SourceInt(yaml.SafeLoader.construct_yaml_int(loader, node))
    number.source = node.value
    return number


def _construct_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> SourceFloat:
    number = SourceFloat(yaml.SafeLoader.construct_yaml_float(loader, node))
    number.source = node.value
    return number


def _construct_map(loader: yaml.SafeLoader, node: yaml.MappingNode):
    data = LineDict()
    data.lines, data.duplicates = {}, []
    yield data
    data.update(loader.construct_mapping(node))
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        try:
            hash(key)
        except TypeError:
            continue  # construct_mapping has already refused it
        line = key_node.start_mark.line
        if key in data.lines:
            data.duplicates.append((key, line))
        else:
            data.lines[key] = line


def _construct_seq(loader: yaml.SafeLoader, node: yaml.SequenceNode):
    data = LineList()
    data.lines = [item.start_mark.line for item in node.value]
    yield data
    data.extend(loader.construct_sequence(node))


# YAML 1.2 reads 1e-6 and 1.5e3 as numbers; PyYAML (YAML 1.1) needs a dot and a signed
# exponent, and reads them as text.
_LessonLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)[eE][-+]?[0-9]+$"),
    list("-+.0123456789"),
)
_LessonLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_LessonLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_LessonLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LessonLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


class YamlError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line  # 0-based, inside the YAML text
        self.message = message


def load_yaml(text: str) -> Any:
    """Parse one YAML document; raise YamlError with a 0-based line inside `text`."""
    try:
        return yaml.load(text, Loader=_LessonLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or "cannot parse"
        if exc.context:
            message += f" ({exc.context})"
        if "mapping values are not allowed" in message:
            message += "; put text that contains ': ' in quotes"
        raise YamlError(mark.line if mark else 0, f"bad YAML: {message}") from None
    except yaml.YAMLError as exc:
        raise YamlError(0, f"bad YAML: {exc}") from None


def key_line(mapping: Any, key: Any, default: int = 0) -> int:
    lines = getattr(mapping, "lines", None)
    return lines.get(key, default) if isinstance(lines, dict) else default


def item_line(sequence: Any, index: int, default: int = 0) -> int:
    lines = getattr(sequence, "lines", None)
    return lines[index] if isinstance(lines, list) and index < len(lines) else default


_PLAIN_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def number_text(value: int | float) -> str:
    """A YAML number as the answer language reads it: as written when that is a plain decimal."""
    source = getattr(value, "source", "")
    if source and _PLAIN_NUMBER.fullmatch(source):
        text = source.lstrip("+").rstrip(".")
        # ".5" -> "0.5": a leading digit reads unambiguously everywhere.
        return re.sub(r"^(-?)\.", r"\g<1>0.", text)
    if isinstance(value, int):
        return str(int(value))
    if not math.isfinite(value):
        raise ValueError(f"{source or value!r} is not a finite number")
    # Positional, never scientific: 6.71678e-4 -> 0.000671678.
    return format(Decimal(repr(float(value))).normalize(), "f")


def plain(value: Any) -> Any:
    """The same data with ordinary dict/list/int/float, for code outside the loader."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value
