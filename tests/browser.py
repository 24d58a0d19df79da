"""Shared browser fixtures: the built site on a local server, Debian's Chromium via Playwright.

Registered for the whole suite by ``pytest_plugins = ["tests.browser"]`` in
``tests/conftest.py``; test modules may also import the helpers directly.

* ``site_server`` (session): serves the ``site`` fixture's output on
  ``http://127.0.0.1:<free port>/`` from a thread, 404s answered with ``404.html``.
* ``browser`` (session): one headless Chromium for the session. Without
  ``/usr/bin/chromium`` or the ``playwright`` package the browser tests are
  skipped with the reason, except in CI (``CI=true``), where that is a failure.
* ``load_page`` (function): ``load_page(path, width=390, scheme="light")``
  opens a page in a fresh context and returns a :class:`LoadedPage` that records
  console errors, failed requests and every request that left 127.0.0.1.
"""

from __future__ import annotations

import atexit
import functools
import os
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
HOST = "127.0.0.1"
WIDTHS = (320, 390, 1280)
HEIGHT = 800
SCHEMES = ("light", "dark")
# Pages every browser test visits (paths on the local server).
PAGES = {
    "home": "/",
    "writeup": "/posts/aws-ml-specialty-certification/",
    "study points": "/posts/aws-ml-study-points/",
    "tag": "/tags/aws/",
    "404": "/no-such-page/",
}
IN_CI = os.environ.get("CI", "").lower() == "true"


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files; unknown paths get the site's 404 page with status 404."""

    def log_message(self, format, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    """Serve ``folder`` from a daemon thread; returns (server, base URL without slash)."""
    handler = functools.partial(SiteHandler, directory=str(folder))
    server = ThreadingHTTPServer((HOST, 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{HOST}:{server.server_address[1]}"


def unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


@dataclass
class LoadedPage:
    page: object
    base: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return ([f"console error: {e}" for e in self.console_errors]
                + [f"failed request: {r}" for r in self.failed_requests]
                + [f"request left {HOST}: {r}" for r in self.outside_requests])

    def horizontal_overflow(self) -> int:
        """How many CSS pixels the page is wider than the viewport (0 = none)."""
        return self.page.evaluate(
            "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
            " - document.documentElement.clientWidth")


@pytest.fixture(scope="session")
def site_server(site):
    if "server" not in _SHARED:
        _SHARED["server"] = serve(site)
    return _SHARED["server"][1]


_SHARED: dict = {}


def shared_browser():
    """The one Chromium of this test session, started on first use.

    A module-level singleton, not only a fixture: test modules import the
    fixture by name, which makes each module's copy a separate fixture, and
    Playwright's sync API allows one running instance per thread.
    """
    if "browser" not in _SHARED:
        if not Path(CHROMIUM).exists():
            unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            unavailable("the playwright package is not installed (pip install -r requirements.txt)")
        manager = sync_playwright()
        playwright = manager.start()
        _SHARED["manager"] = manager
        _SHARED["browser"] = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        atexit.register(_stop_browser)
    return _SHARED["browser"]


def _stop_browser():
    browser = _SHARED.pop("browser", None)
    if browser is not None:
        browser.close()
        _SHARED.pop("manager").__exit__(None, None, None)


@pytest.fixture(scope="session")
def browser():
    return shared_browser()


def open_page(browser, base: str, path: str, width: int = 390, scheme: str = "light",
              reduced_motion: str = "reduce", expect_status: int | None = None,
              init_script: str | None = None) -> LoadedPage:
    """Open ``base + path`` in a fresh context; the caller closes ``loaded.page.context``.

    ``init_script`` runs in the page before any of its own content is parsed.
    """
    context = browser.new_context(viewport={"width": width, "height": HEIGHT},
                                  color_scheme=scheme, reduced_motion=reduced_motion)
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    loaded = LoadedPage(page, base)
    page.on("console", lambda m: m.type == "error" and not _is_expected_404(m, path)
            and loaded.console_errors.append(m.text))
    page.on("pageerror", lambda e: loaded.console_errors.append(str(e)))
    page.on("requestfailed", lambda r: loaded.failed_requests.append(f"{r.url} ({r.failure})"))
    page.on("request", lambda r: _is_outside(r.url) and loaded.outside_requests.append(r.url))

    def bad_status(response):
        status = response.status
        if status >= 400 and not (expect_status == status and response.url == base + path):
            loaded.failed_requests.append(f"{response.url} (HTTP {status})")
    page.on("response", bad_status)
    page.goto(base + path, wait_until="load")
    return loaded


def _is_outside(url: str) -> bool:
    return not url.startswith((f"http://{HOST}:", "data:", "about:"))


def _is_expected_404(message, path: str) -> bool:
    # Chromium logs the 404 status of the document itself on the 404 test page.
    return path == PAGES["404"] and "404" in message.text and "Failed to load resource" in message.text


@pytest.fixture
def load_page(browser, site_server):
    """``load_page(path, width=390, scheme="light")`` → LoadedPage; contexts close after the test."""
    opened = []

    def load(path: str, width: int = 390, scheme: str = "light", **options) -> LoadedPage:
        if path == PAGES["404"]:
            options.setdefault("expect_status", 404)
        loaded = open_page(browser, site_server, path, width, scheme, **options)
        opened.append(loaded)
        return loaded

    yield load
    for loaded in opened:
        loaded.page.context.close()
