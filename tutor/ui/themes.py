"""The tutor's own themes: a high-contrast one for the accessible mode.

Every colour a text can take here is chosen so that it reaches WCAG AA (4.5:1) on every
background it can sit on; `tests/test_accessible.py` computes the ratios from the generated
colour system, so a change that breaks that fails a test.
"""

from __future__ import annotations

from rich.terminal_theme import TerminalTheme
from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="tutor-high-contrast",
    dark=True,
    primary="#FFD700",  # gold: 15.0:1 on black
    secondary="#7FDBFF",  # light blue: 12.7:1
    accent="#00FFFF",  # cyan: 16.7:1
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    success="#5FFF87",  # green: 16.3:1
    warning="#FFD700",
    error="#FF8080",  # light red: 8.0:1 (a pure red is only 5.3:1)
    boost="#FFFFFF14",
    luminosity_spread=0.0,  # no darker or lighter shades that could drop below AA
    text_alpha=1.0,
    variables={
        "block-cursor-background": "#FFD700",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "block-cursor-blurred-background": "#3A3A3A",
        "block-cursor-blurred-foreground": "#FFFFFF",
        "footer-key-foreground": "#FFD700",
        "footer-background": "#1A1A1A",
        "footer-foreground": "#FFFFFF",
        "footer-description-foreground": "#FFFFFF",
        "input-selection-background": "#FFD700",
        "input-selection-foreground": "#000000",
        "screen-selection-background": "#FFD700",  # opaque: a half-gold under gold text would be unreadable
        "screen-selection-foreground": "#000000",
        "border": "#FFFFFF",
        "border-blurred": "#808080",
        "text-muted": "#D0D0D0",
        # The tinted backgrounds (a badge, a highlighted tab) stay dark enough for every text colour.
        "primary-muted": "#332B00",
        "warning-muted": "#332B00",
        "secondary-muted": "#1A2C33",
        "accent-muted": "#003333",
        "success-muted": "#13331B",
        "error-muted": "#331A1A",
        "text-disabled": "#A0A0A0",
        "markdown-h1-color": "#FFD700",
        "markdown-h2-color": "#FFD700",
        "markdown-h3-color": "#FFD700",
        "markdown-h4-color": "#FFFFFF",
        "markdown-h5-color": "#FFFFFF",
        "markdown-h6-color": "#FFFFFF",
    },
)

# Text styled with a colour name ("bold red" in a verdict) is drawn through the app's ANSI theme;
# Textual's dark one (Monokai) has a red of 4.2:1 on a panel. This one keeps every named colour
# but black readable on the high-contrast backgrounds.
HIGH_CONTRAST_ANSI = TerminalTheme(
    (0, 0, 0),
    (255, 255, 255),
    [
        (0, 0, 0),  # black: a background colour, never text
        (255, 128, 128),  # red
        (95, 255, 135),  # green
        (255, 215, 0),  # yellow
        (135, 175, 255),  # blue
        (255, 135, 255),  # magenta
        (0, 255, 255),  # cyan
        (255, 255, 255),  # white
    ],
    [
        (176, 176, 176),  # bright black (grey)
        (255, 160, 160),
        (135, 255, 170),
        (255, 235, 100),
        (170, 200, 255),
        (255, 170, 255),
        (128, 255, 255),
        (255, 255, 255),
    ],
)

THEMES = (HIGH_CONTRAST,)
