"""External links, checked only with --external, against servers on 127.0.0.1 started here."""

from __future__ import annotations

import io
import threading
import time

import pytest

from blogtools.linkcheck.external import ExternalChecker, Progress, parse_retry_after
from tests.linkcheck_helpers import make_site, page, run, run_json, serve


def routes(method, path, nth):
    """(status, headers, delay) for each test path."""
    if path == "/ok":
        return 200, {}, 0
    if path == "/r1":
        return 301, {"Location": "/r2"}, 0
    if path == "/r2":
        return 308, {"Location": "/ok"}, 0
    if path == "/temp":
        return 302, {"Location": "/ok"}, 0
    if path == "/missing":
        return 404, {}, 0
    if path == "/error":
        return 500, {}, 0
    if path == "/busy":
        return (429, {"Retry-After": "1"}, 0) if nth == 1 else (200, {}, 0)
    if path == "/nohead":
        return (405, {"Allow": "GET"}, 0) if method == "HEAD" else (200, {}, 0)
    if path == "/slow":
        return 200, {}, 3
    if path == "/loop":
        return 302, {"Location": "/loop"}, 0
    return 404, {}, 0


@pytest.fixture
def server():
    srv, base = serve(routes)
    yield srv, base
    srv.shutdown()
    srv.server_close()


def site_linking(tmp_path, base, *paths):
    links = "\n".join(f'<a href="{base}{p}">{p}</a>' for p in paths)
    return make_site(tmp_path / "out", {"index.html": page(links)})


def test_external_links_not_fetched_without_flag(tmp_path, server):
    srv, base = server
    site = site_linking(tmp_path, base, "/missing")
    code, out, _ = run(str(site))
    assert (code, out) == (0, "Checked 0 links in 1 file: no broken links. "
                              "1 external link not checked (use --external).\n")
    assert srv.recorder.requests == []


def test_ok_404_500_and_redirect_chain(tmp_path, server):
    srv, base = server
    site = site_linking(tmp_path, base, "/ok", "/missing", "/error", "/r1", "/temp")
    code, data = run_json(str(site), "--external", "--retries", "1")
    assert code == 1
    assert [(b["line"], b["target"], b["reason"]) for b in data["broken"]] == [
        (5, f"{base}/missing", "HTTP 404 Not Found"),
        (6, f"{base}/error", "HTTP 500 Internal Server Error"),
    ]
    assert [(w["line"], w["target"], w["reason"], w["suggestion"]) for w in data["warnings"]] == [
        (7, f"{base}/r1", f"permanent redirect to {base}/ok", f"{base}/ok"),
    ]
    assert data["checked"] == 5
    # 500 is retried once; 404 is retried as GET in case the server refuses HEAD.
    assert srv.recorder.counts["/error"] == 2
    assert srv.recorder.requests.count(("GET", "/missing")) == 1


def test_text_report_shows_warnings_separately(tmp_path, server):
    srv, base = server
    site = site_linking(tmp_path, base, "/r1", "/missing")
    code, out, err = run(str(site), "--external")
    assert (code, err) == (1, "")
    assert out == (
        "index.html\n"
        f"  index.html:5:10: a[href] {base}/missing: HTTP 404 Not Found\n"
        "\n"
        "Warnings:\n"
        "index.html\n"
        f"  index.html:4:10: a[href] {base}/r1: permanent redirect to {base}/ok\n"
        "\n"
        "Checked 2 links in 1 file: 1 broken, 1 warning.\n")


def test_429_waits_for_retry_after_then_succeeds(tmp_path, server):
    srv, base = server
    site = site_linking(tmp_path, base, "/busy")
    code, data = run_json(str(site), "--external", "--retries", "2")
    assert (code, data["broken"]) == (0, [])
    assert srv.recorder.counts["/busy"] == 2


def test_429_without_retries_is_broken(tmp_path, server):
    srv, base = server
    site = site_linking(tmp_path, base, "/busy")
    code, data = run_json(str(site), "--external", "--retries", "0")
    assert code == 1
    assert data["broken"][0]["reason"] == "HTTP 429 Too Many Requests"


def test_head_refused_falls_back_to_get(tmp_path, server):
    srv, base = server
    site = site_linking(tmp_path, base, "/nohead")
    code, data = run_json(str(site), "--external")
    assert (code, data["broken"]) == (0, [])
    assert srv.recorder.requests == [("HEAD", "/nohead"), ("GET", "/nohead")]


def test_slow_server_times_out(tmp_path, server):
    srv, base = server
    site = site_linking(tmp_path, base, "/slow")
    code, data = run_json(str(site), "--external", "--timeout", "0.3", "--retries", "0")
    assert code == 1
    assert data["broken"][0]["reason"] == "timeout after 0.3s"


def test_redirect_loop_and_refused_connection(tmp_path, server):
    srv, base = server
    # A port that was just free: nothing listens there.
    probe, dead = serve(routes)
    probe.shutdown()
    probe.server_close()
    site = make_site(tmp_path / "out", {"index.html": page(
        f'<a href="{base}/loop">loop</a>\n<a href="{dead}/x">dead</a>')})
    code, data = run_json(str(site), "--external", "--retries", "0")
    assert code == 1
    reasons = [b["reason"] for b in data["broken"]]
    assert reasons[0] == f"redirect loop at {base}/loop"
    assert reasons[1].startswith("connection failed:")


def test_never_fetched_schemes_and_excludes(tmp_path, server):
    srv, base = server
    site = make_site(tmp_path / "out", {"index.html": page(
        '<a href="mailto:me@example.org">m</a> <a href="tel:+1">t</a>'
        ' <img src="data:image/png;base64,AA" alt=""> <a href="javascript:go()">j</a>\n'
        f'<a href="{base}/missing">skip me</a> <a href="{base}/ok#frag">ok</a>')})
    code, data = run_json(str(site), "--external", "--exclude", "/missing$")
    assert (code, data["broken"], data["checked"], data["skipped"]) == (0, [], 1, 5)
    assert srv.recorder.requests == [("HEAD", "/ok")]


def test_same_url_fetched_once_and_reported_everywhere(tmp_path, server):
    srv, base = server
    site = make_site(tmp_path / "out", {
        "a.html": page(f'<a href="{base}/missing">x</a>'),
        "b.html": page(f'<a href="{base}/missing#x">x</a>'),
    })
    code, data = run_json(str(site), "--external")
    assert code == 1
    assert [b["source"] for b in data["broken"]] == ["a.html", "b.html"]
    assert srv.recorder.counts["/missing"] == 2  # one HEAD, one GET


def test_per_host_concurrency_limit():
    lock = threading.Lock()
    state = {"now": 0, "max": 0}

    def slow_routes(method, path, nth):
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        time.sleep(0.05)
        with lock:
            state["now"] -= 1
        return 200, {}, 0

    srv, base = serve(slow_routes)
    try:
        checker = ExternalChecker(per_host=2, max_workers=8, retries=0, progress=False)
        results = checker.check_all([f"{base}/p{i}" for i in range(12)])
    finally:
        srv.shutdown()
        srv.server_close()
    assert all(r.ok for r in results.values())
    assert 1 <= state["max"] <= 2


def test_retry_after_parsing():
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_backoff_doubles_between_retries():
    waits = []
    checker = ExternalChecker(retries=3, backoff=0.5, timeout=1, sleep=waits.append)
    # A port that was just free has no listener: every attempt fails fast.
    probe, dead = serve(routes)
    probe.shutdown()
    probe.server_close()
    result = checker.check(dead + "/x")
    assert not result.ok and result.requests == 4
    assert waits == [0.5, 1.0, 2.0]


def test_progress_only_when_enabled():
    quiet = io.StringIO()
    p = Progress(2, stream=quiet)  # StringIO is not a TTY
    p.step()
    p.close()
    assert quiet.getvalue() == ""
    shown = io.StringIO()
    p = Progress(2, stream=shown, enabled=True)
    p.step()
    p.step()
    assert "external links: 2/2" in shown.getvalue()
