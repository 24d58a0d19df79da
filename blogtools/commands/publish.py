"""Publish the blog: clean build, link check, then deploy, or nothing at all.

``invoke publish [--target local|rsync|ghpages|s3] [--dry-run] [--skip-external] [--force]``
(or ``python -m blogtools.commands.publish ...``):

1. builds the site with ``publishconf.py`` into a fresh temporary folder (no
   content cache, drafts and scheduled posts left out); any build problem stops
   here, and so does a secret in any file the build wrote (the build scans what
   it wrote: :mod:`blogtools.commands.secrets`), in a dry run too;
   A built site that holds a symlink stops here too: no target follows one.
2. runs the link checker over that folder: internal links always, external
   links unless ``--skip-external``; a broken link stops here;
3. adds precompressed ``.gz``/``.br`` copies if ``PUBLISH_PRECOMPRESS`` asks
   for them for this target;
4. deploys with the target's module (``blogtools.publish``: local, rsync,
   ghpages, s3) and reports what was added, changed and
   deleted. ``--dry-run`` does steps 1-3 and lists what the deploy would do,
   touching nothing. A deploy that would delete more files than
   ``PUBLISH_MAX_DELETIONS`` and ``PUBLISH_MAX_DELETIONS_SHARE`` allow stops
   before touching anything and lists them, unless ``--force``
   (:func:`blogtools.publish.tree.check_deletions`).

Exit status: 0 published (or dry run done), 1 build, link check or deploy
failed or stopped by the brake (nothing deployed), 2 usage error.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import tempfile
from pathlib import Path

from blogtools.commands.build import build
from blogtools.commands.settings import PUBLISH_SETTINGS_FILE, load_settings, project_root
from blogtools.linkcheck import main as linkcheck
from blogtools.publish import TARGETS, Changes
from blogtools.publish import target as deploy_target
from blogtools.publish.tree import DeletionBrake, deletion_brake, symlinks


class PublishError(Exception):
    pass


def link_check(site: Path, settings: dict, sources: Path | None, *, external: bool,
               log=print) -> bool:
    args = [str(site)]
    siteurl = settings.get("SITEURL") or ""
    if "://" in siteurl:
        args += ["--base-url", siteurl]
    if sources is not None and sources.exists():
        args += ["--sources", str(sources)]
    if external:
        args.append("--external")
    out = io.StringIO()
    code = linkcheck(args, stdout=out, stderr=out)
    report = out.getvalue().rstrip()
    if report:
        log(report)
    if code == 2:
        raise PublishError("the link checker refused its arguments: " + " ".join(args))
    return code == 0


def publish(target: str | None = None, *, dry_run: bool = False, skip_external: bool = False,
            dest: str | None = None, settings_file: str | os.PathLike = PUBLISH_SETTINGS_FILE,
            build_overrides: dict | None = None, target_options: dict | None = None,
            root: Path | None = None, force: bool = False, log=print) -> int:
    """Run the whole pipeline; returns the exit status. ``root``: the project folder
    (default: the settings file's), against which relative destinations are taken."""
    root = Path(root) if root else project_root(settings_file)
    overrides = dict(build_overrides or {})
    workdir = Path(tempfile.mkdtemp(prefix="blog-publish-"))
    try:
        site = workdir / "site"
        sources = workdir / "sources.json"
        overrides.setdefault("CACHE_PATH", str(workdir / "cache"))
        overrides.setdefault("SOURCEMAP_PATH", str(sources))
        overrides["LOAD_CONTENT_CACHE"] = False
        overrides["PUBLISH_DRAFTS"] = False
        # The link check below is the gate (with --sources, and external links).
        overrides.setdefault("LINK_CHECK_ON_BUILD", False)
        settings = load_settings(settings_file, **overrides)
        target = target or settings.get("PUBLISH_TARGET") or "local"
        try:
            module = deploy_target(target)
        except ValueError as error:
            raise PublishError(str(error)) from None

        log(f"Building with {Path(settings_file).name} into {site} ...")
        result = build(settings_file, site, **overrides)
        if not result.ok:
            for problem in result.problems:
                log(problem)
            log(f"Build failed: {len(result.problems)} problem(s). Nothing was published.")
            return 1
        log(f"Built {result.articles} post(s) and {result.pages} page(s) in {result.seconds:.2f} s")

        links = symlinks(site)
        if links:
            for link in links:
                log(f"{link}: a symlink in the built site, to {os.readlink(site / link)} "
                    "(a deploy never follows links: make it a file)")
            log(f"Publish stopped: {len(links)} symlink(s) in what would be uploaded; "
                "nothing was published.")
            return 1

        external = not skip_external
        log("Checking links (internal" + (" and external" if external else " only") + ") ...")
        if not link_check(site, settings, sources, external=external, log=log):
            log("Link check failed. Nothing was published.")
            return 1

        formats = (settings.get("PUBLISH_PRECOMPRESS") or {}).get(target) or ()
        if formats:
            from blogtools.publish.compress import precompress

            written = precompress(site, formats)
            log(f"Precompressed {len(written)} file(s) ({', '.join(formats)})")

        options = dict(target_options or {})
        changes: Changes = module.deploy(site, settings, dest=dest, dry_run=dry_run, root=root,
                                         log=log, force=force, **options)
        for line in changes.describe(dry_run):
            log(line)
        brake = deletion_brake(changes, settings)
        if brake is not None and dry_run:
            log(f"Deletion brake: {brake.summary()}; the deploy will stop unless run with --force.")
        elif brake is not None:
            log(f"Deletion brake overridden by --force: deleted {len(changes.deleted)} of the "
                f"{changes.live} file(s) that were live.")
        log("Dry run: nothing was changed." if dry_run else f"Published to {target}.")
        return 0
    except PublishError as error:
        log(f"error: {error}")
        return 2
    except DeletionBrake as brake:
        for line in brake.lines():
            log(line)
        return 1
    except RuntimeError as error:
        log(f"error: {error}. Nothing more was published; the live site is still whole "
            "(targets deploy in an order that keeps it so), and publishing again completes it.")
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m blogtools.commands.publish",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--target", choices=TARGETS, default=None,
                        help="where to deploy (default: PUBLISH_TARGET, else local)")
    parser.add_argument("--dry-run", action="store_true",
                        help="list what would be added, changed and deleted; touch nothing")
    parser.add_argument("--skip-external", action="store_true", help="do not check external links")
    parser.add_argument("--force", action="store_true",
                        help="deploy even if it deletes more files than PUBLISH_MAX_DELETIONS "
                             "and PUBLISH_MAX_DELETIONS_SHARE allow")
    parser.add_argument("--dest", default=None,
                        help="folder (local), user@host:/path (rsync), branch (ghpages), "
                             "bucket[/prefix] (s3)")
    parser.add_argument("--distribution", default=None, help="s3: CloudFront distribution id")
    parser.add_argument("--endpoint-url", default=None, help="s3: an S3-compatible endpoint")
    parser.add_argument("-s", "--settings", default=PUBLISH_SETTINGS_FILE)
    args = parser.parse_args(argv)
    options = {}
    if args.distribution:
        options["distribution"] = args.distribution
    if args.endpoint_url:
        options["endpoint_url"] = args.endpoint_url
    return publish(args.target, dry_run=args.dry_run, skip_external=args.skip_external,
                   dest=args.dest, settings_file=args.settings, target_options=options,
                   force=args.force, log=lambda line: print(line, flush=True))


if __name__ == "__main__":
    raise SystemExit(main())
