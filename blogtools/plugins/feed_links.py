"""Feed entries carry absolute URLs only.

Pelican makes root-relative links absolute with ``SITEURL`` (and
``blogtools.plugins.root_links`` does the rest), but links inside a post such as
``#LearningMaterials`` or ``images/x.png`` stay relative, and a feed reader
resolves them against the feed, not the post. On ``feed_generated``, every
``href`` and ``src`` in each entry's content and summary is resolved against
the entry's own link.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin

from pelican import signals

URL_ATTRIBUTE = re.compile(r"""(?P<attr>\s(?:href|src|poster)\s*=\s*)(?P<q>["'])(?P<url>[^"']*)(?P=q)""")
ABSOLUTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
ITEM_FIELDS = ("description", "content")


# A post appears in up to a dozen feeds (all posts, its category, each tag) with
# the same content and link: resolve it once.
@lru_cache(maxsize=2048)
def absolutize(html: str, base: str) -> str:
    def fix(match: re.Match) -> str:
        url = match["url"]
        if ABSOLUTE.match(url) or not base:
            return match.group(0)
        return f"{match['attr']}{match['q']}{urljoin(base, url)}{match['q']}"
    return URL_ATTRIBUTE.sub(fix, html)


class AbsoluteFeedLinks:
    def feed_generated(self, context, feed):
        for item in feed.items:
            base = item.get("link") or ""
            for name in ITEM_FIELDS:
                value = item.get(name)
                if value:
                    item[name] = absolutize(str(value), base)


ABSOLUTE_FEED_LINKS = AbsoluteFeedLinks()


def register():
    signals.feed_generated.connect(ABSOLUTE_FEED_LINKS.feed_generated)
