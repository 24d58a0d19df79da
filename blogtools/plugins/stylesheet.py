"""One stylesheet, inlined: the theme's CSS files joined, minified and hashed for the CSP.

The theme keeps its CSS as one file per concern in ``theme/css/`` (variables,
reset, base, header, post, ...), read in file-name order. This plugin joins
them into one small stylesheet that every page carries in a ``<style>``
element, so a page renders after a single round trip. Because the site's
Content Security Policy forbids inline styles that are not hashed, the plugin
also computes the stylesheet's SHA-256 and the whole policy string.

Jinja globals: ``STYLESHEET`` (the CSS, as Markup), ``STYLESHEET_HASH``
(``'sha256-...'``) and ``CONTENT_SECURITY_POLICY``.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from markupsafe import Markup
from pelican import signals

CSS_FOLDER = "css"
CSS_PATTERN = "*.css"
COMMENT = re.compile(r"/\*.*?\*/", re.S)
SPACE = re.compile(r"\s+")
AROUND_PUNCTUATION = re.compile(r"\s*([{};,>])\s*")
POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self' {style_hash}; "
          "script-src 'self'; base-uri 'self'; form-action 'self'; object-src 'none'")


def minify(css: str) -> str:
    """Drop comments and needless whitespace; the CSS must hold no strings with '{};,>'."""
    css = COMMENT.sub("", css)
    css = SPACE.sub(" ", css)
    css = AROUND_PUNCTUATION.sub(r"\1", css)
    return css.replace(";}", "}").strip()


def css_hash(css: str) -> str:
    digest = hashlib.sha256(css.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


class Stylesheet:
    def __init__(self):
        self.css = ""

    def initialized(self, pelican):
        folder = Path(pelican.settings["THEME"]) / CSS_FOLDER
        parts = [path.read_text(encoding="utf-8") for path in sorted(folder.glob(CSS_PATTERN))]
        self.css = minify("\n".join(parts))
        if "</" in self.css:
            raise ValueError("theme CSS must not contain '</'")

    def generator_init(self, generator):
        env = getattr(generator, "env", None)
        if env is None:
            return
        style_hash = css_hash(self.css)
        env.globals.update({
            "STYLESHEET": Markup(self.css),
            "STYLESHEET_HASH": style_hash,
            "CONTENT_SECURITY_POLICY": POLICY.format(style_hash=style_hash),
        })


# One instance per process: blinker holds receivers weakly.
STYLESHEET = Stylesheet()


def register():
    signals.initialized.connect(STYLESHEET.initialized)
    signals.generator_init.connect(STYLESHEET.generator_init)
