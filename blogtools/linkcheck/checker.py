"""The one-pass check of a built site folder: collect everything, then compare.

1. List the folder once (:meth:`Site.scan`): the set of files a static host
   would serve.
2. Parse every HTML page, feed, sitemap and ``robots.txt`` once
   (:mod:`.collect`), on a process pool when there are many, resolving each
   used link to a site path on the worker (:mod:`.resolve`). With a
   ``parse_cache`` file, only files whose bytes changed since the last run
   are parsed (:mod:`.parsecache`).
3. Compare: each internal link's path must be a file (or a directory with an
   ``index.html``), its fragment an id of the target page; external links are
   handed to :mod:`.external` when asked for.
4. Parse again, with exact columns, only the files that have a problem.

No crawling, no queue: the cost is one parse per file plus set look-ups.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urldefrag

from . import collect
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
    parse_cache: str | None = None   # file keeping parsed pages between runs (.parsecache)
    progress: bool | None = None     # None: when stderr is a TTY


# --- the parse step, run in worker processes --------------------------------
#
# A worker parses a file and settles every link that needs no other page: skipped
# schemes, exclusions, missing files, fragments on the same page. It sends back
# plain tuples (cheap to pickle): the page's ids, its counts, its findings, the
# fragments to look up on other pages and the external URLs.

_W: dict = {}

# A URL with any of these needs the full resolver (a scheme, '\\', whitespace).
_SLOW_URL = re.compile(r"[:\\\t\n\r]")

# Finding codes.
MISSING, FRAGMENT, ESCAPED, MALFORMED = "missing", "fragment", "escape", "malformed"


def _init_worker(site: Site, base_url: str | None, excludes: list[str], external: bool) -> None:
    _W["site"] = site
    _W["resolver"] = Resolver(base_url)
    _W["excludes"] = _compile(excludes)
    _W["external"] = external
    _W["cache"] = {}  # resolutions depend on base_url: never reuse another run's


def _check_file(rel_path: str):
    got = collect.collect_file(_W["site"].root, rel_path, positions=False)
    return _check_links(rel_path, got.ids, got.error, got.links)


def _collect_file(rel_path: str):
    """((ids, error, links as plain tuples), the check's result), for the parse cache."""
    got = collect.collect_file(_W["site"].root, rel_path, positions=False)
    links = [tuple(link) for link in got.links]
    return (got.ids, got.error, links), _check_links(rel_path, got.ids, got.error, links)


def _check_links(rel_path: str, ids, error, links):
    """(path, ids, error, (checked, skipped, unchecked), findings, frag_checks, externals).

    ``links`` are :class:`collect.Link` or the same fields as a plain tuple.
    Each link travels as ``where = (url, line, column, kind, index)``; ``index``
    is its rank in the file, to find its exact column later if it is reported.
    """
    site: Site = _W["site"]
    resolver: Resolver = _W["resolver"]
    resolve = resolver.resolve
    join_path = resolver._relative  # the common case: a path-only URL, no <base>
    cache: dict = _W.setdefault("cache", {})
    excludes = _W["excludes"]
    external = _W["external"]
    checked = skipped = unchecked = 0
    findings, frag_checks, externals = [], [], []
    lookup = site.lookup
    page_dir = rel_path[: rel_path.rfind("/") + 1]
    page_dir_url = resolver._page_dir(rel_path)
    slow = _SLOW_URL.search
    for index, (url, line, column, link_kind, base, _context) in enumerate(links):
        if url and not base and url[0] not in "#?" and not url.startswith("//") \
                and not slow(url):
            res = join_path(page_dir_url, url)
        else:
            # Resolve each once per directory (per page for "", "#..." and "?...",
            # which name the page itself).
            key = (rel_path if not url or url[0] in "#?" else page_dir, url, base)
            res = cache.get(key)
            if res is None:
                res = cache[key] = resolve(rel_path, url, base)
        if excludes and any(p.search(url) or (res.path and p.search(res.path))
                            for p in excludes):
            skipped += 1
            continue
        kind = res.kind
        if kind == SKIP:
            skipped += 1
            continue
        where = (url, line, column, link_kind, index)
        if kind == EXTERNAL:
            if external:
                externals.append((urldefrag(res.path)[0],) + where)
            else:
                unchecked += 1
            continue
        checked += 1
        if kind == INTERNAL:
            served, why = lookup(res.path)
            if served is None:
                findings.append(where + (MISSING, why, res.path))
                continue
            frag = res.fragment
            if frag and is_html_path(served):
                if served == rel_path:
                    if not fragment_ok(frag, ids):
                        findings.append(where + (FRAGMENT, frag, served))
                else:
                    frag_checks.append((served, frag) + where)
        elif kind == ESCAPE:
            findings.append(where + (ESCAPED, res.path, None))
        else:
            findings.append(where + (MALFORMED, res.path, None))
    if len(cache) > 200_000:
        cache.clear()
    return (rel_path, ids, error, (checked, skipped, unchecked), findings, frag_checks, externals)


def _check_chunk(paths: list[str]):
    return [_check_file(p) for p in paths]


def _collect_chunk(paths: list[str]):
    return [_collect_file(p) for p in paths]


def _map(chunk_func, paths: list[str], jobs: int, initargs: tuple) -> list:
    """``chunk_func`` over ``paths``: in this process, or on a pool when there are many."""
    if jobs <= 1 or len(paths) < PARALLEL_THRESHOLD:
        _init_worker(*initargs)
        return chunk_func(paths)
    from concurrent.futures import ProcessPoolExecutor  # imported only when used: ~50 ms

    chunk = max(16, len(paths) // (jobs * 8))
    chunks = [paths[i:i + chunk] for i in range(0, len(paths), chunk)]
    out = []
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                             initargs=initargs) as pool:
        for part in pool.map(chunk_func, chunks):
            out.extend(part)
    return out


def _check_all(site: Site, paths: list[str], opts: Options):
    jobs = opts.jobs if opts.jobs is not None else (os.cpu_count() or 1)
    initargs = (site, opts.base_url, list(opts.excludes), opts.external)
    if not opts.parse_cache:
        return _map(_check_chunk, paths, jobs, initargs)
    return _check_all_cached(site, paths, opts, jobs, initargs)


def _check_all_cached(site: Site, paths: list[str], opts: Options, jobs: int, initargs: tuple):
    """As :func:`_check_all`, parsing only files whose bytes are not in the parse cache."""
    from . import parsecache  # pickle, tempfile: only for builds that keep one

    saved = parsecache.load(opts.parse_cache)
    key = parsecache.site_key(site.files, site.dirs, opts.base_url, opts.excludes, opts.external)
    digests: dict[str, bytes | None] = {}
    stale: list[str] = []
    for path in paths:
        try:
            with open(os.path.join(site.root, path), "rb") as fh:
                digests[path] = parsecache.digest(fh.read())
        except OSError:
            digests[path] = None  # parsed below, which reports why it cannot be read
        entry = saved.files.get(path)
        if digests[path] is None or entry is None or entry[0] != digests[path]:
            stale.append(path)
    files = {path: saved.files[path] for path in paths if path in saved.files}
    results: dict[str, tuple] = {}
    for path, (got, result) in zip(stale, _map(_collect_chunk, stale, jobs, initargs)):
        files[path] = (digests[path],) + got
        results[path] = (digests[path], result)
    old_results = saved.results if saved.site_key == key else {}
    _init_worker(*initargs)
    for path in paths:
        if path in results:
            continue
        old = old_results.get(path)
        if old is not None and old[0] == digests[path]:
            results[path] = old
        else:  # same bytes, but the site's files changed: compare again
            results[path] = (digests[path], _check_links(path, *files[path][1:]))
    if stale or saved.site_key != key or len(saved.files) != len(paths):
        parsecache.save(opts.parse_cache, parsecache.Saved(
            {p: e for p, e in files.items() if e[0] is not None}, key,
            {p: r for p, r in results.items() if r[0] is not None}))
    return [results[path][1] for path in paths]


# --- the comparison ------------------------------------------------------------

def _add_columns(site: Site, located: list[tuple[Problem, int]], resolver: Resolver,
                 source_map: SourceMap) -> None:
    """Parse again, with positions, the few files with problems: exact line and column.

    A problem in a feed entry also gets the content source of the entry's page.
    """
    by_file: dict[str, list[tuple[Problem, int]]] = {}
    for found, index in located:
        by_file.setdefault(found.source, []).append((found, index))
    for source, items in by_file.items():
        links = collect.collect_file(site.root, source, positions=True).links
        for found, index in items:
            link = links[index] if 0 <= index < len(links) else None
            if link is None or link.url != found.target:
                found.column = found.column or 1
                continue
            found.line, found.column = link.line, link.column
            if found.content_source is None and link.context and source_map.mapping:
                res = resolver.resolve(source, link.context, link.base)
                served = site.lookup(res.path)[0] if res.kind == INTERNAL else None
                if served:
                    found.content_source, found.content_line = source_map.locate(
                        served, found.target)


def _compile(excludes) -> list[re.Pattern]:
    return [re.compile(p) for p in excludes]


def check_site(site_dir: str, options: Options | None = None) -> Report:
    """Check the built site in ``site_dir``; returns a :class:`Report`."""
    opts = options or Options()
    resolver = Resolver(opts.base_url)  # validates --base-url before any work
    _compile(opts.excludes)
    site = Site.scan(site_dir)
    paths = sorted(p for p in site.files if collect.file_type(p))
    results = _check_all(site, paths, opts)

    ids_by_page = {r[0]: r[1] for r in results}
    report = Report(files=len(results))
    suggester = Suggester(site, resolver.prefix, resolver.origin if opts.base_url else None)
    source_map = SourceMap(opts.sources)
    external_uses: dict[str, list[tuple]] = {}

    located: list[tuple[Problem, int]] = []

    def problem(page: str, where: tuple, reason: str, suggestion: str | None = None):
        url, line, column, kind, index = where
        content_source, content_line = source_map.locate(page, url)
        found = Problem(page, line, column, url, reason, kind,
                        content_source, content_line, suggestion)
        located.append((found, index))
        return found

    def fragment_problem(page, where, frag, served, ids):
        target = "this page" if served == page else served
        return problem(page, where, f"fragment #{frag} not found in {target}",
                       suggester.for_fragment(where[0], frag, ids or ()))

    for page, _ids, error, counts, findings, frag_checks, externals in results:
        if error:
            report.broken.append(Problem(page, 1, 1, page, error))
        report.checked += counts[0]
        report.skipped += counts[1]
        report.external_unchecked += counts[2]
        for *where, code, detail, extra in findings:
            where = tuple(where)
            if code == MISSING:
                report.broken.append(problem(
                    page, where, detail, suggester.for_path(where[0], page, extra)))
            elif code == FRAGMENT:
                report.broken.append(fragment_problem(page, where, detail, extra,
                                                      ids_by_page.get(extra)))
            elif code == ESCAPED:
                target = detail.split("://", 1)[-1].split("/", 1)
                path = "/" + (target[1] if len(target) > 1 else "")
                path = urldefrag(path)[0].split("?", 1)[0]
                inside = unquote(path.lstrip("/"))
                suggestion = resolver.prefix + path.lstrip("/") if site.lookup(inside)[0] else None
                report.broken.append(problem(
                    page, where,
                    f"outside the site's base path {resolver.prefix} (resolves to {path})",
                    suggestion))
            else:
                report.broken.append(problem(page, where, f"malformed URL ({detail})"))
        for served, frag, *where in frag_checks:
            ids = ids_by_page.get(served)
            if ids is None or not fragment_ok(frag, ids):
                report.broken.append(fragment_problem(page, tuple(where), frag, served, ids))
        for absolute, *where in externals:
            external_uses.setdefault(absolute, []).append((page, tuple(where)))

    if external_uses:
        from .external import ExternalChecker, LinkCache  # http.client, ssl: only when used

        cache = LinkCache(opts.cache_path, opts.cache_max_age) if opts.cache_path else None
        checker = ExternalChecker(timeout=opts.timeout, retries=opts.retries,
                                  backoff=opts.backoff, max_workers=opts.max_workers,
                                  per_host=opts.per_host, cache=cache, progress=opts.progress)
        results = checker.check_all(external_uses)
        for url, uses in external_uses.items():
            result = results[url]
            for page, where in uses:
                report.checked += 1
                if not result.ok:
                    report.broken.append(problem(page, where, result.reason))
                elif result.new_url:
                    url = where[0]
                    report.warnings.append(problem(
                        page, where, f"permanent redirect to {result.new_url}",
                        result.new_url + (("#" + url.split("#", 1)[1]) if "#" in url else "")))

    _add_columns(site, located, resolver, source_map)
    report.broken.sort(key=Problem.sort_key)
    report.warnings.sort(key=Problem.sort_key)
    return report
