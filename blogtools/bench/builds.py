"""Build times: our site vs bare Pelican (cold, interleaved), warm and one-post rebuilds.

Each build runs in its own subprocess, exactly as the author runs it:

* ours: ``python -m blogtools.build -s SITE/pelicanconf.py -o SITE/output``
  (what ``invoke build`` runs: our theme, plugins, TOML reader, MathML, TOC,
  atomic swap, warnings fatal);
* bare: ``pelican SITE/content -s SITE/pelicanconf.py -o SITE/output`` with a
  minimal settings file (default theme and settings) on the same posts written
  with Pelican ``Title:``/``Date:`` headers. Bare Pelican renders no math (the
  ``$...$`` stays text) and writes fewer feeds.

Cold builds alternate ours/bare round by round (A/B/A/B), so drift in machine
load (other engineers' tests on two shared cores) hits both alike; the ratio is
the median of the per-round ratios. Then, with the cache that the last cold
build wrote: warm rebuilds with nothing changed, and rebuilds after changing one
post (a sentence added, as when writing).
"""

from __future__ import annotations

import shutil
import statistics
from pathlib import Path

from blogtools.bench import generate
from blogtools.bench.runner import Run, python, run, venv_bin


class BuildFailed(RuntimeError):
    pass


def ours_cmd(site: Path) -> list[str]:
    return [python(), "-m", "blogtools.build", "-s", str(site / "pelicanconf.py"),
            "-o", str(site / "output")]


def bare_cmd(site: Path) -> list[str]:
    return [venv_bin("pelican"), str(site / "content"), "-s", str(site / "pelicanconf.py"),
            "-o", str(site / "output"), "-q"]


def _check(result: Run, what: str) -> Run:
    if result.returncode != 0:
        raise BuildFailed(f"{what} failed (exit {result.returncode}):\n{result.output[-3000:]}")
    return result


def clean(site: Path) -> None:
    for name in ("output", "cache"):
        shutil.rmtree(site / name, ignore_errors=True)


def summary(runs: list[Run]) -> dict:
    times = [r.seconds for r in runs]
    return {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
            "runs": len(times), "peak_mb": max(r.maxrss_mb for r in runs)}


def prepare(work: Path, n: int, seed: int) -> tuple[Path, Path]:
    ours, bare = work / f"ours-{n}", work / f"bare-{n}"
    generate.make_site(ours, n, seed)
    generate.make_bare_site(bare, n, seed)
    return ours, bare


def bench_builds(work: Path, n: int, seed: int, rounds: int = 3, log=print) -> dict:
    ours, bare = prepare(work, n, seed)
    cold_ours: list[Run] = []
    cold_bare: list[Run] = []
    for r in range(rounds):
        clean(ours)
        cold_ours.append(_check(run(ours_cmd(ours), cwd=ours), f"our cold build of {n} posts"))
        clean(bare)
        cold_bare.append(_check(run(bare_cmd(bare), cwd=bare), f"bare Pelican build of {n} posts"))
        log(f"  {n} posts, round {r + 1}: ours cold {cold_ours[-1].seconds:.2f} s "
            f"({cold_ours[-1].maxrss_mb:.0f} MB), bare {cold_bare[-1].seconds:.2f} s "
            f"({cold_bare[-1].maxrss_mb:.0f} MB)")
    ratios = [a.seconds / b.seconds for a, b in zip(cold_ours, cold_bare)]
    warm: list[Run] = []
    changed: list[Run] = []
    post = ours / "content" / "posts" / f"{generate.SLUG_PREFIX}00001.md"
    for r in range(rounds):
        warm.append(_check(run(ours_cmd(ours), cwd=ours), "warm rebuild"))
        generate.edit_post(post, f"bench round {r + 1}")
        changed.append(_check(run(ours_cmd(ours), cwd=ours), "one-post rebuild"))
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
        "warm": summary(warm),
        "changed": summary(changed),
        "pages_written": sum(1 for _ in (ours / "output").rglob("*.html")),
        "bare_pages_written": sum(1 for _ in (bare / "output").rglob("*.html")),
    }
