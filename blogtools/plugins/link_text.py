"""Descriptive names for links whose text says nothing, without changing the words.

The write-up says "can be found [here](https://www.udemy.com/...)". Screen
reader users who list a page's links, and Lighthouse's SEO audit, hear only
"here". The Jinja filter ``describe_links`` keeps the visible text and appends
a visually hidden description taken from the link's address, so the link's
name becomes e.g. "here: AWS machine learning practice exam (udemy.com)". It
also names the heading permalinks ("#") after their heading. Feeds keep the
author's HTML as written; the filter is applied by the page templates only.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, urlsplit

from markupsafe import Markup
from pelican import signals

GENERIC_TEXT = {"here", "click here", "click this", "go", "info", "information", "learn more",
                "link", "more", "more info", "more information", "read more", "right here",
                "see more", "start", "this", "this link", "this page"}
ACRONYMS = {"aws", "ml", "ai", "api", "pdf", "sql", "nlp", "iam", "s3", "ec2", "xgboost"}
SKIPPED_SEGMENTS = {"index", "details", "view", "course", "dp", "docs", "en", "www"}
PAGE_EXTENSIONS = (".html", ".htm", ".php", ".aspx")
PLAIN_LINK = re.compile(r"<a(?P<attrs>\s[^>]*)>(?P<text>[^<]+)</a>")
HREF = re.compile(r"""\shref=(["'])(?P<href>[^"']*)\1""")
HEADING_PERMALINK = re.compile(
    r"(?P<open><h(?P<level>[1-6])[^>]*>)(?P<inner>.*?)"
    r"<a class=\"headerlink\"(?P<attrs>[^>]*)>(?P<mark>[^<]*)</a>(?P<close></h(?P=level)>)", re.S)
TAG = re.compile(r"<[^>]+>")
WORD_SPLIT = re.compile(r"[-_+\s]+")


def words_of(segment: str) -> str:
    words = []
    for word in WORD_SPLIT.split(segment):
        if not word:
            continue
        if word.lower() in ACRONYMS:
            words.append(word.upper() if word.lower() != "xgboost" else "XGBoost")
        elif word.islower() or word.isupper() and len(word) > 4:
            words.append(word.lower())
        else:
            words.append(word)
    text = " ".join(words)
    return text[:1].upper() + text[1:] if words and words[0].islower() else text


def describe(href: str) -> str:
    """A short description of where a link goes, from its address alone."""
    parts = urlsplit(href)
    host = (parts.hostname or "").removeprefix("www.")
    kind = ""
    name = ""
    for segment in reversed([unquote(s) for s in parts.path.split("/") if s]):
        stem, dot, extension = segment.rpartition(".")
        if dot and len(extension) <= 4 and stem:
            if segment.lower().endswith(PAGE_EXTENSIONS):
                segment = stem
            else:
                kind, segment = extension.upper(), stem
        if segment.isdigit() or segment.lower() in SKIPPED_SEGMENTS or len(segment) < 3 \
                or re.fullmatch(r"[0-9A-Z]{8,}", segment):
            continue
        name = words_of(segment)
        break
    where = ", ".join(part for part in (kind, host) if part)
    if name and where:
        return f"{name} ({where})"
    return name or where or "this page"


def describe_links(content) -> Markup:
    text = str(content or "")

    def plain_link(match: re.Match) -> str:
        label = html.unescape(match["text"]).strip()
        href = HREF.search(match["attrs"])
        if label.lower() not in GENERIC_TEXT or not href or href["href"].startswith("#") \
                or "aria-label" in match["attrs"]:
            return match.group(0)
        extra = html.escape(": " + describe(html.unescape(href["href"])))
        return f'<a{match["attrs"]}>{match["text"]}<span class="visually-hidden">{extra}</span></a>'

    def permalink(match: re.Match) -> str:
        title = " ".join(html.unescape(TAG.sub("", match["inner"])).split())
        if "aria-label" in match["attrs"] or not title:
            return match.group(0)
        label = html.escape(f"Link to section: {title}", quote=True)
        return (f'{match["open"]}{match["inner"]}<a class="headerlink"{match["attrs"]} '
                f'aria-label="{label}">{match["mark"]}</a>{match["close"]}')

    text = PLAIN_LINK.sub(plain_link, text)
    text = HEADING_PERMALINK.sub(permalink, text)
    return Markup(text)


class LinkText:
    def generator_init(self, generator):
        env = getattr(generator, "env", None)
        if env is not None:
            env.filters["describe_links"] = describe_links


LINK_TEXT = LinkText()


def register():
    signals.generator_init.connect(LINK_TEXT.generator_init)
