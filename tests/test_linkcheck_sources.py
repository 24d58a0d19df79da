"""Content-source mapping: a broken link on a page built from Markdown points at the .md line."""

from __future__ import annotations

import json

from tests.linkcheck_helpers import make_site, page, run, run_json

MARKDOWN = """Title: Post
Date: 2024-01-01

Intro paragraph.

See [the other post](../other-post/) for details.

Jump to [the setup](#Setup) or [the end](#the-end).

![A figure](/images/figure.png)
"""


def build(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content" / "posts").mkdir(parents=True)
    (tmp_path / "content" / "posts" / "post.md").write_text(MARKDOWN, encoding="utf-8")
    site = make_site(tmp_path / "output", {
        "posts/post/index.html": page(
            '<nav><a href="/archive/">Archive</a></nav>\n'
            '<p>Intro paragraph.</p>\n'
            '<p>See <a href="../other-post/">the other post</a> for details.</p>\n'
            '<p>Jump to <a href="#Setup">the setup</a> or <a href="#the-end">the end</a>.</p>\n'
            '<h2 id="setup">Setup</h2>\n'
            '<p><img alt="A figure" src="/images/figure.png"></p>'),
        "images/figure.png": b"png",
    })
    sources = tmp_path / "sources.json"
    sources.write_text(json.dumps({"posts/post/index.html": "content/posts/post.md"}))
    return site, sources


def test_json_has_content_source_and_line(tmp_path, monkeypatch):
    site, sources = build(tmp_path, monkeypatch)
    code, data = run_json("output", "--sources", "sources.json")
    assert code == 1
    got = [(b["target"], b["line"], b["content_source"], b["content_line"], b["suggestion"])
           for b in data["broken"]]
    assert got == [
        ("/archive/", 4, "content/posts/post.md", None, None),   # from the theme
        ("../other-post/", 6, "content/posts/post.md", 6, None),
        ("#Setup", 7, "content/posts/post.md", 8, "#setup"),
        ("#the-end", 7, "content/posts/post.md", 8, None),
    ]


def test_text_groups_by_content_source(tmp_path, monkeypatch):
    site, sources = build(tmp_path, monkeypatch)
    code, out, _ = run("output", "--sources", str(sources.resolve()), "--jobs", "1")
    assert code == 1
    assert out == (
        "content/posts/post.md\n"
        "  content/posts/post.md:6 (posts/post/index.html:6:17): a[href] ../other-post/:"
        " file not found: posts/other-post/\n"
        "  content/posts/post.md:8 (posts/post/index.html:7:21): a[href] #Setup:"
        " fragment #Setup not found in this page; did you mean #setup?\n"
        "  content/posts/post.md:8 (posts/post/index.html:7:55): a[href] #the-end:"
        " fragment #the-end not found in this page\n"
        "posts/post/index.html\n"
        "  posts/post/index.html:4:15: a[href] /archive/: file not found: archive/\n"
        "\n"
        "Checked 5 links in 1 file: 4 broken.\n")


def test_path_part_and_fragment_fallbacks(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "post.md").write_text(
        "line one\nlink to [x](missing.html) here\nand {#Anchor} and [y](#Anchor)\n")
    make_site(tmp_path / "out", {"p.html": page(
        '<a href="missing.html?ref=feed">x</a>\n<a href="other.html#Anchor">y</a>'),
        "other.html": page("o")})
    (tmp_path / "s.json").write_text(json.dumps({"./p.html": str(tmp_path / "post.md")}))
    code, data = run_json("out", "--sources", "s.json")
    # An absolute source inside the working directory is reported relative to it.
    assert [(b["target"], b["content_source"], b["content_line"]) for b in data["broken"]] == [
        ("missing.html?ref=feed", "post.md", 2), ("other.html#Anchor", "post.md", 3)]


def test_bad_sources_file_is_a_usage_error(tmp_path):
    site = make_site(tmp_path / "out", {"index.html": page("x")})
    (tmp_path / "bad.json").write_text("[1, 2]")
    code, out, err = run(str(site), "--sources", str(tmp_path / "bad.json"))
    assert (code, out) == (2, "")
    assert "must be a JSON object" in err
    code, out, err = run(str(site), "--sources", str(tmp_path / "absent.json"))
    assert (code, out) == (2, "")
    assert "cannot read --sources file" in err


def test_feed_entry_problem_points_at_the_entry_source(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text("Title: A\n\nSee [gone](/gone/).\n")
    atom = ('<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
            '<entry><link href="https://example.org/posts/a/" rel="alternate"/>\n'
            '<content type="html">&lt;a href="https://example.org/gone/"&gt;gone&lt;/a&gt;'
            '</content></entry>\n</feed>\n')
    make_site(tmp_path / "out", {"feeds/all.atom.xml": atom,
                                 "posts/a/index.html": page('<a href="/gone/">gone</a>')})
    (tmp_path / "s.json").write_text(json.dumps({"posts/a/index.html": "content/a.md"}))
    code, data = run_json("out", "--sources", "s.json", "--base-url", "https://example.org")
    assert code == 1
    assert [(b["source"], b["line"], b["column"], b["content_source"], b["content_line"])
            for b in data["broken"]] == [
        ("feeds/all.atom.xml", 4, 34, "content/a.md", 3),
        ("posts/a/index.html", 4, 10, "content/a.md", 3),
    ]
