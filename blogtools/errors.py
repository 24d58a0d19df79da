"""Content errors: what is wrong, in which source file, on which line.

Every problem the author can fix in their Markdown is raised as a
:class:`ContentError`, so the build can print one line the author can act on
(``content/posts/x.md:3: what is wrong (how to fix)``) instead of a traceback.
"""

from __future__ import annotations

import os


class ContentError(Exception):
    """A problem in a content file, located by path and (1-based) line."""

    def __init__(self, message: str, *, path: str | os.PathLike | None = None,
                 line: int | None = None, hint: str | None = None):
        self.message = message
        self.path = display_path(path) if path is not None else None
        self.line = line
        self.hint = hint
        super().__init__(self.format())

    def located(self, path: str | os.PathLike, line_offset: int = 0) -> ContentError:
        """Return this error with its path set and its line shifted by ``line_offset``.

        Parsers see only part of a file (the front matter, the body); the reader
        that called them knows where that part starts.
        """
        line = None if self.line is None else self.line + line_offset
        return ContentError(self.message, path=path, line=line, hint=self.hint)

    def format(self) -> str:
        where = self.path or "<unknown file>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        text = f"{where}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


def display_path(path: str | os.PathLike) -> str:
    """A path as the author would type it: relative inside the project, else absolute."""
    path = os.fspath(path)
    relative = os.path.relpath(os.path.abspath(path))
    return os.path.abspath(path) if relative.startswith("..") else relative


def line_of(text: str, needle: str, start: int = 0) -> int | None:
    """1-based line of the first ``needle`` in ``text`` at or after ``start``."""
    index = text.find(needle, start)
    if index < 0:
        return None
    return text.count("\n", 0, index) + 1
