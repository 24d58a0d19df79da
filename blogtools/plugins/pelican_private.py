"""Every private or undocumented Pelican (or Jinja) name our plugins use: who, why, and a check.

Pelican documents its signals, settings and the attributes templates read.
A few things need more: a plugin that rewrites a post's HTML must set
``Content._content`` (there is no setter), and the speed wing retypes parts of
Pelican 4.12's writer. Each such name is listed here once. :func:`problems`
checks that each still exists with the shape we use, and that the Pelican
functions whose logic ``speed/parallel_writer.py`` copies are the very source
it was written against (a digest of each). ``tests/test_pelican_private.py``
fails with the list when anything changed, and the speed wing turns itself
off (plain Pelican, same site, slower) when a name it needs is gone.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from blogtools.plugins.unique_urls import PELICAN_CLASH_WARNINGS


@dataclass(frozen=True)
class Private:
    name: str
    users: str
    why: str
    check: Callable[[], str | None]
    wing: bool = True  # the speed wing needs it; without it, the wing is off


def _resolve(dotted: str):
    module_name, _, rest = dotted.partition(":")
    value = importlib.import_module(module_name)
    for part in rest.split("."):
        value = getattr(value, part)
    return value


def _signature(dotted: str, parameters: tuple[str, ...]) -> Callable[[], str | None]:
    def check():
        try:
            found = tuple(inspect.signature(_resolve(dotted)).parameters)
        except (AttributeError, ImportError) as error:
            return f"{dotted} is gone ({error})"
        if found != parameters:
            return f"{dotted} takes {found}, not {parameters}"
        return None
    return check


def _source(dotted: str, digest: str) -> Callable[[], str | None]:
    def check():
        try:
            source = inspect.getsource(_resolve(dotted))
        except (AttributeError, ImportError, OSError, TypeError) as error:
            return f"{dotted}: no source to compare ({error})"
        found = hashlib.sha256(source.encode()).hexdigest()[:16]
        if found != digest:
            return f"{dotted} changed (source digest {found}, written against {digest})"
        return None
    return check


@cache
def _samples():
    """A Writer, an Article and a Readers made with Pelican's default settings."""
    from pelican.contents import Article
    from pelican.readers import Readers
    from pelican.settings import read_settings
    from pelican.utils import SafeDatetime
    from pelican.writers import Writer

    # Settings that make Pelican log nothing (a warning would fail a build).
    settings = read_settings(None, override={"TIMEZONE": "UTC", "FEED_DOMAIN": "http://x",
                                             "CACHE_CONTENT": False})
    article = Article("<p>x</p>", metadata={"title": "T", "date": SafeDatetime(2020, 1, 1)},
                      settings=settings, source_path="x.md", context={})
    return Writer(tempfile.gettempdir(), settings=settings), article, Readers(settings)


def _attribute(sample: int, name: str, kind: type) -> Callable[[], str | None]:
    def check():
        value = vars(_samples()[sample]).get(name)
        if not isinstance(value, kind):
            owner = type(_samples()[sample]).__name__
            return f"{owner}().{name} is {type(value).__name__}, not {kind.__name__}"
        return None
    return check


def _logged_by(module: str, texts: tuple[str, ...]) -> Callable[[], str | None]:
    def check():
        source = inspect.getsource(importlib.import_module(module))
        missing = [text for text in texts if text not in source]
        return f"{module} no longer logs {missing}" if missing else None
    return check


def _jinja_looks_up_through_the_environment() -> str | None:
    from jinja2 import Environment

    env, seen = Environment(), []
    plain_getattr, plain_getitem = env.getattr, env.getitem
    env.getattr = lambda obj, name: seen.append(("attr", name)) or plain_getattr(obj, name)
    env.getitem = lambda obj, key: seen.append(("item", key)) or plain_getitem(obj, key)
    env.from_string("{{ post.body }}{{ post['title'] }}").render(post={"body": "", "title": ""})
    if ("attr", "body") not in seen or ("item", "title") not in seen:
        return "Jinja templates no longer look attributes up through Environment.getattr/getitem"
    return None


def _override_honoured() -> str | None:
    article = _samples()[1]
    article.override_url = "pinned/"
    try:
        if article.url != "pinned/":
            return "Content.override_url is no longer what Content.url returns"
    finally:
        del article.override_url
    return None


PRIVATE = (
    Private("pelican.contents:Content._content", "plugins/root_links.py, reading_time.py, toc.py, "
            "speed/parallel_writer.py, speed/render_cache.py",
            "the rendered HTML before Pelican's link replacement; the only place a plugin can "
            "rewrite a post's HTML or read it without side effects (Content.content replaces "
            "{filename} links and attaches files)",
            _attribute(1, "_content", str), wing=False),
    Private("pelican.contents:Content.__dict__", "speed/render_cache.py",
            "vars(content) lists every attribute plugins set, for the outline hash; "
            "'settings', '_context' and 'metadata' must live there",
            lambda: next((f"Article().{n} is not in vars()" for n in ("settings", "_context", "metadata")
                          if n not in vars(_samples()[1])), None)),
    Private("pelican.contents:Content.override_url", "speed/fixed_urls.py",
            "what url:/save_as: metadata set; pinning url and save_as once saves recomputing "
            "them 27,000 times on a 1,000-post site",
            _override_honoured),
    Private("pelican.writers:Writer._create_new_feed", "speed/parallel_writer.py",
            "builds a feed object exactly as Pelican does, to serialise it later in another process",
            _signature("pelican.writers:Writer._create_new_feed",
                       ("self", "feed_type", "feed_title", "context"))),
    Private("pelican.writers:Writer._add_item_to_the_feed", "speed/parallel_writer.py",
            "adds each entry exactly as Pelican does",
            _signature("pelican.writers:Writer._add_item_to_the_feed", ("self", "feed", "item"))),
    Private("pelican.writers:Writer._written_files", "speed/parallel_writer.py",
            "Pelican's record of files written, kept so its overwrite checks still hold",
            _attribute(0, "_written_files", set)),
    Private("pelican.writers:Writer._overridden_files", "speed/parallel_writer.py",
            "Pelican's record of files overridden (override_output), likewise",
            _attribute(0, "_overridden_files", set)),
    Private("pelican.writers:Writer._open_w", "speed/parallel_writer.py",
            "ParallelWriter._claim retypes its bookkeeping (not its writing)",
            _source("pelican.writers:Writer._open_w", "69700ea0b4668663")),
    Private("pelican.writers:Writer.write_file", "speed/parallel_writer.py",
            "ParallelWriter.write_file retypes its pagination and context, queueing instead of "
            "writing",
            _source("pelican.writers:Writer.write_file", "6a604ad67bbeec99")),
    Private("pelican.writers:Writer.write_feed", "speed/parallel_writer.py",
            "ParallelWriter.write_feed retypes its set-up of site_url, feed_domain and feed_url",
            _source("pelican.writers:Writer.write_feed", "a3b5bc0d0a446c10")),
    Private("pelican.cache:FileStampDataCacher.get_cached_data", "speed/prerender.py",
            "asks the content cache whether a file will be read from it, so only files that "
            "will really be rendered go to the pool",
            _signature("pelican.cache:FileStampDataCacher.get_cached_data",
                       ("self", "filename", "default"))),
    Private("pelican.utils: the warning texts of a slug clash", "plugins/unique_urls.py",
            "filtered out, because unique_urls reports the same clash with the file and line",
            _logged_by("pelican.utils", PELICAN_CLASH_WARNINGS),
            wing=False),
    Private("jinja2:Environment.getattr/getitem", "speed/render_cache.py",
            "the render cache replaces them on Pelican's environment to note which posts' bodies "
            "a page reads; compiled templates must still call them for every . and []",
            _jinja_looks_up_through_the_environment),
    Private("pelican.readers:Readers.readers", "speed/prerender.py",
            "the reader instance for each file extension, to hand it the bodies rendered ahead",
            _attribute(2, "readers", dict)),
)


def problems(*, wing_only: bool = False) -> list[str]:
    """One line per listed name that is gone or changed shape; [] when all hold."""
    found = []
    for private in PRIVATE:
        if wing_only and not private.wing:
            continue
        try:
            problem = private.check()
        except Exception as error:
            problem = f"{private.name}: checking it raised {type(error).__name__}: {error}"
        if problem:
            found.append(f"{problem} [used by {private.users}]")
    return found
