"""What a rebuild renders again (blogtools.plugins.speed.render_cache): the byte-equality contract.

A page is reused only when nothing it shows changed, and rendered again whenever
anything it shows changed. These tests pin the decision down where it is made: the
digests of values a template may show (two values a template shows differently must
digest differently; two builds of the same site must digest the same), the site key,
and the check that reuses a page; then a tiny build edits one thing and compares the
rebuild with a cold build.
"""

from __future__ import annotations

import collections
import datetime as dt
import decimal
import functools
import os
import pickle
import posixpath
import re
import shlex
from pathlib import PurePosixPath, PureWindowsPath
from types import SimpleNamespace

import pytest
from jinja2 import DictLoader, Environment, FileSystemLoader, FunctionLoader
from markupsafe import Markup
from pelican.contents import Article, Page, Static
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator
from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Category, Tag
from pelican.utils import SafeDatetime

from blogtools.plugins.site import content_lists
from blogtools.plugins.speed import render_cache as rc
from tests.conftest import tree
from tests.test_render_cache import FORKED, fresh_tree, inodes

SETTINGS = dict(DEFAULT_CONFIG)


def post(name: str = "a", body: str = "<p>Body</p>", kind=Article, **metadata) -> Article:
    metadata.setdefault("title", name.title())
    return kind(body, metadata, settings=SETTINGS, source_path=f"/site/{name}.md", context={})


def digest(*values, outlines: bool = True) -> str:
    canon = rc._Canon()
    for value in values:
        canon.add(value)
    return canon.hexdigest(outlines=outlines)


def differ(*values) -> bool:
    """Whether every value digests differently from every other."""
    digests = [digest(value) for value in values]
    return len(set(digests)) == len(digests)


# --- ref ------------------------------------------------------------------------------------


def test_a_post_is_named_by_its_source_file_or_else_its_output():
    """Posts from files by path; made-up content by the file it is written to."""
    assert rc.ref(post("a")) == "/site/a.md"
    assert rc.ref(SimpleNamespace(source_path=None, save_as="tags/x.html")) == "output:tags/x.html"
    assert rc.ref(SimpleNamespace(source_path="", save_as="x.html")) == "output:x.html"
    assert rc.ref(SimpleNamespace(source_path=None)) == "output:"


# --- values a template shows ------------------------------------------------------------------


def test_values_a_template_shows_differently_digest_differently():
    """1, 1.0 and True are equal in Python but print differently; so do str and Markup."""
    assert differ(1, 1.0, True, "1", Markup("1"), None, "None", b"1", [1], (1,), {1}, frozenset({1}),
                  {1: 1}, collections.OrderedDict({1: 1}), [], (), {}, set(), "", 0, False)
    assert differ("<b>", Markup("<b>"))
    assert differ(["ab", "c"], ["a", "bc"], ["abc"], ["a", "b", "c"])
    assert differ({"a": 1}, {"a": 2}, {"b": 1}, {"a": 1, "b": 2}, {"b": 2, "a": 1})  # a dict's order shows
    assert differ(0.1 + 0.2, 0.3)


def test_equal_values_digest_equally():
    """Two builds make equal values as new objects: a digest never depends on identity."""
    value = lambda: {"a": [1, 2.5, "x", Markup("<b>y</b>"), (None, True)],  # noqa: E731
                     "b": {"c": b"z"}, "d": {3, 4}, "e": dt.date(2021, 1, 2)}
    assert digest(value()) == digest(value())
    assert digest(Markup("x")) == digest(Markup("x"))


def test_dates_times_and_paths_digest_by_what_they_print():
    """A date, its time zone, a duration or a path that prints differently digests differently."""
    utc, plus1 = dt.UTC, dt.timezone(dt.timedelta(hours=1))
    assert differ(dt.date(2021, 1, 2), dt.datetime(2021, 1, 2), SafeDatetime(2021, 1, 2),
                  dt.datetime(2021, 1, 2, tzinfo=utc), dt.datetime(2021, 1, 2, tzinfo=plus1),
                  dt.datetime(2021, 1, 2, 0, 0, 1), dt.time(1), dt.time(2), dt.timedelta(1),
                  dt.timedelta(2), utc, plus1, PurePosixPath("a/b"), PureWindowsPath("a/b"),
                  PurePosixPath("a/c"), b"a/b", "a/b")
    assert digest(dt.datetime(2021, 1, 2, tzinfo=utc)) == digest(dt.datetime(2021, 1, 2, tzinfo=utc))


def test_the_same_object_twice_and_two_equal_objects_are_told_apart_from_other_values():
    """Shared and repeated objects still digest by content: [x, y, x] is not [x, y, y]."""
    x, y = [1], [2]
    assert differ([x, y, x], [x, y, y], [x, x, y])
    loop: list = [1]
    loop.append(loop)
    other: list = [2]
    other.append(other)
    assert differ(loop, other)  # self-containing values finish and keep their content


def test_sets_digest_the_same_in_any_order_and_by_their_items():
    """A set's order varies from build to build and no template can rely on it."""
    assert list({1, 9}) != list({9, 1})  # the same set, iterated in another order
    assert digest({1, 9}) == digest({9, 1})
    assert digest(frozenset({"a", "b"})) == digest(frozenset({"b", "a"}))
    assert differ({1, 9}, {1, 8}, {1}, {"1", 9})


def test_tags_and_categories_digest_by_kind_name_and_address():
    """A tag and a category of one name, or one name at two addresses, are shown differently."""
    tag, category = Tag("Python", SETTINGS), Category("Python", SETTINGS)
    other = Tag("Python", SETTINGS)
    other.slug = "py"
    assert differ(tag, category, other, Tag("Rust", SETTINGS), "Python")
    assert differ(Tag("Python", SETTINGS), Tag("python", SETTINGS))  # one address, two spellings
    assert digest(Tag("Python", SETTINGS)) == digest(Tag("Python", SETTINGS))


def shout(value):
    return str(value).upper()


def whisper(value):
    return str(value).lower()


def wrapped(function):
    @functools.wraps(function)
    def inner(*args, **kwargs):
        return function(*args, **kwargs)
    return inner


class Thing:
    def __init__(self, size):
        self.size = size

    def show(self):
        return self.size

    def hide(self):
        return None


class Other:
    def __init__(self, size):
        self.size = size

    def show(self):
        return -self.size


class Slotted:
    __slots__ = ()


class Point:
    """Printed alike, but behaving differently (no __dict__, so known by its repr)."""
    __slots__ = ()

    def __repr__(self):
        return "P"


class Pixel(Point):
    __slots__ = ()

    def __str__(self):
        return "a pixel"


# Another plugin's class of the same name (its own module): the same attributes, other behaviour.
ForeignThing = type("Thing", (), {"__module__": "another_plugin", "__init__": Thing.__init__})


def test_functions_and_objects_digest_by_name_and_state():
    """Filters and globals are named by module and name; objects by class and attributes."""
    assert differ(shout, whisper, len, abs, int, str, re, os, functools.partial(shout, 1),
                  functools.partial(shout, 2), functools.partial(shout, x=1),
                  functools.partial(whisper, 1), Thing(1).show, Thing(2).show,
                  Other(1).__init__, Thing(1), Thing(2), Other(1), re.compile("a"), re.compile("b"),
                  re.compile("a", re.I), "a")
    assert digest(wrapped(shout)) == digest(shout)
    # One name in two modules, or in two classes, is two functions.
    assert differ(posixpath.join, shlex.join, Thing.show, Other.show)
    assert differ(Thing(1).show, Thing(1).hide, Thing(1), ForeignThing(1), Point(), Pixel())
    # A filter wrapped around a method (as the render cache's own tracing does) counts its object.
    assert differ(wrapped(Thing(1).show), wrapped(Thing(2).show))
    assert digest(wrapped(Thing(1).show)) == digest(wrapped(Thing(1).show))


def test_dict_and_list_subclasses_digest_by_their_items():
    """An OrderedDict or a named tuple shows its items: a changed item shows."""
    pair = collections.namedtuple("pair", "x y")
    assert differ(collections.OrderedDict(a=1), collections.OrderedDict(a=2), collections.OrderedDict(b=1),
                  {"a": 1}, pair(1, 2), pair(1, 3), (1, 2))
    assert digest(collections.OrderedDict(a=1)) == digest(collections.OrderedDict(a=1))
    assert digest(functools.partial(shout, 1)) == digest(functools.partial(shout, 1))
    assert digest(Thing(1).show) == digest(Thing(1).show) and digest(Thing(1)) == digest(Thing(1))
    assert digest(re.compile("a", re.I)) == digest(re.compile("a", re.I))
    assert digest(decimal.Decimal("1.0")) != digest(decimal.Decimal("1.00"))


def test_a_value_known_only_by_its_address_never_digests_the_same_twice():
    """Nothing tells two such values apart, so a page showing one is never reused."""
    assert digest(Slotted()) != digest(Slotted())


def test_text_with_lone_surrogates_digests():
    """File names that are not UTF-8 come in as surrogates; they digest as they are."""
    assert differ("caf\udce9", "caf\udce8", "café")
    canon = rc._Canon()
    canon.add(post("a", "caf\udce9"))
    assert canon.hexdigest()


# --- posts: outline and body ------------------------------------------------------------------


def test_a_post_in_a_value_digests_by_its_outline():
    """A listing showing post titles must change when a title does; not when a body does."""
    listing = digest([post("a"), post("b")])
    assert digest([post("a"), post("b")]) == listing
    assert digest([post("a", title="New"), post("b")]) != listing
    assert digest([post("a"), post("b", subtitle="New")]) != listing
    assert digest([post("b"), post("a")]) != listing  # the order a listing shows
    a, b = post("a"), post("b")
    assert differ([a, b, a], [a, b, b], [a, a, b])  # which post shows where
    assert digest([post("a"), post("c")]) != listing
    assert digest([post("a", "<p>Edited</p>"), post("b", summary="Edited")]) == listing
    assert digest([post("a", kind=Page), post("b")]) != listing
    # Without outlines, a post counts by its name only (a body digest's view).
    assert digest([post("a", title="New")], outlines=False) == digest([post("a")], outlines=False)


def test_an_outline_leaves_out_the_body_settings_and_context_but_keeps_other_metadata():
    """Body edits, settings and context are hashed elsewhere; metadata a template shows is not."""
    base = digest(post("a"))
    edited = post("a")
    edited._content, edited._summary = "<p>Other</p>", "Other"
    edited.headings = ["x"]
    edited.metadata["description"] = "Other"
    edited.settings = {"SITENAME": "Other"}
    edited._context = {"x": 1}
    assert digest(edited) == base
    shown = post("a")
    shown.metadata["subtitle"] = "Shown"
    assert digest(shown) != base
    shown = post("a")
    shown.series = "Shown"
    assert digest(shown) != base


class Special(Article):
    """A plugin's kind of post: its pages may show it differently (its own properties)."""

    @property
    def url(self):
        return f"special/{self.slug}/"


def test_an_outline_counts_the_kind_of_post_and_the_name_of_each_attribute():
    """A post of another class, or a value under another attribute, shows differently."""
    plain, special = post("a"), post("a", kind=Special)
    assert vars(plain).keys() == vars(special).keys()
    assert plain.url != special.url
    assert differ(plain, special)
    series, subtitle = post("a"), post("a")
    series.series, subtitle.subtitle = "x", "x"  # set by a plugin, not in the metadata
    assert differ(series, subtitle)


def test_posts_met_inside_outlines_are_outlined_too_and_chains_finish():
    """prev/next links chain every post: a title far along the chain still counts."""
    chain = [post(f"p{i}") for i in range(3000)]
    for before, after in zip(chain, chain[1:]):
        before.next_article, after.prev_article = after, before
    first = digest(chain[0])
    assert digest(chain[0]) == first
    chain[-1].title = "Renamed"
    assert digest(chain[0]) != first


def test_posts_in_a_set_are_outlined():
    """A set of posts (e.g. related posts) changes when one of their titles does."""
    a, b = post("a"), post("b")
    before = digest({a, b})
    assert digest({b, a}) == before
    b.title = "Renamed"
    assert digest({a, b}) != before


def test_repeated_temporary_values_keep_their_content():
    """Each post's metadata is hashed in full even when an earlier one was freed."""
    posts = [post(f"p{i}", extra=str(i)) for i in range(5)]
    before = digest(posts)
    posts[3].metadata["extra"] = "changed"
    assert digest(posts) != before


def test_the_body_digest_follows_every_body_derived_attribute():
    """HTML, summary, headings, word count, description: any change re-renders what shows it."""
    base = rc.body_digest(post("a"))
    assert rc.body_digest(post("a")) == base
    assert rc.body_digest(post("a", title="Other")) == base  # the outline, not the body
    assert rc.body_digest(post("a", subtitle="Other")) == base
    changes = [lambda p: setattr(p, "_content", "<p>Other</p>"),
               lambda p: setattr(p, "_content", Markup("<p>Body</p>")),
               lambda p: setattr(p, "_summary", "Other"),
               lambda p: setattr(p, "headings", [("h2", "Part")]),
               lambda p: setattr(p, "word_count", 10),
               lambda p: setattr(p, "word_count", 10.0),
               lambda p: p.metadata.update(description="Other"),
               lambda p: p.metadata.update(summary="Other"),
               lambda p: setattr(p, "description", "Other"),
               lambda p: setattr(p, "json_ld", {"a": 1})]
    digests = set()
    for change in changes:
        edited = post("a")
        change(edited)
        digests.add(rc.body_digest(edited))
    assert base not in digests and len(digests) == len(changes)


def test_body_attributes_run_together_are_told_apart():
    """Text moved from the end of one attribute to the start of the next is a change."""
    a, b = post("a"), post("a")
    a._content, a._summary = "<p>ab", "c</p>"
    b._content, b._summary = "<p>a", "bc</p>"
    assert rc.body_digest(a) != rc.body_digest(b)


def test_a_post_without_metadata_has_a_body_digest():
    """Content made up by a plugin may carry no metadata."""
    made_up = SimpleNamespace(_content="<p>x</p>", source_path=None)
    assert rc.body_digest(made_up) == rc.body_digest(SimpleNamespace(_content="<p>x</p>", metadata=None))
    assert rc.body_digest(made_up) != rc.body_digest(SimpleNamespace(_content="<p>y</p>"))


def test_body_values_known_by_address_digest_by_content():
    """Objects in a body attribute digest by what they hold: equal in two builds, else not."""
    a, b, c = post("a"), post("a"), post("a")
    a.json_ld, b.json_ld, c.json_ld = [Thing(1)], [Thing(1)], [Thing(2)]
    assert " at 0x" in repr(a.json_ld)
    assert rc.body_digest(a) == rc.body_digest(b) != rc.body_digest(c)
    # Posts in such a value count by name: a title elsewhere is the site key's business.
    d, e = post("a"), post("a")
    d.json_ld, e.json_ld = [Thing(post("b"))], [Thing(post("b", title="Renamed"))]
    assert rc.body_digest(d) == rc.body_digest(e)


def test_a_body_with_lone_surrogates_digests():
    """Surrogates in a body (or a non-text body value) digest without error, and by content."""
    a = post("a", "caf\udce9")
    a.headings = ["caf\udce9"]
    b = post("a", "caf\udce8")
    b.headings = ["caf\udce9"]
    assert rc.body_digest(a) != rc.body_digest(b)
    c = post("a")
    c.json_ld = [Thing("caf\udce9")]
    d = post("a")
    d.json_ld = [Thing("caf\udce8")]
    assert rc.body_digest(c) != rc.body_digest(d)


class Odd:
    """A value whose repr carries what an undecodable file name becomes."""

    def __repr__(self):
        return "Odd('caf\udce9')"


def test_a_body_value_printing_undecodable_characters_digests():
    """A plugin's value naming a non-UTF-8 file name in a body attribute: no crash, and counted."""
    a, b = post("a"), post("a")
    a.json_ld, b.json_ld = [Odd()], ["caf\udce9"]
    assert rc.body_digest(a) != rc.body_digest(b)


# --- the site key -------------------------------------------------------------------------------


def generator(kind=ArticlesGenerator, items=(), context=None, env=None, **lists):
    made = kind.__new__(kind)
    for name in content_lists(made, static=True):
        setattr(made, name, list(lists.get(name, [])))
    if items:
        setattr(made, content_lists(made, static=True)[0], list(items))
    made.context = {} if context is None else context
    if env is not None:
        made.env = env
    return made


def env_of(templates=None, **filters):
    env = Environment(loader=DictLoader(templates or {"page.html": "{{ x }}"}))
    env.filters.update(filters)
    return env


def key(*generators, context=None):
    return rc.site_key(list(generators), {} if context is None else context)


def test_the_site_key_follows_templates_filters_globals_and_tests():
    """Any template source or Jinja addition may change every page."""
    base = key(generator(env=env_of()))
    assert key(generator(env=env_of())) == base
    assert key(generator(env=env_of({"page.html": "{{ y }}"}))) != base
    assert key(generator(env=env_of({"other.html": "{{ x }}"}))) != base
    assert key(generator(env=env_of(shout=shout))) != base
    globals_ = env_of()
    globals_.globals["extra"] = 1
    assert key(generator(env=globals_)) != base
    tests = env_of()
    tests.tests["loud"] = shout
    assert key(generator(env=tests)) != base
    assert key(generator(env=env_of({"page.html": "{{ x }}"}, a=shout, b=whisper))) == \
        key(generator(env=env_of({"page.html": "{{ x }}"}, b=whisper, a=shout)))
    tests_order = env_of()
    tests_order.tests = dict(reversed(tests_order.tests.items()))
    assert key(generator(env=tests_order)) == base
    assert key(generator()) != base  # no environment at all
    # Each generator has an environment of its own: an edit in any one of them counts.
    two = key(generator(env=env_of()), generator(PagesGenerator, env=env_of({"page.html": "{{ p }}"})))
    assert key(generator(env=env_of({"page.html": "{{ y }}"})),
               generator(PagesGenerator, env=env_of({"page.html": "{{ p }}"}))) != two


def test_the_site_key_reads_theme_files(tmp_path):
    """A theme file edited on disk changes the key; one environment shared by generators counts once."""
    (tmp_path / "page.html").write_text("{{ x }}", encoding="utf-8")
    env = Environment(loader=FileSystemLoader(str(tmp_path)))
    base = key(generator(env=env), generator(PagesGenerator, env=env))
    assert key(generator(env=env), generator(PagesGenerator, env=env)) == base
    (tmp_path / "page.html").write_text("{{ y }}", encoding="utf-8")
    assert key(generator(env=env), generator(PagesGenerator, env=env)) != base


def test_without_a_list_of_templates_there_is_no_site_key():
    """A loader that cannot list its templates: nothing is ever reused."""
    env = Environment(loader=FunctionLoader(lambda name: None))
    assert key(generator(env=env)) is None
    assert key(generator(env=env_of()), generator(PagesGenerator, env=env)) is None


def test_the_site_key_follows_the_context_and_every_outline():
    """Settings, listings and every post's outline count; the output folder does not."""
    a, b = post("a"), post("b")
    base = key(generator(items=[a, b]), context={"SITENAME": "S", "OUTPUT_PATH": "/one"})
    assert key(generator(items=[post("a"), post("b")]),
               context={"SITENAME": "S", "OUTPUT_PATH": "/two"}) == base
    assert key(generator(items=[a, b]), context={"SITENAME": "T", "OUTPUT_PATH": "/one"}) != base
    assert key(generator(items=[b, a]), context={"SITENAME": "S", "OUTPUT_PATH": "/one"}) != base
    assert key(generator(items=[post("a", title="New"), b]),
               context={"SITENAME": "S", "OUTPUT_PATH": "/one"}) != base
    assert key(generator(items=[post("a", "<p>New</p>"), b]),
               context={"SITENAME": "S", "OUTPUT_PATH": "/one"}) == base
    hidden = generator(items=[a, b], drafts=[post("c")])
    assert key(hidden, context={"SITENAME": "S", "OUTPUT_PATH": "/one"}) != base


def test_lookups_filled_in_reading_order_do_not_change_the_site_key():
    """generated_content, static_content and the static files come in the order files are read."""
    a, b = post("a"), post("b")
    pic, css = (Static("", {"title": n}, settings=SETTINGS, source_path=f"/site/{n}", context={})
                for n in ("pic.png", "style.css"))
    one = key(generator(StaticGenerator, staticfiles=[pic, css]),
              context={"generated_content": {"a.md": a, "b.md": b}, "static_content": {"x": 1, "y": 2},
                       "filenames": {"a.md": a, "b.md": b}})
    two = key(generator(StaticGenerator, staticfiles=[css, pic]),
              context={"generated_content": {"b.md": b, "a.md": a}, "static_content": {"y": 2, "x": 1},
                       "filenames": {"b.md": b, "a.md": a}})
    assert one == two
    # Static files are in the key: one renamed changes it.
    moved = Static("", {"title": "pic.png"}, settings=SETTINGS, source_path="/site/pic.png", context={})
    moved.override_save_as = "images/pic.png"
    assert key(generator(StaticGenerator, staticfiles=[moved, css]),
               context={"generated_content": {"a.md": a, "b.md": b}, "static_content": {"x": 1, "y": 2},
                        "filenames": {"a.md": a, "b.md": b}}) != one
    # What they hold counts, in any order.
    assert key(context={"static_content": {"x": 1}}) != key(context={"static_content": {"x": 2}})
    assert key(context={"generated_content": {"a.md": a}}) != \
        key(context={"generated_content": {"a.md": post("a", title="New")}})
    # Other context entries keep their order: a template may show it.
    assert key(context={"MENU": {"x": 1, "y": 2}}) != key(context={"MENU": {"y": 2, "x": 1}})
    assert key(context={"MENU": [a, b]}) != key(context={"MENU": [b, a]})


# --- reusing a page ---------------------------------------------------------------------------


class Site:
    """Builds in miniature: each records what its pages read, then the next one asks."""

    def __init__(self, root):
        self.root = root
        self.live = root / "site"
        self.live.mkdir()
        self.settings = {"CACHE_PATH": str(root / "cache")}
        self.posts = {"a": post("a"), "b": post("b", "<p>Body of b</p>")}
        self.pic = Static("", {"title": "pic"}, settings=SETTINGS, source_path="/site/pic.png", context={})
        self.builds = 0
        self.env = env_of()
        self.context = {"SITENAME": "S"}

    def generators(self):
        return [generator(items=list(self.posts.values()), env=self.env, context=self.context),
                generator(StaticGenerator, items=[self.pic], context=self.context)]

    def cache(self, previous=None):
        self.builds += 1
        staging = self.root / f"staging{self.builds}"
        cache = rc.RenderCache(self.settings, str(staging), str(previous or self.live))
        cache.start(self.generators())
        return cache, staging

    def build(self, pages, previous=None):
        """Render ``pages`` ({relative: (kind, refs read)}) and make them the live output."""
        cache, staging = self.cache(previous)
        jobs = [SimpleNamespace(path=str(staging / relative), kind=kind, deps=set(deps), source=None)
                for relative, (kind, deps) in pages.items()]
        cache.save_pending(jobs)
        for relative in pages:
            (self.live / relative).write_text(f"{relative} {self.builds}", encoding="utf-8")
        return rc.commit(self.settings, str(self.live))

    def reusable(self, relative, kind="page.html", previous=None):
        cache, staging = self.cache(previous)
        return cache.reusable(str(staging / relative), kind)


@pytest.fixture
def mini(tmp_path):
    site = Site(tmp_path)
    assert site.build({"a.html": ("page.html", ["/site/a.md"]), "index.html": ("index.html", []),
                       "both.xml": ("feed:atom:x", ["/site/a.md", "/site/b.md"]),
                       "gallery.html": ("page.html", ["/site/pic.png"])}) == (0, 4)
    return site


def test_an_unchanged_page_is_reused_from_the_live_output(mini):
    """Same site, same post bodies, file untouched: the live file, with what it read."""
    found = mini.reusable("a.html")
    assert found == (str(mini.live / "a.html"), (("/site/a.md", rc.body_digest(post("a"))),))
    assert mini.reusable("index.html", "index.html") == (str(mini.live / "index.html"), ())
    cache, staging = mini.cache()
    assert cache.reusable(str(staging / "a.html"), "page.html")
    assert cache.reusable(str(staging / "both.xml"), "feed:atom:x")
    assert cache.reused == 2
    # A page that was handed a static file (a gallery) is reused too.
    assert mini.reusable("gallery.html")


def test_a_setting_edit_rerenders_every_page(mini):
    """A setting may show on any page: nothing is reused."""
    mini.context = {"SITENAME": "T"}
    assert mini.reusable("a.html") is None and mini.reusable("index.html", "index.html") is None


def test_a_body_edit_rerenders_only_the_pages_that_read_it(mini):
    """Post b's body edited: the feed showing it renders again, a's page does not."""
    mini.posts["b"] = post("b", "<p>Edited</p>")
    assert mini.reusable("both.xml", "feed:atom:x") is None
    assert mini.reusable("a.html")
    assert mini.reusable("index.html", "index.html")
    mini.posts["a"] = post("a", summary="Edited")
    assert mini.reusable("a.html") is None


def test_an_outline_edit_rerenders_every_page(mini):
    """A title shows in listings, links and feeds anywhere: nothing is reused."""
    mini.posts["b"] = post("b", "<p>Body of b</p>", title="Renamed")
    assert mini.reusable("a.html") is None and mini.reusable("index.html", "index.html") is None


def test_a_template_edit_rerenders_every_page(mini):
    mini.env = env_of({"page.html": "{{ x }}!"})
    assert mini.reusable("a.html") is None


def test_a_page_of_another_kind_or_not_in_the_record_is_rendered(mini):
    """The same file now made by another template, or a file new to this build."""
    assert mini.reusable("a.html", "article.html") is None
    assert mini.reusable("both.xml", "feed:rss:x") is None
    assert mini.reusable("new.html") is None


def test_a_touched_or_missing_live_file_is_rendered_again(mini):
    """A hand-edited (even same-size) or deleted output file is never trusted."""
    page = mini.live / "a.html"
    stat = page.stat()
    page.write_text("a.html X", encoding="utf-8")
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert page.stat().st_size == stat.st_size
    assert mini.reusable("a.html") is None
    (mini.live / "index.html").unlink()
    assert mini.reusable("index.html", "index.html") is None
    assert mini.reusable("both.xml", "feed:atom:x")


def test_a_record_of_another_output_folder_is_not_trusted(mini, tmp_path):
    """Pages built for one folder are not reused when building into another."""
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "a.html").write_text("a.html 1", encoding="utf-8")
    assert mini.reusable("a.html", previous=other) is None


def test_a_page_that_read_a_post_the_site_does_not_have_is_rendered_again(mini):
    """A body nobody can digest (a post gone, or never a file) is never assumed unchanged."""
    mini.build({"odd.html": ("page.html", ["/elsewhere/z.md"]), "a.html": ("page.html", ["/site/a.md"])})
    assert mini.reusable("odd.html") is None
    assert mini.reusable("a.html")  # the record of the other pages stands


def test_a_site_without_a_site_key_reuses_nothing_and_records_nothing(mini):
    """A theme whose templates cannot be listed: every page renders, every build."""
    mini.env = Environment(loader=FunctionLoader(lambda name: None))
    assert mini.reusable("a.html") is None
    assert mini.build({"a.html": ("page.html", ["/site/a.md"])}) is None


def test_a_build_without_generators_still_decides(tmp_path):
    """No generators (nothing read yet): a key of the empty site, and nothing recorded to reuse."""
    cache = rc.RenderCache({"CACHE_PATH": str(tmp_path / "cache")}, str(tmp_path / "out"),
                           str(tmp_path / "live"))
    cache.start([])
    assert cache.reusable(str(tmp_path / "out" / "a.html"), "page.html") is None


def test_a_body_digest_is_computed_once_per_post_and_build(mini):
    """Body digests of one build are those of its posts (and None for unknown names)."""
    cache, _ = mini.cache()
    assert cache._ready()
    assert cache.body("/site/a.md") == rc.body_digest(mini.posts["a"])
    assert cache.body("/site/a.md") == rc.body_digest(mini.posts["a"])
    assert cache.body("/site/b.md") == rc.body_digest(mini.posts["b"]) != cache.body("/site/a.md")
    assert cache.body("/elsewhere/z.md") is None


# --- tiny builds ------------------------------------------------------------------------------


@pytest.fixture
def small(tiny_site):
    for i in range(4):
        tiny_site.post(f"post-{i}", f"Opening of post {i}.\n\nClosing of post {i}.",
                       date=f"2021-01-{i + 1:02}T10:00:00Z", tags=[f"t{i % 2}"])
    return tiny_site


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(("edit", "rerendered", "kept"), [
    # A description (body-derived metadata) shows on its own page only (and its feeds).
    (lambda s: _edit(s.content / "posts/post-1.md", 'title = "Post 1"',
                     'title = "Post 1"\ndescription = "A new description."'),
     ["posts/post-1/index.html"], ["posts/post-2/index.html", "tags/t0/index.html"]),
    # A setting every page shows: everything renders again.
    (None, ["posts/post-1/index.html", "posts/post-2/index.html", "tags/t0/index.html"], []),
])
def test_a_rebuild_renders_what_shows_the_edit_and_equals_a_cold_build(small, tmp_path, edit,
                                                                       rerendered, kept):
    """Edit one thing: the pages showing it are new files, the rest are the old ones, and the
    whole output is byte for byte what a build from scratch makes."""
    assert small.build(**FORKED).ok
    before = inodes(small.output)
    overrides = dict(FORKED)
    if edit is None:
        overrides["SITE_DESCRIPTION"] = "Another description."
    else:
        edit(small)
    result = small.build(**overrides)
    assert result.ok, result.problems
    after = inodes(small.output)
    assert all(after[p] != before[p] for p in rerendered)
    assert all(after[p] == before[p] for p in kept)
    assert tree(small.output) == fresh_tree(small, tmp_path / "fresh", **overrides)


def test_what_each_page_read_anything_of_is_recorded_and_handed_back(mini):
    """The posts a page touched (the live preview's title patch renders those pages again)
    come back for the page from the record of the output they live in, and only from it."""
    cache, staging = mini.cache()
    jobs = [SimpleNamespace(path=str(staging / "a.html"), kind="page.html", deps={"/site/a.md"},
                            source=None, touched={"/site/a.md", "/site/b.md"}),
            SimpleNamespace(path=str(staging / "index.html"), kind="index.html", deps=set(),
                            source=None, touched=None)]
    cache.save_pending(jobs)
    rc.commit(mini.settings, str(mini.live))
    cache, staging = mini.cache()
    cache.reusable(str(staging / "a.html"), "page.html")
    assert cache.touched(str(staging / "a.html")) == ("/site/a.md", "/site/b.md")
    assert cache.touched(str(staging / "index.html")) is None  # not noted: unknown, not none
    mini.context = {"SITENAME": "T"}  # another site: its record says nothing of this one
    cache, staging = mini.cache()
    assert cache.reusable(str(staging / "a.html"), "page.html") is None
    assert cache.touched(str(staging / "a.html")) is None


def test_a_record_from_before_touched_pages_were_noted_still_serves(mini):
    """A record written by an older build has no 'touched': pages are reused, touched unknown."""
    path = os.path.join(mini.settings["CACHE_PATH"], rc.RECORD_FILE)
    with open(path, "rb") as handle:
        record = pickle.load(handle)
    record.pop("touched", None)
    with open(path, "wb") as handle:
        pickle.dump(record, handle)
    cache, staging = mini.cache()
    assert cache.reusable(str(staging / "a.html"), "page.html")
    assert cache.touched(str(staging / "a.html")) is None
