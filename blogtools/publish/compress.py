"""Precompressed copies (``x.html.gz``, ``x.html.br``) for hosts that serve them.

nginx's ``gzip_static``/``brotli_static``, Caddy's ``precompressed`` and
similar serve ``file.gz`` / ``file.br`` next to ``file`` to clients that accept
them, saving the server from compressing on every request. A copy is written
only for compressible types, only above a minimum size and only when it is
smaller. Output is deterministic (no time stamp in the gzip header), so an
unchanged page yields an unchanged ``.gz`` and rsync does not send it again.

Setting: ``PUBLISH_PRECOMPRESS = {"rsync": ["gz", "br"], ...}`` per target.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

COMPRESSIBLE = (".html", ".htm", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt",
                ".webmanifest", ".map")
MIN_SIZE = 256
FORMATS = ("gz", "br")


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def brotli_bytes(data: bytes) -> bytes:
    import brotli

    return brotli.compress(data, quality=11)


def precompress(site: Path, formats=FORMATS, *, min_size: int = MIN_SIZE) -> list[Path]:
    """Write the compressed copies; returns the files written."""
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown precompression format(s): {', '.join(sorted(unknown))} "
                         f"(use {', '.join(FORMATS)})")
    encoders = {"gz": gzip_bytes, "br": brotli_bytes}
    written = []
    for directory, _, names in os.walk(site):
        for name in sorted(names):
            if not name.lower().endswith(COMPRESSIBLE):
                continue
            path = Path(directory) / name
            data = path.read_bytes()
            if len(data) < min_size:
                continue
            for fmt in formats:
                packed = encoders[fmt](data)
                if len(packed) < len(data):
                    copy = path.with_name(f"{name}.{fmt}")
                    copy.write_bytes(packed)
                    written.append(copy)
    return written
