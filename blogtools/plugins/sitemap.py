"""sitemap.xml: exactly the published pages of the site, at their absolute addresses.

``pelican-sitemap`` (pinned) was tried first; it writes ``SITEURL``-relative
``<loc>`` values in a local build, stamps every listing with the build time,
lists the 404 page, and, once a build in the same process fails before
``finalized``, never writes a sitemap again. This plugin records every HTML
page Pelican writes (``content_written``) and, on ``finalized``, writes
``sitemap.xml`` with the published posts and pages (never drafts or hidden
ones; alias redirects are written outside Pelican's writer and never seen)
and the listing pages (home, pagination, tags, categories, authors,
archives), without the 404 page. Addresses use ``PUBLIC_URL``; ``lastmod`` is
given for posts and pages only.
"""

from __future__ import annotations

import os
import re
from xml.sax.saxutils import escape

from pelican import signals
from pelican.contents import Article, Page

from blogtools.plugins.site import public_base

SITEMAP_FILE = "sitemap.xml"
EXCLUDED = (re.compile(r"^404\.html$"), re.compile(r"^drafts/"))
INDEX_FILE = re.compile(r"(^|/)index\.html$")
HEADER = ('<?xml version="1.0" encoding="utf-8"?>\n'
          '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
FOOTER = "</urlset>\n"


class Sitemap:
    def __init__(self):
        self.written: dict[str, object] = {}

    def initialized(self, pelican):
        self.written = {}

    def content_written(self, path, context=None):
        context = context or {}
        item = context.get("article") or context.get("page")
        if isinstance(item, (Article, Page)) and getattr(item, "status", "published") != "published":
            return
        self.written[os.path.abspath(path)] = item

    def finalized(self, pelican):
        settings = pelican.settings
        base = public_base(settings)
        pages = {}
        for path, item in self.written.items():
            relative = os.path.relpath(path, os.path.abspath(pelican.output_path)).replace(os.sep, "/")
            if relative.endswith(".html") and not any(p.search(relative) for p in EXCLUDED):
                pages[INDEX_FILE.sub(r"\1", relative)] = item
        lines = [HEADER]
        for address in sorted(pages):
            item = pages[address]
            loc = f"{base}/{address}"
            entry = f"<url><loc>{escape(loc)}</loc>"
            when = getattr(item, "modified", None) or getattr(item, "date", None)
            if item is not None and when is not None:
                entry += f"<lastmod>{when.isoformat()}</lastmod>"
            lines.append(entry + "</url>\n")
        lines.append(FOOTER)
        with open(os.path.join(pelican.output_path, SITEMAP_FILE), "w", encoding="utf-8") as handle:
            handle.write("".join(lines))
        self.written = {}


SITEMAP = Sitemap()


def register():
    signals.initialized.connect(SITEMAP.initialized)
    signals.content_written.connect(SITEMAP.content_written)
    signals.finalized.connect(SITEMAP.finalized)
