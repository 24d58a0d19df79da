"""A checked site kept in memory: a few rewritten pages checked again, in milliseconds.

The live preview patches a body edit into the site it serves (one post's page,
the listings and feeds that show it). Checking the whole folder again would
read and hash every file; this module instead keeps what the last full pass
(:func:`.checker.check_site` with ``Options(keep=True)``) found for each file,
parses only the rewritten ones, and compares again only what they can change:
their own links, and, when a page's set of ids changed, the fragments other
pages link to on it.

It answers clean or not, nothing more: a patch with a problem is built again
in full, and that build reports each problem on its Markdown line.
"""

from __future__ import annotations

from . import collect
from .checker import Kept, _check_links, _init_args, _init_worker
from .resolve import fragment_ok


def recheck(kept: Kept, changed: dict[str, bytes]) -> Kept | None:
    """``kept`` with the files in ``changed`` (rel_path -> new bytes) checked again.

    None when a link is broken, or when a path is not a checked file of the site
    (a patch neither adds nor removes files: the full check decides those).
    """
    if kept.options.external or any(path not in kept.results for path in changed):
        return None
    _init_worker(*_init_args(kept.site, kept.options))
    results = dict(kept.results)
    moved = set()  # pages whose ids changed: fragments other pages link to must be looked up
    for path, data in changed.items():
        got = collect.collect_bytes(path, data, positions=False)
        result = _check_links(path, got.ids, got.error, got.links)
        if got.ids != results[path][1]:
            moved.add(path)
        results[path] = result
    for path, (_, _, error, _, findings, frag_checks, _) in results.items():
        if path in changed:
            if error or findings:
                return None
            wanted = frag_checks
        elif moved:
            wanted = [check for check in frag_checks if check[0] in moved]
        else:
            continue
        for served, frag, *_ in wanted:
            ids = results[served][1] if served in results else None
            if ids is None or not fragment_ok(frag, ids):
                return None
    return Kept(kept.site, kept.options, results)
