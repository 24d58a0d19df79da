"""robots.txt that names the sitemap by its absolute address.

A static robots.txt cannot know where the site is published, and the
``Sitemap:`` line must be absolute. On ``finalized`` this plugin writes
``robots.txt`` at the top of the output, naming ``sitemap.xml`` under
``SITEURL`` when that is absolute (the published build) or ``PUBLIC_URL``
otherwise.
"""

from __future__ import annotations

import os

from pelican import signals

from blogtools.plugins.site import public_base

ROBOTS_FILE = "robots.txt"
SITEMAP_FILE = "sitemap.xml"
TEMPLATE = "User-agent: *\nAllow: /\n\nSitemap: {base}/{sitemap}\n"


class Robots:
    def finalized(self, pelican):
        settings = pelican.settings
        base = public_base(settings)
        with open(os.path.join(pelican.output_path, ROBOTS_FILE), "w", encoding="utf-8") as handle:
            handle.write(TEMPLATE.format(base=base, sitemap=SITEMAP_FILE))


ROBOTS = Robots()


def register():
    signals.finalized.connect(ROBOTS.finalized)
