"""The one-pass check of a built site folder: collect everything, then compare.

1. List the folder once (:meth:`Site.scan`): the set of files a static host
   would serve.
2. Parse every HTML page, feed, sitemap and ``robots.txt`` once
   (:mod:`.collect`), on a process pool when there are many, resolving each
   used link to a site path on the worker (:mod:`.resolve`).
3. Compare: each internal link's path must be a file (or a directory with an
   ``index.html``), its fragment an id of the target page; external links are
   handed to :mod:`.external` when asked for.

No crawling, no queue: the cost is one parse per file plus set look-ups.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urldefrag

from . import collect
from .external import ExternalChecker, LinkCache
from .report import Problem, Report
from .resolve import ESCAPE, EXTERNAL, INTERNAL, SKIP, Resolver, Site, fragment_ok, is_html_path
from .sources import SourceMap
from .suggest import Suggester

# Below this many files, a process pool costs more than it saves.
PARALLEL_THRESHOLD = 150


@dataclass
class Options:
    base_url: str | None = None
    external: bool = False
    excludes: list[str] = field(default_factory=list)
    sources: dict[str, str] | None = None
    cache_path: str | None = None
    cache_max_age: float = 86400.0
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 0.5
    max_workers: int = 16
    per_host: int = 4
    jobs: int | None = None          # parse processes; None = os.cpu_count()
    progress: bool | None = None     # None: when stderr is a TTY


# --- the parse step, run in worker processes --------------------------------

_WORKER: dict = {}


def _init_worker(site_dir: str, base_url: str | None) -> None:
    _WORKER["site_dir"] = site_dir
    _WORKER["resolver"] = Resolver(base_url)


def _parse_one(rel_path: str):
    """Collect one file and resolve its links: (path, ids, error, [(link, resolved)])."""
    resolver: Resolver = _WORKER["resolver"]
    got = collect.collect_file(_WORKER["site_dir"], rel_path)
    resolved = []
    for link in got.links:
        resolved.append((link, resolver.resolve(rel_path, link.url, link.base)))
    return got.path, got.ids, got.error, resolved


def _parse_chunk(paths: list[str]):
    return [_parse_one(p) for p in paths]


def _parse_all(site: Site, paths: list[str], base_url: str | None, jobs: int | None):
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    if jobs <= 1 or len(paths) < PARALLEL_THRESHOLD:
        _init_worker(site.root, base_url)
        return [_parse_one(p) for p in paths]
    # Interleave big and small files over chunks so that workers finish together.
    chunk = max(16, len(paths) // (jobs * 8))
    chunks = [paths[i:i + chunk] for i in range(0, len(paths), chunk)]
    out = []
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                             initargs=(site.root, base_url)) as pool:
        for part in pool.map(_parse_chunk, chunks):
            out.extend(part)
    return out


# --- the comparison ------------------------------------------------------------

def _compile(excludes) -> list[re.Pattern]:
    return [re.compile(p) for p in excludes]


def check_site(site_dir: str, options: Options | None = None) -> Report:
    """Check the built site in ``site_dir``; returns a :class:`Report`."""
    opts = options or Options()
    resolver = Resolver(opts.base_url)  # validates --base-url before any work
    excludes = _compile(opts.excludes)
    site = Site.scan(site_dir)
    paths = sorted(p for p in site.files if collect.file_type(p))
    parsed = _parse_all(site, paths, opts.base_url, opts.jobs)

    ids_by_page = {path: ids for path, ids, _, _ in parsed}
    report = Report(files=len(parsed))
    suggester = Suggester(site, resolver.prefix, resolver.origin if opts.base_url else None)
    source_map = SourceMap(opts.sources)
    external_uses: dict[str, list[tuple[str, collect.Link]]] = {}

    def problem(page: str, link: collect.Link, reason: str, suggestion: str | None = None):
        content_source, content_line = source_map.locate(page, link.url)
        return Problem(page, link.line, link.column, link.url, reason, link.kind,
                       content_source, content_line, suggestion)

    for page, _ids, error, links in parsed:
        if error:
            report.broken.append(Problem(page, 1, 1, page, error))
        for link, res in links:
            if excludes and any(p.search(link.url) or (res.path and p.search(res.path))
                                for p in excludes):
                report.skipped += 1
                continue
            kind = res.kind
            if kind == SKIP:
                report.skipped += 1
                continue
            if kind == EXTERNAL:
                if opts.external:
                    external_uses.setdefault(urldefrag(res.path)[0], []).append((page, link))
                else:
                    report.external_unchecked += 1
                continue
            report.checked += 1
            if kind == ESCAPE:
                target = res.path.split("://", 1)[-1].split("/", 1)
                path = "/" + (target[1] if len(target) > 1 else "")
                path = urldefrag(path)[0].split("?", 1)[0]
                inside = path.lstrip("/")
                suggestion = None
                if site.lookup(inside)[0]:
                    suggestion = resolver.prefix + inside
                report.broken.append(problem(
                    page, link,
                    f"outside the site's base path {resolver.prefix} (resolves to {path})",
                    suggestion))
                continue
            # INTERNAL
            served, why = site.lookup(res.path)
            if served is None:
                report.broken.append(problem(
                    page, link, why, suggester.for_path(link.url, page, res.path)))
                continue
            frag = res.fragment
            if frag and is_html_path(served):
                ids = ids_by_page.get(served)
                if ids is None or not fragment_ok(frag, ids):
                    where = "this page" if served == page else served
                    report.broken.append(problem(
                        page, link, f"fragment #{frag} not found in {where}",
                        suggester.for_fragment(link.url, frag, ids or ())))

    if external_uses:
        cache = LinkCache(opts.cache_path, opts.cache_max_age) if opts.cache_path else None
        checker = ExternalChecker(timeout=opts.timeout, retries=opts.retries,
                                  backoff=opts.backoff, max_workers=opts.max_workers,
                                  per_host=opts.per_host, cache=cache, progress=opts.progress)
        results = checker.check_all(external_uses)
        for url, uses in external_uses.items():
            result = results[url]
            for page, link in uses:
                report.checked += 1
                if not result.ok:
                    report.broken.append(problem(page, link, result.reason))
                elif result.new_url:
                    report.warnings.append(problem(
                        page, link, f"permanent redirect to {result.new_url}",
                        result.new_url + (("#" + link.url.split("#", 1)[1])
                                          if "#" in link.url else "")))

    report.broken.sort(key=Problem.sort_key)
    report.warnings.sort(key=Problem.sort_key)
    return report
