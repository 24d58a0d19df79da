"""Markdown as Hugo's Goldmark renders it, within Python-Markdown (imported Hugo sites only).

:func:`markdown_settings` turns the site's ``MARKDOWN`` into the settings an
imported Hugo site's content is rendered with; the author's own posts never see
them. ``HUGO_GOLDMARK`` (translated by the importer from ``[markup.goldmark]``)
switches each rule as Hugo's config did; Hugo's defaults apply otherwise:

* ``typographer``: quotes, dashes, ellipses and ``<< >>`` (``markdown.extensions.smarty``);
* ``strikethrough`` (``pymdownx.tilde``), ``linkify`` (``pymdownx.magiclink``; a bare
  ``www.`` address with ``linkifyProtocol``), ``tasklist`` (``pymdownx.tasklist``), ``table``,
  ``footnote`` (numbered and linked as Goldmark does: :class:`GoldmarkFootnoteIds`) and
  ``definitionlist``: ``markdown.extensions.extra`` with those three as the rules say;
* fenced code in a list item or a quote too (``pymdownx.superfences``, in place of
  ``fenced_code``, which reads fences only at the top level);
* lists nested as CommonMark nests them, by two, three or four spaces (:func:`commonmark_lists`);
* ``unsafe = false``: raw HTML is left out as ``<!-- raw HTML omitted -->``, as Hugo
  shows it (:class:`OmitRawHtml`; ``<!--more-->`` stays, for the summary);
* heading ids as Goldmark makes them (:func:`goldmark_id`; a repeated one ``x-1``, ``x-2``:
  :class:`GoldmarkHeadingIds`), so old fragment links work;
* Hugo's built-in shortcodes (:mod:`blogtools.plugins.hugo_shortcodes`);
* no ``$`` maths (Hugo renders none unless its passthrough extension is set up).
"""

from __future__ import annotations

import html
import re
import unicodedata

from markdown import Extension
from markdown.blockprocessors import OListProcessor, UListProcessor
from markdown.extensions.toc import remove_fnrefs, render_inner_html, strip_tags
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from blogtools.plugins.hugo_shortcodes import HugoShortcodes, PageContext

OMITTED = "<!-- raw HTML omitted -->"
MORE = re.compile(r"<!--\s*more\s*-->", re.I)
# Hugo's defaults for [markup.goldmark] (Hugo 0.168).
DEFAULTS = {"unsafe": False, "typographer": True, "strikethrough": True, "linkify": True,
            "tasklist": True, "table": True, "footnote": True, "definitionlist": True,
            "linkifyprotocol": "https"}
MATHML = "blogtools.plugins.mathml"
TOC = "markdown.extensions.toc"
EXTRA = "markdown.extensions.extra"
FOOTNOTES = "markdown.extensions.footnotes"
# ``extra``'s parts, each with the Goldmark rule that switches it (None: always on).
EXTRA_PARTS = [(None, "markdown.extensions.abbr"), (None, "markdown.extensions.attr_list"),
               ("definitionlist", "markdown.extensions.def_list"), (None, "pymdownx.superfences"),
               ("footnote", FOOTNOTES), (None, "markdown.extensions.md_in_html"),
               ("table", "markdown.extensions.tables")]


def goldmark_id(value: str, separator: str = "-") -> str:
    """Goldmark's automatic heading id (Hugo's ``autoHeadingIDType = "github"``): lower
    case, letters, digits, ``_`` and ``-`` kept, each space a hyphen, the rest dropped."""
    out = []
    for char in value.strip().lower():
        if char.isspace():
            out.append(separator)
        elif char in "-_" or unicodedata.category(char)[0] in "LN":
            out.append(char)
    return "".join(out)


def goldmark_unique(value: str, used: set[str]) -> str:
    """Goldmark's id for a heading whose id is ``value``, given the ids already in the page:
    ``heading`` for an empty one, then ``x``, ``x-1``, ``x-2``... (Python-Markdown's toc
    makes ``x_1``, which breaks the ``#x-1`` links the Hugo site has)."""
    value = value or "heading"
    found, count = value, 0
    while found in used:
        count += 1
        found = f"{value}-{count}"
    used.add(found)
    return found


HEADING = re.compile(r"[Hh][1-6]")


class _HeadingIds(Treeprocessor):
    def run(self, root):
        used = {el.attrib["id"] for el in root.iter() if "id" in el.attrib}
        for el in root.iter():
            if isinstance(el.tag, str) and HEADING.fullmatch(el.tag) and "id" not in el.attrib:
                text = html.unescape(strip_tags(render_inner_html(remove_fnrefs(el), self.md)))
                el.attrib["id"] = goldmark_unique(goldmark_id(text), used)


class GoldmarkHeadingIds(Extension):
    """Every heading's id as Goldmark gives it, set before the toc extension (which keeps
    an id it finds, and links the heading's permalink to it)."""

    def extendMarkdown(self, md):
        md.treeprocessors.register(_HeadingIds(md), "hugo_heading_ids", 6)


FOOTNOTE_ID = re.compile(r"^(#?)(fn|fnref)(\d*):(.+)$")


class _FootnoteIds(Treeprocessor):
    def run(self, root):
        numbers: dict[str, str] = {}
        for sup in root.iter("sup"):
            match = FOOTNOTE_ID.match(sup.get("id", ""))
            if match and match.group(2) == "fnref":
                numbers.setdefault(match.group(4), str(len(numbers) + 1))
        for el in root.iter():
            for attribute in ("id", "href"):
                match = FOOTNOTE_ID.match(el.get(attribute, ""))
                if match and match.group(4) in numbers:
                    hash_, kind, repeat, label = match.groups()
                    # Python-Markdown's second reference is fnref2:x, Goldmark's fnref1:1.
                    repeat = str(int(repeat) - 1) if repeat else ""
                    el.set(attribute, f"{hash_}{kind}{repeat}:{numbers[label]}")


class GoldmarkFootnoteIds(Extension):
    """Footnotes numbered, and their ids, as Goldmark makes them: in the order the text
    refers to them, ``fn:1`` and ``fnref:1`` whatever their label (Python-Markdown's
    ids carry the label: ``[^checks]`` is ``fn:checks``)."""

    def extendMarkdown(self, md):
        md.treeprocessors.register(_FootnoteIds(md), "hugo_footnote_ids", 14)


class _LinkifyProtocol(Treeprocessor):
    def __init__(self, md, protocol: str):
        super().__init__(md)
        self.protocol = protocol

    def run(self, root):
        for link in root.iter("a"):
            text = "".join(link.itertext())
            if text.startswith("www.") and link.get("href") == f"http://{text}":
                link.set("href", f"{self.protocol}://{text}")


class LinkifyProtocol(Extension):
    """A bare ``www.`` address links with Goldmark's ``linkifyProtocol`` (Hugo's default
    ``https``), not magiclink's ``http``."""

    def __init__(self, protocol: str = "https", **kwargs):
        self.protocol = protocol
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        md.treeprocessors.register(_LinkifyProtocol(md, self.protocol), "hugo_linkify_protocol", 13)


LIST_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)])( +|$)(.*)$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def commonmark_lists(lines: list[str], tab: int = 4) -> list[str]:
    """Nested list items and their paragraphs re-indented ``tab`` spaces a level.

    CommonMark (Goldmark) nests an item under another when it starts at or past the
    other's text column: two spaces under ``- ``, three under ``1. ``, or four.
    Python-Markdown nests by a fixed ``tab_length``, and ``mdx_truly_sane_lists``
    by one other fixed width, so neither reads both ``  - a`` and ``    - a``;
    this preprocessor gives Python-Markdown the nesting CommonMark sees.
    """
    out: list[str] = []
    stack: list[int] = []  # text column of each open item, outermost first
    fence = None
    blank_before = True
    for line in lines:
        if fence:
            out.append(line)
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            continue
        if not line.strip():
            out.append(line)
            blank_before = True
            continue
        indent = len(line) - len(line.lstrip(" "))
        item = LIST_ITEM.match(line)
        if stack and blank_before and not item:
            while stack and indent < stack[-1]:
                stack.pop()  # a paragraph after a blank line, left of the item's text: the list ends
        if not stack and FENCE.match(line):
            fence = FENCE.match(line).group(1)
            out.append(line)
        elif item and (stack or indent < 4):
            while stack and indent < stack[-1]:
                stack.pop()
            level = len(stack)
            marker, gap, text = item.group(2), item.group(3), item.group(4)
            gap = gap if 0 < len(gap) <= 4 else " "
            stack.append(indent + len(marker) + len(gap))
            out.append(" " * (tab * level) + marker + gap + text)
        elif stack and indent >= stack[-1]:
            # A paragraph (or code) inside the innermost item that holds it.
            out.append(" " * (tab * len(stack)) + line[stack[-1]:])
        else:
            out.append(line)  # outside any list, or a lazy continuation line
        blank_before = False
    return out


class _Lists(Preprocessor):
    def run(self, lines):
        return commonmark_lists(lines, self.md.tab_length)


def own_kind_only(processor):
    """A list processor that continues only a list of its own kind: in CommonMark a
    bullet list after a numbered one (or the reverse) is a new list."""
    processor.SIBLING_TAGS = [tag for tag in processor.SIBLING_TAGS if tag == processor.TAG]
    return processor


class CommonMarkLists(Extension):
    """Lists nested (:func:`commonmark_lists`) and separated as CommonMark does."""

    def extendMarkdown(self, md):
        md.preprocessors.register(_Lists(md), "hugo_lists", 29)
        md.parser.blockprocessors.register(own_kind_only(OListProcessor(md.parser)), "olist", 40)
        md.parser.blockprocessors.register(own_kind_only(UListProcessor(md.parser)), "ulist", 30)


class _Mark(Preprocessor):
    """Records where the HTML stash stands, before and after raw HTML blocks are stashed."""

    def __init__(self, md, marks: list):
        super().__init__(md)
        self.marks = marks

    def run(self, lines):
        self.marks.append(len(self.md.htmlStash.rawHtmlBlocks))
        if len(self.marks) == 2:  # after the raw HTML blocks: leave each out
            start, end = self.marks
            for index in range(start, end):
                if not MORE.fullmatch(str(self.md.htmlStash.rawHtmlBlocks[index]).strip()):
                    self.md.htmlStash.rawHtmlBlocks[index] = OMITTED
            self.marks.clear()
        return lines


class _OmitInline(HtmlInlineProcessor):
    def handleMatch(self, m, data):
        return self.md.htmlStash.store(OMITTED), m.start(0), m.end(0)


class OmitRawHtml(Extension):
    """Goldmark with ``unsafe = false``: raw HTML, block or inline, becomes ``<!-- raw HTML omitted -->``.

    Python-Markdown stashes raw HTML blocks in its ``html_block`` preprocessor
    (priority 20), after fenced code (25) has stashed its own HTML; two markers
    around it find exactly the raw blocks, so highlighted code is never touched.
    """

    def extendMarkdown(self, md):
        marks: list[int] = []
        md.preprocessors.register(_Mark(md, marks), "hugo_raw_before", 21)
        md.preprocessors.register(_Mark(md, marks), "hugo_raw_after", 19)
        md.inlinePatterns.register(_OmitInline(HTML_RE, md), "html", 90)


def markdown_settings(markdown: dict, goldmark: dict | None, page: PageContext | None = None) -> dict:
    """The ``MARKDOWN`` settings for an imported Hugo site's content (``page``: its shortcodes)."""
    rules = {**DEFAULTS, **(goldmark or {})}
    extensions = [e for e in markdown.get("extensions", []) if e != MATHML]
    if page is not None:
        extensions.append(HugoShortcodes(page))
    configs = {name: dict(config) for name, config in markdown.get("extension_configs", {}).items()}
    if TOC in extensions:
        configs.setdefault(TOC, {})["slugify"] = goldmark_id
    if EXTRA in extensions:
        at = extensions.index(EXTRA)
        extensions[at:at + 1] = [name for rule, name in EXTRA_PARTS if rules.get(rule, True)]
        configs.pop(EXTRA, None)
    if FOOTNOTES in extensions:
        configs[FOOTNOTES] = {"BACKLINK_TEXT": "\u21a9\ufe0e", "USE_DEFINITION_ORDER": False}
        extensions.append(GoldmarkFootnoteIds())
    extensions.append(CommonMarkLists())
    extensions.append(GoldmarkHeadingIds())
    if rules["typographer"]:
        extensions.append("markdown.extensions.smarty")
        configs["markdown.extensions.smarty"] = {"smart_angled_quotes": True}
    if rules["strikethrough"]:
        extensions.append("pymdownx.tilde")
        configs["pymdownx.tilde"] = {"subscript": False}
    if rules["linkify"]:
        extensions.append("pymdownx.magiclink")
        extensions.append(LinkifyProtocol(rules["linkifyprotocol"]))
    if rules["tasklist"]:
        extensions.append("pymdownx.tasklist")
    if not rules["unsafe"]:
        extensions.append(OmitRawHtml())
    return {**markdown, "extensions": extensions, "extension_configs": configs}
