"""Parse one built file, once, into the targets it defines and the links it uses.

This is the single parsing pass of the checker (the design of
``untitaker/hyperlink``): every HTML page, feed, sitemap and ``robots.txt`` is
read once, and :func:`collect_file` returns

* the fragment targets the file *defines*: every ``id`` attribute, on any
  element, and every ``<a name>``; and
* the links the file *uses*, each as a :class:`Link` with the URL as written,
  its 1-based line and column in the built file, and what kind of reference
  it is (``a[href]``, ``img[srcset]``, ``meta[og:image]``, ``sitemap <loc>``...).

Nothing here knows about other files: comparing the two sets is the job of
:mod:`blogtools.linkcheck.resolve` and the checker.

lxml (libxml2) parses; it gives each element the line where its start tag
*ends* but no column, so :class:`Locator` finds the attribute's value in the
raw text near that line, in document order, to report an exact column. That
search costs a quarter of the parse, so the checker first collects without
positions (:class:`NoLocator`) and parses again, with them, only the files
that have something to report; links come in the same order both times.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from lxml import etree

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
XML_SUFFIXES = (".xml", ".atom", ".rss")

# <link rel=...> values that name an origin, not a resource: nothing to fetch.
_LINK_REL_SKIP = {"preconnect", "dns-prefetch"}
# <meta property|name=... content=URL> that point at a page or an image.
_META_URL_PROPS = {
    "og:image", "og:image:url", "og:image:secure_url", "og:url", "og:video",
    "og:video:url", "og:video:secure_url", "og:audio", "og:audio:url",
    "twitter:image", "twitter:image:src", "twitter:player", "twitter:url",
}

# A union of plain attribute steps: a third faster in libxml2 than one step with
# a predicate on every attribute, and the same attributes in the same order.
_LINK_XPATH = etree.XPath("|".join(
    f"descendant-or-self::*/@{step}" for step in
    ("href", "src", "srcset", "poster", "data", "content",
     # xlink:href: namespaced in XML; in HTML (inline SVG) a plain attribute of that name
     "*[local-name()='href' or name()='xlink:href']")))
# The links and the targets in one walk of the tree: a sixth less than two XPaths.
_LINK_ID_XPATH = etree.XPath(_LINK_XPATH.path
                             + "|descendant-or-self::*/@id|descendant-or-self::a/@name")
_BASE_XPATH = etree.XPath("descendant-or-self::base[@href][1]/@href")
# Where these bytes are absent there is no <base> to look for (a tenth of a page's XPath time).
_BASE_TAG = re.compile(rb"<base[\s/>]", re.I)
_REFRESH_URL = re.compile(r"^\s*\d*\.?\d*\s*[;,]?\s*(?:url\s*=\s*)?(['\"]?)(.*?)\1\s*$", re.I | re.S)
_SITEMAP_LINE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.I)
_ASCII_WS = " \t\n\r\f"

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RSS_CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


class Link(NamedTuple):
    """One URL used by a built file."""

    url: str          # the URL as written (entities decoded, ASCII whitespace stripped)
    line: int         # 1-based line in the built file
    column: int       # 1-based column (characters) of the URL's first character
    kind: str         # what refers to it: "a[href]", "img[srcset]", "sitemap <loc>"...
    base: str | None  # a base URL that overrides the file's own (<base href>, xml:base)
    context: str | None = None  # in a feed entry: the entry's own link (its page)


class Collected(NamedTuple):
    """What one file defines and uses."""

    path: str                 # site-relative POSIX path of the built file
    ids: frozenset[str]       # fragment targets (ids, <a name>), NFC-normalised
    links: list[Link]
    error: str | None = None  # why the file could not be read, if it could not


def file_type(rel_path: str) -> str | None:
    """``"html"``, ``"xml"``, ``"robots"`` or None for files that hold no links."""
    low = rel_path.lower()
    if low.endswith(HTML_SUFFIXES):
        return "html"
    if low.endswith(XML_SUFFIXES):
        return "xml"
    if low == "robots.txt":
        return "robots"
    return None


class NoLocator:
    """Stands in for :class:`Locator` when positions are not wanted yet: the tag's line, column 0.

    The checker parses every file without columns (finding them costs a quarter
    of the parse) and parses again, with a :class:`Locator`, only the few files
    that have a problem to report.
    """

    def locate(self, value: str, hint_line: int | None) -> tuple[int, int]:
        return hint_line or 1, 0


class Locator:
    """Find the line and column of attribute values in a file's raw text.

    Links are located in document order; a cursor keeps each search after the
    previous hit, so the whole file is scanned about once.
    """

    def __init__(self, text: str):
        self.text = text
        self.starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            self.starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self.cursor = 0

    def line_end(self, line: int) -> int:
        if line < len(self.starts):
            return self.starts[line]
        return len(self.text)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def locate(self, value: str, hint_line: int | None) -> tuple[int, int]:
        """(line, column) of ``value`` as written near ``hint_line``."""
        text = self.text
        hint_line = hint_line or 1
        if not value:
            return hint_line, 1
        # Fast path: the value quoted, after the previous hit, by the end of the tag's line.
        pos = text.find('"' + value, self.cursor, self.line_end(hint_line))
        if pos != -1 and pos >= self.starts[max(0, min(hint_line, len(self.starts)) - 31)]:
            pos += 1
            self.cursor = pos + len(value)
            return self.position(pos)
        variants = [value]
        if "&" in value:
            variants.append(value.replace("&", "&amp;"))
            variants.append(value.replace("&", "&amp;amp;"))
        if '"' in value or "<" in value:
            variants.append(value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;"))
        hint_start = self.starts[max(0, min(hint_line, len(self.starts)) - 31)]
        windows = (
            (max(self.cursor, hint_start), self.line_end(hint_line)),
            (self.cursor, len(text)),
            (hint_start, len(text)),
        )
        for lo, hi in windows:
            if lo >= hi:
                continue
            for variant in variants:
                # Prefer the value as an attribute (after a quote or '='), then anywhere.
                for prefix in ('"', "'", "=", "&quot;", "&#34;", ""):
                    pos = text.find(prefix + variant, lo, hi)
                    if pos != -1:
                        pos += len(prefix)
                        self.cursor = pos + len(variant)
                        return self.position(pos)
        return hint_line, 1


def srcset_urls(value: str) -> list[str]:
    """The URLs of a ``srcset`` attribute (WHATWG candidate parsing, simplified)."""
    urls = []
    i, n = 0, len(value)
    while i < n:
        while i < n and (value[i] in _ASCII_WS or value[i] == ","):
            i += 1
        if i >= n:
            break
        j = i
        while j < n and value[j] not in _ASCII_WS:
            j += 1
        url = value[i:j]
        if url.endswith(","):
            url = url.rstrip(",")
            i = j
        else:
            # Skip the descriptors up to the next comma outside parentheses.
            depth = 0
            while j < n:
                ch = value[j]
                if ch == "(":
                    depth += 1
                elif ch == ")":
                    depth = max(0, depth - 1)
                elif ch == "," and depth == 0:
                    break
                j += 1
            i = j + 1
        if url:
            urls.append(url)
    return urls


def _decode(data: bytes) -> tuple[str, bool]:
    """(text, whether it was UTF-8)."""
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError:
        return data.decode("latin-1"), False


def _nfc(value: str) -> str:
    import unicodedata
    return unicodedata.normalize("NFC", value)


def _html_links(root, locator: Locator, line_offset: int = 0, kind_prefix: str = "",
                base: str | None = None, context: str | None = None,
                may_have_base: bool = True) -> tuple[set[str], list[Link]]:
    """ids and links of a parsed HTML tree (lxml.html / HTMLParser)."""
    ids = set()
    links: list[Link] = []
    if base is None and may_have_base:
        base_hrefs = _BASE_XPATH(root)
        base = base_hrefs[0].strip(_ASCII_WS) if base_hrefs else None
    for attr in _LINK_ID_XPATH(root):
        name = attr.attrname
        if name == "id" or name == "name":  # no link step selects these: a/@name, @id
            ids.add(str(attr))
            continue
        el = attr.getparent()
        tag = el.tag if isinstance(el.tag, str) else ""
        if "}" in tag:
            tag = tag.rsplit("}", 1)[1]
        if "}" in name or ":" in name:  # xlink:href (the XPath selects no other)
            name = "href"
        value = str(attr)
        if tag == "base" and name == "href":
            continue
        if name == "content":
            if tag != "meta":
                continue
            prop = (el.get("property") or el.get("name") or "").strip().lower()
            if prop in _META_URL_PROPS:
                urls = [value.strip(_ASCII_WS)]
                kind = f"meta[{prop}]"
            elif (el.get("http-equiv") or "").strip().lower() == "refresh":
                m = _REFRESH_URL.match(value)
                target = m.group(2).strip(_ASCII_WS) if m else ""
                if not target:
                    continue
                urls = [target]
                kind = "meta[refresh]"
            else:
                continue
        elif name == "srcset":
            urls = srcset_urls(value)
            kind = f"{tag}[srcset]"
        else:
            if name == "data" and tag != "object":
                continue
            if tag == "link":
                rel = set((el.get("rel") or "").lower().split())
                if rel and rel <= _LINK_REL_SKIP:
                    continue
            urls = [value.strip(_ASCII_WS)]
            kind = f"{tag}[{name}]"
        hint = (el.sourceline or 1) + line_offset
        for url in urls:
            line, col = locator.locate(url, hint)
            links.append(Link(url, line, col, kind_prefix + kind, base, context))
    return ids, links


_HTML_PARSERS: dict = {}
_XML_PARSER = None


def _html_parser(encoding: str | None = "utf-8"):
    """An HTML parser; UTF-8 unless the bytes are not UTF-8 (then libxml2 guesses).

    ``huge_tree``: without it libxml2 stops at 255 nested elements, and a page with
    that many unclosed tags would yield no link and no id at all.
    """
    parser = _HTML_PARSERS.get(encoding)
    if parser is None:
        parser = _HTML_PARSERS[encoding] = etree.HTMLParser(
            recover=True, no_network=True, remove_comments=True, remove_pis=True,
            huge_tree=True, encoding=encoding)
    return parser


def _xml_parser():
    global _XML_PARSER
    if _XML_PARSER is None:
        _XML_PARSER = etree.XMLParser(recover=True, no_network=True, resolve_entities=False,
                                      huge_tree=True, remove_comments=True)
    return _XML_PARSER


def parse_html(data: bytes, text: str, utf8: bool = True):
    """An lxml tree of an HTML document, or None when there is nothing to parse.

    ``utf8`` says ``data`` decoded as UTF-8, the encoding Pelican writes; other
    bytes are left to libxml2's detection (``<meta charset>``, else Latin-1).
    """
    if not data.strip():
        return None
    try:
        return etree.fromstring(data, _html_parser("utf-8" if utf8 else None))
    except (etree.XMLSyntaxError, ValueError):
        try:
            return etree.fromstring(text.encode("utf-8", "surrogatepass"), _html_parser())
        except (etree.XMLSyntaxError, ValueError):
            return None


def collect_html(data: bytes, text: str, utf8: bool = True,
                 positions: bool = True) -> tuple[set[str], list[Link]]:
    root = parse_html(data, text, utf8)
    if root is None:
        return set(), []
    return _html_links(root, Locator(text) if positions else NoLocator(),
                       may_have_base=not utf8 or _BASE_TAG.search(data) is not None)


def _inner_html(el, locator: Locator, kind: str, base: str | None,
                context: str | None = None) -> list[Link]:
    """Links in a feed element's HTML content (escaped text, CDATA or inline XHTML)."""
    if el.get("type", "").lower() == "xhtml" or any(
            isinstance(c.tag, str) for c in el):
        _, links = _html_links(el, locator, 0, kind + " ", base or "", context)
        return links
    text = el.text or ""
    if not text.strip():
        return []
    start = (el.sourceline or 1)
    if isinstance(locator, NoLocator):
        # Without positions a link is (url, line in the fragment, kind): the same
        # post's HTML, in every feed that carries it, is parsed once.
        found = _ENTRY_LINKS.get(text)
        if found is None:
            root = parse_html(text.encode("utf-8", "surrogatepass"), text)
            found = [] if root is None else [
                (link.url, link.line, link.kind)
                for link in _html_links(root, locator, 0, "", "", None)[1]]
            if len(_ENTRY_LINKS) > 2000:
                _ENTRY_LINKS.clear()
            _ENTRY_LINKS[text] = found
        return [Link(url, line + start - 1, 0, kind + " " + what, base or "", context)
                for url, line, what in found]
    root = parse_html(text.encode("utf-8", "surrogatepass"), text)
    if root is None:
        return []
    # The text usually starts on the element's own line; lines inside it shift from there.
    _, links = _html_links(root, locator, start - 1, kind + " ", base or "", context)
    return links


# Feed entry HTML → its links without positions (see _inner_html): a post is in
# the full feeds and in each of its category's and tags' feeds.
_ENTRY_LINKS: dict[str, list[tuple[str, int, str]]] = {}


def _xml_base(el) -> str | None:
    """The xml:base in effect for ``el``, joined up its ancestors."""
    from urllib.parse import urljoin
    chain = []
    node = el
    while node is not None:
        b = node.get(XML_BASE)
        if b:
            chain.append(b.strip())
        node = node.getparent()
    if not chain:
        return None
    base = ""
    for b in reversed(chain):
        base = urljoin(base, b) if base else b
    return base


def _entry_link(el) -> str | None:
    """The link of the Atom entry or RSS item that ``el`` is in: the page it came from."""
    for node in el.iterancestors():
        if node.tag == ATOM + "entry":
            for link in node.iterchildren(ATOM + "link"):
                if link.get("rel", "alternate") == "alternate" and link.get("href"):
                    return link.get("href").strip(_ASCII_WS)
            return None
        if node.tag == "item":
            text = node.findtext("link")
            return text.strip(_ASCII_WS) if text else None
    return None


def collect_xml(data: bytes, text: str, positions: bool = True) -> tuple[set[str], list[Link]]:
    """Links of a sitemap, sitemap index, Atom or RSS feed."""
    if not data.strip():
        return set(), []
    try:
        root = etree.fromstring(data, _xml_parser())
    except (etree.XMLSyntaxError, ValueError):
        return set(), []
    if root is None:
        return set(), []
    locator = Locator(text) if positions else NoLocator()
    links: list[Link] = []
    tag = root.tag if isinstance(root.tag, str) else ""
    local = tag.rsplit("}", 1)[-1]

    def add(url: str, el, kind: str, base=None):
        url = (url or "").strip(_ASCII_WS)
        if not url:
            return
        line, col = locator.locate(url, el.sourceline)
        links.append(Link(url, line, col, kind, base, _entry_link(el)))

    if local in ("urlset", "sitemapindex"):
        for el in root.iter():
            if isinstance(el.tag, str) and el.tag.rsplit("}", 1)[-1] == "loc":
                add(el.text, el, "sitemap <loc>")
            elif isinstance(el.tag, str) and el.tag.endswith("}link") and el.get("href"):
                add(el.get("href"), el, "sitemap <xhtml:link>")
    elif local == "feed":  # Atom
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            name = el.tag.rsplit("}", 1)[-1]
            in_entry = any(a.tag == ATOM + "entry" for a in el.iterancestors())
            where = "feed entry" if in_entry else "feed"
            if name == "link" and el.get("href") is not None:
                add(el.get("href"), el, f"{where} <link>", _xml_base(el))
            elif name in ("icon", "logo") and not len(el):
                add(el.text, el, f"{where} <{name}>", _xml_base(el))
            elif name in ("content", "summary") and el.get("src"):
                add(el.get("src"), el, f"{where} <{name} src>", _xml_base(el))
            elif name in ("content", "summary") and el.get("type", "text").lower() in (
                    "html", "xhtml", "text/html"):
                links.extend(_inner_html(el, locator, f"{where} <{name}>", _xml_base(el),
                                         _entry_link(el)))
    elif local in ("rss", "RDF"):
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            name = el.tag.rsplit("}", 1)[-1]
            in_item = any(a.tag.rsplit("}", 1)[-1] == "item" for a in el.iterancestors()
                          if isinstance(a.tag, str))
            where = "feed item" if in_item else "feed"
            if el.tag == "link" or el.tag == "{http://purl.org/rss/1.0/}link":
                add(el.text, el, f"{where} <link>")
            elif el.tag == ATOM + "link" and el.get("href"):
                add(el.get("href"), el, f"{where} <atom:link>")
            elif el.tag == "enclosure" and el.get("url"):
                add(el.get("url"), el, f"{where} <enclosure>")
            elif el.tag == "comments":
                add(el.text, el, f"{where} <comments>")
            elif el.tag == "url" and el.getparent() is not None and el.getparent().tag == "image":
                add(el.text, el, f"{where} <image>")
            elif el.tag == "guid" and (el.get("isPermaLink") or "true").lower() == "true":
                add(el.text, el, f"{where} <guid>")
            elif name in ("description",) or el.tag == RSS_CONTENT + "encoded":
                links.extend(_inner_html(el, locator, f"{where} <{name}>", None,
                                         _entry_link(el)))
    return set(), links


def collect_robots(text: str) -> tuple[set[str], list[Link]]:
    links = []
    for number, raw in enumerate(text.splitlines(), 1):
        m = _SITEMAP_LINE.match(raw)
        if m:
            links.append(Link(m.group(1), number, m.start(1) + 1, "robots.txt Sitemap", None))
    return set(), links


def collect_bytes(rel_path: str, data: bytes, kind: str | None = None,
                  positions: bool = True) -> Collected:
    """Parse already-read ``data`` of the file ``rel_path`` (see :func:`collect_file`)."""
    kind = kind or file_type(rel_path)
    text, utf8 = _decode(data)
    if kind == "html":
        ids, links = collect_html(data, text, utf8, positions)
    elif kind == "xml":
        ids, links = collect_xml(data, text, positions)
    elif kind == "robots":
        ids, links = collect_robots(text)
    else:
        ids, links = set(), []
    return Collected(rel_path, frozenset(_nfc(i) for i in ids), links)


def collect_file(site_dir: str, rel_path: str, positions: bool = True) -> Collected:
    """Read and parse ``site_dir/rel_path`` once: its defined ids and used links.

    With ``positions=False`` each link has the line of its tag and column 0;
    the links come in the same order either way.
    """
    import os
    try:
        with open(os.path.join(site_dir, rel_path), "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return Collected(rel_path, frozenset(), [], f"cannot read: {exc.strerror or exc}")
    return collect_bytes(rel_path, data, positions=positions)
