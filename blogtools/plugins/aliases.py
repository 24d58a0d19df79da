"""Hugo ``aliases``: old addresses of a post keep working as redirect pages.

A post's front matter may list ``aliases = ["/2020/12/old-name/"]``, as Hugo
allowed. For each, a tiny HTML page is written at that address that sends the
reader (``<meta http-equiv="refresh">``) and search engines (``rel=canonical``)
to the post. An alias that would overwrite a page of the site is an error.
The list comes from the front matter reader, so this plugin needs
``blogtools.plugins.frontmatter`` (a build without it stops, saying so).
"""

from __future__ import annotations

import html
import os

from pelican import signals

from blogtools.errors import ContentError, line_of
from blogtools.plugins.seo import plain_text
from blogtools.plugins.site import all_content, needs

REDIRECT_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="canonical" href="{url}">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={url}">
</head>
<body>
<p>This post has moved to <a href="{url}">{title}</a>.</p>
</body>
</html>
"""


def alias_save_as(alias: str) -> str:
    path = alias.strip().lstrip("/")
    if not path or path.endswith("/") or "." not in os.path.basename(path):
        path = path.rstrip("/") + "/index.html"
    return os.path.normpath(path)


class Aliases:
    def __init__(self):
        self.redirects: list[tuple[str, object]] = []

    def all_generators_finalized(self, generators):
        self.redirects = []
        taken = {}
        for content in all_content(generators):
            taken[os.path.normpath(content.save_as)] = content
        for content in all_content(generators):
            for alias in content.metadata.get("aliases", []):
                save_as = alias_save_as(alias)
                if save_as.startswith("..") or save_as in taken:
                    with open(content.source_path, encoding="utf-8-sig") as handle:
                        line = line_of(handle.read(), alias)
                    other = taken.get(save_as)
                    reason = (f"is already the address of {other.relative_source_path}"
                              if other else "points outside the site")
                    raise ContentError(f"alias '{alias}' {reason}", path=content.source_path,
                                       line=line, hint="remove or change the alias")
                taken[save_as] = content
                self.redirects.append((save_as, content))

    def finalized(self, pelican):
        siteurl = pelican.settings.get("SITEURL", "")
        for save_as, content in self.redirects:
            target = os.path.join(pelican.output_path, save_as)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            url = f"{siteurl}/{content.url}"
            with open(target, "w", encoding="utf-8") as handle:
                handle.write(REDIRECT_PAGE.format(
                    lang=html.escape(content.lang), title=html.escape(plain_text(content.title)),
                    url=html.escape(url)))


# One instance per process: blinker holds receivers weakly, and Pelican calls
# register() again for every build in the same process.
ALIASES = Aliases()


def register():
    needs(__name__, "blogtools.plugins.frontmatter")
    aliases = ALIASES
    signals.all_generators_finalized.connect(aliases.all_generators_finalized)
    signals.finalized.connect(aliases.finalized)
