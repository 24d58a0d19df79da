"""Link checkers on a real built blog: the generated N-post site's output folder.

The synthetic sites of ``benchmarks.linkcheck`` plant known problems; this
runs the same checkers (ours, lychee, LinkChecker, html-proofer, whichever
are installed) on what our build really writes for N generated posts: article
pages with tables, code and MathML, tag, category, author and archive pages,
feeds, sitemap. Our build already passed its own link check, so every problem a
peer reports here is a false positive (or a miss of ours: the examples in the
row say which), and ours must report none.

LinkChecker, given a folder, treats the blog's root-relative links
(``/posts/x/``) as outside it and checks only the start page's few relative
URLs, so it gets the folder served on 127.0.0.1 instead, as a web server would.
html-proofer runs only on outputs of up to 500 pages (``--quick``): on the
1,000-post output it needs over a minute, and the whole run must stay under
twenty. A peer's notes quote a few of the problems it reported, in its words.
"""

from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path

from benchmarks.linkcheck import CHECKERS, _linkchecker_cmd, _version, examples, time_interleaved
from benchmarks.runner import env
from blogtools.commands.screenshots import QuietHandler, serve

OURS = "ours (blogtools.linkcheck)"
# html-proofer needs over a minute for the 1,000-post output; it runs on smaller ones.
SLOW_PEERS = {"html-proofer": 500}


class PeerHandler(QuietHandler):
    # LinkChecker sends at most 10 requests a second to a host unless the host
    # answers with this header (its documentation's own opt-in for fast servers).
    def end_headers(self):
        self.send_header("LinkChecker", "bench")
        super().end_headers()


def _over_http(site: Path, work: Path, base: str) -> list[str] | None:
    cmd = _linkchecker_cmd(site, work)
    if cmd is None:
        return None
    config = work / "linkcheckerrc"
    config.write_text(config.read_text().replace("threads=10\n", "threads=10\nmaxrequestspersecond=1000\n"))
    return cmd[:-1] + [base + "/"]


def bench_output(site: Path, rounds: int = 3, slow: float = 60.0, timeout: float = 600.0,
                 log=print) -> list[dict]:
    pages = sum(1 for _ in site.rglob("*.html"))
    rows: list[dict] = []
    notes: dict[str, str] = {}
    server, base = serve(site, PeerHandler)
    with tempfile.TemporaryDirectory(prefix="bench-output-check-") as tmp:
        work = Path(tmp)
        os.chmod(work, 0o755)
        commands = {}
        for name, (make_cmd, read, install) in CHECKERS.items():
            if pages > SLOW_PEERS.get(name, pages):
                notes[name] = (f"not run here (over a minute on {pages} pages; see the synthetic "
                               "sites and `invoke bench --quick`)")
                continue
            cmd = _over_http(site, work, base) if name == "LinkChecker" else make_cmd(site, work)
            if cmd is None:
                notes[name] = f"not installed ({install})"
            else:
                commands[name] = (cmd, read)
        timed = time_interleaved(commands, site, work, env(), rounds=rounds, slow=slow,
                                 timeout=timeout, log=log, label=f"  output of {pages} pages")
    server.shutdown()
    server.server_close()
    times, reported, stopped = timed.times, timed.results, timed.stopped
    notes.update(timed.failures)
    said = {name: examples(name, proc) for name, proc in timed.procs.items()}
    ours = statistics.median(times[OURS]) if times.get(OURS) else None
    for name in CHECKERS:
        spent = times.get(name) or []
        median = statistics.median(spent) if spent else None
        found = reported.get(name)
        note = notes.get(name, "")
        if found is not None and not note:
            if found:
                where = sorted(set(found))
                note = (f"{len(found)} false positive{'s' if len(found) != 1 else ''} on "
                        f"{len(where)} page{'s' if len(where) != 1 else ''}, e.g. {', '.join(where[:3])}")
                if said.get(name):
                    note += "; it said: " + "; ".join(f"“{text}”" for text in said[name])
            else:
                note = "no problems reported"
        rows.append({"pages": pages, "checker": name, "version": _version(name),
                     "median_s": median, "runs": len(spent),
                     "ratio": median / ours if median and ours else None,
                     "stopped_after": stopped.get(name),
                     "reported": None if found is None else len(found), "note": note})
    return rows
