"""Put a new folder where an old one was, atomically, and undo a swap cut short.

:func:`replace_folder` swaps the two in one ``renameat2(RENAME_EXCHANGE)``
system call, so whoever reads the folder (a web server, the live preview) sees
either the whole old folder or the whole new one, never a mix and never
nothing. Where that call is missing (not Linux, or a file system without it),
two renames are used instead; a process killed between them leaves no folder
at all, only the old one beside it as ``.<name>-old-<pid>-<ns>``, which
:func:`restore` puts back.

Used by the build (``output/``) and by the local deploy target; it imports
nothing of ours, so both may.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import time
from pathlib import Path

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


def old_copies(target: Path) -> list[Path]:
    """Old folders that two-rename swaps of ``target`` left beside it, newest first."""
    copies = [path for path in target.parent.glob(f".{target.name}-old-*") if path.is_dir()]
    return sorted(copies, key=lambda path: path.lstat().st_ctime_ns, reverse=True)


def replace_folder(new: Path, target: Path) -> None:
    """Put ``new`` at ``target``; the old content of ``target`` is removed afterwards."""
    new.chmod(0o755)
    if not target.exists():
        new.rename(target)
        return
    if exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # now the old folder
        return
    old = target.with_name(f".{target.name}-old-{os.getpid()}-{time.monotonic_ns()}")
    target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def restore(target: Path) -> Path | None:
    """Undo a two-rename swap cut short: put the newest old copy back at ``target``.

    Returns the copy restored, or None when ``target`` is there (nothing to undo)
    or there is no old copy. The caller must be the only one swapping ``target``.
    """
    if target.exists() or target.is_symlink():
        return None
    for copy in old_copies(target):
        copy.rename(target)
        return copy
    return None


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs: a leftover folder named after it may still be in use."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True
