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


@task(help={"k": "only run tests matching this expression", "x": "stop at first failure"})
def test(c, k="", x=False):
    """Run the whole test suite."""
    args = [sys.executable, "-m", "pytest", "-q"]
    if k:
        args += ["-k", k]
    if x:
        args.append("-x")
    c.run(" ".join(args), pty=sys.stdout.isatty())
