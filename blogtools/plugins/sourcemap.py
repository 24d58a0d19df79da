"""Which content file each built page came from, for the link checker.

The author fixes Markdown, not HTML, so the link checker reports the content
file and line behind a broken link. This plugin records, for every page and
post written, ``{output path relative to the site: content source path}`` in
the JSON file named by the ``SOURCEMAP_PATH`` setting (outside the output
folder, so it is never published).
"""

from __future__ import annotations

import json
import os

from pelican import signals

from blogtools.plugins.site import all_content


class SourceMap:
    def __init__(self):
        self.pages: dict[str, str] = {}

    def all_generators_finalized(self, generators):
        self.pages = {content.save_as: os.path.abspath(content.source_path)
                      for content in all_content(generators) if content.save_as}

    def finalized(self, pelican):
        path = pelican.settings.get("SOURCEMAP_PATH")
        if not path:
            return
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(self.pages, handle, indent=1, sort_keys=True)


# One instance per process: blinker holds receivers weakly, and Pelican calls
# register() again for every build in the same process.
SOURCEMAP = SourceMap()


def register():
    sourcemap = SOURCEMAP
    signals.all_generators_finalized.connect(sourcemap.all_generators_finalized)
    signals.finalized.connect(sourcemap.finalized)
