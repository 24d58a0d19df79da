"""Atomic, warning-free builds with one clear line per problem.

``python -m blogtools.build [-s pelicanconf.py] [-o output] [--debug]`` runs
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

from blogtools.errors import ContentError

SETTINGS_FILE = "pelicanconf.py"


@dataclass
class BuildResult:
    ok: bool
    output: Path
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    articles: int = 0
    pages: int = 0


class ProblemCollector(logging.Handler):
    """Collects every warning and error Pelican logs during one build."""

    def __init__(self, debug: bool):
        super().__init__(logging.WARNING)
        self.debug = debug
        self.problems: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        error = next((a for a in (record.args or ()) if isinstance(a, ContentError)), None)
        # Pelican logs "Could not process X" from inside its except block,
        # without exc_info unless DEBUG is set; the exception is still current.
        current = record.exc_info[1] if record.exc_info else sys.exc_info()[1]
        if error is None and isinstance(current, ContentError):
            error = current
        if error is not None:
            text = error.format()
        else:
            text = f"{record.levelname.lower()}: {record.getMessage()}"
        if self.debug and record.exc_info:
            text += "\n" + "".join(traceback.format_exception(*record.exc_info))
        if text not in self.problems:
            self.problems.append(text)


def load_settings(settings_file: str | os.PathLike = SETTINGS_FILE, **overrides):
    from pelican.settings import read_settings

    return read_settings(os.fspath(settings_file), override=overrides)


def build(settings_file: str | os.PathLike = SETTINGS_FILE, output: str | os.PathLike | None = None,
          *, debug: bool = False, **overrides) -> BuildResult:
    """Build the site; replace ``output`` only if the build had no problem."""
    from pelican import Pelican

    started = time.perf_counter()
    collector = ProblemCollector(debug)
    pelican_logger = logging.getLogger("pelican")
    pelican_logger.addHandler(collector)
    previous_level = pelican_logger.level
    pelican_logger.setLevel(logging.INFO if not debug else logging.DEBUG)
    staging = None
    try:
        settings = load_settings(settings_file, **overrides)
        target = Path(output or settings["OUTPUT_PATH"]).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-build-", dir=target.parent))
        settings["OUTPUT_PATH"] = str(staging)
        settings["DELETE_OUTPUT_DIRECTORY"] = False
        pelican = Pelican(settings)
        counts = {}
        from pelican import signals

        def count(generators):
            for generator in generators:
                counts[type(generator).__name__] = len(
                    getattr(generator, "articles", getattr(generator, "pages", [])) or [])

        signals.all_generators_finalized.connect(count)
        try:
            pelican.run()
        except ContentError as error:
            collector.problems.append(error.format())
        except Exception as error:  # a plugin or template failed: report, never swap
            if not collector.problems or debug:
                detail = "".join(traceback.format_exception(error)) if debug else \
                    f"{type(error).__name__}: {error}"
                collector.problems.append(f"error: {detail}")
        finally:
            signals.all_generators_finalized.disconnect(count)
        result = BuildResult(ok=not collector.problems, output=target,
                             problems=collector.problems,
                             articles=counts.get("ArticlesGenerator", 0),
                             pages=counts.get("PagesGenerator", 0))
        if result.ok:
            swap_into_place(staging, target)
            staging = None
        result.seconds = time.perf_counter() - started
        return result
    finally:
        pelican_logger.removeHandler(collector)
        pelican_logger.setLevel(previous_level)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


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
    parser = argparse.ArgumentParser(prog="python -m blogtools.build", description=__doc__.split("\n")[0])
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
    print(f"Built {result.articles} post(s) and {result.pages} page(s) into "
          f"{result.output} in {result.seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
