"""What a build reports: every warning and error logged while Pelican runs, one line each.

A :class:`~blogtools.errors.ContentError` is printed as ``file:line: what (how
to fix)``; anything else as ``level: message`` on one line.
"""

from __future__ import annotations

import logging
import sys
import traceback

from blogtools.errors import ContentError


class ProblemCollector(logging.Handler):
    """Collects every warning and error Pelican logs during one build."""

    def __init__(self, debug: bool):
        super().__init__(logging.WARNING)
        self.debug = debug
        self.problems: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        error = next((a for a in (record.args or ()) if isinstance(a, ContentError)), None)
        # Pelican logs "Could not process X" from inside its except block,
        # without exc_info unless DEBUG is set; the exception is still current.
        current = record.exc_info[1] if record.exc_info else sys.exc_info()[1]
        if error is None and isinstance(current, ContentError):
            error = current
        if error is not None:
            text = error.format()
        else:
            message = " ".join(record.getMessage().split())  # one line per problem
            text = f"{record.levelname.lower()}: {message}"
        if self.debug and current is not None:
            text += "\n" + "".join(traceback.format_exception(current))
        if text not in self.problems:
            self.problems.append(text)
