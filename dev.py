#!/usr/bin/env python3
"""Set everything up, then run one project command: ``python3 dev.py serve|test|TASK``.

Works on a fresh Debian machine with only ``python3`` and ``git``: creates
``.venv`` (fetching pip from PyPI when Debian's python3 lacks ensurepip),
installs the pinned requirements and this project (editable, so ``blogtools``
imports from anywhere) when they changed, installs the Debian
packages the tests drive (Chromium, rsync, Java, npm) when running as root and
the pinned npm packages (`npm ci`) when package-lock.json changed, then
hands over to ``invoke``:

    python3 dev.py serve      # live preview on http://127.0.0.1:8000
    python3 dev.py test       # the whole test suite
    python3 dev.py build      # any other invoke task, with its options
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
REQUIREMENTS = ROOT / "requirements.txt"
PROJECT = ROOT / "pyproject.toml"
STAMP = VENV / ".requirements.sha256"
# Debian packages the test suite drives: the browser tests' Chromium, the rsync target,
# Java for the Nu HTML checker and npm to install it (tests/test_standards.py).
TEST_PACKAGES = {"chromium": "/usr/bin/chromium", "rsync": "/usr/bin/rsync",
                 "default-jre-headless": "/usr/lib/jvm/default-java", "npm": "/usr/bin/npm"}
NODE_LOCK = ROOT / "package-lock.json"
NODE_STAMP = ROOT / "node_modules" / ".package-lock.sha256"
PIP_JSON = "https://pypi.org/pypi/pip/json"


def run(*args, **kwargs):
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, **kwargs)


def ensure_venv() -> None:
    if PYTHON.exists() and subprocess.run([PYTHON, "-m", "pip", "--version"],
                                          capture_output=True).returncode == 0:
        return
    try:
        venv.create(VENV, with_pip=True, clear=True)
    except (subprocess.CalledProcessError, OSError):
        # Debian ships ensurepip separately (python3-venv); bootstrap pip from PyPI.
        venv.create(VENV, with_pip=False, clear=True)
        release = json.load(urllib.request.urlopen(PIP_JSON, timeout=60))
        wheel = next(f for f in release["urls"] if f["filename"].endswith(".whl"))
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / wheel["filename"]
            target.write_bytes(urllib.request.urlopen(wheel["url"], timeout=120).read())
            digest = hashlib.sha256(target.read_bytes()).hexdigest()
            if digest != wheel["digests"]["sha256"]:
                sys.exit("pip download failed its checksum; try again")
            run(PYTHON, f"{target}/pip", "install", "--quiet", target)


def ensure_requirements() -> None:
    digest = hashlib.sha256(REQUIREMENTS.read_bytes() + PROJECT.read_bytes()
                            + str(ROOT).encode()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    pip = [PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run(*pip, "-r", REQUIREMENTS)
    run(*pip, "--no-deps", "--editable", ROOT)
    STAMP.write_text(digest)


def ensure_test_packages() -> None:
    missing = [name for name, path in TEST_PACKAGES.items() if not Path(path).exists()]
    if not missing:
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run("apt-get", "update", "-q", env=env)
        run("apt-get", "install", "-y", "-q", "--no-install-recommends", *missing, env=env)
    else:
        print(f"Missing for the tests: {' '.join(missing)}; install them with "
              f"'sudo apt-get install {' '.join(missing)}'.", file=sys.stderr)


def ensure_node_packages() -> None:
    """``npm ci`` when package-lock.json changed: the pinned vnu-jar (and Lighthouse).

    ``--ignore-scripts``: vnu-jar's install script would download a Java of its
    own; the tests run the jar with Debian's.
    """
    digest = hashlib.sha256(NODE_LOCK.read_bytes()).hexdigest()
    if NODE_STAMP.exists() and NODE_STAMP.read_text() == digest:
        return
    if not shutil.which("npm"):
        print("npm is missing for the tests: install it with 'sudo apt-get install npm'.",
              file=sys.stderr)
        return
    run("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", cwd=ROOT)
    NODE_STAMP.write_text(digest)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    ensure_venv()
    ensure_requirements()
    if argv[0] == "test":
        ensure_test_packages()
        ensure_node_packages()
    os.chdir(ROOT)
    return subprocess.call([VENV / "bin" / "invoke", *argv])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
