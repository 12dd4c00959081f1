"""The accessible mode: a high-contrast theme that passes WCAG AA, figures and answer readings also
in words, no animation, and a switch that is saved in the profile.

The contrast ratios are computed from the colour system Textual generates for the theme (the
variables the CSS actually uses), not from the handful of colours written in themes.py.
"""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.widgets import Static

from tutor.contrast import AA_TEXT, contrast_ratio
from tutor.ui.themes import HIGH_CONTRAST, HIGH_CONTRAST_ANSI
from uikit import answer_box, make_app, text_of, wait_for

SIZE = (100, 40)

GENERATED = HIGH_CONTRAST.to_color_system().generate()
BACKGROUNDS = ("background", "surface", "surface-active", "panel", "boost", "footer-background",
               "block-hover-background", "primary-background", "secondary-background",
               "primary-muted", "secondary-muted", "accent-muted", "success-muted", "warning-muted",
               "error-muted")
# Every variable text is drawn in, on any of the backgrounds above.
TEXT_ON_ANY_BACKGROUND = (
    "foreground", "text", "text-muted", "text-disabled",
    "primary", "secondary", "accent", "success", "warning", "error",
    "text-primary", "text-secondary", "text-accent", "text-success", "text-warning", "text-error",
    "footer-foreground", "footer-key-foreground", "footer-description-foreground",
    "markdown-h1-color", "markdown-h2-color", "markdown-h3-color",
    "markdown-h4-color", "markdown-h5-color", "markdown-h6-color",
    "border", "link-color", "link-color-hover",
)
# Text drawn on its own background: the cursor, the selection, the footer's keys.
PAIRS = (
    ("block-cursor-foreground", "block-cursor-background"),
    ("block-cursor-blurred-foreground", "block-cursor-blurred-background"),
    ("input-selection-foreground", "input-selection-background"),
    ("footer-key-foreground", "footer-key-background"),
    ("footer-description-foreground", "footer-description-background"),
    ("footer-foreground", "footer-background"),
    ("input-cursor-foreground", "input-cursor-background"),
    ("screen-selection-foreground", "screen-selection-background"),
    ("link-color-hover", "link-background-hover"),
    ("button-foreground", "panel"),
    ("button-color-foreground", "primary"),
    ("button-color-foreground", "success"),
    ("button-color-foreground", "warning"),
    ("button-color-foreground", "error"),
)


def resolve(name: str, under: Color) -> Color:
    """A variable's colour as seen on `under`: alpha composited, `auto` picked as Textual does."""
    value = GENERATED[name].strip()
    if value.startswith("auto"):
        alpha = float(value.split()[1].rstrip("%")) / 100 if " " in value else 1.0
        return under + under.get_contrast_text(alpha)
    return under + Color.parse(value)


def background(name: str) -> Color:
    return resolve(name, Color.parse(GENERATED["background"]))


def ratio(text: Color, back: Color) -> float:
    return contrast_ratio(text.hex6, back.hex6)


def failing(pairs) -> list[str]:
    out = []
    for text, back in pairs:
        under = background(back)
        measured = ratio(resolve(text, under), under)
        if measured < AA_TEXT:
            out.append(f"{text} {GENERATED[text]} on {back} {under.hex6}: {measured:.2f}")
    return out


def test_high_contrast_text_passes_wcag_aa_on_every_background():
    pairs = [(text, back) for text in TEXT_ON_ANY_BACKGROUND for back in BACKGROUNDS]
    assert len(pairs) > 300
    assert failing(pairs) == []


def test_high_contrast_cursor_selection_footer_and_button_pairs_pass_wcag_aa():
    assert failing(PAIRS) == []


def test_dim_text_and_named_colours_pass_wcag_aa():
    """`style="dim"` blends a text towards its background, and "bold red" goes through the ANSI
    theme the accessible mode sets: both must still be readable."""
    from rich.color import Color as RichColor
    from textual.filter import dim_color

    problems = []
    for back in ("background", "panel", "footer-background"):
        under = background(back)
        rich_under = RichColor.from_rgb(*under.rgb)
        for text in ("foreground", "text", "text-muted", "footer-description-foreground"):
            seen = resolve(text, under)
            dimmed = dim_color(rich_under, RichColor.from_rgb(*seen.rgb)).triplet
            if ratio(Color(*dimmed), under) < AA_TEXT:
                problems.append(f"dim {text} on {back}")
        palette = [HIGH_CONTRAST_ANSI.ansi_colors[i] for i in range(1, 16)]
        for index, colour in enumerate(palette, 1):
            if ratio(Color(*colour), under) < AA_TEXT:
                problems.append(f"ANSI colour {index} {colour} on {back}")
    assert problems == []


async def test_named_colours_are_drawn_through_the_high_contrast_ansi_theme(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        monokai = app.ansi_theme
        app.toggle_accessible()
        await pilot.pause()
        assert app.ansi_theme is HIGH_CONTRAST_ANSI
        app.toggle_accessible()
        await pilot.pause()
        assert app.ansi_theme is monokai


def test_the_contrast_check_composites_what_it_measures():
    # Not vacuous: a translucent text is measured as drawn (blended into its background), so the
    # stock selection (half-transparent gold under gold text) would fail where the opaque one passes.
    black = Color.parse("#000000")
    half_gold = black + Color.parse("#FFD7007F")
    assert ratio(Color.parse("#FFD700"), half_gold) < AA_TEXT
    assert ratio(resolve("text", black), black) > ratio(resolve("text", half_gold), half_gold)


async def test_accessible_mode_switches_theme_and_animation_and_is_saved(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "textual-dark" and not app.accessible
        app.toggle_accessible()
        await pilot.pause()
        assert app.theme == HIGH_CONTRAST.name
        assert app.animation_level == "none"
        await app.flush_saves()
        app.toggle_accessible()
        await pilot.pause()
        assert app.theme == "textual-dark" and app.animation_level != "none"
        app.toggle_accessible()
        await app.flush_saves()
    # The setting is in the profile, and the high-contrast theme is not saved as the learner's theme.
    again = make_app(tmp_path, service)
    assert again.accessible
    assert again.session.profile.settings.get("theme") in (None, "textual-dark")
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == HIGH_CONTRAST.name and again.animation_level == "none"


def test_the_command_line_flag_turns_the_mode_on(tmp_path):
    from tutor.cli import build_parser
    from tutor.ui.run import build_app

    args = build_parser().parse_args(["--accessible", "--save-dir", str(tmp_path)])
    app = build_app(args)
    try:
        assert app.accessible and app.theme == HIGH_CONTRAST.name
    finally:
        app.checker.close()
    args = build_parser().parse_args(["--save-dir", str(tmp_path)])
    app = build_app(args)
    try:
        assert not app.accessible
    finally:
        app.checker.close()


async def test_a_figure_says_its_numbers_in_words_and_follows_its_keys(tmp_path, service):
    from test_ui_plots import FIGURES, interactive, open_figures

    app = make_app(tmp_path, service)
    app.accessible = True
    async with app.run_test(size=SIZE) as pilot:
        await open_figures(pilot, app, FIGURES["tangent"])
        plot = interactive(app, "tangent")
        await wait_for(pilot, lambda: plot.query(".plot-control"))
        words = plot.view.query_one(".plot-words", Static)
        assert words.display
        before = text_of(words)
        assert before.startswith("Figure") and "slope" in before.lower()
        plot.focus()
        await pilot.pause()
        draws = plot.view.draws
        await pilot.press("right", "right")
        await wait_for(pilot, lambda: plot.view.draws > draws and text_of(words) != before)
        await pilot.pause(0.2)
        after = text_of(words)
        assert after != before and "slope" in after.lower()
        # Out of the accessible mode the words go (the picture and its readout stay).
        app.toggle_accessible()
        await pilot.pause()
        assert not words.display


async def test_the_answer_preview_is_also_said_in_words(tmp_path, service):
    app = make_app(tmp_path, service)
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("slopes", page=2)
        await pilot.pause(0.2)
        box = answer_box(app, "slopes/e3")
        box.focus()
        await pilot.press(*"cos(x^3)")
        reading = app.screen.query(".reading").first()
        await wait_for(pilot, lambda: "read as" in text_of(reading))
        assert "in words" not in text_of(reading)
        app.toggle_accessible()
        await wait_for(pilot, lambda: "in words" in text_of(reading))
        assert "in words: the cosine of x cubed" in text_of(reading)


async def test_a_focused_card_is_shown_by_its_border_shape(tmp_path, service):
    from uikit import card

    app = make_app(tmp_path, service)
    app.accessible = True
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("slopes", page=2)
        await pilot.pause(0.2)
        answer_box(app, "slopes/e3").focus()
        await pilot.pause()
        focused = card(app, "slopes/e3")
        assert focused.styles.border_top[0] == "heavy"
        others = [c for c in app.screen.query(type(focused)) if c is not focused]
        assert others and all(c.styles.border_top[0] == "round" for c in others)


async def test_a_math_block_is_also_said_in_words(tmp_path, service):
    app = make_app(tmp_path, service)
    app.accessible = True
    async with app.run_test(size=SIZE) as pilot:
        app.open_lesson("slopes", page=1)
        await pilot.pause(0.2)
        math = app.screen.query_one(".math", Static)
        await wait_for(pilot, lambda: "2⋅x" in str(math.render()))
        assert "in words: " in str(math.render())
        app.toggle_accessible()
        await pilot.pause()
        assert "2⋅x" in str(math.render()) and "in words" not in str(math.render())
