"""What a deploy changes: files of the built site compared with what is deployed."""

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
