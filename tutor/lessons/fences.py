"""Cut a lesson body into pages (at `## ` headings) and each page into prose and special blocks.

Only the line structure is handled here; what is inside a special block is parsed later.
Ordinary code fences stay in the prose, and headings inside any fence do not start pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SPECIAL_FENCES = ("math", "exercise", "plot", "backprop")
PROSE_FENCES = ("", "python", "text")  # shown as code inside the prose

_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`]*)$")
_PAGE_HEADING = re.compile(r"^##(?:[ \t]+(?P<title>.*?))?(?:[ \t]+#+)?[ \t]*$")
_TITLE_HEADING = re.compile(r"^#(?:[ \t]|$)")


@dataclass(frozen=True)
class RawProse:
    text: str
    line: int  # file line of its first non-blank line


@dataclass(frozen=True)
class RawBlock:
    lang: str  # one of SPECIAL_FENCES
    text: str  # the lines between the fences, with the fence's indent removed
    line: int  # file line of the opening fence
    closed: bool = True

    @property
    def first_line(self) -> int:
        """File line of the block's first content line (YAML line 0)."""
        return self.line + 1


@dataclass
class RawPage:
    title: str | None  # None: the opening page, titled by the lesson
    line: int
    items: list[RawProse | RawBlock] = field(default_factory=list)


@dataclass(frozen=True)
class ScanProblem:
    line: int
    message: str
    severity: str = "error"


@dataclass
class _Fence:
    char: str
    length: int
    indent: int
    lang: str
    line: int
    body: list[str] = field(default_factory=list)


def _closes(line: str, fence: _Fence) -> bool:
    stripped = line.strip()
    return (
        len(stripped) >= fence.length
        and set(stripped) == {fence.char}
        and len(line) - len(line.lstrip()) <= fence.indent + 3
    )


def _dedent(line: str, indent: int) -> str:
    prefix = len(line) - len(line.lstrip(" \t"))
    return line[min(prefix, indent) :]


class _Scanner:
    def __init__(self) -> None:
        self.pages: list[RawPage] = [RawPage(None, 0)]
        self.problems: list[ScanProblem] = []
        self.prose: list[tuple[int, str]] = []  # (file line, text) of the pending prose

    def flush_prose(self) -> None:
        lines = self.prose
        self.prose = []
        while lines and not lines[0][1].strip():
            lines.pop(0)
        while lines and not lines[-1][1].strip():
            lines.pop()
        if lines:
            self.pages[-1].items.append(RawProse("\n".join(text for _, text in lines), lines[0][0]))

    def scan(self, lines: list[str], first_line: int) -> None:
        fence: _Fence | None = None
        for offset, line in enumerate(lines):
            number = first_line + offset
            if fence is not None:
                if _closes(line, fence):
                    if fence.lang in SPECIAL_FENCES:
                        self.end_special(fence, closed=True)
                    else:
                        self.prose.append((number, line))
                    fence = None
                elif fence.lang in SPECIAL_FENCES:
                    fence.body.append(_dedent(line, fence.indent))
                else:
                    self.prose.append((number, line))
                continue
            opening = _OPEN.match(line)
            heading = _PAGE_HEADING.match(line)
            if opening:
                fence = self.start_fence(opening, line, number)
            elif heading:
                self.flush_prose()
                self.pages.append(RawPage((heading.group("title") or "").strip(), number))
                if not self.pages[-1].title:
                    self.problems.append(ScanProblem(number, "a '## ' heading without a title"))
            else:
                if _TITLE_HEADING.match(line):
                    self.problems.append(
                        ScanProblem(
                            number,
                            "a '# ' heading: the lesson title comes from the front matter",
                            "warning",
                        )
                    )
                self.prose.append((number, line))
        if fence is not None:
            self.problems.append(
                ScanProblem(fence.line, f"the {fence.char * 3}{fence.lang} fence is never closed")
            )
            if fence.lang in SPECIAL_FENCES:
                self.end_special(fence, closed=False)
        self.flush_prose()

    def start_fence(self, match: re.Match[str], line: str, number: int) -> _Fence:
        info = match.group("info").strip()
        lang = info.split()[0] if info else ""
        chars = match.group("fence")
        fence = _Fence(chars[0], len(chars), len(match.group("indent")), lang, number)
        if lang in SPECIAL_FENCES:
            self.flush_prose()
            return fence
        if lang not in PROSE_FENCES:
            allowed = ", ".join(f"'{name}'" for name in SPECIAL_FENCES + PROSE_FENCES[1:])
            self.problems.append(
                ScanProblem(number, f"unknown fence language '{lang}' (allowed: {allowed}, or none)")
            )
        self.prose.append((number, line))
        return fence

    def end_special(self, fence: _Fence, closed: bool) -> None:
        text = "\n".join(fence.body)
        self.pages[-1].items.append(RawBlock(fence.lang, text, fence.line, closed))


def scan_body(lines: list[str], first_line: int) -> tuple[list[RawPage], list[ScanProblem]]:
    """Pages of the body whose first line is file line `first_line`; an empty opening page is dropped."""
    scanner = _Scanner()
    scanner.scan(lines, first_line)
    pages = scanner.pages
    if not pages[0].items:
        pages = pages[1:]
    else:
        pages[0].line = next(item.line for item in pages[0].items)
    return pages, scanner.problems
