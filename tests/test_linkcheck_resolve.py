"""Link resolution: a URL as written on a page lands where a browser and a static host send it.

Each case states what a reader's browser does with the link (WHATWG URL parsing, RFC 3986
dot segments) and what the checker must therefore report; the cases are the gaps mutation
testing found in blogtools/linkcheck/resolve.py (issue 16).
"""

from __future__ import annotations

import pytest

from blogtools.linkcheck.resolve import (
    ESCAPE,
    EXTERNAL,
    INTERNAL,
    INVALID,
    SKIP,
    Resolved,
    Resolver,
    Site,
    fragment_ok,
    normalise_base_url,
    remove_dot_segments,
)
from tests.linkcheck_helpers import broken, make_site, page, run_json

BASE = "https://example.org"


def resolve(url, page_path="posts/a/index.html", base=None, base_url=None):
    return Resolver(base_url).resolve(page_path, url, base)


# --- Characters a browser drops or rewrites ------------------------------------------------

@pytest.mark.parametrize("url", ["../b/\n", "../\tb/", "..\r\n/b/", "..\r/b/", "\t../b/\t"])
def test_tabs_and_newlines_inside_href_are_removed(url):
    assert resolve(url) == Resolved(INTERNAL, "posts/b/", None)


def test_tab_inside_same_page_fragment_is_removed():
    assert resolve("#in\ttro") == Resolved(INTERNAL, "posts/a/index.html", "intro")


@pytest.mark.parametrize("url", ["..\\b\\", "..\\b/"])
def test_backslashes_in_a_relative_path_are_slashes(url):
    assert resolve(url) == Resolved(INTERNAL, "posts/b/", None)


def test_backslashes_in_an_absolute_url_of_the_site_are_slashes():
    # Chromium and Firefox open https://example.org/posts/b/ for both.
    assert resolve("https://example.org\\posts\\b\\", base_url=BASE) == Resolved(INTERNAL, "posts/b/", None)
    assert resolve("https:\\\\example.org\\posts\\b\\", base_url=BASE) == Resolved(INTERNAL, "posts/b/", None)


def test_backslashes_in_query_and_fragment_are_kept():
    # A browser rewrites '\' only in the host and path; the fragment keeps it.
    assert resolve("..\\b\\#x\\y") == Resolved(INTERNAL, "posts/b/", "x\\y")
    assert resolve("..\\b\\?q=\\#f") == Resolved(INTERNAL, "posts/b/", "f")
    assert resolve("..\\b\\#x\\y#z") == Resolved(INTERNAL, "posts/b/", "x\\y#z")


def test_protocol_relative_backslashes_leave_the_site():
    assert resolve("\\\\cdn.example.net\\x.js") == Resolved(EXTERNAL, "http://cdn.example.net/x.js", None)


def test_leading_c0_control_before_a_scheme_is_that_scheme():
    # urlsplit, like a browser, drops leading C0 controls: with a <base> the link is mailto:.
    assert resolve("\x01mailto:me@example.org#f", base="sub/") == Resolved(
        SKIP, "\x01mailto:me@example.org#f", "f")


# --- Dot segments --------------------------------------------------------------------------

@pytest.mark.parametrize("url, path", [
    ("./", "posts/a/"),
    ("./c.png", "posts/a/c.png"),
    ("x/./y.png", "posts/a/x/y.png"),
    (".", "posts/a/"),
    ("x/.", "posts/a/x/"),
    ("x/..", "posts/a/"),
    ("../../..", ""),
    ("/./about/", "about/"),
])
def test_dot_segments(url, path):
    assert resolve(url) == Resolved(INTERNAL, path, None)


def test_remove_dot_segments_keeps_a_trailing_slash_for_a_final_dot():
    assert remove_dot_segments("/a/b/.") == "/a/b/"
    assert remove_dot_segments("/a/b/..") == "/a/"
    assert remove_dot_segments("/a/./b/../c") == "/a/c"


def test_dot_segment_link_checked_end_to_end(tmp_path):
    site = make_site(tmp_path / "out", {
        "posts/a/index.html": page('<a href="./">self</a> <a href="x/./y/">y</a> <a href="./gone/">g</a>'),
        "posts/a/x/y/index.html": page("y"),
    })
    code, data = run_json(str(site))
    assert code == 1
    assert [b[3:] for b in broken(data)] == [("./gone/", "file not found: posts/a/gone/")]


# --- Query and fragment --------------------------------------------------------------------

@pytest.mark.parametrize("url, fragment", [
    ("?q=1", None),
    ("?q=1#sec", "sec"),
    ("?q=1#sec#more", "sec#more"),
    ("#sec#more", "sec#more"),
    ("#", ""),
    ("", None),
])
def test_query_and_fragment_to_the_same_page(url, fragment):
    assert resolve(url) == Resolved(INTERNAL, "posts/a/index.html", fragment)


@pytest.mark.parametrize("url, path, fragment", [
    ("../b/?x=1?y=2", "posts/b/", None),
    ("../b/#f#g", "posts/b/", "f#g"),
    ("../b/?x#f?g", "posts/b/", "f?g"),
    ("../b/", "posts/b/", None),
])
def test_query_and_fragment_on_a_relative_link(url, path, fragment):
    assert resolve(url) == Resolved(INTERNAL, path, fragment)


def test_absolute_link_without_fragment_has_none():
    assert resolve("https://example.org/b/", base_url=BASE) == Resolved(INTERNAL, "b/", None)
    assert resolve("https://example.org/b/#", base_url=BASE) == Resolved(INTERNAL, "b/", "")


def test_same_page_query_and_fragment_checked_end_to_end(tmp_path):
    site = make_site(tmp_path / "out", {
        "index.html": page('<h2 id="sec">S</h2><a href="?x=1#sec">ok</a> <a href="?x=1#nope">bad</a>'),
    })
    code, data = run_json(str(site))
    assert code == 1
    assert [b[3:] for b in broken(data)] == [("?x=1#nope", "fragment #nope not found in this page")]


# --- Protocol-relative and absolute URLs; --base-url ---------------------------------------

def test_protocol_relative_link_to_another_host_is_external():
    assert resolve("//cdn.example.net/x.js#f") == Resolved(EXTERNAL, "http://cdn.example.net/x.js#f", "f")
    assert resolve("//cdn.example.net/x.js", base_url=BASE) == Resolved(
        EXTERNAL, "https://cdn.example.net/x.js", None)


def test_protocol_relative_link_to_the_site_is_internal():
    assert resolve("//example.org/about/", base_url=BASE) == Resolved(INTERNAL, "about/", None)


def test_link_to_the_site_host_outside_the_base_path():
    blog = "https://example.org/blog"
    # Written with the host: another application on the same host, checked as external.
    assert resolve("//example.org/shop/", base_url=blog) == Resolved(EXTERNAL, "https://example.org/shop/", None)
    assert resolve("https://example.org/shop/#f", base_url=blog) == Resolved(
        EXTERNAL, "https://example.org/shop/#f", "f")
    # Written as a path: a link that leaves the site.
    assert resolve("/shop/#f", base_url=blog) == Resolved(ESCAPE, "https://example.org/shop/#f", "f")
    assert resolve("/shop/", base_url=blog, base="/blog/x/") == Resolved(
        ESCAPE, "https://example.org/shop/", None)
    assert resolve("/shop/#f", base_url=blog, base="/blog/x/") == Resolved(
        ESCAPE, "https://example.org/shop/#f", "f")


def test_base_path_without_its_slash_is_the_site_root():
    blog = "https://example.org/blog"
    assert resolve("/blog", base_url=blog) == Resolved(INTERNAL, "", None)
    assert resolve("https://example.org/blog", base_url=blog) == Resolved(INTERNAL, "", None)
    assert resolve("https://example.org", base_url=BASE) == Resolved(INTERNAL, "", None)


@pytest.mark.parametrize("base_url, url, path", [
    ("https://example.org", "https://example.org:443/x/", "x/"),
    ("https://example.org:443", "https://example.org/x/", "x/"),
    ("http://example.org", "http://example.org:80/x/", "x/"),
    ("http://example.org:80/", "//example.org/x/", "x/"),
    ("https://Example.ORG", "HTTPS://EXAMPLE.org/x/", "x/"),
])
def test_default_ports_are_the_same_site(base_url, url, path):
    assert resolve(url, base_url=base_url) == Resolved(INTERNAL, path, None)


@pytest.mark.parametrize("base_url, url", [
    ("https://example.org", "https://example.org:8443/x/"),
    ("https://example.org", "https://example.org:80/x/"),
    ("http://example.org", "http://example.org:443/x/"),
    ("https://example.org", "https://example.org:1/x/"),
    ("https://example.org", "https://example.org:65535/x/"),
])
def test_other_ports_are_another_site(base_url, url):
    assert resolve(url, base_url=base_url) == Resolved(EXTERNAL, url, None)


@pytest.mark.parametrize("url", ["https://example.org:0/", "https://example.org:65536/", "http://["])
def test_unparsable_urls_are_invalid(url):
    assert resolve(url, base_url=BASE).kind == INVALID


def test_invalid_port_is_named_in_the_report(tmp_path):
    site = make_site(tmp_path / "out", {"index.html": page('<a href="http://example.org:0/">x</a>')})
    code, data = run_json(str(site))
    assert code == 1
    assert broken(data)[0][4] == "malformed URL (port out of range)"


@pytest.mark.parametrize("base_url", ["ftp://example.org", "https://", "example.org", "mailto:x@example.org"])
def test_base_url_must_be_http_with_a_host(base_url):
    with pytest.raises(ValueError, match="--base-url must be an http"):
        normalise_base_url(base_url)


def test_base_url_accepts_http_and_https():
    assert normalise_base_url("http://example.org") == ("http", "example.org", "/")
    assert normalise_base_url(" https://Example.org/blog ") == ("https", "example.org", "/blog/")


@pytest.mark.parametrize("url", ["mailto:me@example.org", "tel:+353", "javascript:void(0)", "data:,x", "ftp://x/y"])
def test_other_schemes_are_skipped_as_written(url):
    assert resolve(url) == Resolved(SKIP, url, None)
    assert resolve(url, base="https://example.org/") == Resolved(SKIP, url, None)


# --- <base href> ---------------------------------------------------------------------------

@pytest.mark.parametrize("base", ["javascript:void(0)", "mailto:x@example.org", "data:text/html,x", "http://["])
def test_base_href_that_is_not_http_is_ignored(base):
    assert resolve("../b/", base=base) == Resolved(INTERNAL, "posts/b/", None)
    assert resolve("#f", base=base) == Resolved(INTERNAL, "posts/a/index.html", "f")
    assert resolve("//cdn.example.net/x", base=base) == Resolved(EXTERNAL, "http://cdn.example.net/x", None)


def test_base_href_moves_relative_and_same_page_links():
    assert resolve("c/", base="/docs/") == Resolved(INTERNAL, "docs/c/", None)
    assert resolve("#f", base="/docs/") == Resolved(INTERNAL, "docs/", "f")
    assert resolve("?q", base="/docs/x.html") == Resolved(INTERNAL, "docs/x.html", None)
    assert resolve("", base="/docs/x.html") == Resolved(INTERNAL, "docs/x.html", None)


def test_https_base_href_on_the_site():
    assert resolve("c/", base="https://example.org/docs/", base_url=BASE) == Resolved(INTERNAL, "docs/c/", None)
    assert resolve("c/", base="http://example.org/docs/", base_url="http://example.org") == Resolved(
        INTERNAL, "docs/c/", None)


def test_link_whose_name_starts_with_a_capital_x():
    assert resolve("Xylophone.html") == Resolved(INTERNAL, "posts/a/Xylophone.html", None)


def test_absolute_url_under_an_absolute_base_href():
    assert resolve("https://example.org/b/", base="https://other.example/", base_url=BASE) == Resolved(
        INTERNAL, "b/", None)
    assert resolve("https://example.org/b/", base="../", base_url=BASE) == Resolved(INTERNAL, "b/", None)


# --- Page paths that need quoting ----------------------------------------------------------

def test_page_in_a_non_utf8_folder_resolves_its_links():
    folder = b"posts/caf\xe9".decode("utf-8", "surrogateescape")   # a Latin-1 folder name
    page_path = folder + "/index.html"
    assert resolve("x.png", page_path=page_path) == Resolved(INTERNAL, folder + "/x.png", None)
    assert resolve("x.png", page_path=page_path, base="./") == Resolved(INTERNAL, folder + "/x.png", None)
    assert resolve("#f", page_path=page_path, base="./") == Resolved(INTERNAL, folder + "/", "f")


def test_page_one_folder_deep_with_a_one_letter_name():
    assert resolve("x.png", page_path="a/index.html") == Resolved(INTERNAL, "a/x.png", None)
    assert resolve("x.png", page_path="index.html") == Resolved(INTERNAL, "x.png", None)


# --- Unicode forms: file names byte for byte, fragments NFC --------------------------------

NFC, NFD = "caf\u00e9", "cafe\u0301"


def test_file_names_are_not_normalised(tmp_path):
    site = make_site(tmp_path / "out", {
        "index.html": page(f'<a href="{NFC}/">nfc</a> <a href="{NFD}/">nfd</a>'
                           f' <a href="caf%C3%A9/">pct</a>'),
        f"{NFC}/index.html": page("only the NFC folder exists"),
    })
    code, data = run_json(str(site))
    assert code == 1
    assert [b[3] for b in broken(data)] == [f"{NFD}/"]


def test_fragments_match_in_either_unicode_form():
    assert fragment_ok(NFD, {NFC})
    assert fragment_ok(NFD, {NFD})          # exactly as written
    assert fragment_ok("caf%C3%A9", {NFC})
    assert not fragment_ok("cafe", {NFC})


# --- Fragments -----------------------------------------------------------------------------

@pytest.mark.parametrize("fragment", [None, "", "top", "TOP", "Top", "%54op", ":~:text=hello"])
def test_fragments_always_valid(fragment):
    assert fragment_ok(fragment, set())


@pytest.mark.parametrize("fragment, ids, ok", [
    ("sec:~:text=x", {"sec"}, True),
    ("sec:~:text=x", set(), False),
    ("sec%3A~%3Atext=x", {"sec"}, True),
    ("%3A~%3Atext=x", set(), True),
    ("sec:~:text=a:~:b", {"sec"}, True),
    ("a:~:b:~:text=x", {"a:~:b"}, False),
    ("%FF", set(), False),
    ("%FF", {"\ufffd"}, True),
    ("topic", set(), False),
])
def test_fragment_directive_and_decoding(fragment, ids, ok):
    assert fragment_ok(fragment, ids) is ok


# --- What a static host serves -------------------------------------------------------------

def test_lookup_of_files_directories_and_index_pages(tmp_path):
    site = Site.scan(str(make_site(tmp_path / "out", {
        "index.html": "x", "a/index.html": "x", "LaTeX/notes.txt": "x", "f.txt": "x", "TeX": "x",
    })))
    assert site.dirs == {"", "a", "LaTeX"}
    assert site.lookup("") == ("index.html", "")
    assert site.lookup("a/") == ("a/index.html", "")
    assert site.lookup("a") == ("a/index.html", "")
    assert site.lookup("f.txt") == ("f.txt", "")
    assert site.lookup("LaTeX/") == (None, "directory has no index.html: LaTeX/")
    assert site.lookup("LaTeX") == (None, "directory has no index.html: LaTeX/")
    assert site.lookup("f.txt/") == (None, "not found: f.txt/ (a file, linked as a directory)")
    assert site.lookup("TeX/") == (None, "not found: TeX/ (a file, linked as a directory)")
    assert site.lookup("nope/") == (None, "file not found: nope/")


def test_root_without_index_html(tmp_path):
    assert Site(str(tmp_path), set(), set()).lookup("") == (None, "directory has no index.html: /")
    site = make_site(tmp_path / "out", {"a.html": page('<a href="/">home</a>')})
    code, data = run_json(str(site))
    assert code == 1
    assert [b[3:] for b in broken(data)] == [("/", "directory has no index.html: /")]


@pytest.mark.parametrize("name", ["page.htm", "page.xhtml", "PAGE.HTM"])
def test_htm_and_xhtml_pages_are_checked(tmp_path, name):
    site = make_site(tmp_path / "out", {
        "index.html": page(f'<a href="{name}#here">ok</a> <a href="{name}#gone">bad</a>'),
        name: page('<p id="here">x</p><a href="missing/">m</a>'),
    })
    code, data = run_json(str(site))
    assert code == 1
    assert {b[3:] for b in broken(data)} == {
        (f"{name}#gone", f"fragment #gone not found in {name}"),
        ("missing/", "file not found: missing/"),
    }
