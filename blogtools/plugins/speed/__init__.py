"""The speed wing: the same site as plain Pelican, built on every core and rebuilt in part.

One plugin, ``blogtools.plugins.speed``, last in ``PLUGINS``; one setting,
``SPEED_WING = False``, turns it all off; one gate (``gate.py``) turns it off
on a Pelican it was not tested with, saying so in one line. Its parts:

* ``prerender.py``: renders the Markdown of the posts the content cache cannot
  answer in a pool of processes, and hands the results to the front matter
  reader (which never imports it);
* ``parallel_writer.py``: a Pelican writer that queues pages and feeds and
  renders them in forked processes;
* ``render_cache.py``: what each page was made from, so a rebuild links
  unchanged pages from the last good output;
* ``fixed_urls.py``: every URL pinned once the other plugins have settled it.

The byte-equality tests (``tests/test_parallel_writer.py``,
``test_prerender.py``, ``test_render_cache.py``, ``test_speed_wing.py``) hold
the wing to plain Pelican's output.
"""

from __future__ import annotations

import logging

from pelican import signals

from blogtools.plugins.site import needs, note, plugin_names
from blogtools.plugins.speed import fixed_urls, parallel_writer, prerender
from blogtools.plugins.speed.gate import PLUGIN, unsupported, wanted

logger = logging.getLogger(__name__)


def initialized(pelican) -> None:
    settings = pelican.settings
    if not wanted(settings):
        return
    reason = unsupported()
    if reason:
        note(f"{reason}: building with plain Pelican (the same site, slower).")
        return
    plugins = plugin_names(settings)
    if plugins[-1] != PLUGIN:
        # Pelican sends each signal to plugins in PLUGINS order: URLs are pinned
        # once every other plugin is done with them.
        logger.warning("%s must be the last entry in PLUGINS (it is at position %d of %d): "
                       "a later plugin could still change a URL",
                       PLUGIN, plugins.index(PLUGIN) + 1, len(plugins))


def register():
    needs(PLUGIN, "blogtools.plugins.frontmatter")
    signals.initialized.connect(initialized)
    prerender.connect()
    parallel_writer.connect()
    fixed_urls.connect()
