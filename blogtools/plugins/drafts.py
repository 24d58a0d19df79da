"""Drafts and scheduled posts: previewable locally, never published.

A post is a draft when its front matter says ``draft = true``; with
``WITH_FUTURE_DATES = False`` (pelicanconf.py) a post dated in the future is a
draft too until its date has passed: a *scheduled* post. Pelican already keeps
drafts out of listings, feeds and archives and saves them at ``DRAFT_URL``
(``drafts/{slug}/``), so the author can preview them.

This plugin adds two things:

* every article and page gets ``is_draft`` and ``is_scheduled`` attributes, so
  a template can flag a draft (``{% if article.is_draft %}``) without
  knowing how Pelican spells statuses;
* a draft's page says so: unless the theme already shows a
  ``class="draft-flag"`` element, one is inserted after the page's first
  ``</h1>`` when the page is written (``DRAFT_FLAG = False`` turns this off), so
  the flag survives any rewrite of the theme;
* a draft's tags and author that no published post shares have no page yet;
  they are listed in ``without_page``, so the theme shows them as plain text
  instead of a link that the link check would rightly call broken;
* with ``PUBLISH_DRAFTS = False`` (publishconf.py) drafts are dropped from the
  generators before anything is written, so the published output holds no
  ``drafts/`` page at all and no other plugin (sitemap, search index) can see
  them.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from itertools import chain

from pelican import signals

from blogtools.plugins.site import DRAFT_LISTS, content_lists

SETTING = "PUBLISH_DRAFTS"
FLAG_CLASS = 'class="draft-flag"'
HEADING_END = re.compile(r"</h1\s*>", re.I)
BODY_START = re.compile(r"<body[^>]*>", re.I)
# Output file → draft, for the pages written in this build.
_draft_files: dict[str, object] = {}


def _is_future(content) -> bool:
    date = getattr(content, "date", None)
    if date is None or date == dt.datetime.max or getattr(date, "year", 0) >= 9999:
        return False
    now = dt.datetime.now(dt.UTC) if date.tzinfo else dt.datetime.now()
    return date > now


def _flag(items, is_draft: bool, with_pages: frozenset = frozenset()) -> None:
    for content in items:
        content.is_draft = is_draft
        terms = list(getattr(content, "tags", None) or []) + list(getattr(content, "authors", None) or [])
        content.without_page = {t for t in terms if t not in with_pages} if is_draft else set()
        # Scheduled: a draft only because its date is still to come.
        content.is_scheduled = is_draft and _is_future(content) and \
            content.metadata.get("status") != "draft"


def _remember(generator, drafts) -> None:
    if not generator.settings.get("DRAFT_FLAG", True):
        return
    output = generator.settings["OUTPUT_PATH"]
    for draft in drafts:
        if getattr(draft, "save_as", None):
            _draft_files[os.path.normpath(os.path.join(output, draft.save_as))] = draft


def flag_text(content) -> str:
    if content.is_scheduled:
        date = html.escape(str(getattr(content, "locale_date", content.date)))
        return (f'<p {FLAG_CLASS} role="note"><strong>Scheduled</strong>: not published '
                f'until {date}. Only the local preview shows this page.</p>')
    return (f'<p {FLAG_CLASS} role="note"><strong>Draft</strong>: not published. '
            'Only the local preview shows this page.</p>')


def content_written(path, context=None) -> None:
    draft = _draft_files.pop(os.path.normpath(str(path)), None)
    if draft is None:
        return
    with open(path, encoding="utf-8") as handle:
        page = handle.read()
    if FLAG_CLASS in page:  # the theme shows it already
        return
    anchor = HEADING_END.search(page) or BODY_START.search(page)
    at = anchor.end() if anchor else 0
    # A new file, not the written one rewritten: that may be a hard link to the
    # last good output (blogtools.plugins.speed.render_cache), which a failed build must not touch.
    temporary = f"{path}.draft-flag"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(page[:at] + flag_text(draft) + page[at:])
    os.replace(temporary, path)


def published(generator):
    """The generator's content that is not a draft: published and hidden, all translations."""
    for name in content_lists(generator):
        if name not in DRAFT_LISTS:
            yield from getattr(generator, name)


def articles_finalized(generator) -> None:
    _flag(published(generator), False)
    # Pelican builds tag and author pages from published articles only.
    with_pages = frozenset(generator.tags) | frozenset(a for a, _ in generator.authors)
    _flag(chain(generator.drafts, generator.drafts_translations), True, with_pages)
    if generator.settings.get(SETTING, True):
        _remember(generator, chain(generator.drafts, generator.drafts_translations))
    else:
        # In place: the generator's context holds the same list objects.
        del generator.drafts[:]
        del generator.drafts_translations[:]


def pages_finalized(generator) -> None:
    _flag(published(generator), False)
    _flag(chain(generator.draft_pages, generator.draft_translations), True)
    if generator.settings.get(SETTING, True):
        _remember(generator, chain(generator.draft_pages, generator.draft_translations))
    else:
        del generator.draft_pages[:]
        del generator.draft_translations[:]


def register():
    signals.article_generator_finalized.connect(articles_finalized)
    signals.page_generator_finalized.connect(pages_finalized)
    signals.content_written.connect(content_written)
