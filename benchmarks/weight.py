"""Page weight: what a reader downloads for one page, in gzip bytes, and how many requests.

``measure(site, page)`` reads a built page and the files it loads from the
site folder: render-blocking resources (stylesheets, scripts without
``async``/``defer``) make up the critical path with the HTML itself; icons and
images make up the rest of the page. Bytes are gzip level 9, as a static host
with compression serves them. A resource on another host raises
:class:`ThirdParty`: the theme allows none.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup


class ThirdParty(ValueError):
    pass


@dataclass
class Weight:
    critical: int        # gzip bytes: HTML + render-blocking resources
    whole: int           # gzip bytes: everything the page loads
    requests: int        # HTTP requests to show the page (the HTML included)
    blocking: list[str]  # site-relative paths of the render-blocking files


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def local_file(site: Path, page: Path, url: str, own_hosts: tuple[str, ...]) -> Path:
    parts = urlsplit(url)
    if parts.netloc and parts.netloc not in own_hosts:
        raise ThirdParty(f"{page.relative_to(site)} loads {url} from another host")
    path = unquote(parts.path)
    target = site / path.lstrip("/") if path.startswith("/") or parts.netloc else page.parent / path
    return target / "index.html" if target.is_dir() else target


def resources(site: Path, page: Path, own_hosts: tuple[str, ...] = ()) -> tuple[list[Path], list[Path]]:
    """(render-blocking files, other files) that ``page`` loads."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    blocking: list[Path] = []
    other: list[Path] = []
    for link in soup.find_all("link", href=True):
        rel = link.get("rel") or []
        if "stylesheet" in rel:
            blocking.append(local_file(site, page, link["href"], own_hosts))
        elif "icon" in rel:
            other.append(local_file(site, page, link["href"], own_hosts))
    for script in soup.find_all("script", src=True):
        target = blocking if not (script.has_attr("async") or script.has_attr("defer")) else other
        target.append(local_file(site, page, script["src"], own_hosts))
    for tag in soup.find_all(["img", "source", "video", "audio"], src=True):
        other.append(local_file(site, page, tag["src"], own_hosts))
    return blocking, other


def measure(site: Path, page: str, own_hosts: tuple[str, ...] = ()) -> Weight:
    """The weight of ``site/page`` (a path like ``posts/x/index.html``)."""
    html = site / page
    blocking, other = resources(site, html, own_hosts)
    blocking = list(dict.fromkeys(blocking))
    other = [p for p in dict.fromkeys(other) if p not in blocking]
    critical = gzip_size(html.read_bytes()) + sum(gzip_size(p.read_bytes()) for p in blocking)
    whole = critical + sum(gzip_size(p.read_bytes()) for p in other)
    return Weight(critical, whole, 1 + len(blocking) + len(other),
                  [p.relative_to(site).as_posix() for p in blocking])
