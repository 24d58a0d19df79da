"""Lighthouse scores of the home page and the write-up, mobile and desktop.

``python -m blogtools.commands.audit [--site output]`` builds the site with the local
settings (``pelicanconf.py``) into a temporary folder (unless ``--site`` names a built
one), serves it on 127.0.0.1 and runs the pinned Lighthouse
(``node_modules/.bin/lighthouse``, from ``npm ci``) with Debian's Chromium on
each page, mobile and desktop, printing the four category scores. JSON
reports go to ``--reports`` when given. Exit status 1 if any score is below
``--min`` (default 0: report only). ``invoke audit`` runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from blogtools.commands.screenshots import build_site, serve
from blogtools.commands.settings import SETTINGS_FILE, project_root

# The pinned Lighthouse (package.json), installed by `npm ci` in the project folder.
LIGHTHOUSE = Path("node_modules", ".bin", "lighthouse")
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {"home": "/", "writeup": "/posts/aws-ml-specialty-certification/"}
FORM_FACTORS = ("mobile", "desktop")


def lighthouse(settings_file: str | os.PathLike = SETTINGS_FILE) -> Path:
    """Where ``npm ci`` puts Lighthouse for the project of ``settings_file``."""
    return project_root(settings_file) / LIGHTHOUSE


def run_lighthouse(url: str, form_factor: str, report: Path, program: Path) -> dict:
    command = [str(program), url, "--quiet", "--output=json", f"--output-path={report}",
               f"--chrome-flags={CHROME_FLAGS}",
               "--only-categories=" + ",".join(CATEGORIES)]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    subprocess.run(command, check=True, env=env, timeout=300)
    data = json.loads(report.read_text())
    scores = {name: round((data["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}
    failing = {name: [audit_id for audit_id in (r["id"] for r in data["categories"][name]["auditRefs"]
                                                if r.get("weight"))
                      if (data["audits"][audit_id].get("score") is not None
                          and data["audits"][audit_id]["score"] < 1
                          and data["audits"][audit_id].get("scoreDisplayMode") in ("binary", "numeric"))]
               for name in CATEGORIES}
    return {"scores": scores, "failing": failing}


def audit(site: Path, reports: Path, program: Path):
    """Yield ``{"page", "device", "scores", "failing"}`` for each page and form factor of ``site``."""
    reports.mkdir(parents=True, exist_ok=True)
    server, base = serve(site)
    try:
        for name, path in PAGES.items():
            for form_factor in FORM_FACTORS:
                result = run_lighthouse(base + path, form_factor, reports / f"{name}-{form_factor}.json",
                                        program)
                yield {"page": name, "device": form_factor, **result}
    finally:
        server.shutdown()
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m blogtools.commands.audit", description=__doc__.split("\n")[0])
    parser.add_argument("--site", default=None, help="an already built site to audit")
    # The local build: the published one names https://shanenolan.dev, which a local audit cannot load.
    parser.add_argument("-s", "--settings", default=SETTINGS_FILE)
    parser.add_argument("--reports", default=None, help="folder for the JSON reports")
    parser.add_argument("--min", type=int, default=0, help="fail if any score is below this")
    args = parser.parse_args(argv)
    program = lighthouse(args.settings)
    if not program.exists():
        print("Lighthouse is not installed: run `npm ci` in the project folder", file=sys.stderr)
        return 2
    worst = 100
    with tempfile.TemporaryDirectory(prefix="audit-") as tmp:
        site = Path(args.site) if args.site else build_site(args.settings, Path(tmp))
        reports = Path(args.reports) if args.reports else Path(tmp) / "reports"
        print(f"{'page':10} {'device':8} " + " ".join(f"{c:>14}" for c in CATEGORIES))
        for row in audit(site, reports, program):
            scores = row["scores"]
            worst = min(worst, *scores.values())
            print(f"{row['page']:10} {row['device']:8} " + " ".join(f"{scores[c]:>14}" for c in CATEGORIES),
                  flush=True)
            for category, audits in row["failing"].items():
                if audits:
                    print(f"    {category}: not passing: {', '.join(audits)}")
    return 1 if worst < args.min else 0


if __name__ == "__main__":
    sys.exit(main())
