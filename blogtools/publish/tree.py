"""What a deploy changes, in what order it may change it, and how much it may delete.

* :class:`Changes` - files of the built site compared with what is deployed;
* :func:`upload_phases` - the order a target that copies file by file (rsync,
  S3) must follow so that no page a reader can reach links to a file that is
  not there yet;
* :func:`check_deletions` - the brake: a deploy that would delete more than
  ``PUBLISH_MAX_DELETIONS`` files *and* more than ``PUBLISH_MAX_DELETIONS_SHARE``
  of the live files stops before touching anything, unless forced.
"""

from __future__ import annotations

import filecmp
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Changes:
    """Site-relative paths (or object keys) a deploy adds, changes and deletes."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def live(self) -> int:
        """How many files the target holds now (before the deploy)."""
        return self.unchanged + len(self.changed) + len(self.deleted)

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.deleted)

    def sort(self) -> Changes:
        self.added.sort()
        self.changed.sort()
        self.deleted.sort()
        return self

    def describe(self, dry_run: bool) -> list[str]:
        verb = ("Would add", "change", "delete") if dry_run else ("Added", "changed", "deleted")
        lines = [f"{verb[0]} {len(self.added)} file(s), {verb[1]} {len(self.changed)}, "
                 f"{verb[2]} {len(self.deleted)}; {self.unchanged} unchanged."]
        lines += [f"  + {path}" for path in self.added]
        lines += [f"  ~ {path}" for path in self.changed]
        lines += [f"  - {path}" for path in self.deleted]
        lines += self.notes
        return lines


def symlinks(folder: Path) -> list[str]:
    """Every symlink under ``folder``, as a relative path: no deploy may follow one out."""
    found = []
    for directory, dirs, names in os.walk(folder):
        for name in dirs + names:
            path = os.path.join(directory, name)
            if os.path.islink(path):
                found.append(os.path.relpath(path, folder).replace(os.sep, "/"))
    return sorted(found)


def site_files(folder: Path) -> list[str]:
    """Every file under ``folder`` as a '/'-separated relative path, sorted."""
    found = []
    for directory, _, names in os.walk(folder):
        for name in names:
            relative = os.path.relpath(os.path.join(directory, name), folder)
            found.append(relative.replace(os.sep, "/"))
    return sorted(found)


def diff_trees(new: Path, old: Path | None) -> Changes:
    """Compare two folders by content (not by time stamps)."""
    changes = Changes()
    new_files = site_files(new)
    old_files = set(site_files(old)) if old is not None and old.is_dir() else set()
    for path in new_files:
        if path not in old_files:
            changes.added.append(path)
        elif filecmp.cmp(new / path, old / path, shallow=False):
            changes.unchanged += 1
        else:
            changes.changed.append(path)
    changes.deleted = sorted(old_files - set(new_files))
    return changes.sort()


def md5_of(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def git_blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


# Deploy order -------------------------------------------------------------

ASSETS, PAGES, LAST = 0, 1, 2
PAGE_SUFFIXES = (".html", ".htm", ".xhtml")
LAST_NAMES = ("robots.txt",)  # and every .xml: feeds, sitemaps


def deploy_rank(path: str) -> int:
    """Assets (0) go up before pages (1), pages before feeds, sitemaps and robots.txt (2).

    A precompressed copy (``index.html.gz``) ranks with the file it copies.
    """
    name = path.rsplit("/", 1)[-1].lower()
    for suffix in (".gz", ".br"):
        if name.endswith(suffix) and not name.endswith(".tar.gz"):
            name = name[: -len(suffix)]
    if name.endswith(PAGE_SUFFIXES):
        return PAGES
    if name.endswith(".xml") or name in LAST_NAMES:
        return LAST
    return ASSETS


PHASE_NAMES = ("assets", "pages", "feeds, sitemap and robots.txt")


def upload_phases(changes: Changes) -> list[tuple[str, list[str]]]:
    """``[(what, paths)]`` in the order to upload them; empty phases left out.

    New files go first (assets, then pages, then feeds and sitemap), then
    changed ones in the same order, and deletions come after all of them. While
    the new files go up nothing a reader can reach changes (the live pages are
    still the old ones, whose links all exist), and when the first changed file
    goes up every new file it can link to is already there. A plain "assets,
    pages, feeds" order is not enough: a new tag page links to its new tag
    feed, which would still be missing while the changed index links to it.
    """
    phases = []
    for label, paths in (("new", changes.added), ("changed", changes.changed)):
        ranked: list[list[str]] = [[], [], []]
        for path in paths:
            ranked[deploy_rank(path)].append(path)
        for rank, group in enumerate(ranked):
            if group:
                phases.append((f"{label} {PHASE_NAMES[rank]}", sorted(group)))
    return phases


# The brake on deletions -----------------------------------------------------

MAX_DELETIONS = 10
MAX_DELETIONS_SHARE = 0.25
SHOWN_DELETIONS = 20


class DeletionBrake(RuntimeError):
    """A deploy would delete more than the settings allow; nothing was touched."""

    def __init__(self, changes: Changes, max_files: int, max_share: float):
        self.changes = changes
        self.max_files = max_files
        self.max_share = max_share
        super().__init__(self.summary())

    def summary(self) -> str:
        deleted, live = len(self.changes.deleted), self.changes.live
        return (f"this deploy would delete {deleted} of the {live} file(s) at the target "
                f"({deleted / live:.0%}), more than the brake allows: "
                f"PUBLISH_MAX_DELETIONS = {self.max_files} file(s) or "
                f"PUBLISH_MAX_DELETIONS_SHARE = {self.max_share:.0%} of them (publishconf.py)")

    def lines(self) -> list[str]:
        shown = self.changes.deleted[:SHOWN_DELETIONS]
        lines = [f"error: {self.summary()}. Nothing was touched. It would delete:"]
        lines += [f"  - {path}" for path in shown]
        if len(self.changes.deleted) > len(shown):
            lines.append(f"  ... and {len(self.changes.deleted) - len(shown)} more")
        lines.append("Check the destination (--dest, the PUBLISH_* settings) and the build; "
                     "if these deletions are meant, run again with --force.")
        return lines


def deletion_limits(settings: dict) -> tuple[int, float]:
    max_files = settings.get("PUBLISH_MAX_DELETIONS", MAX_DELETIONS)
    max_share = settings.get("PUBLISH_MAX_DELETIONS_SHARE", MAX_DELETIONS_SHARE)
    return (MAX_DELETIONS if max_files is None else int(max_files),
            MAX_DELETIONS_SHARE if max_share is None else float(max_share))


def deletion_brake(changes: Changes, settings: dict) -> DeletionBrake | None:
    """The brake that stops ``changes``, or None when its deletions are within the limits.

    Both limits must be passed: a few deletions are always allowed (on a small
    site a routine change is a large share), and so is a small share of a large
    site (a renamed category removes many pages at once).
    """
    max_files, max_share = deletion_limits(settings)
    deleted = len(changes.deleted)
    if deleted > max_files and deleted > max_share * changes.live:
        return DeletionBrake(changes, max_files, max_share)
    return None


def check_deletions(changes: Changes, settings: dict, *, force: bool = False) -> None:
    """Raise :class:`DeletionBrake` unless the deletions are within the limits or ``force``.

    Every target calls this after computing its changes and before touching
    the live site.
    """
    brake = deletion_brake(changes, settings)
    if brake is not None and not force:
        raise brake
