"""An imported Hugo site's content, read and published as Hugo did (imported sites only).

``invoke import-hugo`` lists this plugin, after ``frontmatter``, in the settings
it writes; the author's own blog never loads it. Content files stay byte for
byte as they were in the Hugo repository:

* front matter in TOML (``+++``), YAML (``---``) or JSON (``{ ... }``), with keys
  in any capitalisation (parsed by :mod:`blogtools.plugins.frontmatter`'s functions);
* every page at Hugo's address (``url``, ``slug``, ``[permalinks]``, ``uglyURLs``;
  :mod:`blogtools.plugins.hugo_urls`); ``aliases``, absolute or relative, become
  redirect pages through :mod:`blogtools.plugins.aliases`;
* ``draft`` and a future ``publishDate`` make a draft; a past ``expiryDate`` and
  ``headless`` keep a page (and a headless bundle's files) unpublished;
* leaf bundles (``post/index.md``) publish their files beside the page;
  ``_index.md`` gives a section its title and text; every section, taxonomy
  (``HUGO_TAXONOMIES``) and term gets its list page and RSS feed (``index.xml``), as
  Hugo publishes them;
* Markdown as Goldmark renders it (:mod:`blogtools.plugins.hugo_markdown`, ``HUGO_GOLDMARK``);
* summaries: the text before ``<!--more-->``, the ``summary`` key, or whole
  paragraphs up to ``HUGO_SUMMARY_LENGTH`` words (Hugo's automatic summary);
* ``static/`` is served at the site root (the importer points ``THEME_STATIC_PATHS`` at it).

Settings (written by the importer): ``HUGO_PERMALINKS`` (section → pattern),
``HUGO_TAXONOMIES`` (singular → plural), ``HUGO_UGLY_URLS``, ``HUGO_SUMMARY_LENGTH``,
``HUGO_DISABLE_KINDS`` (of ``section``, ``taxonomy``, ``term``, ``rss``).
Needs ``blogtools.plugins.frontmatter`` and ``blogtools.plugins.aliases``.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re

from markupsafe import Markup
from pelican import signals
from pelican.contents import Author, Category, Tag
from pelican.readers import BaseReader
from pelican.utils import SafeDatetime, get_date

from blogtools.errors import ContentError
from blogtools.plugins import hugo_markdown, hugo_shortcodes, hugo_urls
from blogtools.plugins.frontmatter import (
    decode_source,
    markdown_for,
    parse_front_matter,
    split_front_matter,
)
from blogtools.plugins.reading_time import count_words
from blogtools.plugins.site import needs, plugin_names

MORE = re.compile(r"<!--\s*more\s*-->", re.I)
# Hugo's zero date, for pages that give none; Pelican needs a date on every article.
UNDATED = SafeDatetime(1970, 1, 1, tzinfo=dt.UTC)
WORD = re.compile(r"\S+")
TAG_OR_TEXT = re.compile(r"(<[^>]*>)|([^<]+)")
# The heading permalinks of the toc extension: page furniture, not part of a summary.
HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
BLOCK_END = re.compile(r"</(p|ul|ol|dl|blockquote|pre|table|h[1-6]|div|figure)>", re.I)
LIST_TEMPLATE = """{% extends "base.html" %}
{% set page_title = hugo_list.title %}
{% block content %}
<h1 class="page-title">{{ hugo_list.title }}</h1>
{% if hugo_list.content %}<div class="post-content">{{ hugo_list.content }}</div>{% endif %}
{% if hugo_list.terms is not none %}
<ul class="terms">
{% for term in hugo_list.terms %}
<li><a href="{{ SITEURL }}/{{ term.url }}">{{ term.title }}</a> <small>({{ term.pages|count }})</small></li>
{% endfor %}
</ul>
{% else %}
<ul class="post-list">
{% for post in hugo_list.pages %}
{% include "partials/post_entry.html" %}
{% endfor %}
</ul>
{% endif %}
{% endblock %}
"""


def split_hugo(text: str) -> tuple[dict, str, int]:
    """``(front matter, body, body's first line)`` of a Hugo content file, in any of its formats."""
    if text.startswith("{"):
        try:
            data, end = json.JSONDecoder().raw_decode(text)
        except json.JSONDecodeError as exc:
            raise ContentError(f"invalid JSON front matter: {exc.msg}", line=exc.lineno,
                               hint="check quotes, commas and braces on that line") from None
        if not isinstance(data, dict):
            raise ContentError("JSON front matter must be an object", line=1, hint="write {...}")
        rest = text[end:]
        skipped = rest[: len(rest) - len(rest.lstrip(" \t"))]
        rest = rest[len(skipped):].removeprefix("\n")
        return data, rest, text[:end].count("\n") + 2
    fmt, front, body, body_line = split_front_matter(text)
    if fmt is None:
        return {}, text, 1
    return parse_front_matter(fmt, front), body, body_line


def split_summary(content: str) -> tuple[str, str | None]:
    """``(content without the marker, the HTML before <!--more--> or None)``."""
    match = MORE.search(content)
    if not match:
        return content, None
    before = content[: match.start()]
    return before + content[match.end():], before


def auto_summary(content: str, words: int) -> str:
    """Hugo's automatic summary: whole blocks of ``content`` until ``words`` words are reached."""
    count = 0
    for match in TAG_OR_TEXT.finditer(content):
        if match.group(2):
            count += len(WORD.findall(html.unescape(match.group(2))))
        if count >= words:
            end = BLOCK_END.search(content, match.end())
            return content[: end.end()] if end else content
    return content


def key_line(text: str, key: str) -> int | None:
    """The line of front matter key ``key`` (any capitalisation) in a content file's text."""
    match = re.search(rf"^[ \t]*['\"]?{re.escape(key)}['\"]?[ \t]*[=:]", text, re.I | re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


def to_date(value, key: str, text: str = "") -> SafeDatetime:
    if isinstance(value, dt.datetime):
        return SafeDatetime.fromtimestamp(value.timestamp(), value.tzinfo) if value.tzinfo \
            else SafeDatetime(*value.timetuple()[:6], value.microsecond)
    if isinstance(value, dt.date):
        return SafeDatetime(value.year, value.month, value.day)
    try:
        return get_date(str(value).strip())
    except (ValueError, OverflowError):
        raise ContentError(f"'{key}' is not a date: {value!r}", line=key_line(text, key),
                           hint="write it like 2020-12-15T12:22:50Z") from None


def as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def to_weight(value, text: str) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        raise ContentError(f"'weight' must be a whole number, not {value!r}", line=key_line(text, "weight"),
                           hint="write weight = 3") from None


def front_date(front: dict, text: str = ""):
    """A page's date as Hugo takes it: ``date``, else ``publishDate``, else ``lastmod``."""
    return next((to_date(front[k], k, text) for k in ("date", "publishdate", "lastmod") if front.get(k)), None)


def address(source: hugo_urls.Source, front: dict, date, settings) -> str:
    """The URL path Hugo publishes a regular page at."""
    return hugo_urls.page_path(source, front, date or hugo_urls.ZERO_DATE, settings.get("HUGO_PERMALINKS", {}),
                               settings.get("HUGO_UGLY_URLS", False))


def url_path_of(relative: str, settings) -> str:
    """The URL path of any content file (for ``ref``): a section's, or a page's."""
    source = hugo_urls.Source.of(relative)
    if os.path.basename(relative).startswith("_index."):
        return hugo_urls.section_path(source.dirs + ((source.name,) if source.bundle else ()))
    with open(os.path.join(settings["PATH"], relative), "rb") as handle:
        data, _, _ = split_hugo(decode_source(handle.read(), relative))
    front = {str(k).lower(): v for k, v in data.items()}
    return address(source, front, front_date(front), settings)


class HugoReader(BaseReader):
    """Markdown content files of an imported Hugo site."""

    enabled = True
    file_extensions = ["md", "markdown"]

    def read(self, source_path):
        with open(source_path, "rb") as handle:
            text = decode_source(handle.read(), source_path)
        try:
            return self._read(text, source_path)
        except ContentError as exc:
            raise exc.located(source_path) from None

    def _read(self, text: str, source_path: str):
        data, body, body_line = split_hugo(text)
        front = {str(k).lower(): v for k, v in data.items()}
        relative = os.path.relpath(source_path, self.settings["PATH"]).replace(os.sep, "/")
        source = hugo_urls.Source.of(relative)
        section = os.path.basename(relative).startswith("_index.")
        date = front_date(front, text)
        page = hugo_shortcodes.PageContext(relative, front, self.settings,
                                           lambda target: url_path_of(target, self.settings))
        markdown = hugo_markdown.markdown_settings(self.settings["MARKDOWN"], self.settings.get("HUGO_GOLDMARK"),
                                                   page)
        try:
            content = markdown_for(markdown).convert(body)
        except ContentError as exc:
            raise exc.located(source_path, body_line - 1) from None
        content, before_more = split_summary(content)
        title = str(front.get("title") or "")
        meta = {
            "title": Markup(html.escape(title or source.name, quote=False)),
            "date": date or UNDATED,
            "hugo_title": title,
            "hugo_weight": to_weight(front.get("weight"), text),
            "word_count": count_words(content),
        }
        if front.get("lastmod"):
            meta["modified"] = to_date(front["lastmod"], "lastmod", text)
        now = SafeDatetime.now(dt.UTC)
        expiry = to_date(front["expirydate"], "expiryDate", text) if front.get("expirydate") else None
        publish = to_date(front["publishdate"], "publishDate", text) if front.get("publishdate") else None
        path = address(source, front, date, self.settings)
        meta["slug"] = hugo_urls.urlize(relative.rsplit(".", 1)[0].replace("/", "-")) or "index"
        meta["hugo_bundle"] = "/".join(source.dirs + (source.name,)) if source.bundle else ""
        meta["hugo_page_dir"] = os.path.dirname(hugo_urls.save_as(path))
        if section:
            meta["hugo_kind"] = "section"
            meta["hugo_dirs"] = list(source.dirs) + ([source.name] if source.bundle else [])
            meta["status"] = "hidden"
        elif front.get("headless") is True:
            # Hugo's headless = true: no page, but its files are published (publishResources).
            meta["hugo_kind"] = "headless"
            meta["status"] = "hidden"
        elif expiry and expiry <= now:
            meta["hugo_kind"] = "unpublished"
            meta["status"] = "hidden"
        else:
            meta["hugo_kind"] = "page"
            if front.get("draft") is True or str(front.get("draft")).lower() == "true" or \
                    (publish and publish > now):
                meta["status"] = "draft"
            else:
                meta["url"] = path.lstrip("/")
                meta["save_as"] = hugo_urls.save_as(path)
                meta["aliases"] = [hugo_urls.resolve_alias(a, path) for a in as_list(front.get("aliases"))]
        meta["hugo_terms"] = {plural: as_list(front.get(plural))
                              for plural in self.settings.get("HUGO_TAXONOMIES", {}).values()
                              if front.get(plural)}
        tags = meta["hugo_terms"].get("tags", [])
        if tags:
            meta["tags"] = [self._tag(name) for name in tags]
        categories = meta["hugo_terms"].get("categories", [])
        # Pelican gives every article one category; Hugo's categories have their own pages.
        meta["category"] = Category(categories[0] if categories else
                                    self.settings.get("DEFAULT_CATEGORY") or "misc", self.settings)
        if front.get("summary"):
            meta["summary"] = Markup(html.escape(str(front["summary"]).strip()))
        else:
            summary = before_more if before_more is not None else \
                auto_summary(content, self.settings.get("HUGO_SUMMARY_LENGTH", 70))
            meta["summary"] = Markup(HEADERLINK.sub("", summary))
        for key in ("description", "cover"):
            if isinstance(front.get(key), str):
                meta[key] = front[key]
        if front.get("keywords"):
            meta["keywords"] = as_list(front["keywords"])
        if isinstance(front.get("author"), str) and front["author"].strip():
            meta["author"] = Author(front["author"].strip(), self.settings)
        return content, meta

    def _tag(self, name: str) -> Tag:
        tag = Tag(name, self.settings)
        tag.slug = hugo_urls.urlize(name)
        return tag


class HugoSite:
    """What the list pages need, gathered once per build from the articles Pelican read."""

    def __init__(self):
        self.sections: dict[tuple[str, ...], object] = {}
        self.unpublished_bundles: list[str] = []

    def pretaxonomy(self, generator):
        if "blogtools.plugins.hugo_content" not in plugin_names(generator.settings):
            return
        self.sections, self.unpublished_bundles = {}, []
        kept, placed = [], list(generator.articles + generator.translations)
        for article in generator.hidden_articles:
            kind = article.metadata.get("hugo_kind")
            if kind == "section":
                self.sections[tuple(article.metadata["hugo_dirs"])] = article
            elif kind == "headless":
                placed.append(article)
            elif kind == "unpublished":
                if article.metadata.get("hugo_bundle"):
                    self.unpublished_bundles.append(article.metadata["hugo_bundle"] + "/")
            else:
                kept.append(article)
        generator.hidden_articles[:] = kept
        # Listings, feeds and neighbours follow Hugo's order, not Pelican's.
        generator.articles[:] = hugo_order(generator.articles)
        self.place_bundle_files(generator.settings, placed)

    @staticmethod
    def place_bundle_files(settings, pages):
        """A leaf bundle's files are published beside its page, wherever that page went."""
        extra = settings.setdefault("EXTRA_PATH_METADATA", {})
        for page in pages:
            bundle = page.metadata.get("hugo_bundle")
            if not bundle:
                continue
            folder = os.path.join(settings["PATH"], bundle)
            page_dir = page.metadata["hugo_page_dir"]
            for dirpath, _, files in os.walk(folder):
                for name in files:
                    if name.rsplit(".", 1)[-1] in HugoReader.file_extensions:
                        continue
                    relative = os.path.relpath(os.path.join(dirpath, name), folder).replace(os.sep, "/")
                    target = f"{page_dir}/{relative}" if page_dir else relative
                    extra[f"{bundle}/{relative}"] = {"save_as": target, "url": target}

    def static_finalized(self, generator):
        if "blogtools.plugins.hugo_content" not in plugin_names(generator.settings):
            return
        generator.staticfiles[:] = [
            f for f in generator.staticfiles
            if not any(f.relative_source_path.replace(os.sep, "/").startswith(b)
                       for b in self.unpublished_bundles)]


SITE = HugoSite()


class Term:
    """A term of a taxonomy: its list page, and an item of the taxonomy's feed."""

    summary = ""

    def __init__(self, plural: str, name: str, ugly: bool):
        self.title = hugo_urls.title_case(name)
        self.folder = f"{hugo_urls.urlize(plural)}/{hugo_urls.urlize(name)}/"
        self.path = hugo_urls.with_slash("/" + self.folder, ugly)
        self.url = self.path.lstrip("/")
        self.pages: list = []

    @property
    def date(self):
        return max(page.date for page in self.pages)

    modified = date

    def get_content(self, _siteurl) -> str:
        return ""


def hugo_order(pages):
    """Hugo's default page order: weight (unset last), then newest, then title."""
    def key(page):
        weight = page.metadata.get("hugo_weight", 0)
        return (weight == 0, weight, -page.date.timestamp(), str(page.title))
    return sorted(pages, key=key)


def section_lists(articles):
    """``(save_as, title, content, pages, None, feed, feed items)`` of every section: each top
    folder, and each folder below with an ``_index.md``, listing every page under it; its feed
    lists the pages of that section alone, as Hugo's does."""
    sections: dict[tuple[str, ...], list] = {dirs: [] for dirs in SITE.sections if dirs}
    for article in articles:
        dirs = hugo_urls.Source.of(article.relative_source_path.replace(os.sep, "/")).dirs
        for depth in range(1, len(dirs) + 1):
            if depth == 1 or dirs[:depth] in SITE.sections:
                sections.setdefault(dirs[:depth], []).append(article)
    for dirs, pages in sorted(sections.items()):
        index = SITE.sections.get(dirs)
        title = (index.metadata.get("hugo_title") if index else "") or hugo_urls.title_case(dirs[-1])
        path = hugo_urls.section_path(dirs)
        yield (hugo_urls.save_as(path), title, Markup(index.content if index else ""), hugo_order(pages), None,
               path.lstrip("/") + "index.xml", [page for page in hugo_order(pages) if section_of(page) == dirs])


def section_of(page) -> tuple[str, ...]:
    """The section a page belongs to: its nearest folder that is one (a top folder, or one
    with an ``_index.md``)."""
    dirs = hugo_urls.Source.of(page.relative_source_path.replace(os.sep, "/")).dirs
    while len(dirs) > 1 and dirs not in SITE.sections:
        dirs = dirs[:-1]
    return dirs


def taxonomy_lists(articles, settings, disabled):
    """``(save_as, title, content, pages, terms, feed, feed items)`` of every taxonomy and term page."""
    ugly = settings.get("HUGO_UGLY_URLS", False)
    for plural in settings.get("HUGO_TAXONOMIES", {}).values():
        terms: dict[str, Term] = {}
        for article in articles:
            for name in article.metadata.get("hugo_terms", {}).get(plural, []):
                term = terms.setdefault(hugo_urls.urlize(name), Term(plural, name, ugly))
                if article not in term.pages:
                    term.pages.append(article)
        index = SITE.sections.get((plural,))
        title = (index.metadata.get("hugo_title") if index else "") or hugo_urls.title_case(plural)
        # Hugo orders term pages as pages: the newest (its newest page's date) first, then by title.
        ordered = sorted(terms.values(), key=lambda t: (-max(p.date.timestamp() for p in t.pages), t.title))
        # The theme's navigation links to TAGS_URL, so that list page stays.
        if "taxonomy" not in disabled or f"{plural}/" == settings.get("TAGS_URL"):
            path = hugo_urls.section_path((plural,))
            yield (hugo_urls.save_as(path), title, Markup(index.content if index else ""), [], ordered,
                   path.lstrip("/") + "index.xml", ordered)
        if "term" in disabled:
            continue
        for key, term in sorted(terms.items()):
            index = SITE.sections.get((plural, key))
            yield (hugo_urls.save_as(term.path), term.title, Markup(index.content if index else ""),
                   hugo_order(term.pages), None, term.folder + "index.xml", hugo_order(term.pages))


def write_lists(generator, writer):
    """After the articles are written: every list page, with the theme's base template."""
    if "blogtools.plugins.hugo_content" not in plugin_names(generator.settings):
        return
    template = generator.env.from_string(LIST_TEMPLATE)
    disabled = {kind.lower() for kind in generator.settings.get("HUGO_DISABLE_KINDS", [])}
    lists = [] if "section" in disabled else list(section_lists(generator.articles))
    lists += taxonomy_lists(generator.articles, generator.settings, disabled)
    for save_as, title, content, pages, terms, feed, items in lists:
        writer.write_file(save_as, template, generator.context, generator.settings.get("RELATIVE_URLS"),
                          hugo_list={"title": title, "content": content, "pages": pages, "terms": terms})
        if "rss" not in disabled:  # Hugo's RSS feed of every list page, where subscribers know it
            writer.write_feed(items, generator.context, feed, feed_type="rss",
                              feed_title=f"{title} on {generator.settings.get('SITENAME', '')}")


def add_reader(readers):
    if "blogtools.plugins.hugo_content" in plugin_names(readers.settings):
        for extension in HugoReader.file_extensions:
            readers.reader_classes[extension] = HugoReader


def register():
    needs(__name__, "blogtools.plugins.frontmatter", "blogtools.plugins.aliases")
    signals.readers_init.connect(add_reader)
    signals.article_generator_pretaxonomy.connect(SITE.pretaxonomy)
    signals.static_generator_finalized.connect(SITE.static_finalized)
    signals.article_writer_finalized.connect(write_lists)
