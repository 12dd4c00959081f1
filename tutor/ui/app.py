"""The application: owns the session, the checker and the save writer, and routes between screens.

The first frame comes before the course is read: `run_app` hands in how to open the session,
and the course map fills in once it is open (a worker thread reads the lessons and the save
file meanwhile). Nothing heavier than Textual is imported before that frame.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Protocol

from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive

from tutor.ui.background import background
from tutor.ui.commands import TutorCommands
from tutor.ui.themes import HIGH_CONTRAST, HIGH_CONTRAST_ANSI, THEMES
from tutor.ui.writer import SaveWriter

if TYPE_CHECKING:
    from tutor.checking.spec import ExerciseSpec
    from tutor.checking.verdict import Verdict
    from tutor.practice.achievements import Watch
    from tutor.session import Session


class Checker(Protocol):
    """What the UI needs from the checker (CheckService in the app, the same in tests)."""

    def check(self, spec: ExerciseSpec, answer: str, seed: int = 0) -> Verdict: ...
    def preview(self, text: str, variables: tuple[str, ...]) -> Verdict: ...
    def formula(self, text: str) -> Verdict: ...
    def warm(self) -> None: ...


DEFAULT_THEME = "textual-dark"


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

    # The accessible mode: the high-contrast theme, figures and answer readings also in words, no
    # animation. Widgets that say more in this mode watch it.
    accessible: reactive[bool] = reactive(False, init=False)
    _chosen_theme = DEFAULT_THEME  # the learner's theme, back when the accessible mode is turned off

    def __init__(self, session: Session | Callable[[], Session], checker: Checker,
                 accessible: bool = False) -> None:
        """`session`: an open session, or a function that opens one (called off the UI thread,
        after the first frame). `accessible`: the accessible mode from the start (`--accessible`),
        whatever the profile says."""
        super().__init__()
        for theme in THEMES:
            self.register_theme(theme)
        self.session: Session | None = None if callable(session) else session
        self._open_session = session if callable(session) else None
        self.checker = checker
        self._loop: asyncio.AbstractEventLoop | None = None
        self.told_prerequisites: set[str] = set()  # lessons whose prerequisites were mentioned
        self._keyed_notifications: dict[str, Any] = {}  # notify_once: key -> its notification
        self.writer = SaveWriter(self._deliver, self._save_failed)
        self._achievements: Watch | None = None  # made and used by the writer's thread only
        self.theme = DEFAULT_THEME
        self._animation_level = self.animation_level  # what TEXTUAL_ANIMATIONS asked for
        self._ansi_theme_dark = self.ansi_theme_dark
        self._forced_accessible = accessible  # `--accessible`: on for every profile
        self.accessible = accessible
        if self.session is not None:
            self._apply_profile_settings()

    def _profile_theme(self) -> str:
        """The theme the profile chose, or the default when it chose none (or one not here)."""
        theme = self.session.profile.settings.get("theme")
        return theme if isinstance(theme, str) and theme in self.available_themes else DEFAULT_THEME

    def _apply_profile_settings(self) -> None:
        """Show the session's profile as it was left: its theme and its accessible mode (a profile
        that never chose them gets the defaults, not the previous profile's)."""
        theme = self._profile_theme()
        if self._forced_accessible or self.session.profile.settings.get("accessible") is True:
            self.accessible = True  # its watcher shows the high-contrast theme...
            self._chosen_theme = theme  # ...and this one comes back when the mode is turned off
        else:
            self._chosen_theme = theme  # first, so turning the mode off goes straight to it
            self.accessible = False
            self.theme = theme

    def watch_accessible(self, accessible: bool) -> None:
        self.animation_level = "none" if accessible else self._animation_level
        self.ansi_theme_dark = HIGH_CONTRAST_ANSI if accessible else self._ansi_theme_dark
        self.set_class(accessible, "-accessible")  # tutor.tcss: focus drawn by shape
        if accessible:
            if self.theme != HIGH_CONTRAST.name:
                self._chosen_theme = self.theme
            self.theme = HIGH_CONTRAST.name
        elif self.theme == HIGH_CONTRAST.name:
            self.theme = self._chosen_theme

    def toggle_accessible(self) -> None:
        """The command palette's switch; saved in the profile."""
        self.accessible = not self.accessible
        if self.session is not None:
            self.save(self.session.set_setting, "accessible", self.accessible)
        self.notify("Accessible mode " + ("on: high contrast, figures and answers also in words, no animation."
                                          if self.accessible else "off."))

    def compose(self):
        # The first frame, while the course is read: as light as a minimal Textual app.
        if self.session is None:
            from textual.widgets import Footer, Header, Static

            yield Header()
            yield Static("Opening the course…", id="opening")
            yield Footer()

    def on_mount(self) -> None:
        self._loop = asyncio.get_running_loop()
        if self.accessible:  # set before the app ran: its watcher may not have
            self.watch_accessible(True)
        if self.session is None:
            self.call_after_refresh(self.open_session)  # after the first frame, not racing it
        else:
            self._session_ready()

    @background(group="open")
    def open_session(self) -> None:
        from tutor.progress import ProfileNameError

        try:
            session = self._open_session()
        except ProfileNameError as exc:
            self.call_from_thread(self.exit, 2, 2, f"tutor: {exc}")
            return
        self.call_from_thread(self._session_opened, session)

    def _session_opened(self, session: Session) -> None:
        self.session = session
        self._apply_profile_settings()
        self._session_ready()

    def _session_ready(self) -> None:
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

    def notify_once(self, key: str, message: str, *, timeout: float | None = None) -> None:
        """A notification that replaces the last one given under `key` instead of stacking on it
        (a key pressed again and again says its one thing once)."""
        from textual.notifications import Notification, Notify

        old = self._keyed_notifications.get(key)
        if old is not None and old in self._notifications:
            self._unnotify(old, refresh=False)  # Textual ~=8.2's own removal (what a toast's timeout calls)
        note = Notification(message, "", "information", self.NOTIFICATION_TIMEOUT if timeout is None else timeout)
        self._keyed_notifications[key] = note
        self.post_message(Notify(note))

    def report_failure(self, error: BaseException) -> None:
        """A background job that crashed is told to the learner, never printed as a traceback."""
        self.notify(f"Something went wrong in the background ({type(error).__name__}: {error}). "
                    "What you have saved is safe; try again.", severity="error", timeout=10)

    # -- save-file problems -------------------------------------------------------------------------
    def _resolve_save_problem(self, choice: str | None) -> None:
        from tutor.session import SessionError

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

    # -- saving: one writer, in order, off the UI thread ---------------------------------------------
    def _deliver(self, callback: Callable[[Any], None], arg: Any) -> None:
        if self._loop is None or self._loop.is_closed():
            raise RuntimeError("the app is not running")
        self._loop.call_soon_threadsafe(callback, arg)

    def _save_failed(self, error: BaseException) -> None:
        from tutor.session import SessionError

        message = str(error) if isinstance(error, SessionError) else f"{type(error).__name__}: {error}"
        self.notify(f"Not saved: {message}", severity="error", timeout=10)

    def save(self, action: Callable[..., Any], *args, then: Callable[[Any], None] | None = None) -> None:
        """Queue a write through the session (`session.set_draft`, `record_verdict`...); returns at
        once. `then(result)` runs on the UI thread once it is written. A read-only profile (the
        learner was told when it opened) writes nothing."""
        if self.session is None or not self.session.store.writable:
            return
        self.writer.submit(action, *args, then=then)

    def save_answer(self, action: Callable[..., Any], *args, then: Callable[[Any], None] | None = None) -> None:
        """`save` for a checked answer (`session.record_verdict`): once it is written, in the
        writer's thread, each achievement it earned is told in one toast, and never again."""
        session = self.session
        if session is None or not session.store.writable:
            return

        def record(*written: Any) -> Any:
            from tutor.practice.achievements import Watch
            from tutor.practice.service import Settings

            watch = self._achievements = self._achievements or Watch()
            look = lambda: session.practice().achievements  # noqa: E731
            try:
                watch.before((session, Settings.of(session.profile.settings)), look)
            except Exception as exc:  # noqa: BLE001 - the answer is saved all the same
                self._tell_from_writer(self.report_failure, exc)
            result = action(*written)  # a failure here is the writer's "Not saved"
            try:
                new = watch.after(look)
            except Exception as exc:  # noqa: BLE001
                self._tell_from_writer(self.report_failure, exc)
            else:
                if new:
                    self._tell_from_writer(self._tell_achievements, new)
            return result

        self.writer.submit(record, *args, then=then)

    def _tell_from_writer(self, callback: Callable[[Any], None], arg: Any) -> None:
        try:
            self._deliver(callback, arg)
        except RuntimeError:
            pass  # the app has closed

    def _tell_achievements(self, earned: list) -> None:
        for achievement in earned:
            self.notify(f"{achievement.title}", title="★ Achievement earned", timeout=8)

    async def flush_saves(self) -> None:
        """Queue every screen's unsaved drafts and position, then wait (off the UI thread) until all
        of it is on disk."""
        if self.session is not None:
            for screen in self.screen_stack:
                flush = getattr(screen, "flush", None)
                if flush is not None:
                    flush()
        await asyncio.to_thread(self.writer.flush)

    def _save_theme(self, theme) -> None:
        name = getattr(theme, "name", theme)
        if self.accessible and name == HIGH_CONTRAST.name:
            return  # the accessible mode's theme, not the learner's choice
        self._chosen_theme = name
        if self._profile_theme() == name:
            return  # the profile's own (a profile switch shows it): nothing the learner chose now
        self.save(self.session.set_setting, "theme", name)

    # -- actions ------------------------------------------------------------------------------------
    def action_help(self) -> None:
        from tutor.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        # Drafts and the reading position are queued now, and everything queued is written before
        # the app exits: nothing typed is lost on quit.
        await self.flush_saves()
        self.exit(0)

    def on_unmount(self) -> None:
        self.writer.close()  # whatever is still queued (the app closed some other way) is written

    def reset_exercise(self, exercise_id: str) -> None:
        from tutor.ui.screens.dialogs import ConfirmScreen

        def answer(yes: bool | None) -> None:
            if not yes:
                return
            found = self.session.find_exercise(exercise_id)
            if found is None:
                return

            def done(_changed) -> None:
                self.notify(f"{exercise_id} was reset (`tutor reset --undo` brings it back).")
                self.refresh_progress()

            self.save(self.session.reset_exercise, found[2], then=done)

        self.push_screen(ConfirmScreen(f"Forget every attempt, hint and reveal of {exercise_id}, and its review "
                                       "history (its review card, XP and mastery go with it)?",
                                       yes="Reset", no="Keep"), answer)

    def switch_profile(self, name: str) -> None:
        self.run_worker(self._switch_profile(name), group="profile", exclusive=True, exit_on_error=False)

    async def _switch_profile(self, name: str) -> None:
        from tutor.progress import ProfileNameError, open_profile
        from tutor.session import Session
        from tutor.ui.screens.course_map import CourseMapScreen

        await self.flush_saves()  # the old profile's drafts and position are written first
        session = self.session
        try:
            store, issue = await asyncio.to_thread(open_profile, session.save_dir, name)
        except ProfileNameError as exc:
            self.notify(str(exc), severity="error")
            return
        self.session = Session(session.course, store, issue, session.lessons_dir, session.save_dir)
        self.session.clock = session.clock  # `--now` runs on across profiles
        self._apply_profile_settings()
        # Back to the course map, redrawn for this profile: the screens above it go.
        while not isinstance(self.screen, CourseMapScreen) and any(
                isinstance(screen, CourseMapScreen) for screen in self.screen_stack):
            await self.pop_screen()
        if isinstance(self.screen, CourseMapScreen):
            self.screen.refresh_progress()
        else:
            await self.push_screen(CourseMapScreen())
        self.notify(f"Profile: {name}")
        if issue is not None:
            from tutor.ui.screens.dialogs import SaveProblemScreen

            self.push_screen(SaveProblemScreen(issue), self._resolve_save_problem)

    def ask_new_profile(self) -> None:
        from tutor.ui.screens.dialogs import AskScreen

        self.push_screen(AskScreen("Name of the new profile (letters, digits, - and _):"),
                         lambda name: self.switch_profile(name) if name else None)

    def open_backprop_sandbox(self, graph=None, title: str = "") -> None:
        """The sandbox screen: empty with an example, or playing a lesson's worked example."""
        from tutor.ui.screens.backprop_sandbox import BackpropSandboxScreen

        self.push_screen(BackpropSandboxScreen(graph=graph, title=title))

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
