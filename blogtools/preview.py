"""Live preview: build, serve on 127.0.0.1, rebuild and reload the browser on change.

Uses the ``livereload`` package (a small tornado server plus the livereload
protocol script it injects into served HTML). Every rebuild goes through
:func:`blogtools.build.build`, so a broken save leaves the last good site
being served and the problem is printed on the console.
"""

from __future__ import annotations

from pathlib import Path

from blogtools.build import build

WATCHED = ("content", "theme", "blogtools")
SETTINGS_FILES = ("pelicanconf.py", "publishconf.py")


def rebuild(settings: Path, output: Path) -> bool:
    result = build(settings, output)
    if result.ok:
        print(f"Rebuilt in {result.seconds:.2f} s", flush=True)
    else:
        for problem in result.problems:
            print(problem, flush=True)
        print("Build failed; still serving the last good site.", flush=True)
    return result.ok


def serve_with_livereload(root: Path, settings: Path, output: Path, host: str, port: int) -> None:
    from livereload import Server

    rebuild(settings, output)
    server = Server()
    for folder in WATCHED:
        server.watch(str(root / folder), lambda: rebuild(settings, output), delay=0.2)
    for name in SETTINGS_FILES:
        server.watch(str(root / name), lambda: rebuild(settings, output), delay=0.2)
    print(f"Live preview on http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    server.serve(host=host, port=port, root=str(output), open_url_delay=None)
