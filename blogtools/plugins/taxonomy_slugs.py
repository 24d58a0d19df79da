"""Every tag, category and author name gets an address of its own, or the build says why not.

Pelican makes a name's slug by deleting every character that is not a letter,
digit, space or hyphen, and puts names with one slug on one page: ``C++``, ``C#``
and ``C`` all become ``tags/c/``, silently. This plugin settles each name's slug
once, as each post is read, and then checks them all:

* Pelican's own slug first, with the site's ``TAG_REGEX_SUBSTITUTIONS``,
  ``CATEGORY_REGEX_SUBSTITUTIONS`` and ``AUTHOR_REGEX_SUBSTITUTIONS`` (falling
  back to ``SLUG_REGEX_SUBSTITUTIONS``, as Pelican does). ``pelicanconf.py``
  spells symbols out there (``+`` → ``plus``, ``#`` → ``sharp``) before Pelican's
  rules drop them, so ``C++`` is ``c-plus-plus`` and ``C#`` is ``c-sharp``.
* A name whose Pelican slug is empty because Pelican strips HTML tags first
  (``<svg onload=alert(3)>``) is slugged as the text it is: ``svg-onloadalert3``.
* A name with no letters or digits is slugged from its characters' Unicode
  names (``🚀`` → ``rocket``); a character without one (private use,
  unassigned) is a ``file:line`` error asking for a name in words.
* Two different names (not merely differing in case or spacing) with one slug
  fail the build, naming both files and lines.

Names are only ever shown escaped (the theme autoescapes; feeds are XML), so
nothing here changes a name, only its address, with one exception: Pelican reads
a tag, category or author feed's title as HTML and strips tags from it, so the
feed of ``<svg onload=alert(3)>`` would be titled just ``Site -``. On
``feed_generated`` such a feed gets its name back as text (the feed writer
escapes it).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass

from markupsafe import Markup, escape
from pelican import signals
from pelican.utils import slugify

from blogtools.errors import ContentError, display_path, line_of
from blogtools.plugins.site import all_content, plugin_names

PLUGIN = "blogtools.plugins.taxonomy_slugs"
# Characters that carry no name of their own in a slug: combining marks,
# variation selectors and joiners (the ZWJ and VS16 inside emoji), spaces.
SILENT_CATEGORIES = frozenset({"Mn", "Me", "Cf", "Zs", "Zl", "Zp"})
# The front matter keys each kind of name is written under.
KEYS = {"tag": ("tags",), "category": ("categories", "category"), "author": ("authors", "author")}
# The setting a name falls back to when its post does not say.
DEFAULTS = {"category": "DEFAULT_CATEGORY", "author": "AUTHOR"}
FENCE = re.compile(r"\A\ufeff?(\+\+\+|---)[ \t]*\n")

logger = logging.getLogger(__name__)


class NoSlug(ValueError):
    """A name with nothing to make an address from: no letters, digits or named symbols."""


def taxonomy_slug(name: str, kind: str, settings) -> str:
    """The slug of the ``kind`` (``"tag"``, ``"category"``, ``"author"``) called ``name``.

    Pelican's own slug whenever it has one, so existing addresses never move;
    otherwise the name's text with any markup kept as text, then the Unicode
    names of its characters. Raises :class:`NoSlug` when none of these gives one.
    """
    subs = settings.get(f"{kind.upper()}_REGEX_SUBSTITUTIONS",
                        settings.get("SLUG_REGEX_SUBSTITUTIONS", []))

    def pelican(value: str) -> str:
        return slugify(value, regex_subs=subs,
                       preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
                       use_unicode=settings.get("SLUGIFY_USE_UNICODE", False))

    # slugify strips HTML tags, then unescapes: escaping first keeps "<svg ...>" as its letters.
    slug = pelican(str(name)) or pelican(str(escape(name)))
    if slug:
        return slug
    words = []
    for char in str(name):
        if unicodedata.category(char) in SILENT_CATEGORIES or char.isspace():
            continue
        try:
            words.append(unicodedata.name(char))
        except ValueError:
            raise NoSlug(f"U+{ord(char):04X} has no Unicode name") from None
    slug = pelican(" ".join(words))
    if not slug:
        raise NoSlug("its characters are all invisible")
    return slug


def name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(name)).casefold().split())


def same_name(a: str, b: str) -> bool:
    """Whether two names are one name written twice: equal but for case and spacing."""
    return name_key(a) == name_key(b)


@dataclass(frozen=True)
class Use:
    """One name as a content object carries it."""
    kind: str
    name: str
    slug: str
    content: object


def find_clashes(uses) -> list[tuple[Use, Use]]:
    """``(use, first)`` for each name whose slug an earlier, different name of its kind already
    has: one pair per name, at its first use."""
    first: dict[tuple[str, str], Use] = {}
    seen: set[tuple[str, str, str]] = set()
    clashes = []
    for use in uses:
        owner = first.setdefault((use.kind, use.slug), use)
        if not same_name(owner.name, use.name) and (use.kind, use.slug, name_key(use.name)) not in seen:
            seen.add((use.kind, use.slug, name_key(use.name)))
            clashes.append((use, owner))
    return clashes


def front_matter(text: str) -> str:
    """The part of a source file before its body: a ``+++``/``---`` block, or the header lines."""
    fence = FENCE.match(text)
    if fence:
        end = re.compile(rf"^{re.escape(fence.group(1))}[ \t]*$", re.M).search(text, fence.end())
        return text[:end.start()] if end else text
    return text.split("\n\n", 1)[0]


def name_line(text: str, kind: str, name: str) -> int | None:
    """The line of the front matter that names ``name`` as a ``kind`` (None if it does not)."""
    head = front_matter(text)
    key = re.search(rf"(?im)^[ \t]*(?:{'|'.join(KEYS[kind])})[ \t]*[:=]", head)
    if not key:
        return None
    # Quoted or a YAML list item first, so "C" is not found inside "C++".
    for needle in (f'"{name}"', f"'{name}'", f"- {name}\n", name):
        line = line_of(head + "\n", needle, key.start())
        if line:
            return line
    return line_of(head, key.group(0))


def kinds_of(content):
    """``(kind, wrapper)`` for each tag, category and author ``content`` carries."""
    for tag in getattr(content, "tags", None) or []:
        yield "tag", tag
    if getattr(content, "category", None) is not None:
        yield "category", content.category
    for author in getattr(content, "authors", None) or []:
        yield "author", author


def locate(content, kind: str, name: str) -> tuple[int, str]:
    """The line naming ``name`` in ``content``'s source, and a note if a setting supplied it."""
    try:
        with open(content.source_path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except (OSError, UnicodeError, TypeError):
        text = ""
    line = name_line(text, kind, name)
    setting = DEFAULTS.get(kind)
    if line is None and setting and content.settings.get(setting) == name:
        return 1, f" (from the {setting} setting)"
    return line or 1, ""


def active(settings) -> bool:
    # Pelican's bare defaults (PLUGINS = None) are a build without this plugin too.
    return bool(settings.get("PLUGINS")) and PLUGIN in plugin_names(settings)


def content_object_init(content) -> None:
    if not active(content.settings):
        return
    for kind, wrapper in kinds_of(content):
        try:
            # The public setter: Pelican groups names by this slug from here on.
            wrapper.slug = taxonomy_slug(wrapper.name, kind, content.settings)
        except NoSlug as exc:
            # A placeholder keeps Pelican from warning again; the error stops the build.
            wrapper.slug = "-".join(f"u{ord(char):04x}" for char in str(wrapper.name)) or "-"
            line, origin = locate(content, kind, wrapper.name)
            logger.error("%s", ContentError(
                f"{kind} {wrapper.name!r}{origin} has no letters or digits and {exc}, "
                "so no address can be made from it",
                path=content.source_path, line=line,
                hint=f"write the {kind} in words instead, e.g. \"rocket\" for 🚀"))


def feed_addresses(settings, kind: str, slug: str):
    """The addresses Pelican gives the feeds of the ``kind`` slugged ``slug`` (its write_feed url)."""
    for flavour in ("ATOM", "RSS"):
        path = settings.get(f"{kind.upper()}_FEED_{flavour}")
        if path:
            yield str(settings.get(f"{kind.upper()}_FEED_{flavour}_URL", str(path))).format(slug=slug)


class FeedTitles:
    """Tag, category and author feeds titled with their names as text."""

    def __init__(self):
        self.names: dict[str, str] = {}  # feed address -> the name it is the feed of

    def collect(self, settings, uses) -> None:
        self.names = {address.lstrip("/"): use.name for use in uses
                      for address in feed_addresses(settings, use.kind, use.slug)}

    def feed_generated(self, context, feed) -> None:
        # The feed's URL is its address joined to FEED_DOMAIN: try each of its tails.
        parts = str(feed.feed.get("feed_url") or "").split("/")
        name = next((self.names[tail] for tail in ("/".join(parts[i:]) for i in range(len(parts)))
                     if tail in self.names), None)
        if name is None:
            return
        # What Pelican means by the title, without reading the name as HTML; a
        # name Pelican's reading keeps intact keeps Pelican's title.
        title = f"{Markup(context['SITENAME']).striptags()} - {' '.join(name.split())}"
        if Markup(f"{context['SITENAME']} - {name}").striptags() != title:
            feed.feed["title"] = title


FEED_TITLES = FeedTitles()


def all_generators_finalized(generators) -> None:
    items = sorted(all_content(generators), key=lambda c: c.source_path or "")
    if not items or not active(items[0].settings):
        FEED_TITLES.names = {}
        return
    uses = [Use(kind, wrapper.name, wrapper.slug, content)
            for content in items for kind, wrapper in kinds_of(content)]
    FEED_TITLES.collect(items[0].settings, uses)
    for use, first in find_clashes(uses):
        line, origin = locate(use.content, use.kind, use.name)
        first_line, first_origin = locate(first.content, first.kind, first.name)
        first_path = first.content.source_path
        first_path = display_path(first_path) if first_path else "<unknown file>"  # made up by a plugin
        setting = f"{use.kind.upper()}_REGEX_SUBSTITUTIONS"
        logger.error("%s", ContentError(
            f"{use.kind} {use.name!r}{origin} gets the address of {first.kind} {first.name!r}"
            f"{first_origin} ({first_path}:{first_line}): "
            f"both are slugged {use.slug!r}",
            path=use.content.source_path, line=line,
            hint=f"rename one of them, or spell the difference out in {setting} in pelicanconf.py"))


def register():
    signals.content_object_init.connect(content_object_init)
    signals.all_generators_finalized.connect(all_generators_finalized)
    signals.feed_generated.connect(FEED_TITLES.feed_generated)
