"""Tags, categories and authors never merge by accident (blogtools.plugins.taxonomy_slugs).

Different names get different pages at readable addresses; a name without letters is
named after its characters; two names that would still share a page stop the build,
naming both files and lines; hostile names build and are escaped wherever they appear.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests.conftest import PUBLISH_SETTINGS, SETTINGS

HOSTILE = "<svg onload=alert(3)>"
HOSTILE_SLUG = "svg-onloadalert3"


def soup_of(site, relative: str) -> BeautifulSoup:
    return BeautifulSoup(site.html(relative), "lxml")


def test_c_plus_plus_c_sharp_and_c_get_a_page_each(tiny_site):
    tiny_site.post("a", tags=["C++", "C#", "C"])
    # The same names in another case are the same tags, on the same pages.
    tiny_site.post("b", tags=["c++", "c"], date="2021-02-03T04:05:06Z")
    result = tiny_site.build()
    assert result.ok, result.problems
    post = soup_of(tiny_site, "posts/a/index.html")
    links = {a.get_text(): a["href"] for a in post.select("a[href^='/tags/'][href$='/']:not([href='/tags/'])")}
    assert links == {"C++": "/tags/c-plus-plus/", "C#": "/tags/c-sharp/", "C": "/tags/c/"}
    for slug, name, posts in (("c-plus-plus", "C++", {"A", "B"}), ("c-sharp", "C#", {"A"}),
                              ("c", "C", {"A", "B"})):
        page = soup_of(tiny_site, f"tags/{slug}/index.html")
        assert page.h1.get_text().casefold() == f"#{name}".casefold()  # either spelling
        assert {h2.get_text() for h2 in page.select(".post-list h2")} == posts
    assert sorted(p.name for p in (tiny_site.output / "tags").iterdir() if p.is_dir()) == \
        ["c", "c-plus-plus", "c-sharp"]


def test_the_author_extends_the_substitution_table_in_pelicanconf(tiny_site):
    settings = tiny_site.root / "myconf.py"
    settings.write_text(
        f"import runpy\nglobals().update((k, v) for k, v in runpy.run_path({str(SETTINGS)!r}).items()"
        " if k.isupper())\n"
        'TAG_REGEX_SUBSTITUTIONS = [(r"^\\.net$", "dotnet")] + TAG_REGEX_SUBSTITUTIONS\n')
    tiny_site.post("a", tags=[".NET", "NET", "F#"])
    result = tiny_site.build(settings)
    assert result.ok, result.problems
    for slug, name in (("dotnet", ".NET"), ("net", "NET"), ("f-sharp", "F#")):
        assert soup_of(tiny_site, f"tags/{slug}/index.html").h1.get_text() == f"#{name}"


def test_a_name_without_letters_is_named_after_its_characters(tiny_site):
    tiny_site.post("a", tags=["🚀", "❤️"], categories=["🦀"])
    result = tiny_site.build()
    assert result.ok, result.problems
    assert soup_of(tiny_site, "tags/rocket/index.html").h1.get_text() == "#🚀"
    # The emoji's variation selector adds nothing to its address.
    assert soup_of(tiny_site, "tags/heavy-black-heart/index.html").h1.get_text() == "#❤️"
    assert soup_of(tiny_site, "categories/crab/index.html").h1.get_text() == "🦀"


def test_a_name_nothing_can_name_fails_on_its_line(tiny_site):
    source = tiny_site.write("posts/a.md", '---\ntitle: A\ndate: 2021-01-02\ntags:\n  - fine\n'
                                           '  - "\ue000"\n---\n\nBody.\n')
    result = tiny_site.build()
    assert not result.ok
    assert result.problems == [
        f"{source}:6: tag '\\ue000' has no letters or digits and U+E000 has no Unicode name, "
        "so no address can be made from it (write the tag in words instead, e.g. \"rocket\" for 🚀)"]


@pytest.mark.parametrize("kind, first, second", [
    ("tag", 'tags = ["x", "c!"]', 'tags:\n  - C++\n  - C'),
    ("category", 'categories = ["Machine Learning"]', "categories: [machine-learning]"),
    ("author", 'author = "Ada Lovelace"', "author: Ada-Lovelace"),
])
def test_two_names_that_still_share_an_address_fail_naming_both(tiny_site, kind, first, second):
    a = tiny_site.write("posts/a.md", f'+++\ntitle = "A"\ndate = 2021-01-02T03:04:05Z\n{first}\n+++\n\nA.\n')
    b = tiny_site.write("posts/b.md", f"---\ntitle: B\ndate: 2021-01-03\n{second}\n---\n\nB.\n")
    result = tiny_site.build()
    assert not result.ok
    line_b = 6 if kind == "tag" else 4  # the YAML list item "- C", not "- C++"
    [problem] = result.problems
    assert problem.startswith(f"{b}:{line_b}: {kind} ")
    assert f"({a}:4)" in problem and "gets the address of" in problem
    assert problem.endswith(f"in {kind.upper()}_REGEX_SUBSTITUTIONS in pelicanconf.py)")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    from tests.conftest import TinySite

    site = TinySite(tmp_path_factory.mktemp("hostile-names"))
    site.post("hostile", "Body.", title=HOSTILE, tags=[HOSTILE, "plain"], categories=[HOSTILE],
              author=HOSTILE, slug="hostile")
    result = site.build(PUBLISH_SETTINGS, SITEURL="https://example.org", FEED_DOMAIN="https://example.org")
    assert result.ok, result.problems
    return site


def test_hostile_names_inject_nothing_anywhere(hostile):
    pages = sorted(hostile.output.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        assert soup.find("svg") is None and soup.find(attrs={"onload": True}) is None, path
    for path in sorted(hostile.output.rglob("*.xml")):
        root = ET.parse(path).getroot()  # well-formed, and no element was injected
        assert not [e for e in root.iter() if str(e.tag).endswith("svg")], path


@pytest.mark.parametrize("kind, title", [("tags", "Posts tagged"), ("categories", "Category"),
                                         ("authors", "Posts by")])
def test_hostile_names_have_their_pages_and_listings(hostile, kind, title):
    page = soup_of(hostile, f"{kind}/{HOSTILE_SLUG}/index.html")
    assert page.h1.get_text().endswith(HOSTILE)
    assert page.title.get_text().startswith(f"{title} {HOSTILE}")
    assert page.find("meta", property="og:title")["content"].startswith(f"{title} {HOSTILE}")
    listing = soup_of(hostile, f"{kind}/index.html")
    link = listing.find("a", href=f"https://example.org/{kind}/{HOSTILE_SLUG}/")
    assert link.get_text().lstrip("#") == HOSTILE


def test_hostile_names_hold_their_text_on_the_post_page(hostile):
    post = soup_of(hostile, "posts/hostile/index.html")
    assert post.h1.get_text() == HOSTILE and post.title.get_text().startswith(HOSTILE)
    assert post.find("meta", property="og:title")["content"] == HOSTILE
    assert post.find("meta", property="article:author")["content"] == HOSTILE
    assert {m["content"] for m in post.find_all("meta", property="article:tag")} == {HOSTILE, "plain"}
    data = json.loads(post.find("script", type="application/ld+json").string)
    assert data["headline"] == HOSTILE and data["author"][0]["name"] == HOSTILE
    assert HOSTILE in data["keywords"]


def test_hostile_names_hold_their_text_in_feeds_and_sitemap(hostile):
    feed = feedparser.parse((hostile.output / "feeds/all.atom.xml").read_bytes())
    assert not feed.bozo
    [entry] = feed.entries
    assert entry.title == HOSTILE and entry.author == HOSTILE
    assert HOSTILE in {tag.term for tag in entry.tags}
    for kind in ("tags", "categories"):
        own = feedparser.parse((hostile.output / f"feeds/{kind}/{HOSTILE_SLUG}.atom.xml").read_bytes())
        assert not own.bozo and own.feed.title == f"Shane Nolan - {HOSTILE}"
    locs = {e.text for e in ET.parse(hostile.output / "sitemap.xml").getroot().iter() if e.tag.endswith("loc")}
    assert {f"https://example.org/{kind}/{HOSTILE_SLUG}/" for kind in ("tags", "categories", "authors")} <= locs
