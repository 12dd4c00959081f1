"""The stats screen's charts: bars from the practice numbers (XP per day, reviews due, accuracy
with no bar where a part has no answers, mastery stacked), planned for plotext as bars with whole
ticks, and described in words for the accessible mode."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import plotext

from tutor.plots.describe import describe_figure
from tutor.plots.model import BAR, Panel, Series
from tutor.practice.figures import stats_figure
from tutor.practice.service import PartStats, Stats
from tutor.ui.widgets.plot_draw import BAR_FILLS, BAR_WIDTH, draw, nice_ticks, plan_panel

TODAY = date(2026, 3, 9)


def stats() -> Stats:
    xp = [(TODAY - timedelta(days=29 - i), 0) for i in range(30)]
    xp[-1], xp[-3] = (xp[-1][0], 40), (xp[-3][0], 75)
    due = [(TODAY + timedelta(days=i), n) for i, n in enumerate([3, 0, 2] + [0] * 11)]
    levels = lambda new, practised, proficient, mastered: {  # noqa: E731
        "new": new, "practised": practised, "proficient": proficient, "mastered": mastered}
    parts = [PartStats(1, "One", 8, 10, levels(0, 1, 2, 1)), PartStats(2, "Two", 0, 0, levels(3, 0, 0, 0)),
             PartStats(3, "Three", 1, 4, levels(1, 1, 0, 0))]
    return Stats(TODAY, 115, 40, 50, xp, due, parts, None, 3)


def test_every_chart_is_bars_from_the_stats_numbers():
    figure = stats_figure(stats())
    xp, due, accuracy, mastery = figure.panels
    assert xp.find("XP").style == BAR and list(xp.find("XP").ys[-3:]) == [75, 0, 40]
    assert xp.find("daily goal").style == "dashed" and set(xp.find("daily goal").ys) == {50}
    assert due.find("reviews due").style == BAR and list(due.find("reviews due").ys[:3]) == [3, 0, 2]
    right = accuracy.find("answers right")
    assert right.style == BAR and right.ys[0] == 80 and math.isnan(right.ys[1]) and right.ys[2] == 25
    assert any("no answers yet in part 2" in line for line in accuracy.readout)
    assert mastery.stacked and [s.label for s in mastery.series] == ["mastered", "proficient", "practised", "new"]
    assert all(s.style == BAR for s in mastery.series)
    assert [float(s.ys[0]) for s in mastery.series] == [1, 2, 1, 0]  # part 1, bottom to top


def test_stacked_bars_are_drawn_as_running_totals_top_first_with_a_shade_each():
    parts = np.array([1.0, 2.0])
    panel = Panel("m", (0.5, 2.5), (0.0, 6.0), series=(
        Series("low", parts, np.array([1.0, 0.0]), BAR), Series("mid", parts, np.array([2.0, np.nan]), BAR),
        Series("top", parts, np.array([1.0, 3.0]), BAR)), stacked=True)
    plan = plan_panel(panel, 60, 15)
    bars = [s for s in plan.strokes if s.bars]
    # Running totals, the top drawn first; a bar of its own height 0 or NaN is not drawn at all
    # (drawn, its blank cells would cut the bottom off the bars above it).
    assert [(s.xs, s.ys) for s in bars] == [([1.0, 2.0], [4.0, 3.0]), ([1.0], [3.0]), ([1.0], [1.0])]
    assert [s.marker for s in bars] == list(BAR_FILLS[:3])[::-1]
    assert {s.width for s in bars} == {BAR_WIDTH}  # a bar is as wide alone as among others
    rows = drawn(plan, 60, 15)
    bottom = next(row for row in reversed(rows) if "┤" in row and "▒" in row)  # the 0 row
    assert bottom.split("┤")[1].strip().startswith("█") and bottom.rstrip("│ ").endswith("▒")  # part 2 stands on 0
    assert [(glyph, label) for glyph, label, _ in plan.legend] == [
        (BAR_FILLS[0] * 2, "low"), (BAR_FILLS[1] * 2, "mid"), (BAR_FILLS[2] * 2, "top")]


def test_a_lone_row_of_bars_is_drawn_after_the_lines_in_half_blocks():
    days = np.arange(-4.0, 1.0)
    panel = Panel("xp", (-4.5, 0.5), (0.0, 60.0), series=(
        Series("XP", days, np.array([0, 10, np.nan, 50, 20.0]), BAR),
        Series("goal", np.array([-4.5, 0.5]), np.array([30.0, 30.0]), "dashed")), whole_ticks=(True, True))
    plan = plan_panel(panel, 60, 15)
    assert plan.strokes[-1].bars and not any(s.bars for s in plan.strokes[:-1])  # the goal shows between bars
    assert (plan.strokes[-1].xs, plan.strokes[-1].ys) == ([-3, -1, 0], [10, 50, 20])  # 0 or no data: no bar
    assert all(float(v).is_integer() for v in plan.xticks[0] + plan.yticks[0])
    assert any("█" in row or "▌" in row or "▐" in row for row in drawn(plan, 60, 15))


def drawn(plan, cols: int, rows: int) -> list[str]:
    """The plan as plotext draws it, in plain text."""
    plt = plotext._figure._figure_class()
    draw(plt, plan, True, (224, 224, 224), (30, 30, 30), (cols, rows))
    plt.plotsize(cols, rows)
    return plotext._utility.uncolorize(plt.build()).splitlines()


def test_whole_ticks_never_fall_between_days():
    assert "2.5" in nice_ticks(-0.5, 13.5, 6)[1]  # fine for a curve, not for days
    values, labels = nice_ticks(-0.5, 13.5, 6, whole=True)
    assert values and all(float(v).is_integer() for v in values) and "2.5" not in labels
    values, _ = nice_ticks(0.5, 7.5, 20, whole=True)
    assert values == (1, 2, 3, 4, 5, 6, 7)


def test_the_charts_in_words_give_each_bar_and_say_where_there_is_none():
    words = "\n".join(describe_figure(stats_figure(stats())))
    assert "Bars XP, by days from today: 2 of 30 above zero (-2: 75, 0: 40). Highest 75" in words
    assert "Bars reviews due, by days from today: 0: 3, 1: 0, 2: 2," in words
    assert "Bars answers right, by part: 1: 80, 3: 25. Highest 80 at part 1. No bar (no data) at part 2." in words
    assert "Bars stacked in this order, the first at the bottom." in words
    assert "Bars new, by part: 1: 0, 2: 3, 3: 1." in words
