"""How long the plot engine's domain half takes to make figure data.

Times `figure_from_block` for every ```plot block in lessons/*.md, and `figure()` of each
interactive model (built from the lessons' blocks, plus the kinds no lesson uses yet), at two
widget widths, and prints what each figure holds. The widget's own render is measured with the
widget.

    python benchmarks/plot_data.py [--repeat 20] [--widths 80 200] [--quiet]
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import yaml

LESSONS = Path(__file__).resolve().parent.parent / "lessons"
FENCE = re.compile(r"^```plot\n(.*?)^```", re.S | re.M)


def lesson_blocks() -> list[tuple[str, dict]]:
    blocks = []
    for path in sorted(LESSONS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text[: match.start()].count("\n") + 1
            blocks.append((f"{path.name}:{line}", yaml.safe_load(match.group(1))))
    return blocks


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def describe(figure) -> str:
    parts = []
    for panel in figure.panels:
        series = ", ".join(f"{s.label}[{len(s)} pts/{len(s.segments())} seg]" for s in panel.series)
        parts.append(f"    panel '{panel.title}' {panel.axes} x={panel.x_range} "
                     f"y=({panel.y_range[0]:.4g}, {panel.y_range[1]:.4g}): {series}; {len(panel.markers)} markers")
        parts.extend(f"      | {line}" for line in panel.readout)
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--widths", type=int, nargs="+", default=[80, 200])
    parser.add_argument("--quiet", action="store_true", help="timings only")
    args = parser.parse_args()

    start = time.perf_counter()
    from tutor.plots import figure_from_block, interactive_from_block
    from tutor.plots.interactive import Activations, AnswerVsTruth, GradientDescent1D

    print(f"import tutor.plots (+ numpy, sympy): {(time.perf_counter() - start) * 1000:.0f} ms")
    blocks = lesson_blocks()
    start = time.perf_counter()
    for _, data in blocks:
        figure_from_block(data, args.widths[0])
    print(f"first pass over {len(blocks)} lesson blocks (parsing, SymPy derivatives, caches cold): "
          f"{(time.perf_counter() - start) * 1000:.0f} ms\n")

    header = "".join(f"{'w=' + str(w):>10}" for w in args.widths)
    print(f"figure_from_block, median ms{'':24}{header}")
    for where, data in blocks:
        cells = "".join(f"{median_ms(lambda: figure_from_block(data, w), args.repeat):10.2f}" for w in args.widths)
        print(f"  {where:<52}{cells}")
        if not args.quiet:
            print(describe(figure_from_block(data, args.widths[-1])))

    models = []
    for where, data in blocks:
        model = interactive_from_block(data)
        if model is not None:
            models.append((f"{model.kind} ({where})", model))
    models += [
        ("activations", Activations()),
        ("gd x^2 lr=0.1", GradientDescent1D("x^2", 5.0, 0.1)),
        ("gd x^2 lr=1.5 (divergent)", GradientDescent1D("x^2", 5.0, 1.5)),
        ("answer cos(x^3) vs 3x^2cos(x^3)", AnswerVsTruth("cos(x^3)", "3*x^2*cos(x^3)", ("x",), (-2.0, 2.0))),
    ]
    print(f"\nmodel.figure(width), median ms{'':22}{header}")
    for name, model in models:
        cells = "".join(f"{median_ms(lambda: model.figure(w), args.repeat):10.2f}" for w in args.widths)
        print(f"  {name:<52}{cells}")
        if not args.quiet:
            print(describe(model.figure(args.widths[-1])))
    print("\ncontrol + figure(80), median ms")
    for name, model in models:
        control = model.controls[0]
        back = next((c for c in model.controls if c.action == control.action and c.args != control.args), None)

        def press(model=model, control=control, back=back) -> None:
            model.act(control)
            if back is not None:
                model.act(back)
            model.figure(80)

        print(f"  {name:<52}{median_ms(press, args.repeat):10.2f}")


if __name__ == "__main__":
    main()
