"""WCAG AA contrast for every text/background pair of both palettes, code tokens included."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

VARIABLES = Path(__file__).resolve().parent.parent / "theme" / "css" / "00-variables.css"
AA_TEXT = 4.5
# (text colour, background) pairs the stylesheet actually uses.
PAIRS = [("fg", "bg"), ("muted", "bg"), ("accent", "bg"), ("on-mark", "mark"),
         ("fg", "surface"), ("accent", "surface"), ("muted", "surface"),
         ("code-fg", "code-bg"), ("accent", "code-bg")]
TOKENS = ["code-comment", "code-keyword", "code-string", "code-number", "code-function",
          "code-builtin", "code-deleted", "code-inserted"]
# Code is read on its block's background and on a highlighted line's.
CODE_BACKGROUNDS = ["code-bg", "code-line"]


def palettes() -> dict[str, dict[str, str]]:
    css = VARIABLES.read_text()
    light_block = re.search(r":root\s*\{(.*?)\}", css, re.S).group(1)
    dark_block = re.search(r"prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{(.*?)\}", css, re.S).group(1)
    light = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", light_block))
    dark = dict(light, **dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", dark_block)))
    return {"light": light, "dark": dark}


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_dark_scheme_redefines_colours_only():
    css = VARIABLES.read_text()
    dark_block = re.search(r"prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{(.*?)\}", css, re.S).group(1)
    names = re.findall(r"--([\w-]+):\s*([^;]+);", dark_block)
    assert names and all(value.strip().startswith("#") for _, value in names)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_pair_meets_aa(scheme):
    colours = palettes()[scheme]
    pairs = PAIRS + [(token, background) for token in TOKENS + ["code-fg"]
                     for background in CODE_BACKGROUNDS]
    failing = [(fg, bg, round(contrast(colours[fg], colours[bg]), 2)) for fg, bg in pairs
               if contrast(colours[fg], colours[bg]) < AA_TEXT]
    assert not failing


def test_every_pygments_token_class_uses_a_checked_colour():
    css = (VARIABLES.parent / "06-code.css").read_text()
    used = set(re.findall(r"var\(--(code-[\w-]+)\)", css))
    assert used <= set(TOKENS) | set(CODE_BACKGROUNDS) | {"code-fg"}
    assert not re.findall(r"#[0-9a-fA-F]{3,8}\b", css)
