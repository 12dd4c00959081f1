"""How long a figure's redraw takes in the widget, on the UI thread and end to end.

For every ```plot block in lessons/*.md (and the interactive kinds no lesson uses yet), the figure
is mounted in a headless app the size of a terminal; then each redraw is timed the way the widget
does it on the UI thread, for every panel of the figure: plotext replays the plan and builds its
character matrix (what PlotextPlot's render does), and the matrix becomes screen lines.

The heaviest figure (the most points drawn) is timed again with more runs, and so is one control
step of the heaviest interactive figure with several panels: the key's worker (model.act,
figure, plan), the UI redraw, and the time from the key being handled to the new figure shown.

    python benchmarks/plot_render.py [--repeat 30] [--size 100 40] [--quiet]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import time
from pathlib import Path

import yaml

LESSONS = Path(__file__).resolve().parent.parent / "lessons"
FENCE = re.compile(r"^```plot\n(.*?)^```", re.S | re.M)
TARGET_MS = 30.0
EXTRA = {  # interactive kinds the lessons do not use (yet)
    "activations": {"title": "Activation functions and their derivatives", "interactive": "activations"},
    "gd x^2": {"title": "Gradient descent", "interactive": "gd", "function": "x^2", "x": [-5, 5], "at": 4},
}


def lesson_blocks() -> list[tuple[str, dict]]:
    blocks = []
    for path in sorted(LESSONS.glob("*.md")):
        if path.name == "README.md":
            continue
        text = path.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text[: match.start()].count("\n") + 1
            blocks.append((f"{path.stem}:{line}", yaml.safe_load(match.group(1))))
    return blocks + list(EXTRA.items())


def stats(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def redraw_ms(view) -> float:
    """One redraw of every panel, as the UI thread does it after a new plan or a theme change."""
    from tutor.ui.widgets.plot_view import PlotCanvas

    start = time.perf_counter()
    for canvas in view.query(PlotCanvas):
        canvas._version += 1  # a new plan: the widget's cache is stale
        canvas.strips()  # plotext replays the plan, builds its matrix, and that becomes screen lines
    return (time.perf_counter() - start) * 1000


async def main(args) -> None:
    from textual.app import App
    from textual.containers import VerticalScroll

    from tutor.ui.widgets.plot_view import InteractivePlot, PlotView, expected_panels

    class Bench(App):
        CSS_PATH = Path(__file__).resolve().parent.parent / "tutor" / "ui" / "tutor.tcss"

        def __init__(self, data: dict) -> None:
            super().__init__()
            self.data = data

        def compose(self):
            with VerticalScroll(id="page"):
                factory = InteractivePlot if self.data.get("interactive") else PlotView
                yield factory.from_block(self.data)

    async def mounted(data: dict, body):
        app = Bench(data)
        async with app.run_test(size=tuple(args.size)) as pilot:
            view = app.query_one(PlotView)
            while not view.draws:
                await pilot.pause(0.02)
            await pilot.pause(0.1)
            return await body(app, pilot, view)

    async def time_redraws(data: dict, repeat: int):
        async def body(app, pilot, view):
            redraw_ms(view)  # warm
            return [redraw_ms(view) for _ in range(repeat)], view.figure

        return await mounted(data, body)

    results = []
    for name, data in lesson_blocks():
        times, figure = await time_redraws(data, max(10, args.repeat // 2))
        median, p95 = stats(times)
        points = sum(len(s) for p in figure.panels for s in p.series) if figure else 0
        results.append((points, name, data))  # the most points drawn: the heaviest, whatever the noise
        if not args.quiet:
            panels = len(figure.panels) if figure else 0
            print(f"  {name:<40} {panels} panel(s) {points:5d} points   median {median:6.2f} ms   p95 {p95:6.2f} ms")

    _, name, data = max(results, key=lambda r: r[0])
    times, figure = await time_redraws(data, args.repeat)
    median, p95 = stats(times)
    verdict = "ok" if p95 < TARGET_MS else f"OVER the {TARGET_MS:.0f} ms target"
    print(f"\nheaviest figure: {name} ({len(figure.panels)} panels) at {args.size[0]}x{args.size[1]}")
    print(f"  UI redraw (plotext build + render), {args.repeat} runs: median {median:.2f} ms, p95 {p95:.2f} ms  "
          f"[{verdict}]")

    interactive = [r for r in results if r[2].get("interactive") and expected_panels(r[2]) > 1]
    _, name, data = max(interactive or [r for r in results if r[2].get("interactive")], key=lambda r: r[0])

    async def control_steps(app, pilot, view):
        plot = app.query_one(InteractivePlot)
        while not plot.query(".plot-control"):
            await pilot.pause(0.02)
        plot.focus()
        model = plot.model
        keys = [c.key for c in model.controls]
        step_key, back_key = keys[0], keys[1] if len(keys) > 1 else keys[0]
        worker, ui, latency = [], [], []
        from tutor.ui.widgets.plot_draw import plan_panel
        from tutor.ui.widgets.plot_view import CANVAS_ROWS, Y_LABEL_COLS

        for index in range(args.repeat):
            key = step_key if index % 2 == 0 else back_key
            control = next(c for c in model.controls if c.key == key)
            start = time.perf_counter()  # the worker's part, timed here on its own
            model.act(control)
            figure = model.figure(max(view._width - Y_LABEL_COLS - 1, 16))
            [plan_panel(p, view._width, CANVAS_ROWS) for p in figure.panels]
            worker.append((time.perf_counter() - start) * 1000)
            model.act(next(c for c in model.controls if c.key == (back_key if key == step_key else step_key)))
            draws = view.draws
            pressed.clear()
            await pilot.press(key)
            while view.draws == draws:
                await pilot.pause(0.001)
            latency.append((shown[-1] - pressed[0]) * 1000)
            ui.append(redraw_ms(view))
        return model.kind, keys, worker, ui, latency

    # Key handled -> figure shown: stamped inside the widget, without the pilot's own waits.
    pressed: list[float] = []
    shown: list[float] = []
    act, show = InteractivePlot.action_control, PlotView._show

    def stamped_act(self, index):
        pressed.append(time.perf_counter())
        act(self, index)

    def stamped_show(self, *a):
        show(self, *a)
        shown.append(time.perf_counter())

    InteractivePlot.action_control, PlotView._show = stamped_act, stamped_show
    kind, keys, worker, ui, latency = await mounted(data, control_steps)
    print(f"\ninteractive step: {name} ({kind}), keys {keys[0]} / {keys[1] if len(keys) > 1 else keys[0]}, "
          f"{args.repeat} presses")
    for label, times in (("worker: act + figure + plan", worker), ("UI redraw (plotext build + render)", ui),
                         ("key handled to new figure shown", latency)):
        median, p95 = stats(times)
        print(f"  {label:<38} median {median:6.2f} ms   p95 {p95:6.2f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--size", type=int, nargs=2, default=[100, 40], metavar=("COLS", "ROWS"))
    parser.add_argument("--quiet", action="store_true", help="only the heaviest figure and the control step")
    asyncio.run(main(parser.parse_args()))
