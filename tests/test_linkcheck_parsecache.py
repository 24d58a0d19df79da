"""The parse cache: a re-check parses only changed files and reports exactly what a fresh check does."""

from __future__ import annotations

import pytest

from blogtools.linkcheck import Options, check_site, checker, collect
from tests.linkcheck_helpers import make_site, page


def summary(report) -> tuple:
    return (report.files, report.checked, report.skipped,
            [(p.source, p.line, p.column, p.target, p.reason) for p in report.broken])


@pytest.fixture
def parses(monkeypatch):
    """The files the checker parses in this process (jobs=1), in order."""
    seen: list[str] = []
    real = collect.collect_file

    def counting(site_dir, rel_path, positions=True):
        if not positions:  # the re-parse of files with problems asks for positions
            seen.append(rel_path)
        return real(site_dir, rel_path, positions)

    monkeypatch.setattr(collect, "collect_file", counting)
    return seen


def blog(root):
    return make_site(root, {
        "index.html": page('<a href="posts/a/">a</a> <a href="posts/b/#part">b</a>'),
        "posts/a/index.html": page('<h2 id="top-a">A</h2><a href="../b/">b</a><img src="/img/x.png" alt="x">'),
        "posts/b/index.html": page('<h2 id="part">B</h2><a href="../a/#top-a">a</a>'),
        "img/x.png": b"\x89PNG",
    })


def check(site, cache, jobs=1):
    return check_site(str(site), Options(parse_cache=str(cache) if cache else None, jobs=jobs))


def test_second_check_parses_nothing_and_edits_parse_only_the_edited_file(tmp_path, parses):
    site, cache = blog(tmp_path / "out"), tmp_path / "cache" / "parsed.pickle"
    first = check(site, cache)
    assert sorted(parses) == ["index.html", "posts/a/index.html", "posts/b/index.html"]
    assert first.broken == [] and cache.exists()

    parses.clear()
    assert summary(check(site, cache)) == summary(first)
    assert parses == []

    (site / "posts/b/index.html").write_text(page('<h2 id="renamed">B</h2>'), encoding="utf-8")
    parses.clear()
    report = check(site, cache)
    assert parses == ["posts/b/index.html"]
    # index.html was not parsed again, yet its link to the vanished #part is found.
    assert [(p.source, p.target) for p in report.broken] == [("index.html", "posts/b/#part")]
    assert summary(report) == summary(check(site, None))


def test_a_deleted_target_fails_unchanged_pages(tmp_path, parses):
    site, cache = blog(tmp_path / "out"), tmp_path / "parsed.pickle"
    check(site, cache)
    (site / "img/x.png").unlink()
    parses.clear()
    report = check(site, cache)
    assert parses == []
    assert [(p.source, p.target, p.reason) for p in report.broken] == [
        ("posts/a/index.html", "/img/x.png", "file not found: img/x.png")]
    assert summary(report) == summary(check(site, None))


def test_options_are_part_of_the_key(tmp_path):
    site = make_site(tmp_path / "out", {
        "index.html": page('<a href="https://example.org/blog/about/">about</a>'),
        "about/index.html": page("about"),
    })
    cache = tmp_path / "parsed.pickle"
    assert check_site(str(site), Options(parse_cache=str(cache), jobs=1)).checked == 0
    with_base = check_site(str(site), Options(parse_cache=str(cache), jobs=1,
                                              base_url="https://example.org/blog/"))
    assert with_base.checked == 1 and with_base.broken == []
    (site / "about/index.html").unlink()
    gone = check_site(str(site), Options(parse_cache=str(cache), jobs=1,
                                         base_url="https://example.org/blog/"))
    assert [p.target for p in gone.broken] == ["https://example.org/blog/about/"]


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x04K\x01."])
def test_a_damaged_cache_is_an_empty_cache(tmp_path, damage):
    site, cache = blog(tmp_path / "out"), tmp_path / "parsed.pickle"
    cache.write_bytes(damage)
    assert summary(check(site, cache)) == summary(check(site, None))
    assert summary(check(site, cache)) == summary(check(site, None))


def test_on_a_process_pool_the_cache_matches_a_fresh_check(tmp_path, monkeypatch):
    files = {f"p/{i}/index.html": page(f'<h2 id="s{i}">{i}</h2><a href="../{(i + 1) % 200}/#s{(i + 1) % 200}">next</a>')
             for i in range(200)}
    files["p/7/index.html"] = page('<a id="s7" href="../8/#nope">bad</a>')
    site, cache = make_site(tmp_path / "out", files), tmp_path / "parsed.pickle"
    monkeypatch.setattr(checker, "PARALLEL_MIN_BYTES", 1)  # a pool even for this small site
    assert checker.plan_chunks(sorted(files), [1] * len(files), 2)
    fresh = summary(check(site, None, jobs=2))
    assert fresh[3] == [("p/7/index.html", 4, 18, "../8/#nope", "fragment #nope not found in p/8/index.html")]
    assert summary(check(site, cache, jobs=2)) == fresh
    assert summary(check(site, cache, jobs=2)) == fresh
