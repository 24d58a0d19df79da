"""Old Hugo addresses keep working: posts, the companion link, the cover, /index.xml, sub-paths."""

import feedparser
from bs4 import BeautifulSoup

from tests.conftest import PUBLISH_SETTINGS, STUDY_POINTS_HTML, WRITEUP_HTML, build_into
from tests.link_oracle import broken_links, resolve


def test_writeup_lives_at_its_hugo_address(site):
    page = site / WRITEUP_HTML
    assert page.is_file()
    assert "AWS Machine Learning Specialty Certification" in page.read_text()


def test_links_the_post_makes_resolve(site):
    page = site / WRITEUP_HTML
    soup = BeautifulSoup(page.read_text(), "lxml")
    # The two links the author wrote (the theme may add next/related links too).
    study_links = [a["href"] for a in soup.find_all("a")
                   if a.get_text() in ("accompanying post", "high level study points")]
    assert len(study_links) == 2
    for href in study_links:
        # The author's /posts/aws-ml-study-points gains its slash: no redirect for readers.
        assert href == "/posts/aws-ml-study-points/"
        assert resolve(site, page, href)[0] == site / STUDY_POINTS_HTML
    assert resolve(site, page, "/posts/aws-ml-study-points")[0] == site / STUDY_POINTS_HTML
    assert (site / "images/avatar.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_hugo_feed_address_serves_a_valid_feed(published_site):
    feed = feedparser.parse((published_site / "index.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    links = {entry.link for entry in feed.entries}
    assert "https://shanenolan.dev/posts/aws-ml-specialty-certification/" in links
    assert "https://shanenolan.dev/posts/aws-ml-study-points/" in links
    for name in ("feeds/all.atom.xml", "feeds/all.rss.xml"):
        other = feedparser.parse((published_site / name).read_bytes())
        assert not other.bozo and {e.link for e in other.entries} == links


def test_site_published_under_a_sub_path(tmp_path):
    result = build_into(tmp_path, PUBLISH_SETTINGS, SITEURL="https://example.org/blog",
                        FEED_DOMAIN="https://example.org/blog")
    assert result.ok, result.problems
    page = result.output / WRITEUP_HTML
    html = page.read_text()
    assert 'href="https://example.org/blog/posts/aws-ml-study-points/"' in html
    assert 'href="/posts/' not in html and 'src="/' not in html
    assert broken_links(result.output, "https://example.org/blog") == []


def test_slug_comes_from_front_matter_or_file_name(tiny_site):
    tiny_site.post("file-name")
    tiny_site.post("other-file", slug="chosen-slug")
    assert tiny_site.build().ok
    assert (tiny_site.output / "posts/file-name/index.html").is_file()
    assert (tiny_site.output / "posts/chosen-slug/index.html").is_file()
    assert not (tiny_site.output / "posts/other-file").exists()


def test_aliases_redirect_to_the_post(tiny_site):
    tiny_site.post("moved", aliases=["/2019/01/old-name/", "/old.html"])
    assert tiny_site.build().ok
    for alias in ("2019/01/old-name/index.html", "old.html"):
        soup = BeautifulSoup(tiny_site.html(alias), "lxml")
        assert soup.find("link", rel="canonical")["href"] == "/posts/moved/"
        assert soup.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=/posts/moved/"


def test_alias_that_would_overwrite_a_post_fails_naming_the_file(tiny_site):
    tiny_site.post("first")
    path = tiny_site.post("second", aliases=["/posts/first/"])
    result = tiny_site.build()
    assert not result.ok
    assert result.problems == [f"{path}:2: alias '/posts/first/' is already the address of "
                               "posts/first.md (remove or change the alias)"]


def test_fixed_urls_are_pelicans_own_and_the_speed_wing_must_come_last(tiny_site):
    from blogtools.commands.settings import load_settings
    from tests.conftest import SETTINGS

    plugins = load_settings(SETTINGS)["PLUGINS"]
    assert plugins[-1] == "blogtools.plugins.speed"
    tiny_site.post("first", "One.", date="2021-01-02T03:04:05Z")
    tiny_site.post("second", "Two.", date="2021-02-03T03:04:05Z", slug="other-name",
                   category="Deep Dives")
    pinned = tiny_site.build()
    assert pinned.ok, pinned.problems
    pages = sorted(p.relative_to(tiny_site.output).as_posix()
                   for p in tiny_site.output.rglob("*.html"))
    assert {"posts/first/index.html", "posts/other-name/index.html",
            "categories/deep-dives/index.html"} <= set(pages)
    # Without the wing, Pelican computes every URL on each use: same site.
    html = {p: tiny_site.html(p) for p in pages}
    unpinned = tiny_site.build(SPEED_WING=False)
    assert unpinned.ok, unpinned.problems
    assert {p: tiny_site.html(p) for p in pages} == html

    moved = tiny_site.build(PLUGINS=[plugins[-1]] + plugins[:-1])
    assert not moved.ok
    assert moved.problems == ["warning: blogtools.plugins.speed must be the last entry in PLUGINS "
                              f"(it is at position 1 of {len(plugins)}): a later plugin could "
                              "still change a URL"]


REWRITES = {
    '<a href="/posts/a">x</a>': '<a href="https://ex.org/blog/posts/a/">x</a>',
    "<img\tsrc='/i.png' data-src=\"/no.png\">": "<img\tsrc='https://ex.org/blog/i.png' data-src=\"/no.png\">",
    '<video poster = "/p.jpg">': '<video poster = "https://ex.org/blog/p.jpg">',
    '<a data-href="/no">': '<a data-href="/no">',
    '<a href="//cdn.example/x">': '<a href="//cdn.example/x">',
    '<a\nhref="/posts/a?q=1#f">': '<a\nhref="https://ex.org/blog/posts/a/?q=1#f">',
    '<img srcset="/a.png 1x, /b.png 2x">': '<img srcset="https://ex.org/blog/a.png 1x, https://ex.org/blog/b.png 2x">',
    '<p>href="/x" in prose stays</p>': '<p>href="/x" in prose stays</p>',
}


def test_root_relative_links_in_content_follow_siteurl():
    from blogtools.plugins.root_links import RootLinks

    links = RootLinks("https://ex.org/blog/", {"posts/a/"})
    assert {html: links.rewrite(html) for html in REWRITES} == REWRITES
