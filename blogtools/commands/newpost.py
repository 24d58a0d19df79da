"""Start a post and publish it: ``invoke new-post "Title"`` and ``invoke publish-post SLUG``.

``new-post`` writes ``content/posts/<slug>.md`` with TOML front matter in the
author's own style (the Hugo keys of the existing posts), dated now in the
site's time zone and marked ``draft = true``, so it shows only in the local
preview at ``drafts/<slug>/``. It never overwrites a file and never reuses a
slug another post or page already has (from its ``slug`` key or its file name).

``publish-post`` flips that one line to ``draft = false`` and changes nothing
else in the file, byte for byte. Editing the line by hand does the same.

Also ``python -m blogtools.commands.newpost new "Title" [--tags a,b] [--category c]``
and ``python -m blogtools.commands.newpost publish SLUG``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from blogtools.commands.settings import load_settings, preview_url

EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")
COVER = "/images/avatar.png"
BODY = "Write the post here. It stays a draft, seen only in the local preview, until it is published.\n"

DRAFT_LINE = {
    "toml": re.compile(r"^(?P<lead>[ \t]*draft[ \t]*=[ \t]*)(?P<value>true|false)(?P<tail>[ \t]*(#.*)?)$",
                       re.M),
    "yaml": re.compile(r"^(?P<lead>[ \t]*draft[ \t]*:[ \t]*)(?P<value>true|false|yes|no)"
                       r"(?P<tail>[ \t]*(#.*)?)$", re.M | re.I),
    None: re.compile(r"^(?P<lead>status[ \t]*:[ \t]*)(?P<value>draft|published)(?P<tail>[ \t]*)$",
                     re.M | re.I),
}


class PostError(Exception):
    """A refusal with a message for the author; nothing was written."""


@dataclass
class NewPost:
    path: Path
    slug: str
    preview_url: str


def slugify(title: str) -> str:
    from pelican.settings import DEFAULT_CONFIG
    from pelican.utils import slugify as pelican_slugify

    return pelican_slugify(title, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


def toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c >= " " or c == "\t" else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'


def toml_list(values: list[str]) -> str:
    return "[" + ", ".join(toml_string(v) for v in values) + "]"


def split_list(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [v.strip() for v in value if v and v.strip()]


# -- reading what is there ----------------------------------------------------


def content_files(content: Path):
    for path in sorted(content.rglob("*")):
        if path.suffix.lower() in EXTENSIONS and path.is_file():
            yield path


def front_matter(path: Path) -> tuple[str | None, dict, str]:
    """``(format, data, text)`` for a content file; data is {} when it cannot be parsed."""
    from blogtools.errors import ContentError
    from blogtools.plugins.frontmatter import parse_front_matter, split_front_matter

    text = path.read_bytes().decode("utf-8", errors="replace").removeprefix("\ufeff")
    try:
        fmt, front, _, _ = split_front_matter(text.replace("\r\n", "\n"))
        if fmt is None:
            data = {}
            for line in text.splitlines():
                if not line.strip():
                    break
                key, sep, value = line.partition(":")
                if sep:
                    data[key.strip().lower()] = value.strip()
            return None, data, text
        data = parse_front_matter(fmt, front)
        return fmt, {str(k).lower(): v for k, v in data.items()}, text
    except ContentError:
        return None, {}, text


def slugs_in_use(content: Path) -> dict[str, Path]:
    """Every slug a post or page claims: its ``slug`` key, else its file name."""
    used: dict[str, Path] = {}
    for path in content_files(content):
        _, data, _ = front_matter(path)
        slug = data.get("slug")
        used.setdefault(path.stem, path)
        if isinstance(slug, str) and slug.strip():
            used.setdefault(slug.strip(), path)
    return used


def find_post(content: Path, slug: str) -> Path:
    matches = []
    for path in content_files(content):
        _, data, _ = front_matter(path)
        own = data.get("slug") if isinstance(data.get("slug"), str) else None
        if (own or path.stem) == slug or (own and path.stem == slug):
            matches.append(path)
    if not matches:
        raise PostError(f"no post has the slug '{slug}' (looked in {display(content)})")
    if len(matches) > 1:
        raise PostError(f"several files claim the slug '{slug}': "
                        + ", ".join(display(p) for p in matches))
    return matches[0]


def display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# -- new post -------------------------------------------------------------------


def render(title: str, date: dt.datetime, *, author: str, tags=(), category=None,
           cover: str | None = COVER) -> str:
    lines = ["+++",
             f"title = {toml_string(title)}",
             f"date = {date.isoformat()}",
             f"author = {toml_string(author)}"]
    if tags:
        lines.append(f"tags = {toml_list(list(tags))}")
    if category:
        lines.append(f"categories = {toml_list([category])}")
    lines.append("keywords = []")
    if cover:
        lines.append(f"cover = {toml_string(cover)}")
    lines += ['# summary = "One or two sentences for listings, feeds and search results."',
              "draft = true",
              "+++",
              "",
              BODY]
    return "\n".join(lines)


def new_post(title: str, *, tags=None, category: str | None = None, slug: str | None = None,
             settings: dict | None = None, content: Path | None = None,
             now: dt.datetime | None = None) -> NewPost:
    """Write the draft; where, by whom, in which time zone and at which preview address
    come from ``settings`` (default: ``pelicanconf.py``); ``content`` overrides ``PATH``."""
    settings = settings or load_settings()
    content = Path(content or settings["PATH"])
    title = " ".join((title or "").split())
    if not title:
        raise PostError("the post needs a title: invoke new-post \"My title\"")
    slug = (slug or slugify(title)).strip()
    if not slug or not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", slug):
        raise PostError(f"cannot make a slug from {title!r}: give one with --slug my-post")
    path = content / settings["ARTICLE_PATHS"][0] / f"{slug}.md"
    if path.exists():
        raise PostError(f"{display(path)} already exists; it was left as it is "
                        "(choose another title or --slug)")
    used = slugs_in_use(content)
    if slug in used:
        raise PostError(f"the slug '{slug}' is already used by {display(used[slug])}; "
                        "choose another title or --slug")
    zone = ZoneInfo(settings["TIMEZONE"])
    date = (now or dt.datetime.now(zone)).astimezone(zone).replace(microsecond=0)
    cover = COVER if (content / COVER.lstrip("/")).exists() else None
    text = render(title, date, author=settings["AUTHOR"], tags=split_list(tags),
                  category=(category or "").strip() or None, cover=cover)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as handle:  # "x": never overwrite
        handle.write(text)
    return NewPost(path, slug, f"{preview_url(settings)}/{settings['DRAFT_URL'].format(slug=slug)}")


# -- publish a draft ---------------------------------------------------------------


def publish_post(slug: str, *, content: Path | None = None) -> tuple[Path, str]:
    """Set ``draft = false`` in the post's front matter; return (path, note).

    Only the draft line changes; every other byte of the file stays as it was.
    ``content``: the content folder (default: ``PATH`` from ``pelicanconf.py``).
    """
    path = find_post(Path(content or load_settings()["PATH"]), slug)
    fmt, data, _ = front_matter(path)
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text[len(bom):]
    end = front_matter_end(text, fmt)
    pattern = DRAFT_LINE[fmt]
    match = pattern.search(text, 0, end)
    if fmt is None:
        is_draft = bool(match) and match["value"].lower() == "draft"
        replacement = "published"
    else:
        is_draft = bool(match) and match["value"].lower() in ("true", "yes")
        replacement = "false"
    if not is_draft:
        return path, f"{display(path)} is not a draft; nothing was changed"
    new = text[:match.start("value")] + replacement + text[match.end("value"):]
    path.write_bytes((bom + new).encode("utf-8"))
    note = f"{display(path)}: {match['lead'].strip()} {replacement}"
    date = data.get("date")
    if isinstance(date, dt.datetime) and date.tzinfo and date > dt.datetime.now(dt.UTC):
        note += f" (dated {date.isoformat()}: it is published from then on)"
    return path, note


def front_matter_end(text: str, fmt: str | None) -> int:
    """Offset where the front matter ends, so only it is searched."""
    if fmt is None:
        blank = re.search(r"\r?\n[ \t]*\r?\n", text)
        return blank.start() if blank else len(text)
    fence = "+++" if fmt == "toml" else "---"
    first = text.find("\n") + 1
    close = re.compile(rf"^{re.escape(fence)}[ \t]*\r?$", re.M).search(text, first)
    return close.start() if close else len(text)


# -- command line ------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m blogtools.commands.newpost")
    sub = parser.add_subparsers(dest="command", required=True)
    new = sub.add_parser("new", help="start a draft post")
    new.add_argument("title")
    new.add_argument("--tags", default="", help="comma-separated tags")
    new.add_argument("--category", default=None)
    new.add_argument("--slug", default=None)
    new.add_argument("--content", default=None, help="content folder (default: PATH)")
    pub = sub.add_parser("publish", help="publish a draft: draft = false")
    pub.add_argument("slug")
    pub.add_argument("--content", default=None, help="content folder (default: PATH)")
    args = parser.parse_args(argv)
    try:
        if args.command == "new":
            post = new_post(args.title, tags=args.tags, category=args.category, slug=args.slug,
                            content=args.content)
            print(f"Created {display(post.path)}")
            print(f"Preview it at {post.preview_url} (invoke serve)")
        else:
            _, note = publish_post(args.slug, content=args.content)
            print(note)
    except PostError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
