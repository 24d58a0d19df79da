"""Helpers shared by the theme's markup tests: the built HTML pages, parsed."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup


def html_pages(site: Path) -> list[Path]:
    """Every theme-rendered HTML page (alias redirect pages are not the theme's)."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text:
            continue
        pages.append(path)
    return pages


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
