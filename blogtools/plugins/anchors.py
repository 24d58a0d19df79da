"""Markdown extension: the author's raw ``<a name>`` anchors as valid HTML5 ids.

Hugo posts mark section starts with a raw ``<a name="TopTips"></a>`` on the line
after a heading. Python-Markdown wraps that in an empty paragraph, and ``name``
is obsolete on ``<a>`` in HTML5. This extension runs after raw HTML is restored
and rewrites the HTML: an anchor paragraph right after a heading becomes an
empty ``<span id>`` at the start of that heading (so the old fragment lands on
the heading itself, next to the heading's own readable id), and any other
``<a name="X">`` becomes ``<a id="X">``. The post's Markdown is never edited.
"""

from __future__ import annotations

import re

from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor

# After RawHtmlPostprocessor (30) has put the author's HTML back.
PRIORITY = 5
HEADING_THEN_ANCHOR = re.compile(
    r"(?P<open><h(?P<level>[1-6])(?:\s[^>]*)?>)(?P<inner>.*?</h(?P=level)>)\s*"
    r"<p>\s*(?P<anchors>(?:<a\s+name=\"[^\"]+\"\s*>\s*</a>\s*)+)</p>",
    re.S,
)
ANCHOR_NAME = re.compile(r"<a\s+name=\"([^\"]+)\"\s*>\s*</a>")
NAME_ATTRIBUTE = re.compile(r"<a(\s+)name=(\"[^\"]*\"|'[^']*')")


class AnchorPostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        text = HEADING_THEN_ANCHOR.sub(self._into_heading, text)
        return NAME_ATTRIBUTE.sub(self._name_to_id, text)

    @staticmethod
    def _into_heading(match: re.Match) -> str:
        spans = "".join(f'<span id="{name}"></span>'
                        for name in ANCHOR_NAME.findall(match.group("anchors")))
        return match.group("open") + spans + match.group("inner")

    @staticmethod
    def _name_to_id(match: re.Match) -> str:
        tag_start = match.string[match.start():match.string.find(">", match.start())]
        if re.search(r"\sid=", tag_start):
            return match.group(0)
        return f"<a{match.group(1)}id={match.group(2)}"


class AnchorExtension(Extension):
    def extendMarkdown(self, md):
        md.postprocessors.register(AnchorPostprocessor(md), "blogtools_anchors", PRIORITY)


def makeExtension(**kwargs):
    return AnchorExtension(**kwargs)
