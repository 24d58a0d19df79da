"""Atomic, warning-free builds with one clear line per problem.

``python -m blogtools.commands.build [-s pelicanconf.py] [-o output] [--debug]`` runs
Pelican into a fresh temporary folder beside the output folder. Any warning or
error Pelican logs fails the build (the same rule as ``pelican --fatal
warnings``, but the whole run is reported, not just the first problem). Only a
build with no problem replaces the output folder, by renaming, so readers and
the preview server never see a half-written or broken site: a failed build
leaves the last good output exactly as it was.

Problems in content are printed as ``content/posts/x.md:3: what (how to fix)``;
``--debug`` adds the traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import blogtools.plugins
from blogtools.commands.problems import ProblemCollector
from blogtools.commands.settings import SETTINGS_FILE, load_settings
from blogtools.errors import ContentError, display_path
from blogtools.plugins.site import MissingPlugin

# The code that renders content: a change to it must not be served from the cache.
PLUGINS_PACKAGE = Path(blogtools.plugins.__file__).resolve().parent
# Loggers whose warnings and errors fail the build.
WATCHED_LOGGERS = ("pelican", "blogtools")


@dataclass
class BuildResult:
    ok: bool
    output: Path
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    articles: int = 0
    pages: int = 0
    # Pages and feeds taken unchanged from the last output, of how many (None: not recorded).
    reused: tuple[int, int] | None = None

    def rendered(self) -> str:
        """'6 of 1,728 pages and feeds rendered, the rest unchanged', or '' if not recorded."""
        if self.reused is None:
            return ""
        reused, files = self.reused
        return f"{files - reused:,} of {files:,} pages and feeds rendered, the rest unchanged"


def cache_fingerprint(settings) -> str:
    """A short hash of what rendered content depends on besides the content itself.

    Pelican's content cache is keyed on file modification times only, so a
    change to a reader, a Markdown extension or the Markdown settings would
    serve stale HTML. Each fingerprint gets its own cache folder.
    """
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256()
    for source in sorted(PLUGINS_PACKAGE.rglob("*.py")):
        digest.update(source.read_bytes())
    for package in ("pelican", "markdown", "pygments", "latex2mathml"):
        digest.update(version(package).encode())
    for key in ("MARKDOWN", "FORMATTED_FIELDS", "SITEURL", "PLUGINS", "TIMEZONE", "GZIP_CACHE"):
        digest.update(repr(settings.get(key)).encode())
    return digest.hexdigest()[:12]


def build(settings_file: str | os.PathLike = SETTINGS_FILE, output: str | os.PathLike | None = None,
          *, debug: bool = False, **overrides) -> BuildResult:
    """Build the site; replace ``output`` only if the build had no problem."""
    from pelican import Pelican, signals

    from blogtools.plugins.speed import render_cache

    started = time.perf_counter()
    collector = ProblemCollector(debug)
    loggers = [logging.getLogger(name) for name in WATCHED_LOGGERS]
    previous_levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(collector)
        # Only warnings and errors matter to a build; Pelican's "Writing ..." line
        # per page is a log record too (and a tenth of a second on a large site).
        logger.setLevel(logging.DEBUG if debug else logging.WARNING)
    staging = None
    try:
        settings = load_settings(settings_file, **overrides)
        target = Path(output or settings["OUTPUT_PATH"]).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-build-", dir=target.parent))
        settings["OUTPUT_PATH"] = str(staging)
        settings["DELETE_OUTPUT_DIRECTORY"] = False
        settings["CACHE_PATH"] = os.path.join(settings["CACHE_PATH"], cache_fingerprint(settings))
        # Unchanged pages may be taken from here (blogtools.plugins.speed.render_cache).
        settings["RENDER_CACHE_OUTPUT"] = str(target)
        counts = {}

        def count(generators):
            for generator in generators:
                counts[type(generator).__name__] = len(
                    getattr(generator, "articles", getattr(generator, "pages", [])) or [])

        signals.all_generators_finalized.connect(count)
        try:
            Pelican(settings).run()
        except MissingPlugin as error:
            collector.problems.append(f"{display_path(settings_file)}: {error}")
        except ContentError as error:
            collector.problems.append(error.format())
        except Exception as error:  # a plugin or template failed: report, never swap
            if not collector.problems or debug:
                detail = "".join(traceback.format_exception(error)) if debug else \
                    f"{type(error).__name__}: {error}"
                collector.problems.append(f"error: {detail}")
        finally:
            signals.all_generators_finalized.disconnect(count)
        if not collector.problems and settings.get("LINK_CHECK_ON_BUILD", True):
            collector.problems.extend(broken_links(staging, settings))
        result = BuildResult(ok=not collector.problems, output=target,
                             problems=collector.problems,
                             articles=counts.get("ArticlesGenerator", 0),
                             pages=counts.get("PagesGenerator", 0))
        if result.ok:
            swap_into_place(staging, target)
            staging = None
            result.reused = render_cache.commit(settings, str(target))
        else:
            render_cache.discard(settings)
        result.seconds = time.perf_counter() - started
        return result
    finally:
        for logger, level in zip(loggers, previous_levels):
            logger.removeHandler(collector)
            logger.setLevel(level)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def broken_links(site: Path, settings) -> list[str]:
    """Internal links, fragments and assets of the fresh build that resolve to nothing.

    Runs the site's link checker (internal mode) on the staging folder, so a
    broken link or a missing image fails the build like any other content
    error, reported on the Markdown line that holds it.
    """
    from blogtools.linkcheck import Options, check_site
    from blogtools.linkcheck.sources import load_sources

    siteurl = settings.get("SITEURL") or ""
    sourcemap = settings.get("SOURCEMAP_PATH")
    sources = load_sources(sourcemap) if sourcemap and os.path.exists(sourcemap) else None
    report = check_site(str(site), Options(
        base_url=siteurl if "://" in siteurl else None, sources=sources,
        parse_cache=os.path.join(settings["CACHE_PATH"], "linkcheck-parsed.pickle")))
    problems, seen = [], set()
    # A post's broken link also shows on the home page, its tag pages and the
    # feeds: report it once, on the Markdown line the author can fix.
    for problem in sorted(report.broken, key=lambda p: (p.content_line is None, p.sort_key())):
        if (problem.target, problem.reason) in seen:
            continue
        seen.add((problem.target, problem.reason))
        if problem.content_source and problem.content_line:
            where = f"{display_path(problem.content_source)}:{problem.content_line}"
        else:
            where = f"{problem.source}:{problem.line} (built file; no Markdown line found)"
        hint = f" (did you mean {problem.suggestion}?)" if problem.suggestion else ""
        problems.append(f"{where}: broken link {problem.target}: {problem.reason}{hint}")
    return problems


def swap_into_place(new: Path, target: Path) -> None:
    """Replace ``target`` with ``new`` by renames; ``target`` is never half-written."""
    new.chmod(0o755)
    if not target.exists():
        new.rename(target)
        return
    old = target.with_name(f".{target.name}-old-{os.getpid()}-{time.monotonic_ns()}")
    target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m blogtools.commands.build", description=__doc__.split("\n")[0])
    parser.add_argument("-s", "--settings", default=SETTINGS_FILE)
    parser.add_argument("-o", "--output", default=None)
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    args = parser.parse_args(argv)
    result = build(args.settings, args.output, debug=args.debug)
    if not result.ok:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        print(f"Build failed: {len(result.problems)} problem(s); "
              f"{result.output} was left as it was.", file=sys.stderr)
        return 1
    rendered = f"; {result.rendered()}" if result.reused is not None else ""
    print(f"Built {result.articles} post(s) and {result.pages} page(s) into "
          f"{result.output} in {result.seconds:.2f} s{rendered}")
    return 0


if __name__ == "__main__":
    code = main()
    # Leave without tearing down the site's objects one by one (a quarter of a
    # second on a 1,000-post site): every file is written and closed by now.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
