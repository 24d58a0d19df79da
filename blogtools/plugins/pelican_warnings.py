"""Pelican's own warnings about content, as ``file:line: what (how to fix)`` lines.

Pelican logs problems in content as free text that names at most a path:
``Unable to find '/posts/gone.md', skipping url replacement.`` leaves the
author to guess which post and which line. A logging filter on the Pelican
modules that log them turns each known record (matched by logger name and
format string, ``record.msg``, never by the formatted text) into a
:class:`~blogtools.errors.ContentError` in its arguments, which the build's
collector prints as one line. The file comes from the record's arguments, or,
for a warning logged while a page renders (``Content._link_replacer``), from
the call stack at the moment it is logged: the content object being rendered.
The line is where the text the warning is about sits in that file.

Records are rewritten where they are logged, so a page rendered in a forked
process (the speed wing) relays the located error like any other. Every format
string matched here is listed in ``pelican_private.py``, checked against
Pelican's source, so an upgrade that rewords one is caught by the tests.

Pelican's warnings left as they are, because they are not about content or
cannot fire with this site's readers: deprecations (``_get_summary``,
``deprecated_attribute``), settings (``*_ORDER_BY``, ``%s is set to %s``, the
Docutils language), output cleaning and theme copying in ``utils``, the
MarkdownReader's ``Duplicate definition`` and disabled-reader messages (the
front matter reader replaces it), and slug clashes (``unique_urls``).
"""

from __future__ import annotations

import html
import inspect
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from pelican import signals
from pelican.contents import Content

from blogtools.errors import ContentError, line_of
from blogtools.plugins.site import plugin_names

# The Pelican modules whose content warnings are rewritten here.
LOGGERS = ("pelican.contents", "pelican.readers", "pelican.generators",
           "pelican.urlwrappers", "pelican.utils")
DEBUG_HINT = "build with --debug for the traceback"


@dataclass
class Logged:
    """A Pelican record to locate: its arguments and what was being processed."""

    args: tuple
    root: str  # the content folder (settings PATH)
    content: str | None = None  # the content file being read or rendered, from the stack
    parser_line: int | None = None  # the line an HTML parser was on
    error: BaseException | None = None  # the exception being handled

    def in_root(self, relative: str) -> str:
        return os.path.join(self.root, relative)


def _text(path: str | None) -> str:
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            return handle.read()
    except (OSError, TypeError):
        return ""


def link_line(path: str, url: str) -> tuple[int | None, str]:
    """The line of the ``{what}url`` link in ``path``, and the ``{what}`` written there."""
    text = _text(path)
    for variant in dict.fromkeys((url, unquote(url), html.unescape(url))):
        start = 0
        while (index := text.find(variant, start)) >= 0:
            if index and text[index - 1] in "}|":
                opening = max(text.rfind("{", 0, index), text.rfind("|", 0, index - 1))
                what = text[opening:index] if opening >= 0 else "{filename}"
                return text.count("\n", 0, index) + 1, what
            start = index + 1
    return None, "{filename}"


def using(name: str) -> tuple[str | None, int | None]:
    """The first content file that uses a tag, category or author ``name``, and its line."""
    for content in SEEN:
        names = [getattr(content, "category", None), *getattr(content, "tags", []),
                 *getattr(content, "authors", [])]
        if any(str(n) == name for n in names if n is not None):
            text = _text(content.source_path)
            return content.source_path, line_of(text, f'"{name}"') or line_of(text, name)
    return None, None


def unable_to_find(logged: Logged) -> ContentError | None:
    url = logged.args[0]
    line, what = link_line(logged.content, url)
    return ContentError(f"{what}{url} links to no file in the content folder", path=logged.content,
                        line=line, hint="fix the path: one starting with / is from the content "
                                        "folder, any other from this file's folder")


def unknown_indicator(logged: Logged) -> ContentError | None:
    what = logged.args[0]
    return ContentError(f"{{{what}}} is not a kind of link Pelican knows", path=logged.content,
                        line=line_of(_text(logged.content), f"{{{what}}}"),
                        hint="use {filename}, {static}, {attach}, {tag}, {category}, "
                             "{author} or {index}")


def filename_to_static(logged: Logged) -> ContentError | None:
    target, source = logged.args
    path = logged.content or logged.in_root(source)
    line, _ = link_line(path, target)
    if line is None:
        line, _ = link_line(path, target.lstrip("/"))
    return ContentError(f"{{filename}}{target} links to a static file", path=path, line=line,
                        hint="write {static} instead of {filename}")


def attach_fallback(logged: Logged) -> ContentError | None:
    source, attached, reason = logged.args
    path = logged.in_root(source)
    text = _text(path)
    name = os.path.basename(attached)
    line = next((number for number, row in enumerate(text.split("\n"), 1)
                 if "{attach}" in row and name in row), None)
    return ContentError(f"{{attach}} cannot move {attached} beside this post: {reason}",
                        path=path, line=line,
                        hint="attach a file from one post only, and link to it elsewhere "
                             "with {static}")


def missing_property(logged: Logged) -> ContentError | None:
    content, prop = logged.args
    return ContentError(f"has no {prop}, so Pelican left it out", path=content.source_path,
                        line=1, hint=f"give it a {prop}")


def outside_output(logged: Logged) -> ContentError | None:
    content, save_as = logged.args
    text = _text(content.source_path)
    return ContentError(f"would be saved as {save_as!r}, outside the site, so Pelican left it out",
                        path=content.source_path,
                        line=line_of(text, "save_as") or line_of(text, "url") or 1,
                        hint="give it a save_as inside the site, without '..'")


def unknown_status(logged: Logged) -> ContentError | None:
    status, content, allowed = logged.args
    return ContentError(f"unknown status '{status}', so Pelican left it out",
                        path=content.source_path,
                        line=line_of(_text(content.source_path), "status") or 1,
                        hint=f"use {', '.join(allowed)}")


def meta_without_name(logged: Logged) -> ContentError | None:
    return ContentError(f"a <meta> tag without a name ({logged.args[1]})", path=logged.args[0],
                        line=logged.parser_line, hint='add name="..." or remove the tag')


def meta_contents(logged: Logged) -> ContentError | None:
    return ContentError("a <meta> tag with 'contents' instead of 'content'", path=logged.args[0],
                        line=logged.parser_line, hint="rename contents= to content=")


def empty_alt(logged: Logged) -> ContentError | None:
    image, path = logged.args
    return ContentError(f"image {image} has no alt text", path=path,
                        line=line_of(_text(path), image),
                        hint="say what it shows: ![what it shows](...), or alt=\"...\" in HTML")


def rst_title(logged: Logged) -> ContentError | None:
    return ContentError("has no title", path=logged.args[0], line=1,
                        hint="start it with exactly one title, underlined with ===")


def invalid_slug(logged: Logged) -> ContentError | None:
    kind, name = logged.args
    path, line = using(name)
    return ContentError(f"{kind.lower()} '{name}' has no letters or digits to make its address "
                        "from", path=path or logged.content, line=line,
                        hint="give it a name in words")


def page_not_written(logged: Logged) -> ContentError | None:
    taxonomy = logged.args[0]
    kind = type(taxonomy).__name__
    path, line = using(str(taxonomy))
    reason = f"{type(logged.error).__name__}: {logged.error}" if logged.error else "it failed"
    return ContentError(f"the page of {kind.lower()} '{taxonomy}' could not be written: {reason}",
                        path=path, line=line,
                        hint="another page may be saved at the same address; give it another "
                             "save_as, or rename the " + kind.lower())


def not_processed(logged: Logged) -> ContentError | None:
    if isinstance(logged.error, ContentError):
        return logged.error  # from our readers: already located
    if logged.error is None:
        return None
    return ContentError(f"could not be read: {type(logged.error).__name__}: {logged.error}",
                        path=logged.in_root(logged.args[0]), hint=DEBUG_HINT)


def missing_sort_key(logged: Logged) -> ContentError | None:
    attribute, source = logged.args
    return ContentError(f"has no '{attribute}', which the site's *_ORDER_BY setting sorts by",
                        path=logged.in_root(source), line=1,
                        hint=f"add {attribute} to its front matter, or sort by something "
                             "every post has")


def not_copied(logged: Logged) -> ContentError | None:
    source, destination, error = logged.args
    if not os.path.abspath(source).startswith(os.path.abspath(logged.root) + os.sep):
        return None  # not a content file
    reason = getattr(error, "strerror", None) or str(error)
    return ContentError(f"could not be copied into the site: {reason} ({destination})",
                        path=source,
                        hint="make it readable, and check that no page is saved at its address")


# (logger, format string) -> how to locate it. pelican_private.py checks each
# format string against Pelican's source.
WARNINGS: dict[tuple[str, str], Callable[[Logged], ContentError | None]] = {
    ("pelican.contents", "Unable to find '%s', skipping url replacement."): unable_to_find,
    ("pelican.contents", "Replacement Indicator %r not recognized in %r, "
                         "skipping replacement"): unknown_indicator,
    ("pelican.contents", "{filename} used for linking to static content %s in %s. "
                         "Use {static} instead"): filename_to_static,
    ("pelican.contents", "The {attach} link in %s cannot relocate %s because %s. "
                         "Falling back to {filename} link behavior instead."): attach_fallback,
    ("pelican.contents", "Skipping %s: could not find information about '%s'"): missing_property,
    ("pelican.contents", "Skipping %s: file %r would be written outside output path"):
        outside_output,
    ("pelican.contents", "Unknown status '%s' for file %s, skipping it. (Not in %s)"):
        unknown_status,
    ("pelican.readers", "Meta tag in file %s does not have a 'name' attribute, skipping. "
                        "Attributes: %s"): meta_without_name,
    ("pelican.readers", "Meta tag attribute 'contents' used in file %s, should be changed "
                        "to 'content'"): meta_contents,
    ("pelican.readers", "Empty alt attribute for image %s in %s"): empty_alt,
    ("pelican.readers", "Document title missing in file %s: Ensure exactly one top level "
                        "section"): rst_title,
    ("pelican.urlwrappers", 'Unable to generate valid slug for %s "%s".'): invalid_slug,
    ("pelican.generators", 'Failed to write Tag page for "%s".'): page_not_written,
    ("pelican.generators", 'Failed to write Category page for "%s".'): page_not_written,
    ("pelican.generators", 'Failed to write Author page for "%s".'): page_not_written,
    ("pelican.generators", "Could not process %s"): not_processed,
    ("pelican.utils", 'There is no "%s" attribute in "%s". Defaulting to slug order.'):
        missing_sort_key,
    ("pelican.utils", "A problem occurred copying file %s to %s; %s"): not_copied,
}

# Every content object made in this build, in order: who uses a tag name.
SEEN: list = []
# The build being run: whether it lists this plugin, and its content folder.
BUILD = {"active": False, "root": "content"}


def being_processed() -> tuple[str | None, int | None]:
    """The content file being read or rendered, and an HTML parser's line, from the stack."""
    from html.parser import HTMLParser

    from pelican.readers import Readers

    content = parser_line = None
    frame = inspect.currentframe()
    while frame is not None and content is None:
        owner = frame.f_locals.get("self")
        if parser_line is None and isinstance(owner, HTMLParser):
            parser_line = owner.getpos()[0]
        if isinstance(owner, Content) and owner.source_path:
            content = owner.source_path
        elif isinstance(owner, Readers) and frame.f_code.co_name == "read_file":
            content = frame.f_locals.get("path")
        frame = frame.f_back
    return content, parser_line


def locate(record: logging.LogRecord, root: str) -> ContentError | None:
    """The located error for a known Pelican record, or None."""
    translate = WARNINGS.get((record.name, record.msg)) if isinstance(record.msg, str) else None
    if translate is None:
        return None
    args = record.args if isinstance(record.args, tuple) else (record.args,)
    content, parser_line = being_processed()
    error = record.exc_info[1] if record.exc_info else None
    logged = Logged(args, root, content, parser_line, error or sys.exc_info()[1])
    try:
        return translate(logged)
    except Exception:  # never lose the warning itself to a bug in locating it
        return None


class LocateContentWarnings(logging.Filter):
    """Rewrites each known Pelican record about content into a located ContentError."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = locate(record, BUILD["root"]) if BUILD["active"] else None
        if error is not None:
            record.msg, record.args = "%s", (error,)
            record.__dict__.pop("limit_msg", None)
        return True


FILTER = LocateContentWarnings()


def initialized(pelican) -> None:
    # Signals and filters outlive a build in one process: act only on builds listing us.
    BUILD["active"] = __name__ in plugin_names(pelican.settings)
    BUILD["root"] = pelican.settings["PATH"]
    SEEN.clear()
    for name in LOGGERS:
        logger = logging.getLogger(name)
        # Pelican's LimitFilter drops a message it has logged once in this process
        # (so a preview rebuild would pass with the same broken link) and folds
        # the fifth of a kind into "Other ..."; the build reports each problem once.
        switch = "disable_filter" if BUILD["active"] else "enable_filter"
        if hasattr(logger, switch):
            getattr(logger, switch)()
        if FILTER not in logger.filters:
            logger.addFilter(FILTER)


def content_object_init(content) -> None:
    if BUILD["active"]:
        SEEN.append(content)


def register():
    signals.initialized.connect(initialized)
    signals.content_object_init.connect(content_object_init)
