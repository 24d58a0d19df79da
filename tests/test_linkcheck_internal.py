"""Internal links: each planted problem is found, at its line and column; valid links pass."""

from __future__ import annotations

import pytest

from tests.linkcheck_helpers import broken, make_site, page, run, run_json


def test_clean_site_exits_0_with_summary(tmp_path):
    site = make_site(tmp_path / "out", {
        "index.html": page('<a href="about/">About</a> <a href="about/#me">me</a>'),
        "about/index.html": page('<h1 id="me">Me</h1><a href="../">home</a>'),
    })
    code, out, err = run(str(site))
    assert (code, out, err) == (0, "Checked 3 links in 2 files: no broken links.\n", "")


def test_missing_page_reported_with_line_column_and_suggestion(tmp_path):
    site = make_site(tmp_path / "out", {
        "index.html": page('<p>See\n  <a href="posts/helo/">this post</a></p>'),
        "posts/hello/index.html": page("hi"),
    })
    code, out, _ = run(str(site))
    assert code == 1
    assert out == (
        "index.html\n"
        "  index.html:5:12: a[href] posts/helo/: file not found: posts/helo/;"
        " did you mean posts/hello/?\n"
        "\n"
        "Checked 1 link in 2 files: 1 broken.\n")


def test_missing_fragment_on_same_page(tmp_path):
    site = make_site(tmp_path / "out", {
        "index.html": page('<h2 id="Intro">x</h2>\n<a href="#intro">up</a>'),
    })
    code, data = run_json(str(site))
    assert code == 1
    assert broken(data) == [("index.html", 5, 10, "#intro", "fragment #intro not found in this page")]
    assert data["broken"][0]["suggestion"] == "#Intro"


def test_missing_fragment_on_other_page(tmp_path):
    site = make_site(tmp_path / "out", {
        "index.html": page('<a href="b.html#part-2">b</a>'),
        "b.html": page('<h2 id="part-1">1</h2><h2 id="part-3">3</h2>'),
    })
    code, data = run_json(str(site))
    assert code == 1
    assert broken(data) == [
        ("index.html", 4, 10, "b.html#part-2", "fragment #part-2 not found in b.html")]
    assert data["broken"][0]["suggestion"] in ("b.html#part-1", "b.html#part-3")


@pytest.mark.parametrize("markup, kind, target", [
    ('<img src="img/nope.png" alt="">', "img[src]", "img/nope.png"),
    ('<img src="img/ok.png" srcset="img/ok.png 1x, img/nope.png 2x" alt="">',
     "img[srcset]", "img/nope.png"),
    ('<picture><source srcset="img/nope.png 480w" type="image/png"></picture>',
     "source[srcset]", "img/nope.png"),
    ('<video poster="img/nope.png" src="img/ok.png"></video>', "video[poster]", "img/nope.png"),
    ('<script src="img/nope.png"></script>', "script[src]", "img/nope.png"),
])
def test_missing_asset_in_body(tmp_path, markup, kind, target):
    site = make_site(tmp_path / "out", {"index.html": page(markup), "img/ok.png": b"png"})
    code, data = run_json(str(site))
    assert code == 1
    [b] = data["broken"]
    assert (b["source"], b["line"], b["kind"], b["target"], b["reason"]) == (
        "index.html", 4, kind, target, "file not found: img/nope.png")
    assert markup[b["column"] - 1:].startswith(target)  # the column points at the URL


@pytest.mark.parametrize("head, kind", [
    ('<link rel="stylesheet" href="/theme/nope.css">', "link[href]"),
    ('<link rel="icon" href="/theme/nope.css">', "link[href]"),
    ('<link rel="alternate" type="application/atom+xml" href="/theme/nope.css">', "link[href]"),
    ('<link rel="canonical" href="/theme/nope.css">', "link[href]"),
    ('<meta property="og:image" content="/theme/nope.css">', "meta[og:image]"),
    ('<meta property="og:url" content="/theme/nope.css">', "meta[og:url]"),
    ('<meta name="twitter:image" content="/theme/nope.css">', "meta[twitter:image]"),
])
def test_missing_target_in_head(tmp_path, head, kind):
    site = make_site(tmp_path / "out", {"index.html": page("x", head=head)})
    code, data = run_json(str(site))
    assert code == 1
    [b] = data["broken"]
    assert (b["line"], b["kind"], b["target"], b["reason"]) == (
        2, kind, "/theme/nope.css", "file not found: theme/nope.css")


def test_absolute_og_image_under_base_url_is_internal(tmp_path):
    site = make_site(tmp_path / "out", {"index.html": page(
        "x", head='<meta property="og:image" content="https://example.org/blog/img/a.png">'
                  '<link rel="canonical" href="https://example.org/blog/">')})
    code, data = run_json(str(site), "--base-url", "https://example.org/blog")
    assert code == 1
    assert broken(data) == [("index.html", 2, 64, "https://example.org/blog/img/a.png",
                             "file not found: img/a.png")]


def test_sub_path_escape_is_broken_and_sub_path_links_map_to_site(tmp_path):
    site = make_site(tmp_path / "out", {
        "index.html": page('<a href="/blog/x/">in</a>\n<a href="/x/">out</a>\n'
                           '<a href="../x/">up</a>'),
        "x/index.html": page("x"),
    })
    code, out, _ = run(str(site), "--base-url", "https://example.org/blog/")
    assert code == 1
    assert out == (
        "index.html\n"
        "  index.html:5:10: a[href] /x/: outside the site's base path /blog/ (resolves to /x/);"
        " did you mean /blog/x/?\n"
        "  index.html:6:10: a[href] ../x/: outside the site's base path /blog/ (resolves to /x/);"
        " did you mean /blog/x/?\n"
        "\n"
        "Checked 3 links in 2 files: 2 broken.\n")


def test_without_base_url_root_relative_maps_to_site_root(tmp_path):
    site = make_site(tmp_path / "out", {
        "a/b/index.html": page('<a href="/x/">x</a> <a href="/../x/">x</a>'),
        "x/index.html": page("x"),
    })
    assert run(str(site))[0] == 0


def test_valid_links_naive_checkers_get_wrong(tmp_path):
    site = make_site(tmp_path / "out", {
        "index.html": page(
            '<a name="old"></a><span id="caf\u00e9">c</span><li id="x-1">i</li>\n'
            '<a href="#old">named</a> <a href="#x-1">li</a>\n'
            '<a href="#caf%C3%A9">encoded</a> <a href="#cafe\u0301">nfd</a>'
            ' <a href="#caf\u00e9">raw</a>\n'
            '<a href="#top">top</a> <a href="#">hash</a> <a href="">self</a>\n'
            '<a href="posts/x">no slash</a> <a href="posts/x/?page=2#s">query</a>'
            ' <a href="posts/x/index.html#s">file</a>\n'
            '<a href="mailto:me@example.org">mail</a> <a href="tel:+123">tel</a>'
            ' <a href="javascript:void(0)">js</a> <img src="data:image/png;base64,AAAA" alt="">\n'
            '<a href="other.html#:~:text=hello">text fragment</a>\n'
            '<a href="sp%20ace.html">space</a> <a href="\u00fcber.html">umlaut</a>'
            ' <a href="%C3%BCber.html">encoded umlaut</a>\n'
            '<a href="other.html?utm=1">other</a> <a href="other.html#Sec%201">sec</a>'),
        "posts/x/index.html": page('<h2 id="s">s</h2>'),
        "other.html": page('<h2 id="Sec 1">s</h2>'),
        "sp ace.html": page("s"),
        "\u00fcber.html": page("u"),
    })
    code, out, _ = run(str(site))
    assert (code, out) == (0, "Checked 17 links in 5 files: no broken links.\n")


def test_fragment_match_is_case_sensitive_and_not_matched_by_name_on_non_anchor(tmp_path):
    site = make_site(tmp_path / "out", {
        "index.html": page('<div name="n">d</div><h2 id="Abc">a</h2>\n'
                           '<a href="#n">n</a> <a href="#abc">abc</a>'),
    })
    code, data = run_json(str(site))
    assert code == 1
    assert [b["target"] for b in data["broken"]] == ["#n", "#abc"]


def test_directory_without_index_and_file_linked_as_directory(tmp_path):
    site = make_site(tmp_path / "out", {
        "index.html": page('<a href="empty/">e</a> <a href="page.html/">p</a>'),
        "empty/readme.txt": "x",
        "page.html": page("p"),
    })
    code, data = run_json(str(site))
    assert code == 1
    assert [b["reason"] for b in data["broken"]] == [
        "directory has no index.html: empty/",
        "not found: page.html/ (a file, linked as a directory)",
    ]


def test_base_href_changes_resolution(tmp_path):
    site = make_site(tmp_path / "out", {
        "a/index.html": page('<a href="x.html">x</a>', head='<base href="/b/">'),
        "b/x.html": page("x"),
    })
    assert run(str(site))[0] == 0


def test_meta_refresh_target_checked(tmp_path):
    site = make_site(tmp_path / "out", {
        "old/index.html": page("moved", head='<meta http-equiv="refresh" content="0; url=/new/">'),
    })
    code, data = run_json(str(site))
    assert code == 1
    assert broken(data) == [("old/index.html", 2, 72, "/new/", "file not found: new/")]


def test_exclude_regex_from_cli_and_caller(tmp_path):
    site = make_site(tmp_path / "out", {
        "index.html": page('<a href="drafts/a.html">a</a> <a href="private/b.html">b</a>'),
    })
    assert run(str(site))[0] == 1
    assert run(str(site), "--exclude", "^drafts/")[0] == 1
    assert run(str(site), "--exclude", "^drafts/", "private")[0] == 0
    assert run(str(site), "--exclude", "^drafts/", exclude=["private"])[0] == 0


def test_malformed_url_is_broken_not_a_crash(tmp_path):
    site = make_site(tmp_path / "out", {"index.html": page('<a href="http://[::1">x</a>')})
    code, data = run_json(str(site))
    assert code == 1
    assert broken(data) == [("index.html", 4, 10, "http://[::1", "malformed URL (Invalid IPv6 URL)")]
