"""The study-points post's formulas render as MathML in Chromium.

Uses the shared browser fixtures from ``tests/browser.py`` (the built site on a
local server, Debian's Chromium through Playwright).
"""

from __future__ import annotations

import pytest

STUDY_POINTS = "/posts/aws-ml-study-points/"

MEASURE = """() => [...document.querySelectorAll('article math, main math, math')].map(m => {
    const box = m.getBoundingClientRect();
    const note = m.querySelector('annotation');
    const noteBox = note ? note.getBoundingClientRect() : null;
    return {
        display: m.getAttribute('display'),
        tex: note ? note.textContent : null,
        width: box.width,
        height: box.height,
        fontSize: parseFloat(getComputedStyle(m).fontSize),
        hasFraction: m.querySelector('mfrac') !== null,
        // The laid-out formula itself (the first child of <semantics>), which
        // can be wider than the <math> box when it doesn't fit.
        inkRight: (() => {
            const shown = m.querySelector('semantics > :first-child');
            return shown ? shown.getBoundingClientRect().right : box.right;
        })(),
        viewport: document.documentElement.clientWidth,
        noteVisible: noteBox !== null && noteBox.width > 0 && noteBox.height > 0,
    };
})"""


def measure(load_page, width: int, scheme: str = "light") -> list[dict]:
    loaded = load_page(STUDY_POINTS, width=width, scheme=scheme)
    formulas = loaded.page.evaluate(MEASURE)
    # querySelectorAll with overlapping selectors can list a formula twice.
    unique = {(f["tex"], f["display"], f["width"], f["height"]): f for f in formulas}
    assert unique, ("no <math> elements on the study-points page: is blogtools.plugins.mathml "
                    "in pelicanconf.py's MARKDOWN extensions?")
    assert not loaded.problems(), loaded.problems()
    return list(unique.values())


@pytest.mark.parametrize("width", [390, 1280])
def test_every_formula_has_a_rendered_size(load_page, width):
    formulas = measure(load_page, width)
    empty = [f["tex"] for f in formulas if not (f["width"] > 0 and f["height"] > 0)]
    assert not empty, f"formulas with no rendered size: {empty}"
    assert {f["display"] for f in formulas} == {"inline", "block"}


def test_tex_annotations_are_not_shown(load_page):
    # <semantics> renders only its first child; the TeX source is for copying.
    formulas = measure(load_page, 1280)
    assert all(f["tex"] for f in formulas), "every formula keeps its TeX source"
    shown = [f["tex"] for f in formulas if f["noteVisible"]]
    assert not shown, f"TeX source rendered as text: {shown}"


def test_display_fractions_are_laid_out_as_fractions(load_page):
    # A stacked fraction is taller than a line of text; an unrendered one (plain
    # inline text such as "\frac{TP}{TP+FP}") would not be.
    formulas = measure(load_page, 1280, scheme="dark")
    fractions = [f for f in formulas if f["display"] == "block" and f["hasFraction"]]
    assert fractions, "the post has display formulas with fractions"
    flat = [f["tex"] for f in fractions if f["height"] < 1.4 * f["fontSize"]]
    assert not flat, f"display fractions not stacked: {flat}"
    one_line = [f for f in formulas if f["display"] == "block" and not f["hasFraction"]
                and "sqrt" not in f["tex"] and "sum" not in f["tex"]]
    assert all(f["height"] < 1.4 * f["fontSize"] for f in one_line), "a one-line formula is one line high"


def test_display_formulas_fit_a_narrow_phone_screen(load_page):
    # Each display formula is narrow enough for a 320px screen, so none is cut off.
    formulas = measure(load_page, 320)
    too_wide = [(f["tex"], round(f["inkRight"]), f["viewport"])
                for f in formulas if f["display"] == "block" and f["inkRight"] > f["viewport"]]
    assert not too_wide, f"display formulas wider than the screen: {too_wide}"
