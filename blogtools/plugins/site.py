"""What the site's plugins share: its content objects, its public address, the build's plugins.

Every plugin that walks "all the posts and pages" uses :func:`all_content`, so
none of them skips a hidden page or a draft's translation that another sees.
Pelican's signals outlive a build in one process (the live preview, the
tests), so a plugin acts on a build only if :func:`plugin_names` lists it; a
plugin that needs another declares it with :func:`needs`.
"""

from __future__ import annotations

import sys

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator, StaticGenerator

# Pelican 4.12's lists of content objects, by generator.
ARTICLE_LISTS = ("articles", "translations", "hidden_articles", "hidden_translations",
                 "drafts", "drafts_translations")
PAGE_LISTS = ("pages", "translations", "hidden_pages", "hidden_translations",
              "draft_pages", "draft_translations")
STATIC_LISTS = ("staticfiles",)
DRAFT_LISTS = frozenset({"drafts", "drafts_translations", "draft_pages", "draft_translations"})
# Plugin → the plugins it needs, as declared by needs().
_NEEDS: dict[str, tuple[str, ...]] = {}


class MissingPlugin(Exception):
    """A plugin listed in ``PLUGINS`` without a plugin it needs."""


def content_lists(generator, *, static: bool = False) -> tuple[str, ...]:
    """The names of ``generator``'s lists of content objects (none for other generators)."""
    if isinstance(generator, ArticlesGenerator):
        return ARTICLE_LISTS
    if isinstance(generator, PagesGenerator):
        return PAGE_LISTS
    if static and isinstance(generator, StaticGenerator):
        return STATIC_LISTS
    return ()


def all_content(generators, *, static: bool = False):
    """Every article and page of the build, published, hidden or draft, with every
    translation; with ``static``, every static file too."""
    for generator in generators:
        for name in content_lists(generator, static=static):
            yield from getattr(generator, name)


def public_base(settings) -> str:
    """The site's absolute address, for canonical links, sharing tags, sitemap and robots.txt.

    ``SITEURL`` when it is absolute (a published build), else ``PUBLIC_URL``
    (a local build still names the public address in tags that must be absolute).
    """
    siteurl = settings.get("SITEURL") or ""
    base = siteurl if "://" in siteurl else settings.get("PUBLIC_URL") or siteurl
    return base.rstrip("/")


def note(text: str) -> None:
    """Tell the author something that does not fail the build: one ``note:`` line on stderr
    (the build fails on every logged warning, so a note is not logged)."""
    print(f"note: {text}", file=sys.stderr, flush=True)


def plugin_names(settings) -> list[str]:
    """The module names in a build's ``PLUGINS`` (Pelican accepts names or modules)."""
    return [getattr(p, "__name__", p) for p in settings.get("PLUGINS") or ()]


def needs(plugin: str, *required: str) -> None:
    """Make a build that lists ``plugin`` without each of ``required`` stop at its start,
    naming what to add. Call from the plugin's ``register()``."""
    _NEEDS[plugin] = required
    signals.initialized.connect(_check_needs)


def _check_needs(pelican) -> None:
    names = plugin_names(pelican.settings)
    for plugin, required in _NEEDS.items():
        missing = [name for name in required if name not in names]
        if plugin in names and missing:
            raise MissingPlugin(
                f"PLUGINS: {plugin} needs {', '.join(missing)} "
                f"(add {', '.join(repr(name) for name in missing)} to PLUGINS)")
