"""Live preview: build, serve on 127.0.0.1, rebuild on every save, reload the browser.

``invoke serve`` (or ``python -m blogtools.commands.preview``) builds the site,
serves ``OUTPUT_PATH`` on ``BIND``:``PORT`` (http://127.0.0.1:8000) and watches the content, the theme,
the settings files and the plugins. A save of a post's or page's body is
patched into the site the last build left in memory (:mod:`blogtools.commands.patch`:
the post read again, only the pages and feeds that show it rendered again,
their links checked against the whole site; a tenth of a second or so on
1,000 posts); any other save rebuilds through :func:`blogtools.commands.build.build`
(atomic, content and render caches on). Every open page that shows a change
reloads itself.

While a rebuild swaps the site in, every request gets the old file or the
new one, whole: a file is read through one open descriptor, and a request that
falls in a two-rename swap (systems without ``renameat2``) waits for it.

A build that fails never stops the server: the problems are printed on the
console *and* shown at the top of every served page, above the last good
build, until a save fixes them. If there has never been a good build, every
address answers with the problems.

How the browser learns of a rebuild: each served HTML page gets one
``<script src="/__preview/reload.js">`` (an external script, so the site's
Content-Security-Policy, ``script-src 'self'``, allows it) that listens to
``/__preview/events?page=<its path>`` (Server-Sent Events) and reloads when the
page it shows has changed: its own file's bytes, a file that is not a page or a
feed (an image, a script: it may show them), or the problems shown at the top.
After each rebuild the output's files are compared with the last build's (by
size, inode and time, then by content where those differ), so a body edit
reloads the post and the listings that show it, not every open tab. After a
restart of the server every page reloads. Nothing is written into ``output/``:
the injection happens while serving.

Our code (``blogtools/``) is Python already loaded into this process: a
change to it is built with the old code, so the console says to restart.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import mimetypes
import os
import posixpath
import queue
import stat
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import watchfiles

import blogtools
from blogtools.commands import patch
from blogtools.commands.build import build
from blogtools.commands.settings import (
    PUBLISH_SETTINGS_FILE,
    SETTINGS_FILE,
    load_settings,
    preview_url,
    project_root,
)
from blogtools.publish.swap import old_copies

# Our Python code: a change to it is built with the old code, so the console says to restart.
CODE = Path(blogtools.__file__).resolve().parent
SETTINGS_FILES = (SETTINGS_FILE, PUBLISH_SETTINGS_FILE)
PREFIX = "/__preview/"
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".pyc", ".part")
IGNORED_DIRS = {"__pycache__", ".git", ".pytest_cache", "node_modules"}
# The longest a request waits for a two-rename swap of the output to finish.
SWAP_WAIT = 5.0
# Files no page shows: a change to one reloads no open page.
NOT_SHOWN = (".html", ".htm", ".xml", ".txt", ".json", ".gz", ".br")

RELOAD_JS = """\
(function () {
  var script = document.currentScript;
  var seen = script ? script.getAttribute("data-build") : null;
  var source = new EventSource("/__preview/events?page=" +
                               encodeURIComponent(window.location.pathname));
  source.onmessage = function (event) {
    if (seen === null) { seen = event.data; return; }
    if (event.data !== seen) { source.close(); window.location.reload(); }
  };
})();
"""

OVERLAY_CSS = """\
#preview-build-error { position: fixed; inset: 0 0 auto 0; z-index: 2147483647; max-height: 70vh;
  overflow: auto; margin: 0; padding: 1rem 1.25rem; background: #2b0b0b; color: #ffecec;
  font: 14px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  border-bottom: 4px solid #ff5c5c; box-shadow: 0 4px 24px rgba(0, 0, 0, .5); }
#preview-build-error h2 { margin: 0 0 .5rem; font-size: 16px; color: #ff9a9a; }
#preview-build-error pre { margin: 0 0 .5rem; white-space: pre-wrap; word-break: break-word; }
#preview-build-error p { margin: 0; color: #ffc9c9; }
"""


def ignored(path: str) -> bool:
    name = os.path.basename(path)
    return name.startswith((".#", "#")) or name.endswith(IGNORED_SUFFIXES) or name == "4913"


def snapshot(paths) -> dict[str, tuple[int, int]]:
    """``{file: (mtime_ns, size)}`` for every watched file."""
    files = {}
    for base in paths:
        base = str(base)
        if os.path.isfile(base):
            stat = os.stat(base)
            files[base] = (stat.st_mtime_ns, stat.st_size)
            continue
        for directory, dirs, names in os.walk(base):
            dirs[:] = [d for d in dirs if d not in IGNORED_DIRS and not d.startswith(".")]
            for name in names:
                path = os.path.join(directory, name)
                if ignored(path):
                    continue
                try:
                    stat = os.stat(path)
                except FileNotFoundError:
                    continue
                files[path] = (stat.st_mtime_ns, stat.st_size)
    return files


def changed_files(before: dict, after: dict) -> list[str]:
    keys = set(before) | set(after)
    return sorted(k for k in keys if before.get(k) != after.get(k))


def output_stamps(output: Path) -> dict[str, tuple[int, int, int]]:
    """``{relative path: (size, inode, mtime_ns)}`` of every file of the output."""
    stamps, pending = {}, [("", str(output))]
    while pending:
        prefix, folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            relative = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                pending.append((relative + "/", entry.path))
            elif entry.is_file(follow_symlinks=False):
                status = entry.stat(follow_symlinks=False)
                stamps[relative] = (status.st_size, status.st_ino, status.st_mtime_ns)
    return stamps


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


class OutputChanges:
    """Which files of the output changed at which build, to reload only the pages
    that show a change. A file whose stamp changed is compared by content (a build
    that rewrites every file, with the speed wing off, reloads nothing unchanged)."""

    def __init__(self):
        self.stamps: dict[str, tuple[int, int, int]] = {}
        self.digests: dict[str, str | None] = {}
        self.changed_at: dict[str, int] = {}
        self.shown_at = 0  # the last build that changed a file pages show (an image)

    def update(self, output: Path, version: int) -> list[str]:
        """Record the output as built by ``version``; returns the files that changed."""
        stamps = output_stamps(output)
        changed = []
        for relative in set(stamps) | set(self.stamps):
            old, new = self.stamps.get(relative), stamps.get(relative)
            if old == new:
                continue
            if new is not None and old is not None and relative in self.digests:
                digest = _digest(output / relative)
                if digest == self.digests[relative]:
                    continue
                self.digests[relative] = digest
            elif new is not None:
                self.digests[relative] = _digest(output / relative)
            else:
                self.digests.pop(relative, None)
            changed.append(relative)
        self.stamps = stamps
        for relative in changed:
            self.changed_at[relative] = version
            if not relative.lower().endswith(NOT_SHOWN):
                self.shown_at = version
        return sorted(changed)

    def patched(self, output: Path, files: dict[str, bytes], version: int) -> None:
        """Files a patch rewrote (pages and feeds) as ``version`` changed them."""
        for relative, data in files.items():
            self.changed_at[relative] = version
            self.digests[relative] = hashlib.sha256(data).hexdigest()
            try:
                status = os.stat(output / relative)
            except OSError:
                continue
            self.stamps[relative] = (status.st_size, status.st_ino, status.st_mtime_ns)

    def page_version(self, path: str) -> int:
        """The last build that changed what the page at URL path ``path`` shows."""
        relative = posixpath.normpath(unquote(path)).lstrip("/")
        relative = "" if relative == "." else relative
        candidates = [relative, posixpath.join(relative, "index.html"), f"{relative}.html", "404.html"]
        return max([self.shown_at] + [self.changed_at.get(c, 0) for c in candidates])


class Preview:
    """The watcher, the builder and the HTTP server of one live preview."""

    def __init__(self, settings: Path, output: Path, watch, *, host: str, port: int,
                 overrides: dict | None = None, interval: float = 0.25,
                 root: Path | None = None, log=None):
        self.settings = Path(settings)
        self.output = Path(output).resolve()
        self.watch = [Path(p) for p in watch]
        self.host, self.port = host, port
        self.overrides = dict(overrides or {})
        self.interval = interval
        # Polling instead of system notices: for file systems that send none (some
        # network and container mounts); BLOG_PREVIEW_POLL=1 turns it on.
        self.force_polling = os.environ.get("BLOG_PREVIEW_POLL") == "1" or None
        self.root = Path(root) if root else project_root(settings)
        self.log = log or (lambda line: print(line, flush=True))
        self.build_id = f"{time.time_ns():x}"
        self.version = 0
        self.ok: bool | None = None
        self.problems: list[str] = []
        self.seconds = 0.0
        self.changed: list[str] = []
        self.outputs = OutputChanges()
        self.problems_at = 0  # the last build that changed the problems every page shows
        # The last good build's objects, to patch a body edit in (commands.patch); and
        # the files a patch rewrote, served from here while they are written to disk.
        self.kept: patch.Kept | None = None
        self.overlay: dict[str, bytes] = {}
        self.patched = False  # whether the last save was patched in, not built in full
        self.refused = ""  # why the last save was built in full, not patched
        self.building = False
        self.condition = threading.Condition()
        self.stopping = threading.Event()
        self.server: ThreadingHTTPServer | None = None
        self.threads: list[threading.Thread] = []

    # -- building ------------------------------------------------------------------------

    @property
    def token(self) -> str:
        return f"{self.build_id}-{self.version}"

    def page_token(self, path: str | None) -> str:
        """The token of the last build that changed what the page at ``path`` shows
        (every build's, for a client that names no page)."""
        with self.condition:
            if path is None:
                return self.token
            return f"{self.build_id}-{max(self.outputs.page_version(path), self.problems_at)}"

    def rebuild(self, changed=()) -> bool:
        with self.condition:
            self.building = True
        started = time.perf_counter()
        self.patched, self.refused = False, ""
        if changed and self.kept is None:
            self.refused = "the last build did not go live"
        if changed and self.kept is not None and self._patch(changed, started):
            return True
        try:
            result = build(self.settings, self.output, keep=True, **self.overrides)
            self.kept = result.kept if result.ok else None
            ok, problems, seconds = result.ok, list(result.problems), result.seconds
            for note in result.notes:
                self.log(note)
            rendered = f"; {result.rendered()}" if result.reused is not None else ""
        except Exception as error:  # settings that do not load, a plugin that crashes
            ok, seconds, rendered = False, time.perf_counter() - started, ""
            problems = [f"error: {type(error).__name__}: {error}"]
        names = [self._display(p) for p in changed]
        if ok:
            what = f" ({', '.join(names[:3])}{'…' if len(names) > 3 else ''})" if names else ""
            self.log(f"Rebuilt in {seconds:.2f} s{what}{rendered}")
        else:
            for problem in problems:
                self.log(problem)
            self.log("Build failed; still serving the last good site, with the problems "
                     "shown at the top of every page.")
        code = [n for n in names if n.endswith(".py") and not n.endswith(SETTINGS_FILES)]
        if code:
            self.log(f"{', '.join(code)} changed: restart the preview to load that Python code.")
        version = self.version + 1
        if ok or self.ok is None:
            self.outputs.update(self.output, version)
        with self.condition:
            if ok:
                self.overlay = {}  # a patch that could not be written is in the output now
            if problems != self.problems:
                self.problems_at = version
            self.ok, self.problems, self.seconds = ok, problems, seconds
            self.changed = names
            self.version = version
            self.building = False
            self.condition.notify_all()
        return ok

    def _patch(self, changed, started: float) -> bool:
        """A body edit shown without a build, if :func:`patch.patch` can show it exactly."""
        kept, self.kept = self.kept, None  # a refused patch may have touched it: rebuild
        try:
            patched = patch.patch(kept, changed)
        except patch.Refused as why:
            self.refused = str(why)
            return False
        names = [self._display(p) for p in changed]
        version = self.version + 1
        seconds = time.perf_counter() - started
        with self.condition:
            self.patched = True
            self.overlay = patched.files  # whole, before any file of it is on disk
            self.outputs.patched(self.output, patched.files, version)
            self.seconds, self.changed, self.version = seconds, names, version
            self.building = False
            self.condition.notify_all()
        total = len(kept.writer.jobs)
        self.log(f"Rebuilt in {seconds:.2f} s ({', '.join(names[:3])}); {patched.rendered:,} of "
                 f"{total:,} pages and feeds rendered, the rest unchanged")
        try:
            patch.write(kept, patched)
        except OSError as error:  # the overlay serves the patch until a full build is live
            self.log(f"output: cannot write the patched files ({error.strerror or error}); "
                     "building in full")
            self.refused = "the patched files could not be written"
            with self.condition:
                self.building = True
            return False
        self.outputs.patched(self.output, patched.files, version)  # their new stamps
        with self.condition:
            self.overlay = {}
        self.kept = kept
        return True

    def _display(self, path: str) -> str:
        try:
            return os.path.relpath(path, self.root) if not os.path.relpath(path, self.root).startswith("..") \
                else path
        except ValueError:
            return path

    def watch_loop(self, before: dict | None = None) -> None:
        """Rebuild on every save, told by the system (inotify, through watchfiles): a
        save is handled about 50 ms after its last write, and saves that arrive during
        a build make one rebuild after it. ``before``: the files as the first build
        began; a save during that build is rebuilt once the watchers run."""
        saves: queue.Queue[set[str]] = queue.Queue()
        folders = [p for p in self.watch if p.is_dir()]
        # A file is watched through its folder: an editor that saves by renaming a new
        # file over the old one would end a watch on the file itself.
        beside = sorted({p.parent for p in self.watch if not p.is_dir()})
        ready = []
        for paths, recursive in ((folders, True), (beside, False)):
            if paths:
                started = threading.Event()
                thread = threading.Thread(target=self._notices, daemon=True, name="preview-notices",
                                          args=(paths, recursive, saves, started))
                thread.start()
                self.threads.append(thread)
                ready.append(started)
        for started in ready:
            started.wait(10)
        if before is not None:
            missed = changed_files(before, snapshot(self.watch))
            if missed:
                self.rebuild(missed)
        while not self.stopping.is_set():
            try:
                changed = saves.get(timeout=0.2)
            except queue.Empty:
                continue
            while not saves.empty():
                changed |= saves.get_nowait()
            self.rebuild(sorted(changed))

    # How often a watcher wakes with no save, to notice the preview stopping.
    RUST_TIMEOUT_MS = 200

    def _notices(self, paths, recursive: bool, saves: queue.Queue, started: threading.Event) -> None:
        notices = watchfiles.watch(*paths, recursive=recursive, watch_filter=self._watched, step=50,
                                   stop_event=self.stopping, yield_on_timeout=True,
                                   rust_timeout=self.RUST_TIMEOUT_MS, raise_interrupt=False,
                                   force_polling=self.force_polling,
                                   poll_delay_ms=int(self.interval * 1000))
        try:
            try:
                next(notices, None)  # the watcher is on from here: nothing saved later is missed
            finally:
                started.set()
            for changes in notices:
                if self.stopping.is_set():
                    return
                if changes:
                    saves.put({path for _, path in changes})
        finally:
            notices.close()  # ends the system watch now, not when the generator is collected

    def _watched(self, change, path: str) -> bool:
        """Whether a save of ``path`` rebuilds: what :func:`snapshot` would list."""
        if ignored(path):
            return False
        for root in self.watch:
            if path == str(root):
                return True
            if path.startswith(str(root) + os.sep):
                folders = Path(path).relative_to(root).parts[:-1]
                return not any(part in IGNORED_DIRS or part.startswith(".") for part in folders)
        return False

    # -- serving ---------------------------------------------------------------------------

    def start(self) -> str:
        """Build once, then serve and watch in background threads; returns the base URL."""
        # Taken before the first build: a save during it, or before the watcher
        # thread gets going, is still a change to rebuild for.
        before = snapshot(self.watch)
        self.rebuild()
        handler = type("PreviewHandler", (PreviewHandler,), {"preview": self})
        self.server = ThreadingHTTPServer((self.host, self.port), handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        for target, args in ((self.server.serve_forever, ()), (self.watch_loop, (before,))):
            thread = threading.Thread(target=target, args=args, daemon=True,
                                      name=f"preview-{target.__name__}")
            thread.start()
            self.threads.append(thread)
        return f"http://{self.host}:{self.port}/"

    def stop(self) -> None:
        self.stopping.set()
        with self.condition:
            self.condition.notify_all()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        for thread in self.threads:
            thread.join(timeout=5)

    def status(self) -> dict:
        with self.condition:
            return {"token": self.token, "version": self.version, "ok": self.ok,
                    "problems": list(self.problems), "seconds": round(self.seconds, 3),
                    "changed": list(self.changed), "building": self.building,
                    "patched": self.patched, "refused": self.refused}

    def inject(self, page: bytes, token: str | None = None) -> bytes:
        """``page`` with the reload hook (and the problems, if any); ``token``: the
        page's, taken before its file was read."""
        with self.condition:
            token, problems = token or self.token, list(self.problems)
        snippet = f'<script src="{PREFIX}reload.js" data-build="{token}"></script>'
        if problems:
            snippet = error_overlay(problems) + snippet
        data = snippet.encode("utf-8")
        lower = page.lower()
        at = lower.rfind(b"</body>")
        if at < 0:
            return page + data
        return page[:at] + data + page[at:]


def error_overlay(problems: list[str]) -> str:
    items = html.escape("\n".join(problems))
    return (f'<link rel="stylesheet" href="{PREFIX}overlay.css">'
            f'<div id="preview-build-error" role="alert"><h2>Build failed: '
            f'{len(problems)} problem(s)</h2><pre>{items}</pre>'
            f'<p>This page is the last good build. Fix the file and save: '
            f'the page reloads by itself.</p></div>')


def error_page(problems: list[str]) -> bytes:
    return (b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            b"<title>Build failed</title></head><body>"
            b"<p>The site has not been built yet.</p></body></html>")


class PreviewHandler(BaseHTTPRequestHandler):
    preview: Preview
    server_version = "BlogPreview/1"

    def log_message(self, format, *args):  # keep the console for builds
        pass

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head: bool = False):
        address = urlsplit(self.path)
        path = unquote(address.path)
        if path.startswith(PREFIX):
            return self.internal(path[len(PREFIX):], head, parse_qs(address.query))
        return self.site_file(path, head)

    # -- preview's own addresses

    def internal(self, name: str, head: bool, query: dict):
        if name == "events":
            return self.events(query.get("page", [None])[0])
        if name == "reload.js":
            return self.send(200, RELOAD_JS.encode(), "text/javascript; charset=utf-8", head)
        if name == "overlay.css":
            return self.send(200, OVERLAY_CSS.encode(), "text/css; charset=utf-8", head)
        if name == "status":
            body = json.dumps(self.preview.status()).encode()
            return self.send(200, body, "application/json", head)
        return self.send(404, b"not found", "text/plain; charset=utf-8", head)

    def events(self, page: str | None):
        preview = self.preview
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while not preview.stopping.is_set():
                with preview.condition:
                    token = preview.token
                self.wfile.write(f"data: {preview.page_token(page)}\n\n".encode())
                self.wfile.flush()
                with preview.condition:
                    preview.condition.wait_for(
                        lambda seen=token: preview.token != seen or preview.stopping.is_set(), timeout=15)
                    unchanged = preview.token == token
                if unchanged:
                    self.wfile.write(b": ping\n\n")  # finds closed connections
                    self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return

    # -- the site

    def site_file(self, path: str, head: bool, attempts: int = 3):
        output = self.preview.output
        token = self.preview.page_token(path)  # before the read: a rebuild meanwhile reloads
        overlay = self.preview.overlay  # files a patch is writing: these bytes are the site's
        relative = posixpath.normpath(path).lstrip("/")
        if relative in (".", ""):
            relative = ""
        if relative.startswith("..") or "\0" in relative:
            return self.send(400, b"bad path", "text/plain; charset=utf-8", head)
        if not output_ready(output):
            status = self.preview.status()
            body = self.preview.inject(error_page(status["problems"]))
            return self.send(503, body, "text/html; charset=utf-8", head)
        # Every look-up of this request goes through one descriptor of the output
        # folder, so a rebuild that swaps the folder meanwhile cannot mix two
        # sites: the request sees the one it started on, whole.
        try:
            folder = os.open(output, os.O_RDONLY | os.O_DIRECTORY)
        except FileNotFoundError:
            folder = None
        try:
            found = read_site_file(folder, output, relative, path) if folder is not None else None
        finally:
            if folder is not None:
                os.close(folder)
        if found is None:  # the folder was swapped away and removed meanwhile: look again
            if attempts > 1:
                return self.site_file(path, head, attempts - 1)
            return self.send(500, b"cannot read the file", "text/plain; charset=utf-8", head)
        status, name, body = found
        if name in overlay:
            body = overlay[name]
        if status == 301:
            return self.redirect(name)
        if body is None:
            return self.send(404, self.preview.inject(b"<!DOCTYPE html><title>Not found</title>"
                                                      b"<body><p>Not found.</p></body>", token),
                             "text/html; charset=utf-8", head)
        kind = content_type(Path(name))
        if kind.startswith("text/html"):
            body = self.preview.inject(body, token)
        return self.send(status, body, kind, head)

    def redirect(self, location: str):
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send(self, status: int, body: bytes, kind: str, head: bool = False):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass


def _kind(folder: int, relative: str) -> str | None:
    """"dir", "file" or None for ``relative`` under the folder descriptor."""
    try:
        mode = os.stat(relative or ".", dir_fd=folder).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    return "dir" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else None


def read_site_file(folder: int, output: Path, relative: str, path: str):
    """``(status, name, body)`` for ``relative`` under the output folder's descriptor:
    200 and the file (a folder's index.html, or ``x.html`` for ``x``), 301 and the
    address with its slash, 404 and the site's 404.html (body None if it has none).
    None when a rebuild swapped the folder under the request, to look again."""

    def swapped() -> bool:  # a missing file may only be the old site being removed
        try:
            return os.stat(output).st_ino != os.fstat(folder).st_ino
        except FileNotFoundError:
            return True

    kind = _kind(folder, relative)
    if kind == "dir":
        if relative and not path.endswith("/"):
            return 301, path + "/", None
        relative = posixpath.join(relative, "index.html") if relative else "index.html"
    elif kind is None and _kind(folder, f"{relative}.html") == "file":
        relative = f"{relative}.html"
    status = 200
    if _kind(folder, relative) != "file":
        if swapped():
            return None
        status, relative = 404, "404.html"
        if _kind(folder, relative) != "file":
            return None if swapped() else (404, relative, None)
    try:
        handle = os.open(relative, os.O_RDONLY, dir_fd=folder)
    except FileNotFoundError:  # removed with the old folder after a swap
        return None
    with os.fdopen(handle, "rb") as file:
        return status, relative, file.read()


def output_ready(output: Path) -> bool:
    """Whether the output folder is there, after waiting out a swap in flight.

    Where the build swaps the output with two renames (no renameat2), for a
    moment there is no output, only its old copy beside it: a request then
    waits for the new one rather than answer 503.
    """
    deadline = time.monotonic() + SWAP_WAIT
    while not output.is_dir():
        # The old copy goes only after the new output is in: none left means no swap.
        if not old_copies(output) or time.monotonic() > deadline:
            return output.is_dir()
        time.sleep(0.005)
    return True


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return "text/html; charset=utf-8"
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/xml", "application/json", "image/svg+xml"):
        kind += "; charset=utf-8"
    return kind


def default_watch(settings_file: Path, settings: dict) -> list[Path]:
    """What a save in rebuilds: the content, the theme, the settings files, our code."""
    root = project_root(settings_file)
    paths = [Path(settings["PATH"]), Path(settings["THEME"]), CODE, Path(settings_file).resolve(),
             *(root / name for name in SETTINGS_FILES)]
    return [p for p in dict.fromkeys(paths) if p.exists()]


def serve(settings_file: str | os.PathLike = SETTINGS_FILE, port: int | None = None,
          **overrides) -> None:
    """Build, serve on ``BIND``:``PORT`` (or ``port``) and watch until Ctrl-C (``invoke serve``)."""
    settings_file = Path(settings_file)
    settings = load_settings(settings_file, **overrides)
    host, port = settings["BIND"], int(port or settings["PORT"])
    preview = Preview(settings_file, Path(settings["OUTPUT_PATH"]),
                      default_watch(settings_file, settings), host=host, port=port,
                      overrides=overrides)
    try:
        url = preview.start()
    except OSError as error:
        sys.exit(f"cannot listen on {preview_url(settings | {'PORT': port})}/: "
                 f"{error.strerror or error} (another preview running? try --port)")
    print(f"Live preview on {url} (Ctrl-C to stop)", flush=True)
    try:
        while True:
            # Short sleeps: Python runs signal handlers in this thread only, and a signal the
            # system hands to another thread (the server's, a watcher's) does not cut a sleep.
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("Stopping the preview.", flush=True)
    finally:
        preview.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m blogtools.commands.preview",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("-s", "--settings", default=SETTINGS_FILE)
    parser.add_argument("--port", type=int, default=None, help="port (default: PORT)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=JSON",
                        help="override a setting, e.g. --set 'PATH=\"/tmp/content\"'")
    args = parser.parse_args(argv)
    overrides = {}
    for item in args.set:
        name, _, value = item.partition("=")
        overrides[name] = json.loads(value)
    serve(args.settings, args.port, **overrides)
    return 0


if __name__ == "__main__":
    sys.exit(main())
