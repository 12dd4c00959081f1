"""The stats screen: the practice game's numbers in words, as four plotext bar charts (XP per
day, reviews due ahead, accuracy and mastery per part) and the achievements, earned (with their
date) and to come (with how far along). The numbers come from the session's practice service
(`Practice.stats()`, the same as `tutor stats`); the figure is built in PlotView's worker."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from rich.text import Text
from textual.widgets import Footer, Header, Static

from tutor.practice.achievements import shown_in_order
from tutor.practice.service import Stats
from tutor.ui.widgets.plot_view import PlotView


# Two charts side by side from about 120 columns; one under the other below (30 bars need room).
STATS_PANEL_COLS = 56


def summary_lines(stats: Stats) -> str:
    lines = [f"XP today: {stats.xp_today} of your goal of {stats.daily_goal} · {stats.xp_total} XP in all",
             f"Reviews due now: {stats.due_now}"]
    if stats.streak is not None:
        s = stats.streak
        lines.append(f"Streak: {s.length} day{'s' if s.length != 1 else ''} · {s.freezes} freeze"
                     f"{'s' if s.freezes != 1 else ''} in hand" + (" · today's goal reached" if s.today_done else ""))
    earned = sum(a.earned is not None for a in stats.achievements)
    lines.append(f"Achievements: {earned} of {len(stats.achievements)} earned (under the charts)")
    return "\n".join(lines)


def achievements_text(stats: Stats) -> Text:
    """Earned ones first (bold, with their date), then the rest with their progress."""
    text = Text()
    for achievement in shown_in_order(stats.achievements):
        if text:
            text.append("\n")
        text.append(achievement.line(), style="bold" if achievement.earned is not None else "")
    return text


class StatsScreen(Screen):
    BINDINGS = [Binding("escape,s", "leave", "Back", id="leave-stats")]

    def __init__(self, stats: Stats) -> None:
        super().__init__()
        self.stats = stats

    def compose(self) -> ComposeResult:
        from tutor.practice.figures import stats_figure

        yield Header()
        with VerticalScroll(id="stats"):
            yield Static(summary_lines(self.stats), id="stats-summary")
            yield PlotView(lambda _width: stats_figure(self.stats), panels=4, min_panel_cols=STATS_PANEL_COLS,
                           id="stats-plot")
            yield Static("Achievements", id="stats-achievements-title")
            yield Static(achievements_text(self.stats), id="stats-achievements", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Stats"

    def action_leave(self) -> None:
        self.dismiss()
