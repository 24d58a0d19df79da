"""Cover images: where a post's ``cover`` lives on the site and how big it is.

Front matter gives the cover as the Hugo blog did, a root-relative path such as
``/images/avatar.png``. This plugin sets ``cover_image`` on the content object:
``src`` (under ``SITEURL``, for the page), ``absolute`` (under ``PUBLIC_URL``,
for OpenGraph and JSON-LD), and ``width``/``height`` read from the image file
in the content folder, so the browser reserves the space before the image
arrives. A cover that names a file the site does not have is a build warning,
which fails the build.
"""

from __future__ import annotations

import logging
import os
import struct

from pelican import signals

from blogtools.plugins.site import public_base

logger = logging.getLogger(__name__)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
GIF_SIGNATURES = (b"GIF87a", b"GIF89a")
JPEG_SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def image_size(path: str) -> tuple[int, int] | None:
    """(width, height) of a PNG, GIF or JPEG file, or None if unknown."""
    with open(path, "rb") as handle:
        head = handle.read(32)
        if head.startswith(PNG_SIGNATURE) and head[12:16] == b"IHDR":
            return struct.unpack(">II", head[16:24])
        if head[:6] in GIF_SIGNATURES:
            return struct.unpack("<HH", head[6:10])
        if head[:2] == b"\xff\xd8":
            handle.seek(2)
            while True:
                marker = handle.read(2)
                if len(marker) < 2 or marker[0] != 0xFF:
                    return None
                length = struct.unpack(">H", handle.read(2))[0]
                if marker[1] in JPEG_SOF_MARKERS:
                    height, width = struct.unpack(">xHH", handle.read(5))
                    return width, height
                handle.seek(length - 2, os.SEEK_CUR)
    return None


def join_url(base: str, path: str) -> str:
    return base.rstrip("/") + "/" + path.lstrip("/")


class Covers:
    def content_object_init(self, content):
        cover = (content.metadata.get("cover") or "").strip()
        if not cover:
            content.cover_image = None
            return
        settings = content.settings
        if cover.startswith(("http://", "https://")):
            content.cover_image = {"src": cover, "absolute": cover, "width": None, "height": None}
            return
        file = os.path.join(settings["PATH"], cover.lstrip("/"))
        size = None
        if os.path.isfile(file):
            size = image_size(file)
        else:
            logger.warning("%s: cover '%s' is not a file in %s", content.relative_source_path,
                           cover, settings["PATH"])
        public = public_base(settings)
        content.cover_image = {
            "src": join_url(settings.get("SITEURL", ""), cover),
            "absolute": join_url(public, cover),
            "width": size[0] if size else None,
            "height": size[1] if size else None,
        }


COVERS = Covers()


def register():
    signals.content_object_init.connect(COVERS.content_object_init)
