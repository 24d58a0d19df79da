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

from bs4 import BeautifulSoup
from pelican import signals

WORDS_PER_MINUTE = 230
SKIPPED_ELEMENTS = ("script", "style", "annotation", "annotation-xml", "template")
SKIPPED_CLASSES = ("headerlink",)
WORD = re.compile(r"[\w'’.-]*\w[\w'’.-]*")


def count_words(html: str) -> int:
    soup = BeautifulSoup(html or "", "lxml")
    for element in soup.find_all(SKIPPED_ELEMENTS):
        element.decompose()
    for name in SKIPPED_CLASSES:
        for element in soup.find_all(class_=name):
            element.decompose()
    return len(WORD.findall(soup.get_text(" ")))


def minutes(words: int) -> int:
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


class ReadingTime:
    def content_object_init(self, content):
        if not hasattr(content, "_content"):
            return
        content.word_count = count_words(content._content)
        content.reading_time = minutes(content.word_count)


READING_TIME = ReadingTime()


def register():
    signals.content_object_init.connect(READING_TIME.content_object_init)
