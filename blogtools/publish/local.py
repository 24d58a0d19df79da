"""Deploy to a local folder (the default target), atomically.

The new site is copied next to the destination, then swapped with it in one
``renameat2(RENAME_EXCHANGE)`` system call, so a web server reading the folder
sees either the whole old site or the whole new one, never a mix. Where that
call is missing (not Linux, or a file system without it) two renames are used
instead (:mod:`blogtools.publish.swap`, shared with the build).

A deploy killed half way leaves the live folder whole (the swap is one call)
and at most a staging copy beside it, which the next deploy removes.

Setting: ``PUBLISH_LOCAL_PATH`` (relative paths are relative to the project).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

# exchange: tests/test_publish_local.py imports it from here.
from blogtools.publish.swap import process_alive, replace_folder
from blogtools.publish.tree import Changes, check_deletions, diff_trees


def remove_stale(target: Path) -> list[Path]:
    """Remove staging and old copies that killed deploys left beside ``target``.

    Their names carry the pid of the deploy that made them; one whose process
    still runs (another deploy, now) is left alone. Old copies are removed only
    while ``target`` exists: without it, the newest is the site to restore.
    """
    removed = []
    for kind in ("publish", "old") if target.exists() else ("publish",):
        for path in target.parent.glob(f".{target.name}-{kind}-*-*"):
            pid = path.name[len(f".{target.name}-{kind}-"):].split("-", 1)[0]
            if not pid.isdigit() or (int(pid) != os.getpid() and process_alive(int(pid))):
                continue
            shutil.rmtree(path, ignore_errors=True)
            if not os.path.lexists(path):  # one it could not remove is not reported as removed
                removed.append(path)
    return removed


def destination(settings: dict, dest: str | None, root: Path) -> Path:
    path = Path(dest or settings.get("PUBLISH_LOCAL_PATH") or "public")
    return (path if path.is_absolute() else root / path).resolve()


def deploy(site: Path, settings: dict, *, dest: str | None = None, dry_run: bool = False,
           root: Path, log=print, force: bool = False, **_) -> Changes:
    target = destination(settings, dest, root)
    log(f"Target: local folder {target}")
    if target.exists() and not target.is_dir():
        raise RuntimeError(f"{target} exists and is not a folder")
    changes = diff_trees(site, target)
    if dry_run:
        return changes
    check_deletions(changes, settings, force=force)
    if target.parent.is_dir():
        for path in remove_stale(target):
            changes.notes.append(f"Removed {path.name}, left by a deploy that was killed")
    if changes.empty and target.exists():
        return changes
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}-publish-{os.getpid()}-{time.monotonic_ns()}")
    try:
        shutil.copytree(site, staging, symlinks=True)  # a link is never followed out
        replace_folder(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return changes
