"""A lesson as plain text, for a screen reader or a pipe (`tutor read`).

Prose loses its Markdown marks (a table becomes one "header: value" line per row, which reads
well aloud), math blocks stay in the one-line answer language, exercises show their prompts
and how to answer them from the command line (never their answers), and figures become their
description in words. Nothing here needs a terminal, a colour or Textual.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import Any

from tutor.lessons.model import BackpropBlock, Exercise, Lesson, MathBlock, Page, PlotBlock, Prose, Segment

WIDTH = 78


def lesson_text(lesson: Lesson, page: int | None = None, width: int = WIDTH) -> str:
    """The whole lesson, or only page `page` (1-based). Raises IndexError for a page it lacks."""
    pages = lesson.pages
    if page is not None:
        if not 1 <= page <= len(pages):
            raise IndexError(f"{lesson.id} has {len(pages)} page{'s' if len(pages) != 1 else ''}, "
                             f"so there is no page {page}")
        numbered = [(page, pages[page - 1])]
    else:
        numbered = list(enumerate(pages, 1))
    out = [lesson.title, "=" * min(len(lesson.title), width), ""]
    out.append(f"Part {lesson.part}, about {lesson.minutes} minutes, {len(pages)} "
               f"page{'s' if len(pages) != 1 else ''}.")
    if lesson.requires:
        out.append(f"Before this lesson: {', '.join(lesson.requires)}.")
    if lesson.objectives and (page is None or page == 1):
        out.append("")
        out.append("You will learn to:")
        out.extend(_wrap(o, width, "- ", "  ") for o in lesson.objectives)
    for number, p in numbered:
        out.append("")
        out.extend(page_lines(p, number, len(pages), width))
    return "\n".join(out).rstrip() + "\n"


def page_lines(page: Page, number: int, total: int, width: int = WIDTH) -> list[str]:
    heading = f"Page {number} of {total}: {page.title}"
    lines = [heading, "-" * min(len(heading), width)]
    for segment in page.segments:
        block = segment_lines(segment, width)
        if block:
            lines.append("")
            lines.extend(block)
    return lines


def segment_lines(segment: Segment, width: int = WIDTH) -> list[str]:
    if isinstance(segment, Prose):
        return markdown_lines(segment.markdown, width)
    if isinstance(segment, MathBlock):
        return [text for line in segment.lines for text in math_lines(line)]
    if isinstance(segment, Exercise):
        return exercise_lines(segment, width)
    if isinstance(segment, PlotBlock):
        return figure_lines(segment.data)
    if isinstance(segment, BackpropBlock):
        return graph_lines(segment.data)
    return []


def math_lines(line: str) -> list[str]:
    """A math line as written (the one-line answer language) and, under it, read out in words."""
    from tutor.mathlang import MathError, parse_formula
    from tutor.mathlang.words import in_words

    try:
        words = in_words(parse_formula(line).tree)
    except MathError:
        return [f"Math: {line}"]
    return [f"Math: {line}", f"  In words: {words}"]


def exercise_lines(exercise: Exercise, width: int = WIDTH) -> list[str]:
    lines = [f"Exercise {exercise.id} ({exercise.kind}):"]
    lines.extend(markdown_lines(exercise.prompt, width, indent="  "))
    for part in exercise.parts:
        if part.key:
            lines.append(_wrap(f"({part.key}) {_inline(part.prompt)}", width, "  ", "      "))
        for letter, option in zip("abcdefghijklmnopqrstuvwxyz", part.spec.options):
            lines.append(_wrap(f"{letter}) {_inline(str(option))}", width, "  ", "     "))
    target = exercise.id + ("#" + exercise.parts[0].key if exercise.parts and exercise.parts[0].key else "")
    what = "LETTER" if exercise.kind == "choice" else "ANSWER"
    if exercise.kind in ("code", "backprop", "gd"):
        lines.append(f"  Play it in the tutor, or check an answer with: tutor check {target} ANSWER")
    else:
        lines.append(f"  Answer with: tutor check {target} '{what}'")
    return lines


def figure_lines(data: dict[str, Any]) -> list[str]:
    """The figure's description, or a plain note when it cannot be drawn."""
    from tutor.plots import figure_from_block
    from tutor.plots.describe import describe_figure
    from tutor.plots.vectorize import PlotError

    try:
        figure = figure_from_block(data)
    except (PlotError, ValueError, TypeError) as exc:
        title = data.get("title") if isinstance(data, dict) else None
        return [f"Figure: {title or 'untitled'} (cannot be described: {exc})"]
    lines = describe_figure(figure)
    if isinstance(data, dict) and data.get("interactive"):
        lines.append("  (In the tutor this figure responds to keys; this is its starting state.)")
    return lines


def graph_lines(data: dict[str, Any]) -> list[str]:
    title = data.get("title") or "a computation graph"
    lines = [f"Computation graph: {title}"]
    inputs = data.get("inputs") or {}
    if isinstance(inputs, dict) and inputs:
        lines.append("  Inputs: " + ", ".join(f"{k} = {v}" for k, v in inputs.items()) + ".")
    for node in data.get("nodes") or []:
        if isinstance(node, dict):
            lines.append(f"  {node.get('name')} = {node.get('formula')}")
    if data.get("output"):
        lines.append(f"  Output: {data['output']}.")
    return lines


# -- Markdown ------------------------------------------------------------------------------------


def markdown_lines(markdown: str, width: int = WIDTH, indent: str = "") -> list[str]:
    """Markdown as plain lines: paragraphs wrapped, lists with dashes or numbers, tables as
    "header: cell" rows, code indented, emphasis and link marks dropped (link targets kept)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    lines: list[str] = []
    lists: list[list[int]] = []  # per open list: [next number] (0 for a bullet list)
    item_prefix = ""
    row: list[str] = []
    header: list[str] = []
    in_head = False
    for i, tok in enumerate(tokens):
        kind = tok.type
        depth = indent + "  " * max(len(lists) - 1, 0)
        if kind == "bullet_list_open":
            lists.append([0])
        elif kind == "ordered_list_open":
            lists.append([int(tok.attrGet("start") or 1)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            if not lists:
                lines.append("")
        elif kind == "list_item_open":
            counter = lists[-1]
            if counter[0]:
                item_prefix = f"{counter[0]}. "
                counter[0] += 1
            else:
                item_prefix = "- "
        elif kind == "heading_open":
            pass
        elif kind == "inline" and tokens[i - 1].type == "heading_open":
            lines.append(f"{depth}{_inline_tokens(tok.children or [])}")
        elif kind == "inline" and tokens[i - 1].type in ("th_open", "td_open"):
            row.append(_inline_tokens(tok.children or []))
        elif kind == "inline":
            text = _inline_tokens(tok.children or [])
            if item_prefix:
                lines.append(_wrap(text, width, depth + item_prefix, depth + " " * len(item_prefix)))
                item_prefix = ""
            else:
                lines.append(_wrap(text, width, depth, depth))
        elif kind == "paragraph_close" and not lists:
            lines.append("")
        elif kind in ("fence", "code_block"):
            lines.extend(f"{depth}    {line}" for line in tok.content.rstrip("\n").split("\n"))
            lines.append("")
        elif kind == "thead_open":
            in_head = True
        elif kind == "thead_close":
            in_head = False
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            if in_head:
                header = row
            else:
                lines.append(_wrap(_table_row(header, row), width, depth + "- ", depth + "  "))
        elif kind == "table_open":
            lines.append(f"{depth}A table, one row per line:")
        elif kind == "table_close":
            lines.append("")
        elif kind == "hr":
            lines.append("")
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def _table_row(header: list[str], row: list[str]) -> str:
    if len(header) != len(row):
        return "; ".join(row)
    return "; ".join(f"{h}: {c}" if h else c for h, c in zip(header, row))


def _inline(text: str) -> str:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parseInline(text)
    return _inline_tokens(tokens[0].children or []) if tokens else text


def _inline_tokens(children: Iterable[Any]) -> str:
    parts: list[str] = []
    link: str | None = None
    for child in children:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "link_open":
            link = child.attrGet("href")
        elif child.type == "link_close":
            if link and not link.startswith("#"):
                parts.append(f" ({link})")
            link = None
        elif child.type == "image":
            parts.append(f"[image: {child.content or child.attrGet('alt') or ''}]")
    return "".join(parts).strip()


def _wrap(text: str, width: int, first: str, rest: str) -> str:
    return "\n".join(textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest,
                                   break_long_words=False, break_on_hyphens=False)) or first.rstrip()
