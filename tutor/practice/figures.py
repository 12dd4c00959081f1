"""The stats screen's charts as `tutor.plots` figures (drawn by the UI's PlotView), all of them
bars: XP per day over the last 30 days (with the daily goal as a dashed line), reviews due per
day over the next 14 days, accuracy per part in percent (a part with no answers has no bar, and
the readout says so), and mastery per part as stacked bars, mastered at the bottom. Every number
comes from `Stats` (what `tutor stats` prints). Built in a worker thread (NumPy)."""

from __future__ import annotations

from tutor.plots.model import BAR, Figure, Panel, Series
from tutor.practice.progress import MASTERED, NEW, PRACTISED, PROFICIENT
from tutor.practice.service import Stats

# Bottom to top, each with its palette colour (plot_draw.PALETTES: blue, orange, green, red,
# purple, cyan): mastered green, proficient blue, practised orange, new purple.
MASTERY_STACK = ((MASTERED, 2), (PROFICIENT, 0), (PRACTISED, 1), (NEW, 4))


def _top(values: list[float], floor: float) -> float:
    return max([floor, *values]) * 1.15


def xp_panel(stats: Stats):
    import numpy as np

    days = np.arange(-len(stats.xp_per_day) + 1, 1, dtype=float)
    xp = np.array([v for _, v in stats.xp_per_day], dtype=float)
    goal = np.array([days[0] - 0.5, 0.5]), np.full(2, float(stats.daily_goal))
    return Panel(
        "XP per day (last 30 days)", (days[0] - 0.5, 0.5), (0.0, _top([*xp, stats.daily_goal], 10)),
        series=(Series("XP", days, xp, BAR), Series("daily goal", *goal, "dashed", colour=1)),
        readout=(f"today {stats.xp_today} of {stats.daily_goal} XP · {stats.xp_total} XP in all · "
                 f"goal met on {sum(v >= stats.daily_goal for _, v in stats.xp_per_day)} of these days",),
        x_label="days from today", y_label="XP", whole_ticks=(True, True),
    )


def due_panel(stats: Stats):
    import numpy as np

    ahead = np.arange(len(stats.due_per_day), dtype=float)
    due = np.array([v for _, v in stats.due_per_day], dtype=float)
    return Panel(
        "Reviews due (next 14 days)", (-0.5, ahead[-1] + 0.5), (0.0, _top(list(due), 4)),
        series=(Series("reviews due", ahead, due, BAR, colour=5),),
        readout=(f"{stats.due_now} due now · {int(due.sum())} in the next 14 days (today's bar counts "
                 "what is overdue)",),
        x_label="days from today", y_label="cards", whole_ticks=(True, True),
    )


def accuracy_panel(stats: Stats):
    import numpy as np

    parts = np.array([p.part for p in stats.parts], dtype=float)
    accuracy = np.array([round(100 * p.accuracy) if p.accuracy is not None else np.nan for p in stats.parts],
                        dtype=float)  # whole percents, as the readout says them
    silent = [str(p.part) for p in stats.parts if p.accuracy is None]
    readout = [" · ".join(f"{p.part}: {p.accuracy:.0%} of {p.answered}" for p in stats.parts
                          if p.accuracy is not None) or "no answers yet"]
    if silent and len(silent) < len(stats.parts):
        readout.append(f"no bar: no answers yet in part{'s' if len(silent) > 1 else ''} {', '.join(silent)}")
    return Panel(
        "Accuracy per part (%)", (parts[0] - 0.5, parts[-1] + 0.5), (0.0, 105.0),
        series=(Series("answers right", parts, accuracy, BAR, colour=0),),
        readout=tuple(readout), x_label="part", y_label="%", whole_ticks=(True, True),
    )


def mastery_panel(stats: Stats):
    import numpy as np

    parts = np.array([p.part for p in stats.parts], dtype=float)
    most = max(1, max(sum(p.mastery.values()) for p in stats.parts))
    return Panel(
        "Mastery per part (lessons)", (parts[0] - 0.5, parts[-1] + 0.5), (0.0, most * 1.15),
        series=tuple(Series(level, parts, np.array([p.mastery[level] for p in stats.parts], dtype=float), BAR,
                            colour=colour) for level, colour in MASTERY_STACK),
        readout=(" · ".join(f"{p.part}: {p.mastery[PROFICIENT] + p.mastery[MASTERED]}/{sum(p.mastery.values())}"
                            for p in stats.parts) + " proficient or better",),
        x_label="part", y_label="lessons", stacked=True, whole_ticks=(True, True),
    )


def stats_figure(stats: Stats) -> Figure:
    return Figure("Your practice", (xp_panel(stats), due_panel(stats), accuracy_panel(stats), mastery_panel(stats)))
