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

from blogtools.plugins.pelican_warnings import LOGGERS as WARNING_LOGGERS
from blogtools.plugins.pelican_warnings import WARNINGS, being_processed
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


def _formats_logged(module: str, formats: tuple[str, ...]) -> Callable[[], str | None]:
    """Each format string is a string constant in ``module`` (implicit concatenation joined)."""
    def check():
        import ast

        tree = ast.parse(inspect.getsource(importlib.import_module(module)))
        constants = {node.value for node in ast.walk(tree)
                     if isinstance(node, ast.Constant) and isinstance(node.value, str)}
        missing = [text for text in formats if text not in constants]
        return f"{module} no longer logs {missing}" if missing else None
    return check


def _render_warnings_name_the_content() -> str | None:
    import logging
    import uuid

    from pelican.contents import Article
    from pelican.settings import read_settings
    from pelican.utils import SafeDatetime

    settings = read_settings(None, override={"TIMEZONE": "UTC", "FEED_DOMAIN": "http://x",
                                             "CACHE_CONTENT": False})
    article = Article(f'<a href="{{filename}}/{uuid.uuid4().hex}.md">x</a>',
                      metadata={"title": "T", "date": SafeDatetime(2020, 1, 1)},
                      settings=settings, source_path="/nowhere/post.md",
                      context={"generated_content": {}, "static_content": {}, "localsiteurl": ""})
    found = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: found.append(being_processed()[0])
    logger = logging.getLogger("pelican.contents")
    logger.addHandler(handler)
    try:
        article.get_content("")
    finally:
        logger.removeHandler(handler)
    if found != ["/nowhere/post.md"]:
        return (f"a link Pelican cannot replace is no longer logged with the content being "
                f"rendered on the call stack (found {found})")
    return None


def _limit_filter_can_be_disabled() -> str | None:
    import logging

    missing = [name for name in WARNING_LOGGERS for method in ("disable_filter", "enable_filter")
               if not callable(getattr(logging.getLogger(name), method, None))]
    return f"{missing} lack disable_filter()/enable_filter() (pelican.log.LimitLogger)" \
        if missing else None


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


def _memoized_caches() -> str | None:
    article = _samples()[1]
    for name in ("get_content", "get_summary"):
        getattr(article, name)("")
        cache = getattr(getattr(article, name), "cache", None)
        if not isinstance(cache, dict) or not any(key and key[0] is article for key in cache):
            return f"Content.{name} no longer memoizes in a .cache dict keyed (content, siteurl)"
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
    *(Private(f"{module}: the format strings of its warnings about content",
              "plugins/pelican_warnings.py",
              "matched by logger and format string to put each warning on its file and line",
              _formats_logged(module, tuple(text for name, text in WARNINGS if name == module)),
              wing=False)
      for module in WARNING_LOGGERS),
    Private("pelican.contents:Content._link_replacer: warnings logged with the content on the "
            "call stack", "plugins/pelican_warnings.py",
            "a link Pelican cannot replace is logged without its file; the Content whose "
            "method logs it is the file",
            _render_warnings_name_the_content, wing=False),
    Private("pelican.log:LimitLogger.disable_filter/enable_filter", "plugins/pelican_warnings.py",
            "Pelican's LimitFilter drops a message logged once before in the process, so a "
            "preview rebuild would pass with the same problem; the build dedups instead",
            _limit_filter_can_be_disabled, wing=False),
    Private("jinja2:Environment.getattr/getitem", "speed/render_cache.py",
            "the render cache replaces them on Pelican's environment to note which posts' bodies "
            "a page reads; compiled templates must still call them for every . and []",
            _jinja_looks_up_through_the_environment),
    Private("pelican.utils:memoized.cache (Content.get_content, get_summary)", "commands/patch.py",
            "a post whose body the live preview patched in must not answer from the HTML "
            "memoized for its old body; its entries are dropped from these caches (without them, "
            "a patch fails and the preview builds in full)",
            _memoized_caches, wing=False),
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
