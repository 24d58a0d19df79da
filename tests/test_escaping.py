"""Hostile metadata is escaped and intact everywhere it appears, and can't break out.

A post whose title, summary, tag, author and cover hold markup, quotes, ``&``,
``</script>`` and non-ASCII is built; every output that shows them is parsed
and must give back the exact original text, with no element injected.
"""

import json
import xml.etree.ElementTree as ET

import feedparser
import pytest
from bs4 import BeautifulSoup

TITLE = 'Tom & Jerry\'s "<script>alert(1)</script>" </script> — ünïcödé'
SUMMARY = 'Sum <img src=x onerror=alert(2)> & "quotes" </script><script>alert(3)</script>'
TAG = '<b>bold</b> & "tag"'
AUTHOR = "O'Brien <i>Ünï</i> & Co"
COVER = "/images/tom&jerry.png"
BODY = 'Raw HTML by the author stays: <em class="mine">allowed</em>.'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from tests.conftest import CONTENT, PUBLISH_SETTINGS, TinySite

    site = TinySite(tmp_path_factory.mktemp("hostile"))
    site.write("images/tom&jerry.png", (CONTENT / "images/avatar.png").read_bytes())
    site.post("hostile", BODY, title=TITLE, summary=SUMMARY, tags=[TAG], author=AUTHOR,
              cover=COVER, slug="hostile")
    result = site.build(PUBLISH_SETTINGS, SITEURL="https://example.org", FEED_DOMAIN="https://example.org")
    assert result.ok, result.problems
    return site.output


def page(site):
    return BeautifulSoup((site / "posts/hostile/index.html").read_text(), "lxml")


def no_injected_elements(soup):
    # The JSON-LD holds the title's text (checked below); any other script is injected.
    assert soup.find(lambda t: t.name == "script" and t.get("type") != "application/ld+json"
                     and "alert" in (t.string or "")) is None
    assert soup.find("img", attrs={"onerror": True}) is None
    assert soup.find("b", string="bold") is None and soup.find("i", string="Ünï") is None


def test_article_page_shows_the_text_and_injects_nothing(hostile_site):
    soup = page(hostile_site)
    no_injected_elements(soup)
    assert soup.find("h1").get_text() == TITLE
    assert TITLE in soup.title.get_text()
    assert soup.find("em", class_="mine").get_text() == "allowed"
    assert AUTHOR in soup.get_text()
    assert TAG in soup.get_text()


def test_meta_and_sharing_tags_hold_the_exact_text(hostile_site):
    soup = page(hostile_site)
    assert soup.find("meta", attrs={"name": "description"})["content"] == SUMMARY
    assert soup.find("meta", property="og:title")["content"] == TITLE
    assert soup.find("meta", property="og:description")["content"] == SUMMARY
    assert soup.find("meta", property="og:image")["content"] == "https://example.org" + COVER


def test_json_ld_cannot_be_closed_and_round_trips(hostile_site):
    raw = (hostile_site / "posts/hostile/index.html").read_text()
    soup = page(hostile_site)
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    text = scripts[0].string
    assert "</" not in text and "<" not in text
    data = json.loads(text)
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == TITLE
    assert data["description"] == SUMMARY
    assert raw.count("</script>") == len(soup.find_all("script"))


def test_home_and_tag_pages_escape_too(hostile_site):
    for name in ("index.html", "tags/index.html"):
        soup = BeautifulSoup((hostile_site / name).read_text(), "lxml")
        no_injected_elements(soup)
        assert TITLE in soup.get_text() or TAG in soup.get_text()


def test_feeds_carry_the_exact_text(hostile_site):
    for name in ("index.xml", "feeds/all.atom.xml"):
        feed = feedparser.parse((hostile_site / name).read_bytes())
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        entry = feed.entries[0]
        assert entry.title == TITLE
        assert entry.author == AUTHOR


def test_sitemap_is_well_formed(hostile_site):
    tree = ET.parse(hostile_site / "sitemap.xml")
    locs = [e.text for e in tree.iter() if e.tag.endswith("loc")]
    assert "https://example.org/posts/hostile/" in locs
