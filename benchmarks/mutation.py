"""``invoke mutate``: mutation score per module into ``docs/test-strength.md``.

Mutation testing (mutmut, pinned in requirements-bench.txt) changes a module one small
step at a time and counts the changes that some test notices. It is a measurement, like
``invoke bench``, and stays out of CI.

Each module runs against the test files that exercise it (:data:`TESTS`), so one module
takes minutes, not the whole suite's time per mutant. The run happens in a scratch copy
under ``cache/mutation/`` (mutmut writes a ``mutants/`` folder next to its
``pyproject.toml``; the checkout stays clean): the copy's ``pyproject.toml`` is the
project's, with ``[tool.mutmut]`` narrowed to the module and its tests.

Survivors that are equivalent mutants (no behaviour can tell them apart) are listed,
each with why, in ``docs/equivalent-mutants.toml``; they leave the denominator. Any
other survivor is printed, and named in the report.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "cache" / "mutation"
REPORT = ROOT / "docs" / "test-strength.md"
EQUIVALENTS = ROOT / "docs" / "equivalent-mutants.toml"
TARGET = 90.0

# Module -> the test files that exercise it (the one place this mapping lives).
TESTS: dict[str, list[str]] = {
    "blogtools/linkcheck/resolve.py": [
        "tests/test_linkcheck_resolve.py",
        "tests/test_linkcheck_internal.py",
        "tests/test_linkcheck_filenames.py",
        "tests/test_linkcheck_cli.py",
        "tests/test_linkcheck_collect.py",
        "tests/test_linkcheck_feeds.py",
        "tests/test_linkcheck_property.py",
        "tests/test_linkcheck_sources.py",
        "tests/test_linkcheck_suggest.py",
    ],
    "blogtools/linkcheck/collect.py": [
        "tests/test_linkcheck_collect.py",
        "tests/test_linkcheck_collect_strength.py",
        "tests/test_linkcheck_internal.py",
        "tests/test_linkcheck_feeds.py",
        "tests/test_linkcheck_filenames.py",
        "tests/test_linkcheck_sources.py",
    ],
    "blogtools/linkcheck/checker.py": [
        "tests/test_linkcheck_checker_strength.py",
        "tests/test_linkcheck_live.py",
        "tests/test_linkcheck_internal.py",
        "tests/test_linkcheck_filenames.py",
        "tests/test_linkcheck_cli.py",
        "tests/test_linkcheck_feeds.py",
        "tests/test_linkcheck_pool.py",
        "tests/test_linkcheck_parsecache.py",
        "tests/test_linkcheck_suggest.py",
    ],
    "blogtools/plugins/frontmatter.py": [
        "tests/test_frontmatter.py",
        "tests/test_frontmatter_strength.py",
    ],
    "blogtools/commands/build.py": [
        "tests/test_build_strength.py",
        "tests/test_preview_patch.py",
        "tests/test_build_errors.py",
        "tests/test_build_faults.py",
    ],
    "blogtools/publish/swap.py": [
        "tests/test_build_strength.py",
        "tests/test_build_faults.py",
        "tests/test_publish_local.py",
    ],
    "blogtools/publish/tree.py": [
        "tests/test_publish_tree.py",
        "tests/test_publish_local.py",
    ],
    "blogtools/publish/local.py": [
        "tests/test_publish_tree.py",
        "tests/test_publish_local.py",
    ],
    "blogtools/plugins/speed/render_cache.py": [
        "tests/test_render_cache_decisions.py",
        "tests/test_render_cache.py",
    ],
    "blogtools/plugins/taxonomy_slugs.py": [
        "tests/test_taxonomy_slugs.py",
        "tests/test_taxonomy.py",
    ],
    "blogtools/commands/secrets.py": [
        # Not tests/test_secrets.py: it guards the repository's own files (git ls-files, which
        # lists nothing in the scratch copy) and does not use this module.
        "tests/test_secrets_scan.py",
        "tests/test_secrets_strength.py",
    ],
}

# Modules measured in part: mutmut name globs of the functions in scope (default: all).
# The render cache's scope is its decision of what to render again: the digests that key
# a page, the site key, and the checks that reuse a page or a body; the trace and file
# plumbing around them is exercised by the byte-equality tests, not scored here.
SCOPE: dict[str, list[str]] = {
    "blogtools/plugins/speed/render_cache.py": [
        "blogtools.plugins.speed.render_cache.x_ref__mutmut_*",
        "blogtools.plugins.speed.render_cache.xǁ_Canonǁ*",
        "blogtools.plugins.speed.render_cache.x_body_digest__mutmut_*",
        "blogtools.plugins.speed.render_cache.x_site_key__mutmut_*",
        "blogtools.plugins.speed.render_cache.xǁRenderCacheǁ_ready__mutmut_*",
        "blogtools.plugins.speed.render_cache.xǁRenderCacheǁbody__mutmut_*",
        "blogtools.plugins.speed.render_cache.xǁRenderCacheǁreusable__mutmut_*",
    ],
}

# What the tests read besides the code and the tests: copied into the scratch folder.
SUPPORT = ["pelicanconf.py", "publishconf.py", "tasks.py", "content", "theme", "scripts"]
COPY_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis", ".pytest_cache")

# `mutmut results --all true` lines: "    name: status".
_RESULT = re.compile(r"^\s+(\S+): (.+)$")
CAUGHT = {"killed", "timeout", "caught by type check", "segfault"}
NOT_RUN = {"skipped", "not checked"}


def _prepare(module: str) -> Path:
    """A scratch copy of the project whose [tool.mutmut] mutates ``module`` only."""
    work = SCRATCH / module.replace("/", "_").removesuffix(".py")
    work.mkdir(parents=True, exist_ok=True)
    for name in ("blogtools", "benchmarks", "tests"):
        if (work / name).exists():
            shutil.rmtree(work / name)
        shutil.copytree(ROOT / name, work / name, ignore=COPY_IGNORE)
    for name in SUPPORT:
        src, dst = ROOT / name, work / name
        if src.is_dir() and not dst.exists():
            shutil.copytree(src, dst, ignore=COPY_IGNORE)
        elif src.is_file():
            shutil.copy2(src, dst)
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    config = tomllib.loads(project)["tool"]["mutmut"]
    tests = [t for t in TESTS[module] if (ROOT / t).exists()]
    narrowed = dict(config, only_mutate=[module], pytest_add_cli_args_test_selection=tests)
    section = "[tool.mutmut]\n" + "".join(f"{k} = {_toml(v)}\n" for k, v in narrowed.items())
    head = project.split("[tool.mutmut]", 1)[0]
    (work / "pyproject.toml").write_text(head + section, encoding="utf-8")
    return work


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


def _mutmut(work: Path, *args: str, capture: bool = False) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(work), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "mutmut", *args], cwd=work, env=env,
                          text=True, capture_output=capture, check=False)


def equivalents() -> dict[str, str]:
    """Mutant name -> why it changes no behaviour."""
    if not EQUIVALENTS.exists():
        return {}
    return dict(tomllib.loads(EQUIVALENTS.read_text(encoding="utf-8")).get("equivalent", {}))


def score(statuses: dict[str, str], known: dict[str, str]) -> dict:
    """Counts and score of one module's run; equivalents leave the denominator."""
    run = {k: s for k, s in statuses.items() if s not in NOT_RUN}
    caught = sum(s in CAUGHT for s in run.values())
    survivors = sorted(k for k, s in run.items() if s not in CAUGHT)
    equivalent = [k for k in survivors if k in known]
    unexplained = [k for k in survivors if k not in known]
    denominator = len(run) - len(equivalent)
    return {"mutants": len(statuses), "run": len(run), "caught": caught,
            "equivalent": len(equivalent), "unexplained": unexplained,
            "score": 100.0 * caught / denominator if denominator else 100.0}


def run_module(module: str, workers: int) -> dict:
    work = _prepare(module)
    # Results are per source text: a fresh mutants/ keeps an edited module honest.
    shutil.rmtree(work / "mutants", ignore_errors=True)
    prefix = module.removesuffix(".py").replace("/", ".")
    globs = SCOPE.get(module, [f"{prefix}.*"])
    _mutmut(work, "run", "--max-children", str(workers), *globs)
    out = _mutmut(work, "results", "--all", "true", capture=True).stdout
    statuses = {m.group(1): m.group(2).strip() for line in out.splitlines()
                if (m := _RESULT.match(line))
                and any(fnmatch.fnmatchcase(m.group(1), g) for g in globs)}
    if not statuses:
        raise SystemExit(f"{module}: mutmut produced no results (see its output above)")
    if all(status in NOT_RUN for status in statuses.values()):
        # mutmut's first run of the tests failed, so no mutant was tried: not a score.
        raise SystemExit(f"{module}: no mutant was run (do its tests pass in the scratch copy "
                         f"{work.relative_to(ROOT)}? see mutmut's output above)")
    return score(statuses, equivalents())


def _row(module: str, s: dict, when: str, version: str, load: str) -> str:
    verdict = "met" if s["score"] >= TARGET else "**missed**"
    return (f"| `{module}` | {s['mutants']} | {s['caught']} | {s['equivalent']} | "
            f"{len(s['unexplained'])} | {s['score']:.1f} % ({verdict}) | {when} | mutmut {version} | {load} |")


HEADER = [
    "# Test strength: mutation scores",
    "",
    "Written by `invoke mutate [MODULE]` (benchmarks/mutation.py): mutmut changes each module one",
    "small step at a time and runs the module's own test files (the mapping is `TESTS` in",
    "benchmarks/mutation.py); a mutant is caught when a test fails or times out. Equivalent",
    "mutants, listed with why in docs/equivalent-mutants.toml, leave the denominator; survivors",
    f"are the rest. Target: {TARGET:.0f} % per module. Each row carries its own run's date, tool",
    "version and load average (1/5/15 min, at the start of that run).",
    "",
    "| module | mutants | caught | equivalent | survivors | score | date | tool | load |",
    "|---|---|---|---|---|---|---|---|---|",
]


def write_report(rows: dict[str, str]) -> None:
    old: dict[str, str] = {}
    if REPORT.exists():
        for line in REPORT.read_text(encoding="utf-8").splitlines():
            m = re.match(r"^\| `([^`]+)` \|", line)
            if m:
                old[m.group(1)] = line
    old.update(rows)
    body = [old[k] for k in sorted(old)]
    REPORT.write_text("\n".join(HEADER + body) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="invoke mutate", description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", help=f"default: all of {', '.join(TESTS)}")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args(argv)
    modules = args.modules or list(TESTS)
    unknown = [m for m in modules if m not in TESTS]
    if unknown:
        print(f"unknown module {unknown[0]!r} (add it and its test files to TESTS in "
              f"benchmarks/mutation.py)", file=sys.stderr)
        return 2
    version = metadata.version("mutmut")
    rows, failed = {}, False
    for module in modules:
        load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
        when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        s = run_module(module, args.workers)
        rows[module] = _row(module, s, when, version, load)
        print(f"{module}: {s['score']:.1f} % ({s['caught']} caught of {s['run']} run, "
              f"{s['equivalent']} equivalent)")
        for name in s["unexplained"]:
            print(f"  survivor not in {EQUIVALENTS.relative_to(ROOT)}: {name}")
        failed |= s["score"] < TARGET
        # Written after each module: a long run that stops part way keeps what it measured.
        write_report({module: rows[module]})
    print(f"wrote {REPORT.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
