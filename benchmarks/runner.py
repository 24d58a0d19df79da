"""Run one command in a subprocess; return its wall time and peak memory.

Peak memory is the child's own ``ru_maxrss``: ``os.wait4`` returns the same
resource usage ``resource.getrusage(RUSAGE_CHILDREN)`` would, but for that one
child rather than the running maximum over every child so far.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    seconds: float
    maxrss_mb: float
    returncode: int
    output: str


def env() -> dict:
    """The environment for children (``blogtools`` is installed, editable, in the venv)."""
    result = dict(os.environ)
    result.setdefault("PYTHONHASHSEED", "0")
    return result


def run(cmd: list[str], cwd: Path | None = None, timeout: float = 1800.0) -> Run:
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as log:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env(), stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.005)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        text = log.read()
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / (1024 * 1024)
    return Run(elapsed, usage.ru_maxrss * scale, proc.returncode, text)


def python() -> str:
    return sys.executable


def venv_bin(name: str) -> str:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name
