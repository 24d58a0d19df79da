"""Addresses of tags, categories and authors, and the errors that name both uses of a clash.

Unit tests of blogtools.plugins.taxonomy_slugs with plain settings dicts and small
stand-in posts, plus one tiny build for the clash error as the author reads it.
"""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Author, Category, Tag

from blogtools.plugins import taxonomy_slugs as ts
from blogtools.plugins.site import ARTICLE_LISTS, PAGE_LISTS
from tests.conftest import SETTINGS

SUBS = [(r"\+", " plus "), (r"#", " sharp ")] + DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]
PLUGINS = [ts.PLUGIN]


def slug(name, kind="tag", **settings):
    return ts.taxonomy_slug(name, kind, settings)


# --- taxonomy_slug ---------------------------------------------------------------------


def test_each_kind_uses_its_own_substitutions():
    """TAG_/CATEGORY_/AUTHOR_REGEX_SUBSTITUTIONS spell symbols out for that kind only."""
    settings = {"TAG_REGEX_SUBSTITUTIONS": SUBS,
                "SLUG_REGEX_SUBSTITUTIONS": DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]}
    assert slug("C++", "tag", **settings) == "c-plus-plus"
    assert slug("C#", "tag", **settings) == "c-sharp"
    assert slug("C++", "category", **settings) == "c"
    settings = {"CATEGORY_REGEX_SUBSTITUTIONS": SUBS[:1] + SUBS[2:],
                "AUTHOR_REGEX_SUBSTITUTIONS": SUBS[1:]}
    assert slug("C++", "category", **settings) == "c-plus-plus"
    assert slug("C#", "author", **settings) == "c-sharp"
    assert slug("C++", "author", **settings) == "c"


def test_without_a_kind_table_the_slug_table_applies_and_without_either_pelicans_rules():
    """SLUG_REGEX_SUBSTITUTIONS is the fallback; with no table at all a name still slugs."""
    assert slug("C++", "tag", SLUG_REGEX_SUBSTITUTIONS=SUBS) == "c-plus-plus"
    assert slug("Machine Learning") == "machine learning"  # no table: spaces stay, as Pelican
    assert slug("Machine Learning", SLUG_REGEX_SUBSTITUTIONS=SUBS) == "machine-learning"


def test_case_and_unicode_follow_pelicans_slug_settings():
    """SLUGIFY_PRESERVE_CASE keeps case; SLUGIFY_USE_UNICODE keeps accents; default neither."""
    assert slug("Café Noir", SLUG_REGEX_SUBSTITUTIONS=SUBS) == "cafe-noir"
    assert slug("Café Noir", SLUG_REGEX_SUBSTITUTIONS=SUBS, SLUGIFY_PRESERVE_CASE=True) == "Cafe-Noir"
    assert slug("Café Noir", SLUG_REGEX_SUBSTITUTIONS=SUBS, SLUGIFY_USE_UNICODE=True) == "café-noir"


def test_markup_in_a_name_is_slugged_as_its_text():
    """Pelican strips tags to nothing; the address keeps the letters."""
    assert slug("<svg onload=alert(3)>", SLUG_REGEX_SUBSTITUTIONS=SUBS) == "svg-onloadalert3"
    # Markup that leaves text behind keeps Pelican's slug.
    assert slug("<b>Bold</b> move", SLUG_REGEX_SUBSTITUTIONS=SUBS) == "bold-move"


@pytest.mark.parametrize(("name", "expected"), [
    ("🚀", "rocket"),
    ("❤️", "heavy-black-heart"),  # the variation selector names nothing
    ("🚀\t🦀", "rocket-crab"),  # a tab is space, not a character to name
    ("👩\u200d💻", "woman-personal-computer"),  # the joiner names nothing, and more follows
    ("🚀 🦀", "rocket-crab"),
])
def test_a_name_without_letters_is_named_after_its_characters(name, expected):
    """Emoji and symbols get the Unicode names of their visible characters."""
    assert slug(name, SLUG_REGEX_SUBSTITUTIONS=SUBS) == expected


def test_a_character_without_a_unicode_name_is_no_slug():
    """A private-use character says which one has no name."""
    with pytest.raises(ts.NoSlug, match=r"^U\+E000 has no Unicode name$"):
        slug("\ue000", SLUG_REGEX_SUBSTITUTIONS=SUBS)
    with pytest.raises(ts.NoSlug, match=r"^U\+0378 has no Unicode name$"):
        slug("🚀\u0378")


def test_a_name_of_invisible_characters_is_no_slug():
    """Only joiners and selectors: nothing to name."""
    with pytest.raises(ts.NoSlug, match="^its characters are all invisible$"):
        slug("\u200d\ufe0f")


# --- same_name, find_clashes --------------------------------------------------------------


def test_one_name_written_twice_differs_only_in_case_spacing_or_compatibility_form():
    """Case (full case folding), runs of spaces and NFKC forms make no new name."""
    assert ts.same_name("Machine  Learning ", "machine learning")
    assert ts.same_name("STRASSE", "straße")
    assert ts.same_name("ﬁsh", "fish")
    assert not ts.same_name("C++", "C")
    assert not ts.same_name("machine-learning", "machine learning")


def use(name, slug_, kind="tag", where="a.md"):
    return ts.Use(kind, name, slug_, SimpleNamespace(source_path=where))


def test_clashes_are_one_pair_per_name_at_its_first_use():
    """Each different name sharing an earlier name's slug is reported once, against that name."""
    cpp, c, c_again, cpp_lower, c_bang = (use("C++", "c", where="a.md"), use("C", "c", where="b.md"),
                                          use("c", "c", where="c.md"), use("c++", "c", where="d.md"),
                                          use("c!", "c", where="e.md"))
    assert ts.find_clashes([cpp, c, c_again, cpp_lower, c_bang, use("C!", "c")]) == [
        (c, cpp), (c_bang, cpp)]
    # Another name with its own slug, or the same slug of another kind, is no clash.
    assert ts.find_clashes([cpp, use("C", "c", kind="category"), use("C#", "c-sharp"),
                            use("c++", "c")]) == []


# --- where a name is written -------------------------------------------------------------------


@pytest.mark.parametrize(("text", "head"), [
    ('+++\ntitle = "A"\n+++\n\n+++\ntags = ["x"]\n', '+++\ntitle = "A"\n'),
    ("---  \ntitle: A\n---\t\nBody.\n\n---\ntags: [x]\n---\n", "---  \ntitle: A\n"),
    ("\ufeff---\ntitle: A\n---\nBody.\n", "\ufeff---\ntitle: A\n"),
    ("---\ntitle: A\n--- no\n---\n", "---\ntitle: A\n--- no\n"),
    ("---\ntitle: A\ntags: [x]\n", "---\ntitle: A\ntags: [x]\n"),  # never closed: all of it
    ("+++\ntitle: A\n---\n", "+++\ntitle: A\n---\n"),  # a fence closes only its own kind
    ("Title: A\nTags: x\n\nBody.\n\nTags: y\n\nMore.\n", "Title: A\nTags: x"),
    ("x---\ntitle: A\n---\n\nBody.\n", "x---\ntitle: A\n---"),  # not a fence: header lines
])
def test_the_front_matter_is_the_fenced_block_or_the_header_lines(text, head):
    """Only the front matter names a post's tags: never its body."""
    assert ts.front_matter(text) == head


@pytest.mark.parametrize(("text", "kind", "name", "line"), [
    ('+++\ntitle = "C"\ntags = ["C++", "C"]\n+++\n', "tag", "C", 3),
    ("---\ntitle: C\ntags:\n  - C++\n  - C\n---\n", "tag", "C", 5),
    ("Title: C\nTags:\n- C++\n- C\n\nC body.\n", "tag", "C", 4),  # last header line
    ("---\ntags: ['C++', 'C']\n---\n", "tag", "C", 2),
    ('+++\ntags = ["C++"]\n+++\n\nC++ and C.\n', "tag", "C", 2),  # only the key's line is known
    ("---\nTAGS : [python]\n---\n", "tag", "python", 2),
    ('+++\ntitle = "x"\n\t categories = ["Python"]\n+++\n', "category", "Python", 3),
    ("---\ntitle: Notes\ncategory: Notes\n---\n", "category", "Notes", 3),
    ("---\ntitle: Ada\nauthors:\n  - Ada\n---\n", "author", "Ada", 4),
    ('+++\ntitle = "Ada"\nauthor = "Ada"\n+++\n', "author", "Ada", 3),
    ("---\ntitle: C\n---\n\ntags: [C]\n", "tag", "C", None),
    ("---\ntitle: C\ncategory: C\n---\n", "tag", "C", None),
    ("---\ntitle: C\nsubtags: [C]\n---\n", "tag", "C", None),
])
def test_the_line_naming_a_name_is_found_in_the_front_matter(text, kind, name, line):
    """Errors point at the line that names the tag, category or author."""
    assert ts.name_line(text, kind, name) == line


def test_the_line_falls_back_to_the_key_when_the_name_is_spelt_otherwise():
    """A name not written as it is read still points at its key's line."""
    assert ts.name_line("---\ntitle: x\ntags: [c++]\n---\n", "tag", "C++") == 3
    assert ts.name_line("---\ntitle: x\n  tags: [c++]\n---\n", "tag", "C++") == 3


def test_kinds_of_lists_tags_category_and_authors():
    """Every name a post carries, each with its kind."""
    post = SimpleNamespace(tags=["t1", "t2"], category="cat", authors=["a1"])
    assert list(ts.kinds_of(post)) == [("tag", "t1"), ("tag", "t2"), ("category", "cat"),
                                       ("author", "a1")]
    assert list(ts.kinds_of(SimpleNamespace(tags=None, category=None, authors=None))) == []
    assert list(ts.kinds_of(SimpleNamespace())) == []


def post(path, settings=None, **names):
    return SimpleNamespace(source_path=str(path) if path else path, settings=settings or {}, **names)


def test_locate_reads_the_source_with_or_without_a_byte_order_mark(tmp_path):
    """The line is found in the file; a BOM or a missing/unreadable file still gives a line."""
    source = tmp_path / "a.md"
    source.write_text("\ufeff---\ntitle: A\ntags:\n  - x\n  - C\n---\n", encoding="utf-8")
    assert ts.locate(post(source), "tag", "C") == (5, "")
    assert ts.locate(post(source), "tag", "nothing-like-it") == (3, "")
    assert ts.locate(post(tmp_path / "missing.md"), "tag", "C") == (1, "")
    assert ts.locate(post(None), "tag", "C") == (1, "")
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"---\ntags: [\xff]\n---\n")
    assert ts.locate(post(bad), "tag", "C") == (1, "")


def test_locate_says_when_a_setting_supplied_the_name(tmp_path):
    """A category or author from DEFAULT_CATEGORY / AUTHOR is named as coming from it."""
    source = tmp_path / "a.md"
    source.write_text("---\ntitle: A\n---\nBody.\n", encoding="utf-8")
    settings = {"DEFAULT_CATEGORY": "Notes", "AUTHOR": "Ada"}
    assert ts.locate(post(source, settings), "category", "Notes") == (
        1, " (from the DEFAULT_CATEGORY setting)")
    assert ts.locate(post(source, settings), "author", "Ada") == (1, " (from the AUTHOR setting)")
    assert ts.locate(post(source, settings), "author", "Bob") == (1, "")
    assert ts.locate(post(source, {"Notes": "Notes"}), "tag", "Notes") == (1, "")
    # Written in the file, it is the file's line even if the setting says the same.
    source.write_text("---\ntitle: A\ncategory: Notes\n---\nBody.\n", encoding="utf-8")
    assert ts.locate(post(source, settings), "category", "Notes") == (3, "")


def test_a_byte_order_mark_does_not_hide_the_first_header_line(tmp_path):
    """A header-style file starting with a BOM and "Category: Notes" names it on line 1 itself."""
    source = tmp_path / "a.md"
    source.write_text("\ufeffCategory: Notes\nTitle: A\n\nBody.\n", encoding="utf-8")
    assert ts.locate(post(source, {"DEFAULT_CATEGORY": "Notes"}), "category", "Notes") == (1, "")


def test_the_plugin_acts_only_when_listed():
    """Pelican's bare defaults or another plugin list leave slugs to Pelican."""
    assert ts.active({"PLUGINS": PLUGINS})
    assert ts.active({"PLUGINS": ["x", __import__(ts.PLUGIN, fromlist=["x"])]})
    assert not ts.active({"PLUGINS": None})
    assert not ts.active({"PLUGINS": ["blogtools.plugins.seo"]})
    assert not ts.active({})


# --- as posts are read ----------------------------------------------------------------------


def settings_with(**extra):
    return {**DEFAULT_CONFIG, "PLUGINS": PLUGINS, "TAG_REGEX_SUBSTITUTIONS": SUBS,
            "CATEGORY_REGEX_SUBSTITUTIONS": SUBS, "AUTHOR_REGEX_SUBSTITUTIONS": SUBS, **extra}


def test_each_name_gets_its_address_as_the_post_is_read(tmp_path):
    """Tags, category and authors of a post are slugged by this plugin's rules."""
    settings = settings_with()
    item = post(tmp_path / "a.md", settings, tags=[Tag("C++", settings), Tag("🚀", settings)],
                category=Category("C#", settings), authors=[Author("<b>", settings)])
    ts.content_object_init(item)
    assert [t.slug for t in item.tags] == ["c-plus-plus", "rocket"]
    assert item.category.slug == "c-sharp" and item.authors[0].slug == "b"
    assert item.tags[0].url == "tag/c-plus-plus.html"
    # Without the plugin in PLUGINS, Pelican's slugs stand.
    plain = dict(settings, PLUGINS=["other"])
    item = post(tmp_path / "a.md", plain, tags=[Tag("🚀", plain)])
    ts.content_object_init(item)
    assert item.tags[0].slug == ""


def test_a_name_that_has_no_slug_is_an_error_on_its_line(tmp_path, caplog):
    """file:line, the name, why, and what to write instead; the build keeps a placeholder."""
    source = tmp_path / "a.md"
    source.write_text('+++\ntitle = "A"\ntags = ["fine", "\ue000\ue001"]\n+++\n', encoding="utf-8")
    settings = settings_with(DEFAULT_CATEGORY="\u200d")
    item = post(source, settings, tags=[Tag("fine", settings), Tag("\ue000\ue001", settings)],
                category=Category("\u200d", settings))
    with caplog.at_level(logging.ERROR, logger=ts.__name__):
        ts.content_object_init(item)
    assert [r.getMessage() for r in caplog.records] == [
        f"{source}:3: tag '\\ue000\\ue001' has no letters or digits and U+E000 has no Unicode name, "
        "so no address can be made from it (write the tag in words instead, e.g. \"rocket\" for 🚀)",
        f"{source}:1: category '\\u200d' (from the DEFAULT_CATEGORY setting) has no letters or digits "
        "and its characters are all invisible, so no address can be made from it "
        "(write the category in words instead, e.g. \"rocket\" for 🚀)"]
    assert [r.levelno for r in caplog.records] == [logging.ERROR] * 2
    # Placeholders distinct per name, never empty, so Pelican has nothing more to say.
    assert [t.slug for t in item.tags] == ["fine", "ue000-ue001"]
    assert item.category.slug == "u200d"
    empty = Tag("x", settings)
    empty.name = ""
    ts.content_object_init(post(source, settings, tags=[empty]))
    assert empty.slug == "-"


# --- feeds -------------------------------------------------------------------------------------


def test_feed_addresses_follow_the_feed_settings():
    """Atom and RSS, each at its _URL if set, else at its path."""
    settings = {"TAG_FEED_ATOM": "feeds/tags/{slug}.atom.xml", "TAG_FEED_RSS": "feeds/{slug}.rss",
                "TAG_FEED_RSS_URL": "/rss/{slug}/", "CATEGORY_FEED_ATOM": None}
    assert list(ts.feed_addresses(settings, "tag", "c")) == ["feeds/tags/c.atom.xml", "/rss/c/"]
    assert list(ts.feed_addresses(settings, "category", "c")) == []
    assert list(ts.feed_addresses({"AUTHOR_FEED_RSS": "a/{slug}.xml",
                                   "AUTHOR_FEED_ATOM_URL": "x/{slug}"}, "author", "ada")) == [
        "a/ada.xml"]


class Feed:
    def __init__(self, url, title="Pelican's title"):
        self.feed = {"feed_url": url, "title": title}


def titles(settings, *uses):
    titles = ts.FeedTitles()
    titles.collect(settings, uses)
    return titles


FEED_SETTINGS = {"TAG_FEED_ATOM": "feeds/tags/{slug}.atom.xml", "CATEGORY_FEED_RSS": "/cat/{slug}.xml"}


def test_a_feed_whose_name_pelican_would_read_as_html_is_titled_with_the_name_as_text():
    """The tag feed of "<svg onload=alert(3)>" is titled "Site - <svg onload=alert(3)>"."""
    feeds = titles(FEED_SETTINGS, use("<svg onload=alert(3)>", "svg"), use("AT&amp;T", "att", "category"),
                   use("Plain  name", "plain"), use("a < b", "ab"))
    assert feeds.names == {"feeds/tags/svg.atom.xml": "<svg onload=alert(3)>", "cat/att.xml": "AT&amp;T",
                           "feeds/tags/plain.atom.xml": "Plain  name", "feeds/tags/ab.atom.xml": "a < b"}
    context = {"SITENAME": "My <i>Site</i>"}
    for url, title in (("https://example.org/feeds/tags/svg.atom.xml", "My Site - <svg onload=alert(3)>"),
                       ("http://127.0.0.1:8000/cat/att.xml", "My Site - AT&amp;T"),
                       ("feeds/tags/ab.atom.xml", "Pelican's title"),  # Pelican keeps it
                       ("https://example.org/feeds/tags/plain.atom.xml", "Pelican's title"),
                       ("https://example.org/feeds/tags/other.atom.xml", "Pelican's title"),
                       ("https://example.org/x/feeds/tags/svg.atom.xml.gz", "Pelican's title"),
                       ("", "Pelican's title"), (None, "Pelican's title")):
        feed = Feed(url)
        feeds.feed_generated(context, feed)
        assert feed.feed["title"] == title, url


def test_feed_titles_before_any_build_leave_feeds_alone():
    """Nothing collected yet: every feed keeps Pelican's title."""
    feed = Feed("https://example.org/feeds/tags/svg.atom.xml")
    ts.FeedTitles().feed_generated({"SITENAME": "S"}, feed)
    assert feed.feed["title"] == "Pelican's title"


def test_a_feed_address_in_a_capitalised_folder_is_found():
    """Only the leading slash of a feed address is dropped, never its letters."""
    feeds = titles({"TAG_FEED_RSS": "/XML/{slug}.xml"}, use("<i>", "i"))
    assert feeds.names == {"XML/i.xml": "<i>"}
    feed = Feed("https://example.org/XML/i.xml")
    feeds.feed_generated({"SITENAME": "S"}, feed)
    assert feed.feed["title"] == "S - <i>"


def test_the_feed_title_collapses_spaces_in_the_name_as_pelican_does():
    """A hostile name with runs of spaces is titled with single spaces."""
    feeds = titles(FEED_SETTINGS, use("<b>  x\n y", "bxy"))
    feed = Feed("https://example.org/feeds/tags/bxy.atom.xml")
    feeds.feed_generated({"SITENAME": "S"}, feed)
    assert feed.feed["title"] == "S - <b> x y"


# --- after all posts are read: clashes ----------------------------------------------------------


def generators(*items, kind=ArticlesGenerator, lists=ARTICLE_LISTS):
    generator = kind.__new__(kind)
    for name in lists:
        setattr(generator, name, [])
    getattr(generator, lists[0]).extend(items)
    return [generator]


def test_two_names_sharing_a_slug_are_an_error_naming_both_files_and_lines(tmp_path, caplog):
    """The later file (in path order) is blamed, pointing at the first with file:line."""
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text('+++\ntitle = "A"\ntags = ["x", "C"]\n+++\n', encoding="utf-8")
    b.write_text("---\ntitle: B\ntags:\n  - C++\n  - c!\n---\n", encoding="utf-8")
    settings = settings_with(TAG_REGEX_SUBSTITUTIONS=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"],
                             DEFAULT_CATEGORY="Misc", TAG_FEED_ATOM="t/{slug}.xml")

    def item(path, *tags, category="Misc"):
        return post(path, settings, tags=[Tag(t, settings) for t in tags],
                    category=Category(category, settings), authors=[])

    # Listed b first: the order of the files, not of the list, decides who is first.
    second, first = item(b, "C++", "c!", category="misc!"), item(a, "x", "C")
    with caplog.at_level(logging.ERROR, logger=ts.__name__):
        ts.all_generators_finalized(generators(second, first))
    hint = "(rename one of them, or spell the difference out in {} in pelicanconf.py)"
    assert [r.getMessage() for r in caplog.records] == [
        f"{b}:4: tag 'C++' gets the address of tag 'C' ({a}:3): both are slugged 'c' "
        + hint.format("TAG_REGEX_SUBSTITUTIONS"),
        f"{b}:5: tag 'c!' gets the address of tag 'C' ({a}:3): both are slugged 'c' "
        + hint.format("TAG_REGEX_SUBSTITUTIONS"),
        f"{b}:1: category 'misc!' gets the address of category 'Misc' (from the DEFAULT_CATEGORY "
        f"setting) ({a}:1): both are slugged 'misc' " + hint.format("CATEGORY_REGEX_SUBSTITUTIONS")]
    assert ts.FEED_TITLES.names == {"t/x.xml": "x", "t/c.xml": "c!", "feeds/misc.atom.xml": "misc!"}


def test_a_clash_with_a_name_on_content_without_a_source_file_is_still_reported(tmp_path, caplog):
    """Content a plugin made up (no source file) is the first use; the author's file is blamed."""
    settings = settings_with()
    source = tmp_path / "b.md"
    source.write_text('+++\ntitle = "B"\ntags = ["c!"]\n+++\n', encoding="utf-8")
    made_up = post(None, settings, tags=[Tag("C", settings)])
    with caplog.at_level(logging.ERROR, logger=ts.__name__):
        ts.all_generators_finalized(generators(post(source, settings, tags=[Tag("c!", settings)]),
                                               made_up))
    assert [r.getMessage() for r in caplog.records] == [
        f"{source}:3: tag 'c!' gets the address of tag 'C' (<unknown file>:1): both are slugged 'c' "
        "(rename one of them, or spell the difference out in TAG_REGEX_SUBSTITUTIONS in pelicanconf.py)"]


def test_pages_count_and_a_build_without_the_plugin_checks_nothing(tmp_path, caplog):
    """Pages' names clash too; without the plugin (or with no content) nothing is checked."""
    settings = settings_with(TAG_FEED_ATOM="t/{slug}.xml")
    one = post(tmp_path / "a.md", settings, tags=[Tag("C", settings)])
    two = post(tmp_path / "b.md", settings, tags=[Tag("c!", settings)])
    ts.FEED_TITLES.names = {"stale": "name"}
    with caplog.at_level(logging.ERROR, logger=ts.__name__):
        ts.all_generators_finalized(generators(one, kind=PagesGenerator, lists=PAGE_LISTS))
        assert ts.FEED_TITLES.names == {"t/c.xml": "C"} and not caplog.records
        ts.all_generators_finalized(generators(one, two, kind=PagesGenerator, lists=PAGE_LISTS))
        assert len(caplog.records) == 1
        caplog.clear()
        ts.all_generators_finalized(generators())
        assert ts.FEED_TITLES.names == {}
        ts.FEED_TITLES.names = {"stale": "name"}
        off = dict(settings, PLUGINS=["other"])
        ts.all_generators_finalized(generators(post(tmp_path / "a.md", off, tags=[Tag("C", off)]),
                                               post(tmp_path / "b.md", off, tags=[Tag("C++", off)])))
        assert ts.FEED_TITLES.names == {} and not caplog.records


def test_a_clash_with_the_default_category_fails_the_build_naming_both(tiny_site):
    """A tiny build: the author reads file:line of both uses, and the setting that named one."""
    a = tiny_site.post("a", tags=["x"])
    b = tiny_site.write("posts/b.md", "---\ntitle: B\ndate: 2021-01-03\ntags: [y]\n"
                                      "category: notes!\n---\n\nB.\n")
    result = tiny_site.build(SETTINGS)
    assert not result.ok
    assert result.problems == [
        f"{b}:5: category 'notes!' gets the address of category 'Notes' (from the DEFAULT_CATEGORY "
        f"setting) ({a}:1): both are slugged 'notes' (rename one of them, or spell the difference "
        "out in CATEGORY_REGEX_SUBSTITUTIONS in pelicanconf.py)"]
