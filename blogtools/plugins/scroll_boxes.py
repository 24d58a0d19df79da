"""Boxes that scroll sideways can be scrolled from the keyboard.

Wide code blocks, tables and display formulas scroll inside their own box so
the page never does. A keyboard user can only scroll a box that takes focus,
so the Jinja filter ``keyboard_scrollable`` gives every ``<pre>`` and
``<table>`` in rendered content ``tabindex="0"`` (unless it has a tabindex
already). For a display formula the box is its ``math-display`` wrapper (see
``blogtools.plugins.mathml``): HTML allows no ``tabindex`` on ``<math>``. The
wrapper is a generic element, so it also gets a role and a name for screen
readers to announce when it takes focus. Feeds keep the author's HTML; page
templates apply it.
"""

from __future__ import annotations

import re

from markupsafe import Markup
from pelican import signals

SCROLL_BOX = re.compile(r"<(?P<tag>pre|table|div|span)(?P<attrs>(?:\s[^>]*)?)>")
FORMULA_BOX = re.compile(r"""\sclass\s*=\s*(["'])(?:[^"']*\s)?math-display(?:\s[^"']*)?\1""")
FORMULA_FOCUS = ' tabindex="0" role="group" aria-label="Formula"'


def keyboard_scrollable(content) -> Markup:
    def add_tabindex(match: re.Match) -> str:
        tag, attrs = match["tag"], match["attrs"]
        if "tabindex" in attrs:
            return match.group(0)
        if tag in ("div", "span"):
            if not FORMULA_BOX.search(attrs):
                return match.group(0)
            return f"<{tag}{attrs}{FORMULA_FOCUS}>"
        return f'<{tag}{attrs} tabindex="0">'
    return Markup(SCROLL_BOX.sub(add_tabindex, str(content or "")))


class ScrollBoxes:
    def generator_init(self, generator):
        env = getattr(generator, "env", None)
        if env is not None:
            env.filters["keyboard_scrollable"] = keyboard_scrollable


SCROLL_BOXES = ScrollBoxes()


def register():
    signals.generator_init.connect(SCROLL_BOXES.generator_init)
