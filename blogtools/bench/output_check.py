"""Link checkers on a real built blog: the generated N-post site's output folder.

The synthetic sites of ``blogtools.bench_linkcheck`` plant known problems; this
runs the same checkers (ours, lychee, LinkChecker, html-proofer, whichever
are installed) on what our build really writes for N generated posts: article
pages with tables, code and MathML, tag, category, author and archive pages,
feeds, sitemap. Our build already passed its own link check, so every problem a
peer reports here is a false positive (or a miss of ours: the examples in the
row say which), and ours must report none.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from blogtools.bench.runner import env
from blogtools.bench_linkcheck import CHECKERS, _version

OURS = "ours (blogtools.linkcheck)"


def bench_output(site: Path, rounds: int = 3, slow: float = 60.0, timeout: float = 600.0,
                 log=print) -> list[dict]:
    pages = sum(1 for _ in site.rglob("*.html"))
    rows: list[dict] = []
    times: dict[str, list[float]] = {}
    reported: dict[str, list[str] | None] = {}
    notes: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="bench-output-check-") as tmp:
        work = Path(tmp)
        os.chmod(work, 0o755)
        commands = {}
        for name, (make_cmd, read, install) in CHECKERS.items():
            cmd = make_cmd(site, work)
            if cmd is None:
                notes[name] = f"not installed ({install})"
            else:
                commands[name] = (cmd, read)
                times[name] = []
        for r in range(rounds):
            for name, (cmd, read) in commands.items():  # interleaved, round by round
                if name in notes or (times[name] and times[name][0] > slow):
                    continue
                started = time.perf_counter()
                try:
                    proc = subprocess.run(cmd, capture_output=True, text=True, env=env(),
                                          cwd=work, timeout=timeout)
                except subprocess.TimeoutExpired:
                    notes[name] = f"stopped after {timeout:g} s, unfinished"
                    continue
                times[name].append(time.perf_counter() - started)
                reported[name] = read(site, proc)
                if reported[name] is None:
                    notes[name] = (f"could not read its output (exit {proc.returncode}): "
                                   + (proc.stderr or proc.stdout).strip()[-200:])
                log(f"  output of {pages} pages, round {r + 1}: {name} {times[name][-1]:.2f} s, "
                    f"reported {None if reported.get(name) is None else len(reported[name])}")
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
            else:
                note = "no problems reported"
        rows.append({"pages": pages, "checker": name, "version": _version(name),
                     "median_s": median, "runs": len(spent),
                     "ratio": median / ours if median and ours else None,
                     "reported": None if found is None else len(found), "note": note})
    return rows
