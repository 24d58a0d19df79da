"""Automatic table of contents for long posts, from Python-Markdown's heading tokens.

The front matter reader keeps the ``toc`` extension's ``toc_tokens`` as the
``headings`` metadata, so this plugin needs ``blogtools.plugins.frontmatter``
(a build without it stops, saying so). A post of at least ``TOC_MIN_WORDS`` words with at least
``TOC_MIN_HEADINGS`` headings gets ``table_of_contents``: a nested list of
``{"id", "title" (Markup), "children"}`` down to ``TOC_DEPTH`` levels below
the top. ``toc = false`` in the front matter turns it off, ``toc = true``
forces it on. Every other content object gets an empty list.
"""

from __future__ import annotations

from markupsafe import Markup
from pelican import signals

from blogtools.plugins.reading_time import count_words
from blogtools.plugins.site import needs

TOC_MIN_WORDS = 600
TOC_MIN_HEADINGS = 3
TOC_DEPTH = 2


def flatten_count(tokens) -> int:
    return sum(1 + flatten_count(token.get("children", [])) for token in tokens)


def entries(tokens, depth: int) -> list[dict]:
    if depth <= 0:
        return []
    return [{"id": token["id"], "title": Markup(token["name"]),
             "children": entries(token.get("children", []), depth - 1)}
            for token in tokens]


def wanted(setting) -> bool | None:
    """The front matter's ``toc`` as True/False, or None when not given."""
    if setting is None:
        return None
    if isinstance(setting, bool):
        return setting
    return str(setting).strip().lower() not in ("false", "no", "off", "0")


class TableOfContents:
    def content_object_init(self, content):
        if not hasattr(content, "_content"):
            return
        tokens = content.metadata.get("headings") or []
        choice = wanted(content.metadata.get("toc"))
        words = getattr(content, "word_count", None)
        if words is None:
            words = count_words(content._content)
        long_enough = words >= TOC_MIN_WORDS and flatten_count(tokens) >= TOC_MIN_HEADINGS
        show = choice if choice is not None else long_enough
        content.table_of_contents = entries(tokens, TOC_DEPTH) if show and tokens else []


TABLE_OF_CONTENTS = TableOfContents()


def register():
    needs(__name__, "blogtools.plugins.frontmatter")
    signals.content_object_init.connect(TABLE_OF_CONTENTS.content_object_init)
