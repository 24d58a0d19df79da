"""Screenshots of the home page and both posts, light and dark, mobile and desktop.

``python -m blogtools.commands.screenshots [-o screenshots] [--site output]`` builds the
site into a temporary folder (unless ``--site`` names a built one), serves it on
127.0.0.1 and writes full-page PNGs such as ``screenshots/writeup-dark-mobile.png``
with Debian's Chromium through Playwright. ``invoke screenshots`` runs it.
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAGES = {
    "home": "/",
    "writeup": "/posts/aws-ml-specialty-certification/",
    "study-points": "/posts/aws-ml-study-points/",
}
VIEWPORTS = {"mobile": (390, 844), "desktop": (1280, 800)}
SCHEMES = ("light", "dark")
# Taller pages are saved in slices: one huge capture times out in software rendering.
SLICE_HEIGHT = 4000
SHOT_TIMEOUT = 20_000


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def serve(folder: Path, handler_class=QuietHandler) -> tuple[ThreadingHTTPServer, str]:
    handler = functools.partial(handler_class, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def build_site(settings: str, folder: Path) -> Path:
    from blogtools.commands.build import build

    result = build(settings, folder / "output", CACHE_PATH=str(folder / "cache"),
                   SOURCEMAP_PATH=str(folder / "sources.json"))
    if not result.ok:
        raise SystemExit("build failed:\n" + "\n".join(result.problems))
    return result.output


def shoot(page, stem: Path, full_page: bool) -> list[Path]:
    """One PNG, or numbered slices of a page too tall for one capture."""
    height = page.evaluate("document.documentElement.scrollHeight")
    width = page.viewport_size["width"]
    if not full_page or height <= SLICE_HEIGHT:
        target = stem.with_name(stem.name + ".png")
        page.screenshot(path=str(target), full_page=full_page, timeout=SHOT_TIMEOUT)
        return [target]
    targets = []
    original = dict(page.viewport_size)
    page.set_viewport_size({"width": width, "height": SLICE_HEIGHT})
    for number, top in enumerate(range(0, height, SLICE_HEIGHT), start=1):
        target = stem.with_name(f"{stem.name}-{number}.png")
        page.evaluate(f"window.scrollTo(0, {top})")
        page.screenshot(path=str(target), timeout=SHOT_TIMEOUT)
        targets.append(target)
    page.set_viewport_size(original)
    return targets


def take(site: Path, out: Path, full_page: bool = True) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    server, base = serve(site)
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for scheme in SCHEMES:
                for device, (width, height) in VIEWPORTS.items():
                    context = browser.new_context(viewport={"width": width, "height": height},
                                                  color_scheme=scheme, reduced_motion="reduce")
                    page = context.new_page()
                    for name, path in PAGES.items():
                        page.goto(base + path, wait_until="load")
                        written += shoot(page, out / f"{name}-{scheme}-{device}", full_page)
                    context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m blogtools.commands.screenshots",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("-o", "--output", default="screenshots")
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("--site", default=None, help="an already built site to photograph")
    parser.add_argument("--viewport-only", action="store_true", help="not the full page")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        site = Path(args.site) if args.site else build_site(args.settings, Path(tmp))
        for path in take(site, Path(args.output), full_page=not args.viewport_only):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
