"""Search and sharing: canonical, description, OpenGraph, Twitter, JSON-LD, robots.txt, sitemap."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from bs4 import BeautifulSoup

from tests.conftest import WRITEUP_HTML
from tests.theme_helpers import html_pages, soup_of

PUBLIC = "https://shanenolan.dev"


def meta(soup, **attrs):
    tag = soup.find("meta", attrs=attrs)
    return tag["content"] if tag else None


def test_every_page_has_description_canonical_and_sharing_tags(published_site):
    for path in html_pages(published_site):
        soup = soup_of(path)
        assert soup.title.get_text().strip(), path
        assert meta(soup, name="description"), path
        for prop in ("og:title", "og:description", "og:type", "og:url", "og:site_name"):
            assert meta(soup, property=prop), (path, prop)
        assert meta(soup, name="twitter:card") == "summary", path
        icon = soup.find("link", rel="icon")
        assert icon["href"].endswith("/favicon.svg") and icon["type"] == "image/svg+xml"
        if path.name == "404.html":
            assert meta(soup, name="robots") == "noindex"
            continue
        canonical = soup.find("link", rel="canonical")["href"]
        relative = path.relative_to(published_site).as_posix().removesuffix("index.html")
        assert canonical == f"{PUBLIC}/{relative}", path
        assert meta(soup, property="og:url") == canonical


def test_article_sharing_tags_and_json_ld(published_site):
    soup = soup_of(published_site / WRITEUP_HTML)
    assert meta(soup, name="description").startswith("In this blog post I share my experience")
    assert meta(soup, property="og:type") == "article"
    assert meta(soup, property="og:image") == f"{PUBLIC}/images/avatar.png"
    assert meta(soup, name="twitter:image") == f"{PUBLIC}/images/avatar.png"
    assert meta(soup, property="article:published_time") == "2020-12-15T12:22:50+00:00"
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "AWS Machine Learning Specialty Certification"
    assert data["url"] == f"{PUBLIC}/posts/aws-ml-specialty-certification/"
    assert data["image"] == f"{PUBLIC}/images/avatar.png"
    assert data["datePublished"] == "2020-12-15T12:22:50+00:00"
    assert data["author"][0]["name"] == "Shane Nolan"
    home = json.loads(soup_of(published_site / "index.html").find("script", type="application/ld+json").string)
    assert home["@type"] == "WebSite" and home["url"] == f"{PUBLIC}/"


def test_json_ld_cannot_break_out_of_its_script():
    from blogtools.plugins.seo import script_json

    text = str(script_json({"t": "</script><script>alert(1)</script> & \u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"t": "</script><script>alert(1)</script> & \u2028"}


def test_robots_txt_names_the_absolute_sitemap(published_site):
    robots = (published_site / "robots.txt").read_text()
    assert "User-agent: *" in robots
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in robots.splitlines()


def test_sitemap_lists_exactly_the_published_pages(published_site):
    tree = ET.parse(published_site / "sitemap.xml")
    locs = sorted(e.text for e in tree.iter() if e.tag.endswith("loc"))
    expected = sorted(
        f"{PUBLIC}/" + path.relative_to(published_site).as_posix().removesuffix("index.html")
        for path in html_pages(published_site) if path.name != "404.html")
    assert locs == expected
    assert f"{PUBLIC}/posts/aws-ml-specialty-certification/" in locs
    assert all(loc.startswith(PUBLIC + "/") for loc in locs)


def test_sitemap_leaves_out_drafts_hidden_pages_and_aliases(tiny_site):
    tiny_site.post("public", aliases=["/old/public/"])
    tiny_site.post("secret", draft=True)
    tiny_site.write("pages/hidden.md", '+++\ntitle = "Hidden"\nstatus = "hidden"\n+++\n\nHidden page.\n')
    result = tiny_site.build()
    assert result.ok, result.problems
    sitemap = (tiny_site.output / "sitemap.xml").read_text()
    assert "/posts/public/" in sitemap
    for absent in ("secret", "hidden", "/old/", "404"):
        assert absent not in sitemap, absent
    home = BeautifulSoup(tiny_site.html("index.html"), "lxml")
    assert "secret" not in home.get_text().lower()
