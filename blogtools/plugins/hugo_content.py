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
  ``_index.md`` gives a section its title and text (``content/_index.md``: the home
  page's, as ``HUGO_HOME`` for the project's ``templates/index.html``); every section, taxonomy
  (``HUGO_TAXONOMIES``) and term gets its list page and RSS feed (``index.xml``), as
  Hugo publishes them;
* Markdown as Goldmark renders it (:mod:`blogtools.plugins.hugo_markdown`, ``HUGO_GOLDMARK``);
* summaries: the text before ``<!--more-->``, the ``summary`` key, or Hugo's automatic
  summary, cut where Hugo cuts it after ``HUGO_SUMMARY_LENGTH`` words (:func:`auto_summary`);
* ``static/`` is served at the site root (the importer points ``THEME_STATIC_PATHS`` at it).
* languages (``HUGO_LANGUAGES``, ``HUGO_DEFAULT_LANGUAGE``): ``x.fr.md`` is the French
  page, at ``/fr/...``; each language has its own home, sections, taxonomies, terms,
  feeds, not-found page and sitemap (``/fr/sitemap.xml``), as Hugo publishes them with
  the default language at the root (and ``/en/`` redirecting to it). Pelican holds the
  other languages' pages as translations, so the default language's home, archives and
  feeds list its pages only.

Settings (written by the importer): ``HUGO_PERMALINKS`` (section → pattern),
``HUGO_TAXONOMIES`` (singular → plural), ``HUGO_UGLY_URLS``, ``HUGO_SUMMARY_LENGTH``,
``HUGO_DISABLE_KINDS`` (of ``section``, ``taxonomy``, ``term``, ``rss``),
``HUGO_EMBEDS`` (``"card"``, the default, or ``"iframe"``, which adds the video
players to the policy's ``frame-src``), ``HUGO_SHORTCODES`` (the folder of the
site's own shortcode templates).
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
from blogtools.plugins import aliases, hugo_embeds, hugo_markdown, hugo_shortcodes, hugo_urls
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
# The heading permalinks of the toc extension: page furniture, not part of a summary.
HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)
# Hugo's automatic summary leaves out of its count what looks like HTML.
HTML_TAG_TOKEN = re.compile(r"^</?[A-Za-z]+>?$")
HTML_ATTRIBUTE_TOKEN = re.compile(r"^[A-Za-z]+=[\"']")
ELEMENT_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*?(/?)>")
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                 "wbr"}
LIST_TEMPLATE = """{% extends "base.html" %}
{% set page_title = hugo_list.title %}
{% block lang %}{{ hugo_list.lang or DEFAULT_LANG }}{% endblock %}
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


def hugo_word_count(text: str) -> int:
    """The words Hugo counts in a stretch of HTML: the text split at white space, leaving out
    what looks like a tag (``<li>``) or an attribute (``href="...``); like Hugo, the last
    word loses its last character (so a one-letter one is not counted)."""
    if text and not text[-1].isspace():
        text = text[:-1]
    return sum(1 for token in text.split()
               if token != ">" and not HTML_TAG_TOKEN.match(token) and not HTML_ATTRIBUTE_TOKEN.match(token))


def top_level_end(content: str, position: int) -> int:
    """Where the outermost element open at ``position`` closes (``position`` if none is)."""
    depth = 0
    for tag in ELEMENT_TAG.finditer(content):
        if tag.start() >= position and depth == 0:
            return position
        if tag.group(2).lower() in VOID_ELEMENTS or tag.group(3):
            continue
        depth += -1 if tag.group(1) else 1
        if tag.end() > position and depth == 0:
            return tag.end()
    return len(content) if depth else position


def auto_summary(content: str, words: int) -> str:
    """Hugo's automatic summary: ``content`` up to the end of the paragraph (``</p>``) in
    which Hugo's count of words (:func:`hugo_word_count`), from the start, reaches ``words``,
    and on to the end of the list or quote that paragraph is in; all of it if none does.

    Headings, lists, code and tables before that paragraph's end are in the summary, as
    they are in Hugo's (it counts their words, and cuts only after a paragraph)."""
    content = HEADERLINK.sub("", content)
    count = start = 0
    while (end := content.find("</p>", start)) != -1:
        count += hugo_word_count(content[start:end])
        start = end + len("</p>")
        if count >= words:
            return content[:top_level_end(content, start)]
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


def address(source: hugo_urls.Source, front: dict, date, settings, language: str = "") -> str:
    """The URL path Hugo publishes a regular page at (in ``language``, under ``/LANG`` if not the default)."""
    path = hugo_urls.page_path(source, front, date or hugo_urls.ZERO_DATE, settings.get("HUGO_PERMALINKS", {}),
                               settings.get("HUGO_UGLY_URLS", False))
    return path if front.get("url") else hugo_urls.in_language(path, language, default_language(settings))


def default_language(settings) -> str:
    return settings.get("HUGO_DEFAULT_LANGUAGE", "") if settings.get("HUGO_LANGUAGES") else ""


def language_of(relative: str, settings) -> tuple[str, str]:
    """``(the file without its language, its language)``: ``posts/a.fr.md`` → ``("posts/a.md", "fr")``."""
    stripped, language = hugo_urls.split_language(relative, settings.get("HUGO_LANGUAGES") or {})
    return stripped, language or default_language(settings)


def url_path_of(relative: str, settings) -> str:
    """The URL path of any content file (for ``ref``): a section's, or a page's."""
    stripped, language = language_of(relative, settings)
    source = hugo_urls.Source.of(stripped)
    if os.path.basename(relative).startswith("_index."):
        return hugo_urls.in_language(hugo_urls.section_path(source.dirs + ((source.name,) if source.bundle else ())),
                                     language, default_language(settings))
    with open(os.path.join(settings["PATH"], relative), "rb") as handle:
        data, _, _ = split_hugo(decode_source(handle.read(), relative))
    front = {str(k).lower(): v for k, v in data.items()}
    return address(source, front, front_date(front), settings, language)


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
        stripped, language = language_of(relative, self.settings)
        source = hugo_urls.Source.of(stripped)
        section = os.path.basename(relative).startswith("_index.")
        date = front_date(front, text)
        page = hugo_shortcodes.PageContext(relative, front, self.settings,
                                           lambda target: url_path_of(target, self.settings), self.markdownify)
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
        path = address(source, front, date, self.settings, language)
        meta["hugo_lang"] = language
        if language != default_language(self.settings):
            meta["lang"] = self.settings["HUGO_LANGUAGES"][language].get("locale") or language
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
            meta["tags"] = [self._tag(name, language) for name in tags]
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

    def markdownify(self, text: str) -> str:
        """Hugo's ``markdownify``: the site's Markdown rules; one paragraph loses its ``<p>``."""
        rendered = markdown_for(hugo_markdown.markdown_settings(self.settings["MARKDOWN"],
                                                                self.settings.get("HUGO_GOLDMARK"))).convert(text)
        if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
            return rendered[3:-4]
        return rendered

    def _tag(self, name: str, language: str) -> Tag:
        settings = self.settings
        if language != default_language(settings) and settings.get("TAG_URL"):
            settings = {**settings, "TAG_URL": f"{language}/{settings['TAG_URL']}"}  # the language's term page
        tag = Tag(name, settings)
        tag.slug = hugo_urls.urlize(name)
        return tag


class HugoSite:
    """What the list pages need, gathered once per build from the articles Pelican read."""

    def __init__(self):
        # language → folders → its _index.md
        self.sections: dict[str, dict[tuple[str, ...], object]] = {}
        self.unpublished_bundles: list[str] = []

    def pretaxonomy(self, generator):
        if "blogtools.plugins.hugo_content" not in plugin_names(generator.settings):
            return
        self.sections, self.unpublished_bundles = {}, []
        kept, placed = [], list(generator.articles + generator.translations)
        for article in generator.hidden_articles:
            kind = article.metadata.get("hugo_kind")
            if kind == "section":
                language = self.sections.setdefault(article.metadata["hugo_lang"], {})
                language[tuple(article.metadata["hugo_dirs"])] = article
            elif kind == "headless":
                placed.append(article)
            elif kind == "unpublished":
                if article.metadata.get("hugo_bundle"):
                    self.unpublished_bundles.append(article.metadata["hugo_bundle"] + "/")
            else:
                kept.append(article)
        generator.hidden_articles[:] = kept
        # content/_index.md: the home page's heading and text (the project's templates/index.html).
        home = self.sections.get(default_language(generator.settings), {}).get(())
        generator.context["HUGO_HOME"] = {"title": home.metadata.get("hugo_title") or "",
                                          "content": Markup(home.content)} if home else None
        # Another language's pages are its own site's (its lists, home and feeds); for the
        # default language's lists, feeds and neighbours, Pelican holds them as translations.
        default = default_language(generator.settings)
        generator.translations[:] = generator.translations + [
            a for a in generator.articles if a.metadata.get("hugo_lang", default) != default]
        # Listings, feeds and neighbours follow Hugo's order, not Pelican's.
        generator.articles[:] = hugo_order([a for a in generator.articles
                                            if a.metadata.get("hugo_lang", default) == default])
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

    def __init__(self, plural: str, name: str, ugly: bool, where):
        self.title = hugo_urls.title_case(name)
        self.path = where(hugo_urls.with_slash(f"/{hugo_urls.urlize(plural)}/{hugo_urls.urlize(name)}/", ugly))
        self.folder = where(f"/{hugo_urls.urlize(plural)}/{hugo_urls.urlize(name)}/").lstrip("/")
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


def dirs_of(page) -> tuple[str, ...]:
    return hugo_urls.Source.of(page.relative_source_path.replace(os.sep, "/")).dirs


def section_lists(articles, sections: dict, where):
    """``(save_as, title, content, pages, None, feed, feed items)`` of every section: each top
    folder, and each folder below with an ``_index.md`` (``sections``), listing every page under it;
    its feed lists the pages of that section alone, as Hugo's does. ``where``: a path in the language."""
    listed: dict[tuple[str, ...], list] = {dirs: [] for dirs in sections if dirs}
    for article in articles:
        dirs = dirs_of(article)
        for depth in range(1, len(dirs) + 1):
            if depth == 1 or dirs[:depth] in sections:
                listed.setdefault(dirs[:depth], []).append(article)
    for dirs, pages in sorted(listed.items()):
        index = sections.get(dirs)
        title = (index.metadata.get("hugo_title") if index else "") or hugo_urls.title_case(dirs[-1])
        path = where(hugo_urls.section_path(dirs))
        yield (hugo_urls.save_as(path), title, Markup(index.content if index else ""), hugo_order(pages), None,
               path.lstrip("/") + "index.xml",
               [page for page in hugo_order(pages) if section_of(page, sections) == dirs])


def section_of(page, sections: dict) -> tuple[str, ...]:
    """The section a page belongs to: its nearest folder that is one (a top folder, or one
    with an ``_index.md``)."""
    dirs = dirs_of(page)
    while len(dirs) > 1 and dirs not in sections:
        dirs = dirs[:-1]
    return dirs


def taxonomy_lists(articles, settings, disabled, sections: dict, where):
    """``(save_as, title, content, pages, terms, feed, feed items)`` of every taxonomy and term page."""
    ugly = settings.get("HUGO_UGLY_URLS", False)
    for plural in settings.get("HUGO_TAXONOMIES", {}).values():
        terms: dict[str, Term] = {}
        for article in articles:
            for name in article.metadata.get("hugo_terms", {}).get(plural, []):
                term = terms.setdefault(hugo_urls.urlize(name), Term(plural, name, ugly, where))
                if article not in term.pages:
                    term.pages.append(article)
        index = sections.get((plural,))
        title = (index.metadata.get("hugo_title") if index else "") or hugo_urls.title_case(plural)
        # Hugo orders term pages as pages: the newest (its newest page's date) first, then by title.
        ordered = sorted(terms.values(), key=lambda t: (-max(p.date.timestamp() for p in t.pages), t.title))
        # The theme's navigation links to TAGS_URL, so that list page stays.
        if "taxonomy" not in disabled or f"{plural}/" == settings.get("TAGS_URL"):
            path = where(hugo_urls.section_path((plural,)))
            yield (hugo_urls.save_as(path), title, Markup(index.content if index else ""), [], ordered,
                   path.lstrip("/") + "index.xml", ordered)
        if "term" in disabled:
            continue
        for key, term in sorted(terms.items()):
            index = sections.get((plural, key))
            yield (hugo_urls.save_as(term.path), term.title, Markup(index.content if index else ""),
                   hugo_order(term.pages), None, term.folder + "index.xml", hugo_order(term.pages))


def write_lists(generator, writer):
    """After the articles are written: every list page, with the theme's base template; and
    for each language other than the default, its home page, feed and not-found page too."""
    settings = generator.settings
    if "blogtools.plugins.hugo_content" not in plugin_names(settings):
        return
    template = generator.env.from_string(LIST_TEMPLATE)
    disabled = {kind.lower() for kind in settings.get("HUGO_DISABLE_KINDS", [])}
    default = default_language(settings)
    for language in [default] + [code for code in settings.get("HUGO_LANGUAGES") or {} if code != default]:
        def where(path, language=language):
            return hugo_urls.in_language(path, language, default)

        articles = generator.articles if language == default else \
            hugo_order([a for a in generator.translations if a.metadata.get("hugo_lang") == language])
        sections = SITE.sections.get(language, {})
        lists = [] if "section" in disabled else list(section_lists(articles, sections, where))
        lists += taxonomy_lists(articles, settings, disabled, sections, where)
        if language != default:
            title = settings["HUGO_LANGUAGES"][language].get("title") or settings.get("SITENAME", "")
            lists.append((f"{language}/index.html", title, Markup(""), articles, None, f"{language}/index.xml",
                          articles))
            writer.write_file(f"{language}/404.html", generator.get_template("404"), generator.context,
                              settings.get("RELATIVE_URLS"))
        locale = (settings.get("HUGO_LANGUAGES") or {}).get(language, {}).get("locale") or language
        for save_as, title, content, pages, terms, feed, items in lists:
            writer.write_file(save_as, template, generator.context, settings.get("RELATIVE_URLS"),
                              hugo_list={"title": title, "content": content, "pages": pages, "terms": terms,
                                         "lang": locale})
            if "rss" not in disabled:  # Hugo's RSS feed of every list page, where subscribers know it
                writer.write_feed(items, generator.context, feed, feed_type="rss",
                                  feed_title=f"{title} on {settings.get('SITENAME', '')}")
        if default:
            write_sitemap(writer.output_path, settings, language,
                          [a.url for a in articles] + [save_as.removesuffix("index.html") for save_as, *_ in lists])
    if default:
        # Hugo's /en/ (the default language's own address) redirects to the home page.
        url = settings.get("SITEURL", "") + "/"
        write_text(writer.output_path, f"{default}/index.html",
                   aliases.REDIRECT_PAGE.format(lang=html.escape(default), title=html.escape(
                       settings.get("SITENAME", "")), url=html.escape(url)))


def write_text(output: str, save_as: str, text: str):
    path = os.path.join(output, save_as)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def write_sitemap(output: str, settings, language: str, urls: list[str]):
    """Hugo's sitemap of one language (``/LANG/sitemap.xml``) of a multilingual site; the site's
    own ``sitemap.xml`` (the sitemap plugin's) lists every page of every language."""
    base = settings.get("PUBLIC_URL", settings.get("SITEURL", "")).rstrip("/")
    home = "" if language == default_language(settings) else f"{language}/"
    entries = "".join(f"<url><loc>{html.escape(f'{base}/{url}')}</loc></url>\n"
                      for url in [home] + sorted(set(urls) - {home}))
    write_text(output, f"{language}/sitemap.xml", '<?xml version="1.0" encoding="utf-8"?>\n'
               '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + entries + "</urlset>\n")


def allow_frames(generators):
    """``HUGO_EMBEDS = "iframe"``: the policy lets the video players' frames in, and only those.

    After every generator is set up, so after the stylesheet plugin wrote the policy."""
    for generator in generators:
        env = getattr(generator, "env", None)
        if env is None or "blogtools.plugins.hugo_content" not in plugin_names(generator.settings):
            continue
        mode = generator.settings.get("HUGO_EMBEDS", "card")
        if mode not in hugo_embeds.MODES:
            raise ContentError(f"HUGO_EMBEDS (pelicanconf.py) is {mode!r}",
                               hint=f"set it to one of {', '.join(hugo_embeds.MODES)}")
        policy = env.globals.get("CONTENT_SECURITY_POLICY")
        if mode == "iframe" and policy and "frame-src" not in policy:
            env.globals["CONTENT_SECURITY_POLICY"] = f"{policy}; frame-src {hugo_embeds.FRAME_SOURCES}"


def add_reader(readers):
    if "blogtools.plugins.hugo_content" in plugin_names(readers.settings):
        for extension in HugoReader.file_extensions:
            readers.reader_classes[extension] = HugoReader


def register():
    needs(__name__, "blogtools.plugins.frontmatter", "blogtools.plugins.aliases")
    signals.readers_init.connect(add_reader)
    signals.all_generators_finalized.connect(allow_frames)
    signals.article_generator_pretaxonomy.connect(SITE.pretaxonomy)
    signals.static_generator_finalized.connect(SITE.static_finalized)
    signals.article_writer_finalized.connect(write_lists)
