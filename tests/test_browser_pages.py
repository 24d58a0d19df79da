"""In Chromium: no sideways scroll from 320 px, no console error, no outside request; TLDR
links land on their headings; the dark scheme changes the palette; the skip link comes first."""

from __future__ import annotations

import pytest

from tests.browser import PAGES, WIDTHS

WRITEUP = PAGES["writeup"]
TLDR = ["LearningMaterials", "SampleExamSources", "AboutTheExam", "TopTips"]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_fits_and_loads_cleanly(load_page, name, width):
    loaded = load_page(PAGES[name], width=width)
    assert loaded.horizontal_overflow() <= 0, f"{name} scrolls sideways at {width}px"
    assert loaded.problems() == []


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("anchor", TLDR)
def test_tldr_link_scrolls_its_heading_to_the_top(load_page, anchor, width):
    loaded = load_page(WRITEUP, width=width)
    page = loaded.page
    page.click(f'.post-content a[href="#{anchor}"] >> nth=0')
    page.wait_for_function(f"location.hash === '#{anchor}'")
    page.wait_for_timeout(100)
    top = page.evaluate(
        f"document.getElementById('{anchor}').closest('h2').getBoundingClientRect().top")
    assert 0 <= top <= 40, f"#{anchor} heading is {top}px from the top"


def test_dark_scheme_changes_the_palette(load_page):
    colours = {}
    for scheme in ("light", "dark"):
        page = load_page(WRITEUP, scheme=scheme).page
        colours[scheme] = page.evaluate(
            "() => { const s = getComputedStyle(document.body);"
            " const c = getComputedStyle(document.querySelector('pre'));"
            " return [s.backgroundColor, s.color, c.backgroundColor]; }")
    for light, dark in zip(colours["light"], colours["dark"]):
        assert light != dark
    assert colours["dark"][0] == "rgb(30, 31, 35)"


def test_tab_reaches_the_skip_link_first_and_focus_is_visible(load_page):
    page = load_page(WRITEUP, width=1280).page
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " const r = e.getBoundingClientRect();"
        " return [e.className, e.getAttribute('href'), s.outlineStyle, s.outlineWidth, r.top, r.height]; }")
    assert focused[0] == "skip-link" and focused[1] == "#main"
    assert focused[2] != "none" and focused[3] != "0px"
    assert focused[4] >= 0 and focused[5] > 0  # on screen once focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") == "A"


def test_heading_permalink_shows_on_focus(load_page):
    page = load_page(WRITEUP, width=1280).page
    link = page.locator("#learning-materials .headerlink")
    assert float(link.evaluate("e => getComputedStyle(e).opacity")) == 0
    link.focus()
    assert float(link.evaluate("e => getComputedStyle(e).opacity")) == 1


def test_print_hides_navigation_and_shows_link_targets(load_page):
    page = load_page(WRITEUP, width=1280).page
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).display") == "none"
    after = page.evaluate(
        "getComputedStyle(document.querySelector('.post-content a[href^=\"http\"]'), '::after').content")
    assert "attr" in after or "http" in after
