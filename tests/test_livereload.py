"""invoke livereload: serve, rebuild on save, reload the page, show build errors in the page."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from blogtools.commands.preview import Preview, snapshot
from tests.conftest import ROOT, SETTINGS
from tests.publishing import two_posts, with_about_page

WAIT = 60  # generous: CI machines are slow; no assertion is made on speed


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def poll(url: str, predicate, timeout: float = WAIT) -> str:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            _, last = get(url)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            last = ""
        if predicate(last):
            return last
        time.sleep(0.2)
    raise AssertionError(f"{url} never satisfied the condition; last body:\n{last[-2000:]}")


def touch_later(path, text):
    """Write ``text`` with an mtime surely different from the last one."""
    old = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns == old:
        os.utime(path, ns=(old + 1_000_000, old + 1_000_000))


@pytest.fixture
def blog(tiny_site):
    with_about_page(tiny_site)
    two_posts(tiny_site)
    return tiny_site


def preview_of(blog) -> Preview:
    return Preview(SETTINGS, blog.output, [blog.content], host="127.0.0.1", port=0,
                   overrides={"PATH": str(blog.content), "CACHE_PATH": str(blog.root / "cache"),
                              "SOURCEMAP_PATH": str(blog.root / "sources.json")},
                   interval=0.1, log=lambda line: None)


@pytest.fixture
def preview(blog):
    server = preview_of(blog)
    url = server.start()
    yield server, url
    server.stop()


def test_edit_rebuilds_and_a_broken_edit_shows_in_the_page(blog, preview):
    server, url = preview
    status, page = get(url + "posts/first-post/")
    assert status == 200 and "The first post." in page
    assert '<script src="/__preview/reload.js"' in page  # the reload hook, served not written
    assert "/__preview/" not in (blog.output / "posts/first-post/index.html").read_text()

    post = blog.content / "posts" / "first-post.md"
    good = post.read_text()
    touch_later(post, good.replace("The first post.", "The first post, edited live."))
    poll(url + "posts/first-post/", lambda body: "edited live" in body)

    touch_later(post, good.replace('title = "First Post"', 'title = "First Post'))
    page = poll(url + "posts/first-post/", lambda body: "preview-build-error" in body)
    assert "first-post.md:4" in page and "invalid TOML" in page
    assert "edited live" in page  # the last good build is still served underneath
    state = json.loads(get(url + "__preview/status")[1])
    assert state["ok"] is False and state["problems"]

    touch_later(post, good)
    page = poll(url + "posts/first-post/", lambda body: "preview-build-error" not in body)
    assert "The first post." in page and "edited live" not in page


def test_the_browser_is_told_to_reload(blog, preview):
    server, url = preview
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
    connection.request("GET", "/__preview/events")
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"

    def next_token():
        while True:
            line = response.fp.readline().decode()
            if line.startswith("data: "):
                return line[6:].strip()

    first = next_token()
    assert first == server.token
    post = blog.content / "posts" / "second-post.md"
    touch_later(post, post.read_text().replace("The second post.", "Second, changed."))
    # The stream repeats the current token after each 15 s keep-alive ping.
    deadline = time.monotonic() + WAIT
    while (token := next_token()) == first:
        assert time.monotonic() < deadline, "no new build announced"
    assert token == server.token
    connection.close()
    status, script = get(url + "__preview/reload.js")
    assert status == 200 and "location.reload" in script


def test_pages_404_and_redirects(preview):
    server, url = preview
    assert get(url + "no/such/page/")[0] == 404
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", "/posts/first-post")
    response = connection.getresponse()
    assert response.status == 301 and response.getheader("Location") == "/posts/first-post/"
    connection.close()
    status, feed = get(url + "feeds/all.atom.xml")
    assert status == 200 and "__preview" not in feed


def test_watcher_ignores_editor_temporary_files(tmp_path):
    (tmp_path / "post.md").write_text("x")
    (tmp_path / ".post.md.swp").write_text("x")
    (tmp_path / "post.md~").write_text("x")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "a.pyc").write_text("x")
    assert list(snapshot([tmp_path])) == [str(tmp_path / "post.md")]


def test_command_line_server_in_a_subprocess(blog):
    """``python -m blogtools.commands.preview`` (what ``invoke serve`` runs) on a free port."""
    port = free_port()
    args = [sys.executable, "-m", "blogtools.commands.preview", "--port", str(port),
            "-s", str(blog.settings_file())]
    # Ctrl-C reaches the preview as from a terminal, even when this suite was started in the
    # background (a shell's "&" job ignores SIGINT, and a child inherits that).
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        url = f"http://127.0.0.1:{port}/"
        poll(url + "posts/first-post/", lambda body: "The first post." in body)
        post = blog.content / "posts" / "first-post.md"
        touch_later(post, post.read_text().replace("The first post.", "Saved from an editor."))
        poll(url + "posts/first-post/", lambda body: "Saved from an editor." in body)
    finally:
        process.send_signal(signal.SIGINT)
        output = process.communicate(timeout=30)[0]
    assert "Live preview on" in output and "Rebuilt in" in output
    # The save rebuilt the pages showing that post, not the whole site.
    rebuilt = re.findall(r"Rebuilt in [\d.]+ s \(content/posts/first-post\.md\); "
                         r"(\d+) of (\d+) pages and feeds rendered", output)
    assert any(1 <= int(rendered) < int(files) for rendered, files in rebuilt), output


def test_a_save_during_the_first_build_is_rebuilt(blog, monkeypatch):
    import blogtools.commands.preview as preview_module

    post = blog.content / "posts" / "first-post.md"
    real_build, saved = preview_module.build, []

    def build_then_save(*args, **kwargs):
        result = real_build(*args, **kwargs)
        if not saved:  # the author saves while the first build is running
            touch_later(post, post.read_text().replace("The first post.", "Saved mid-build."))
            saved.append(True)
        return result

    monkeypatch.setattr(preview_module, "build", build_then_save)
    server = preview_of(blog)
    url = server.start()
    try:
        poll(url + "posts/first-post/", lambda body: "Saved mid-build." in body)
    finally:
        server.stop()


def test_only_pages_that_show_an_edit_reload(blog, preview):
    """A body edit reloads the edited post's tab; a tab on another post stays as it is.
    A failed build (its problems on every page) and an image change reload every tab."""
    server, url = preview

    def stream(page: str):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=WAIT)
        connection.request("GET", "/__preview/events?page=" + page)
        response = connection.getresponse()

        def next_token():
            while True:
                line = response.fp.readline().decode()
                if line.startswith("data: "):
                    return line[6:].strip()
        return connection, next_token

    def served_token(page: str) -> str:
        return re.search(r'data-build="([^"]+)"', get(url + page.lstrip("/"))[1]).group(1)

    edited, other = "/posts/first-post/", "/posts/second-post/"
    tabs = {page: stream(page) for page in (edited, other)}
    seen = {page: served_token(page) for page in tabs}
    assert {page: next_token() for page, (_, next_token) in tabs.items()} == seen

    def rebuilt_after(change) -> dict[str, str]:
        version = server.status()["version"]
        change()
        poll(url + "__preview/status", lambda body: json.loads(body)["version"] > version)
        return {page: next_token() for page, (_, next_token) in tabs.items()}

    post = blog.content / "posts" / "first-post.md"
    good = post.read_text()
    tokens = rebuilt_after(lambda: touch_later(post, good.replace("The first post.", "Edited.")))
    assert tokens[edited] != seen[edited]  # this tab reloads
    assert tokens[other] == seen[other]  # this one does not
    assert served_token(other) == seen[other]

    tokens = rebuilt_after(lambda: touch_later(post, good.replace('title = "First Post"',
                                                                   'title = "First Post')))
    assert tokens[other] != seen[other]  # the problems show on every page
    seen = tokens
    tokens = rebuilt_after(lambda: touch_later(post, good))
    assert tokens[other] != seen[other]  # and leave every page

    seen = tokens
    (blog.content / "images").mkdir(exist_ok=True)
    tokens = rebuilt_after(lambda: touch_later(blog.content / "images" / "new.svg", "<svg/>"))
    assert tokens[other] != seen[other]  # a page may show an image: reload
    for connection, _ in tabs.values():
        connection.close()
