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
* with ``PUBLISH_DRAFTS = False`` (publishconf.py) drafts are dropped from the
  generators before anything is written, so the published output holds no
  ``drafts/`` page at all and no other plugin (sitemap, search index) can see
  them.
"""

from __future__ import annotations

import datetime as dt
from itertools import chain

from pelican import signals

SETTING = "PUBLISH_DRAFTS"


def _is_future(content) -> bool:
    date = getattr(content, "date", None)
    if date is None or date == dt.datetime.max or getattr(date, "year", 0) >= 9999:
        return False
    now = dt.datetime.now(dt.UTC) if date.tzinfo else dt.datetime.now()
    return date > now


def _flag(items, is_draft: bool) -> None:
    for content in items:
        content.is_draft = is_draft
        # Scheduled: a draft only because its date is still to come.
        content.is_scheduled = is_draft and _is_future(content) and \
            content.metadata.get("status") != "draft"


def articles_finalized(generator) -> None:
    _flag(chain(generator.articles, generator.translations,
                generator.hidden_articles, generator.hidden_translations), False)
    _flag(chain(generator.drafts, generator.drafts_translations), True)
    if not generator.settings.get(SETTING, True):
        # In place: the generator's context holds the same list objects.
        del generator.drafts[:]
        del generator.drafts_translations[:]


def pages_finalized(generator) -> None:
    _flag(chain(generator.pages, generator.translations,
                generator.hidden_pages, generator.hidden_translations), False)
    _flag(chain(generator.draft_pages, generator.draft_translations), True)
    if not generator.settings.get(SETTING, True):
        del generator.draft_pages[:]
        del generator.draft_translations[:]


def register():
    signals.article_generator_finalized.connect(articles_finalized)
    signals.page_generator_finalized.connect(pages_finalized)
