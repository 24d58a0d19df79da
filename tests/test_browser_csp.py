"""Every page of the built site satisfies its own Content-Security-Policy in Chromium.

The policy is a ``<meta http-equiv>`` tag (tests/test_theme_markup.py checks its
text and the hash of the inlined stylesheet); here a real browser enforces it
on every HTML file in the output and reports each ``securitypolicyviolation``
event: an inline style or script without a matching hash, an image or font
from elsewhere, a ``style=""`` attribute from a plugin.
"""

from __future__ import annotations

from pathlib import Path

from tests.browser import open_page, serve

COLLECT = """(() => {
  window.__violations = [];
  document.addEventListener('securitypolicyviolation', e =>
    window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`));
})()"""


def html_paths(site: Path) -> list[str]:
    return ["/" + file.relative_to(site).as_posix().removesuffix("index.html")
            for file in sorted(site.rglob("*.html"))]


def violations_on(browser, base: str, paths: list[str]) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        loaded = open_page(browser, base, path, init_script=COLLECT,
                           expect_status=404 if path == "/404.html" else None)
        try:
            events = loaded.page.evaluate("() => window.__violations")
            console = [e for e in loaded.console_errors if "Content Security Policy" in e]
            if events or console:
                found[path] = events + console
        finally:
            loaded.page.context.close()
    return found


def test_the_check_sees_a_violation(browser, tmp_path):
    policy = "default-src 'self'; style-src 'self'"
    (tmp_path / "index.html").write_text(
        f'<!doctype html><meta http-equiv="Content-Security-Policy" content="{policy}">'
        '<title>x</title><p style="color: red">inline style</p>', encoding="utf-8")
    server, base = serve(tmp_path)
    try:
        found = violations_on(browser, base, ["/"])
    finally:
        server.shutdown()
    assert list(found) == ["/"] and any("style-src" in v for v in found["/"])


def test_no_page_violates_the_policy(site, browser, site_server):
    paths = html_paths(site)
    expected = {"/", "/posts/aws-ml-specialty-certification/", "/posts/aws-ml-study-points/",
                "/about/", "/archives/", "/tags/", "/categories/", "/authors/", "/404.html"}
    assert expected <= set(paths)
    assert violations_on(browser, site_server, paths) == {}
