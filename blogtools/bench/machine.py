"""The machine a benchmark ran on: cores, CPU, memory, load, Python and tool versions."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import subprocess
from importlib import metadata
from pathlib import Path

from blogtools.bench.runner import venv_bin

PACKAGES = ("pelican", "markdown", "pygments", "latex2mathml", "beautifulsoup4", "lxml")


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    match = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
    return match.group(1).strip() if match else "unknown"


def _memory_gb() -> float | None:
    try:
        text = Path("/proc/meminfo").read_text()
    except OSError:
        return None
    match = re.search(r"^MemTotal:\s*(\d+) kB", text, re.M)
    return round(int(match.group(1)) / 1024 / 1024, 1) if match else None


def _tool_version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"
    for line in (out.stdout + "\n" + out.stderr).splitlines():
        if re.search(r"\d+\.\d+", line) and "WARNING" not in line:
            return line.strip()
    return "unknown"


def describe() -> dict:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    versions["lychee"] = _tool_version([venv_bin("lychee"), "--version"])
    versions["LinkChecker"] = _tool_version([venv_bin("linkchecker"), "--version"])
    versions["html-proofer"] = _tool_version(["htmlproofer", "--version"])
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_gb": _memory_gb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "load": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }
