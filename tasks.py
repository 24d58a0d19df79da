"""Invoke tasks: the author's commands for writing, previewing, checking and publishing.

``invoke --list`` shows them. Each task calls a function of ``blogtools.commands``
(build, preview, newpost, publish, screenshots, audit) or ``benchmarks``; every
path and address comes from the settings files, so these tasks stay thin.
"""

import shutil
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"


def _exit(code: int) -> None:
    if code:
        sys.exit(code)


def _build(settings=SETTINGS, debug=False):
    from blogtools.commands.build import main

    _exit(main(["-s", str(settings)] + (["--debug"] if debug else [])))


@task
def clean(c):
    """Remove the generated site and the content cache."""
    from blogtools.commands.settings import load_settings

    settings = load_settings(SETTINGS)
    for path in (Path(settings["OUTPUT_PATH"]), Path(settings["CACHE_PATH"])):
        if path.exists():
            shutil.rmtree(path)


@task(help={"debug": "show tracebacks for build errors"})
def build(c, debug=False):
    """Build the site for local preview into output/."""
    _build(debug=debug)


@task
def rebuild(c):
    """Clean, then build."""
    clean(c)
    build(c)


@task(help={"port": "port to listen on (default: PORT in pelicanconf.py, 8000)"})
def serve(c, port=0):
    """Build, serve on http://127.0.0.1:8000, rebuild and reload the browser on every save."""
    from blogtools.commands.preview import serve as live_preview

    live_preview(SETTINGS, int(port) or None)


@task(help={"port": "port to listen on (default: PORT in pelicanconf.py, 8000)"})
def livereload(c, port=0):
    """The same as serve (its old name)."""
    serve(c, port)


@task
def preview(c):
    """Build with publishconf.py (the published site) into output/."""
    _build(PUBLISH_SETTINGS)


@task(help={"title": "the post's title", "tags": "comma-separated tags, e.g. aws,ml",
            "category": "the post's category", "slug": "the address (default: from the title)"})
def new_post(c, title, tags="", category="", slug=""):
    """Start a draft: content/posts/<slug>.md, previewed at /drafts/<slug>/."""
    from blogtools.commands.newpost import PostError, display
    from blogtools.commands.newpost import new_post as start
    from blogtools.commands.settings import load_settings

    try:
        post = start(title, tags=tags, category=category or None, slug=slug or None,
                     settings=load_settings(SETTINGS))
    except PostError as error:
        sys.exit(f"error: {error}")
    print(f"Created {display(post.path)}")
    print(f"Preview it at {post.preview_url} (invoke serve)")


@task(help={"slug": "the draft's slug"})
def publish_post(c, slug):
    """Publish a draft: set draft = false in its front matter (nothing else changes)."""
    from blogtools.commands.newpost import main

    _exit(main(["publish", slug]))


@task(help={"site_dir": "the Hugo site folder (with hugo.toml, config.* or config/)",
            "into": "the new project folder (must not exist, or be empty)"})
def import_hugo(c, site_dir, into):
    """Import a Hugo site as a new blog project: content kept byte for byte, config translated."""
    from blogtools.commands.import_hugo import main

    _exit(main([site_dir, "--into", into]))


@task(help={"target": "local (default), rsync, ghpages or s3 (publishconf.py PUBLISH_TARGET)",
            "dry_run": "build and check, then list what would be added, changed and deleted",
            "skip_external": "do not check external links",
            "dest": "override the target's destination: folder, user@host:path, branch or bucket",
            "distribution": "s3: CloudFront distribution id to invalidate",
            "force": "deploy even if it deletes more than PUBLISH_MAX_DELETIONS(_SHARE) allow"})
def publish(c, target="", dry_run=False, skip_external=False, dest="", distribution="", force=False):
    """Clean build with publishconf.py, link check, then deploy if everything passed."""
    from blogtools.commands.publish import main

    args = ["-s", str(PUBLISH_SETTINGS)] + (["--target", target] if target else []) \
        + (["--dry-run"] if dry_run else []) + (["--skip-external"] if skip_external else []) \
        + (["--dest", dest] if dest else []) + (["--distribution", distribution] if distribution else []) \
        + (["--force"] if force else [])
    _exit(main(args))


@task(help={
    "site": "built site folder to check (default: OUTPUT_PATH, output/)",
    "format": "text (default) or json",
    "external": "also check external links over the network",
    "base_url": "the site's own URL (default: SITEURL from publishconf.py)",
})
def linkcheck(c, site="", format="text", external=False, base_url=None):
    """Check every link, fragment and asset of a built site; exit 1 if anything is broken."""
    from blogtools.commands.settings import load_settings
    from blogtools.linkcheck import main

    settings = load_settings(SETTINGS)
    publish = load_settings(PUBLISH_SETTINGS)
    args = [site or settings["OUTPUT_PATH"], "--format", format,
            "--base-url", base_url or publish["SITEURL"]]
    if Path(settings["SOURCEMAP_PATH"]).exists():
        args += ["--sources", settings["SOURCEMAP_PATH"]]
    if external:
        args += ["--external", "--cache", str(Path(settings["CACHE_PATH"], "linkcheck-external.json"))]
        args += [arg for pattern in settings.get("LINKCHECK_EXCLUDE", ()) for arg in ("--exclude", pattern)]
    _exit(main(args))


@task(help={"k": "only run tests matching this expression", "x": "stop at first failure"})
def test(c, k="", x=False):
    """Run the whole test suite."""
    args = [sys.executable, "-m", "pytest", "-q"]
    if k:
        args += ["-k", k]
    if x:
        args.append("-x")
    c.run(" ".join(args), pty=sys.stdout.isatty())


@task(help={"site": "audit this built site instead of a fresh build", "min": "fail below this score"})
def audit(c, site="", min=0):
    """Lighthouse (npm ci first) on the home page and the write-up, mobile and desktop; print scores."""
    from blogtools.commands.audit import main

    _exit(main(["-s", str(SETTINGS)] + (["--site", site] if site else []) + ["--min", str(min)]))


@task(help={"output": "folder for the PNGs (default screenshots/)"})
def screenshots(c, output="screenshots"):
    """PNGs of the home page and both posts, light and dark, mobile and desktop."""
    from blogtools.commands.screenshots import main

    main(["-o", str(ROOT / output)])


@task(help={"sizes": "generated post counts, e.g. 100,1000 (default; --quick: 100)",
            "quick": "a few minutes: 100 posts, one round, a 100-page link check",
            "only": "only these stages, e.g. build,linkcheck (build, preview, linkcheck, weight, "
                    "lighthouse)"})
def bench(c, sizes="", quick=False, only=""):
    """Benchmarks: build vs bare Pelican and Hugo, rebuilds, edit-to-preview, link check, weight."""
    from benchmarks.__main__ import main

    _exit(main((["--sizes", sizes] if sizes else []) + (["--quick"] if quick else [])
               + (["--only", only] if only else [])))


@task(help={"module": "one module, e.g. blogtools/linkcheck/resolve.py (default: all mapped)"})
def mutate(c, module=""):
    """Mutation scores (mutmut) per module, against its own tests, into docs/test-strength.md."""
    from benchmarks.mutation import main

    _exit(main([module] if module else []))
