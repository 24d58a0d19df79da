"""axe-core (bundled by axe-playwright-python, no network) finds no violation on any page, in
either colour scheme."""

from __future__ import annotations

import pytest

from tests.browser import PAGES

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture(scope="module")
def axe():
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    return axe_module.Axe()


def violations(axe, page):
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                     "resultTypes": ["violations"]})
    return [(v["id"], [n["target"] for n in v["nodes"]][:5]) for v in results.response["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES) + ["about", "archives", "tags"])
def test_no_axe_violations(load_page, axe, name, scheme):
    path = PAGES.get(name) or f"/{name}/"
    loaded = load_page(path, width=1280, scheme=scheme)
    assert violations(axe, loaded.page) == []
    assert loaded.problems() == []  # axe itself made no request
