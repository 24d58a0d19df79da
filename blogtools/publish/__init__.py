"""Deploy targets: a built, checked site folder in, a live site out.

Each target is one module with one function,
``deploy(site, settings, *, dest, dry_run, root, log, force, **options) -> Changes``,
that lists what it adds, changes and deletes and, unless ``dry_run``, does it, in an
order that keeps the live site whole (:func:`.tree.upload_phases`), stopping first if it
would delete more than the brake allows (:func:`.tree.check_deletions`, unless ``force``):

* :mod:`.local` - a folder, swapped in atomically;
* :mod:`.rsync` - ``rsync`` over SSH;
* :mod:`.ghpages` - a ``gh-pages`` branch with ``ghp-import``;
* :mod:`.s3` - an S3 bucket (and a CloudFront invalidation);
* :mod:`.tree` - what a deploy changes, compared file by file (:class:`Changes`), in which order, and the brake;
* :mod:`.swap` - one folder replaced by another in one atomic rename (also used by the build);
* :mod:`.compress` - precompressed ``.gz``/``.br`` copies for hosts that serve them.

A target never builds and imports neither Pelican nor the plugins: the publish
command (``blogtools.commands.publish``) builds, checks, then hands it the folder.
A new target is a module here with ``deploy()``, named in :data:`TARGETS`.
"""

from __future__ import annotations

import importlib

from blogtools.publish.tree import Changes

TARGETS = ("local", "rsync", "ghpages", "s3")


def target(name: str):
    """The module of the deploy target ``name``; ``ValueError`` for an unknown one."""
    if name not in TARGETS:
        raise ValueError(f"unknown target '{name}' (use {', '.join(TARGETS)})")
    return importlib.import_module(f"{__name__}.{name}")


__all__ = ["TARGETS", "Changes", "target"]
