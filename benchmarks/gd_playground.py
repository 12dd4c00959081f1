"""What one key press costs in the gradient-descent playground: simulation, figure, redraw.

For the heaviest case the course has (Adam, 200 steps, in 2-D over level sets: adam/e4 of the
gd fixtures) and the free playground (GD/momentum/Adam on an elongated bowl), each key press is
timed in parts, the way the widget does it:
  worker thread: the simulation (model.act + the run), the figure data, the plot plans;
  UI thread:     plotext's redraw of every panel;
  end to end:    key handled → new figure shown, in a headless app.
The baseline, timed in the same run, is the existing 1-D `interactive: gd` figure (20 steps).
Target: ≤ 30 ms for the simulation + redraw of one key press.

    python benchmarks/gd_playground.py [--repeat 40] [--size 110 50]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 30.0


def stats(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def cases():
    from tutor.gd.figure import exercise_playground, playground_from_block
    from tutor.lessons.loader import load_course
    from tutor.plots import interactive_from_block

    course = load_course(ROOT / "tests" / "fixtures" / "gd")
    adam = course.exercise("adam/e4").data
    bowl = {"interactive": "gd-playground", "objective": "w0^2 + 10*w1^2", "vars": ["w0", "w1"], "start": [4, 1],
            "steps": 200, "optimizer": "adam", "settings": {"lr": 0.05}}
    baseline = {"interactive": "gd", "function": "x^2", "x": [-5, 5], "at": 4}
    return [
        ("baseline: 1-D gd figure, 20 steps", lambda: interactive_from_block(baseline)),
        ("adam/e4: Adam, 200 steps, 2-D", lambda: exercise_playground(adam)),
        ("playground: Adam, 200 steps, 2-D bowl", lambda: playground_from_block(bowl)),
    ]


def redraw_ms(view) -> float:
    from tutor.ui.widgets.plot_view import PlotCanvas

    start = time.perf_counter()
    for canvas in view.query(PlotCanvas):
        canvas._version += 1  # a new plan: the widget's cache is stale
        canvas.strips()  # plotext replays the plan and builds its matrix; that becomes screen lines
    return (time.perf_counter() - start) * 1000


async def measure(name: str, factory, args) -> dict[str, list[float]]:
    from textual.app import App
    from textual.containers import VerticalScroll

    from tutor.ui.widgets.plot_draw import plan_panel
    from tutor.ui.widgets.plot_view import CANVAS_ROWS, Y_LABEL_COLS, InteractivePlot, PlotView

    class Bench(App):
        def compose(self):
            with VerticalScroll(id="page"):
                yield InteractivePlot(factory, panels=2)

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
    times: dict[str, list[float]] = {"simulation": [], "figure": [], "plan": [], "ui": [], "latency": []}
    try:
        app = Bench()
        async with app.run_test(size=tuple(args.size)) as pilot:
            plot = app.query_one(InteractivePlot)
            view = plot.view
            while not view.draws or plot.model is None:
                await pilot.pause(0.02)
            plot.focus()
            model = plot.model
            up, down = model.controls[0], model.controls[1]  # both models: "+" a larger rate, "-" a smaller one
            width = max(view._width - Y_LABEL_COLS - 1, 16)
            for index in range(args.repeat):
                control = up if index % 2 == 0 else down
                with plot._lock:  # the worker's part, timed here on its own, then undone
                    start = time.perf_counter()
                    model.act(control)
                    if hasattr(model, "outcome"):
                        model.outcome()  # the gd playground's run (the 1-D figure runs inside figure())
                    simulated = time.perf_counter()
                    figure = model.figure(width)
                    built = time.perf_counter()
                    [plan_panel(p, view._width, CANVAS_ROWS) for p in figure.panels]
                    planned = time.perf_counter()
                    model.act(down if control is up else up)
                times["simulation"].append((simulated - start) * 1000)
                times["figure"].append((built - simulated) * 1000)
                times["plan"].append((planned - built) * 1000)
                draws = view.draws
                pressed.clear()
                await pilot.press(control.key)
                while view.draws == draws:
                    await pilot.pause(0.001)
                times["latency"].append((shown[-1] - pressed[0]) * 1000)
                times["ui"].append(redraw_ms(view))
    finally:
        InteractivePlot.action_control, PlotView._show = act, show
    return times


async def main(args) -> None:
    results = {}
    for name, factory in cases():
        results[name] = await measure(name, factory, args)
    baseline = None
    print(f"{args.repeat} key presses each, terminal {args.size[0]}x{args.size[1]}; medians (p95) in ms\n")
    print(f"{'case':<42} {'simulation':>14} {'figure':>14} {'plan':>14} {'UI redraw':>14} {'sim+redraw':>12} "
          f"{'key→shown':>14}")
    for name, times in results.items():
        per_press = [s + f + p + u for s, f, p, u in zip(times["simulation"], times["figure"], times["plan"],
                                                         times["ui"])]
        cells = [f"{stats(times[k])[0]:6.2f} ({stats(times[k])[1]:5.2f})" for k in ("simulation", "figure", "plan", "ui")]
        total_median, total_p95 = stats(per_press)
        latency = stats(times["latency"])
        baseline = baseline or total_median
        print(f"{name:<42} {cells[0]:>14} {cells[1]:>14} {cells[2]:>14} {cells[3]:>14} {total_median:6.2f} ({total_p95:5.2f})"
              f" {latency[0]:6.2f} ({latency[1]:5.2f})")
        verdict = "ok" if total_p95 <= TARGET_MS else f"OVER the {TARGET_MS:.0f} ms target"
        print(f"{'':<42} simulation + redraw = {total_median / baseline:4.2f}x the baseline; p95 {total_p95:.1f} ms "
              f"[{verdict}]")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--size", type=int, nargs=2, default=[110, 50], metavar=("COLS", "ROWS"))
    asyncio.run(main(parser.parse_args()))
