"""The WCAG contrast formula against known values."""

from __future__ import annotations

import pytest

from tutor.contrast import contrast_ratio, parse_hex, relative_luminance


def test_black_on_white_is_21_and_a_colour_on_itself_is_1():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)


def test_known_pairs():
    # Values from the WebAIM contrast checker.
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the lightest AA grey on white
    assert contrast_ratio("#0000ff", "#ffffff") == pytest.approx(8.59, abs=0.01)
    assert contrast_ratio("#ff0000", "#000000") == pytest.approx(5.25, abs=0.01)


def test_order_does_not_matter_and_short_hex_works():
    assert contrast_ratio("#fff", "#000") == contrast_ratio("#000000", "#FFFFFF")
    assert relative_luminance(parse_hex("#808080")) == pytest.approx(0.2159, abs=1e-4)


def test_bad_colours_are_refused():
    for bad in ("red", "#12345", "#gggggg", ""):
        with pytest.raises(ValueError):
            parse_hex(bad)
