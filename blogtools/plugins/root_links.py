"""Root-relative links in content follow the site wherever it is published.

The author writes links as their Hugo blog served them: ``/posts/slug`` and
``/images/avatar.png``. Published under a sub-path (``SITEURL =
"https://example.org/blog"``) or read in a feed reader, such links would point
at the wrong place, so every root-relative ``href``/``src``/``poster``/``srcset``
in rendered content is prefixed with ``SITEURL``. A link that names a post or
page without its trailing slash gets the slash, saving readers a redirect.
The Markdown is never edited; only the rendered HTML is.
"""

from __future__ import annotations

import re

from pelican import signals

from blogtools.plugins.site import all_content

# One pattern per attribute, each starting with its name: a literal prefix lets
# the regex engine skip ahead, twice as fast as one pattern starting at every space.
ROOT_RELATIVE = [re.compile(
    rf"""(?P<attr>{name}(?<=\s{name})\s*=\s*)(?P<quote>["'])(?P<url>/(?!/)[^"']*)(?P=quote)""")
    for name in ("href", "src", "poster")]
QUERY_OR_FRAGMENT = re.compile(r"[?#]")
SRCSET = re.compile(r"""(?P<attr>\ssrcset\s*=\s*)(?P<quote>["'])(?P<value>[^"']*)(?P=quote)""")


class RootLinks:
    """Rewrites root-relative URLs in HTML to live under ``siteurl``."""

    def __init__(self, siteurl: str, content_urls: set[str]):
        self.siteurl = siteurl.rstrip("/")
        self.content_urls = content_urls

    def url(self, url: str) -> str:
        cut = QUERY_OR_FRAGMENT.search(url)
        path, rest = (url[:cut.start()], url[cut.start():]) if cut else (url, "")
        if not path.endswith("/") and path.lstrip("/") + "/" in self.content_urls:
            path += "/"
        return f"{self.siteurl}{path}{rest}"

    def rewrite(self, html: str) -> str:
        for pattern in ROOT_RELATIVE:
            html = pattern.sub(
                lambda m: f"{m['attr']}{m['quote']}{self.url(m['url'])}{m['quote']}", html)
        # Scanning for srcset costs as much as the pass above; most posts have none.
        return SRCSET.sub(self._srcset, html) if "srcset" in html else html

    def _srcset(self, match: re.Match) -> str:
        candidates = []
        for candidate in match["value"].split(","):
            parts = candidate.strip().split(None, 1)
            if parts and parts[0].startswith("/") and not parts[0].startswith("//"):
                parts[0] = self.url(parts[0])
            candidates.append(" ".join(parts))
        return f"{match['attr']}{match['quote']}{', '.join(candidates)}{match['quote']}"


def _links(generators, contents) -> RootLinks:
    return RootLinks(generators[0].settings.get("SITEURL", ""), {c.url for c in contents})


def all_generators_finalized(generators):
    contents = list(all_content(generators))
    if not contents:
        return
    links = _links(generators, contents)
    for content in contents:
        content._content = links.rewrite(content._content)


def refresh(content, generators) -> None:
    """One post's HTML, read again (the live preview's patch), rewritten as the build did."""
    content._content = _links(generators, all_content(generators)).rewrite(content._content)


def register():
    signals.all_generators_finalized.connect(all_generators_finalized)
