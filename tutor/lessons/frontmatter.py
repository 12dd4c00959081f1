"""Split a lesson file into its `---` front matter and its Markdown body."""

from __future__ import annotations

from dataclasses import dataclass

_FENCE = "---"


@dataclass(frozen=True)
class Split:
    yaml_text: str | None  # None: no (usable) front matter
    yaml_line: int  # file line of the first YAML line
    body: list[str]  # the body's lines
    body_line: int  # file line of body[0]
    error: str | None = None  # why there is no front matter
    error_line: int = 1


def split_front_matter(lines: list[str]) -> Split:
    if not lines or lines[0].rstrip() != _FENCE:
        # Keep the whole file as the body so its other problems are still reported.
        return Split(None, 1, lines, 1, "no front matter: the file must start with a '---' line")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (_FENCE, "..."):
            return Split("\n".join(lines[1:index]), 2, lines[index + 1 :], index + 2)
    return Split(None, 2, [], len(lines) + 1, "the front matter is never closed by a '---' line")
