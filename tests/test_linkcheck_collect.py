"""Collecting one file: defined targets, used links, their lines and columns."""

from __future__ import annotations

from blogtools.linkcheck.collect import Locator, collect_bytes, srcset_urls


def test_srcset_candidates():
    assert srcset_urls("a.png 1x, b.png 2x") == ["a.png", "b.png"]
    assert srcset_urls("a.png, b.png 2x") == ["a.png", "b.png"]
    assert srcset_urls("a.png,b.png 2x") == ["a.png,b.png"]  # WHATWG: one URL
    assert srcset_urls("  a.png  480w , img/b%20c.png 800w ") == ["a.png", "img/b%20c.png"]
    assert srcset_urls("data:image/png;base64,AAA= 1x, b.png 2x") == [
        "data:image/png;base64,AAA=", "b.png"]
    assert srcset_urls("") == []


def test_ids_names_and_links_with_positions():
    html = ('<!doctype html>\n<html><head><link rel="preconnect" href="https://cdn.example">\n'
            '<link rel="stylesheet" href="s.css"></head>\n'
            '<body><h1 id="t">T</h1><a name="old"></a><div name="not-a-target"></div>\n'
            '<a\n   class="x"\n   href="a.html#t">multi-line tag</a>'
            ' <a href="x?a=1&amp;b=2">amp</a>\n</body></html>\n')
    got = collect_bytes("index.html", html.encode())
    assert got.ids == frozenset({"t", "old"})
    assert [(link.url, link.line, link.column, link.kind) for link in got.links] == [
        ("s.css", 3, 30, "link[href]"),
        ("a.html#t", 7, 10, "a[href]"),
        ("x?a=1&b=2", 7, 48, "a[href]"),
    ]


def test_locator_moves_forward_through_repeated_values():
    text = '<a href="x">1</a>\n<a href="x">2</a><a href="x">3</a>'
    loc = Locator(text)
    assert [loc.locate("x", 1), loc.locate("x", 2), loc.locate("x", 2)] == [
        (1, 10), (2, 10), (2, 27)]
