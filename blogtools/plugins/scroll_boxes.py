"""Boxes that scroll sideways can be scrolled from the keyboard.

Wide code blocks, tables and display formulas scroll inside their own box so
the page never does. A keyboard user can only scroll a box that takes focus,
so the Jinja filter ``keyboard_scrollable`` gives every ``<pre>``, ``<table>``
and display ``<math>`` in rendered content ``tabindex="0"`` (unless it has a
tabindex already). Feeds keep the author's HTML; page templates apply it.
"""

from __future__ import annotations

import re

from markupsafe import Markup
from pelican import signals

SCROLL_BOX = re.compile(r"<(?P<tag>pre|table|math)(?P<attrs>(?:\s[^>]*)?)>")


def keyboard_scrollable(content) -> Markup:
    def add_tabindex(match: re.Match) -> str:
        attrs = match["attrs"]
        if "tabindex" in attrs or (match["tag"] == "math" and 'display="block"' not in attrs):
            return match.group(0)
        return f'<{match["tag"]}{attrs} tabindex="0">'
    return Markup(SCROLL_BOX.sub(add_tabindex, str(content or "")))


class ScrollBoxes:
    def generator_init(self, generator):
        env = getattr(generator, "env", None)
        if env is not None:
            env.filters["keyboard_scrollable"] = keyboard_scrollable


SCROLL_BOXES = ScrollBoxes()


def register():
    signals.generator_init.connect(SCROLL_BOXES.generator_init)
