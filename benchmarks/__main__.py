"""``invoke bench``: build, rebuild, edit-to-preview, link check and page weight, in one run.

``python -m benchmarks [--sizes 100,1000] [--quick]`` generates posts from
a fixed seed (``benchmarks.generate``) into temporary site copies and
measures, in this order so the figures share one machine state:

1. builds (``builds.bench_builds``): ours (in each front matter style of
   ``--styles``: TOML, YAML, Pelican header) vs bare Pelican vs Hugo, cold,
   interleaved; warm and one-post-changed rebuilds; peak memory;
2. edit-to-preview: a body edit on the real site (``preview.bench_preview``);
   body, title and tag edits on the largest generated site, our preview against
   ``hugo server`` on the same posts, with both servers' peak memory
   (``preview.bench_side_by_side``; Hugo left out with ``--no-hugo``);
3. link check: synthetic sites with planted problems against lychee,
   LinkChecker and html-proofer (``benchmarks.linkcheck``), and every
   checker on the largest generated site's real output (``output_check``);
4. page weight of the write-up (``weight.measure``) on the published build;
5. Lighthouse scores (``blogtools.commands.audit``) when ``npm ci`` has installed it.

The figures go to ``docs/benchmarks.md`` (``--out``), replacing the previous
ones. ``--quick`` (under five minutes) uses 100 posts, one round, and a
100-page link check; the full run (under twenty) uses 100 and 1,000 posts,
three rounds, and 100-, 1,000- and 5,000-page link checks. ``--only
build,linkcheck`` runs only those stages (of ``STAGES``) and writes only their
sections.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import builds, machine, output_check, preview, report, weight
from benchmarks.generate import REPO, SLUG_PREFIX, STYLES, make_hugo_site, make_site

SEED = 20201215
WRITEUP = "posts/aws-ml-specialty-certification"
# A peer still running after this long is stopped and reported as "> N s":
# LinkChecker needs over ten minutes for 5,000 pages, which alone would break
# the twenty-minute budget of the whole run.
PEER_TIMEOUT = 100.0
# A peer whose first run at a size takes longer than this runs only once there
# (LinkChecker: 15 s for 100 pages; html-proofer: 20 s for 1,000).
SLOW_PEER = 10.0
# --quick stops peers sooner, to stay under five minutes.
QUICK_PEER_TIMEOUT = 45.0
STAGES = ("build", "preview", "linkcheck", "weight", "lighthouse")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_sizes(text: str) -> list[int]:
    sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"sizes must be positive numbers, not {text!r}")
    return sizes


def parse_subset(text: str, choices: tuple[str, ...], what: str) -> tuple[str, ...]:
    """The comma-separated ``text`` as a subset of ``choices``, in their order."""
    chosen = {part.strip() for part in text.split(",") if part.strip()}
    if not chosen or chosen - set(choices):
        raise argparse.ArgumentTypeError(
            f"{what} are a comma-separated subset of {','.join(choices)}, not {text!r}")
    return tuple(choice for choice in choices if choice in chosen)


def parse_styles(text: str) -> tuple[str, ...]:
    return parse_subset(text, STYLES, "front matter styles")


def parse_stages(text: str) -> tuple[str, ...]:
    return parse_subset(text, STAGES, "stages")


def bench_weight(work: Path) -> dict:
    from blogtools.commands.build import build

    folder = work / "published"
    result = build(REPO / "publishconf.py", folder / "output", CACHE_PATH=str(folder / "cache"),
                   SOURCEMAP_PATH=str(folder / "sources.json"))
    if not result.ok:
        raise builds.BuildFailed("\n".join(result.problems))
    from blogtools.commands.settings import load_settings

    host = load_settings(REPO / "publishconf.py")["SITEURL"].split("://", 1)[-1].split("/", 1)[0]
    w = weight.measure(result.output, f"{WRITEUP}/index.html", own_hosts=(host,))
    return {"critical": w.critical, "whole": w.whole, "requests": w.requests,
            "blocking": w.blocking}


def bench_lighthouse(work: Path) -> list[dict] | str:
    from blogtools.commands import audit
    from blogtools.commands.screenshots import build_site

    settings = REPO / "pelicanconf.py"
    program = audit.lighthouse(settings)
    if not program.exists():
        return "not run: Lighthouse is not installed (run `npm ci`)"
    site = build_site(str(settings), work / "audit")
    return list(audit.audit(site, work / "audit" / "reports", program))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=None,
                        help="generated post counts for the build benchmark (default 100,1000; "
                             "--quick: 100)")
    parser.add_argument("--linkcheck-sizes", type=parse_sizes, default=None,
                        help="page counts of the link-check sites (default 100,1000,5000; "
                             "--quick: 100)")
    parser.add_argument("--quick", action="store_true", help="one round, small sizes: a few minutes")
    parser.add_argument("--rounds", type=int, default=None, help="timed rounds (default 3; --quick: 1)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-lighthouse", action="store_true", help="skip the Lighthouse audit")
    parser.add_argument("--styles", type=parse_styles, default=STYLES,
                        help="front matter styles of our cold build, comma-separated, of "
                             f"{','.join(STYLES)} (default all; TOML is always built: it is the "
                             "site the other stages use)")
    parser.add_argument("--no-hugo", action="store_true",
                        help="leave Hugo out of the build stage (its figures say not measured)")
    parser.add_argument("--only", type=parse_stages, default=None,
                        help=f"run only these stages, comma-separated, of {','.join(STAGES)} "
                             "(default all); the report then has only their sections")
    parser.add_argument("-o", "--out", default=str(REPO / "docs" / "benchmarks.md"))
    args = parser.parse_args(argv)
    sizes = args.sizes or ([100] if args.quick else [100, 1000])
    link_sizes = args.linkcheck_sizes or ([100] if args.quick else [100, 1000, 5000])
    rounds = args.rounds or (1 if args.quick else 3)
    peer_timeout = QUICK_PEER_TIMEOUT if args.quick else PEER_TIMEOUT
    stages = args.only or STAGES
    started = time.perf_counter()
    figures: dict = {"mode": "quick" if args.quick else "full", "seed": args.seed,
                     "rounds": rounds, "machine": machine.describe(), "only": args.only}
    with tempfile.TemporaryDirectory(prefix="blog-bench-") as tmp:
        work = Path(tmp)
        os.chmod(work, 0o755)  # html-proofer and lychee may run as another user
        largest = max(sizes)
        ours_large = work / f"ours-{largest}"
        if "build" in stages:
            figures["builds"] = []
            for n in sizes:
                log(f"builds: {n} generated posts + the real ones, {rounds} round(s)")
                figures["builds"].append(builds.bench_builds(
                    work, n, args.seed, rounds, log=log, styles=args.styles,
                    with_hugo=not args.no_hugo))
        elif "preview" in stages or "linkcheck" in stages:
            log(f"building {largest} generated posts once (no build benchmark: --only)")
            builds.build_ours(work, largest, args.seed)

        if "preview" in stages:
            real = work / "real"
            make_site(real, 0, args.seed)
            log("edit-to-preview: the real site")
            figures["preview"] = {"real": {"site": "the real site", "posts": 2, **preview.bench_preview(
                real, real / "content/posts/aws-ml-study-points.md", "posts/aws-ml-study-points/",
                rounds=max(3, rounds + 2))}}
            middle = f"{SLUG_PREFIX}{max(1, largest // 2):05d}"
            binary = None if args.no_hugo else builds.hugo_binary()
            hugo_site = None
            if binary:
                hugo_site = work / f"hugo-preview-{largest}"
                make_hugo_site(hugo_site, largest, args.seed)
            log(f"edit-to-preview: {largest} generated posts, body, title and tag edits, ours"
                + (" vs hugo server" if binary else " (Hugo left out or not installed)")
                + f", {rounds} round(s)")
            figures["preview"]["compare"] = {
                "posts": largest, "hugo_left_out": args.no_hugo,
                **preview.bench_side_by_side(ours_large, hugo_site, middle, rounds=rounds,
                                             hugo_binary=binary, log=log)}

        if "linkcheck" in stages:
            from benchmarks import linkcheck as bench_linkcheck

            log(f"link check: synthetic sites of {', '.join(map(str, link_sizes))} pages")
            figures["linkcheck"] = bench_linkcheck.run(tuple(link_sizes), seed=args.seed,
                                                       rounds=rounds, timeout=peer_timeout,
                                                       slow=SLOW_PEER, log=log)
            log(f"link check: the built output of {largest} generated posts")
            figures["output_check"] = output_check.bench_output(
                ours_large / "output", rounds=rounds, timeout=peer_timeout, slow=SLOW_PEER,
                log=log)

        if "weight" in stages:
            log("page weight: the write-up, published build")
            figures["weight"] = bench_weight(work)
        if "lighthouse" in stages and args.no_lighthouse:
            figures["lighthouse"] = "not run (--no-lighthouse)"
        elif "lighthouse" in stages:
            log("Lighthouse: home page and write-up, mobile and desktop")
            figures["lighthouse"] = bench_lighthouse(work)
    figures["machine"]["load_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    figures["elapsed_s"] = time.perf_counter() - started
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report.render(figures), encoding="utf-8")
    log(f"wrote {out} ({figures['elapsed_s'] / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
