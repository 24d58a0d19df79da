"""Weight budget of the write-up: HTML plus render-blocking bytes ≤ 14 KB gzip, whole page ≤ 50 KB."""

from __future__ import annotations

import gzip
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from tests.conftest import WRITEUP_HTML

FIRST_ROUND_TRIP = 14 * 1024
WHOLE_PAGE = 50 * 1024


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


SITE_HOST = "shanenolan.dev"


def local_file(site, page, url):
    path = urlsplit(url).path
    if urlsplit(url).netloc not in ("", SITE_HOST):
        raise AssertionError(f"third-party request: {url}")
    target = site / path.lstrip("/") if path.startswith("/") else page.parent / path
    return target / "index.html" if target.is_dir() else target


def resources(site, page):
    """(render-blocking files, other files) the page loads."""
    soup = BeautifulSoup(page.read_text(), "lxml")
    blocking, other = [], []
    for link in soup.find_all("link", href=True):
        rel = link.get("rel") or []
        if "stylesheet" in rel:
            blocking.append(local_file(site, page, link["href"]))
        elif "icon" in rel:
            other.append(local_file(site, page, link["href"]))
    for script in soup.find_all("script", src=True):
        if not script.has_attr("async") and not script.has_attr("defer"):
            blocking.append(local_file(site, page, script["src"]))
    for tag in soup.find_all(["img", "source"], src=True):
        other.append(local_file(site, page, tag["src"]))
    return blocking, other


def measure(site):
    page = site / WRITEUP_HTML
    blocking, other = resources(site, page)
    first = gzip_size(page.read_bytes()) + sum(gzip_size(p.read_bytes()) for p in blocking)
    whole = first + sum(gzip_size(p.read_bytes()) for p in set(other))
    return first, whole


def test_writeup_fits_the_budget(published_site):
    first, whole = measure(published_site)
    print(f"write-up: {first} B gzip before first render, {whole} B gzip in all")
    assert first <= FIRST_ROUND_TRIP, first
    assert whole <= WHOLE_PAGE, whole


def test_no_third_party_resources(published_site):
    page = published_site / WRITEUP_HTML
    soup = BeautifulSoup(page.read_text(), "lxml")
    for tag in soup.find_all(["link", "script", "img", "iframe", "source"]):
        url = tag.get("src") or (tag.get("href") if tag.name != "link" or
                                 "alternate" not in (tag.get("rel") or []) and
                                 "canonical" not in (tag.get("rel") or []) else None)
        if url:
            assert url.startswith(("https://shanenolan.dev/", "/")), url
