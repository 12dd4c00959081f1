"""Command palette entries: go to a lesson or exercise, reset an exercise, switch profile or theme."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


def _first_line(markdown: str, width: int = 60) -> str:
    """The start of an exercise's prompt, on one line, for the palette."""
    text = " ".join(markdown.replace("`", "").replace("*", "").split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


DAILY_GOALS = (20, 50, 100, 200)  # XP a day
DAILY_REVIEWS = (10, 20, 40)  # cards a day


def _practice_commands(app) -> list[tuple[str, object, str]]:
    """The practice game's settings (daily goal, reviews a day, the opt-in streak) and screens."""
    from tutor.practice.service import DAILY_GOAL_KEY, DAILY_REVIEWS_KEY, STREAK_KEY, Settings

    session = app.session
    current = Settings.of(session.profile.settings)

    def setting(key: str, value) -> object:
        return partial(app.save, session.set_setting, key, value, then=lambda _r: app.refresh_progress())

    out: list[tuple[str, object, str]] = []
    for goal in DAILY_GOALS:
        mark = " (now)" if goal == current.daily_goal else ""
        out.append((f"Practice: daily goal {goal} XP{mark}", setting(DAILY_GOAL_KEY, goal), "XP to earn each day"))
    for size in DAILY_REVIEWS:
        mark = " (now)" if size == current.daily_reviews else ""
        out.append((f"Practice: {size} reviews a day{mark}", setting(DAILY_REVIEWS_KEY, size),
                    "the most cards a review session serves in a day"))
    if current.streak:
        out.append(("Practice: turn the streak off", setting(STREAK_KEY, False), "no streak is kept or shown"))
    else:
        out.append(("Practice: keep a streak", setting(STREAK_KEY, True),
                    "days you reach your goal in a row; a missed day can be covered by a freeze"))
    return out


class TutorCommands(Provider):
    def _commands(self) -> list[tuple[str, object, str]]:
        app = self.app
        session = app.session
        out: list[tuple[str, object, str]] = []
        if session is None:  # the course is still being read
            return out
        for lesson in session.course.lessons.values():
            out.append((f"Go to lesson: {lesson.title}", partial(app.open_lesson, lesson.id),
                        f"Part {lesson.part} · {lesson.id}"))
        for lesson in session.course.lessons.values():
            for index, page in enumerate(lesson.pages):
                for exercise in page.exercises:
                    out.append((f"Go to exercise: {exercise.id} · {_first_line(exercise.prompt)}",
                                partial(app.open_lesson, lesson.id, index, exercise.id),
                                f"{exercise.kind} · {lesson.title}"))
                    out.append((f"Reset exercise: {exercise.id}", partial(app.reset_exercise, exercise.id),
                                "forget its attempts, hints and solution"))
        from tutor.progress import list_profiles

        for info in list_profiles(session.save_dir):
            if info.name != session.profile_name:
                out.append((f"Switch profile: {info.name}", partial(app.switch_profile, info.name), info.summary))
        out.append(("Switch profile: new profile…", app.ask_new_profile, "start a separate save file"))
        out.append(("Backprop sandbox: step through any expression", app.open_backprop_sandbox,
                    "type an expression and values, then do its forward and backward pass"))
        out.append(("Accessible mode: " + ("turn off" if app.accessible else "turn on"), app.toggle_accessible,
                    "high contrast, figures and answers also in words, no animation; saved in your profile"))
        out.extend(_practice_commands(app))
        for theme in sorted(app.available_themes):
            out.append((f"Switch theme: {theme}", partial(setattr, app, "theme", theme), "saved in your profile"))
        return out

    async def discover(self) -> Hits:
        for name, action, help_text in self._commands():
            if name.startswith(("Go to lesson", "Switch theme: textual", "Switch profile: new", "Backprop sandbox",
                                "Accessible mode", "Practice:")):
                yield DiscoveryHit(name, action, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), action, help=help_text)
