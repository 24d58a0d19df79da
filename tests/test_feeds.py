"""Atom and RSS feeds: well-formed, full content, absolute URLs only, per-tag feeds."""

from __future__ import annotations

import re

import feedparser
import pytest
from bs4 import BeautifulSoup

PUBLIC = "https://shanenolan.dev"
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
    feed = feedparser.parse((published_site / name).read_bytes())
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
