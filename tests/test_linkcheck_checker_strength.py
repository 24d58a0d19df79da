"""The link checker's one pass (``check_site``), as a site author reads its report.

Each test builds a small site of HTML files in tmp_path and checks what the report
says: which links are broken, on which page, line and column, why, and what to
write instead; what is skipped or left unchecked; and that the process pool and
the parse cache change nothing in the report.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from blogtools.linkcheck import Options, check_site, checker, collect
from blogtools.linkcheck.report import to_json, to_text
from tests.linkcheck_helpers import make_site, page, serve


def rows(report) -> list[tuple]:
    """(page, line, column, link as written, reason, suggestion) of each broken link."""
    return [(p.source, p.line, p.column, p.target, p.reason, p.suggestion) for p in report.broken]


def col(line: str, url: str) -> int:
    """The 1-based column of ``url`` in one line of a page."""
    return line.index(f'"{url}"') + 2


def counts(report) -> tuple[int, int, int, int]:
    return report.files, report.checked, report.skipped, report.external_unchecked


# --- missing pages and files -----------------------------------------------------------

def test_each_missing_page_is_reported_with_its_line_column_and_nearest_page(tmp_path):
    """Every broken link of a page is reported, not only the first, each at its own place
    and with the existing page of the nearest name, written the way the link was."""
    line4 = '<a href="about/">a</a> <a href="abuot/">b</a> <a href="about/">c</a>'
    line5 = '<a href="/posts/frist/">d</a> <img src="img/logo.pgn" alt="">'
    site = make_site(tmp_path / "out", {
        "index.html": page(line4 + "\n" + line5),
        "about/index.html": page("about"),
        "posts/first/index.html": page("first"),
        "img/logo.png": b"\x89PNG",
    })
    report = check_site(str(site), Options(jobs=1))
    assert rows(report) == [
        ("index.html", 4, col(line4, "abuot/"), "abuot/", "file not found: abuot/", "about/"),
        ("index.html", 5, col(line5, "/posts/frist/"), "/posts/frist/",
         "file not found: posts/frist/", "/posts/first/"),
        ("index.html", 5, col(line5, "img/logo.pgn"), "img/logo.pgn",
         "file not found: img/logo.pgn", "img/logo.png"),
    ]
    assert [p.kind for p in report.broken] == ["a[href]", "a[href]", "img[src]"]
    assert counts(report) == (3, 5, 0, 0)
    assert report.exit_code == 1


def test_links_from_nested_pages_climb_folders_like_a_browser(tmp_path):
    """``../`` and ``./`` go up and stay from the page's own folder; ``../`` above the
    site's root stays at the root, as a browser does."""
    body = ('<a href="../b/">1</a> <a href="../../about/">2</a> <a href="./c.html">3</a>'
            ' <a href="../../../../about/">4</a> <a href=".././../about/">5</a>'
            ' <a href="../b/./../a/c.html">6</a> <a href="../../posts/a/c.html">7</a>')
    site = make_site(tmp_path / "out", {
        "index.html": page('<a href="../about/">up</a> <a href="./about/">here</a>'),
        "about/index.html": page("about"),
        "posts/a/index.html": page(body),
        "posts/a/c.html": page("c"),
        "posts/b/index.html": page("b"),
    })
    report = check_site(str(site), Options(jobs=1))
    assert rows(report) == []
    assert counts(report) == (5, 9, 0, 0)
    # The same links, each one folder too deep, are each reported with its own path.
    (site / "posts/b/index.html").unlink()
    (site / "about/index.html").unlink()
    reasons = {(p.target, p.reason) for p in check_site(str(site), Options(jobs=1)).broken}
    assert reasons == {
        ("../about/", "directory has no index.html: about/"),
        ("./about/", "directory has no index.html: about/"),
        ("../b/", "directory has no index.html: posts/b/"),
        ("../../about/", "directory has no index.html: about/"),
        ("../../../../about/", "directory has no index.html: about/"),
        (".././../about/", "directory has no index.html: about/"),
    }


def test_a_link_with_a_query_names_the_file_without_it(tmp_path):
    """A static host ignores ``?query``: the file is found, or reported, without it."""
    line = '<a href="b.html?v=2">1</a> <a href="gone.html?v=2#x">2</a> <a href="?page=2">3</a>'
    site = make_site(tmp_path / "out", {"d/a.html": page(line), "d/b.html": page("b")})
    assert rows(check_site(str(site), Options(jobs=1))) == [
        ("d/a.html", 4, col(line, "gone.html?v=2#x"), "gone.html?v=2#x",
         "file not found: d/gone.html", "b.html?v=2#x")]


def test_base_href_decides_where_relative_links_point(tmp_path):
    """With ``<base href>``, a relative link is looked up under the base, not the page's folder."""
    line = '<a href="x.html">x</a> <a href="y.html">y</a>'
    site = make_site(tmp_path / "out", {
        "posts/p.html": page(line, head='<base href="/lib/">'),
        "posts/y.html": page("y"),
        "lib/x.html": page("x"),
    })
    assert rows(check_site(str(site), Options(jobs=1))) == [
        ("posts/p.html", 4, col(line, "y.html"), "y.html", "file not found: lib/y.html",
         "../lib/x.html")]


def test_an_unreadable_file_is_reported_at_its_first_line(tmp_path):
    """A page the checker cannot read (a dangling symlink) is a broken file, at 1:1."""
    site = make_site(tmp_path / "out", {"index.html": page('<a href="gone.html">x</a>')})
    os.symlink(tmp_path / "nowhere.html", site / "dangling.html")
    report = check_site(str(site), Options(jobs=1))
    assert rows(report)[0] == ("dangling.html", 1, 1, "dangling.html",
                               "cannot read: No such file or directory", None)
    assert [p.target for p in report.broken] == ["dangling.html", "gone.html"]
    assert report.files == 2


# --- fragments ----------------------------------------------------------------------------

FRAGMENTS = (
    '<h2 id="Intro">A</h2> <a href="#intro">1</a> <a href="#Intro">2</a> <a href="#top">3</a>\n'
    '<a href="../b/#Part">4</a> <a href="../b/?x=1#part">5</a> <a href="../b/#part">6</a>\n'
    '<a href="/img/x.png#frag">7</a> <a href="index.html#gone">8</a> <a href="../b/#">9</a>\n'
    '<a href="../b/index.html#nothing-like-it">10</a> <a href="./#Intro">11</a>'
)


def test_missing_fragments_name_the_page_and_the_nearest_id(tmp_path):
    """A fragment must be an id of its target page: on this page ('this page') or another
    (its path); the nearest existing id is suggested; fragments of images are not checked."""
    site = make_site(tmp_path / "out", {
        "posts/a/index.html": page(FRAGMENTS),
        "posts/b/index.html": page('<h2 id="part">B</h2>'),
        "img/x.png": b"\x89PNG",
    })
    lines = FRAGMENTS.split("\n")
    report = check_site(str(site), Options(jobs=1))
    assert rows(report) == [
        ("posts/a/index.html", 4, col(lines[0], "#intro"), "#intro",
         "fragment #intro not found in this page", "#Intro"),
        ("posts/a/index.html", 5, col(lines[1], "../b/#Part"), "../b/#Part",
         "fragment #Part not found in posts/b/index.html", "../b/#part"),
        ("posts/a/index.html", 6, col(lines[2], "index.html#gone"), "index.html#gone",
         "fragment #gone not found in this page", None),
        ("posts/a/index.html", 7, col(lines[3], "../b/index.html#nothing-like-it"),
         "../b/index.html#nothing-like-it",
         "fragment #nothing-like-it not found in posts/b/index.html", None),
    ]
    assert counts(report) == (2, 11, 0, 0)


def test_a_same_page_fragment_is_looked_up_on_each_page_itself(tmp_path):
    """``#sec`` means the page it is written on, even when a neighbour in the same
    folder, checked first, uses the same ``#sec`` (or ``?q#sec``) without defining it."""
    site = make_site(tmp_path / "out", {
        "d/a.html": page('<a href="#sec">a</a> <a href="?q#sec">b</a>'),
        "d/b.html": page('<h2 id="sec">S</h2> <a href="#sec">c</a> <a href="?q#sec">d</a>'),
    })
    for jobs in (1, 2):
        assert [(p.source, p.target, p.reason) for p in
                check_site(str(site), Options(jobs=jobs)).broken] == [
            ("d/a.html", "#sec", "fragment #sec not found in this page"),
            ("d/a.html", "?q#sec", "fragment #sec not found in this page"),
        ]


def test_relative_links_resolve_from_each_pages_own_folder_and_base(tmp_path):
    """The same relative link on pages in different folders, or with different
    ``<base href>``, names different files: each page gets its own verdict (here with a
    backslash, which a browser reads as ``/``)."""
    link = page('<a href="c\\d.html">x</a>')
    site = make_site(tmp_path / "out", {
        "p.html": link, "a/x/p.html": link, "a/y/p.html": link, "b/p.html": link,
        "a/x/c/d.html": page("d"),
        "e/p.html": page('<a href="y.html">y</a>', head='<base href="/x/">'),
        "e/q.html": page('<a href="y.html">y</a>', head='<base href="/z/">'),
        "x/y.html": page("y"),
    })
    assert [(p.source, p.reason) for p in check_site(str(site), Options(jobs=1)).broken] == [
        ("a/y/p.html", "file not found: a/y/c/d.html"),
        ("b/p.html", "file not found: b/c/d.html"),
        ("e/q.html", "file not found: z/y.html"),
        ("p.html", "file not found: c/d.html"),
    ]


def test_a_fragment_runs_to_the_end_of_the_link(tmp_path):
    """Everything after the first ``#`` is the fragment, a second ``#`` included; an empty
    ``href`` is the page itself and is fine."""
    line = '<a href="../b/#part#more">1</a> <a href="">2</a> <a href="../b/#part">3</a>'
    site = make_site(tmp_path / "out", {
        "posts/a/index.html": page(line),
        "posts/b/index.html": page('<h2 id="part">B</h2>'),
    })
    report = check_site(str(site), Options(jobs=1))
    assert [(p.target, p.reason) for p in report.broken] == [
        ("../b/#part#more", "fragment #part#more not found in posts/b/index.html")]
    assert report.checked == 3


def test_one_check_does_not_leak_into_the_next(tmp_path):
    """Checks in one process are independent: a --base-url given to one check changes
    nothing for the next check without it, and the other way round."""
    site = make_site(tmp_path / "out", {
        "index.html": page('<a href="https://example.org/blog/abuot/">x</a>'),
        "about/index.html": page("about")})
    with_base = Options(jobs=1, base_url="https://example.org/blog/")
    for _ in range(2):
        assert counts(check_site(str(site), Options(jobs=1))) == (2, 0, 0, 1)
        assert [p.reason for p in check_site(str(site), with_base).broken] == [
            "file not found: abuot/"]


# --- what is skipped, excluded or left to the external check ----------------------------

def test_counts_of_checked_skipped_and_unchecked_external_links(tmp_path):
    """mailto:, tel: and javascript: links are skipped; external links without
    --external are counted as not checked; only feeds, pages and robots.txt are read."""
    site = make_site(tmp_path / "out", {
        "index.html": page('<a href="mailto:me@example.org">m</a> <a href="tel:+1">t</a> '
                           '<a href="javascript:void(0)">j</a> <a href="https://example.com/">e</a> '
                           '<a href="//cdn.example.com/x.js">c</a> <a href="a.html">a</a>'),
        "a.html": page('<a href="index.html">home</a>'),
        "robots.txt": "Sitemap: /sitemap.xml\n",
        "sitemap.xml": '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                       'sitemap/0.9"><url><loc>/a.html</loc></url></urlset>',
        "style.css": "a { color: red }",
    })
    report = check_site(str(site), Options(jobs=1))
    assert report.broken == []
    assert counts(report) == (4, 4, 3, 2)
    assert to_text(report) == ("Checked 4 links in 4 files: no broken links. "
                               "2 external links not checked (use --external).\n")


def test_excludes_match_the_link_as_written_or_the_file_it_names(tmp_path):
    """An --exclude pattern skips a link when it matches the URL as written or the site
    path it resolves to; other links are still checked, on every path."""
    line = ('<a href="../../drafts/x/">1</a> <a href="/gone/?preview=1">2</a> '
            '<a href="https://example.com/x">3</a> <a href="../b/#nope">4</a> '
            '<a href="../missing/">5</a> <a href="#here">6</a> <a href="/doc.pdf#page=2">7</a>')
    site = make_site(tmp_path / "out", {
        "posts/a/index.html": page(line),
        "posts/b/index.html": page("b"),
        "doc.pdf": b"%PDF",
    })
    opts = Options(jobs=1, excludes=["^drafts/", "preview=", r"example\.com"])
    report = check_site(str(site), opts)
    assert rows(report) == [
        ("posts/a/index.html", 4, col(line, "../b/#nope"), "../b/#nope",
         "fragment #nope not found in posts/b/index.html", None),
        ("posts/a/index.html", 4, col(line, "../missing/"), "../missing/",
         "file not found: posts/missing/", None),
        ("posts/a/index.html", 4, col(line, "#here"), "#here",
         "fragment #here not found in this page", None),
    ]
    assert counts(report) == (2, 4, 3, 0)
    assert [p.target for p in check_site(str(site), Options(jobs=1)).broken] == [
        "../../drafts/x/", "/gone/?preview=1", "../b/#nope", "../missing/", "#here"]


def test_an_invalid_exclude_pattern_is_refused_before_any_work(tmp_path):
    """A bad --exclude regex is an error at once, not a half-done check."""
    import re
    site = make_site(tmp_path / "out", {"index.html": page("x")})
    with pytest.raises(re.error):
        check_site(str(site), Options(jobs=1, excludes=["("]))


# --- a site under a sub-path (--base-url) --------------------------------------------------

def test_links_leaving_the_base_path_are_reported_with_the_path_inside_it(tmp_path):
    """With --base-url https://example.org/blog/, ``/about/`` leaves the site: it is
    reported with where it resolves, and ``/blog/about/`` suggested when that exists."""
    line4 = ('<a href="/about/">1</a> <a href="/about/?x=1#top">2</a> '
             '<a href="/elsewhere/">3</a> <a href="/caf%C3%A9/">4</a>')
    line5 = ('<a href="../x">5</a> <a href="https://example.org/blog/abuot/">6</a> '
             '<a href="/blog/about/">7</a> <a href="https://example.org/blog/about/#top">8</a>')
    line6 = '<a href="/go/https://x.org/">9</a> <a href="/about/?a=1?b">10</a>'
    site = make_site(tmp_path / "out", {
        "index.html": page(line4 + "\n" + line5 + "\n" + line6),
        "about/index.html": page("about"),
        "caf\u00e9/index.html": page("cafe"),
    })
    report = check_site(str(site), Options(jobs=1, base_url="https://example.org/blog"))
    outside = "outside the site's base path /blog/ (resolves to {})"
    assert rows(report) == [
        ("index.html", 4, col(line4, "/about/"), "/about/", outside.format("/about/"),
         "/blog/about/"),
        ("index.html", 4, col(line4, "/about/?x=1#top"), "/about/?x=1#top",
         outside.format("/about/"), "/blog/about/"),
        ("index.html", 4, col(line4, "/elsewhere/"), "/elsewhere/",
         outside.format("/elsewhere/"), None),
        ("index.html", 4, col(line4, "/caf%C3%A9/"), "/caf%C3%A9/",
         outside.format("/caf%C3%A9/"), "/blog/caf%C3%A9/"),
        ("index.html", 5, col(line5, "../x"), "../x", outside.format("/x"), None),
        ("index.html", 5, col(line5, "https://example.org/blog/abuot/"),
         "https://example.org/blog/abuot/", "file not found: abuot/",
         "https://example.org/blog/about/"),
        ("index.html", 6, col(line6, "/go/https://x.org/"), "/go/https://x.org/",
         outside.format("/go/https://x.org/"), None),
        ("index.html", 6, col(line6, "/about/?a=1?b"), "/about/?a=1?b",
         outside.format("/about/"), "/blog/about/"),
    ]
    assert counts(report) == (3, 10, 0, 0)


def test_a_base_href_leaving_the_base_path_reports_the_path_without_its_query(tmp_path):
    """Under --base-url https://example.org/blog/, ``<base href="/">`` makes relative links
    leave the site: the report names the path they resolve to, without ?query or #fragment,
    and suggests the same path under /blog/ when it exists (any first letter)."""
    line = '<a href="about/?x=1?y#top">1</a> <a href="Xmas/">2</a> <a href="gone/">3</a>'
    site = make_site(tmp_path / "out", {
        "posts/p.html": page(line, head='<base href="/">'),
        "about/index.html": page("about"),
        "Xmas/index.html": page("xmas"),
    })
    report = check_site(str(site), Options(jobs=1, base_url="https://example.org/blog/"))
    outside = "outside the site's base path /blog/ (resolves to {})"
    assert [(p.target, p.reason, p.suggestion) for p in report.broken] == [
        ("about/?x=1?y#top", outside.format("/about/"), "/blog/about/"),
        ("Xmas/", outside.format("/Xmas/"), "/blog/Xmas/"),
        ("gone/", outside.format("/gone/"), None),
    ]


def test_a_malformed_url_is_reported_with_why(tmp_path):
    """A URL no browser can parse is broken, with the parser's reason."""
    line = '<a href="http://[::1">x</a> <a href="ok.html">y</a>'
    site = make_site(tmp_path / "out", {"index.html": page(line), "ok.html": page("ok")})
    report = check_site(str(site), Options(jobs=1))
    assert rows(report) == [("index.html", 4, 10, "http://[::1",
                             "malformed URL (Invalid IPv6 URL)", None)]
    assert report.checked == 2


# --- order of the report and content sources ---------------------------------------------

def test_problems_are_listed_by_page_then_line_and_column(tmp_path):
    """The report lists problems in page order, then by line and column, whatever kind
    of check found them (a fragment on another page before a missing file below it)."""
    site = make_site(tmp_path / "out", {
        "b.html": page('<a href="a.html#x">1</a>\n<a href="gone.html">2</a> <a href="#y">3</a>'),
        "a.html": page('<a href="c.html">4</a>'),
    })
    report = check_site(str(site), Options(jobs=1))
    assert [(p.source, p.line, p.target) for p in report.broken] == [
        ("a.html", 4, "c.html"), ("b.html", 4, "a.html#x"), ("b.html", 5, "gone.html"),
        ("b.html", 5, "#y")]


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>
<entry><title>Post</title>
<link href="https://example.org/posts/a/" rel="alternate"/>
<content type="html">&lt;p&gt;See &lt;a href="https://example.org/posts/b/"&gt;B&lt;/a&gt;&lt;/p&gt;</content>
</entry>
</feed>
"""


def test_a_broken_link_points_to_the_line_of_its_markdown_source(tmp_path):
    """With a sources map, a broken link on a page, or in a feed entry made from that
    page, is also reported at its line in the page's Markdown source."""
    source = tmp_path / "content" / "a.md"
    source.parent.mkdir()
    source.write_text("Title: A\n\nSee [B](https://example.org/posts/b/).\n", encoding="utf-8")
    site = make_site(tmp_path / "out", {
        "posts/a/index.html": page('<p>See <a href="https://example.org/posts/b/">B</a></p>'),
        "feeds/all.atom.xml": ATOM,
        "feeds/other.atom.xml": ATOM.replace("posts/a/", "posts/c/"),
        "posts/c/index.html": page("c, not written in Markdown"),
        "feeds/based.atom.xml": ATOM.replace("<entry>", '<entry xml:base="https://example.org/posts/">')
                                    .replace("https://example.org/posts/a/", "a/"),
    })
    opts = Options(jobs=1, base_url="https://example.org/",
                   sources={"posts/a/index.html": str(source)})
    report = check_site(str(site), opts)
    assert [(p.source, p.line, p.column, p.content_source, p.content_line)
            for p in report.broken] == [
        ("feeds/all.atom.xml", 5, 47, str(source), 3),
        ("feeds/based.atom.xml", 5, 47, str(source), 3),
        ("feeds/other.atom.xml", 5, 47, None, None),
        ("posts/a/index.html", 4, 17, str(source), 3),
    ]
    assert report.broken[0].kind == "feed entry <content> a[href]"
    # Without a sources map, nothing points into Markdown.
    plain = check_site(str(site), Options(jobs=1, base_url="https://example.org/"))
    assert {p.content_source for p in plain.broken} == {None}


def test_a_page_rewritten_during_the_check_keeps_its_problems_at_their_lines(tmp_path,
                                                                            monkeypatch):
    """If a page changes between the first pass and the search for exact columns (a build
    writing while the check runs), its problems are still reported, at their tag's line and
    column 1."""
    site = make_site(tmp_path / "out", {
        "index.html": page('<a href="gone1.html">1</a>\n<a href="gone2.html">2</a>')})
    original = collect.collect_file

    def rebuilt_meanwhile(site_dir, rel_path, positions=True):
        if positions:
            (site / rel_path).write_text(page('<a href="other.html">x</a>'), encoding="utf-8")
        return original(site_dir, rel_path, positions)

    monkeypatch.setattr(collect, "collect_file", rebuilt_meanwhile)
    assert [(p.line, p.column, p.target) for p in check_site(str(site), Options(jobs=1)).broken] \
        == [(4, 1, "gone1.html"), (5, 1, "gone2.html")]


# --- external links (a local server) -------------------------------------------------------

@pytest.fixture
def server():
    calls: dict[str, int] = {}

    def routes(method, path, nth):
        calls[path] = calls.get(path, 0) + 1
        if path.startswith("/moved"):
            return 301, {"Location": "/new"}, 0
        if path.startswith("/gone"):
            return 404, {}, 0
        if path.startswith("/flaky") and calls[path] == 1:
            return 503, {}, 0
        if path.startswith("/slow"):
            return 200, {}, 1.5
        return 200, {}, 0

    httpd, base = serve(routes)
    yield base, calls
    httpd.shutdown()
    httpd.server_close()


def test_external_links_are_checked_once_and_reported_per_use(tmp_path, server):
    """With --external, each URL is fetched once whatever its fragments; a dead one is
    broken on every page using it, a permanent redirect is a warning suggesting the new
    URL (with the link's fragment); the report lists both in page and line order."""
    base, calls = server
    site = make_site(tmp_path / "out", {
        "a.html": page(f'<a href="{base}/ok#one">1</a> <a href="{base}/ok#two">2</a>\n'
                       f'<a href="{base}/moved">3</a>'),
        "b.html": page(f'<a href="{base}/gone">4</a>\n<a href="{base}/moved#sec#2">5</a>\n'
                       f'<a href="{base}/ok">6</a>'),
    })
    report = check_site(str(site), Options(jobs=1, external=True, retries=0))
    assert calls["/ok"] == 1 and calls["/moved"] == 1
    assert [(p.source, p.line, p.target, p.reason) for p in report.broken] == [
        ("b.html", 4, f"{base}/gone", "HTTP 404 Not Found")]
    assert [(p.source, p.line, p.column, p.target, p.reason, p.suggestion)
            for p in report.warnings] == [
        ("a.html", 5, 10, f"{base}/moved", f"permanent redirect to {base}/new", f"{base}/new"),
        ("b.html", 5, 10, f"{base}/moved#sec#2", f"permanent redirect to {base}/new",
         f"{base}/new#sec#2"),
    ]
    assert counts(report) == (2, 6, 0, 0)


def test_external_results_are_kept_in_the_cache_for_its_max_age(tmp_path, server):
    """A good external URL is not fetched again by the next run within --cache-max-age;
    with a max age of 0 it is."""
    base, calls = server
    site = make_site(tmp_path / "out", {"index.html": page(f'<a href="{base}/ok">x</a>')})
    cache = str(tmp_path / "links.json")
    for _ in range(2):
        assert check_site(str(site), Options(jobs=1, external=True, cache_path=cache)).broken == []
    assert calls["/ok"] == 1
    for _ in range(2):
        check_site(str(site), Options(jobs=1, external=True, cache_path=cache, cache_max_age=0))
    assert calls["/ok"] == 3


def test_external_check_honours_timeout_and_retries(tmp_path, server):
    """--timeout bounds each request (and is named in the reason); --retries retries a 503."""
    base, _ = server
    site = make_site(tmp_path / "out", {
        "index.html": page(f'<a href="{base}/slow">s</a> <a href="{base}/flaky1">f</a>'),
        "b.html": page(f'<a href="{base}/flaky2">f</a>'),
    })
    report = check_site(str(site), Options(jobs=1, external=True, timeout=0.4, retries=0,
                                           excludes=["flaky2"]))
    assert [(p.target, p.reason) for p in report.broken] == [
        (f"{base}/slow", "timeout after 0.4s"),
        (f"{base}/flaky1", "HTTP 503 Service Unavailable")]
    again = check_site(str(site), Options(jobs=1, external=True, retries=1, backoff=0,
                                          excludes=["slow", "flaky1"]))
    assert again.broken == [] and again.checked == 1


def test_external_progress_is_drawn_only_when_asked(tmp_path, server, capsys):
    """--progress draws 'external links: n/N' on stderr; without it nothing is written."""
    base, _ = server
    site = make_site(tmp_path / "out", {"index.html": page(f'<a href="{base}/ok">x</a>')})
    check_site(str(site), Options(jobs=1, external=True, progress=False))
    assert capsys.readouterr().err == ""
    check_site(str(site), Options(jobs=1, external=True, progress=True))
    assert "external links: 1/1" in capsys.readouterr().err


# --- the process pool -----------------------------------------------------------------

def problem_site(root: Path, n: int = 40) -> Path:
    """Pages with every kind of problem, spread over the site."""
    files = {}
    for i in range(n):
        nxt = (i + 1) % n
        body = (f'<h2 id="s{i}">{i}</h2> <a href="../p{nxt}/#s{nxt}">next</a>\n'
                f'<a href="../p{nxt}/#s{i}">bad fragment</a> <a href="#s{i}">self</a>\n'
                f'<a href="/p{i}/gone/">missing</a> <a href="mailto:x@example.org">m</a> '
                f'<a href="https://example.com/{i}">e</a> <a href="/../x">escape</a>')
        files[f"p{i}/index.html"] = page(body)
    files["p7/index.html"] = page('<a href="http://[::1">malformed</a> <a href="#nope">x</a>')
    return make_site(root, files)


def test_the_pool_reports_exactly_what_one_process_does(tmp_path, monkeypatch, parsers):
    """Above the size threshold the pages are parsed (and problems located) on worker
    processes, with the same report, field for field and in the same order."""
    site = problem_site(tmp_path / "out")
    serial = check_site(str(site), Options(jobs=1))
    assert parsers() == {(os.getpid(), 0), (os.getpid(), 1)}
    # Per page a wrong fragment, a missing page and a root-clamped ``/../x``; p7 has two
    # problems of its own and breaks p6's link to its #s7.
    assert len(serial.broken) == 39 * 3 + 2 + 1 and counts(serial) == (40, 39 * 5 + 2, 39, 39)
    monkeypatch.setattr(checker, "PARALLEL_MIN_BYTES", 1)
    pooled = check_site(str(site), Options(jobs=2))
    used = parsers()
    assert os.getpid() not in {pid for pid, _ in used}
    assert {positions for _, positions in used} == {0, 1}
    assert to_json(pooled) == to_json(serial)
    if (os.cpu_count() or 1) > 1:  # the default: one process per core
        assert to_json(check_site(str(site))) == to_json(serial)
        assert os.getpid() not in {pid for pid, _ in parsers()}


def test_below_the_threshold_a_site_is_parsed_in_one_process(tmp_path, monkeypatch, parsers):
    """A site smaller than the threshold costs no pool: everything is parsed here (a file
    that cannot be read adds no bytes); at the threshold the pool parses it; --jobs 1
    never starts one."""
    site = problem_site(tmp_path / "out", n=4)
    size = sum(f.stat().st_size for f in site.rglob("*.html"))
    os.symlink(tmp_path / "nowhere.html", site / "dangling.html")
    monkeypatch.setattr(checker, "PARALLEL_MIN_BYTES", size + 1)
    report = check_site(str(site), Options(jobs=2))
    assert {pid for pid, _ in parsers()} == {os.getpid()}
    cache = str(tmp_path / "parsed.pickle")
    assert to_json(check_site(str(site), Options(jobs=2, parse_cache=cache))) == to_json(report)
    assert {pid for pid, _ in parsers()} == {os.getpid()}
    monkeypatch.setattr(checker, "PARALLEL_MIN_BYTES", size)
    assert to_json(check_site(str(site), Options(jobs=2))) == to_json(report)
    assert os.getpid() not in {pid for pid, positions in parsers() if not positions}
    monkeypatch.setattr(checker, "PARALLEL_MIN_BYTES", 1)
    assert to_json(check_site(str(site), Options(jobs=1))) == to_json(report)
    assert {pid for pid, _ in parsers()} == {os.getpid()}


def test_plan_chunks_cuts_runs_of_about_equal_bytes():
    """Chunks are consecutive runs of about total / (jobs * CHUNKS_PER_JOB) bytes."""
    assert checker.CHUNKS_PER_JOB == 8 and checker.PARALLEL_MIN_BYTES == 1_000_000
    assert checker.plan_chunks(["a", "b"], [500_000, 500_000], 2) == [["a"], ["b"]]
    assert checker.plan_chunks(["a", "b"], [500_000, 499_999], 2) is None
    assert checker.plan_chunks(["a", "b"], [500_000, 500_000], 1) is None
    names = [f"p{i}" for i in range(1000)]
    chunks = checker.plan_chunks(names, [2_000] * 1000, 2)
    assert [len(c) for c in chunks] == [63] * 15 + [55]
    assert [len(c) for c in checker.plan_chunks(names, [2_000] * 1000, 4)] == [32] * 31 + [8]
    exact = checker.plan_chunks(list("abcdefghijklmnop"), [125_000] * 16, 2)
    assert exact == [[c] for c in "abcdefghijklmnop"]
    assert checker.plan_chunks(list("abc"), [1_000_000, 1, 1], 2) == [["a"], ["b", "c"]]
    # A run ends as soon as it reaches the target (here 100,000 bytes), counted from zero.
    t = 100_000
    assert checker.plan_chunks(list("abcdef"), [t - 1, 1, t, t - 1, 1, 13 * t], 2) == [
        ["a", "b"], ["c"], ["d", "e"], ["f"]]
    # The target is a whole number of bytes.
    assert len(checker.plan_chunks(list("abcdefghijklmnopq"), [125_000] * 16 + [1], 2)) == 17
    # Never below one byte, however many processes.
    assert checker.plan_chunks(list("abc"), [999_998, 1, 1], 200_000) == [["a"], ["b"], ["c"]]


# --- the parse cache ----------------------------------------------------------------------

def test_the_parse_cache_reports_what_a_cold_run_does_after_each_edit(tmp_path):
    """A re-check with a parse cache gives the fresh check's report after a page is
    edited, a target is added, a page is removed, or the options change."""
    site = problem_site(tmp_path / "out", n=6)
    cache = str(tmp_path / "parsed.pickle")

    def both(**kw):
        cold = to_json(check_site(str(site), Options(jobs=1, **kw)))
        assert to_json(check_site(str(site), Options(jobs=1, parse_cache=cache, **kw))) == cold
        return cold

    first = both()
    assert both() == first
    assert both(base_url="https://example.com/") != first  # its links become internal
    (site / "p2/index.html").write_text(page('<a href="../p3/#s9">x</a>'), encoding="utf-8")
    assert both() != first
    edited = both()
    (site / "p1/gone").mkdir()  # an empty folder: "directory has no index.html"
    assert both() != edited
    make_site(site, {"p3/gone/index.html": page("back"), "p4/extra.html": page("x")})
    assert both() == both()
    (site / "p5/index.html").unlink()
    both()
    both(excludes=["gone"])
    both(external=False, excludes=["nothing"])


def test_the_parse_cache_does_not_hide_external_links_from_an_external_run(tmp_path, server):
    """A cached run with --external checks the external links that a cached run without
    it only counted."""
    base, calls = server
    site = make_site(tmp_path / "out", {"index.html": page(f'<a href="{base}/gone">x</a>')})
    cache = str(tmp_path / "parsed.pickle")
    assert counts(check_site(str(site), Options(jobs=1, parse_cache=cache))) == (1, 0, 0, 1)
    report = check_site(str(site), Options(jobs=1, parse_cache=cache, external=True, retries=0))
    assert [(p.target, p.reason) for p in report.broken] == [(f"{base}/gone", "HTTP 404 Not Found")]
    assert counts(check_site(str(site), Options(jobs=1, parse_cache=cache))) == (1, 0, 0, 1)


def test_the_parse_cache_reuses_nothing_from_another_site(tmp_path):
    """Checking another site in between does not leak into a cached re-check: a link to
    an image added since is no longer reported, the still-missing one still is."""
    site = make_site(tmp_path / "out", {
        "index.html": page('<img src="img/new.png" alt=""> <img src="img/none.png" alt="">')})
    other = make_site(tmp_path / "other", {"index.html": page("other")})
    cache = str(tmp_path / "parsed.pickle")
    assert len(check_site(str(site), Options(jobs=1, parse_cache=cache)).broken) == 2
    make_site(site, {"img/new.png": b"\x89PNG"})
    check_site(str(other), Options(jobs=1))
    report = check_site(str(site), Options(jobs=1, parse_cache=cache))
    assert [p.target for p in report.broken] == ["img/none.png"]


def test_an_unreadable_file_is_reported_on_every_cached_run(tmp_path, monkeypatch):
    """A file that cannot be read is never cached as fine: each run reports it."""
    site = make_site(tmp_path / "out", {"index.html": page('<a href="a.html">x</a>'),
                                        "a.html": page("a")})
    os.symlink(tmp_path / "nowhere.html", site / "dangling.html")
    cache = str(tmp_path / "parsed.pickle")
    for _ in range(2):
        assert rows(check_site(str(site), Options(jobs=1, parse_cache=cache))) == [
            ("dangling.html", 1, 1, "dangling.html", "cannot read: No such file or directory",
             None)]
    monkeypatch.setattr(checker, "PARALLEL_MIN_BYTES", 1)
    assert len(check_site(str(site), Options(jobs=2, parse_cache=cache)).broken) == 1


def test_the_parse_cache_parses_only_changed_files(tmp_path, parsers):
    """A re-check parses nothing when nothing changed, only the edited page after an edit,
    and the pages with problems again only to locate their exact columns."""
    site = problem_site(tmp_path / "out", n=5)
    cache = str(tmp_path / "parsed.pickle")
    check_site(str(site), Options(jobs=1, parse_cache=cache))
    parsers()
    (site / "p9.html").write_text(page("new"), encoding="utf-8")
    check_site(str(site), Options(jobs=1, parse_cache=cache))
    assert {positions for _, positions in parsers()} == {0, 1}
    check_site(str(site), Options(jobs=1, parse_cache=cache))
    assert {positions for _, positions in parsers()} == {1}
    (site / "p9.html").unlink()
    check_site(str(site), Options(jobs=1, parse_cache=cache))
    parsers()
    check_site(str(site), Options(jobs=1, parse_cache=cache))
    assert {positions for _, positions in parsers()} == {1}
    # An edit that keeps the site's list of files: parsed once, then taken from the cache.
    (site / "p1/index.html").write_text(page('<a href="../p2/">x</a>'), encoding="utf-8")
    check_site(str(site), Options(jobs=1, parse_cache=cache))
    assert (os.getpid(), 0) in parsers()
    check_site(str(site), Options(jobs=1, parse_cache=cache))
    assert {positions for _, positions in parsers()} == {1}
