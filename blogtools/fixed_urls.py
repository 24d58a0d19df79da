"""Each post's and page's URL worked out once, after every plugin has settled it.

Pelican recomputes ``url`` and ``save_as`` from the URL settings on every
access: a copy of the metadata, two ``relpath`` calls and a ``str.format``,
about 80 µs. The templates, feeds and sitemap ask about 27,000 times on a
1,000-post site, two seconds of every build. Once all generators are
finalized nothing changes a slug, date, language or status, so the values are
pinned with Pelican's own override (what ``url:`` and ``save_as:`` metadata
set). The plugin must be the last in ``PLUGINS``: Pelican sends a signal to
plugins in the order they are listed, so every other plugin has finished
with the content by then.
"""

from __future__ import annotations

import logging

from pelican import signals

from blogtools import plugin_names
from blogtools.site_links import content_of

logger = logging.getLogger(__name__)
FIXED = ("url", "save_as")


class FixedUrls:
    def all_generators_finalized(self, generators):
        if not generators:
            return
        plugins = plugin_names(generators[0].settings)
        if __name__ not in plugins:  # still connected from an earlier build in this process
            return
        if plugins[-1] != __name__:
            logger.warning("%s must be the last entry in PLUGINS (it is at position %d of %d): "
                           "a later plugin could still change a URL",
                           __name__, plugins.index(__name__) + 1, len(plugins))
            return
        for content in content_of(generators):
            for name in FIXED:
                setattr(content, f"override_{name}", getattr(content, name))


FIXED_URLS = FixedUrls()


def register():
    signals.all_generators_finalized.connect(FIXED_URLS.all_generators_finalized)
