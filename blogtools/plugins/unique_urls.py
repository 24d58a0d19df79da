"""Two content files never claim the same address.

Pelican treats a second post with the same slug as a "translation" and only
warns, and two files saved to one path overwrite each other. This plugin finds
every such clash after reading and reports it against the file edited
most recently, on its ``slug`` line (or line 1), naming the file it clashes with.
"""

from __future__ import annotations

import logging
import os

from pelican import signals

from blogtools.errors import ContentError, display_path, line_of
from blogtools.plugins.site import all_content

logger = logging.getLogger(__name__)
# Pelican's own warnings for the same clash, without file lines: ours replace them.
PELICAN_CLASH_WARNINGS = ('There are %s items "%s" with lang %s',
                          "There are %s original (not translated) items %s")


def drop_pelican_clash_warnings(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith(PELICAN_CLASH_WARNINGS)


def claimed_address(content) -> str:
    """The address a content item claims, translation or not."""
    kind = "page" if content.__class__.__name__ == "Page" else "post"
    return f"{kind} {content.slug} ({content.lang})"


def all_generators_finalized(generators):
    owners: dict[str, object] = {}
    saved: dict[str, object] = {}
    # The most recently edited file of a clashing pair is the one reported.
    newest_last = sorted(all_content(generators),
                         key=lambda c: (os.path.getmtime(c.source_path), c.source_path))
    for content in newest_last:
        clashes = []
        address = claimed_address(content)
        if address in owners:
            clashes.append((f"slug '{content.slug}'", owners[address]))
        owners.setdefault(address, content)
        save_as = os.path.normpath(content.save_as) if content.save_as else None
        if save_as and save_as in saved and saved[save_as] is not content:
            clashes.append((f"output file {save_as}", saved[save_as]))
        if save_as:
            saved.setdefault(save_as, content)
        for what, other in clashes[:1]:
            with open(content.source_path, encoding="utf-8-sig") as handle:
                text = handle.read()
            line = line_of(text, f'"{content.slug}"') or line_of(text, "slug") or 1
            logger.error("%s", ContentError(
                f"{what} is already used by {display_path(other.source_path)}",
                path=content.source_path, line=line,
                hint="give one of them another slug or file name"))


def register():
    clash_logger = logging.getLogger("pelican.utils")
    if drop_pelican_clash_warnings not in clash_logger.filters:
        clash_logger.addFilter(drop_pelican_clash_warnings)
    signals.all_generators_finalized.connect(all_generators_finalized)
