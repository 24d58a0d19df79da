""""Did you mean ...?" for a broken link: the nearest existing path or fragment.

Suggestions are written the way the link was (relative, root-relative or
absolute), so the fix is a copy and paste. difflib does the matching; the
search is narrowed first (same spelling in another case, then the same
directory) because a whole-site search costs a few milliseconds per link.
"""

from __future__ import annotations

import difflib
import posixpath
from urllib.parse import quote, unquote, urlsplit

from .resolve import Site, nfc

# difflib costs about 10 µs per candidate compared. A run compares at most this many
# candidates in all (about a second); later broken links get no path suggestion. A
# count, not a clock, so the report is the same on every machine.
CANDIDATE_BUDGET = 100_000


def _split_written(url: str) -> tuple[str, str]:
    """(the path part of a URL as written, its ?query#fragment tail)."""
    cut = len(url)
    for ch in "?#":
        i = url.find(ch)
        if i != -1:
            cut = min(cut, i)
    return url[:cut], url[cut:]


class Suggester:
    def __init__(self, site: Site, prefix: str = "/", origin: str | None = None):
        self.site = site
        self.prefix = prefix
        self.origin = origin
        self._lower: dict[str, str] | None = None
        self._by_dir: dict[str, list[str]] | None = None
        self._all: list[str] | None = None
        self._cache: dict[str, list[str]] = {}
        self.budget = CANDIDATE_BUDGET

    # --- candidate paths -------------------------------------------------
    def _targets(self) -> list[str]:
        if self._all is None:
            targets = set(self.site.files)
            for f in self.site.files:
                if f == "index.html" or f.endswith("/index.html"):
                    targets.add(f[: -len("index.html")])
            targets.discard("")
            self._all = sorted(targets)
            self._by_dir = {}
            self._lower = {}
            for t in self._all:
                parent = posixpath.dirname(t.rstrip("/"))
                self._by_dir.setdefault(parent, []).append(t)
                # Case and Unicode normalisation (NFC/NFD) folded: near misses both.
                self._lower.setdefault(nfc(t).lower(), t)
        return self._all

    def _candidates(self, path: str) -> list[str]:
        """Up to three existing paths near ``path``, best first (cached per path)."""
        if path in self._cache:
            return self._cache[path]
        targets = self._targets()
        found: list[str] = []

        def close(candidates, cutoff):
            if len(candidates) > self.budget:
                return []
            self.budget -= len(candidates)
            return difflib.get_close_matches(path, candidates, n=3, cutoff=cutoff)

        folded = nfc(path).lower()
        alt = self._lower.get(folded) or self._lower.get(folded + "/")
        if alt and alt != path:
            found.append(alt)
        parent = posixpath.dirname(path.rstrip("/"))
        found += [m for m in close(self._by_dir.get(parent, []), 0.7) if m not in found]
        if not found:
            found += [m for m in close(targets, 0.8) if m not in found]
        self._cache[path] = found[:3]
        return self._cache[path]

    def nearest_path(self, path: str, page_path: str = "") -> str | None:
        """The existing site path (file, or ``dir/`` with an index) nearest to ``path``.

        The page the link is on is never suggested: a link to itself fixes nothing.
        """
        own = {page_path}
        if page_path == "index.html" or page_path.endswith("/index.html"):
            own.add(page_path[: -len("index.html")])
        for candidate in self._candidates(path):
            if candidate not in own:
                return candidate
        return None

    # --- writing the suggestion like the link ----------------------------
    def write_like(self, written: str, page_path: str, target: str) -> str:
        """``target`` (site path) as a URL written in the style of ``written``."""
        written_path, tail = _split_written(written)
        # A name that is not NFC would look the same as the broken link: spell out its bytes.
        encoded = "%" in written_path or nfc(target) != target
        as_url = quote(target, safe="/", errors="surrogateescape") if encoded else target
        parts = urlsplit(written_path)
        if parts.scheme or written_path.startswith("//"):
            base = (self.origin or "") + self.prefix
            new = base + as_url
        elif written_path.startswith("/"):
            new = self.prefix + as_url
        else:
            page_dir = posixpath.dirname(page_path)
            rel = posixpath.relpath("/" + target.rstrip("/"), "/" + page_dir) if page_dir else (
                target.rstrip("/") or ".")
            if target.endswith("/"):
                rel += "/"
            new = quote(rel, safe="/", errors="surrogateescape") if encoded else rel
        return new + tail

    def for_path(self, written: str, page_path: str, resolved: str) -> str | None:
        target = self.nearest_path(resolved, page_path)
        if target is None:
            return None
        return self.write_like(written, page_path, target)

    @staticmethod
    def nearest_fragment(fragment: str, ids) -> str | None:
        decoded = nfc(unquote(fragment, errors="replace"))
        if not ids:
            return None
        lowered = decoded.lower()
        candidates = sorted(ids)  # sets have no stable order; reports must
        for i in candidates:
            if i.lower() == lowered:
                return i
        match = difflib.get_close_matches(decoded, candidates[:2000], n=1, cutoff=0.6)
        return match[0] if match else None

    def for_fragment(self, written: str, fragment: str, ids) -> str | None:
        best = self.nearest_fragment(fragment, ids)
        if best is None:
            return None
        before = written.split("#", 1)[0]
        return f"{before}#{best}"
