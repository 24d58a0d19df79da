"""Word count and reading time of every post and page, from its words, not its markup.

``pelican-readtime`` counts the raw HTML, so tags, attributes and MathML's TeX
annotations inflate the estimate. This plugin counts the words a reader sees:
the rendered content's text, without heading permalinks (``#``), scripts,
styles and formula annotations. It sets ``word_count`` and ``reading_time``
(whole minutes, at least one) on each content object.
"""

from __future__ import annotations

import math
import re

import lxml.html
from lxml import etree
from pelican import signals

WORDS_PER_MINUTE = 230
SKIPPED_ELEMENTS = ("script", "style", "annotation", "annotation-xml", "template")
SKIPPED_CLASSES = ("headerlink",)
WORD = re.compile(r"[\w'’.-]*\w[\w'’.-]*")


# lxml directly rather than BeautifulSoup: this runs on every post in every
# build, cached or not, and bs4's tree building cost a third of a cold build.
SKIPPED_CLASS_PATH = etree.XPath(" | ".join(
    f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]" for name in SKIPPED_CLASSES))


def count_words(html: str) -> int:
    if not (html or "").strip():
        return 0
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    etree.strip_elements(root, *SKIPPED_ELEMENTS, with_tail=False)
    for element in SKIPPED_CLASS_PATH(root):
        element.drop_tree()  # keeps the element's tail text
    # Block boundaries separate words, as get_text(" ") did.
    return len(WORD.findall(" ".join(root.itertext())))


def minutes(words: int) -> int:
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


class ReadingTime:
    def content_object_init(self, content):
        if not hasattr(content, "_content"):
            return
        # Counted by the reader (blogtools.plugins.frontmatter) where it rendered the post.
        counted = content.metadata.get("word_count")
        content.word_count = counted if isinstance(counted, int) else count_words(content._content)
        content.reading_time = minutes(content.word_count)


READING_TIME = ReadingTime()


def register():
    signals.content_object_init.connect(READING_TIME.content_object_init)
