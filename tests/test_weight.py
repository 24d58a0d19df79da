"""Weight budget of the write-up: HTML plus render-blocking bytes ≤ 14 KB gzip, whole page ≤ 50 KB."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from benchmarks.weight import ThirdParty, measure
from tests.conftest import WRITEUP_HTML

FIRST_ROUND_TRIP = 14 * 1024
WHOLE_PAGE = 50 * 1024
SITE_HOST = "shanenolan.dev"


def test_writeup_fits_the_budget(published_site):
    weight = measure(published_site, WRITEUP_HTML, own_hosts=(SITE_HOST,))
    print(f"write-up: {weight.critical} B gzip before first render, {weight.whole} B gzip in all")
    assert weight.critical <= FIRST_ROUND_TRIP, weight.critical
    assert weight.whole <= WHOLE_PAGE, weight.whole


def test_the_measure_sees_blocking_files_and_other_hosts(tmp_path):
    (tmp_path / "style.css").write_text("body { color: red; }" * 50)
    (tmp_path / "a.png").write_bytes(bytes(range(256)) * 8)
    page = tmp_path / "index.html"
    page.write_text('<link rel="stylesheet" href="/style.css"><img src="a.png"><p>Hi</p>')
    weight = measure(tmp_path, "index.html")
    assert weight.blocking == ["style.css"] and weight.requests == 3
    assert weight.critical < weight.whole
    page.write_text('<script src="https://cdn.example.com/x.js"></script>')
    with pytest.raises(ThirdParty):
        measure(tmp_path, "index.html")


def test_no_third_party_resources(published_site):
    page = published_site / WRITEUP_HTML
    soup = BeautifulSoup(page.read_text(), "lxml")
    for tag in soup.find_all(["link", "script", "img", "iframe", "source"]):
        url = tag.get("src") or (tag.get("href") if tag.name != "link" or
                                 "alternate" not in (tag.get("rel") or []) and
                                 "canonical" not in (tag.get("rel") or []) else None)
        if url:
            assert url.startswith(("https://shanenolan.dev/", "/")), url
