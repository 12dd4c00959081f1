"""The stats screen's charts as `tutor.plots` figures (drawn by the UI's PlotView): XP per day
over the last 30 days, accuracy per part, reviews due per day over the next 14 days, and
mastery per part. Built in a worker thread (NumPy)."""

from __future__ import annotations

from tutor.plots.model import Figure, Panel, Series
from tutor.practice.progress import MASTERED, PRACTISED, PROFICIENT
from tutor.practice.service import Stats


def _top(values: list[float], floor: float) -> float:
    return max([floor, *values]) * 1.15


def stats_figure(stats: Stats) -> Figure:
    import numpy as np

    days = np.arange(-len(stats.xp_per_day) + 1, 1, dtype=float)
    xp = np.array([v for _, v in stats.xp_per_day], dtype=float)
    goal = np.full_like(days, float(stats.daily_goal))
    xp_panel = Panel(
        "XP per day (last 30 days)", (days[0] - 0.5, 0.5), (0.0, _top([*xp, stats.daily_goal], 10)),
        series=(Series("XP", days, xp, "bold"), Series("daily goal", days, goal, "dashed")),
        readout=(f"today {stats.xp_today} of {stats.daily_goal} XP · {stats.xp_total} XP in all",),
        x_label="days ago", y_label="XP",
    )
    ahead = np.arange(len(stats.due_per_day), dtype=float)
    due = np.array([v for _, v in stats.due_per_day], dtype=float)
    due_panel = Panel(
        "Reviews due (next 14 days)", (-0.5, ahead[-1] + 0.5), (0.0, _top(list(due), 4)),
        series=(Series("reviews due", ahead, due, "bold"),),
        readout=(f"{stats.due_now} due now · {int(due.sum())} in the next 14 days",),
        x_label="days from today", y_label="cards",
    )
    parts = np.array([p.part for p in stats.parts], dtype=float)
    accuracy = np.array([100 * p.accuracy if p.accuracy is not None else np.nan for p in stats.parts], dtype=float)
    accuracy_panel = Panel(
        "Accuracy per part (%)", (parts[0] - 0.5, parts[-1] + 0.5), (0.0, 105.0),
        series=(Series("answers right", parts, accuracy, "scatter"),),
        readout=(" · ".join(f"{p.part}: " + ("–" if p.accuracy is None else f"{p.accuracy:.0%}")
                            for p in stats.parts),),
        x_label="part", y_label="%",
    )
    levels = [(PRACTISED, "dashed"), (PROFICIENT, "line"), (MASTERED, "bold")]
    counts = {level: np.array([p.mastery[level] for p in stats.parts], dtype=float) for level, _ in levels}
    most = max(1, max(sum(p.mastery.values()) for p in stats.parts))
    mastery_panel = Panel(
        "Mastery per part (lessons)", (parts[0] - 0.5, parts[-1] + 0.5), (0.0, most * 1.15),
        series=tuple(Series(level, parts, counts[level], style) for level, style in levels),
        readout=(" · ".join(f"{p.part}: {p.mastery[PROFICIENT] + p.mastery[MASTERED]}/{sum(p.mastery.values())} "
                            "proficient" for p in stats.parts),),
        x_label="part", y_label="lessons",
    )
    return Figure("Your practice", (xp_panel, due_panel, accuracy_panel, mastery_panel))
