"""The house rules, enforced: import contracts (import-linter), lint (ruff), no dead code
(vulture), no ``sys.path`` edits, benchmarks outside the runtime package, and test modules
that are not named like the plugins they test."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

BIN = Path(sys.executable).parent


def tool(name: str, *args: str, cwd: Path = ROOT, env=None) -> subprocess.CompletedProcess:
    program = BIN / name
    assert program.exists(), f"{name} is missing: it is pinned in requirements.txt (python3 dev.py test installs it)"
    return subprocess.run([str(program), *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env=env)


def tracked_python() -> list[Path]:
    names = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    return [ROOT / name for name in names]


def test_the_import_contracts_hold():
    done = tool("lint-imports", "--no-cache")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(("module", "planted", "contract"), [
    ("blogtools/plugins/frontmatter.py", "import blogtools.plugins.speed.prerender",
     "The speed wing feeds the plugins; no plugin imports the wing"),
    ("blogtools/linkcheck/resolve.py", "import pelican", "The link checker imports nothing of ours and not Pelican"),
    ("blogtools/publish/local.py", "import blogtools.commands.build",
     "Deploy targets never build: no Pelican, no plugins, no commands"),
    ("blogtools/plugins/seo.py", "import blogtools.commands.settings",
     "Plugins import Pelican, Markdown, Jinja and each other, never the tools around them"),
])
def test_a_broken_arrow_fails_the_contracts(tmp_path, module, planted, contract):
    for part in ("blogtools", "benchmarks"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    target = tmp_path / module
    target.write_text(target.read_text() + f"\n{planted}  # planted by the test\n")
    done = tool("lint-imports", "--no-cache", cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(tmp_path)))
    assert done.returncode == 1, done.stdout
    assert f"{contract} BROKEN" in " ".join(done.stdout.split())


def test_ruff_finds_nothing():
    done = tool("ruff", "check", "--no-cache", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_vulture_finds_no_dead_code():
    done = tool("vulture")
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_module_edits_sys_path():
    offenders = [str(path.relative_to(ROOT)) for path in tracked_python()
                 if path != Path(__file__) and "sys.path" in path.read_text(encoding="utf-8")]
    assert offenders == []


def test_benchmarks_live_outside_the_runtime_package():
    runtime = [path.relative_to(ROOT).as_posix() for path in (ROOT / "blogtools").rglob("*.py")]
    assert [name for name in runtime if "bench" in name] == []
    assert (ROOT / "benchmarks" / "__main__.py").exists()


def test_no_test_helper_is_named_like_a_plugin():
    plugins = {path.stem for path in (ROOT / "blogtools" / "plugins").rglob("*.py")} - {"__init__"}
    helpers = {path.stem for path in (ROOT / "tests").glob("*.py")}
    assert helpers & plugins == set()
