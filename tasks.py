"""Invoke tasks: the author's commands for writing, previewing, checking and publishing.

``invoke --list`` shows them. Builds go through ``blogtools.build`` (atomic,
every warning fatal); the preview server and publishing live in ``blogtools``
too, so these tasks stay thin.
"""

import os
import shutil
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
OUTPUT = ROOT / "output"
CACHE = ROOT / "cache"
HOST, PORT = "127.0.0.1", 8000

sys.path.insert(0, str(ROOT))


def _build(settings=SETTINGS, output=OUTPUT, debug=False):
    from blogtools.build import main

    args = ["-s", str(settings), "-o", str(output)] + (["--debug"] if debug else [])
    code = main(args)
    if code:
        sys.exit(code)


@task
def clean(c):
    """Remove the generated site and the content cache."""
    for path in (OUTPUT, CACHE):
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


@task(help={"port": f"port to listen on (default {PORT})"})
def serve(c, port=PORT):
    """Serve output/ on http://127.0.0.1:8000 (no rebuild)."""
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    server = RootedHTTPServer(str(OUTPUT), (HOST, int(port)), ComplexHTTPRequestHandler)
    print(f"Serving {OUTPUT} on http://{HOST}:{port}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task(help={"port": f"port to listen on (default {PORT})"})
def livereload(c, port=PORT):
    """Build, serve on http://127.0.0.1:8000, rebuild and reload the browser on every change."""
    from blogtools.preview import serve_with_livereload

    serve_with_livereload(ROOT, SETTINGS, OUTPUT, HOST, int(port))


@task
def preview(c):
    """Build with publishconf.py (the published site) into output/."""
    _build(PUBLISH_SETTINGS)


@task(help={"title": "the post's title", "tags": "comma-separated tags, e.g. aws,ml",
            "category": "the post's category", "slug": "the address (default: from the title)"})
def new_post(c, title, tags="", category="", slug=""):
    """Start a draft: content/posts/<slug>.md, previewed at /drafts/<slug>/."""
    from blogtools.newpost import PostError, display, new_post as start

    try:
        post = start(title, tags=tags, category=category or None, slug=slug or None)
    except PostError as error:
        sys.exit(f"error: {error}")
    print(f"Created {display(post.path)}")
    print(f"Preview it at {post.preview_url} (invoke livereload)")


@task(help={"slug": "the draft's slug"})
def publish_post(c, slug):
    """Publish a draft: set draft = false in its front matter (nothing else changes)."""
    from blogtools.newpost import main

    code = main(["publish", slug])
    if code:
        sys.exit(code)


@task(help={"target": "local (default), rsync, ghpages or s3 (publishconf.py PUBLISH_TARGET)",
            "dry_run": "build and check, then list what would be added, changed and deleted",
            "skip_external": "do not check external links",
            "dest": "override the target's destination: folder, user@host:path, branch or bucket",
            "distribution": "s3: CloudFront distribution id to invalidate"})
def publish(c, target="", dry_run=False, skip_external=False, dest="", distribution=""):
    """Clean build with publishconf.py, link check, then deploy if everything passed."""
    from blogtools.publish import main

    args = (["--target", target] if target else []) + (["--dry-run"] if dry_run else []) \
        + (["--skip-external"] if skip_external else []) + (["--dest", dest] if dest else []) \
        + (["--distribution", distribution] if distribution else [])
    code = main(args)
    if code:
        sys.exit(code)


@task(help={
    "site": "built site folder to check (default output/)",
    "format": "text (default) or json",
    "external": "also check external links over the network",
    "base_url": "the site's own URL (default: SITEURL from publishconf.py)",
})
def linkcheck(c, site=str(OUTPUT), format="text", external=False, base_url=None):
    """Check every link, fragment and asset of a built site; exit 1 if anything is broken."""
    from blogtools.build import load_settings
    from blogtools.linkcheck import main

    settings = load_settings(SETTINGS)
    publish = load_settings(PUBLISH_SETTINGS)
    args = [site, "--format", format, "--base-url", base_url or publish["SITEURL"]]
    if Path(settings["SOURCEMAP_PATH"]).exists():
        args += ["--sources", settings["SOURCEMAP_PATH"]]
    if external:
        args += ["--external", "--cache", str(CACHE / "linkcheck-external.json")]
        args += [arg for pattern in settings.get("LINKCHECK_EXCLUDE", ()) for arg in ("--exclude", pattern)]
    code = main(args)
    if code:
        sys.exit(code)


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
    from blogtools.audit import main

    code = main((["--site", site] if site else []) + ["--min", str(min)])
    if code:
        sys.exit(code)


@task(help={"output": "folder for the PNGs (default screenshots/)"})
def screenshots(c, output="screenshots"):
    """PNGs of the home page and both posts, light and dark, mobile and desktop."""
    from blogtools.screenshots import main

    main(["-o", str(ROOT / output)])


@task(help={"sizes": "generated post counts, e.g. 100,1000 (default; --quick: 100)",
            "quick": "a few minutes: 100 posts, one round, a 100-page link check",
            "only": "only these stages, e.g. build,linkcheck (build, preview, linkcheck, weight, "
                    "lighthouse)"})
def bench(c, sizes="", quick=False, only=""):
    """Benchmarks: build vs bare Pelican and Hugo, rebuilds, edit-to-preview, link check, weight."""
    from blogtools.bench.__main__ import main

    args = (["--sizes", sizes] if sizes else []) + (["--quick"] if quick else []) \
        + (["--only", only] if only else [])
    code = main(args)
    if code:
        sys.exit(code)
