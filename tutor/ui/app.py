"""The application: owns the session and the checker, and routes between screens."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from textual.app import App
from textual.binding import Binding

from tutor.checking.spec import ExerciseSpec
from tutor.checking.verdict import Verdict
from tutor.progress import open_profile
from tutor.session import Session, SessionError
from tutor.ui.background import background
from tutor.ui.commands import TutorCommands


class Checker(Protocol):
    """What the UI needs from the checker (CheckService in the app, the same in tests)."""

    def check(self, spec: ExerciseSpec, answer: str, seed: int = 0) -> Verdict: ...
    def preview(self, text: str, variables: tuple[str, ...]) -> Verdict: ...
    def formula(self, text: str) -> Verdict: ...
    def warm(self) -> None: ...


DEFAULT_THEME = "textual-dark"
SAVING_GROUPS = ("record", "save")  # worker groups that write the save file


class TutorApp(App[int]):
    CSS_PATH = Path(__file__).with_name("tutor.tcss")  # absolute: subclasses live elsewhere
    TITLE = "tutor"
    SUB_TITLE = "calculus for machine learning"
    COMMANDS = App.COMMANDS | {TutorCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
        Binding("q", "quit", "Quit", show=False),
        Binding("f1", "help", "Help", id="help"),
        Binding("question_mark", "help", "Help", show=False),
    ]

    def __init__(self, session: Session, checker: Checker) -> None:
        super().__init__()
        self.session = session
        self.checker = checker
        theme = session.profile.settings.get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        else:
            self.theme = DEFAULT_THEME

    def on_mount(self) -> None:
        from tutor.ui.screens.course_map import CourseMapScreen

        self.theme_changed_signal.subscribe(self, self._save_theme)
        self.push_screen(CourseMapScreen())
        if self.session.load_issue is not None:
            from tutor.ui.screens.dialogs import SaveProblemScreen

            self.push_screen(SaveProblemScreen(self.session.load_issue), self._resolve_save_problem)
        self.call_after_refresh(self.warm_checker)
        self.call_after_refresh(self.warm_plots)

    @background(group="warm")
    def warm_checker(self) -> None:
        # After the first frame: SymPy loads in the worker process, not in the UI.
        self.checker.warm()

    @background(group="warm")
    def warm_plots(self) -> None:
        # After the first frame: the plot engine (NumPy, SymPy) and plotext load here, so the
        # first figure of a lesson does not wait for them.
        import tutor.plots.blocks
        import tutor.plots.interactive
        import tutor.ui.widgets.plot_view  # noqa: F401

    def report_failure(self, error: BaseException) -> None:
        """A background job that crashed is told to the learner, never printed as a traceback."""
        self.notify(f"Something went wrong in the background ({type(error).__name__}: {error}). "
                    "What you have saved is safe; try again.", severity="error", timeout=10)

    # -- save-file problems -------------------------------------------------------------------------
    def _resolve_save_problem(self, choice: str | None) -> None:
        try:
            if choice == "backup":
                self.session.recover_from_backup()
                self.notify("Progress restored from the backup; the bad file was kept aside.")
            elif choice == "fresh":
                self.session.start_fresh()
                self.notify("Starting fresh; the bad file was kept aside.")
            else:
                self.notify("Nothing will be saved in this session.", severity="warning")
        except SessionError as exc:
            self.notify(str(exc), severity="error", timeout=10)
        self.refresh_progress()

    def refresh_progress(self) -> None:
        """Ask every screen on the stack to redraw what depends on progress."""
        for screen in self.screen_stack:
            refresh = getattr(screen, "refresh_progress", None)
            if refresh is not None:
                refresh()

    # -- settings -----------------------------------------------------------------------------------
    def _save_theme(self, theme) -> None:
        name = getattr(theme, "name", theme)
        if self.session.profile.settings.get("theme") == name or not self.session.store.writable:
            return
        self.save_in_background(self.session.set_setting, "theme", name)

    @background(group="save")
    def save_in_background(self, action, *args) -> None:
        try:
            action(*args)
        except SessionError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", timeout=10)

    # -- actions ------------------------------------------------------------------------------------
    def action_help(self) -> None:
        from tutor.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        # Drafts and the reading position are written now: nothing typed is lost on quit.
        for screen in self.screen_stack:
            flush = getattr(screen, "flush", None)
            if flush is not None:
                flush()
        # Attempts, hints and settings still being written in the background finish first.
        saving = [w for w in self.workers if w.group in SAVING_GROUPS and not w.is_finished]
        if saving:
            await self.workers.wait_for_complete(saving)
        self.exit(0)

    def reset_exercise(self, exercise_id: str) -> None:
        from tutor.ui.screens.dialogs import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            found = self.session.find_exercise(exercise_id)
            if found is None:
                return
            try:
                self.session.reset_exercise(found[2])
            except SessionError as exc:
                self.notify(str(exc), severity="error", timeout=10)
                return
            self.notify(f"{exercise_id} was reset (`tutor reset --undo` brings it back).")
            self.refresh_progress()

        self.push_screen(ConfirmScreen(f"Forget every attempt, hint and reveal of {exercise_id}?",
                                       yes="Reset", no="Keep"), answer)

    def switch_profile(self, name: str) -> None:
        from tutor.progress import ProfileNameError
        from tutor.ui.screens.course_map import CourseMapScreen

        for screen in self.screen_stack:
            flush = getattr(screen, "flush", None)
            if flush is not None:
                flush()
        try:
            session = Session(self.session.course, *open_profile(self.session.save_dir, name),
                              self.session.lessons_dir, self.session.save_dir)
        except ProfileNameError as exc:
            self.notify(str(exc), severity="error")
            return
        self.session = session
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.switch_screen(CourseMapScreen())
        self.notify(f"Profile: {name}")
        if session.load_issue is not None:
            from tutor.ui.screens.dialogs import SaveProblemScreen

            self.push_screen(SaveProblemScreen(session.load_issue), self._resolve_save_problem)

    def ask_new_profile(self) -> None:
        from tutor.ui.screens.dialogs import AskScreen

        self.push_screen(AskScreen("Name of the new profile (letters, digits, - and _):"),
                         lambda name: self.switch_profile(name) if name else None)

    def open_lesson(self, lesson_id: str, page: int | None = None, focus_exercise: str | None = None) -> None:
        from tutor.ui.screens.lesson import LessonScreen

        lesson = self.session.course.lessons.get(lesson_id)
        if lesson is None:
            self.notify(f"No lesson '{lesson_id}'.", severity="error")
            return
        while isinstance(self.screen, LessonScreen):
            self.screen.flush()
            self.pop_screen()
        self.push_screen(LessonScreen(lesson, page=page, focus_exercise=focus_exercise))
