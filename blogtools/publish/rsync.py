"""Deploy with rsync over SSH, as Pelican's quickstart Makefile does.

``rsync -e "ssh -p PORT" -P -rvzc --delete SITE/ DEST``: ``-c`` compares files
by checksum, so a rebuilt but identical file is not sent again; ``--delete``
removes what the site no longer has. ``DEST`` is ``user@host:/path/`` (or a
local path, as the tests use). ``--itemize-changes`` lets us report what was
added, changed and deleted; with ``--dry-run`` rsync only lists it.

Settings: ``PUBLISH_RSYNC_DEST``, ``PUBLISH_RSYNC_SSH_PORT`` (22),
``PUBLISH_RSYNC_OPTIONS`` (extra arguments, a list).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from blogtools.publish.tree import Changes

ITEM = re.compile(r"^(?P<op>[<>ch.])(?P<kind>[fdLDS])(?P<flags>\S{9,10}) (?P<path>.+)$")
DELETING = re.compile(r"^\*deleting +(?P<path>.+)$")


def command(site: Path, dest: str, *, port: int = 22, dry_run: bool = False,
            extra: list[str] | tuple = ()) -> list[str]:
    args = ["rsync", "-e", f"ssh -p {int(port)}", "-P", "-rvzc", "--delete", "--itemize-changes"]
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


def deploy(site: Path, settings: dict, *, dest: str | None = None, dry_run: bool = False,
           log=print, **_) -> Changes:
    target = dest or settings.get("PUBLISH_RSYNC_DEST")
    if not target:
        raise RuntimeError("no rsync destination: set PUBLISH_RSYNC_DEST in publishconf.py "
                           "(user@host:/var/www/blog/) or pass --dest")
    if shutil.which("rsync") is None:
        raise RuntimeError("rsync is not installed (Debian: apt-get install rsync)")
    args = command(site, target, port=settings.get("PUBLISH_RSYNC_SSH_PORT", 22),
                   dry_run=dry_run, extra=settings.get("PUBLISH_RSYNC_OPTIONS") or ())
    log("Target: rsync " + " ".join(args[1:-2]) + f" {args[-2]} {args[-1]}")
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"rsync failed (exit {done.returncode}): {done.stderr.strip()}")
    changes = parse(done.stdout)
    total = sum(1 for path in site.rglob("*") if path.is_file())
    changes.unchanged = max(total - len(changes.added) - len(changes.changed), 0)
    return changes
