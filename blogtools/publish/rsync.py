"""Deploy with rsync over SSH, in passes a reader never sees half done.

Pelican's quickstart Makefile runs one ``rsync -rvzc --delete``, which sends
files in name order and deletes as it goes: a page can go live before the image
it shows, or after the page it links to was deleted. Here:

1. a dry run, ``rsync -rvzc --delete --itemize-changes --dry-run SITE/ DEST``,
   lists what would be added, changed and deleted (``-c`` compares by checksum,
   so a rebuilt but identical file is not sent again); ``--dry-run`` stops
   here, and so does the brake on deletions (:func:`.tree.check_deletions`);
2. one pass per phase of :func:`.tree.upload_phases` (new assets, new pages,
   new feeds, then changed ones in the same order), each ``--files-from`` the
   phase's list, without deleting anything;
3. a last pass with ``--delete-after --max-delete=N`` removes what the site no
   longer has, and never more than the dry run listed.

rsync writes each file to a temporary name and renames it into place, so a
killed deploy leaves whole files only (and perhaps a ``.name.XXXXXX`` temporary
that the next run deletes); running it again completes it. ``-P`` (keep partial
files) is left out on purpose: it would put a truncated file at the live name.

``DEST`` is ``user@host:/path/`` (or a local path, as the tests use).
Settings: ``PUBLISH_RSYNC_DEST``, ``PUBLISH_RSYNC_SSH_PORT`` (22),
``PUBLISH_RSYNC_OPTIONS`` (extra arguments, a list).
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from blogtools.publish.tree import Changes, check_deletions, upload_phases

ITEM = re.compile(r"^(?P<op>[<>ch.])(?P<kind>[fdLDS])(?P<flags>\S{9,10}) (?P<path>.+)$")
DELETING = re.compile(r"^\*deleting +(?P<path>.+)$")
MAX_DELETE_EXCEEDED = 25


def command(site: Path, dest: str, *, port: int = 22, dry_run: bool = False,
            extra: list[str] | tuple = (), files_from: Path | None = None,
            max_delete: int | None = None) -> list[str]:
    """One rsync run: the whole tree with ``--delete`` (the plan, the last pass), or
    only the NUL-separated paths listed in ``files_from`` (an upload pass)."""
    args = ["rsync", "-e", f"ssh -p {int(port)}", "-rvzc", "--itemize-changes"]
    if files_from is not None:
        args += [f"--files-from={files_from}", "--from0"]
    elif max_delete is not None:
        args += ["--delete-after", f"--max-delete={max_delete}"]
    else:
        args.append("--delete")
    if dry_run:
        args.append("--dry-run")
    args += list(extra)
    return args + [f"{site}/", dest]


def parse(output: str) -> Changes:
    changes = Changes()
    for line in output.splitlines():
        line = line.rstrip("\r")
        deleting = DELETING.match(line)
        if deleting:
            if not deleting["path"].endswith("/"):
                changes.deleted.append(deleting["path"])
            continue
        item = ITEM.match(line)
        if not item or item["kind"] != "f":
            continue
        if item["flags"].startswith("+++++++"):
            changes.added.append(item["path"])
        elif item["op"] in "<>":
            changes.changed.append(item["path"])
    return changes.sort()


def folders_deleted(output: str) -> int:
    """Folders the run deletes: rsync's ``--max-delete`` counts them with the files."""
    return sum(1 for line in output.splitlines()
               if (m := DELETING.match(line.rstrip("\r"))) and m["path"].endswith("/"))


def run(args: list[str]) -> str:
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode == MAX_DELETE_EXCEEDED:
        raise RuntimeError("rsync stopped deleting: the destination changed since the dry run "
                           "(more to delete than listed); run the deploy again")
    if done.returncode:
        raise RuntimeError(f"rsync failed (exit {done.returncode}): {done.stderr.strip()}")
    return done.stdout


def deploy(site: Path, settings: dict, *, dest: str | None = None, dry_run: bool = False,
           log=print, force: bool = False, **_) -> Changes:
    target = dest or settings.get("PUBLISH_RSYNC_DEST")
    if not target:
        raise RuntimeError("no rsync destination: set PUBLISH_RSYNC_DEST in publishconf.py "
                           "(user@host:/var/www/blog/) or pass --dest")
    if shutil.which("rsync") is None:
        raise RuntimeError("rsync is not installed (Debian: apt-get install rsync)")
    options = {"port": settings.get("PUBLISH_RSYNC_SSH_PORT", 22),
               "extra": settings.get("PUBLISH_RSYNC_OPTIONS") or ()}
    plan_args = command(site, target, dry_run=True, **options)
    log(f"Target: rsync to {target}, planned with: {shlex.join(plan_args)}")
    plan = run(plan_args)
    changes = parse(plan)
    folders = folders_deleted(plan)
    total = sum(1 for path in site.rglob("*") if path.is_file())
    changes.unchanged = max(total - len(changes.added) - len(changes.changed), 0)
    if dry_run:
        return changes
    check_deletions(changes, settings, force=force)
    phases = upload_phases(changes)
    steps = len(phases) + 1
    with tempfile.TemporaryDirectory(prefix="blog-rsync-") as lists:
        for number, (what, paths) in enumerate(phases, 1):
            listing = Path(lists) / f"phase-{number}"
            listing.write_bytes(b"".join(path.encode("utf-8", "surrogateescape") + b"\0"
                                         for path in paths))
            log(f"rsync pass {number}/{steps}: {len(paths)} {what}")
            run(command(site, target, files_from=listing, **options))
    log(f"rsync pass {steps}/{steps}: delete {len(changes.deleted)} file(s)"
        + (f" and {folders} folder(s)" if folders else ""))
    run(command(site, target, max_delete=len(changes.deleted) + folders, **options))
    return changes
