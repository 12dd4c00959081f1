"""Read the course from a lessons folder: `course.yaml` plus one `<lesson-id>.md` per lesson.

Loading never fails on a bad lesson: its problems travel in `Lesson.problems` (course-level ones
in `Course.problems`) and everything else still loads. Pure domain code: no UI imports.
"""

from __future__ import annotations

from pathlib import Path

from tutor.lessons.exercises import build_exercise
from tutor.lessons.fences import RawBlock, RawPage, scan_body
from tutor.lessons.fields import Fields
from tutor.lessons.frontmatter import split_front_matter
from tutor.lessons.manifest import MANIFEST, Listing, read_manifest
from tutor.lessons.model import Course, Lesson, MathBlock, Page, Problem, Prose, Segment
from tutor.lessons.plots import build_backprop, build_plot
from tutor.lessons.report import Report
from tutor.lessons.yamlsource import YamlError, load_yaml

FRONT_MATTER_FIELDS = ("id", "title", "part", "requires", "minutes", "objectives")
# The course's largest lesson is ~21 KB and its largest page ~10 KB. Far larger text is a mistake
# (or an attack): a 30 MB page took a minute and 2 GB to open. Refused, not read.
MAX_LESSON_BYTES = 512 * 1024
MAX_PAGE_CHARS = 64 * 1024
NOT_LESSONS = ("README.md",)  # Markdown files in the lessons folder that are not lessons


def load_course(lessons_dir: Path) -> Course:
    lessons_dir = Path(lessons_dir)
    manifest = read_manifest(lessons_dir)
    lessons = {
        listing.lesson_id: load_lesson(lessons_dir / f"{listing.lesson_id}.md", listing)
        for listing in manifest.listings
    }
    problems = list(manifest.problems)
    listed = {listing.lesson_id for listing in manifest.listings}
    if manifest.listings or (lessons_dir / MANIFEST).is_file():
        for path in sorted(lessons_dir.glob("*.md")):
            if path.name not in NOT_LESSONS and path.stem not in listed:
                problems.append(
                    Problem(path, 1, f"'{path.stem}' is not listed in {MANIFEST}, so it is not in the course", "warning")
                )
    return Course(manifest.parts, lessons, tuple(problems))


def load_lesson(path: Path, listing: Listing | None = None) -> Lesson:
    """One lesson file; `listing` is where course.yaml names it (its id and part)."""
    lesson_id = listing.lesson_id if listing else path.stem
    report = Report(path)
    text = _read(path, listing, report)
    if text is None:
        return _broken(lesson_id, path, listing, report)
    lines = text.splitlines()
    split = split_front_matter(lines)
    if split.error:
        report.error(split.error_line, split.error)
    header = _front_matter(split.yaml_text, split.yaml_line, lesson_id, listing, report)
    pages = _pages(split.body, split.body_line, header.get("title") or lesson_id, report)
    return Lesson(
        id=lesson_id,
        title=header.get("title") or lesson_id,
        part=header.get("part") or (listing.part if listing else 0),
        requires=header.get("requires") or (),
        minutes=header.get("minutes") or 0,
        objectives=header.get("objectives") or (),
        pages=pages,
        path=path,
        problems=tuple(sorted(report.problems, key=lambda p: p.line)),
        requires_line=header.get("requires_line", split.yaml_line),
    )


def _read(path: Path, listing: Listing | None, report: Report) -> str | None:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_LESSON_BYTES + 1)
    except FileNotFoundError:
        if listing is not None:
            manifest = Report(path.parent / MANIFEST, report.problems)
            manifest.error(listing.line, f"lesson file {path.name} not found (listed in {MANIFEST})")
        else:
            report.error(1, "file not found")
        return None
    except OSError as exc:
        report.error(1, f"cannot read the file: {exc.strerror or exc}")
        return None
    if len(data) > MAX_LESSON_BYTES:
        report.error(1, f"the file is larger than {MAX_LESSON_BYTES // 1024} KB, the most a lesson file may be; "
                        "it was not read (split it into several lessons)")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        report.error(line, f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded; save the file as UTF-8")
        return None
    if not text.strip():
        report.error(1, "the file is empty")
        return None
    return text


def _broken(lesson_id: str, path: Path, listing: Listing | None, report: Report) -> Lesson:
    return Lesson(
        id=lesson_id,
        title=lesson_id,
        part=listing.part if listing else 0,
        requires=(),
        minutes=0,
        objectives=(),
        pages=(),
        path=path,
        problems=tuple(report.problems),
    )


def _front_matter(
    text: str | None, first_line: int, lesson_id: str, listing: Listing | None, report: Report
) -> dict:
    """The front matter's values (only the usable ones), and `requires_line`."""
    if text is None:
        return {}
    try:
        data = load_yaml(text)
    except YamlError as exc:
        report.error(first_line + exc.line, exc.message)
        return {}
    if not isinstance(data, dict):
        report.error(first_line, "the front matter must be YAML fields (id, title, part, ...)")
        return {}
    fields = Fields(data, report, first_line, first_line - 1, "front matter")
    fields.check_keys(FRONT_MATTER_FIELDS, "the front matter")
    header: dict = {"requires_line": fields.line_of("requires")}
    declared_id = fields.text("id", required=True)
    if declared_id is not None and declared_id != lesson_id:
        fields.error("id", f"id '{declared_id}' differs from the file name '{lesson_id}.md'")
    header["title"] = fields.text("title", required=True)
    header["part"] = fields.integer("part", required=True, minimum=1)
    if listing is not None and header["part"] is not None and header["part"] != listing.part:
        fields.error("part", f"part {header['part']}, but {MANIFEST} lists the lesson in part {listing.part}")
    header["minutes"] = fields.integer("minutes", required=True, minimum=1)
    requires = fields.texts("requires")
    header["requires"] = tuple(dict.fromkeys(requires or ()))
    header["objectives"] = fields.texts("objectives") or ()
    return header


def _pages(body: list[str], first_line: int, lesson_title: str, report: Report) -> tuple[Page, ...]:
    raw_pages, problems = scan_body(body, first_line)
    for problem in problems:
        report.problems.append(Problem(report.path, problem.line, problem.message, problem.severity))
    return tuple(_page(raw, lesson_title, report) for raw in raw_pages if _page_fits(raw, report))


def _page_fits(raw: RawPage, report: Report) -> bool:
    size = sum(len(item.text) for item in raw.items)
    if size <= MAX_PAGE_CHARS:
        return True
    title = f"page '{raw.title}'" if raw.title is not None else "the lesson's first page"
    report.error(raw.line, f"{title} has {size // 1024} KB of text, more than the {MAX_PAGE_CHARS // 1024} KB a page "
                           "may have; it is left out (split it with '## ' headings)")
    return False


def _page(raw: RawPage, lesson_title: str, report: Report) -> Page:
    segments: list[Segment] = []
    for item in raw.items:
        segment = _segment(item, report) if isinstance(item, RawBlock) else Prose(item.text, item.line)
        if segment is not None:
            segments.append(segment)
    return Page(raw.title if raw.title is not None else lesson_title, tuple(segments), raw.line)


def _segment(block: RawBlock, report: Report) -> Segment | None:
    if not block.closed:
        return None  # the scanner reported it; its text runs to the end of the file
    if block.lang == "exercise":
        return build_exercise(block, report)
    if block.lang == "plot":
        return build_plot(block, report)
    if block.lang == "backprop":
        return build_backprop(block, report)
    return _math(block, report)


def _math(block: RawBlock, report: Report) -> MathBlock | None:
    entries = [
        (block.first_line + offset, line.strip())
        for offset, line in enumerate(block.text.splitlines())
        if line.strip()
    ]
    if not entries:
        report.warning(block.line, "an empty math block")
        return None
    return MathBlock(tuple(text for _, text in entries), block.line, tuple(line for line, _ in entries))
