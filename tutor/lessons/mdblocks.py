"""Count the Markdown blocks of a page: what Textual's Markdown widget pays for.

An approximation of CommonMark that is good enough to warn about long pages: paragraphs,
headings, list items, table rows (not the separator), rules and code fences count one each.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s|$)")
_LIST_ITEM = re.compile(r"^\s*([-*+]|\d+[.)])\s+\S")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?[\s:|-]+\|?\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")

LONG_PAGE_BLOCKS = 30


def count_blocks(markdown: str) -> int:
    blocks = 0
    fence: str | None = None
    in_paragraph = False
    for line in markdown.splitlines():
        if fence is not None:
            if line.strip().startswith(fence) and set(line.strip()) == {fence[0]}:
                fence = None
            continue
        opening = _FENCE.match(line)
        stripped = line.strip()
        if opening:
            fence = opening.group(1)
            blocks += 1
            in_paragraph = False
        elif not stripped:
            in_paragraph = False
        elif _HEADING.match(line) or _RULE.match(line):
            blocks += 1
            in_paragraph = False
        elif _LIST_ITEM.match(line):
            blocks += 1
            in_paragraph = True  # its wrapped lines continue the item
        elif stripped.startswith("|"):
            if not (_TABLE_SEPARATOR.match(line) and "-" in line):
                blocks += 1
            in_paragraph = False
        elif not in_paragraph:
            blocks += 1
            in_paragraph = True
    return blocks
