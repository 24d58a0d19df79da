"""Helpers for the writing and publishing tests (new-post, drafts, publish, live preview)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from tests.conftest import PUBLISH_SETTINGS, TinySite


def tiny_overrides(tiny: TinySite, **more) -> dict:
    """Settings that point the project's settings at a tiny site, as TinySite.build does."""
    overrides = {"PATH": str(tiny.content)}
    overrides.update(more)
    return overrides


def tree_digest(folder: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of every file, plus the folders, to compare trees byte for byte."""
    digest = {}
    for directory, dirs, names in os.walk(folder):
        for name in dirs:
            digest[os.path.relpath(os.path.join(directory, name), folder) + "/"] = "dir"
        for name in names:
            path = Path(directory) / name
            digest[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


def publish_tiny(tiny: TinySite, target: str, *, dest=None, dry_run=False, settings=None,
                 options=None, lines=None) -> int:
    from blogtools.commands.publish import publish

    log = lines.append if lines is not None else (lambda line: None)
    return publish(target, dry_run=dry_run, skip_external=True, dest=None if dest is None else str(dest),
                   settings_file=PUBLISH_SETTINGS, build_overrides=tiny_overrides(tiny, **(settings or {})),
                   target_options=options, root=tiny.root, log=log)


def two_posts(tiny: TinySite) -> None:
    tiny.post("first-post", "The first post. See [the second](/posts/second-post/).",
              tags=["aws"], summary="First.")
    tiny.post("second-post", "The second post.", date="2021-02-03T04:05:06Z", summary="Second.")


def with_about_page(tiny: TinySite) -> TinySite:
    """An About page, as the real site has (the navigation lists the site's pages)."""
    tiny.write("pages/about.md", '+++\ntitle = "About"\n+++\n\nAbout the author.\n')
    return tiny
