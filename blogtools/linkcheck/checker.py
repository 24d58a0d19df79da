"""The one-pass check of a built site folder: collect everything, then compare.

1. List the folder once (:meth:`Site.scan`): the set of files a static host
   would serve.
2. Parse every HTML page, feed, sitemap and ``robots.txt`` once
   (:mod:`.collect`), on a process pool (one process per core) when there are
   enough bytes to parse for forking to pay, resolving each used link to a
   site path on the worker (:mod:`.resolve`). With a
   ``parse_cache`` file, only files whose bytes changed since the last run
   are parsed (:mod:`.parsecache`).
3. Compare: each internal link's path must be a file (or a directory with an
   ``index.html``), its fragment an id of the target page; external links are
   handed to :mod:`.external` when asked for.
4. Parse again, with exact columns, only the files that have a problem (on
   the pool too when they are large).

The pool's results are the sequential pass's, in the same order: chunks are
runs of consecutive files and come back in order.

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

# Below this many bytes to parse, a process pool costs more than it saves: starting
# one costs about 50 ms, and one core parses about 8 MB/s. On 2 cores (one of them
# busy elsewhere) the pool lost at 0.44 MB (61 vs 73 ms) and won at 0.88 MB (121 vs 102).
PARALLEL_MIN_BYTES = 1_000_000
# Chunks per process: enough to balance uneven files, few enough to pickle little.
CHUNKS_PER_JOB = 8


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
    keep: bool = False               # Report.kept: the pass's results, for .live rechecks
    progress: bool | None = None     # None: when stderr is a TTY


@dataclass(frozen=True)
class Kept:
    """What one pass found, for :func:`.live.recheck`: the site's files, the options, and
    each checked file's result (see :func:`_check_links`)."""

    site: Site
    options: Options
    results: dict


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
    _W["targets"] = {}


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
    targets: dict = _W.setdefault("targets", {})
    for index, (url, line, column, link_kind, base, _context) in enumerate(links):
        if url and not base and url[0] not in "#?" and not url.startswith("//") \
                and not slow(url):
            if not excludes:
                # The common case, settled from one look-up per target path: many pages
                # link to the same few hundred paths, each with many fragments.
                cut = url.find("#")
                bare, frag = (url, None) if cut == -1 else (url[:cut], url[cut + 1:])
                full = _join_dir(page_dir_url, bare.partition("?")[0])
                hit = targets.get(full)
                if hit is None:
                    hit = targets[full] = _target(join_path("", full), lookup)
                if hit[0] == INTERNAL:
                    checked += 1
                    served = hit[2]
                    if served is None:
                        findings.append((url, line, column, link_kind, index, MISSING,
                                         hit[3], hit[1]))
                    elif frag and hit[4]:
                        if served == rel_path:
                            if not fragment_ok(frag, ids):
                                findings.append((url, line, column, link_kind, index,
                                                 FRAGMENT, frag, served))
                        else:
                            frag_checks.append((served, frag, url, line, column, link_kind,
                                                index))
                    continue
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
    if len(targets) > 200_000:
        targets.clear()
    return (rel_path, ids, error, (checked, skipped, unchecked), findings, frag_checks, externals)


def _join_dir(page_dir: str, path: str) -> str:
    """``path`` (no query, no fragment) joined to the URL directory ``page_dir``.

    Leading ``../`` and ``./`` are applied here, so that ``../b/`` from every
    page of one folder is the same absolute path, resolved once; any other dot
    segment is left to the resolver (RFC 3986 remove_dot_segments).
    """
    if path.startswith("/"):
        return path
    while True:
        if path.startswith("../"):
            path = path[3:]
            if len(page_dir) > 1:
                page_dir = page_dir[: page_dir.rfind("/", 0, len(page_dir) - 1) + 1]
        elif path.startswith("./"):
            path = path[2:]
        else:
            return page_dir + path


def _target(res, lookup) -> tuple:
    """(kind, site path, served file or None, why not, served is HTML) of a resolved path."""
    if res.kind != INTERNAL:
        return (res.kind, None, None, None, False)
    served, why = lookup(res.path)
    return (INTERNAL, res.path, served, why, served is not None and is_html_path(served))


def _check_chunk(paths: list[str]):
    return [_check_file(p) for p in paths]


def _collect_chunk(paths: list[str]):
    return [_collect_file(p) for p in paths]


def _locate_chunk(wanted: list[tuple[str, list[int]]]):
    """For each (file, link indexes): {index: (url, line, column, base, context)}, exact."""
    out = []
    for source, indexes in wanted:
        links = collect.collect_file(_W["site"].root, source, positions=True).links
        out.append({i: (links[i].url, links[i].line, links[i].column, links[i].base,
                        links[i].context) for i in indexes if 0 <= i < len(links)})
    return out


def plan_chunks(items: list, sizes: list[int], jobs: int) -> list[list] | None:
    """``items`` cut into runs of about equal bytes for ``jobs`` processes, or None.

    None means parse here, in this process: one job, or less than
    :data:`PARALLEL_MIN_BYTES` in all. Runs are consecutive, so the results,
    joined in order, are the sequential pass's.
    """
    total = sum(sizes)
    if jobs <= 1 or len(items) < 2 or total < PARALLEL_MIN_BYTES:
        return None
    target = max(1, total // (jobs * CHUNKS_PER_JOB))
    chunks, current, size = [], [], 0
    for item, n in zip(items, sizes):
        current.append(item)
        size += n
        if size >= target:
            chunks.append(current)
            current, size = [], 0
    if current:
        chunks.append(current)
    return chunks


def _pool_context():
    """fork: the workers start with the parent's modules and lxml loaded (tens of ms less)."""
    import multiprocessing
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None


def _map(chunk_func, items: list, sizes: list[int], jobs: int, initargs: tuple) -> list:
    """``chunk_func`` over ``items``: in this process, or on a pool when there is much to parse."""
    chunks = plan_chunks(items, sizes, jobs)
    if chunks is None:
        _init_worker(*initargs)
        return chunk_func(items)
    from concurrent.futures import ProcessPoolExecutor  # imported only when used: ~50 ms

    out = []
    with ProcessPoolExecutor(max_workers=min(jobs, len(chunks)), mp_context=_pool_context(),
                             initializer=_init_worker, initargs=initargs) as pool:
        for part in pool.map(chunk_func, chunks):
            out.extend(part)
    return out


def _file_size(root: str, path: str) -> int:
    try:
        return os.stat(os.path.join(root, path)).st_size
    except OSError:
        return 0


def _jobs(opts: Options) -> int:
    return opts.jobs if opts.jobs is not None else (os.cpu_count() or 1)


def _init_args(site: Site, opts: Options) -> tuple:
    return (site, opts.base_url, list(opts.excludes), opts.external)


def _check_all(site: Site, paths: list[str], opts: Options):
    jobs, initargs = _jobs(opts), _init_args(site, opts)
    if not opts.parse_cache:
        sizes = [_file_size(site.root, p) for p in paths] if jobs > 1 else [0] * len(paths)
        return _map(_check_chunk, paths, sizes, jobs, initargs)
    return _check_all_cached(site, paths, opts, jobs, initargs)


def _check_all_cached(site: Site, paths: list[str], opts: Options, jobs: int, initargs: tuple):
    """As :func:`_check_all`, parsing only files whose bytes are not in the parse cache."""
    from . import parsecache  # pickle, tempfile: only for builds that keep one

    saved = parsecache.load(opts.parse_cache)
    key = parsecache.site_key(site.files, site.dirs, opts.base_url, opts.excludes, opts.external)
    digests: dict[str, bytes | None] = {}
    stale: list[str] = []
    stale_sizes: list[int] = []
    for path in paths:
        size = 0
        try:
            with open(os.path.join(site.root, path), "rb") as fh:
                data = fh.read()
            digests[path], size = parsecache.digest(data), len(data)
        except OSError:
            digests[path] = None  # parsed below, which reports why it cannot be read
        entry = saved.files.get(path)
        if digests[path] is None or entry is None or entry[0] != digests[path]:
            stale.append(path)
            stale_sizes.append(size)
    files = {path: saved.files[path] for path in paths if path in saved.files}
    results: dict[str, tuple] = {}
    for path, (got, result) in zip(stale, _map(_collect_chunk, stale, stale_sizes, jobs,
                                               initargs)):
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
                 source_map: SourceMap, opts: Options) -> None:
    """Parse again, with positions, the few files with problems: exact line and column.

    A problem in a feed entry also gets the content source of the entry's page.
    Large files are parsed on the pool, as in the first pass.
    """
    by_file: dict[str, list[tuple[Problem, int]]] = {}
    for found, index in located:
        by_file.setdefault(found.source, []).append((found, index))
    wanted = [(source, [index for _, index in items]) for source, items in by_file.items()]
    jobs = _jobs(opts)
    sizes = [_file_size(site.root, source) for source, _ in wanted] if jobs > 1 \
        else [0] * len(wanted)
    located_links = _map(_locate_chunk, wanted, sizes, jobs, _init_args(site, opts))
    for (source, items), links in zip(by_file.items(), located_links):
        for found, index in items:
            link = links.get(index)
            if link is None or link[0] != found.target:
                found.column = found.column or 1
                continue
            _url, found.line, found.column, base, context = link
            if found.content_source is None and context and source_map.mapping:
                res = resolver.resolve(source, context, base)
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
    if opts.keep:
        report.kept = Kept(site, opts, {r[0]: r for r in results})
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

    _add_columns(site, located, resolver, source_map, opts)
    report.broken.sort(key=Problem.sort_key)
    report.warnings.sort(key=Problem.sort_key)
    return report
