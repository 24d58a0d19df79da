"""Feeds (Atom, RSS), sitemap.xml and robots.txt: their links are checked like a page's."""

from __future__ import annotations

from tests.linkcheck_helpers import broken, make_site, page, run, run_json

BASE = "https://example.org/blog"

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>
<link href="https://example.org/blog/" rel="alternate"/>
<link href="https://example.org/blog/feeds/all.atom.xml" rel="self"/>
<entry><title>Post</title>
<link href="https://example.org/blog/posts/a/" rel="alternate"/>
<summary type="html">&lt;p&gt;Intro &lt;a href="https://example.org/blog/posts/a/#intro"&gt;here&lt;/a&gt;&lt;/p&gt;</summary>
<content type="html">&lt;p&gt;See
&lt;a href="https://example.org/blog/posts/b/"&gt;B&lt;/a&gt; and
&lt;img src="https://example.org/blog/images/x.png" alt=""&gt;&lt;/p&gt;</content>
</entry>
</feed>
"""

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Blog</title>
<link>https://example.org/blog/</link>
<atom:link href="https://example.org/blog/feeds/all.rss.xml" rel="self"/>
<item><title>Post</title><link>https://example.org/blog/posts/gone/</link>
<description><![CDATA[<p>Text <a href="https://example.org/blog/posts/a/#nope">a</a></p>]]></description>
<guid isPermaLink="false">tag:example.org,2024:posts/a</guid>
</item></channel></rss>
"""

SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://example.org/blog/</loc></url>
<url><loc>https://example.org/blog/posts/a/</loc></url>
<url>
  <loc>https://example.org/blog/posts/old/</loc>
</url>
</urlset>
"""


def site_with(tmp_path, extra):
    files = {
        "index.html": page("home"),
        "posts/a/index.html": page('<h1 id="intro">A</h1>'),
        "feeds/all.atom.xml": ATOM.replace("posts/b/", "posts/a/").replace("x.png", "ok.png"),
        "feeds/all.rss.xml": RSS.replace("posts/gone/", "posts/a/").replace("#nope", "#intro"),
        "images/ok.png": b"png",
        "sitemap.xml": SITEMAP.replace("posts/old/", "posts/a/"),
        "robots.txt": "User-agent: *\nSitemap: https://example.org/blog/sitemap.xml\n",
    }
    files.update(extra)
    return make_site(tmp_path / "out", files)


def test_valid_feeds_sitemap_and_robots_pass(tmp_path):
    site = site_with(tmp_path, {})
    code, out, _ = run(str(site), "--base-url", BASE)
    assert (code, out) == (0, "Checked 14 links in 6 files: no broken links.\n")


def test_broken_links_inside_atom_entry_content(tmp_path):
    site = site_with(tmp_path, {"feeds/all.atom.xml": ATOM})
    code, data = run_json(str(site), "--base-url", BASE)
    assert code == 1
    assert broken(data) == [
        ("feeds/all.atom.xml", 9, 13, "https://example.org/blog/posts/b/",
         "file not found: posts/b/"),
        ("feeds/all.atom.xml", 10, 14, "https://example.org/blog/images/x.png",
         "file not found: images/x.png"),
    ]
    assert [b["kind"] for b in data["broken"]] == [
        "feed entry <content> a[href]", "feed entry <content> img[src]"]


def test_broken_links_in_rss_item_link_and_cdata_description(tmp_path):
    site = site_with(tmp_path, {"feeds/all.rss.xml": RSS})
    code, data = run_json(str(site), "--base-url", BASE)
    assert code == 1
    assert broken(data) == [
        ("feeds/all.rss.xml", 5, 32, "https://example.org/blog/posts/gone/",
         "file not found: posts/gone/"),
        ("feeds/all.rss.xml", 6, 40, "https://example.org/blog/posts/a/#nope",
         "fragment #nope not found in posts/a/index.html"),
    ]


def test_broken_sitemap_loc(tmp_path):
    site = site_with(tmp_path, {"sitemap.xml": SITEMAP})
    code, out, _ = run(str(site), "--base-url", BASE)
    assert code == 1
    assert out == (
        "sitemap.xml\n"
        "  sitemap.xml:6:8: sitemap <loc> https://example.org/blog/posts/old/:"
        " file not found: posts/old/; did you mean https://example.org/blog/posts/a/?\n"
        "\n"
        "Checked 14 links in 6 files: 1 broken.\n")


def test_broken_robots_sitemap_line(tmp_path):
    site = site_with(tmp_path, {"robots.txt": "User-agent: *\nDisallow:\n"
                                              "Sitemap: https://example.org/blog/sitemap-index.xml\n"})
    code, data = run_json(str(site), "--base-url", BASE)
    assert code == 1
    assert broken(data) == [("robots.txt", 3, 10, "https://example.org/blog/sitemap-index.xml",
                             "file not found: sitemap-index.xml")]
    assert data["broken"][0]["suggestion"] == "https://example.org/blog/sitemap.xml"


def test_relative_links_in_feed_resolve_against_the_feed_or_xml_base(tmp_path):
    atom = ('<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
            '<entry xml:base="/posts/a/"><content type="html">&lt;a href="#intro"&gt;x&lt;/a&gt;'
            '&lt;a href="../missing/"&gt;y&lt;/a&gt;</content></entry>\n'
            '<entry><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
            '<a href="../posts/a/">ok</a><a href="../nope.html">no</a></div></content></entry>\n'
            '</feed>\n')
    site = make_site(tmp_path / "out", {"feeds/f.xml": atom,
                                        "posts/a/index.html": page('<p id="intro">x</p>')})
    code, data = run_json(str(site))
    assert code == 1
    assert [(b["target"], b["reason"]) for b in data["broken"]] == [
        ("../missing/", "file not found: posts/missing/"),
        ("../nope.html", "file not found: nope.html"),
    ]
