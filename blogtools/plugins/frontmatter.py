"""Front matter reader: Markdown posts with Hugo TOML, YAML or Pelican headers.

The author's posts came from Hugo, so a post may open with TOML between ``+++``
lines, YAML between ``---`` lines, or Pelican's own ``Key: value`` header. This
reader splits the front matter from the body, maps Hugo's keys to Pelican's
metadata the way a Hugo user expects, and renders the body with the site's
Markdown settings. Every problem is raised as a :class:`ContentError` naming the
file and line, so a typo at 1 a.m. costs one glance, not a stack trace.

Hugo key mapping: ``title``, ``date`` (timezone-aware), ``lastmod`` → ``modified``,
``summary`` / ``description``, ``author`` / ``authors``, ``tags``,
``categories`` (the first becomes Pelican's single ``category``), ``keywords``
(empty strings dropped), ``cover``, ``draft`` → ``status``, ``slug``,
``aliases``. Unknown keys are kept as metadata under their lower-cased name.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import sys
import tomllib
import traceback

import yaml
from markdown import Markdown
from markupsafe import Markup
from pelican import signals
from pelican.contents import Author, Category, Tag
from pelican.readers import MarkdownReader
from pelican.utils import SafeDatetime, get_date

from blogtools.errors import ContentError
from blogtools.plugins.reading_time import count_words

FENCES = {"+++": "toml", "---": "yaml"}
META_EXTENSION = "markdown.extensions.meta"
LIST_KEYS = ("tags", "categories", "keywords", "aliases", "authors")
STRING_KEYS = ("title", "summary", "description", "author", "slug", "cover",
               "category", "status", "lang", "template")
TOML_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")
TOML_WHERE = re.compile(r"\s*\(at (line \d+, column \d+|end of document)\)")


def decode_source(raw: bytes, path: str) -> str:
    """UTF-8 text with any BOM removed and CRLF/CR line endings made LF."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", path=path, line=line,
            hint="save the file as UTF-8") from None
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> tuple[str | None, str, str, int]:
    """Return ``(format, front_matter, body, body_first_line)``.

    ``format`` is ``"toml"``, ``"yaml"`` or ``None`` (no fenced front matter).
    Raises :class:`ContentError` (line 1) when an opening fence is never closed.
    """
    first, _, rest = text.partition("\n")
    fmt = FENCES.get(first.rstrip())
    if fmt is None:
        return None, "", text, 1
    fence = first.rstrip()
    lines = rest.split("\n")
    for index, line in enumerate(lines):
        if line.rstrip() == fence or (fmt == "yaml" and line.rstrip() == "..."):
            front = "\n".join(lines[:index])
            body = "\n".join(lines[index + 1:])
            return fmt, front, body, index + 3
    raise ContentError(f"front matter opened with '{fence}' is never closed", line=1,
                       hint=f"add a line with just '{fence}' after the front matter")


def parse_front_matter(fmt: str, front: str) -> dict:
    """Parse TOML or YAML front matter; line numbers count from the opening fence.

    An error names the line where the broken construct (a bracket, brace or
    quote) starts, and adds where the parser noticed when that is later: an
    unclosed ``[`` is only noticed at the next key.
    """
    if fmt == "toml":
        try:
            data = tomllib.loads(front)
        except tomllib.TOMLDecodeError as exc:
            message = str(exc)
            match = TOML_LINE.search(message)
            if match:
                noticed = int(match.group(1))
                offset = _offset(front, noticed, int(match.group(2)))
            else:  # "at end of document": something opened earlier was never closed
                noticed = len(front.rstrip().split("\n"))
                offset = len(front)
            opener = toml_opener(front, offset)
            start = front.count("\n", 0, opener[0]) + 1 if opener else noticed
            reason = TOML_WHERE.sub("", message).strip()
            raise ContentError(f"invalid TOML front matter: {reason}", line=start + 1,
                               hint=_where_hint(start + 1, noticed + 1, opener and opener[1],
                                                "check quotes, brackets and '=' on that line")) from None
        return data
    try:
        # libyaml's parser where PyYAML has it (5 times faster on a 1,000-post site); a
        # front matter it refuses is parsed again in Python, whose errors the lines below read.
        data = yaml.load(front, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) \
            if front.strip() else {}
    except yaml.YAMLError:
        data = None
    try:
        if data is None and front.strip():
            data = yaml.safe_load(front)
    except yaml.YAMLError as exc:
        problem_mark = getattr(exc, "problem_mark", None)
        context_mark = getattr(exc, "context_mark", None)
        context = getattr(exc, "context", None) or ""
        # A block mapping or sequence "starts" at its first key, often line 2:
        # there the line that breaks the indentation is the one to fix.
        if context.startswith("while parsing a block") or context_mark is None:
            context_mark = None
        start_mark = context_mark or problem_mark
        if start_mark is None:
            raise ContentError(f"invalid YAML front matter: {str(exc).splitlines()[0]}", line=1,
                               hint="check indentation and quoting") from None
        start, noticed = start_mark.line + 2, (problem_mark or start_mark).line + 2
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if context_mark is not None:
            reason += f" {context}"
        opener = front.split("\n")[start_mark.line][start_mark.column:start_mark.column + 1] \
            if context_mark is not None else None
        raise ContentError(f"invalid YAML front matter: {reason}", line=start,
                           hint=_where_hint(start, noticed, opener,
                                            "check indentation and quoting on that line")) from None
    if not isinstance(data, dict):
        raise ContentError("YAML front matter must be a mapping of keys to values", line=2,
                           hint="write 'key: value' lines")
    return data


def _where_hint(start: int, noticed: int, opener: str | None, same_line_hint: str) -> str:
    if noticed == start:
        return same_line_hint
    if opener and opener in "[{\"'":
        check = f"check that the {opener!r} opened on line {start} is closed"
    else:
        check = f"check indentation and quoting from line {start}"
    return f"the parser noticed it on line {noticed}; {check}"


def _offset(text: str, line: int, column: int) -> int:
    """Index in ``text`` of a 1-based (line, column)."""
    lines = text.split("\n")
    return sum(len(part) + 1 for part in lines[:line - 1]) + column - 1


def toml_opener(text: str, end: int) -> tuple[int, str] | None:
    """``(index, character)`` of the outermost string, array or table still open at ``end``.

    tomllib reports only where it noticed a problem; this finds where the
    unclosed construct began. A scan of quotes, brackets and comments is
    enough for that (tomllib has already found the error itself), so it is
    written here rather than taking a second TOML parser.
    """
    stack: list[tuple[int, str]] = []
    index = 0
    while index < end:
        char = text[index]
        if char == "#":
            newline = text.find("\n", index)
            index = end if newline < 0 else newline
            continue
        if char in "\"'":
            quote = text[index:index + 3] if text[index:index + 3] == char * 3 else char
            closing = _string_end(text, index + len(quote), quote, end)
            if closing is None:
                return (stack or [(index, char)])[0]
            index = closing
            continue
        if char in "[{":
            stack.append((index, char))
        elif char in "]}" and stack:
            stack.pop()
        index += 1
    return stack[0] if stack else None


def _string_end(text: str, index: int, quote: str, end: int) -> int | None:
    """Index just past the string closed by ``quote`` from ``index``, or None if open at ``end``."""
    while index < end:
        if text[index] == "\\" and quote[0] == '"':
            index += 2
            continue
        if text.startswith(quote, index):
            return index + len(quote) if index + len(quote) <= end else None
        if text[index] == "\n" and len(quote) == 1:
            return None
        index += 1
    return None


def markdown_for(markdown_settings: dict, *, with_meta: bool = False) -> Markdown:
    """A Markdown converter with the site's settings; ``with_meta`` keeps the meta extension."""
    settings = dict(markdown_settings)
    settings["extensions"] = [e for e in settings.get("extensions", [])
                              if with_meta or e != META_EXTENSION]
    return Markdown(**settings)


def render_markdown(markdown_settings: dict, body: str) -> tuple[str, list, int]:
    """``(html, toc tokens, words)`` of a post body without a Pelican header."""
    md = markdown_for(markdown_settings)
    html_text = md.convert(body)
    return html_text, getattr(md, "toc_tokens", []), count_words(html_text)


def render_with_header(markdown_settings: dict, text: str) -> tuple[str, list, int, dict]:
    """``(html, toc tokens, words, Meta)`` of a whole post with Pelican's ``Key: value`` header.

    Markdown's meta extension reads the header during the conversion, exactly as
    :meth:`FrontMatterReader._read_pelican_header` does, so a result rendered
    ahead by this function is the one that reader would make itself.
    """
    md = markdown_for(markdown_settings, with_meta=True)
    html_text = md.convert(text)
    return html_text, getattr(md, "toc_tokens", []), count_words(html_text), \
        getattr(md, "Meta", {}) or {}


def markdown_failure(exc: Exception) -> ContentError:
    """The :class:`ContentError` for an exception raised while rendering a body."""
    if isinstance(exc, RecursionError):
        return ContentError("could not render the Markdown: RecursionError: it is nested "
                            "too deeply", hint="nest lists and block quotes less deeply")
    # The innermost module that is not Python's own: the extension that failed.
    modules = [frame.f_globals.get("__name__", "") for frame, _ in
               traceback.walk_tb(exc.__traceback__)]
    module = next((m for m in reversed(modules)
                   if m.partition(".")[0] not in sys.stdlib_module_names), None)
    origin = f" in {module}" if module else ""
    return ContentError(f"could not render the Markdown: {type(exc).__name__}{origin}: {exc}",
                        hint="simplify the text it fails on, or build with --debug "
                             "for the traceback")


class FrontMatterReader(MarkdownReader):
    """Markdown reader that understands Hugo/TOML, YAML and Pelican headers."""

    file_extensions = ["md", "markdown", "mkd", "mdown"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # path → (body, header, rendered), rendered ahead of reading by an
        # accelerator (the speed wing's prerender); used once, for that body only.
        # ``header`` is True for a whole file with Pelican's header, rendered by
        # render_with_header (html, toc tokens, words, Meta); otherwise the body
        # after fenced front matter, rendered by render_markdown (html, toc tokens, words).
        self.prerendered: dict[str, tuple[str, bool, tuple]] = {}

    def take_prerendered(self, path: str, body: str, *, header: bool = False) -> tuple | None:
        """The result rendered ahead for ``path``, if rendered from ``body`` the same way."""
        ready = self.prerendered.pop(path, None)
        if ready is not None and ready[0] == body and ready[1] == header:
            return ready[2]
        return None

    def read(self, source_path):
        self._source_path = source_path
        path = source_path
        with open(source_path, "rb") as handle:
            text = decode_source(handle.read(), path)
        try:
            return self._read_text(text, source_path)
        except ContentError as exc:
            # Keep what caused it (a Markdown crash) for the build's --debug traceback.
            raise exc.located(path) from exc.__cause__

    # -- parsing ---------------------------------------------------------------

    def _read_text(self, text: str, source_path: str):
        fmt, front, body, body_line = split_front_matter(text)
        if fmt is None:
            content, metadata, raw, words = self._read_pelican_header(text, source_path)
            key_lines = raw
            if words is not None:  # counted where it was rendered ahead; a header key wins
                metadata.setdefault("word_count", words)
        else:
            data = {str(k).lower(): v for k, v in parse_front_matter(fmt, front).items()}
            key_lines = {key: self._key_line(front, key) for key in data}
            metadata = self._map_keys(data, key_lines)
            ready = self.take_prerendered(source_path, body)
            if ready is not None:
                # As below: a 'word_count' front matter key wins over the count.
                content, self._toc, words = ready
                metadata.setdefault("word_count", words)
            else:
                content = self._render(body, with_meta=False, line_offset=body_line - 1)
        self._check_required(metadata, source_path)
        metadata["headings"] = self._toc
        if "word_count" not in metadata:
            # Counted here so that Pelican's content cache keeps the count too.
            metadata["word_count"] = count_words(content)
        if not content.strip():
            line = body_line - 1 if fmt else text.rstrip().count("\n") + 1
            raise ContentError("the post has no text after its front matter",
                               line=line, hint="write the post below the front matter")
        return content, metadata

    def _read_pelican_header(self, text: str, source_path: str):
        ready = self.take_prerendered(source_path, text, header=True)
        words = None
        if ready is not None:
            content, self._toc, words, meta = ready
        else:
            md = self._markdown(with_meta=True)
            content = self._convert(md, text, 0)
            meta = getattr(md, "Meta", {}) or {}
        # Markdown's meta extension lower-cases the keys; the author wrote "Status:".
        key_lines = {key.lower(): self._key_line(text, key) - 1 for key in meta}
        data = {}
        for key, values in meta.items():
            data[key.lower()] = values if key.lower() in LIST_KEYS and len(values) > 1 \
                else " ".join(values)
        return content, self._map_keys(data, key_lines), key_lines, words

    def _markdown(self, *, with_meta: bool) -> Markdown:
        return markdown_for(self.settings["MARKDOWN"], with_meta=with_meta)

    def _render(self, body: str, *, with_meta: bool, line_offset: int) -> str:
        return self._convert(self._markdown(with_meta=with_meta), body, line_offset)

    def _convert(self, md: Markdown, text: str, line_offset: int) -> str:
        try:
            html_text = md.convert(text)
        except ContentError as exc:
            raise exc.located(self._source_path, line_offset) from None
        except Exception as exc:  # a crash inside Markdown or an extension
            raise markdown_failure(exc).located(self._source_path) from exc
        self._toc = getattr(md, "toc_tokens", [])
        return html_text

    @staticmethod
    def _key_line(front: str, key: str) -> int:
        pattern = re.compile(rf"^[ \t]*['\"]?{re.escape(key)}['\"]?[ \t]*[=:]", re.I | re.M)
        match = pattern.search(front)
        return front.count("\n", 0, match.start()) + 2 if match else 2

    # -- mapping ---------------------------------------------------------------

    def _map_keys(self, data: dict, key_lines: dict) -> dict:
        meta: dict = {}

        def fail(key, message, hint):
            raise ContentError(message, line=key_lines.get(key), hint=hint)

        for key in STRING_KEYS:
            if key in data and not isinstance(data[key], str):
                fail(key, f"'{key}' must be text, not {type(data[key]).__name__}",
                     f'write {key} = "..."')
        for key in LIST_KEYS:
            value = data.get(key)
            if value is None:
                continue
            if isinstance(value, str):
                data[key] = [v.strip() for v in value.split(",")]
            elif not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                fail(key, f"'{key}' must be a list of text, not {type(value).__name__}",
                     f'write {key} = ["one", "two"]')

        for key, value in data.items():
            if key == "title":
                # Pelican treats a title as HTML (its feed writer strips tags from it);
                # a Hugo title is text, so escape it once here and every template,
                # feed and plugin shows the author's exact characters.
                meta["title"] = Markup(html.escape(value.strip(), quote=False))
            elif key in ("slug", "cover", "lang", "template", "status"):
                meta[key] = value.strip()
            elif key in ("date", "lastmod", "modified", "publishdate"):
                target = "modified" if key in ("lastmod", "modified") else "date"
                meta[target] = self._date(value, key, key_lines)
            elif key in ("summary", "description"):
                # Each key wins for its own field, whatever their order; the other fills in.
                if key == "description" and value.strip() or not meta.get("description"):
                    meta["description"] = value.strip()
                if key == "summary" or "summary" not in data:
                    meta["summary"] = Markup(html.escape(value.strip()))
            elif key == "author":
                if value.strip():
                    meta["author"] = Author(value.strip(), self.settings)
            elif key == "authors":
                authors = [Author(a.strip(), self.settings) for a in value if a.strip()]
                if authors:
                    meta["authors"] = authors
            elif key == "tags":
                tags = [Tag(t.strip(), self.settings) for t in value if t.strip()]
                if tags:
                    meta["tags"] = tags
            elif key == "categories":
                names = [c.strip() for c in value if c.strip()]
                if names:
                    meta["category"] = Category(names[0], self.settings)
                    meta["categories"] = names
            elif key == "category":
                if value.strip():
                    meta["category"] = Category(value.strip(), self.settings)
            elif key in ("keywords", "aliases"):
                meta[key] = [v.strip() for v in value if v.strip()]
            elif key == "draft":
                if not isinstance(value, bool) and str(value).lower() not in ("true", "false"):
                    fail(key, "'draft' must be true or false", "write draft = true")
                if value is True or str(value).lower() == "true":
                    meta["status"] = "draft"
            else:
                meta[key] = value
        if "status" in meta and meta["status"] not in ("published", "draft", "hidden"):
            fail("status", f"unknown status '{meta['status']}'",
                 "use published, draft or hidden")
        return meta

    def _date(self, value, key: str, key_lines: dict) -> SafeDatetime:
        if isinstance(value, dt.datetime):
            return SafeDatetime.fromtimestamp(value.timestamp(), value.tzinfo) \
                if value.tzinfo else SafeDatetime(*value.timetuple()[:6], value.microsecond)
        if isinstance(value, dt.date):
            return SafeDatetime(value.year, value.month, value.day)
        if isinstance(value, str) and value.strip():
            try:
                return get_date(value.strip())
            except (ValueError, OverflowError):
                pass
        raise ContentError(f"'{key}' is not a date: {value!r}", line=key_lines.get(key),
                           hint="write it like 2020-12-15T12:22:50Z")

    def _check_required(self, metadata: dict, source_path: str):
        if not metadata.get("title"):
            raise ContentError("the post has no title", line=1,
                               hint='add title = "..." to the front matter')
        if self._is_article(source_path) and "date" not in metadata:
            raise ContentError("the post has no date", line=1,
                               hint="add date = 2020-12-15T12:22:50Z to the front matter")

    def _is_article(self, source_path: str) -> bool:
        relative = os.path.relpath(source_path, self.settings["PATH"])
        first = relative.split(os.sep, 1)[0]
        return first in self.settings.get("ARTICLE_PATHS", []) and \
            first not in self.settings.get("PAGE_PATHS", [])


def add_reader(readers):
    for extension in FrontMatterReader.file_extensions:
        readers.reader_classes[extension] = FrontMatterReader


def register():
    signals.readers_init.connect(add_reader)
