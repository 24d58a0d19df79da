"""Edit-to-preview: from saving a post to the live preview serving the new text.

The preview server (``python -m blogtools.commands.preview``, what ``invoke livereload``
runs) starts in a subprocess on a free 127.0.0.1 port against a site copy and
builds it once. Then, round by round, one post gets a new sentence (written
and fsynced, as an editor saves) and the clock runs until an HTTP GET of that
post's page returns the sentence. The figure includes everything the author
waits for: the watcher noticing the save (inotify, 50 ms after the last write), the
rebuild with the content cache, the atomic swap and the answer.
"""

from __future__ import annotations

import signal
import socket
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from benchmarks.generate import edit_post
from benchmarks.runner import env, python

POLL = 0.02


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


def wait_for(url: str, text: str, timeout: float, process: subprocess.Popen) -> float:
    """Seconds until ``url`` serves ``text``."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise PreviewFailed(f"the preview server exited ({process.returncode})")
        if text in fetch(url):
            return time.perf_counter() - started
        time.sleep(POLL)
    raise PreviewFailed(f"{url} did not show {text!r} within {timeout:g} s")


def bench_preview(site: Path, post: Path, page_path: str, rounds: int = 5,
                  first_build_timeout: float = 600.0) -> dict:
    """Median seconds from saving ``post`` to ``page_path`` serving the change."""
    port = free_port()
    cmd = [python(), "-m", "blogtools.commands.preview", "--port", str(port),
           "-s", str(site / "pelicanconf.py")]
    process = subprocess.Popen(cmd, cwd=site, env=env(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/{page_path}"
    times: list[float] = []
    try:
        first = wait_for(url, "</html>", first_build_timeout, process)
        for r in range(rounds):
            marker = f"preview round {r + 1} {time.time_ns()}"
            time.sleep(0.5)  # a new modification time, as a later save has
            edit_post(post, marker)
            times.append(wait_for(url, marker, 120.0, process))
    finally:
        process.send_signal(signal.SIGINT)
        try:
            output = process.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            process.kill()
            output = process.communicate()[0]
    if len(times) < rounds:
        raise PreviewFailed(output[-2000:])
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
            "runs": len(times), "first_build_s": first}
