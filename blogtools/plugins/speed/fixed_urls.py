"""Each post's and page's URL worked out once, after every plugin has settled it.

Pelican recomputes ``url`` and ``save_as`` from the URL settings on every
access: a copy of the metadata, two ``relpath`` calls and a ``str.format``,
about 80 µs. The templates, feeds and sitemap ask about 27,000 times on a
1,000-post site, two seconds of every build. Once all generators are
finalized nothing changes a slug, date, language or status, so the values are
pinned with Pelican's own override (what ``url:`` and ``save_as:`` metadata
set). The speed wing is last in ``PLUGINS`` (its ``__init__`` checks): Pelican
sends a signal to plugins in the order they are listed, so every other plugin
has finished with the content by then.
"""

from __future__ import annotations

from pelican import signals

from blogtools.plugins.site import all_content
from blogtools.plugins.speed.gate import active

FIXED = ("url", "save_as")


def all_generators_finalized(generators) -> None:
    if not generators or not active(generators[0].settings):
        return
    for content in all_content(generators):
        for name in FIXED:
            setattr(content, f"override_{name}", getattr(content, name))


def connect() -> None:
    signals.all_generators_finalized.connect(all_generators_finalized)
