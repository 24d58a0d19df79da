"""The collection pass, as a site author sees it: which links of a built file are found,
where they are reported (line:column), and which fragment targets a page defines.

Each test parses a small HTML, feed, sitemap or robots.txt snippet directly (no site
build): a link the checker never collects is a broken link it can never report, and a
wrong line or column sends the author to the wrong place in the file.
"""

from __future__ import annotations

import unicodedata

import pytest

from blogtools.linkcheck import collect
from blogtools.linkcheck.collect import (
    Locator,
    NoLocator,
    collect_bytes,
    collect_file,
    collect_html,
    collect_xml,
    file_type,
    srcset_urls,
)


@pytest.fixture(autouse=True)
def fresh_parsers(monkeypatch):
    """Each test builds its own parsers and entry memo, as a fresh checker process does."""
    monkeypatch.setattr(collect, "_HTML_PARSERS", {})
    monkeypatch.setattr(collect, "_XML_PARSER", None)
    monkeypatch.setattr(collect, "_ENTRY_LINKS", {})


def links(path: str, data: str | bytes, **kwargs) -> list[tuple]:
    """(url, line, column, kind) of each link collected from ``data``."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return [(lk.url, lk.line, lk.column, lk.kind) for lk in collect_bytes(path, raw, **kwargs).links]


def full(path: str, data: str, **kwargs) -> list[tuple]:
    """Every field of each collected link: (url, line, column, kind, base, context)."""
    return [tuple(lk) for lk in collect_bytes(path, data.encode("utf-8"), **kwargs).links]


# --- which files hold links ---------------------------------------------------------------


@pytest.mark.parametrize(("path", "kind"), [
    ("index.html", "html"), ("old/page.htm", "html"), ("doc.xhtml", "html"), ("UP.HTML", "html"),
    ("Page.HTM", "html"), ("sitemap.xml", "xml"), ("feeds/all.atom", "xml"), ("feed.RSS", "xml"),
    ("robots.txt", "robots"), ("ROBOTS.TXT", "robots"),
    ("sub/robots.txt", None), ("notes.txt", None), ("style.css", None), ("page.html.bak", None),
])
def test_file_type_decides_which_built_files_are_read(path, kind):
    """.htm and .xhtml pages and upper-case suffixes are checked; only the root robots.txt is."""
    assert file_type(path) == kind


def test_htm_and_xhtml_pages_have_their_links_and_targets_collected():
    """A legacy .htm page and an XHTML page are parsed like .html: links and ids found."""
    htm = '<html><body>\n<p id="top"><a href="other.htm#top">o</a></p>\n</body></html>'
    got = collect_bytes("old/page.htm", htm.encode())
    assert got.ids == frozenset({"top"})
    assert [(lk.url, lk.line, lk.column) for lk in got.links] == [("other.htm#top", 2, 22)]
    xhtml = ('<?xml version="1.0" encoding="utf-8"?>\n'
             '<html xmlns="http://www.w3.org/1999/xhtml"><body>\n'
             '<h2 id="s">S</h2><a href="x.xhtml">x</a>\n</body></html>')
    got = collect_bytes("doc.xhtml", xhtml.encode())
    assert got.ids == frozenset({"s"})
    assert [(lk.url, lk.line, lk.column, lk.kind) for lk in got.links] == [
        ("x.xhtml", 3, 27, "a[href]")]


def test_files_that_hold_no_links_give_nothing_even_with_link_like_text():
    """A .txt or .css file is not parsed: nothing in it is reported as a link."""
    got = collect_bytes("notes.txt", b'<a href="x.html">Sitemap: /s.xml</a>')
    assert (got.path, got.ids, got.links, got.error) == ("notes.txt", frozenset(), [], None)


def test_an_explicit_kind_overrides_the_file_name():
    """The caller may say how to parse a file whatever its name (e.g. a robots file)."""
    assert links("anything.dat", "Sitemap: /s.xml", kind="robots") == [
        ("/s.xml", 1, 10, "robots.txt Sitemap")]
    assert links("x.txt", '<a href="y.html">', kind="html") == [("y.html", 1, 10, "a[href]")]


# --- reading files ------------------------------------------------------------------------


def test_collect_file_reads_the_built_file(tmp_path):
    """collect_file parses the file at site_dir/rel_path and names it by rel_path."""
    (tmp_path / "blog").mkdir()
    (tmp_path / "blog" / "p.html").write_text('<p id="a">\n<a href="q.html">q</a>', encoding="utf-8")
    got = collect_file(str(tmp_path), "blog/p.html")
    assert got.path == "blog/p.html" and got.error is None
    assert got.ids == frozenset({"a"})
    assert [(lk.url, lk.line, lk.column) for lk in got.links] == [("q.html", 2, 10)]
    quick = collect_file(str(tmp_path), "blog/p.html", positions=False)
    assert [(lk.url, lk.line, lk.column) for lk in quick.links] == [("q.html", 2, 0)]


def test_an_unreadable_file_is_reported_with_the_reason(tmp_path):
    """A file that cannot be read gives an error naming why, not a crash."""
    got = collect_file(str(tmp_path), "gone.html")
    assert got.path == "gone.html"
    assert got.error == "cannot read: No such file or directory"
    assert got.ids == frozenset() and got.links == []


def test_empty_and_comment_only_pages_have_no_links():
    """An empty page or one that is only a comment is no error and defines nothing."""
    for data in (b"", b"  \n\t", b"<!-- nothing -->", b"<!doctype html>"):
        got = collect_bytes("e.html", data)
        assert (got.ids, got.links, got.error) == (frozenset(), [], None)
    assert collect_html(b"", "") == (set(), [])


def test_a_latin1_page_is_read_and_located_by_characters():
    """A page that is not UTF-8 still yields its ids and links, columns in characters."""
    data = '<meta charset="iso-8859-1">\n<p id="café">é <a href="caf\u00e9.html">x</a>'.encode("latin-1")
    got = collect_bytes("l.html", data)
    assert got.ids == frozenset({"café"})
    assert [(lk.url, lk.line, lk.column) for lk in got.links] == [("café.html", 2, 25)]


def test_utf8_page_is_decoded_as_utf8_even_without_a_charset():
    """Pelican writes UTF-8 without always declaring it: non-ASCII links survive intact."""
    data = '<p id="naïve"><a href="/ünï.html">x</a>'.encode()
    got = collect_bytes("u.html", data)
    assert got.ids == frozenset({"naïve"})
    assert [(lk.url, lk.line, lk.column) for lk in got.links] == [("/ünï.html", 1, 24)]


def test_ids_are_nfc_normalised_so_either_unicode_form_matches():
    """An id written decomposed (NFD) is a target for a link written composed (NFC)."""
    nfd = unicodedata.normalize("NFD", "café")
    assert nfd != "café"
    got = collect_bytes("p.html", f'<h2 id="{nfd}">t</h2><a name="{nfd}-2"></a>'.encode())
    assert got.ids == frozenset({"café", "café-2"})
    # the link itself stays as written: resolution compares forms, collection keeps the text
    got = collect_bytes("p.html", f'<a href="{nfd}.html">x</a>'.encode())
    assert [lk.url for lk in got.links] == [nfd + ".html"]


# --- HTML: what is a target, what is a link --------------------------------------------------


def test_every_id_and_only_a_name_define_targets():
    """id on any element and <a name> are targets; name on other elements is not."""
    html = ('<div id="d"><map name="m"></map><input name="q"><a name="old" id="new"></a>'
            '<iframe name="f"></iframe><span id="s"></span></div>')
    assert collect_bytes("t.html", html.encode()).ids == frozenset({"d", "old", "new", "s"})


def test_every_kind_of_html_reference_is_collected_with_its_position():
    """Stylesheets, scripts, media, objects, srcset candidates and inline SVG hrefs are links."""
    html = ('<!doctype html>\n<html><head>\n'
            '<link rel="stylesheet" href="s.css"><script src="j.js"></script>\n'
            '</head><body>\n'
            '<object data="o.svg"></object><embed src="e.swf"><div data="d.txt"></div>\n'
            '<video poster="p.jpg" src="v.mp4"></video>\n'
            '<img srcset="a.png 1x, b.png 2x" src="c.png">\n'
            '<picture><source srcset="s1.webp"></picture><iframe src="f.html"></iframe>\n'
            '<svg><use href="#u"/></svg><div content="not-a-link"></div>\n'
            '</body></html>')
    assert links("a.html", html) == [
        ("s.css", 3, 30, "link[href]"),
        ("j.js", 3, 50, "script[src]"),
        ("o.svg", 5, 15, "object[data]"),
        ("e.swf", 5, 43, "embed[src]"),
        ("p.jpg", 6, 16, "video[poster]"),
        ("v.mp4", 6, 28, "video[src]"),
        ("a.png", 7, 14, "img[srcset]"),
        ("b.png", 7, 24, "img[srcset]"),
        ("c.png", 7, 39, "img[src]"),
        ("s1.webp", 8, 26, "source[srcset]"),
        ("f.html", 8, 58, "iframe[src]"),
        ("#u", 9, 17, "use[href]"),
    ]


def test_xlink_href_in_inline_svg_is_a_link():
    """An SVG sprite reference (<use xlink:href>) in a page is checked like any href."""
    html = ('<body>\n<svg><use xlink:href="/icons.svg#rss"/></svg>\n'
            '<svg><a xlink:href="gone.html"><text>t</text></a></svg></body>')
    assert links("p.html", html) == [
        ("/icons.svg#rss", 2, 23, "use[href]"),
        ("gone.html", 3, 21, "a[href]"),
    ]


def test_link_rel_that_names_only_an_origin_is_not_fetched():
    """<link rel=preconnect|dns-prefetch> names a host, not a page: no link; mixed rels are."""
    html = ('<head>\n<link rel="preconnect" href="https://cdn.example">\n'
            '<link rel="DNS-Prefetch preconnect" href="//cdn2.example">\n'
            '<link rel="preconnect stylesheet" href="s.css">\n'
            '<link href="norel.css"><link rel="" href="emptyrel.css">\n'
            '<link rel="Icon" href="fav.ico"></head>')
    assert links("h.html", html) == [
        ("s.css", 4, 41, "link[href]"),
        ("norel.css", 5, 13, "link[href]"),
        ("emptyrel.css", 5, 43, "link[href]"),
        ("fav.ico", 6, 24, "link[href]"),
    ]


def test_meta_tags_that_point_at_pages_and_images():
    """og:/twitter: URL properties (by property or name, any case) and refresh targets are links."""
    html = ('<head>\n'
            '<meta property="og:image" content=" https://ex.org/i.png ">\n'
            '<meta name="Twitter:Image" content="/t.png">\n'
            '<meta property=" OG:URL " content="https://ex.org/p.html">\n'
            '<meta property="og:title" content="https://not-a-link.example/">\n'
            '<meta name="description" content="see /x.html">\n'
            '<meta property="og:video:secure_url" name="og:title" content="v.mp4">\n'
            '</head>')
    assert links("m.html", html) == [
        ("https://ex.org/i.png", 2, 37, "meta[og:image]"),
        ("/t.png", 3, 37, "meta[twitter:image]"),
        ("https://ex.org/p.html", 4, 36, "meta[og:url]"),
        ("v.mp4", 7, 63, "meta[og:video:secure_url]"),
    ]


def test_meta_name_is_used_when_there_is_no_property():
    """<meta name="twitter:card"> is no URL even though other twitter: names are."""
    html = '<meta name="twitter:card" content="summary.png"><meta name="og:url" content="u.html">'
    assert links("m.html", html) == [("u.html", 1, 78, "meta[og:url]")]


@pytest.mark.parametrize(("content", "url"), [
    ("0; URL='next.html'", "next.html"),
    ("3;url=&quot;q.html&quot;", "q.html"),
    ("5, url = other.html ", "other.html"),
    ("0;https://ex.org/new", "https://ex.org/new"),
    ("0.5; url=a b.html", "a b.html"),
    ("  url=lone.html", "lone.html"),
])
def test_meta_refresh_redirect_target_is_a_link(content, url):
    """A <meta http-equiv=refresh> redirect target is checked, in each spelling browsers accept."""
    html = f'<meta http-equiv=" Refresh " content="{content}">'
    got = collect_bytes("r.html", html.encode()).links
    assert [(lk.url, lk.kind) for lk in got] == [(url, "meta[refresh]")]
    assert got[0].column == html.index(url) + 1


def test_meta_refresh_without_a_target_and_other_http_equiv_are_not_links():
    """A refresh that only reloads the page, or a content-type, names no page."""
    html = ('<meta http-equiv="refresh" content="5">'
            '<meta http-equiv="refresh" content="0; url=">'
            '<meta http-equiv="content-type" content="text/html; url=x.html">')
    assert links("r.html", html) == []


def test_content_and_data_attributes_count_only_on_meta_and_object():
    """content= on a div and data= on a div are not links; on meta/object they can be."""
    html = ('<div content="https://ex.org/og.png" data="d.txt" property="og:image"></div>'
            '<object data="o.pdf"></object>')
    assert links("c.html", html) == [("o.pdf", 1, 91, "object[data]")]


def test_whitespace_around_and_inside_href_as_written():
    """Leading/trailing tabs and newlines are stripped; ones inside stay for resolution."""
    html = '<p>\n<a href="\tx y.html\n">a</a><a href="a\n\tb.html">b</a>\n<a href=" \f">e</a>'
    assert links("w.html", html) == [
        ("x y.html", 2, 11, "a[href]"),
        ("a\n\tb.html", 3, 17, "a[href]"),
        ("", 5, 1, "a[href]"),
    ]


def test_an_empty_href_is_reported_on_its_tag_line():
    """href="" is collected (a link to the page itself) at the line of its tag, column 1."""
    html = '<p>\n<a title="x" href="">self</a>\n<a href="z.html">z</a>'
    assert links("e.html", html) == [("", 2, 1, "a[href]"), ("z.html", 3, 10, "a[href]")]


# --- <base href> -----------------------------------------------------------------------------


def test_base_href_is_the_base_of_every_link_and_not_a_link_itself():
    """<base href> (stripped, first one wins) is handed on with each link of the page."""
    html = ('<html><head>\n<BASE\tHREF="  /sub/ ">\n<base href="/ignored/">\n</head>\n'
            '<body><a href="a.html">a</a><img src="i.png"></body></html>')
    got = full("b.html", html)
    assert got == [
        ("a.html", 5, 16, "a[href]", "/sub/", None),
        ("i.png", 5, 39, "img[src]", "/sub/", None),
    ]


@pytest.mark.parametrize("base", ["mailto:me@ex.org", "data:text/html,x", "javascript:void(0)",
                                  "//cdn.ex.org/", "../up/"])
def test_base_href_that_is_not_http_is_passed_on_as_written(base):
    """A non-http <base href> is not dropped: the links are resolved against it as written."""
    html = f'<head><base href="{base}"></head><a href="x.html">x</a>'
    assert [lk.base for lk in collect_bytes("p.html", html.encode()).links] == [base]


def test_base_tag_variants_are_found():
    """<base/> forms and a base closed right after the tag name still count."""
    assert [lk.base for lk in collect_bytes(
        "p.html", b'<base\nhref="/n/"/><a href="x">').links] == ["/n/"]
    assert [lk.base for lk in collect_bytes(
        "p.html", b'<base href="/a/"/><a href="x">').links] == ["/a/"]


def test_base_href_in_a_latin1_page():
    """A non-UTF-8 page's <base href> is honoured too."""
    data = '<base href="/é/"><a href="x.html">é</a>'.encode("latin-1")
    assert [(lk.url, lk.base) for lk in collect_bytes("p.html", data).links] == [("x.html", "/é/")]


def test_a_page_without_base_has_no_base():
    assert [lk.base for lk in collect_bytes("p.html", b'<a href="x">').links] == [None]
    data = 'é<a href="x">'.encode("latin-1")
    assert [lk.base for lk in collect_bytes("p.html", data).links] == [None]


def test_base_without_href_is_ignored():
    """<base target=_blank> sets no base URL."""
    html = b'<base target="_blank"><base href="/b/"><a href="x">'
    assert [lk.base for lk in collect_bytes("p.html", html).links] == ["/b/"]


# --- positions ---------------------------------------------------------------------------------


def test_without_positions_links_carry_their_tag_line_and_column_0():
    """The quick first pass reports the same links in the same order, columns not yet known."""
    html = '<p>\n<a href="a.html">a</a>\n<img srcset="x.png 1x, y.png 2x">'
    assert links("p.html", html, positions=False) == [
        ("a.html", 2, 0, "a[href]"), ("x.png", 3, 0, "img[srcset]"), ("y.png", 3, 0, "img[srcset]")]
    assert NoLocator().locate("x", None) == (1, 0)
    assert NoLocator().locate("x", 7) == (7, 0)


def test_repeated_values_are_located_in_order_even_unquoted_or_single_quoted():
    """The same URL used twice on a line is reported at each use, not twice at the first."""
    html = "<a href='x'>1</a><a href='x'>2</a>\n<a href=y>y</a><a href=y>y</a>"
    assert links("p.html", html) == [
        ("x", 1, 10, "a[href]"), ("x", 1, 27, "a[href]"),
        ("y", 2, 9, "a[href]"), ("y", 2, 24, "a[href]")]


def test_values_with_ampersands_and_quotes_are_located_where_written():
    """A URL written with &amp; or &quot; is found at its first character as written."""
    html = ('<p>\n<a href="x?a=1&amp;b=2">1</a>\n'
            '<a href="q&quot;&lt;.html">2</a>\n<a href="p&amp;amp;q">3</a>')
    assert links("p.html", html) == [
        ("x?a=1&b=2", 2, 10, "a[href]"),
        ('q"<.html', 3, 10, "a[href]"),
        ("p&amp;q", 4, 10, "a[href]"),
    ]


def test_locator_prefers_the_attribute_over_the_same_text_elsewhere():
    """A value that also occurs as plain text before it is reported at the attribute."""
    assert Locator("<p>x y</p><a href='x'>").locate("x", 1) == (1, 20)
    assert Locator("<p>x y</p><a href=x>").locate("x", 1) == (1, 19)
    assert Locator("<p>x y</p>&quot;x").locate("x", 1) == (1, 17)
    assert Locator("<p>x y</p>&#34;x").locate("x", 1) == (1, 16)
    assert Locator("<p>ax y</p>").locate("x", 1) == (1, 5)


def test_locator_quoted_variants_in_escaped_feed_html():
    """Escaped HTML in a feed writes & in a URL as &amp;amp;."""
    loc = Locator('t &lt;a href=&quot;a&amp;amp;b&quot;&gt;')
    assert loc.locate("a&b", 1) == (1, 20)


def test_locator_finds_a_value_in_a_multi_line_tag_above_the_reported_line():
    """lxml reports a tag at the line it ends: the value may be written up to 30 lines above."""
    lines = ['<a'] + ['  data-x="1"'] * 28 + ['  href="far.html"'] + ['  class="c"'] * 10 + ['>']
    text = "\n".join(lines)
    assert Locator(text).locate("far.html", 40) == (30, 9)


def test_locator_window_reaches_thirty_lines_back_and_no_further():
    """A quoted value 30 lines above the tag's line is taken; 31 lines above is another link's."""
    def text_with(at: int, quote: str) -> str:
        lines = ["<p>"] * 45
        lines[at - 1] = f"<a href={quote}x{quote}>"
        lines[39] = f"<a href={quote}x{quote}>"  # line 40
        return "\n".join(lines)

    for quote in ('"', "'"):
        assert Locator(text_with(10, quote)).locate("x", 40) == (10, 10)
        assert Locator(text_with(9, quote)).locate("x", 40) == (40, 10)


def test_locator_window_near_the_start_of_the_file():
    """Within the first 30 lines the window starts at line 1."""
    text = "'x'\n<p>\n<a href='x'>"
    assert Locator(text).locate("x", 3) == (1, 2)
    text = '"x"\n<p>\n<a href="x">'
    assert Locator(text).locate("x", 3) == (1, 2)


def test_locator_falls_back_to_anywhere_after_then_anywhere_before():
    """A value not on its tag's line is sought later in the file, then earlier."""
    loc = Locator("'a'\n'b'\n'c'\n'b'")
    assert loc.locate("c", 3) == (3, 2)
    assert loc.locate("b", 1) == (4, 2)   # after the cursor first
    assert loc.locate("a", 1) == (1, 2)   # then before it
    loc = Locator("'a'\n'b'\n'c'")
    assert loc.locate("c", 3) == (3, 2)
    assert loc.locate("b", 3) == (2, 2)


def test_locator_when_nothing_matches_reports_the_tag_line_column_1():
    loc = Locator("abc\ndef")
    assert loc.locate("zz", 2) == (2, 1)
    assert loc.locate("zz", None) == (1, 1)
    assert loc.locate("", None) == (1, 1)
    assert loc.locate("", 2) == (2, 1)


def test_locator_hint_past_the_end_of_the_file():
    """A reported line beyond the text (a feed's shifted lines) still finds the value."""
    assert Locator('a\n"x"').locate("x", 100) == (2, 2)
    assert Locator("a\n'x'").locate("x", 100) == (2, 2)
    assert Locator("'x'").locate("x", None) == (1, 2)
    assert Locator('"x"').locate("x", None) == (1, 2)


def test_locator_on_the_last_line_without_a_newline():
    loc = Locator('<p>\n<a href="x">')
    assert loc.locate("x", 2) == (2, 10)
    loc = Locator("<p>\n<a href='x'>")
    assert loc.locate("x", 2) == (2, 10)


def test_locator_moves_past_each_hit():
    """Each hit moves the cursor past the value, so adjacent repeats are told apart."""
    loc = Locator("abab")
    assert [loc.locate("ab", 1), loc.locate("ab", 1)] == [(1, 1), (1, 3)]
    loc = Locator('"ab"ab"ab')
    assert [loc.locate("ab", 1), loc.locate("ab", 1)] == [(1, 2), (1, 5)]
    loc = Locator("ab\nxb")
    assert [loc.locate("a", 1), loc.locate("b", 1)] == [(1, 1), (1, 2)]
    loc = Locator('"a"b\n"b')
    assert [loc.locate("a", 1), loc.locate("b", 1)] == [(1, 2), (1, 4)]


def test_locator_lines_and_columns_are_one_based():
    loc = Locator("\n\n  'v'")
    assert loc.locate("v", 3) == (3, 4)
    assert Locator("x").locate("x", 1) == (1, 1)


# --- srcset --------------------------------------------------------------------------------------


def test_srcset_candidates_with_descriptors_commas_and_whitespace():
    """Each srcset candidate URL is checked; descriptors and separators are not URLs."""
    assert srcset_urls("a.png,\tb.png 2x") == ["a.png", "b.png"]
    assert srcset_urls("a.png,, ,b.png") == ["a.png", "b.png"]
    assert srcset_urls("a.png 1x,b.png") == ["a.png", "b.png"]
    assert srcset_urls("\na.png\n1x,\nb.png\r\n2x\f") == ["a.png", "b.png"]
    assert srcset_urls("a.png (max-width: 1px, 2px) 1x, b.png") == ["a.png", "b.png"]
    assert srcset_urls("a.png 1x (x)), b.png") == ["a.png", "b.png"]
    assert srcset_urls("a.png 1x") == ["a.png"]
    assert srcset_urls(" , ") == []
    assert srcset_urls("a.png,") == ["a.png"]


def test_srcset_candidates_are_located_one_by_one():
    html = '<img srcset="a.png 1x,\n  b.png 2x, a.png 3x">'
    assert links("s.html", html) == [
        ("a.png", 1, 14, "img[srcset]"), ("b.png", 2, 3, "img[srcset]"),
        ("a.png", 2, 13, "img[srcset]")]


# --- feeds -----------------------------------------------------------------------------------------

ATOM = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://ex.org/blog/">\n'
    '<title>t</title><link href="https://ex.org/home" rel="alternate"/>\n'
    '<link href="feeds/all.atom.xml" rel="self"/>\n'
    '<icon>/favicon.ico</icon><logo> /logo.png </logo>\n'
    '<entry xml:base="posts/">\n'
    '<title>t</title>\n'
    '<link href="https://ex.org/blog/post.html" rel="alternate"/>\n'
    '<link href="other.html" rel="related"/>\n'
    '<summary type="html">&lt;a href="s.html"&gt;s&lt;/a&gt;</summary>\n'
    '<content type="HTML">&lt;p&gt;x&lt;/p&gt;\n'
    '&lt;a href="a&amp;amp;b.html"&gt;x&lt;/a&gt;&lt;img src=&quot;i.png&quot;&gt;</content>\n'
    '</entry>\n'
    '<entry><link href="e2.html"/><content type="xhtml">'
    '<div xmlns="http://www.w3.org/1999/xhtml"><a href="x2.html" id="in">x</a></div></content>\n'
    '<summary src="sum.html"/></entry>\n'
    '<entry><link rel="enclosure" href="e.mp3"/><link href="e3.html" rel="alternate"/>'
    '<content type="text">&lt;a href="no.html"&gt;</content>'
    '<content>&lt;a href="no2.html"&gt;</content>'
    '<content type="text/html">&lt;a href="yes.html"&gt;</content></entry>\n'
    '<entry><link rel="related" href="r.html"/>'
    '<content type="html">&lt;a href="ctx.html"&gt;</content>'
    '<content type="html">   </content></entry>\n'
    '</feed>\n'
)


def test_atom_feed_links_bases_and_entry_pages():
    """Every Atom reference is collected with its xml:base and the entry page it belongs to."""
    blog, posts = "https://ex.org/blog/", "https://ex.org/blog/posts/"
    post = "https://ex.org/blog/post.html"
    assert full("feeds/all.atom.xml", ATOM) == [
        ("https://ex.org/home", 3, 29, "feed <link>", blog, None),
        ("feeds/all.atom.xml", 4, 13, "feed <link>", blog, None),
        ("/favicon.ico", 5, 7, "feed <icon>", blog, None),
        ("/logo.png", 5, 33, "feed <logo>", blog, None),
        (post, 8, 13, "feed entry <link>", posts, post),
        ("other.html", 9, 13, "feed entry <link>", posts, post),
        ("s.html", 10, 34, "feed entry <summary> a[href]", posts, post),
        ("a&b.html", 12, 13, "feed entry <content> a[href]", posts, post),
        ("i.png", 12, 63, "feed entry <content> img[src]", posts, post),
        ("e2.html", 14, 20, "feed entry <link>", blog, "e2.html"),
        ("x2.html", 14, 103, "feed entry <content> a[href]", blog, "e2.html"),
        ("sum.html", 15, 15, "feed entry <summary src>", blog, "e2.html"),
        ("e.mp3", 16, 36, "feed entry <link>", blog, "e3.html"),
        ("e3.html", 16, 56, "feed entry <link>", blog, "e3.html"),
        ("yes.html", 16, 219, "feed entry <content> a[href]", blog, "e3.html"),
        ("r.html", 17, 34, "feed entry <link>", blog, None),
        ("ctx.html", 17, 76, "feed entry <content> a[href]", blog, None),
    ]


def test_atom_feed_without_positions_gives_the_same_links_on_their_lines():
    """The quick pass sees the same links; escaped entry HTML lines shift from the element."""
    quick = [(u, ln, c, k, b, ctx) for u, ln, c, k, b, ctx in full("f.atom", ATOM, positions=False)]
    exact = full("f.atom", ATOM)
    assert [(q[0], q[3], q[4], q[5]) for q in quick] == [(e[0], e[3], e[4], e[5]) for e in exact]
    assert {q[2] for q in quick} == {0}
    assert [q[1] for q in quick] == [3, 4, 5, 5, 8, 9, 10, 12, 12, 14, 14, 15, 16, 16, 16, 17, 17]
    # parsed twice (cached the second time): same answer
    assert full("f.atom", ATOM, positions=False) == quick


def test_feed_entry_html_cache_is_bounded_and_per_text():
    """The same entry HTML in many feeds is parsed once; the memo does not grow without end."""
    for i in range(2005):
        feed = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="html">'
                f'&lt;a href="p{i}.html"&gt;</content></entry></feed>')
        got = links("f.atom", feed, positions=False)
        assert got == [(f"p{i}.html", 1, 0, "feed entry <content> a[href]")]
    assert len(collect._ENTRY_LINKS) < 2000
    # an entry whose text is no HTML at all
    feed = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry>\n<content type="html">'
            '&lt;!-- c --&gt;</content></entry></feed>')
    assert links("f.atom", feed, positions=False) == []
    assert links("f.atom", feed) == []
    assert links("f.atom", feed, positions=False) == []


def test_entry_html_starting_on_a_later_line_shifts_its_lines():
    """Links inside escaped entry HTML are reported on the feed's line, not the fragment's."""
    feed = ('<feed xmlns="http://www.w3.org/2005/Atom">\n<entry>\n<content type="html">\n'
            '&lt;p&gt;\n&lt;a href="deep.html"&gt;</content></entry></feed>')
    assert links("f.atom", feed) == [("deep.html", 5, 13, "feed entry <content> a[href]")]
    assert links("f.atom", feed, positions=False) == [
        ("deep.html", 5, 0, "feed entry <content> a[href]")]


def test_atom_xml_base_chain_is_joined_from_the_root_down():
    """xml:base on the feed, entry and element combine, each relative to the one above."""
    feed = ('<feed xmlns="http://www.w3.org/2005/Atom" xml:base=" https://ex.org/a/ ">'
            '<entry xml:base="b/"><link xml:base="c/" href="x.html"/></entry>'
            '<entry xml:base="/root/"><link href="y.html"/></entry>'
            '<entry xml:base=""><link href="z.html"/></entry></feed>')
    assert [(lk.url, lk.base) for lk in collect_bytes("f.atom", feed.encode()).links] == [
        ("x.html", "https://ex.org/a/b/c/"), ("y.html", "https://ex.org/root/"),
        ("z.html", "https://ex.org/a/")]
    feed = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry xml:base="b/">'
            '<link xml:base="c/" href="x.html"/></entry><link href="n.html"/></feed>')
    assert [(lk.url, lk.base) for lk in collect_bytes("f.atom", feed.encode()).links] == [
        ("x.html", "b/c/"), ("n.html", None)]


def test_atom_entry_link_is_the_first_alternate_with_an_href():
    """The entry's page is its rel=alternate link (the default rel), skipping empty hrefs."""
    feed = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
            '<link rel="alternate" href=""/><link rel="self" href="s.xml"/>'
            '<link href=" page.html "/><content type="html">&lt;a href="c.html"&gt;</content>'
            '</entry></feed>')
    got = collect_bytes("f.atom", feed.encode()).links
    assert [(lk.url, lk.context) for lk in got] == [
        ("s.xml", "page.html"), ("page.html", "page.html"), ("c.html", "page.html")]


def test_atom_icon_with_children_and_empty_values_are_not_links():
    feed = ('<feed xmlns="http://www.w3.org/2005/Atom"><icon><x>i.png</x></icon><logo> </logo>'
            '<link href=""/><link/><content src="">t</content></feed>')
    assert links("f.atom", feed) == []


def test_xhtml_content_with_an_explicit_type_but_only_text():
    """type=xhtml content is walked as markup even with no child elements."""
    feed = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="p.html"/>'
            '<content type="XHTML">&lt;a href="not.html"&gt;</content>'
            '<summary type="html"><div xmlns="http://www.w3.org/1999/xhtml">'
            '<a href="inline.html">i</a></div></summary></entry></feed>')
    assert [(u, k) for u, _, _, k in links("f.atom", feed)] == [
        ("p.html", "feed entry <link>"), ("inline.html", "feed entry <summary> a[href]")]


RSS = '''<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>t</title><link>https://ex.org/</link>
<atom:link href="https://ex.org/feeds/all.rss.xml" rel="self"/>
<image><url>https://ex.org/logo.png</url><link>https://ex.org/</link></image>
<item><title>p</title><link> https://ex.org/p.html </link>
<description>&lt;a href="d.html"&gt;d&lt;/a&gt;</description>
<content:encoded><![CDATA[<p>
<a href="c.html">c</a></p>]]></content:encoded>
<comments>https://ex.org/p.html#comments</comments>
<enclosure url="https://ex.org/a.mp3" length="1" type="audio/mpeg"/>
<guid isPermaLink="false">tag:ex.org,2020:p</guid>
<guid>https://ex.org/g.html</guid><guid isPermaLink="TRUE">https://ex.org/g2.html</guid>
<url>https://ex.org/not-image.png</url><enclosure length="1"/><atom:link rel="x"/>
</item>
<item><title>no link</title><description>&lt;a href="n.html"&gt;</description></item>
</channel></rss>
'''


def test_rss_feed_links_and_item_pages():
    """Every RSS 2.0 reference is collected; item HTML carries the item's page."""
    page = "https://ex.org/p.html"
    assert full("feeds/all.rss.xml", RSS) == [
        ("https://ex.org/", 3, 32, "feed <link>", None, None),
        ("https://ex.org/feeds/all.rss.xml", 4, 18, "feed <atom:link>", None, None),
        ("https://ex.org/logo.png", 5, 13, "feed <image>", None, None),
        ("https://ex.org/", 5, 48, "feed <link>", None, None),
        (page, 6, 30, "feed item <link>", None, page),
        ("d.html", 7, 26, "feed item <description> a[href]", "", page),
        ("c.html", 9, 10, "feed item <encoded> a[href]", "", page),
        ("https://ex.org/p.html#comments", 10, 11, "feed item <comments>", None, page),
        ("https://ex.org/a.mp3", 11, 17, "feed item <enclosure>", None, page),
        ("https://ex.org/g.html", 13, 7, "feed item <guid>", None, page),
        ("https://ex.org/g2.html", 13, 60, "feed item <guid>", None, page),
        ("n.html", 16, 54, "feed item <description> a[href]", "", None),
    ]


def test_rss_1_rdf_feed_links():
    """An RSS 1.0 (RDF) feed's links and item descriptions are collected."""
    rdf = ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
           ' xmlns="http://purl.org/rss/1.0/">\n<channel><link>https://ex.org/</link></channel>\n'
           '<item><link>https://ex.org/i.html</link>'
           '<description>&lt;a href="q.html"&gt;</description></item></rdf:RDF>')
    assert links("rdf.xml", rdf) == [
        ("https://ex.org/", 3, 16, "feed <link>"),
        ("https://ex.org/i.html", 4, 13, "feed item <link>"),
        ("q.html", 4, 66, "feed item <description> a[href]"),
    ]


def test_sitemap_and_sitemap_index_locations():
    """Every <loc> and hreflang alternate of a sitemap is a link; empty ones are skipped."""
    sm = ('<?xml version="1.0" encoding="UTF-8"?>\n'
          '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
          'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
          '<url><loc> https://ex.org/a.html </loc><xhtml:link rel="alternate" hreflang="fr" '
          'href="https://ex.org/fr/a.html"/><xhtml:link rel="x"/></url>\n'
          '<url><loc></loc><loc>  </loc></url>\n</urlset>')
    assert links("sitemap.xml", sm) == [
        ("https://ex.org/a.html", 3, 12, "sitemap <loc>"),
        ("https://ex.org/fr/a.html", 3, 88, "sitemap <xhtml:link>"),
    ]
    index = ('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
             '<sitemap><loc>s1.xml</loc></sitemap></sitemapindex>')
    assert links("sitemap-index.xml", index) == [("s1.xml", 2, 15, "sitemap <loc>")]


def test_other_xml_and_broken_xml_give_no_links():
    """An XML file that is no feed or sitemap, or is not XML at all, reports nothing."""
    assert links("other.xml", '<foo><loc>x</loc><link href="y"/><link>z</link></foo>') == []
    assert links("empty.xml", "  \n") == []
    assert links("bad.xml", "not xml at all <<<") == []
    assert links("pi.xml", '<?xml version="1.0"?>') == []
    assert collect_xml(b"", "") == (set(), [])


def test_feeds_define_no_fragment_targets():
    """ids inside feed content are not targets of the feed file."""
    assert collect_bytes("f.atom", ATOM.encode()).ids == frozenset()


# --- robots.txt ----------------------------------------------------------------------------------


def test_robots_sitemap_lines_with_positions():
    """Each Sitemap: line (any case, any spacing) is a link at its URL's column."""
    robots = ('User-agent: *\nDisallow: /x\n  SITEMAP :  https://ex.org/sitemap.xml  extra\n'
              'sitemap:\n# Sitemap: no\nSitemap:/s2.xml\nAllow: /sitemap: x\n')
    assert full("robots.txt", robots) == [
        ("https://ex.org/sitemap.xml", 3, 14, "robots.txt Sitemap", None, None),
        ("/s2.xml", 6, 9, "robots.txt Sitemap", None, None),
    ]


# --- robustness: what a broken or unusual file still yields ------------------------------------


def test_a_deeply_nested_page_still_has_its_links_and_targets():
    """300 unclosed <div>s (a theme bug) must not hide every link and id of the page."""
    html = "<div>" * 300 + '<a href="deep.html" id="i">x</a>' + "</div>" * 300 + '<a href="after.html">'
    got = collect_bytes("archives.html", html.encode())
    assert got.ids == frozenset({"i"})
    assert [lk.url for lk in got.links] == ["deep.html", "after.html"]


def test_a_deeply_nested_feed_entry_still_has_its_links():
    """Deeply nested XHTML in a feed entry keeps the links inside and after it."""
    feed = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="xhtml">'
            '<div xmlns="http://www.w3.org/1999/xhtml">' + "<div>" * 300 + '<a href="deep.html">x</a>'
            + "</div>" * 300 + '</div></content></entry><link href="after.html"/></feed>')
    assert [u for u, *_ in links("f.atom", feed)] == ["deep.html", "after.html"]


def test_a_page_with_a_stray_end_tag_still_has_its_links():
    """Sloppy HTML (a </div> that closes nothing) is recovered, not dropped."""
    assert links("s.html", '<p></div>\n<a href="x.html">x</a></b>') == [("x.html", 2, 10, "a[href]")]


def test_a_well_formed_xhtml_page_is_read_as_html():
    """A namespaced XHTML page's <a name> and <base href> count as in any HTML page."""
    page = ('<html xmlns="http://www.w3.org/1999/xhtml"><head><base href="/b/"/></head>'
            '<body><a name="n" href="x.html"/></body></html>')
    got = collect_bytes("p.xhtml", page.encode())
    assert got.ids == frozenset({"n"})
    assert [(lk.url, lk.base) for lk in got.links] == [("x.html", "/b/")]


def test_a_utf16_page_and_its_base_are_read():
    """A page saved as UTF-16 (with a BOM) is decoded by the parser; its <base href> counts."""
    page = '<html><head><base href="/b/"></head><body><p id="é"><a href="x.html">x</a></body></html>'
    got = collect_bytes("p.html", page.encode("utf-16"))
    assert got.ids == frozenset({"é"})
    assert [(lk.url, lk.base) for lk in got.links] == [("x.html", "/b/")]


def test_a_broken_feed_still_has_its_links():
    """An undefined entity or stray & in a feed does not lose the feed's other links."""
    feed = ('<feed xmlns="http://www.w3.org/2005/Atom"><link href="a.html"/>&nbsp; & '
            '<link href="b.html"/></feed>')
    assert [u for u, *_ in links("f.atom", feed)] == ["a.html", "b.html"]


def test_a_comment_inside_entry_content_does_not_hide_its_links():
    """The escaped HTML after an XML comment in <content> is still checked."""
    feed = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="html">'
            '<!-- generated -->&lt;a href="x.html"&gt;</content></entry></feed>')
    assert links("f.atom", feed) == [("x.html", 1, 101, "feed entry <content> a[href]")]


def test_processing_instructions_and_foreign_elements_in_feeds_are_skipped():
    """A PI or an element without namespace in a feed stops nothing after it."""
    assert [u for u, *_ in links("f.atom", '<feed xmlns="http://www.w3.org/2005/Atom"><?pi x?>'
                                          '<ext xmlns=""><x/></ext><link href="a.html"/></feed>')] == ["a.html"]
    assert [u for u, *_ in links("f.rss", "<rss><channel><?pi x?><link>a.html</link>"
                                         "<item><?pi y?><link>i.html</link></item></channel></rss>")] == [
        "a.html", "i.html"]


def test_a_sitemap_without_namespace_is_still_read():
    """A sitemap that forgot its xmlns still has its <loc>s checked."""
    assert links("sitemap.xml", "<urlset><url><loc>a.html</loc></url></urlset>") == [
        ("a.html", 1, 19, "sitemap <loc>")]


def test_feeds_never_read_local_files_through_external_entities(tmp_path):
    """An external entity in a feed is not expanded: the checker reads only the site's files."""
    secret = tmp_path / "links.txt"
    secret.write_text("https://ex.org/leaked.html", encoding="utf-8")
    feed = (f'<!DOCTYPE rss [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
            '<rss><channel><link>&x;</link><link>https://ex.org/</link></channel></rss>')
    assert [u for u, *_ in links("f.rss", feed)] == ["https://ex.org/"]


def test_entities_in_feed_text_are_not_expanded():
    """Entities a feed declares are left alone in text (no entity expansion at all)."""
    feed = ('<!DOCTYPE rss [<!ENTITY b "https://ex.org/">]>'
            '<rss><channel><link>&b;p.html</link><link>https://ex.org/q.html</link></channel></rss>')
    assert [u for u, *_ in links("f.rss", feed)] == ["https://ex.org/q.html"]


# --- no-break spaces are part of a URL, only ASCII whitespace is trimmed ---------------------------


def test_a_trailing_no_break_space_stays_in_html_urls():
    """"a.html&nbsp;" is another URL than "a.html": kept, so the checker can report it."""
    html = ('<base href="/b/\u00a0"><meta property="og:image" content="i.png\u00a0">'
            "<meta http-equiv=\"refresh\" content=\"0; url='r.html\u00a0'\"><a href=\"a.html\u00a0\">x</a>")
    got = collect_bytes("n.html", html.encode()).links
    assert [(lk.url, lk.base) for lk in got] == [
        ("i.png\u00a0", "/b/\u00a0"), ("r.html\u00a0", "/b/\u00a0"), ("a.html\u00a0", "/b/\u00a0")]


def test_a_trailing_no_break_space_stays_in_feed_and_sitemap_urls():
    sm = ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
          '<url><loc>a.html\u00a0</loc></url></urlset>')
    assert [u for u, *_ in links("sitemap.xml", sm)] == ["a.html\u00a0"]
    rss = "<rss><channel><item><link>p.html\u00a0</link><comments>c.html</comments></item></channel></rss>"
    assert [(lk.url, lk.context) for lk in collect_bytes("f.rss", rss.encode()).links] == [
        ("p.html\u00a0", "p.html\u00a0"), ("c.html", "p.html\u00a0")]
    atom = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="m.html\u00a0"/>'
            '<content src="video.html"/></entry></feed>')
    assert [(lk.url, lk.kind, lk.context) for lk in collect_bytes("f.atom", atom.encode()).links] == [
        ("m.html\u00a0", "feed entry <link>", "m.html\u00a0"),
        ("video.html", "feed entry <content src>", "m.html\u00a0")]


# --- more of what is and is not a link -------------------------------------------------------------


def test_a_refresh_without_target_does_not_hide_later_links():
    """A reload-only <meta refresh> is skipped, and the page's links after it are still found."""
    html = '<meta http-equiv="refresh" content="5"><a href="after.html">a</a>'
    assert links("r.html", html) == [("after.html", 1, 49, "a[href]")]


def test_href_in_any_namespace_in_feed_xhtml_is_a_link():
    """In inline XHTML of a feed, a namespaced href (xlink or another) is a plain href link."""
    feed = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="xhtml">'
            '<div xmlns="http://www.w3.org/1999/xhtml" xmlns:l="urn-links"><a l:href="n.html">x</a>'
            '<use xmlns:xl="http://www.w3.org/1999/xlink" xl:href="#s"/></div></content></entry></feed>')
    assert full("f.atom", feed) == [
        ("n.html", 1, 145, "feed entry <content> a[href]", "", None),
        ("#s", 1, 212, "feed entry <content> use[href]", "", None),
    ]


def test_feed_entry_html_without_xml_base_has_an_empty_base():
    """Entry HTML of a feed without xml:base is resolved against the feed itself."""
    atom = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="p.html"/><content type="xhtml">'
            '<div xmlns="http://www.w3.org/1999/xhtml"><a href="x.html">x</a></div></content></entry></feed>')
    assert full("f.atom", atom) == [
        ("p.html", 1, 62, "feed entry <link>", None, "p.html"),
        ("x.html", 1, 144, "feed entry <content> a[href]", "", "p.html")]
    rss = ('<rss><channel><item><link>p.html</link><description>&lt;a href="d.html"&gt;</description>'
           '</item></channel></rss>')
    assert full("f.rss", rss, positions=False) == [
        ("p.html", 1, 0, "feed item <link>", None, "p.html"),
        ("d.html", 1, 0, "feed item <description> a[href]", "", "p.html")]


def test_only_rss_elements_that_are_links_are_collected():
    """<source url> names another feed and unknown elements' href are not this item's links."""
    rss = ('<rss><channel><item><link>p.html</link><source url="https://other.example/feed.xml">o</source>'
           '<enclosure url="e.mp3"/><foo href="h.html"/></item></channel></rss>')
    assert [(u, k) for u, _, _, k in links("f.rss", rss)] == [
        ("p.html", "feed item <link>"), ("e.mp3", "feed item <enclosure>")]


def test_only_sitemap_link_elements_with_href_are_links():
    sm = ('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>a.html</loc>'
          '<image href="i.png"/></url></urlset>')
    assert [u for u, *_ in links("sitemap.xml", sm)] == ["a.html"]


def test_an_atom_entry_page_is_its_link_not_a_reply_target():
    """A threading <thr:in-reply-to href> before the entry's <link> is not the entry's page."""
    atom = ('<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">'
            '<entry><thr:in-reply-to ref="t" href="https://other.example/post"/><link href="mine.html"/>'
            '<content type="html">&lt;a href="c.html"&gt;</content></entry></feed>')
    assert [(lk.url, lk.context) for lk in collect_bytes("f.atom", atom.encode()).links] == [
        ("mine.html", "mine.html"), ("c.html", "mine.html")]


def test_a_relative_xml_base_on_the_feed_is_kept_as_written():
    atom = '<feed xmlns="http://www.w3.org/2005/Atom" xml:base="../"><link href="a.html"/></feed>'
    assert [lk.base for lk in collect_bytes("f/a.atom", atom.encode()).links] == ["../"]


def test_an_entry_link_that_cannot_be_located_is_reported_on_its_line():
    """A URL written with a character reference inside escaped feed HTML keeps its feed line."""
    feed = ('<feed xmlns="http://www.w3.org/2005/Atom">\n<entry>\n<content type="html">\n'
            '&lt;p&gt;\n&lt;a href="caf&amp;#233;.html"&gt;</content></entry></feed>')
    assert links("f.atom", feed) == [("café.html", 5, 1, "feed entry <content> a[href]")]
    assert links("f.atom", feed, positions=False) == [("café.html", 5, 0, "feed entry <content> a[href]")]


# --- locating escaped values -------------------------------------------------------------------------


def test_values_with_quotes_or_angle_brackets_are_located():
    """URLs containing ", < or both with & are found where written (as &quot; &lt; &amp;)."""
    html = ('<a href="a&quot;b">1</a>\n<a href="c&lt;d">2</a>\n<a href="e&amp;f&quot;g">3</a>\n'
            '<a title="see x?a=1&amp;b=2" href="x?a=1&amp;b=2">4</a>')
    assert links("q.html", html) == [
        ('a"b', 1, 10, "a[href]"), ("c<d", 2, 10, "a[href]"), ('e&f"g', 3, 10, "a[href]"),
        ("x?a=1&b=2", 4, 36, "a[href]")]


# --- srcset details ------------------------------------------------------------------------------------


def test_srcset_nested_parentheses_and_urls_ending_in_letters_before_a_comma():
    assert srcset_urls("a.png (a (b), c) 1x, b.png") == ["a.png", "b.png"]
    assert srcset_urls("a.png 1x (a (b) , c), b.png") == ["a.png", "b.png"]
    assert srcset_urls("/pics/XX, /b.png 2x") == ["/pics/XX", "/b.png"]


def test_a_latin1_page_does_not_change_how_later_utf8_pages_are_read():
    """After a non-UTF-8 page, a UTF-8 page without a charset is still read as UTF-8."""
    assert collect_bytes("l.html", '<p id="é">'.encode("latin-1")).ids == frozenset({"é"})
    got = collect_bytes("u.html", '<p id="naïve"><a href="/ünï.html">x</a>'.encode())
    assert got.ids == frozenset({"naïve"})
    assert [lk.url for lk in got.links] == ["/ünï.html"]


def test_direct_calls_default_to_utf8_with_positions():
    """collect_html/parse_html/collect_xml called alone read UTF-8 and report real columns."""
    data = '<p id="é"><a href="/é.html">x</a>'.encode()
    ids, found = collect_html(data, data.decode())
    assert ids == {"é"} and [(lk.url, lk.column) for lk in found] == [("/é.html", 20)]
    assert collect.parse_html(data, data.decode()).xpath("//@id") == ["é"]
    feed = '<feed xmlns="http://www.w3.org/2005/Atom"><link href="a.html"/></feed>'
    assert [(lk.url, lk.line, lk.column) for lk in collect_xml(feed.encode(), feed)[1]] == [("a.html", 1, 55)]
