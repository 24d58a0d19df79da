"""The command line: ``python -m blogtools.linkcheck SITE_DIR [options]``.

:func:`main` parses the arguments, runs :func:`.checker.check_site` and
prints the report. It returns the exit code instead of exiting, so the
``invoke linkcheck`` task can call it: 0 when every link is good, 1 when
anything is broken, 2 on a usage error (bad arguments, a missing SITE_DIR,
an unreadable ``--sources`` file, an invalid regex or ``--base-url``).
"""

from __future__ import annotations

import argparse
import os
import re
import sys

from .checker import Options, check_site
from .report import to_json, to_text
from .resolve import normalise_base_url
from .sources import SourcesError, load_sources


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse would sys.exit(2); main returns instead
        raise _UsageError(message)


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be > 0, not {text}")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, not {text}")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, not {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m blogtools.linkcheck",
        description="Check the links of a built static site: pages, fragments, assets, "
                    "feeds, sitemap and robots.txt; external URLs with --external.")
    p.add_argument("site_dir", metavar="SITE_DIR", help="the built site folder (e.g. output/)")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="report format (default: text)")
    p.add_argument("--external", action="store_true",
                   help="also check external http(s) links over the network")
    p.add_argument("--base-url", metavar="URL",
                   help="the site's own URL (e.g. https://example.org/blog); absolute links "
                        "under it are checked against SITE_DIR")
    p.add_argument("--sources", metavar="FILE",
                   help="JSON {output path: content source path} to report Markdown lines")
    p.add_argument("--exclude", metavar="REGEX", action="extend", nargs="+", default=[],
                   help="skip links whose URL, as written or as resolved, matches this "
                        "regex (re.search; repeatable)")
    p.add_argument("--cache", metavar="FILE",
                   help="JSON cache of good external URLs, reused by later runs")
    p.add_argument("--cache-max-age", metavar="SECONDS", type=_positive_float, default=86400.0,
                   help="how long a good external URL stays cached (default: 86400)")
    p.add_argument("--timeout", metavar="SECONDS", type=_positive_float, default=10.0,
                   help="timeout of one external request (default: 10)")
    p.add_argument("--retries", metavar="N", type=_non_negative_int, default=2,
                   help="retries of an external URL after a timeout, 429 or 5xx (default: 2)")
    p.add_argument("--max-concurrency", metavar="N", type=_positive_int, default=16,
                   help="external requests in flight at once (default: 16)")
    p.add_argument("--per-host", metavar="N", type=_positive_int, default=4,
                   help="external requests in flight to one host (default: 4)")
    p.add_argument("--jobs", metavar="N", type=_positive_int, default=None,
                   help="processes parsing files (default: number of CPUs)")
    return p


def main(argv: list[str] | None = None, *, exclude: list[str] | tuple = (),
         stdout=None, stderr=None) -> int:
    """Run the checker; ``exclude`` adds regexes to any ``--exclude`` given."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = build_parser()
    try:
        try:
            args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
        except SystemExit as exc:  # --help: argparse printed it and wants to exit
            return exc.code if isinstance(exc.code, int) else 0
        if not os.path.isdir(args.site_dir):
            raise _UsageError(f"SITE_DIR {args.site_dir!r} is not a directory")
        excludes = list(exclude) + list(args.exclude)
        for pattern in excludes:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise _UsageError(f"invalid --exclude regex {pattern!r}: {exc}") from exc
        try:
            normalise_base_url(args.base_url)
        except ValueError as exc:
            raise _UsageError(str(exc)) from exc
        sources = load_sources(args.sources) if args.sources else None
        options = Options(
            base_url=args.base_url, external=args.external, excludes=excludes,
            sources=sources, cache_path=args.cache, cache_max_age=args.cache_max_age,
            timeout=args.timeout, retries=args.retries, max_workers=args.max_concurrency,
            per_host=args.per_host, jobs=args.jobs)
        report = check_site(args.site_dir, options)
    except (_UsageError, SourcesError) as exc:
        stderr.write(parser.format_usage())
        stderr.write(f"{parser.prog}: error: {exc}\n")
        return 2
    stdout.write(to_json(report) if args.format == "json" else to_text(report))
    return report.exit_code
