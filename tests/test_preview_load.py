"""The live preview under load: a burst of requests while rebuilds swap the site.

Every response must be whole: the old page or the new one, byte for byte (less
the reload script the preview adds), never an error, a missing page or a mix.
"""

from __future__ import annotations

import pathlib
import re
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import blogtools.publish.swap
from blogtools.commands.preview import Preview
from tests.conftest import SETTINGS
from tests.publishing import two_posts, with_about_page

REQUESTS = 200
WORKERS = 200
MAX_BURSTS = 10  # bounded: at most 2,000 requests, all to 127.0.0.1
PATHS = ("posts/second-post/", "", "feeds/all.atom.xml")
FILES = {"posts/second-post/": "posts/second-post/index.html", "": "index.html",
         "feeds/all.atom.xml": "feeds/all.atom.xml"}
INJECTED = re.compile(rb'<script src="/__preview/reload\.js" data-build="[^"]*"></script>')


def version(blog, which: str) -> None:
    """A large page, so a swap has time to land in the middle of sending it."""
    words = ("old " if which == "a" else "renewed ") * 60_000
    blog.post("second-post", f"The second post ({which}).\n\n{words}", date="2021-02-03T04:05:06Z",
              summary=f"Second ({which}).")


@pytest.fixture
def blog(tiny_site):
    with_about_page(tiny_site)
    two_posts(tiny_site)
    return tiny_site


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError as error:  # refused, reset, timed out: each a failure the test reports
        return -1, repr(error).encode()


@pytest.mark.parametrize("swap", ["one rename", "two renames"])
def test_a_burst_of_requests_during_rebuilds_gets_whole_pages(blog, monkeypatch, swap):
    if swap == "two renames":  # as on a system without renameat2(RENAME_EXCHANGE)
        monkeypatch.setattr(blogtools.publish.swap, "exchange", lambda a, b: False)
        rename = pathlib.Path.rename

        def slow_swap(self, target):  # a slow disk: the moment with no output/ lasts 20 ms
            moved = rename(self, target)
            if Path(target).name.startswith(".output-old-"):
                time.sleep(0.02)
            return moved

        monkeypatch.setattr(pathlib.Path, "rename", slow_swap)
    pages = {}
    for which in "ab":
        version(blog, which)
        assert blog.build().ok
        pages[which] = {path: (blog.output / file).read_bytes() for path, file in FILES.items()}
    assert all(pages["a"][path] != pages["b"][path] for path in PATHS)

    preview = Preview(SETTINGS, blog.output, [], host="127.0.0.1", port=0,
                      overrides={"PATH": str(blog.content), "CACHE_PATH": str(blog.root / "cache"),
                                 "SOURCEMAP_PATH": str(blog.root / "sources.json")},
                      log=lambda line: None)
    url = preview.start()
    done, rebuilds = threading.Event(), []

    def keep_rebuilding():
        which = "a"
        while not done.is_set():
            version(blog, which)
            rebuilds.append(preview.rebuild())
            which = "b" if which == "a" else "a"

    rebuilder = threading.Thread(target=keep_rebuilding)
    try:
        rebuilder.start()
        answers = []
        with ThreadPoolExecutor(WORKERS) as pool:
            # Bursts of REQUESTS until the site has been swapped a few times meanwhile
            # (a loaded machine rebuilds slowly), at most MAX_BURSTS of them.
            for _ in range(MAX_BURSTS):
                swapped = len(rebuilds)
                paths = [PATHS[i % len(PATHS)] for i in range(REQUESTS)]
                answers += pool.map(lambda path: (path, *fetch(url + path)), paths, timeout=120)
                if len(rebuilds) - swapped >= 2:
                    break
    finally:
        done.set()
        rebuilder.join(timeout=120)
        preview.stop()

    assert len(rebuilds) >= 2 and all(rebuilds), "the site was not swapped during the burst"
    bad = []
    for path, status, body in answers:
        served = INJECTED.sub(b"", body)
        if status != 200 or served not in (pages["a"][path], pages["b"][path]):
            bad.append((path, status, len(body), body[:120]))
    assert bad == [], f"{len(bad)} of {len(answers)} responses were not a whole page: {bad[:5]}"
    # Both versions were served: the burst did overlap the swaps.
    served = {INJECTED.sub(b"", body) for path, _, body in answers if path == PATHS[0]}
    assert len(served) == 2
