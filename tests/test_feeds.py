"""Atom and RSS feeds: well-formed, full content, absolute URLs only, per-tag feeds."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

PUBLIC = "https://shanenolan.dev"
ROOT_IMAGES = Path(__file__).resolve().parent.parent / "content" / "images"
FEEDS = ["feeds/all.atom.xml", "feeds/all.rss.xml", "index.xml"]


def entry_html(entry) -> str:
    if entry.get("content"):
        return entry.content[0].value
    return entry.get("summary", "")


@pytest.mark.parametrize("name", FEEDS)
def test_feed_parses_and_has_full_content(published_site, name):
    feed = feedparser.parse((published_site / name).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == 2
    writeup = next(e for e in feed.entries if e.link.endswith("/aws-ml-specialty-certification/"))
    text = BeautifulSoup(entry_html(writeup), "lxml").get_text()
    assert "I'm looking forward to reading your blog about how you passed" in text


@pytest.mark.parametrize("name", FEEDS + ["feeds/tags/aws.atom.xml"])
def test_feed_urls_are_all_absolute(published_site, name):
    # Without these, feedparser would resolve relative URLs itself and hide the fault.
    feed = feedparser.parse((published_site / name).read_bytes(),
                            resolve_relative_uris=False, sanitize_html=False)
    assert feed.feed.link.startswith(PUBLIC)
    for entry in feed.entries:
        assert entry.link.startswith(PUBLIC + "/posts/")
        soup = BeautifulSoup(entry_html(entry), "lxml")
        for tag in soup.find_all(["a", "img", "source", "video", "audio"]):
            for attribute in ("href", "src", "poster"):
                url = tag.get(attribute)
                if url is not None:
                    assert re.match(r"^(https?:|mailto:|data:)", url), (name, url)
        # The TLDR links point at the post itself, not the feed.
        for a in soup.find_all("a", href=re.compile("#LearningMaterials")):
            assert a["href"] == f"{PUBLIC}/posts/aws-ml-specialty-certification/#LearningMaterials"


def test_per_tag_feeds_exist_and_are_linked(published_site):
    feeds = sorted(p.name for p in (published_site / "feeds/tags").glob("*.atom.xml"))
    assert "aws.atom.xml" in feeds
    page = BeautifulSoup((published_site / "tags/aws/index.html").read_text(), "lxml")
    alternate = page.find("link", rel="alternate", href=f"{PUBLIC}/feeds/tags/aws.atom.xml")
    assert alternate is not None
    tag_feed = feedparser.parse((published_site / "feeds/tags/aws.atom.xml").read_bytes())
    assert not tag_feed.bozo and tag_feed.entries


def test_drafts_never_reach_a_feed(tiny_site):
    tiny_site.post("visible", tags=["t"])
    tiny_site.post("secret", draft=True, tags=["t"])
    assert tiny_site.build().ok
    for path in tiny_site.output.rglob("*.xml"):
        assert "secret" not in path.read_text(), path


def test_absolutize_resolves_against_the_entry():
    from blogtools.plugins.feed_links import absolutize

    base = "https://example.org/posts/x/"
    html = '<a href="#a">a</a><img src="img.png"><a href="mailto:me@example.org">m</a>' \
           '<a href="https://other.example/">o</a>'
    out = absolutize(html, base)
    assert 'href="https://example.org/posts/x/#a"' in out
    assert 'src="https://example.org/posts/x/img.png"' in out
    assert 'href="mailto:me@example.org"' in out and 'href="https://other.example/"' in out


@pytest.mark.parametrize("name", ["index.xml", "feeds/all.rss.xml"])
def test_rss_guid_says_whether_it_is_a_permalink(published_site, name):
    # RSS 2.0: a <guid> without isPermaLink="false" claims to be the item's URL;
    # Pelican's guids are tag: URIs, so each must say it is not one.
    items = BeautifulSoup((published_site / name).read_bytes(), "xml").find_all("item")
    assert items
    for item in items:
        guid = item.find("guid")
        assert guid is not None and guid.text.startswith("tag:"), (name, guid)
        assert guid.get("isPermaLink") == "false", (name, str(guid))


def test_srcset_candidates_in_feed_entries_are_absolute(tiny_site):
    tiny_site.write("images/a.png", (ROOT_IMAGES / "avatar.png").read_bytes())
    tiny_site.write("images/b.png", (ROOT_IMAGES / "avatar.png").read_bytes())
    tiny_site.post("pictures", body=(
        '<img src="../../images/a.png" alt="a" srcset="../../images/a.png 1x, ../../images/b.png 2x">\n\n'
        '<picture><source srcset="../../images/b.png 640w,../../images/a.png 320w" '
        'sizes="50vw"><img src="../../images/a.png" alt="p"></picture>'))
    result = tiny_site.build()
    assert result.ok, result.problems
    for name in FEEDS:
        # feedparser would itself resolve relative URLs and drop srcset: read the entry as written.
        feed = feedparser.parse((tiny_site.output / name).read_bytes(),
                                resolve_relative_uris=False, sanitize_html=False)
        (entry,) = feed.entries
        soup = BeautifulSoup(entry_html(entry), "lxml")
        candidates = [candidate.split() for tag in soup.find_all(srcset=True)
                      for candidate in tag["srcset"].split(",")]
        assert len(candidates) == 4, (name, candidates)
        base = entry.link.rsplit("/posts/", 1)[0]
        for url, descriptor in candidates:
            assert url in (f"{base}/images/a.png", f"{base}/images/b.png"), (name, url)
            assert descriptor in ("1x", "2x", "640w", "320w")


def test_absolutize_srcset_keeps_descriptors_and_absolute_urls():
    from blogtools.plugins.feed_links import absolutize_srcset

    base = "https://example.org/posts/x/"
    assert absolutize_srcset("a.png 1x, /b.png 2x", base) == \
        "https://example.org/posts/x/a.png 1x, https://example.org/b.png 2x"
    # A comma inside a URL is part of it; trailing commas end a candidate.
    assert absolutize_srcset("a,b.png 640w,c.png,", base) == \
        "https://example.org/posts/x/a,b.png 640w,https://example.org/posts/x/c.png,"
    assert absolutize_srcset("data:image/png;base64,AA 1x, https://cdn.example/c.png 2x", base) == \
        "data:image/png;base64,AA 1x, https://cdn.example/c.png 2x"
