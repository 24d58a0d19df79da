"""The parse pool: above a size, files are parsed on one process per core, and the report is
exactly the sequential pass's (problems, order, lines, columns), with and without a parse cache."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.linkcheck import generate_large_site, generate_site
from blogtools.linkcheck import Options, check_site, checker
from blogtools.linkcheck.report import to_json


def more_problems(site: Path, every: int = 7) -> int:
    """A broken link, a missing fragment and a link to its own last line on every ``every``th page."""
    pages = sorted(site.glob("posts/*/index.html"))
    for page in pages[::every]:
        text = page.read_text()
        page.write_text(text.replace(
            "</article>", '<p>x <a href="../gone/">a</a> <a href="#gone">b</a>\n'
            '<img src="/images/none.png" srcset="/images/img-1.png 1x, none@2x.png 2x"></p>'
            "</article>"))
    return len(pages[::every]) * 4


def test_the_pool_reports_exactly_what_the_sequential_pass_does(tmp_path, parsers):
    site = tmp_path / "site"
    info = generate_site(site, 500, seed=5)
    extra = more_problems(site)
    size = sum(f.stat().st_size for f in site.rglob("*.html"))
    assert size > checker.PARALLEL_MIN_BYTES  # the default threshold: no patching needed

    sequential = check_site(str(site), Options(jobs=1))
    assert parsers() == {(os.getpid(), 0), (os.getpid(), 1)}
    pooled = check_site(str(site), Options(jobs=2))
    workers = {pid for pid, positions in parsers() if not positions}
    assert len(workers) == 2 and os.getpid() not in workers  # the files with problems are
    # small: their columns are found here

    assert len(sequential.broken) == len(info["planted"]) + extra
    assert all(p.column > 1 for p in sequential.broken)
    assert to_json(pooled) == to_json(sequential)  # every field, in the same order


def test_the_pool_with_a_parse_cache(tmp_path, parsers):
    site, cache = tmp_path / "site", tmp_path / "parsed.pickle"
    generate_site(site, 500, seed=6)
    more_problems(site, every=11)
    expected = to_json(check_site(str(site), Options(jobs=1)))
    parsers()
    assert to_json(check_site(str(site), Options(jobs=2, parse_cache=str(cache)))) == expected
    assert os.getpid() not in {pid for pid, positions in parsers() if not positions}
    # Nothing changed: nothing parsed without positions the second time, same report.
    assert to_json(check_site(str(site), Options(jobs=2, parse_cache=str(cache)))) == expected
    assert {positions for _, positions in parsers()} == {1}
    edited = sorted(site.glob("posts/*/index.html"))[3]
    edited.write_text(edited.read_text().replace("</article>", '<a href="#nowhere">c</a></article>'))
    after = check_site(str(site), Options(jobs=2, parse_cache=str(cache)))
    assert to_json(after) == to_json(check_site(str(site), Options(jobs=1)))
    assert any(p.target == "#nowhere" for p in after.broken)


def test_a_few_large_pages_are_parsed_and_located_on_the_pool(tmp_path, parsers):
    site = tmp_path / "large"
    info = generate_large_site(site, 0, seed=2)
    assert info["pages"] == 6 and (site / "pages/page-00000/index.html").stat().st_size > 900_000
    sequential = check_site(str(site), Options(jobs=1))
    parsers()
    pooled = check_site(str(site), Options(jobs=2))
    used = parsers()
    # The first pass and the exact columns of the pages with problems, both on workers.
    assert {positions for pid, positions in used if pid != os.getpid()} == {0, 1}
    assert sorted(p.source for p in sequential.broken) == sorted(p["page"] for p in info["planted"])
    assert to_json(pooled) == to_json(sequential)


def test_plan_chunks():
    mb = 1_000_000
    assert checker.plan_chunks(["a", "b"], [mb, mb], 1) is None          # one job
    assert checker.plan_chunks(["a", "b"], [10, 10], 2) is None          # too little to parse
    assert checker.plan_chunks(["a"], [5 * mb], 2) is None               # one file
    # A few large files: one chunk each, so both processes stay busy.
    assert checker.plan_chunks(list("abcdefghi"), [mb] * 9, 2) == [[c] for c in "abcdefghi"]
    # Many small ones: runs of consecutive files, in order, about 8 per process.
    names = [f"p{i:04d}" for i in range(1000)]
    chunks = checker.plan_chunks(names, [2_000] * 1000, 2)
    assert [n for chunk in chunks for n in chunk] == names
    assert 15 <= len(chunks) <= 17


SEGMENTS = ["..", ".", "a", "b", "x.html", "", "%C3%A9", "...", ".hidden"]


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=6),
       root=st.booleans(), query=st.booleans(), fragment=st.sampled_from([None, "", "s", "a#b"]),
       page=st.sampled_from(["index.html", "a/index.html", "a/b/c.html", "caf\u00e9/x.html"]),
       base_url=st.sampled_from([None, "https://example.org/blog"]))
def test_one_look_up_per_target_path_resolves_as_the_resolver(parts, root, query, fragment,
                                                              page, base_url):
    """The checker's shortcut (leading ``../`` applied, then one look-up per path) agrees
    with the resolver on every path-only URL."""
    from blogtools.linkcheck.resolve import INTERNAL, Resolver

    url = ("/" if root else "") + "/".join(parts) + ("?q" if query else "") \
        + ("" if fragment is None else "#" + fragment)
    if not url or url[0] in "#?" or url.startswith("//"):
        return
    resolver = Resolver(base_url)
    page_dir = resolver._page_dir(page)
    expected = resolver._relative_uncached(page_dir, url)
    bare = url.partition("#")[0].partition("?")[0]
    got = resolver._relative_uncached("", checker._join_dir(page_dir, bare))
    assert got.kind == expected.kind
    if expected.kind == INTERNAL:
        assert got.path == expected.path


def test_the_shortcut_and_the_general_path_report_the_same(tmp_path):
    """An exclusion that matches nothing sends every link down the general path: same report."""
    site = tmp_path / "site"
    generate_site(site, 60, seed=9)
    more_problems(site, every=5)
    (site / "posts/odd.html").write_text(
        '<a href="./post-00001/../post-00002/#section-1">a</a> <a href="../../../x">b</a> '
        '<a href="post-00003/./index.html#nope">c</a> <a href="../posts/post-00004?x#title">d</a> '
        '<a href="../%70osts/post-00005/">e</a> <a href="..">f</a> <a href=".">g</a>',
        encoding="utf-8")
    for base_url in (None, "https://example.org/"):
        fast = check_site(str(site), Options(jobs=1, base_url=base_url))
        general = check_site(str(site), Options(jobs=1, base_url=base_url, excludes=["(?!)"]))
        assert to_json(fast) == to_json(general)
        assert any(p.source == "posts/odd.html" for p in fast.broken)
