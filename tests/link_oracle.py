"""A small, independent resolver of a built site's internal links (an oracle for tests).

Deliberately simple and separate from blogtools.linkcheck, so the two can
check each other: parse every HTML and feed file with BeautifulSoup, collect
internal URLs and ids, and resolve each URL as a static host would.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

URL_ATTRIBUTES = ("href", "src", "poster")


def pages(site: Path):
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".xml"):
            yield path


def parse(path: Path) -> BeautifulSoup:
    text = path.read_text(encoding="utf-8")
    return BeautifulSoup(text, "xml" if path.suffix == ".xml" else "lxml")


def urls_in(path: Path) -> list[str]:
    soup = parse(path)
    found = []
    for tag in soup.find_all(True):
        for attribute in URL_ATTRIBUTES:
            if tag.get(attribute):
                found.append(tag[attribute])
        if tag.get("srcset"):
            found += [c.split()[0] for c in tag["srcset"].split(",") if c.strip()]
    if path.suffix == ".xml":
        for node in soup.find_all(["content", "description", "summary"]):
            inner = BeautifulSoup(node.get_text(), "lxml")
            for tag in inner.find_all(True):
                for attribute in URL_ATTRIBUTES:
                    if tag.get(attribute):
                        found.append(tag[attribute])
        for node in soup.find_all(["link", "loc", "guid", "id"]):
            if node.string and "://" in node.string:
                found.append(node.string.strip())
    return found


def ids_in(path: Path) -> set[str]:
    soup = parse(path)
    return {t["id"] for t in soup.find_all(id=True)} | {t["name"] for t in soup.find_all("a", attrs={"name": True})}


def resolve(site: Path, page: Path, url: str, base_url: str = "") -> tuple[Path | None, str] | None:
    """``(file or None, fragment)`` for an internal URL; ``None`` for an external one."""
    if url.startswith(("mailto:", "tel:", "data:", "javascript:")):
        return None
    page_url = "/" + page.relative_to(site).as_posix()
    if base_url and url.startswith(base_url.rstrip("/") + "/"):
        url = url[len(base_url.rstrip("/")):]
    elif "://" in url or url.startswith("//"):
        return None
    parts = urlsplit(urljoin(page_url, url))
    path = posixpath.normpath(unquote(parts.path)) if parts.path else page_url
    if parts.path.endswith("/") or path == "/":
        path = path.rstrip("/") + "/index.html"
    target = site / path.lstrip("/")
    if target.is_dir():
        target = target / "index.html"
    return (target if target.is_file() else None), unquote(parts.fragment)


def broken_links(site: Path, base_url: str = "") -> list[str]:
    """Every internal URL on every page that names a missing file or fragment."""
    id_cache: dict[Path, set[str]] = {}
    problems = []
    for page in pages(site):
        for url in urls_in(page):
            resolved = resolve(site, page, url, base_url)
            if resolved is None:
                continue
            target, fragment = resolved
            where = f"{page.relative_to(site)}: {url}"
            if target is None:
                problems.append(f"{where} (no such file)")
            elif fragment and fragment != "top" and target.suffix == ".html":
                if target not in id_cache:
                    id_cache[target] = ids_in(target)
                ids = id_cache[target]
                if fragment not in ids:
                    problems.append(f"{where} (no id '{fragment}')")
    return problems
