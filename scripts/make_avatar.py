"""Draw the site's cover image, ``content/images/avatar.png``, without dependencies.

The author's Hugo blog used ``/images/avatar.png`` as the write-up's cover; the
original file did not come across, so this draws a small terminal-prompt mark in
the site's colours (a ``>_`` in amber on the dark background). Written with
zlib and struct only, so it runs anywhere Python does and the output is
byte-for-byte reproducible.
"""

import struct
import sys
import zlib
from pathlib import Path

SIZE = 256
BACKGROUND = (0x1E, 0x1F, 0x23)
ACCENT = (0xF0, 0xA0, 0x30)
OUTPUT = Path(__file__).resolve().parent.parent / "content" / "images" / "avatar.png"


def inside_prompt(x: float, y: float) -> bool:
    """True where the '>_' mark covers the pixel (coordinates in 0..1)."""
    stroke = 0.055
    # '>' : two strokes meeting at (0.47, 0.5)
    for (x0, y0), (x1, y1) in (((0.22, 0.28), (0.47, 0.5)), ((0.47, 0.5), (0.22, 0.72))):
        dx, dy = x1 - x0, y1 - y0
        t = max(0.0, min(1.0, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy)))
        if (x - x0 - t * dx) ** 2 + (y - y0 - t * dy) ** 2 <= stroke ** 2:
            return True
    # '_' : a bar under the right half
    return 0.53 <= x <= 0.80 and 0.67 <= y <= 0.77


def pixels() -> bytes:
    rows = []
    for j in range(SIZE):
        row = bytearray([0])  # filter type 0
        for i in range(SIZE):
            row += bytes(ACCENT if inside_prompt((i + 0.5) / SIZE, (j + 0.5) / SIZE)
                         else BACKGROUND)
        rows.append(bytes(row))
    return b"".join(rows)


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png() -> bytes:
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(pixels(), 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(png())
    print(f"wrote {target} ({target.stat().st_size} bytes)")
