"""Hugo's addresses as pure functions: a content file's URL, a term's URL, an alias's target.

Used by :mod:`blogtools.plugins.hugo_content` for imported Hugo sites only.
Each function follows the Hugo code it names (Hugo 0.168), so that every
address Hugo published is the address Pelican writes; ``tests/test_import_hugo.py``
checks them against Hugo's own output.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import unicodedata
from dataclasses import dataclass

TOKEN = re.compile(r":(\w+)")
# Hugo's zero time, the date of a page that gives none (its :year is "1").
ZERO_DATE = dt.datetime(1, 1, 1, tzinfo=dt.UTC)
# Hugo's default titleCaseStyle ("ap"): these stay lower case inside a title.
AP_MINOR = frozenset(["a", "an", "and", "as", "at", "but", "by", "for", "in", "nor", "of",
                      "on", "or", "the", "to", "up", "yet", "via", "vs"])


def urlize(text: str) -> str:
    """Hugo's ``urlize`` / path sanitising (helpers/path.go ``UnicodeSanitize``), lower-cased.

    Letters, digits, marks and ``. / _ # + ~ - @`` stay; a run of spaces becomes one
    hyphen; every other character is dropped.
    """
    out: list[str] = []
    was_hyphen = False
    for index, char in enumerate(text.strip()):
        allowed = char in "./\\_#+~-@" or unicodedata.category(char)[0] in "LNM"
        if char == "%" and re.match(r"[0-9A-Fa-f]{2}", text.strip()[index + 1:index + 3]):
            allowed = True
        if allowed:
            was_hyphen = char == "-"
            out.append(char)
        elif not was_hyphen and char.isspace():
            out.append("-")
            was_hyphen = True
    return "".join(out).lower()


def title_case(text: str) -> str:
    """Hugo's default list and term titles (AP style): major words capitalised."""
    words = text.split(" ")
    result = []
    for index, word in enumerate(words):
        minor = word.lower() in AP_MINOR and 0 < index < len(words) - 1
        result.append(word if minor or not word else word[0].upper() + word[1:])
    return " ".join(result)


@dataclass(frozen=True)
class Source:
    """Where a content file sits: ``posts/a.md`` → dirs ``("posts",)``, name ``a``."""

    dirs: tuple[str, ...]
    name: str
    bundle: bool  # a leaf bundle's index.md: ``name`` is its folder's

    @classmethod
    def of(cls, relative: str) -> Source:
        parts = relative.replace("\\", "/").split("/")
        stem = posixpath.splitext(parts[-1])[0]
        if stem == "index" and len(parts) > 1:
            return cls(tuple(parts[:-2]), parts[-2], True)
        return cls(tuple(parts[:-1]), stem, False)

    @property
    def section(self) -> str:
        return self.dirs[0] if self.dirs else ""


def expand_permalink(pattern: str, source: Source, front: dict, date) -> str:
    """A ``[permalinks]`` pattern with Hugo's tokens filled in (resources/page/permalinks.go)."""
    title = str(front.get("title") or "")
    slug = str(front.get("slug") or "")
    values = {
        "year": lambda: str(date.year), "month": lambda: f"{date.month:02d}",
        "monthname": lambda: date.strftime("%B").lower(), "day": lambda: f"{date.day:02d}",
        "weekday": lambda: str(date.isoweekday() % 7), "weekdayname": lambda: date.strftime("%A").lower(),
        "yearday": lambda: str(date.timetuple().tm_yday),
        "section": lambda: source.section, "sections": lambda: "/".join(source.dirs),
        "title": lambda: urlize(title), "slug": lambda: urlize(slug or title),
        "filename": lambda: urlize(source.name), "contentbasename": lambda: urlize(source.name),
        "slugorfilename": lambda: urlize(slug) if slug else urlize(source.name),
        "slugorcontentbasename": lambda: urlize(slug) if slug else urlize(source.name),
    }

    def fill(match):
        token = match.group(1)
        if token not in values:
            raise ValueError(f"unknown permalink token ':{token}'")
        return values[token]()

    return TOKEN.sub(fill, pattern)


def page_path(source: Source, front: dict, date, permalinks: dict, ugly: bool) -> str:
    """The URL path Hugo publishes a regular page at, e.g. ``/posts/a/`` (or ``/posts/a.html``)."""
    url = front.get("url")
    if url:
        path = str(url)
        if not path.startswith("/"):
            path = "/" + path
        return path if "." in posixpath.basename(path) else with_slash(path, ugly)
    pattern = permalinks.get(source.section) if source.dirs else permalinks.get("/")
    if pattern:
        path = expand_permalink(pattern, source, front, date)
    else:
        last = str(front.get("slug") or "") or source.name
        path = "/" + "/".join(source.dirs + (last,))
    path = re.sub(r"/+", "/", "/" + urlize(path).strip("/"))
    return with_slash(path, ugly)


def with_slash(path: str, ugly: bool) -> str:
    """``/a/b`` as Hugo writes it: ``/a/b/`` (index.html), or ``/a/b.html`` with uglyURLs."""
    path = path.rstrip("/")
    if not path:
        return "/"
    return path + ".html" if ugly else path + "/"


def save_as(path: str) -> str:
    """The output file of URL path ``path``: ``/a/`` → ``a/index.html``."""
    relative = path.lstrip("/")
    return relative + "index.html" if not relative or relative.endswith("/") else relative


def section_path(dirs: tuple[str, ...]) -> str:
    """A section's URL path (sections keep ``/a/`` even with uglyURLs, as Hugo does)."""
    return "/" + "/".join(urlize(d) for d in dirs) + "/" if dirs else "/"


def resolve_alias(alias: str, path: str) -> str:
    """An ``aliases`` entry as an absolute path: a relative one sits beside the page
    (Hugo's site_render.go: joined to the page's address, then ``..``)."""
    alias = alias.strip()
    if alias.startswith("/"):
        return alias
    base = posixpath.dirname(path.rstrip("/")) or "/"
    resolved = posixpath.normpath(posixpath.join(base, alias))
    return resolved + "/" if alias.endswith("/") else resolved


def split_language(relative: str, languages) -> tuple[str, str | None]:
    """``posts/a.fr.md`` → ``("posts/a.md", "fr")`` when ``fr`` is one of ``languages``;
    a file with no language in its name → ``(relative, None)`` (the default language's)."""
    folder, _, name = relative.rpartition("/")
    parts = name.split(".")
    if len(parts) >= 3 and parts[-2] in languages:
        name = ".".join(parts[:-2] + parts[-1:])
        return (f"{folder}/{name}" if folder else name), parts[-2]
    return relative, None


def in_language(path: str, language: str, default: str) -> str:
    """A URL path in ``language``: the default language's at the root, another's under ``/LANG``."""
    return path if not language or language == default else f"/{language}{path}"
