"""Map a built page back to the Markdown it came from, and a link to its line there.

``--sources FILE`` is a JSON object written by the build::

    {"posts/x/index.html": "content/posts/x.md", ...}

keys are output paths relative to SITE_DIR, values content source paths
relative to the current working directory (or absolute; reported relative to
the working directory when inside it). For a broken link on
a mapped page, :meth:`SourceMap.locate` searches the source for the link as
written (the raw ``href``), else its path part, else its fragment
(``#Name``), and returns the line of the first match; a link that is not in
the source (it came from the theme's templates) gets no line.
"""

from __future__ import annotations

import html
import json
import os
from urllib.parse import unquote, urlsplit


class SourcesError(ValueError):
    """The --sources file cannot be read or is not a JSON object of strings."""


def _norm_key(key: str) -> str:
    key = key.replace("\\", "/")
    while key.startswith("./"):
        key = key[2:]
    key = key.lstrip("/")
    if key == "" or key.endswith("/"):
        key += "index.html"
    return key


def load_sources(path: str) -> dict[str, str]:
    """Read a --sources JSON file into {site-relative output path: source path}."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise SourcesError(f"cannot read --sources file {path}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise SourcesError(f"--sources file {path} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise SourcesError(
            f"--sources file {path} must be a JSON object mapping output paths to source paths")
    return {_norm_key(k): v for k, v in data.items()}


def link_needles(url: str) -> list[str]:
    """What to search the source for, best first: raw link, its path, its #fragment."""
    needles: list[str] = []

    def add(value: str) -> None:
        # A derived needle of one character ("/", "#") would match almost any line.
        if value and (len(value) > 1 or value == url) and value not in needles:
            needles.append(value)

    add(url)
    add(unquote(url))
    add(html.escape(url, quote=False))
    without_fragment, _, fragment = url.partition("#")
    path = without_fragment.split("?", 1)[0]
    add(path)
    add(unquote(path))
    if "://" in path:  # an absolute URL of the site: Markdown may have its path only
        try:
            site_path = urlsplit(path).path
        except ValueError:
            site_path = ""
        add(site_path)
        add(unquote(site_path))
    if fragment:
        add("#" + fragment)
        add("#" + unquote(fragment))
    return needles


class SourceMap:
    """Built page → content source, and the line of a link in that source."""

    def __init__(self, mapping: dict[str, str] | None = None):
        self.mapping = mapping or {}
        self._lines: dict[str, list[str] | None] = {}

    def source_of(self, built_path: str) -> str | None:
        return self.mapping.get(_norm_key(built_path))

    @staticmethod
    def display(source: str) -> str:
        """``source`` relative to the working directory when it is inside it."""
        if os.path.isabs(source):
            try:
                rel = os.path.relpath(source)
            except ValueError:  # another drive
                return source
            if not rel.startswith(".."):
                return rel.replace(os.sep, "/")
        return source

    def _read(self, source: str) -> list[str] | None:
        if source not in self._lines:
            try:
                with open(source, encoding="utf-8", errors="replace") as fh:
                    self._lines[source] = fh.read().splitlines()
            except OSError:
                self._lines[source] = None
        return self._lines[source]

    def locate(self, built_path: str, url: str) -> tuple[str | None, int | None]:
        """(content source, 1-based line of ``url`` in it) for a link on ``built_path``."""
        source = self.source_of(built_path)
        if source is None:
            return None, None
        lines = self._read(source)
        shown = self.display(source)
        if not lines:
            return shown, None
        for needle in link_needles(url):
            for number, line in enumerate(lines, 1):
                if needle in line:
                    return shown, number
        return shown, None
