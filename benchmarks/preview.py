"""Edit-to-preview: from saving a post to the live preview serving the change, ours and Hugo's.

The preview server (``python -m blogtools.commands.preview``, what ``invoke livereload``
runs) starts in a subprocess on a free 127.0.0.1 port against a site copy and
builds it once. Then, round by round, one post is changed (written and fsynced,
as an editor saves) and the clock runs until an HTTP GET of the page that shows
the change returns it. The figure includes everything the author waits for: the
watcher noticing the save (inotify, 50 ms after the last write), the rebuild with
the content and render caches, the atomic swap and the answer.

``bench_preview`` does that on one site (the real one) with one kind of edit: a
one-sentence paragraph appended to the post's body. ``bench_side_by_side`` runs our preview on
``make_site(n)`` and ``hugo server`` (``HUGO_SERVER_FLAGS``) on ``make_hugo_site(n)``,
the same posts, both up at once, and makes the same edits to the same post on
each, alternating which server goes first round by round, waiting before each
edit until both servers are idle (no CPU used for ``QUIET_WINDOW``):

* *body*: a one-sentence paragraph appended to the body; polled: the post's page;
* *title*: the ``title`` in its front matter replaced; polled: the post's page;
* *tag*: a new tag added to its ``tags``; polled: the new tag's page, until it
  lists the post.

Memory: the peak resident set of each server process (``VmHWM`` of
``/proc/PID/status``, read after the rounds, so the first build counts), and,
sampled every ``SAMPLE_EVERY`` seconds, the largest sum of the resident sets of
the process and its children at one moment (our build forks workers to write
pages; they share the parent's pages copy-on-write, so the sum overstates).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from benchmarks.runner import env, python

POLL = 0.02
# Seconds between two saves of the same post, as between two real saves.
SAVE_GAP = 0.5
# Before an edit, both servers must have used no CPU for this long.
QUIET_WINDOW = 0.3
QUIET_TIMEOUT = 30.0
# Clock ticks a sleeping server may still use in QUIET_WINDOW (its watcher wakes up).
QUIET_TICKS = 2
SAMPLE_EVERY = 0.05
EDIT_TIMEOUT = 120.0
KINDS = ("body", "title", "tag")
# Hugo's own live-reload server, on disk (its default: "Serving pages from disk",
# as ours serves the output folder), no browser; --disableFastRender: every
# page that shows the change is rendered again before the save is done, as ours
# does, not only the pages a browser has open; its file cache in the site copy.
HUGO_SERVER_FLAGS = ("--disableFastRender",)


class PreviewFailed(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(url: str, text: str, timeout: float, process: subprocess.Popen,
             present: bool = True) -> float:
    """Seconds until ``url`` serves ``text`` (or, ``present`` false, a page without it)."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise PreviewFailed(f"the preview server exited ({process.returncode})")
        page = fetch(url)
        if (text in page) if present else (page and text not in page):
            return time.perf_counter() - started
        time.sleep(POLL)
    raise PreviewFailed(f"{url} did not {'show' if present else 'drop'} {text!r} "
                        f"within {timeout:g} s")


# --- edits, as an editor saves them ------------------------------------------------

def save(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def append_sentence(path: Path, marker: str) -> None:
    """Add a one-sentence paragraph at the end of the post's body.

    Its own paragraph, not the last line's end (``generate.edit_post``): a post may
    end with a code fence, and text after the closing backticks opens a fence
    that runs to the end, where Hugo's highlighter splits the sentence into spans.
    """
    save(path, path.read_text(encoding="utf-8").rstrip("\n") + f"\n\nEdited: {marker}.\n")


TITLE = re.compile(r'^title = ".*"$', re.M)
TAGS = re.compile(r"^tags = \[(.*)\]$", re.M)


def set_title(path: Path, title: str) -> None:
    """Replace the TOML front matter's ``title``."""
    text, count = TITLE.subn(f'title = "{title}"', path.read_text(encoding="utf-8"), count=1)
    if not count:
        raise PreviewFailed(f"{path} has no title = line")
    save(path, text)


def add_tag(path: Path, tag: str) -> None:
    """Add ``tag`` to the TOML front matter's ``tags``."""
    def added(match: re.Match) -> str:
        tags = match.group(1).strip()
        return f'tags = [{tags + ", " if tags else ""}"{tag}"]'

    text, count = TAGS.subn(added, path.read_text(encoding="utf-8"), count=1)
    if not count:
        raise PreviewFailed(f"{path} has no tags = line")
    save(path, text)


def front_title(path: Path) -> str:
    match = TITLE.search(path.read_text(encoding="utf-8"))
    if not match:
        raise PreviewFailed(f"{path} has no title = line")
    return match.group(0).split("=", 1)[1].strip().strip('"')


# --- memory and CPU of a server and its children -----------------------------------

def _status(pid: int) -> dict[str, int]:
    """The kB fields of ``/proc/PID/status`` (VmRSS, VmHWM...); empty once it is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    fields = {}
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if value.strip().endswith("kB"):
            fields[name] = int(value.split()[0])
    return fields


def descendants(pid: int) -> list[int]:
    """``pid``'s children, their children, and so on (``/proc/PID/task/*/children``)."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*/children"):
            try:
                kids = [int(k) for k in task.read_text().split()]
            except OSError:
                continue
            found += kids
            todo += kids
    return found


def cpu_ticks(pid: int) -> int:
    """User + system clock ticks of ``pid`` and its living descendants, and of reaped children."""
    total = 0
    for p in (pid, *descendants(pid)):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        # utime, stime, cutime, cstime: fields 14-17 of stat, 12-15 after the name.
        total += sum(int(x) for x in fields[11:15])
    return total


class Server:
    """A live preview server in a subprocess, its output in a file, its memory sampled."""

    def __init__(self, name: str, cmd: list[str], cwd: Path, port: int):
        self.name, self.cmd, self.cwd, self.port = name, cmd, cwd, port
        self.url = f"http://127.0.0.1:{port}/"
        # Closed by stop(): the server writes to it for as long as it runs.
        self.log = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")  # noqa: SIM115
        self.process: subprocess.Popen | None = None
        self.tree_peak_kb = 0
        self.children_seen = 0
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True,
                                         name=f"bench-memory-{name}")
        self.first_build_s: float | None = None
        self.output: str | None = None

    def start(self, page_path: str, timeout: float) -> float:
        """Start the server; seconds until ``page_path`` is served (the first build)."""
        started = time.perf_counter()
        # Ctrl-C (stop()) reaches it even when the bench runs as a background job ("&"
        # makes a shell ignore SIGINT, and children inherit that).
        self.process = subprocess.Popen(self.cmd, cwd=self.cwd, env=env(), stdout=self.log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        preexec_fn=lambda: signal.signal(signal.SIGINT,
                                                                         signal.SIG_DFL))
        self._sampler.start()
        wait_for(self.url + page_path, "</html>", timeout, self.process)
        self.first_build_s = time.perf_counter() - started
        return self.first_build_s

    def _sample(self) -> None:
        seen: set[int] = set()
        while not self._stop.is_set() and self.process.poll() is None:
            kids = descendants(self.process.pid)
            seen.update(kids)
            total = sum(_status(p).get("VmRSS", 0) for p in (self.process.pid, *kids))
            self.tree_peak_kb = max(self.tree_peak_kb, total)
            self.children_seen = len(seen)
            self._stop.wait(SAMPLE_EVERY)

    def wait_for(self, page_path: str, text: str, present: bool = True) -> float:
        return wait_for(self.url + page_path, text, EDIT_TIMEOUT, self.process, present)

    def memory(self) -> dict:
        """Peak resident sets so far, in MB: the process's own and its tree's (sampled)."""
        own = _status(self.process.pid).get("VmHWM", 0)
        return {"peak_mb": own / 1024, "tree_peak_mb": max(own, self.tree_peak_kb) / 1024,
                "children_seen": self.children_seen}

    def cpu(self) -> int:
        return cpu_ticks(self.process.pid) if self.process else 0

    def stop(self) -> str:
        """Stop it (Ctrl-C); its output. Stopping it again returns the same output."""
        if self.output is not None:
            return self.output
        self._stop.set()
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._sampler.is_alive():
            self._sampler.join(timeout=5)
        self.log.seek(0)
        self.output = self.log.read()
        self.log.close()
        return self.output


def ours(site: Path) -> Server:
    port = free_port()
    return Server("ours", [python(), "-m", "blogtools.commands.preview", "--port", str(port),
                           "-s", str(site / "pelicanconf.py")], site, port)


def hugo_server_cmd(binary: str, site: Path, port: int) -> list[str]:
    return [binary, "server", "--bind", "127.0.0.1", "--port", str(port), "--source", str(site),
            "--cacheDir", str(site / "cache"), *HUGO_SERVER_FLAGS]


def hugo(binary: str, site: Path) -> Server:
    port = free_port()
    return Server("hugo", hugo_server_cmd(binary, site, port), site, port)


def quiet(servers: list[Server], timeout: float = QUIET_TIMEOUT) -> None:
    """Wait until no server (nor any child of one) has used CPU for ``QUIET_WINDOW``."""
    deadline = time.perf_counter() + timeout
    before = [s.cpu() for s in servers]
    while time.perf_counter() < deadline:
        time.sleep(QUIET_WINDOW)
        after = [s.cpu() for s in servers]
        if all(b - a <= QUIET_TICKS for a, b in zip(before, after)):
            return
        before = after


def summary(times: list[float]) -> dict:
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
            "runs": len(times), "each": times}


# --- the benchmarks ----------------------------------------------------------------------

def bench_preview(site: Path, post: Path, page_path: str, rounds: int = 5,
                  first_build_timeout: float = 600.0) -> dict:
    """Median seconds from appending a sentence to ``post`` to ``page_path`` serving it."""
    server = ours(site)
    times: list[float] = []
    try:
        first = server.start(page_path, first_build_timeout)
        for r in range(rounds):
            marker = f"preview round {r + 1} {time.time_ns()}"
            time.sleep(SAVE_GAP)
            quiet([server])
            append_sentence(post, marker)
            times.append(server.wait_for(page_path, marker))
        memory = server.memory()
    except PreviewFailed as error:
        raise PreviewFailed(f"{error}\n{server.stop()[-2000:]}") from None
    finally:
        server.stop()
    return {**summary(times), "first_build_s": first, **memory}


def _edit(kind: str, post: Path, slug: str, r: int, nonce: str) -> tuple[str, str]:
    """Make edit ``kind`` of round ``r`` to ``post``; (page path to poll, text it shows then)."""
    if kind == "body":
        marker = f"preview round {r + 1} {nonce}"
        append_sentence(post, marker)
        return f"posts/{slug}/", marker
    if kind == "title":
        title = f"Retitled in round {r + 1} {nonce}"
        set_title(post, title)
        return f"posts/{slug}/", title
    tag = f"retag-{r + 1}-{nonce}"
    add_tag(post, tag)
    # The new tag's page lists the post, by its title.
    return f"tags/{tag}/", front_title(post)


def bench_side_by_side(ours_site: Path, hugo_site: Path | None, slug: str, rounds: int = 3,
                       hugo_binary: str | None = None, first_build_timeout: float = 900.0,
                       log=print) -> dict:
    """Body, title and tag edits to post ``slug``: our preview vs ``hugo server``.

    ``hugo_site`` (from ``make_hugo_site``, the same posts) and ``hugo_binary``
    None: ours only, Hugo reported as not measured. Our post's original text is
    put back at the end, and the preview left to rebuild, so the site's output
    is the unedited one for the stages after this.
    """
    post_of = {"ours": ours_site / "content" / "posts" / f"{slug}.md"}
    servers = {"ours": ours(ours_site)}
    if hugo_site is not None and hugo_binary:
        post_of["hugo"] = hugo_site / "content" / "posts" / f"{slug}.md"
        servers["hugo"] = hugo(hugo_binary, hugo_site)
    original = post_of["ours"].read_text(encoding="utf-8")
    page = f"posts/{slug}/"
    times = {kind: {name: [] for name in servers} for kind in KINDS}
    result: dict = {"hugo_flags": list(HUGO_SERVER_FLAGS), "hugo": None}
    try:
        # One first build at a time: they would share the two cores.
        for name, server in servers.items():
            server.start(page, first_build_timeout)
            log(f"  {name}: first build served in {server.first_build_s:.2f} s")
        names = list(servers)
        for r in range(rounds):
            order = names if r % 2 == 0 else names[::-1]
            nonce = f"{time.time_ns() % 16 ** 8:08x}"
            for kind in KINDS:
                for name in order:
                    time.sleep(SAVE_GAP)
                    quiet(list(servers.values()))
                    path, text = _edit(kind, post_of[name], slug, r, nonce)
                    times[kind][name].append(servers[name].wait_for(path, text))
            log(f"  round {r + 1}: " + "; ".join(
                f"{kind} " + ", ".join(f"{name} {times[kind][name][-1]:.2f} s" for name in order)
                for kind in KINDS))
        for name, server in servers.items():
            result[name] = {"first_build_s": server.first_build_s, **server.memory(),
                            **{kind: summary(times[kind][name]) for kind in KINDS}}
        quiet([servers["ours"]])
        save(post_of["ours"], original)
        servers["ours"].wait_for(page, f"preview round {rounds} ", present=False)
    except PreviewFailed as error:
        tails = "\n".join(f"--- {name}'s output:\n{server.stop()[-2000:]}"
                          for name, server in servers.items())
        raise PreviewFailed(f"{error}\n{tails}") from None
    finally:
        for server in servers.values():
            server.stop()
    return result
