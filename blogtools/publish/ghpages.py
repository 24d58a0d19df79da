"""Deploy to GitHub Pages with ``ghp-import``.

``ghp-import -n -m MESSAGE -b BRANCH [-p -r REMOTE] [-c CNAME] SITE`` commits
the site as the whole tree of BRANCH (with ``.nojekyll`` so GitHub serves
folders starting with ``_``), then pushes it when asked. The whole site is
one commit (``git fast-import`` moves the branch once the commit is complete),
so there is no upload order to get wrong; the brake on deletions
(:func:`.tree.check_deletions`) runs before it.

Settings: ``PUBLISH_GHPAGES_REPO`` (the git repository; default: the
project), ``PUBLISH_GHPAGES_BRANCH`` ("gh-pages"), ``PUBLISH_GHPAGES_REMOTE``
("origin"), ``PUBLISH_GHPAGES_PUSH`` (True), ``PUBLISH_GHPAGES_CNAME`` ("" for
none).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from blogtools.publish.tree import Changes, check_deletions, git_blob_sha, site_files


def branch_files(repo: Path, branch: str) -> dict[str, str]:
    """``{path: blob sha}`` of the branch's tree; {} when it does not exist yet."""
    known = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
                           cwd=repo, capture_output=True)
    if known.returncode:
        return {}
    listing = subprocess.run(["git", "ls-tree", "-r", "-z", "--full-tree", branch],
                             cwd=repo, capture_output=True, check=True).stdout
    files = {}
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, path = entry.split(b"\t", 1)
        files[path.decode("utf-8", "surrogateescape")] = meta.split()[2].decode()
    return files


def planned_files(site: Path, cname: str | None) -> dict[str, str]:
    files = {path: git_blob_sha((site / path).read_bytes()) for path in site_files(site)}
    files[".nojekyll"] = git_blob_sha(b"")
    if cname:
        files["CNAME"] = git_blob_sha(cname.encode())  # ghp-import writes no newline
    return files


def deploy(site: Path, settings: dict, *, dest: str | None = None, dry_run: bool = False,
           root: Path, log=print, force: bool = False, **_) -> Changes:
    repo = Path(settings.get("PUBLISH_GHPAGES_REPO") or root)
    branch = dest or settings.get("PUBLISH_GHPAGES_BRANCH") or "gh-pages"
    remote = settings.get("PUBLISH_GHPAGES_REMOTE") or "origin"
    push = bool(settings.get("PUBLISH_GHPAGES_PUSH", True))
    cname = settings.get("PUBLISH_GHPAGES_CNAME") or None
    log(f"Target: GitHub Pages, branch {branch} of {repo}"
        + (f", pushed to {remote}" if push else " (not pushed)"))
    before = branch_files(repo, branch)
    after = planned_files(site, cname)
    changes = Changes(added=[p for p in after if p not in before],
                      changed=[p for p in after if p in before and before[p] != after[p]],
                      deleted=[p for p in before if p not in after])
    changes.unchanged = len(after) - len(changes.added) - len(changes.changed)
    changes.sort()
    if dry_run:
        return changes
    check_deletions(changes, settings, force=force)
    if changes.empty and not push:
        return changes
    args = [sys.executable, "-m", "ghp_import", "-n", "-b", branch,
            "-m", settings.get("PUBLISH_GHPAGES_MESSAGE") or "Publish the blog"]
    if push:
        args += ["-p", "-r", remote]
    if cname:
        args += ["-c", cname]
    done = subprocess.run(args + [str(site)], cwd=repo, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"ghp-import failed (exit {done.returncode}): "
                           f"{(done.stderr or done.stdout).strip()}")
    return changes
