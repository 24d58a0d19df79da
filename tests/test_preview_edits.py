"""The live preview serves, after every kind of edit, what a cold build writes.

One preview runs over a tiny site while an author works through the edits of a
writing day: a post's body, summary, title, tags and date, a new post, a deleted
one, a draft published, a heading renamed, a page's body, a template, a setting,
an image added and removed. After each save the preview rebuilds on its own, and
then every file it serves (its HTML without the reload hook it injects while
serving) is byte for byte what a cold build of the same sources writes into an
empty folder, with an empty cache. Nothing restarts in between.

A broken edit (bad front matter, a broken link) shows its one line in the
terminal log and in the page, and the last good page keeps being served under it.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import urllib.error
import urllib.request

import pytest

from blogtools.commands.build import build
from blogtools.commands.preview import Preview
from tests.conftest import ROOT, tree
from tests.publishing import with_about_page

WAIT = 90  # generous for slow CI machines; nothing here asserts speed
HOOK = re.compile(rb'(<link rel="stylesheet" href="/__preview/overlay.css">'
                  rb'<div id="preview-build-error".*?</div>)?'
                  rb'<script src="/__preview/reload\.js" data-build="[^"]*"></script>', re.S)
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5b4b2a90000000049454e44ae426082")


def save(path, text: str | bytes) -> None:
    """Write as an editor saves, with a modification time surely newer than before."""
    old = path.stat().st_mtime_ns if path.exists() else 0
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns <= old:
        os.utime(path, ns=(old + 1_000_000, old + 1_000_000))


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Desk:
    """A tiny blog with its own settings file and theme copy, and a preview of it."""

    def __init__(self, tiny):
        self.tiny = tiny
        with_about_page(tiny)
        self.theme = tiny.root / "theme"
        shutil.copytree(ROOT / "theme", self.theme)
        self.settings = tiny.settings_file()
        with open(self.settings, "a", encoding="utf-8") as handle:
            handle.write(f"THEME = {str(self.theme)!r}\n")
        self.logged: list[str] = []
        self.preview = Preview(self.settings, tiny.output,
                               [tiny.content, self.theme, self.settings],
                               host="127.0.0.1", port=0, interval=0.1, log=self.logged.append)
        self.cold_runs = 0

    def post(self, name: str, body: str, **front):
        return self.tiny.post(name, body, **front)

    def wait_for_rebuild(self, since: int) -> dict:
        """The preview's state once it rebuilt after version ``since`` and settled."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            state = self.preview.status()
            if state["version"] > since and not state["building"]:
                time.sleep(0.5)  # a second round for a save seen half-written
                again = self.preview.status()
                if again["version"] == state["version"] and not again["building"]:
                    return again
                continue
            time.sleep(0.05)
        raise AssertionError(f"no rebuild after version {since}; log:\n" + "\n".join(self.logged))

    def edit(self, path, text) -> dict:
        since = self.preview.status()["version"]
        save(path, text)
        return self.wait_for_rebuild(since)

    def remove(self, path) -> dict:
        since = self.preview.status()["version"]
        path.unlink()
        return self.wait_for_rebuild(since)

    def cold_build(self) -> dict[str, bytes]:
        """What ``invoke build`` writes from the same sources, starting from nothing."""
        self.cold_runs += 1
        folder = self.tiny.root / f"cold-{self.cold_runs}"
        result = build(self.settings, folder / "output", CACHE_PATH=str(folder / "cache"),
                       SOURCEMAP_PATH=str(folder / "sources.json"))
        assert result.ok, "\n".join(result.problems)
        files = tree(folder / "output")
        shutil.rmtree(folder)
        return files

    def served(self, url: str, relative: str) -> bytes:
        status, body = get(url + relative)
        assert status == 200, (relative, status)
        return HOOK.sub(b"", body) if relative.endswith(".html") else body

    def assert_same_as_cold(self, url: str, what: str) -> dict[str, bytes]:
        cold = self.cold_build()
        written = tree(self.tiny.output)
        assert sorted(written) == sorted(cold), f"after {what}: the preview's files differ"
        different = [name for name in cold if written[name] != cold[name]]
        assert not different, f"after {what}: not what a cold build writes: {different}"
        served = [name for name in cold if self.served(url, name) != cold[name]]
        assert not served, f"after {what}: served bytes differ from a cold build: {served}"
        return cold


@pytest.fixture
def desk(tiny_site):
    desk = Desk(tiny_site)
    desk.post("first-post", "The first post. See [the second](/posts/second-post/).\n\n"
                            "## Setting up\n\nSteps.", tags=["aws"], summary="First.")
    desk.post("second-post", "The second post.", date="2021-02-03T04:05:06Z", summary="Second.")
    desk.post("draft-post", "Not yet.", draft=True)
    yield desk
    desk.preview.stop()


def test_every_kind_of_edit_serves_what_a_cold_build_writes(desk):
    url = desk.preview.start()
    assert desk.preview.status()["ok"], desk.logged
    started_with = desk.preview.build_id
    desk.assert_same_as_cold(url, "the first build")
    posts, pages = desk.tiny.content / "posts", desk.tiny.content / "pages"
    first = posts / "first-post.md"
    image = desk.tiny.content / "images" / "new.png"

    def rewrite(path, old, new):
        text = path.read_text(encoding="utf-8")
        assert old in text, (path, old)
        return desk.edit(path, text.replace(old, new))

    edits = [
        ("a post's body", lambda: rewrite(first, "The first post.", "The first post, edited."),
         "posts/first-post/index.html", b"The first post, edited."),
        ("a summary", lambda: rewrite(first, 'summary = "First."', 'summary = "Firstly."'),
         "index.html", b"Firstly."),
        ("a title", lambda: rewrite(first, 'title = "First Post"', 'title = "A Better Title"'),
         "index.html", b"A Better Title"),
        ("the tags", lambda: rewrite(first, '["aws"]', '["aws", "sagemaker"]'),
         "tags/sagemaker/index.html", b"A Better Title"),
        ("a date", lambda: rewrite(posts / "second-post.md", "2021-02-03", "2020-02-03"),
         "archives/index.html", b"2020"),
        ("a new post", lambda: desk.edit(posts / "third-post.md",
                                         '+++\ntitle = "Third Post"\ndate = 2021-03-01T00:00:00Z\n'
                                         '+++\n\nThe third post.\n'),
         "posts/third-post/index.html", b"The third post."),
        ("a deleted post", lambda: desk.remove(posts / "third-post.md"),
         "index.html", None),
        ("a draft published", lambda: rewrite(posts / "draft-post.md", "draft = true", "draft = false"),
         "posts/draft-post/index.html", b"Not yet."),
        ("a heading renamed", lambda: rewrite(first, "## Setting up", "## Getting set up"),
         "posts/first-post/index.html", b'id="getting-set-up"'),
        ("a page's body", lambda: rewrite(pages / "about.md", "About the author.", "All about me."),
         "about/index.html", b"All about me."),
        ("a template", lambda: rewrite(desk.theme / "templates" / "base.html", "</main>",
                                       "</main><!-- edited template -->"),
         "index.html", b"<!-- edited template -->"),
        ("a setting", lambda: desk.edit(desk.settings, desk.settings.read_text(encoding="utf-8")
                                        + 'SITENAME = "Renamed Blog"\n'),
         "index.html", b"Renamed Blog"),
        ("an image added", lambda: image.parent.mkdir() or desk.edit(image, PNG),
         "images/new.png", PNG),
        ("an image removed", lambda: desk.remove(image),
         "index.html", None),
    ]
    patched, refusals = [], []
    for what, make_edit, page, shows in edits:
        state = make_edit()
        assert state["ok"], f"after {what}: {state['problems']}"
        if state["patched"]:
            patched.append(what)
        refusals.append((what, state["refused"]))
        cold = desk.assert_same_as_cold(url, what)
        if shows is not None:
            assert shows in cold[page], f"after {what}: the edit is not in {page}"
    assert "third-post" not in " ".join(tree(desk.tiny.output))
    assert not (desk.tiny.output / "images" / "new.png").exists()
    assert desk.preview.build_id == started_with  # one process, one server, all day
    # Body and title edits are patched into the kept site (commands.patch); the rest is
    # built in full.
    assert patched == ["a post's body", "a summary", "a title", "a heading renamed",
                       "a page's body"], \
        refusals


def test_a_broken_edit_keeps_the_last_good_page_and_says_why(desk):
    url = desk.preview.start()
    first = desk.tiny.content / "posts" / "first-post.md"
    good_text = first.read_text(encoding="utf-8")
    good_page = desk.served(url, "posts/first-post/index.html")

    for broken, expected in [
        (good_text.replace('title = "First Post"', 'title = "First Post'), "first-post.md:"),
        (good_text.replace("](/posts/second-post/)", "](/posts/no-such-post/)"), "first-post.md:"),
    ]:
        desk.logged.clear()
        state = desk.edit(first, broken)
        assert state["ok"] is False
        assert any(expected in line for line in state["problems"]), state["problems"]
        assert any(expected in line for line in desk.logged), desk.logged  # the terminal
        status, page = get(url + "posts/first-post/index.html")
        assert status == 200
        assert b'id="preview-build-error"' in page and expected.encode() in page  # the banner
        assert desk.served(url, "posts/first-post/index.html") == good_page  # last good page

    state = desk.edit(first, good_text)
    assert state["ok"], state["problems"]
    assert b"preview-build-error" not in get(url + "posts/first-post/index.html")[1]
    desk.assert_same_as_cold(url, "the fix")
