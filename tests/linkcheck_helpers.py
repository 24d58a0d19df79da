"""Shared helpers of the link checker tests: tiny sites, running the CLI, local HTTP servers."""

from __future__ import annotations

import io
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from blogtools.linkcheck import collect, main


def make_site(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: content}`` under ``root`` and return it."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def page(body: str, head: str = "") -> str:
    """A minimal HTML page; the body starts on line 4."""
    return f"<!DOCTYPE html>\n<html><head><title>t</title>{head}</head>\n<body>\n{body}\n</body></html>\n"


def run(*argv: str, **kwargs) -> tuple[int, str, str]:
    """Run ``main(argv)``; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, **kwargs)
    return code, out.getvalue(), err.getvalue()


def run_json(*argv: str, **kwargs) -> tuple[int, dict]:
    code, out, _ = run(*argv, "--format", "json", "--jobs", "1", **kwargs)
    return code, json.loads(out)


def broken(data: dict) -> list[tuple]:
    """(source, line, column, target, reason) of each broken link in a JSON report."""
    return [(b["source"], b["line"], b["column"], b["target"], b["reason"]) for b in data["broken"]]


class Recorder:
    """The requests a test server received, as (method, path)."""

    def __init__(self):
        self.requests: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.counts: dict[str, int] = {}

    def add(self, method: str, path: str) -> int:
        with self.lock:
            self.requests.append((method, path))
            self.counts[path] = self.counts.get(path, 0) + 1
            return self.counts[path]


def serve(routes, recorder: Recorder | None = None):
    """Start a 127.0.0.1 HTTP server in a thread; ``routes(method, path, nth) -> (status, headers, delay)``.

    Returns (server, base URL). Call ``server.shutdown(); server.server_close()`` when done.
    """
    recorder = recorder or Recorder()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, *args):  # keep test output clean
            pass

        def _answer(self):
            nth = recorder.add(self.command, self.path)
            status, headers, delay = routes(self.command, self.path, nth)
            if delay:
                time.sleep(delay)
            try:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except OSError:
                pass  # the client gave up (timeout test)

        do_GET = _answer
        do_HEAD = _answer

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.recorder = recorder
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    return server, f"http://127.0.0.1:{port}"


@pytest.fixture
def parsers(monkeypatch, tmp_path):
    """A reader of ``{(process id, with positions)}`` for the parses since the last read
    (the pool forks, so the patch reaches its workers)."""
    log = tmp_path / "parsers.log"
    original = collect.collect_file

    def logging(site_dir, rel_path, positions=True):
        with open(log, "a") as fh:
            fh.write(f"{os.getpid()} {int(positions)}\n")
        return original(site_dir, rel_path, positions)

    monkeypatch.setattr(collect, "collect_file", logging)

    def read() -> set[tuple[int, int]]:
        found = {tuple(map(int, line.split())) for line in log.read_text().splitlines()} \
            if log.exists() else set()
        log.unlink(missing_ok=True)
        return found
    return read
