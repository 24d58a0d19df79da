"""Resolve a URL used on a page to a file and fragment of the built site.

Resolution follows what a browser does with the URL and what a static host
then serves:

* the URL is joined to the page's own URL (or its ``<base href>`` / xml:base)
  the way a browser does, so relative and ``../`` paths, root-relative paths
  and absolute URLs of the site itself (``--base-url``) all land on one path;
* ``?query`` is ignored (a static host serves the same file);
* the path is percent-decoded and looked up byte for byte in the set of files
  of the site, as a Linux web server opens it: case-sensitively and without
  Unicode normalisation, so ``caf%C3%A9`` (NFC) and ``cafe%CC%81`` (NFD) are
  different files, and bytes that are not UTF-8 match the same bytes in a file
  name (both sides are decoded with ``surrogateescape``, as :mod:`os` does);
* a path ending in ``/`` - or naming a directory without the slash, which a
  static host redirects - is served by that directory's ``index.html``;
* with a ``--base-url`` that has a path (``https://example.org/blog``),
  ``/blog/x`` maps to ``SITE_DIR/x`` and a root-relative link that leaves the
  sub-path (``/other/x``) is broken, since the site will never serve it;
* fragments are matched exactly (case-sensitive) to the ids and ``<a name>``s
  of the target page, comparing both the fragment as written and its
  percent-decoded form, NFC-normalised; ``#`` and ``#top`` are always valid.

Nothing here reads files: :class:`Site` holds the set of paths of the folder.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import quote, unquote, urljoin, urlsplit

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")

# Resolution kinds.
INTERNAL = "internal"     # a path inside the site folder (it may not exist)
EXTERNAL = "external"     # an http(s) URL elsewhere
SKIP = "skip"             # mailto:, tel:, data:, javascript:, other schemes
ESCAPE = "escape"         # root-relative or relative link leaving --base-url's path
INVALID = "invalid"       # not a URL a browser can parse (``http://[``)


class Resolved(NamedTuple):
    kind: str
    path: str | None       # site-relative, decoded (INTERNAL); absolute URL (EXTERNAL/ESCAPE)
    fragment: str | None   # fragment as written (without '#'), None when there is none


def nfc(value: str) -> str:
    """For fragments only: file names are never normalised (see the module docstring)."""
    return unicodedata.normalize("NFC", value)


def url_path_to_file(path: str) -> str:
    """A percent-encoded URL path as the file name a Linux server opens: its bytes
    (UTF-8, or any other), in the form :func:`os.walk` gives names."""
    return unquote(path, errors="surrogateescape") if "%" in path else path


def normalise_base_url(base_url: str | None) -> tuple[str, str, str]:
    """(scheme, netloc, path prefix ending in '/') of the site's own URL."""
    if not base_url:  # a virtual origin no link of the site can name
        return "http", "site.invalid", "/"
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"--base-url must be an http(s) URL with a host, not {base_url!r}")
    prefix = parts.path or "/"
    if not prefix.endswith("/"):
        prefix += "/"
    return parts.scheme.lower(), parts.netloc.lower(), prefix


def _default_port(scheme: str, netloc: str) -> str:
    if netloc.endswith(":80") and scheme == "http":
        return netloc[:-3]
    if netloc.endswith(":443") and scheme == "https":
        return netloc[:-4]
    return netloc


class Resolver:
    """Turns (page, URL as written) into a :class:`Resolved`; no file access."""

    def __init__(self, base_url: str | None = None):
        self.scheme, self.netloc, self.prefix = normalise_base_url(base_url)
        self.netloc = _default_port(self.scheme, self.netloc)
        self.origin = f"{self.scheme}://{self.netloc}"  # without --base-url: http://site.invalid
        self.has_base_url = bool(base_url)
        self._join = lru_cache(maxsize=1 << 16)(self._join_uncached)
        self._absolute = lru_cache(maxsize=1 << 16)(self._absolute_uncached)
        self._relative = lru_cache(maxsize=1 << 17)(self._relative_uncached)
        self._page_dir = lru_cache(maxsize=1 << 12)(self._page_dir_uncached)

    def page_url(self, page_path: str) -> str:
        """The URL a page of the site is served at (its file path, percent-encoded)."""
        return self.origin + self.prefix + quote(page_path, safe="/", errors="surrogateescape")

    def _join_uncached(self, base_dir: str, url: str) -> Resolved:
        try:
            joined = urljoin(base_dir, url)
            parts = urlsplit(joined)
            if parts.port is not None and not 0 < parts.port < 65536:
                raise ValueError("port out of range")
        except ValueError as exc:
            return Resolved(INVALID, str(exc), None)
        fragment = parts.fragment if "#" in url else None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            return Resolved(SKIP, joined, fragment)
        netloc = _default_port(scheme, parts.netloc.lower())
        if netloc != self.netloc:
            return Resolved(EXTERNAL, joined, fragment)
        path = parts.path or "/"
        if path.startswith(self.prefix) or path + "/" == self.prefix:
            rel = path[len(self.prefix):]
            return Resolved(INTERNAL, url_path_to_file(rel), fragment)
        written_absolute = bool(_SCHEME.match(url)) or url.startswith("//")
        if written_absolute and self.has_base_url:
            # Same host, another path: another application, checked as external.
            return Resolved(EXTERNAL, joined, fragment)
        return Resolved(ESCAPE, joined, fragment)

    def resolve(self, page_path: str, url: str, base: str | None = None) -> Resolved:
        """Resolve ``url`` as written on the page ``page_path`` (site-relative)."""
        if "\t" in url or "\n" in url or "\r" in url:
            url = url.replace("\t", "").replace("\n", "").replace("\r", "")
        if (not url or url[0] in "#?") and not base:
            # The page itself (a query is ignored by a static host).
            return Resolved(INTERNAL, page_path, url.partition("#")[2] if "#" in url else None)
        m = _SCHEME.match(url)
        if m and m.group(1).lower() not in ("http", "https"):
            return Resolved(SKIP, url, None)
        if "\\" in url:
            url = _backslashes_to_slashes(url)
        if m and (not base or _SCHEME.match(base)):
            return self._absolute(url)  # independent of the page: cached by URL alone
        if not base and not url.startswith("//"):  # (same-page links returned above)
            return self._relative(self._page_dir(page_path), url)
        page = self.page_url(page_path)
        if base:
            try:
                page = urljoin(page, base)
                if urlsplit(page).scheme.lower() not in ("http", "https"):
                    page = self.page_url(page_path)
            except ValueError:
                page = self.page_url(page_path)
        if url and url[0] in "#?" or url == "":
            return self._join_uncached(page, url)
        base_dir = page[: page.rfind("/") + 1]
        return self._join(base_dir, url)

    def _page_dir_uncached(self, page_path: str) -> str:
        """The URL path of the directory of a page: ``/prefix/quoted/dir/``."""
        cut = page_path.rfind("/")
        return self.prefix + (quote(page_path[: cut + 1], safe="/", errors="surrogateescape")
                              if cut != -1 else "")

    def _absolute_uncached(self, url: str) -> Resolved:
        return self._join_uncached(self.origin + self.prefix, url)

    def _relative_uncached(self, page_dir: str, url: str) -> Resolved:
        """Fast join of a path-only URL (``a/b``, ``../c``, ``/d?q#f``) to a page directory."""
        fragment = None
        if "#" in url:
            url, _, fragment = url.partition("#")
        if "?" in url:
            url = url.partition("?")[0]
        path = url if url.startswith("/") else page_dir + url
        if "/." in path:
            path = remove_dot_segments(path)
        if path.startswith(self.prefix) or path + "/" == self.prefix:
            return Resolved(INTERNAL, url_path_to_file(path[len(self.prefix):]), fragment)
        joined = self.origin + path + (("#" + fragment) if fragment is not None else "")
        return Resolved(ESCAPE, joined, fragment)


def _backslashes_to_slashes(url: str) -> str:
    """Browsers read '\\' as '/' in an http(s) URL's host and path (``https:\\\\host\\a``,
    ``..\\b``), but keep it in the ``#fragment`` (and the query, which a static host ignores)."""
    before, hash_, fragment = url.partition("#")
    return before.replace("\\", "/") + hash_ + fragment


def remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4 on an absolute path: ``/a/b/../c/./d`` → ``/a/c/d``."""
    segments = path.split("/")
    out: list[str] = []
    for seg in segments[1:]:
        if seg == "..":
            if out:
                out.pop()
        elif seg != ".":
            out.append(seg)
    if segments[-1] in (".", ".."):
        out.append("")
    return "/" + "/".join(out)


class Site:
    """The files and directories of a built site folder, by site-relative POSIX path."""

    def __init__(self, root: str, files: set[str], dirs: set[str]):
        self.root = root
        self.files = files
        self.dirs = dirs

    @classmethod
    def scan(cls, root: str) -> Site:
        files: set[str] = set()
        dirs: set[str] = {""}
        root = os.path.abspath(root)
        for dirpath, dirnames, filenames in os.walk(root):
            rel = os.path.relpath(dirpath, root)
            rel = "" if rel == "." else rel.replace(os.sep, "/") + "/"
            dirs.update(rel + d for d in dirnames)
            files.update(rel + f for f in filenames)
        return cls(root, files, dirs)

    def lookup(self, path: str) -> tuple[str | None, str]:
        """(file that a static host serves for ``path``, or None and why not)."""
        if path == "" or path.endswith("/"):
            index = path + "index.html"
            if index in self.files:
                return index, ""
            if path.rstrip("/") in self.dirs or path == "":
                return None, f"directory has no index.html: {path or '/'}"
            if path.rstrip("/") in self.files:
                return None, f"not found: {path} (a file, linked as a directory)"
            return None, f"file not found: {path}"
        if path in self.files:
            return path, ""
        if path in self.dirs:
            index = path + "/index.html"
            if index in self.files:
                return index, ""
            return None, f"directory has no index.html: {path}/"
        return None, f"file not found: {path}"


def fragment_ok(fragment: str | None, ids: frozenset[str] | set[str]) -> bool:
    """Whether a page with ``ids`` has the target of ``#fragment``."""
    if not fragment:
        return True
    if fragment in ids or nfc(fragment) in ids:
        return True
    decoded = nfc(unquote(fragment, errors="replace"))
    if decoded in ids or decoded.lower() == "top":
        return True
    if ":~:" in decoded:  # text fragment (#:~:text=...) or #id:~:text=...: the element part must match
        return decoded.partition(":~:")[0] in ids or decoded.startswith(":~:")
    return False


def is_html_path(path: str) -> bool:
    return path.lower().endswith((".html", ".htm", ".xhtml"))
