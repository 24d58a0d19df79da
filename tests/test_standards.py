"""The built site against the standards, checked with tools nobody here wrote.

* HTML: every page of the real site (local and published builds) through the
  Nu HTML checker (npm ``vnu-jar``, pinned in package-lock.json, installed by
  ``python3 dev.py test`` with ``npm ci``; run with Debian's headless Java), in
  one Java run: zero errors, and no warning that is not listed in
  ``ACCEPTED_WARNINGS`` with the reason it is harmless (the README lists them).
* Feeds: no package ships the RFC 4287 RELAX NG schema, so every Atom feed is
  parsed by feedparser and checked against each MUST of RFC 4287 that a
  document can break (:func:`atom_errors`), every RSS feed against RSS 2.0's
  required elements and formats (:func:`rss_errors`): zero errors.
* Display formulas: no ``tabindex`` on ``<math>`` (HTML forbids it); the
  focusable, keyboard-scrollable box is the ``math-display`` wrapper.

Without Java or the jar the HTML check is skipped with how to install them,
except in CI (``CI=true``), where that is a failure.
"""

from __future__ import annotations

import email.utils
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from tests.browser import open_page, serve, shared_browser

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
IN_CI = os.environ.get("CI", "").lower() == "true"

# Warnings the Nu HTML checker gives on the real site, each with why it is not a
# fault. Any other warning fails test_html_warnings_are_the_accepted_ones.
ACCEPTED_WARNINGS = {
    r"^Inline script violates Content Security Policy \(meta tag\): blocked by “script-src”":
        "the only inline script is the JSON-LD data block (type=application/ld+json), which "
        "browsers never run, so CSP does not apply to it; tests/test_browser_csp.py checks "
        "that Chromium reports no CSP violation",
    r"^Resource violates Content Security Policy \(meta tag\): image “[^”]*” blocked by “img-src”":
        "img-src is 'self'; the checker reads the pages from file: URLs, whose origin is "
        "opaque, so it cannot match 'self'. Served, page and image share one origin "
        "(the preview server, or https://shanenolan.dev)",
}


# --- HTML: the Nu HTML checker ------------------------------------------------

def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"the Nu HTML checker cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def vnu(site, published_site, tmp_path_factory) -> dict[str, list[dict]]:
    """Nu HTML checker messages for every HTML file of both builds and a canary,
    in one Java run: ``{"site" | "published_site" | "canary": [message, ...]}``."""
    java = shutil.which("java")
    if java is None:
        _unavailable("java is missing (apt-get install default-jre-headless)")
    if not VNU_JAR.is_file():
        _unavailable(f"{VNU_JAR.relative_to(ROOT)} is missing (run `npm ci --ignore-scripts`)")
    canary = tmp_path_factory.mktemp("vnu-canary")
    (canary / "bad.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>'
        '<body><math display="block" tabindex="0"><mi>x</mi></math></body></html>')
    folders = {"site": site, "published_site": published_site, "canary": canary}
    run = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--exit-zero-always",
         "--skip-non-html", "--also-check-svg", *(str(f) for f in folders.values())],
        capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    messages = json.loads(run.stdout)["messages"]
    found: dict[str, list[dict]] = {name: [] for name in folders}
    for message in messages:
        path = Path(unquote(urlsplit(message.get("url", "")).path))
        name = next((n for n, f in folders.items() if path.is_relative_to(f)), None)
        assert name is not None, message  # a message about no file: the run itself failed
        message["file"] = path.relative_to(folders[name]).as_posix()
        found[name].append(message)
    return found


def describe(message: dict) -> str:
    return f"{message['file']}:{message.get('lastLine', 1)}: {message['type']}: {message['message']}"


def is_error(message: dict) -> bool:
    # "non-document-error": the checker could not read or parse a file.
    return message["type"] in ("error", "non-document-error") or message.get("subType") == "fatal"


def test_the_checker_reports_what_it_should(vnu):
    # The canary proves the run checked files and that errors are read back.
    assert [m["message"] for m in vnu["canary"] if is_error(m)] == [
        "Attribute “tabindex” not allowed on element “math” at this point."]


@pytest.mark.parametrize("build", ["site", "published_site"])
def test_every_page_has_no_html_errors(vnu, build, request):
    folder = request.getfixturevalue(build)
    assert len(list(folder.rglob("*.html"))) >= 10
    errors = [describe(m) for m in vnu[build] if is_error(m)]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("build", ["site", "published_site"])
def test_html_warnings_are_the_accepted_ones(vnu, build):
    unexplained = [describe(m) for m in vnu[build] if not is_error(m)
                   and not any(re.search(p, m["message"]) for p in ACCEPTED_WARNINGS)]
    assert not unexplained, ("warnings not in ACCEPTED_WARNINGS (fix them, or add them with why "
                             "they are harmless, and list them in the README):\n"
                             + "\n".join(unexplained))


# --- display formulas: focusable wrapper, never a tabindex on <math> ----------

def test_no_tabindex_on_math_and_each_display_formula_box_is_focusable(site):
    display = 0
    for page in site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for math in soup.find_all("math"):
            assert not math.has_attr("tabindex"), (page, str(math)[:120])
            if math.get("display") == "block":
                display += 1
                box = math.parent
                assert "math-display" in box.get("class", []), (page, str(box)[:120])
                assert box.get("tabindex") == "0" and box.get("role") == "group", str(box)[:120]
                assert box.get("aria-label"), str(box)[:120]
    assert display >= 9  # the study-points post's formulas


def test_a_wide_formula_scrolls_from_the_keyboard(tiny_site):
    wide = " + ".join(f"x_{{{i}}}" for i in range(60))
    tiny_site.post("wide", body=f"Before.\n\n$$\n{wide}\n$$\n\nIn a paragraph $${wide}$$ too.\n")
    result = tiny_site.build()
    assert result.ok, result.problems
    server, base = serve(tiny_site.output)
    loaded = open_page(shared_browser(), base, "/posts/wide/", width=390)
    try:
        page = loaded.page
        for kind in ("DIV", "SPAN"):
            for _ in range(60):  # Tab until a formula box of this kind has focus
                page.keyboard.press("Tab")
                if page.evaluate("() => document.activeElement.matches('.math-display')"
                                 f" && document.activeElement.tagName === '{kind}'"):
                    break
            else:
                pytest.fail(f"Tab never reaches the {kind.lower()} formula box")
            box = page.evaluate("() => [document.activeElement.scrollWidth,"
                                " document.activeElement.clientWidth, document.activeElement.scrollLeft]")
            assert box[0] > box[1] and box[2] == 0, box  # wider than the screen, at its start
            page.keyboard.press("ArrowRight")
            page.wait_for_function("() => document.activeElement.scrollLeft > 0")
            page.keyboard.press("ArrowLeft")
            page.wait_for_function("() => document.activeElement.scrollLeft === 0")
            # The formula starts inside the box: no part of it is cut off to the left.
            assert page.evaluate(
                "() => document.activeElement.querySelector('semantics > :first-child')"
                ".getBoundingClientRect().left >= document.activeElement.getBoundingClientRect().left")
        assert loaded.horizontal_overflow() <= 0
        assert not loaded.problems(), loaded.problems()
    finally:
        loaded.page.context.close()
        server.shutdown()
        server.server_close()


# --- feeds: RFC 4287 (Atom) and RSS 2.0 ---------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
XHTML_DIV = "{http://www.w3.org/1999/xhtml}div"
# RFC 3339 date-time (section 5.6), with the upper-case T and Z RFC 4287 3.3 requires.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")       # absolute (RFC 3987)
IRI_REFERENCE = re.compile(r"^[^\s<>\"{}|\\^`]*$")                     # absolute or relative
MEDIA_TYPE = re.compile(r"^[\w!#$&^.+-]+/[\w!#$&^.+-]+(\s*;.*)?$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
ADDR_SPEC = re.compile(r"^[^@\s]+@[^@\s]+$")
TEXT_TYPES = ("text", "html", "xhtml")


def _count(parent, name: str) -> int:
    return len(parent.findall(ATOM + name))


def _text_construct(element, where: str) -> list[str]:
    """RFC 4287 3.1."""
    kind = element.get("type", "text")
    if kind not in TEXT_TYPES:
        return [f"{where}: type {kind!r} is not text, html or xhtml (3.1.1)"]
    children = list(element)
    if kind in ("text", "html") and children:
        return [f"{where}: type {kind} holds child elements, not text (3.1.1.1/3.1.1.2)"]
    if kind == "xhtml" and (len(children) != 1 or children[0].tag != XHTML_DIV):
        return [f"{where}: xhtml content is not a single xhtml:div (3.1.1.3)"]
    return []


def _date(element, where: str) -> list[str]:
    """RFC 4287 3.3."""
    return [] if RFC3339.match((element.text or "").strip()) else [
        f"{where}: {element.text!r} is not an RFC 3339 date-time (3.3)"]


def _person(element, where: str) -> list[str]:
    """RFC 4287 3.2."""
    errors = []
    if _count(element, "name") != 1:
        errors.append(f"{where}: needs exactly one atom:name (3.2.1)")
    for name, pattern, section in (("uri", IRI_REFERENCE, "3.2.2"), ("email", ADDR_SPEC, "3.2.3")):
        found = element.findall(ATOM + name)
        if len(found) > 1:
            errors.append(f"{where}: more than one atom:{name} ({section})")
        errors += [f"{where}: atom:{name} {f.text!r} is malformed ({section})"
                   for f in found if not pattern.match((f.text or "").strip())]
    return errors


def _links(parent, where: str) -> list[str]:
    """RFC 4287 4.2.7, and at most one alternate link per type and hreflang (4.1.1, 4.1.2)."""
    errors, alternates = [], set()
    for link in parent.findall(ATOM + "link"):
        href = link.get("href")
        if href is None or not IRI_REFERENCE.match(href):
            errors.append(f"{where}: atom:link without a valid href (4.2.7.1)")
        rel = link.get("rel", "alternate")
        if not (re.match(r"^[A-Za-z0-9._~!$&'()*+,;=:@%-]+$", rel) and ":" not in rel or IRI.match(rel)):
            errors.append(f"{where}: atom:link rel {rel!r} is neither a name nor an IRI (4.2.7.2)")
        if link.get("type") is not None and not MEDIA_TYPE.match(link.get("type")):
            errors.append(f"{where}: atom:link type {link.get('type')!r} is not a media type (4.2.7.3)")
        if link.get("hreflang") is not None and not LANGUAGE_TAG.match(link.get("hreflang")):
            errors.append(f"{where}: atom:link hreflang is not a language tag (4.2.7.4)")
        if link.get("length") is not None and not link.get("length").isdigit():
            errors.append(f"{where}: atom:link length is not a number of octets (4.2.7.6)")
        if rel in ("alternate", "http://www.iana.org/assignments/relation/alternate"):
            key = (link.get("type"), link.get("hreflang"))
            if key in alternates:
                errors.append(f"{where}: two alternate links with the same type and hreflang")
            alternates.add(key)
    return errors


def _common(parent, where: str, once: tuple[str, ...], at_most_once: tuple[str, ...]) -> list[str]:
    errors = [f"{where}: needs exactly one atom:{n}" for n in once if _count(parent, n) != 1]
    errors += [f"{where}: more than one atom:{n}" for n in at_most_once if _count(parent, n) > 1]
    for ident in parent.findall(ATOM + "id"):
        if not IRI.match((ident.text or "").strip()):
            errors.append(f"{where}: atom:id {ident.text!r} is not an absolute IRI (4.2.6)")
    for name in ("title", "subtitle", "summary", "rights"):
        for element in parent.findall(ATOM + name):
            errors += _text_construct(element, f"{where} atom:{name}")
    for name in ("updated", "published"):
        for element in parent.findall(ATOM + name):
            errors += _date(element, f"{where} atom:{name}")
    for name in ("author", "contributor"):
        for element in parent.findall(ATOM + name):
            errors += _person(element, f"{where} atom:{name}")
    for category in parent.findall(ATOM + "category"):
        if not category.get("term"):
            errors.append(f"{where}: atom:category without a term (4.2.2.1)")
        if category.get("scheme") is not None and not IRI.match(category.get("scheme")):
            errors.append(f"{where}: atom:category scheme is not an IRI (4.2.2.2)")
    for name in ("icon", "logo"):
        for element in parent.findall(ATOM + name):
            if not IRI_REFERENCE.match((element.text or "").strip()):
                errors.append(f"{where}: atom:{name} is not an IRI reference (4.2.5/4.2.8)")
    for generator in parent.findall(ATOM + "generator"):
        if generator.get("uri") is not None and not IRI_REFERENCE.match(generator.get("uri")):
            errors.append(f"{where}: atom:generator uri is not an IRI reference (4.2.4)")
    return errors + _links(parent, where)


def _content(entry, where: str) -> list[str]:
    """RFC 4287 4.1.3, and the summary an entry then needs (4.1.2)."""
    errors = []
    contents = entry.findall(ATOM + "content")
    if len(contents) > 1:
        errors.append(f"{where}: more than one atom:content (4.1.2)")
    if not contents:
        if not any(link.get("rel", "alternate") == "alternate" for link in entry.findall(ATOM + "link")):
            errors.append(f"{where}: no atom:content and no alternate link (4.1.2)")
        return errors
    content = contents[0]
    kind = content.get("type", "text")
    needs_summary = False
    if kind in TEXT_TYPES:
        errors += _text_construct(content, f"{where} atom:content")
    elif not MEDIA_TYPE.match(kind) or kind.split("/")[0].lower() in ("multipart", "message"):
        errors.append(f"{where}: atom:content type {kind!r} is not text, html, xhtml or a "
                      f"non-composite media type (4.1.3.1)")
    elif not (kind.endswith(("+xml", "/xml")) or kind.startswith("text/")):
        needs_summary = True  # Base64-encoded content (4.1.3.3)
    if content.get("src") is not None:
        needs_summary = True
        if not IRI_REFERENCE.match(content.get("src")):
            errors.append(f"{where}: atom:content src is not an IRI reference (4.1.3.2)")
        if len(content) or (content.text or "").strip():
            errors.append(f"{where}: atom:content with src must be empty (4.1.3.2)")
    if needs_summary and _count(entry, "summary") == 0:
        errors.append(f"{where}: needs an atom:summary (4.1.2)")
    return errors


def atom_errors(data: bytes) -> list[str]:
    """Each MUST of RFC 4287 that ``data`` breaks (empty: a conforming Atom feed document)."""
    try:
        feed = etree.fromstring(data)
    except etree.XMLSyntaxError as error:
        return [f"not well-formed XML: {error} (2)"]
    if feed.tag != ATOM + "feed":
        return [f"the root element is {feed.tag}, not atom:feed (4.1.1)"]
    errors = _common(feed, "feed", ("id", "title", "updated"),
                     ("generator", "icon", "logo", "rights", "subtitle"))
    feed_has_author = _count(feed, "author") > 0
    for number, entry in enumerate(feed.findall(ATOM + "entry"), 1):
        where = f"entry {number}"
        errors += _common(entry, where, ("id", "title", "updated"),
                          ("published", "rights", "source", "summary"))
        source = entry.find(ATOM + "source")
        if not (_count(entry, "author") or feed_has_author
                or (source is not None and _count(source, "author"))):
            errors.append(f"{where}: no atom:author in the entry, its source or the feed (4.1.2)")
        errors += _content(entry, where)
    return errors


def atom_warnings(data: bytes) -> list[str]:
    """What RFC 4287 says a feed SHOULD do and this one does not."""
    feed = etree.fromstring(data)
    warnings = []
    if not any(link.get("rel") == "self" for link in feed.findall(ATOM + "link")):
        warnings.append("feed: no atom:link rel=self (4.1.1)")
    seen: dict[str, str] = {}
    for entry in feed.findall(ATOM + "entry"):
        ident, updated = entry.findtext(ATOM + "id"), entry.findtext(ATOM + "updated")
        if seen.get(ident) == updated:
            warnings.append(f"two entries with id {ident} and the same atom:updated (4.1.1)")
        seen[ident] = updated
    return warnings


def _rfc822(value: str | None) -> bool:
    """RSS 2.0 dates are RFC 822 date-times (four-digit years allowed)."""
    if not value or not re.match(r"^(\w{3}, )?\d{1,2} \w{3} \d{2,4} \d{2}:\d{2}(:\d{2})? \S+$",
                                 value.strip()):
        return False
    return email.utils.parsedate_tz(value) is not None


def rss_errors(data: bytes) -> list[str]:
    """What ``data`` breaks of RSS 2.0's required elements and formats."""
    try:
        rss = etree.fromstring(data)
    except etree.XMLSyntaxError as error:
        return [f"not well-formed XML: {error}"]
    if rss.tag != "rss" or rss.get("version") != "2.0":
        return ['the root element is not <rss version="2.0">']
    channels = rss.findall("channel")
    if len(channels) != 1:
        return ["<rss> needs exactly one <channel>"]
    channel = channels[0]
    errors = [f"channel: needs exactly one <{n}>" for n in ("title", "link", "description")
              if len(channel.findall(n)) != 1]
    link = channel.findtext("link") or ""
    if not re.match(r"^https?://\S+$", link.strip()):
        errors.append(f"channel: <link> {link!r} is not an absolute http(s) URL")
    for name in ("pubDate", "lastBuildDate"):
        for element in channel.findall(name):
            if not _rfc822(element.text):
                errors.append(f"channel: <{name}> {element.text!r} is not an RFC 822 date")
    for number, item in enumerate(channel.findall("item"), 1):
        where = f"item {number}"
        if item.find("title") is None and item.find("description") is None:
            errors.append(f"{where}: needs a <title> or a <description>")
        for name in ("link", "comments"):
            for element in item.findall(name):
                if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", (element.text or "").strip()):
                    errors.append(f"{where}: <{name}> {element.text!r} is not an absolute URL")
        for element in item.findall("pubDate"):
            if not _rfc822(element.text):
                errors.append(f"{where}: <pubDate> {element.text!r} is not an RFC 822 date")
        guids = item.findall("guid")
        if len(guids) > 1:
            errors.append(f"{where}: more than one <guid>")
        for guid in guids:
            flag = guid.get("isPermaLink", "true")
            if flag not in ("true", "false"):
                errors.append(f"{where}: <guid isPermaLink={flag!r}> is neither true nor false")
            elif flag == "true" and not re.match(r"^https?://\S+$", (guid.text or "").strip()):
                errors.append(f"{where}: <guid> {guid.text!r} is not a URL, so it needs "
                              f'isPermaLink="false"')
        for enclosure in item.findall("enclosure"):
            if not all(enclosure.get(a) for a in ("url", "length", "type")):
                errors.append(f"{where}: <enclosure> needs url, length and type")
    return errors


def rss_warnings(data: bytes) -> list[str]:
    channel = etree.fromstring(data).find("channel")
    warnings = []
    if not (channel.findtext("description") or "").strip():
        warnings.append("channel: <description> is empty (it is required; the site has no "
                        "SITESUBTITLE to fill it)")
    guids = [g.text for g in channel.iter("guid")]
    if len(guids) != len(set(guids)):
        warnings.append("two items share a <guid>")
    return warnings


def feeds(folder: Path) -> list[Path]:
    found = sorted(p for p in folder.rglob("*.xml") if p.name != "sitemap.xml")
    assert len(found) >= 3, found
    return found


def kind_of(path: Path) -> str:
    root = etree.parse(str(path)).getroot().tag
    return {ATOM + "feed": "atom", "rss": "rss"}[root]


# Warnings the feed checks give on the real site; any other fails the test.
ACCEPTED_FEED_WARNINGS: dict[str, str] = {}  # none: every feed meets its specification


@pytest.mark.parametrize("build", ["site", "published_site"])
def test_every_feed_meets_its_specification(build, request):
    problems, kinds = [], set()
    for path in feeds(request.getfixturevalue(build)):
        data = path.read_bytes()
        kind = kind_of(path)
        kinds.add(kind)
        parsed = feedparser.parse(data)
        if parsed.bozo:
            problems.append(f"{path.name}: feedparser: {parsed.bozo_exception}")
        assert parsed.version == ("atom10" if kind == "atom" else "rss20"), (path, parsed.version)
        check, warn = (atom_errors, atom_warnings) if kind == "atom" else (rss_errors, rss_warnings)
        problems += [f"{path.name}: {e}" for e in check(data)]
        problems += [f"{path.name}: warning: {w}" for w in warn(data)
                     if not any(w.startswith(a) for a in ACCEPTED_FEED_WARNINGS)]
    assert kinds == {"atom", "rss"}
    assert not problems, "\n".join(problems)


ATOM_OK = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>https://e.org/</id>
<updated>2020-01-01T00:00:00Z</updated><link href="https://e.org/f.xml" rel="self"/>
<entry><title>E</title><id>tag:e.org,2020:/a/</id><updated>2020-01-01T00:00:00+00:00</updated>
<author><name>A</name></author><link href="https://e.org/a/"/>
<content type="html">&lt;p&gt;x&lt;/p&gt;</content></entry></feed>"""


@pytest.mark.parametrize("old, new, expected", [
    (b"", b"", None),
    (b"<title>T</title>", b"", "feed: needs exactly one atom:title"),
    (b"<id>https://e.org/</id>", b"<id>/relative</id>", "is not an absolute IRI (4.2.6)"),
    (b"2020-01-01T00:00:00Z", b"2020-01-01 00:00:00Z", "is not an RFC 3339 date-time (3.3)"),
    (b"<author><name>A</name></author>", b"", "no atom:author"),
    (b'<content type="html">', b'<content type="html" src="https://e.org/x">',
     "atom:content with src must be empty"),
    (b'<content type="html">', b'<content type="HTML">', "is not text, html, xhtml or a"),
    (b'<link href="https://e.org/a/"/>', b'<link href="https://e.org/a/"/><link href="https://e.org/b/"/>',
     "two alternate links with the same type and hreflang"),
    (b"<name>A</name>", b"<name>A</name><name>B</name>", "needs exactly one atom:name"),
])
def test_atom_check_catches_each_kind_of_fault(old, new, expected):
    errors = atom_errors(ATOM_OK.replace(old, new, 1))
    if expected is None:
        assert errors == []
    else:
        assert any(expected in e for e in errors), errors


RSS_OK = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>T</title><link>https://e.org/</link><description>D</description>
<lastBuildDate>Tue, 15 Dec 2020 13:00:00 +0000</lastBuildDate>
<item><title>I</title><link>https://e.org/a/</link><pubDate>Tue, 15 Dec 2020 13:00:00 +0000</pubDate>
<guid isPermaLink="false">tag:e.org,2020:/a/</guid></item></channel></rss>"""


@pytest.mark.parametrize("old, new, expected", [
    (b"", b"", None),
    (b' isPermaLink="false"', b"", 'is not a URL, so it needs isPermaLink="false"'),
    (b"<description>D</description>", b"", "channel: needs exactly one <description>"),
    (b"<link>https://e.org/a/</link>", b"<link>/a/</link>", "is not an absolute URL"),
    (b"Tue, 15 Dec 2020 13:00:00 +0000</pubDate>", b"2020-12-15T13:00:00Z</pubDate>",
     "is not an RFC 822 date"),
    (b"<title>I</title>", b"", "item 1: needs a <title> or a <description>"),
    (b'version="2.0"', b'version="0.91"', 'not <rss version="2.0">'),
])
def test_rss_check_catches_each_kind_of_fault(old, new, expected):
    errors = rss_errors(RSS_OK.replace(old, new, 1))
    if expected is None:
        assert errors == []
    else:
        assert any(expected in e for e in errors), errors
