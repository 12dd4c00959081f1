"""A code exercise: the learner writes Python in an editor, runs it (F5) and sees each test.

The code runs in the sandbox (`tutor.sandbox`: a separate, limited Python process) from a
thread worker, so the UI keeps answering keys while it runs. Like the answer card, this card
reports what happened with the messages of `card_messages`; the screen records them. The
attempt's answer is the code itself, so solved code stays in the save file.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, LoadingIndicator, Markdown, Static, TextArea
from textual.widgets.text_area import TextAreaTheme
from textual.worker import get_current_worker

from tutor.lessons.model import Exercise
from tutor.progress.model import ExerciseProgress
from tutor.sandbox.exercise import CodeExercise, CodeExerciseError, to_verdict
from tutor.sandbox.runner import RunResult, TestResult
from tutor.ui.background import background
from tutor.ui.widgets.card import Card, reveal, show
from tutor.ui.widgets.card_messages import AnswerChecked, DraftChanged

OUTPUT_LINES = 12  # printed output shown under the results; the rest is counted, not shown
OUTPUT_CHARS = 2000
TRACEBACK_LINES = 10

SOLVED_NOTE = "✓ Solved — your code is kept."

# Syntax colours that read on the app's own background (the "css" text-area theme takes its
# background and cursor from the stylesheet); one set for dark app themes, one for light ones.
_DARK_SYNTAX = TextAreaTheme(name="tutor-dark", syntax_styles=dict(TextAreaTheme.get_builtin_theme("vscode_dark")
                                                                   .syntax_styles))
_LIGHT_SYNTAX = TextAreaTheme(name="tutor-light", syntax_styles=dict(TextAreaTheme.get_builtin_theme("github_light")
                                                                     .syntax_styles))


class CodeEditor(TextArea):
    """A Python editor: Tab indents, so Esc is how focus leaves it (the lesson screen's Esc)."""

    BINDINGS = [Binding("escape", "screen.leave", "Leave editor", priority=True, id="leave-editor")]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.register_theme(_DARK_SYNTAX)
        self.register_theme(_LIGHT_SYNTAX)

    def on_mount(self) -> None:
        self._follow_theme()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._follow_theme())

    def _follow_theme(self) -> None:
        self.theme = "tutor-dark" if self.app.current_theme.dark else "tutor-light"

    def _on_focus(self, event) -> None:
        self._editing = False  # arrived here; Tab still moves on until the learner edits
        super()._on_focus(event)

    async def _on_key(self, event) -> None:
        if event.key in ("tab", "shift+tab") and not getattr(self, "_editing", False):
            # Tab that only passes through the editor moves focus on instead of indenting line 1.
            event.stop()
            event.prevent_default()
            self.screen.focus_next() if event.key == "tab" else self.screen.focus_previous()
            return
        if event.is_printable or event.key in ("enter", "backspace", "delete"):
            self._editing = True
        if event.key == "enter" and not self.read_only:
            # A new line keeps the indentation of the one before, one level more after a ":".
            event.stop()
            event.prevent_default()
            row, column = self.cursor_location
            before = self.document.get_line(row)[:column]
            indent = before[: len(before) - len(before.lstrip(" \t"))]
            if before.rstrip().endswith(":"):
                indent += " " * self.indent_width
            self.replace("\n" + indent, *self.selection)
            return
        await super()._on_key(event)


def _slug(exercise: Exercise) -> str:
    return exercise.id.replace("/", "-")


def summary_text(result: RunResult) -> Text:
    """The run in one or two lines: a mark and a word first, so colour is not needed."""
    head = {
        "passed": ("✓ Correct. ", "bold green"),
        "failed": ("✗ Not yet. ", "bold red"),
        "error": ("✗ Not yet. ", "bold red"),
        "timeout": ("✗ Stopped: time limit. ", "bold red"),
        "memory": ("✗ Stopped: memory limit. ", "bold red"),
        "crashed": ("✗ Stopped: Python crashed. ", "bold red"),
        "invalid": ("! Can't run that. ", "bold yellow"),
    }.get(result.status, ("✗ ", "bold red"))
    text = Text.assemble(head, result.message)
    if result.passed:
        text.append("\n" + SOLVED_NOTE, style="bold")
    return text


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def results_text(result: RunResult) -> Text:
    """One line per test (✓, ✗ or · not run), with what went wrong under a failing one."""
    text = Text()
    number = 0
    for test in result.tests:
        if test.setup:
            label = "setup"
        else:
            number += 1
            label = f"test {number}"
        if text:
            text.append("\n")
        if test.passed:
            text.append(f"✓ {label}  ", style="bold green")
            text.append(test.source, style="dim")
            continue
        if test.status == "not run":
            text.append(f"· {label} not run  ", style="dim")
            text.append(test.source, style="dim")
            continue
        word = {"failed": "failed", "error": "error", "timeout": "stopped", "memory": "stopped",
                "crashed": "stopped"}.get(test.status, test.status)
        text.append(f"✗ {label} {word}  ", style="bold red")
        text.append(test.source)
        _append_details(text, test)
    return text


def _append_details(text: Text, test: TestResult) -> None:
    has_values = test.expected is not None and test.actual is not None
    # The runner's message already says "expected ..., got ..."; a custom assert message does not.
    if test.message and not test.traceback and not (has_values and f"expected {test.expected}" in test.message):
        text.append("\n" + _indent(test.message))
    if test.where:
        text.append(f"\n    at {test.where}")
    if has_values:
        text.append("\n    expected: ", style="bold")
        text.append(test.expected)
        text.append("\n    got:      ", style="bold")
        text.append(test.actual)
        if test.tolerance:
            text.append(f"   (tolerance {test.tolerance})", style="dim")
    if test.traceback:
        lines = test.traceback.splitlines()
        if len(lines) > TRACEBACK_LINES:
            lines = lines[:2] + ["  …"] + lines[-(TRACEBACK_LINES - 3):]
        text.append("\n" + _indent("\n".join(lines)), style="italic")
    elif test.line:
        text.append(f"\n    at line {test.line} of your code", style="italic")


def output_text(stdout: str) -> str:
    """Printed output, cut to a few lines for the card."""
    lines = stdout.rstrip("\n").splitlines()
    shown = lines[:OUTPUT_LINES]
    out = "\n".join(shown)
    if len(out) > OUTPUT_CHARS:
        out = out[:OUTPUT_CHARS] + "…"
    if len(lines) > len(shown):
        out += f"\n… {len(lines) - len(shown)} more line(s) not shown"
    return out


class CodeCard(Card):
    BINDINGS = [
        Binding("f5", "check", "Run", id="run-code"),
        Binding("ctrl+r", "check", "Run", show=False),
    ]
    DRAFT_DELAY_S = 0.8  # code is typed in bursts with pauses: wait a little longer

    def __init__(self, exercise: Exercise, record: ExerciseProgress) -> None:
        super().__init__(exercise, record)
        self.problem = ""
        self.code_exercise: CodeExercise | None = None
        try:
            self.code_exercise = CodeExercise.from_exercise(exercise)
        except CodeExerciseError as exc:
            self.problem = str(exc)
        self.running = False

    # -- building ----------------------------------------------------------------------------------
    def _initial_code(self) -> str:
        """The saved draft; else the last code run (solved code is kept); else the starter."""
        draft = self.record.drafts.get("")
        if draft:
            return draft
        if self.record.attempts:
            return self.record.attempts[-1].answer
        return self.code_exercise.starter if self.code_exercise else ""

    def compose_body(self) -> ComposeResult:
        slug = _slug(self.exercise)
        if self.code_exercise is None:
            yield Static(Text(f"This code exercise cannot run: {self.problem}", style="italic"), classes="unplayable")
            return
        yield Static(self._signature(), classes="signature")
        yield CodeEditor.code_editor(self._initial_code(), language="python", theme="css",
                                     id=f"code-{slug}", classes="code-editor")
        yield LoadingIndicator(classes="checking")
        yield Static(Text(SOLVED_NOTE, style="bold") if self.record.solved else "", classes="verdict")
        yield Static("", classes="test-results")
        output = Static("", classes="run-output", markup=False)
        output.border_title = "printed output"
        yield output

    def compose_buttons(self) -> ComposeResult:
        if self.code_exercise is not None:
            yield Button("Run F5", id="run", variant="primary", compact=True)

    def compose_solution(self) -> ComposeResult:
        with Vertical(classes="solution"):
            yield Markdown(self.exercise.solution, classes="solution-text")
            if self.code_exercise is not None:
                yield Static(Text("Reference solution:", style="bold"), classes="reference-label")
                yield CodeEditor.code_editor(self.code_exercise.reference.rstrip("\n"), language="python",
                                             theme="css", read_only=True, id=f"code-reference-{_slug(self.exercise)}",
                                             classes="reference")

    def on_mount(self) -> None:
        super().on_mount()
        for name in (".checking", ".test-results", ".run-output"):
            for widget in self.query(name):
                widget.display = False
        for verdict in self.query(".verdict"):
            verdict.display = bool(str(verdict.render()))
        self.query_one(".solution-text").display = bool(self.exercise.solution.strip())

    def status_words(self) -> str:
        return "code"

    def _signature(self) -> Text:
        assert self.code_exercise is not None
        code = self.code_exercise
        text = Text.assemble(("Write: ", "bold"), (code.function.strip(), "bold"))
        imports = ", ".join(code.allowed_imports) or "none"
        text.append(f"\nRuns in a separate Python process · time limit {code.time_limit:g} s · "
                    f"imports allowed: {imports}", style="dim")
        return text

    # -- the card interface (see card_messages) ----------------------------------------------------------
    @property
    def editor(self) -> CodeEditor:
        return self.query_one(".code-editor", CodeEditor)

    def focus_answer(self) -> None:
        if self.code_exercise is not None:
            self.editor.focus()
            reveal(self.editor)

    # -- drafts ------------------------------------------------------------------------------------------
    @on(TextArea.Changed, ".code-editor")
    def typed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.draft_typed()

    def draft_text(self) -> str | None:
        return None if self.code_exercise is None else self.editor.text

    # -- running -----------------------------------------------------------------------------------------
    def action_run(self) -> None:
        self.action_check()

    def action_check(self) -> None:
        if self.code_exercise is None:
            return
        if self.running:
            self.notify("Your code is still running; wait for its results.")
            return
        code = self.editor.text
        for part_key, text in self.pending_drafts():
            self.post_message(DraftChanged(self.exercise, part_key, text))
        self.running = True
        self.query_one(".checking").display = True
        show(self.query_one(".verdict", Static),
             Text(f"running your code… (up to {self.code_exercise.time_limit:g} s)", style="italic"))
        self.run_code(code)

    @background(group="run", exclusive=True)
    def run_code(self, code: str) -> None:
        assert self.code_exercise is not None
        try:
            result = self.code_exercise.run(code)
        except Exception as exc:  # the runner should never raise; if it does, say so, keep the app
            result = RunResult("error", (), "", f"The code runner failed: {exc}", 0.0)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.show_result, code, result)

    def show_result(self, code: str, result: RunResult) -> None:
        self.running = False
        self.query_one(".checking").display = False
        verdict_widget = self.query_one(".verdict", Static)
        show(verdict_widget, summary_text(result))
        show(self.query_one(".test-results", Static), results_text(result))
        show(self.query_one(".run-output", Static), output_text(result.stdout) if result.stdout.strip() else "")
        reveal(verdict_widget)
        self.post_message(AnswerChecked(self.exercise, "", code, to_verdict(result)))
