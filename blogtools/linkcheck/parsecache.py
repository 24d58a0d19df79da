"""What each built file defines and uses, kept between builds, keyed by its bytes.

Pelican writes every page again on every build, so modification times say
nothing; but after the author changes one post, nearly every page comes out
byte for byte as before. Parsing is nearly all of a check (2.2 of 2.3 s on
1,671 pages), so :func:`blogtools.linkcheck.check_site` with a
``parse_cache`` file parses only the files whose content hash is new and
reuses the rest; the comparison, which depends on the whole site, always runs
in full, except that each file's own findings (missing targets, fragments on
the same page) are reused too when neither its bytes nor the site's list of
files and the check's options changed. Entries are plain tuples, which pickle
several times faster than the named tuples :mod:`.collect` returns.

A missing, unreadable or outdated cache file is simply an empty cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass, field

FORMAT = 3

# rel_path -> (digest, ids, error, links as plain tuples)
Entry = tuple


@dataclass
class Saved:
    files: dict[str, Entry] = field(default_factory=dict)
    site_key: bytes = b""                  # site_key() of the run that found the results
    results: dict[str, tuple] = field(default_factory=dict)  # rel_path -> (digest, result)


def digest(data: bytes) -> bytes:
    # SHA-256 runs on the CPU's SHA extensions where present: twice blake2b's speed here.
    return hashlib.sha256(data).digest()


def site_key(files, dirs, *options) -> bytes:
    """What a file's own findings depend on besides its bytes: the site's files and the options."""
    h = hashlib.blake2b(digest_size=16)
    for name in sorted(files):
        h.update(name.encode("utf-8", "surrogatepass") + b"\0")
    h.update(b"\1")
    for name in sorted(dirs):
        h.update(name.encode("utf-8", "surrogatepass") + b"\0")
    h.update(repr(options).encode())
    return h.digest()


def load(path: str) -> Saved:
    try:
        with open(path, "rb") as fh:
            saved = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return Saved()
    if not isinstance(saved, dict) or saved.get("format") != FORMAT:
        return Saved()
    return Saved(saved["files"], saved["site_key"], saved["results"])


def save(path: str, saved: Saved) -> None:
    """Write atomically: a build interrupted mid-write leaves the old cache intact."""
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".linkcheck-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump({"format": FORMAT, "files": saved.files, "site_key": saved.site_key,
                         "results": saved.results}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
