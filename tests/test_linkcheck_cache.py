"""The external-link cache: a re-run skips recently-good URLs, never broken or expired ones."""

from __future__ import annotations

import json

import pytest

from blogtools.linkcheck.external import ExternalResult, LinkCache
from tests.linkcheck_helpers import make_site, page, run_json, serve


def routes(method, path, nth):
    return (200, {}, 0) if path.startswith("/ok") else (404, {}, 0)


@pytest.fixture
def server():
    srv, base = serve(routes)
    yield srv, base
    srv.shutdown()
    srv.server_close()


def test_second_run_does_not_refetch_good_urls(tmp_path, server):
    srv, base = server
    site = make_site(tmp_path / "out", {"index.html": page(
        f'<a href="{base}/ok">ok</a> <a href="{base}/missing">missing</a>')})
    cache = tmp_path / "cache.json"
    first = run_json(str(site), "--external", "--cache", str(cache))
    assert first[0] == 1
    assert srv.recorder.counts == {"/ok": 1, "/missing": 2}
    stored = json.loads(cache.read_text())
    assert list(stored["entries"]) == [f"{base}/ok"]

    second = run_json(str(site), "--external", "--cache", str(cache))
    assert second == first  # same report
    assert srv.recorder.counts == {"/ok": 1, "/missing": 4}  # only the broken one again


def test_expired_entries_are_refetched(tmp_path, server):
    srv, base = server
    site = make_site(tmp_path / "out", {"index.html": page(f'<a href="{base}/ok">ok</a>')})
    cache = tmp_path / "cache.json"
    cache.write_text(json.dumps({"version": 1, "entries": {
        f"{base}/ok": {"checked_at": 1000.0, "status": 200, "reason": "HTTP 200 OK"}}}))
    code, _ = run_json(str(site), "--external", "--cache", str(cache), "--cache-max-age", "60")
    assert code == 0
    assert srv.recorder.counts == {"/ok": 1}
    assert json.loads(cache.read_text())["entries"][f"{base}/ok"]["checked_at"] > 1000.0


def test_corrupt_cache_is_ignored_and_rewritten(tmp_path, server):
    srv, base = server
    site = make_site(tmp_path / "out", {"index.html": page(f'<a href="{base}/ok">ok</a>')})
    cache = tmp_path / "cache.json"
    cache.write_text("{not json")
    assert run_json(str(site), "--external", "--cache", str(cache))[0] == 0
    assert list(json.loads(cache.read_text())["entries"]) == [f"{base}/ok"]


def test_cache_expiry_with_a_clock(tmp_path):
    clock = [10_000.0]
    cache = LinkCache(str(tmp_path / "c.json"), max_age=100, now=lambda: clock[0])
    cache.put(ExternalResult("https://a.example/", True, 200, "HTTP 200 OK"))
    cache.put(ExternalResult("https://b.example/", False, 404, "HTTP 404 Not Found"))
    cache.save()
    again = LinkCache(str(tmp_path / "c.json"), max_age=100, now=lambda: clock[0])
    assert again.get("https://a.example/").from_cache
    assert again.get("https://b.example/") is None
    clock[0] += 101
    assert again.get("https://a.example/") is None
