"""Deploy to a local folder (the default target), atomically.

The new site is copied next to the destination, then swapped with it in one
``renameat2(RENAME_EXCHANGE)`` system call, so a web server reading the folder
sees either the whole old site or the whole new one, never a mix. Where that
call is missing (not Linux, or a file system without it) two renames are used
instead, as :func:`blogtools.commands.build.swap_into_place` does.

Setting: ``PUBLISH_LOCAL_PATH`` (relative paths are relative to the project).
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import time
from pathlib import Path

from blogtools.publish.tree import Changes, diff_trees

AT_FDCWD = -100
RENAME_EXCHANGE = 2


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic rename; False when the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a))


def replace_folder(new: Path, target: Path) -> None:
    """Put ``new`` at ``target``; the old content of ``target`` is removed afterwards."""
    new.chmod(0o755)
    if not target.exists():
        new.rename(target)
        return
    if exchange(new, target):
        shutil.rmtree(new)  # now the old site
        return
    old = target.with_name(f".{target.name}-old-{os.getpid()}-{time.monotonic_ns()}")
    target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def destination(settings: dict, dest: str | None, root: Path) -> Path:
    path = Path(dest or settings.get("PUBLISH_LOCAL_PATH") or "public")
    return (path if path.is_absolute() else root / path).resolve()


def deploy(site: Path, settings: dict, *, dest: str | None = None, dry_run: bool = False,
           root: Path, log=print, **_) -> Changes:
    target = destination(settings, dest, root)
    log(f"Target: local folder {target}")
    if target.exists() and not target.is_dir():
        raise RuntimeError(f"{target} exists and is not a folder")
    changes = diff_trees(site, target)
    if dry_run or (changes.empty and target.exists()):
        return changes
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}-publish-{os.getpid()}-{time.monotonic_ns()}")
    try:
        shutil.copytree(site, staging)
        replace_folder(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return changes
