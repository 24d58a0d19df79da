"""Check external http(s) URLs: concurrently, politely, with a cache.

Only the standard library is used (``http.client`` on a thread pool), because
the checker needs control over every hop that urllib or requests would hide:

* each unique URL (fragment removed) is checked once, on a pool of threads,
  with at most ``per_host`` requests to one host at a time;
* a socket timeout per request; network errors, timeouts, 5xx and 429 are
  retried ``retries`` times with exponential backoff, and a 429 or 503 waits
  for its ``Retry-After`` (seconds or an HTTP date, capped);
* ``HEAD`` first; where a server refuses HEAD (405, 501, and the 400/403/404
  some servers answer to HEAD only) the URL is fetched with ``GET``, whose body
  is never read;
* redirects are followed hop by hop (up to ``max_redirects``); a chain that
  contains a permanent redirect (301, 308) ends as a warning with the new URL;
* :class:`LinkCache` keeps good results in a JSON file for ``max_age``
  seconds, so a re-run does not refetch recently-good URLs;
* a progress line is drawn on stderr only when stderr is a terminal.

Which URLs get here (``mailto:``, ``tel:``, ``data:``, ``javascript:`` never
do, nor excluded ones) is decided by the checker.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import os
import ssl
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

USER_AGENT = "blogtools-linkcheck/1.0 (+static site link checker)"
REDIRECTS = {301, 302, 303, 307, 308}
PERMANENT = {301, 308}
# Statuses after which a HEAD is retried as GET: servers that refuse or mishandle HEAD.
HEAD_FALLBACK = {400, 403, 404, 405, 406, 409, 410, 501}
RETRYABLE = {429, 500, 502, 503, 504}


@dataclass
class ExternalResult:
    """The outcome for one URL."""

    url: str
    ok: bool
    status: int | None = None
    reason: str = ""
    new_url: str | None = None      # where a permanent redirect leads
    from_cache: bool = False
    requests: int = 0


class LinkCache:
    """Recently-good URLs in a JSON file: ``{"version": 1, "entries": {url: {...}}}``."""

    VERSION = 1

    def __init__(self, path: str | None, max_age: float = 86400.0, now=time.time):
        self.path = path
        self.max_age = max_age
        self.now = now
        self.entries: dict[str, dict] = {}
        self.lock = threading.Lock()
        if path and os.path.exists(path):
            try:
                with open(path, encoding="utf-8") as fh:
                    data = json.load(fh)
                entries = data.get("entries", {}) if isinstance(data, dict) else {}
                if isinstance(entries, dict):
                    self.entries = {k: v for k, v in entries.items() if isinstance(v, dict)}
            except (OSError, ValueError):
                self.entries = {}  # an unreadable cache is only a slower run

    def get(self, url: str) -> ExternalResult | None:
        entry = self.entries.get(url)
        if not entry:
            return None
        checked = entry.get("checked_at")
        if not isinstance(checked, (int, float)) or self.now() - checked > self.max_age:
            return None
        return ExternalResult(url=url, ok=True, status=entry.get("status"),
                              reason=entry.get("reason", ""), new_url=entry.get("new_url"),
                              from_cache=True)

    def put(self, result: ExternalResult) -> None:
        if not result.ok or result.from_cache:
            return
        with self.lock:
            self.entries[result.url] = {"checked_at": self.now(), "status": result.status,
                                        "reason": result.reason, "new_url": result.new_url}

    def save(self) -> None:
        if not self.path:
            return
        now = self.now()
        fresh = {k: v for k, v in self.entries.items()
                 if isinstance(v.get("checked_at"), (int, float))
                 and now - v["checked_at"] <= self.max_age}
        directory = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".linkcheck-cache-", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"version": self.VERSION, "entries": fresh}, fh, indent=1, sort_keys=True)
            os.replace(tmp, self.path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _request_target(parts) -> str:
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=~-._")
    if parts.query:
        path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=~-._?")
    return path


class Progress:
    """``\\rexternal links: 12/40`` on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, stream=None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.enabled = enabled and total > 0
        self.total = total
        self.done = 0
        self.lock = threading.Lock()

    def step(self) -> None:
        with self.lock:
            self.done += 1
            if self.enabled:
                self.stream.write(f"\rexternal links: {self.done}/{self.total}")
                self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 40 + "\r")
            self.stream.flush()


class ExternalChecker:
    """Check a set of URLs; see the module docstring for the rules."""

    def __init__(self, *, timeout: float = 10.0, retries: int = 2, backoff: float = 0.5,
                 max_workers: int = 16, per_host: int = 4, max_redirects: int = 10,
                 max_retry_after: float = 60.0, cache: LinkCache | None = None,
                 progress: bool | None = None, user_agent: str = USER_AGENT,
                 sleep=time.sleep):
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.max_workers = max(1, max_workers)
        self.per_host = max(1, per_host)
        self.max_redirects = max_redirects
        self.max_retry_after = max_retry_after
        self.cache = cache
        self.progress = progress
        self.user_agent = user_agent
        self.sleep = sleep
        self._host_slots: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()
        self._ssl = ssl.create_default_context()

    def _slot(self, host: str) -> threading.Semaphore:
        with self._lock:
            sem = self._host_slots.get(host)
            if sem is None:
                sem = self._host_slots[host] = threading.BoundedSemaphore(self.per_host)
            return sem

    def _request(self, method: str, url: str) -> tuple[int, str, str | None, str | None]:
        """One request: (status, reason phrase, Location, Retry-After)."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        try:
            host_ascii = host.encode("idna").decode("ascii")
        except UnicodeError:
            host_ascii = host
        port = parts.port
        if parts.scheme == "https":
            conn = http.client.HTTPSConnection(host_ascii, port, timeout=self.timeout,
                                               context=self._ssl)
        else:
            conn = http.client.HTTPConnection(host_ascii, port, timeout=self.timeout)
        with self._slot(f"{host_ascii}:{port}"):
            try:
                conn.request(method, _request_target(parts), headers={
                    "User-Agent": self.user_agent,
                    "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                    "Connection": "close",
                })
                resp = conn.getresponse()
                result = (resp.status, resp.reason or "", resp.getheader("Location"),
                          resp.getheader("Retry-After"))
            finally:
                conn.close()
        return result

    def _fetch(self, url: str, counter: list[int]) -> tuple[int | None, str, str | None]:
        """(status or None, reason, Location) after HEAD→GET fallback and retries."""
        method = "HEAD"
        attempt = 0
        while True:
            retry_after = None
            try:
                counter[0] += 1
                status, phrase, location, retry_after = self._request(method, url)
                reason = f"HTTP {status} {phrase}".strip()
            except TimeoutError:
                status, reason, location = None, f"timeout after {self.timeout:g}s", None
            except ssl.SSLError as exc:
                status, reason, location = None, f"TLS error: {exc.reason or exc}", None
            except (OSError, http.client.HTTPException) as exc:
                text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
                status, reason, location = None, f"connection failed: {text}", None
            if status is not None and method == "HEAD" and status in HEAD_FALLBACK:
                method = "GET"
                continue
            if (status is None or status in RETRYABLE) and attempt < self.retries:
                delay = self.backoff * (2 ** attempt)
                if status in (429, 503):
                    wait = parse_retry_after(retry_after)
                    if wait is not None:
                        delay = wait
                delay = min(delay, self.max_retry_after)
                attempt += 1
                self.sleep(delay)
                continue
            return status, reason, location

    def check(self, url: str) -> ExternalResult:
        """Check one URL (no cache), following redirects."""
        counter = [0]
        current = url
        seen = {url}
        permanent = False
        for _ in range(self.max_redirects + 1):
            status, reason, location = self._fetch(current, counter)
            if status in REDIRECTS and location:
                permanent = permanent or status in PERMANENT
                nxt = urljoin(current, location.strip())
                if nxt in seen:
                    return ExternalResult(url, False, status, f"redirect loop at {nxt}",
                                          requests=counter[0])
                if urlsplit(nxt).scheme not in ("http", "https"):
                    return ExternalResult(url, False, status,
                                          f"redirect to a non-http URL: {nxt}", requests=counter[0])
                seen.add(nxt)
                current = nxt
                continue
            if status is not None and 200 <= status < 300:
                new_url = current if permanent and current != url else None
                return ExternalResult(url, True, status, reason, new_url, requests=counter[0])
            if status is not None and 300 <= status < 400:
                reason = f"{reason} without a Location header"
            return ExternalResult(url, False, status, reason, requests=counter[0])
        return ExternalResult(url, False, None,
                              f"more than {self.max_redirects} redirects", requests=counter[0])

    def check_all(self, urls) -> dict[str, ExternalResult]:
        """Check every URL once (cache first); returns {url: result}."""
        urls = list(dict.fromkeys(urls))
        results: dict[str, ExternalResult] = {}
        todo = []
        for url in urls:
            cached = self.cache.get(url) if self.cache else None
            if cached is not None:
                results[url] = cached
            else:
                todo.append(url)
        progress = Progress(len(todo), enabled=self.progress)

        def run(url: str) -> ExternalResult:
            try:
                return self.check(url)
            except Exception as exc:  # a bug in one URL's check must not stop the run
                return ExternalResult(url, False, None, f"check failed: {exc!r}")
            finally:
                progress.step()

        if todo:
            with ThreadPoolExecutor(max_workers=min(self.max_workers, len(todo))) as pool:
                for result in pool.map(run, todo):
                    results[result.url] = result
                    if self.cache:
                        self.cache.put(result)
        progress.close()
        if self.cache:
            self.cache.save()
        return results

