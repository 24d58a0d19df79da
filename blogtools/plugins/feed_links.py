"""Feed entries carry absolute URLs only, and RSS guids say what they are.

Pelican makes root-relative links absolute with ``SITEURL`` (and
``blogtools.plugins.root_links`` does the rest), but links inside a post such as
``#LearningMaterials`` or ``images/x.png`` stay relative, and a feed reader
resolves them against the feed, not the post. On ``feed_generated``, every
``href``, ``src`` and ``poster`` and each candidate URL of a ``srcset`` in each
entry's content and summary is resolved against the entry's own link.

Without a ``SITEURL`` (the local preview) Pelican writes the feed's link and
id and each item's link as root-relative paths, and item ids as
``tag:None,...``; both are resolved against ``FEED_DOMAIN`` here, and the ids
made again from the absolute links, so the preview's feeds are valid too.

Pelican gives every item a ``tag:`` URI as its id. In Atom that is what
``<id>`` is for; in RSS 2.0 a ``<guid>`` without ``isPermaLink="false"`` is
declared a URL to the item, which a ``tag:`` URI is not (the W3C feed
validator rejects it). So each item also says whether its id is its link.

A feed with no entries (a taxonomy's feed before its first post) would carry
the build's clock as its ``lastBuildDate``/``updated``, so two builds of the
same sources would differ and every deploy would upload it again. It is dated
by the site's newest post instead, as Hugo dates every feed by the site's
last change.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin

from feedgenerator import get_tag_uri
from pelican import signals

URL_ATTRIBUTE = re.compile(
    r"""(?P<attr>\s(?P<name>href|src|poster|srcset)\s*=\s*)(?P<q>["'])(?P<url>[^"']*)(?P=q)""",
    re.IGNORECASE)
ABSOLUTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
ITEM_FIELDS = ("description", "content")
# The HTML standard's srcset parser: separators are whitespace and commas; a URL
# is a run of non-whitespace (commas inside it included) whose trailing commas
# end the candidate; otherwise descriptors ("2x", "640w") run to the next comma.
SRCSET_SEPARATORS = re.compile(r"[\s,]*")
SRCSET_URL = re.compile(r"\S+")
SRCSET_DESCRIPTORS = re.compile(r"[^,]*")


def _resolve(url: str, base: str) -> str:
    return url if ABSOLUTE.match(url) or not base else urljoin(base, url)


def absolutize_srcset(srcset: str, base: str) -> str:
    """``srcset`` with each candidate's URL resolved against ``base``; separators,
    descriptors and spacing are kept as written."""
    out, pos = [], 0
    while pos < len(srcset):
        separators = SRCSET_SEPARATORS.match(srcset, pos)
        out.append(separators.group())
        pos = separators.end()
        if pos >= len(srcset):
            break
        url = SRCSET_URL.match(srcset, pos).group()
        pos += len(url)
        bare = url.rstrip(",")
        out.append(_resolve(bare, base) + url[len(bare):])
        if bare == url:
            descriptors = SRCSET_DESCRIPTORS.match(srcset, pos)
            out.append(descriptors.group())
            pos = descriptors.end()
    return "".join(out)


# A post appears in up to a dozen feeds (all posts, its category, each tag) with
# the same content and link: resolve it once.
@lru_cache(maxsize=2048)
def absolutize(html: str, base: str) -> str:
    def fix(match: re.Match) -> str:
        url = match["url"]
        if match["name"].lower() == "srcset":
            fixed = absolutize_srcset(url, base)
        else:
            fixed = _resolve(url, base)
        return f"{match['attr']}{match['q']}{fixed}{match['q']}"
    return URL_ATTRIBUTE.sub(fix, html)


def _on_domain(url: str, domain: str) -> str:
    """``url`` made absolute on ``domain`` (``FEED_DOMAIN``) when it is a path."""
    return url if ABSOLUTE.match(url) or not domain else urljoin(domain.rstrip("/") + "/", url)


class AbsoluteFeedLinks:
    def feed_generated(self, context, feed):
        domain = context.get("FEED_DOMAIN") or ""
        for key in ("link", "id"):
            if feed.feed.get(key):
                feed.feed[key] = _on_domain(feed.feed[key], domain)
        for item in feed.items:
            link = item.get("link") or ""
            if link and not ABSOLUTE.match(link) and domain:
                item["link"] = _on_domain(link, domain)
                if item.get("pubdate") is not None:
                    item["unique_id"] = get_tag_uri(item["link"], item["pubdate"])
            base = item.get("link") or ""
            for name in ITEM_FIELDS:
                value = item.get(name)
                if value:
                    item[name] = absolutize(str(value), base)
            # Only RSS writes it (isPermaLink); Atom's <id> needs no such flag.
            if item.get("unique_id") is not None and item.get("unique_id_is_permalink") is None:
                item["unique_id_is_permalink"] = item["unique_id"] == item.get("link")


def newest_post(articles):
    """The latest date (updated, or else published) of ``articles``, or None."""
    return max((getattr(a, "modified", None) or a.date for a in articles), default=None)


def date_empty_feed(context, feed):
    if not feed.items:
        newest = newest_post(context.get("articles") or ())
        if newest is not None:
            feed.latest_post_date = lambda: newest


ABSOLUTE_FEED_LINKS = AbsoluteFeedLinks()


def register():
    signals.feed_generated.connect(ABSOLUTE_FEED_LINKS.feed_generated)
    signals.feed_generated.connect(date_empty_feed)
