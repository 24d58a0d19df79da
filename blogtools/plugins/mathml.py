"""TeX math in Markdown, converted to MathML at build time.

A Python-Markdown extension (register it as ``blogtools.plugins.mathml``):

* ``$...$`` is inline math, following pandoc's ``tex_math_dollars`` rules: the
  opening ``$`` must not be followed by whitespace, the closing ``$`` must not
  be preceded by whitespace nor followed by a digit.  So "costs $5 and $10"
  stays prose.  ``\\$`` is a literal dollar sign.
* ``$$...$$`` is display math.  A block that starts with ``$$`` is display math
  and may span several lines; ``$$...$$`` inside a paragraph is display math
  too (as in pandoc).
* Math inside code spans, fenced and indented code blocks is left alone.
* Every display formula is wrapped in an element of class ``math-display``:
  a ``<div>`` when it stands on its own, a ``<span>`` inside a paragraph. The
  wrapper, not the ``<math>`` (which may not take ``tabindex``), is the box
  that scrolls sideways on narrow screens and takes keyboard focus
  (``blogtools.plugins.scroll_boxes``).

Each formula is converted with ``latex2mathml`` to MathML (``display="block"``
for display math) and keeps its TeX source in
``<semantics>…<annotation encoding="application/x-tex">TEX</annotation></semantics>``
so readers (and screen readers, and copy and paste) can get it back.  The HTML
is stored in Markdown's HTML stash, so no other Markdown rule touches it.

latex2mathml is lenient: it silently renders unknown commands as their own
name (``\\fracc`` becomes an identifier "\\fracc"), drops unbalanced braces,
accepts unknown environments and builds fractions with a missing denominator.
This module checks for those cases itself, so a malformed formula always fails
the build with a :class:`~blogtools.errors.ContentError` that names the line
(1-based, relative to the text given to ``Markdown.convert``).
"""

from __future__ import annotations

import difflib
import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterable

from latex2mathml import commands as l2m_commands
from latex2mathml.converter import convert_to_element
from latex2mathml.symbols_parser import SYMBOLS as L2M_SYMBOLS
from markdown import Extension
from markdown.blockprocessors import BlockProcessor
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor

from blogtools.errors import ContentError

__all__ = ["MathExtension", "makeExtension", "tex_to_mathml"]

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
TEX_ENCODING = "application/x-tex"

#: Environments latex2mathml turns into tables; any other ``\begin{...}`` is
#: silently flattened by it (and ``&`` then leaks out as text), so we refuse it.
SUPPORTED_ENVIRONMENTS = frozenset(
    name.lstrip("\\") for name in l2m_commands.MATRICES
)

#: Children each MathML element must have; latex2mathml builds, for example,
#: an ``<mfrac>`` with one child for ``\frac{a}`` instead of failing.
ARITY = {
    "mfrac": 2,
    "mroot": 2,
    "msub": 2,
    "msup": 2,
    "msubsup": 3,
    "mover": 2,
    "munder": 2,
    "munderover": 3,
}

#: Human-readable messages for latex2mathml's own exceptions.
LIBRARY_ERRORS = {
    "NumeratorNotFoundError": "a fraction has no numerator",
    "DenominatorNotFoundError": "a fraction has no denominator",
    "ExtraLeftOrMissingRightError": r"\left and \right do not pair up",
    "MissingSuperScriptOrSubscriptError": "^ or _ has nothing after it",
    "DoubleSubscriptsError": "double subscript (use braces: x_{a_b})",
    "DoubleSuperscriptsError": "double superscript (use braces: x^{a^b})",
    "NoAvailableTokensError": "a command is missing its argument",
    "InvalidStyleForGenfracError": r"invalid style argument for \genfrac",
    "MissingEndError": r"\begin{...} has no matching \end{...}",
    "InvalidAlignmentError": "invalid column alignment (use l, c, r or |)",
    "InvalidWidthError": "invalid width",
    "LimitsMustFollowMathOperatorError": r"\limits must follow a math operator",
    "StopIteration": "the formula ends in the middle of a command",
}

_NUMERIC_REF = re.compile(r"&#(x[0-9A-Fa-f]+|[0-9]+);")
_STRAY_AMP = re.compile(r"&(?!#(?:x[0-9A-Fa-f]+|[0-9]+);)")
_COMMAND = re.compile(r"\\(?:[A-Za-z]+\*?|.)")
_BEGIN_ENV = re.compile(r"\\begin\s*\{([^{}]*)\}")
_NEW_ENV = re.compile(r"\\newenvironment\s*\{\s*\\?([^{}]*)\}")
#: Commands that need an argument; latex2mathml renders some of them with
#: nothing at all when the argument is missing (``\operatorname`` at the end).
_NEEDS_ARGUMENT = re.compile(
    r"\\(?:operatorname\*?|frac|dfrac|tfrac|binom|sqrt|hat|bar|vec|tilde|dot|ddot|"
    r"overline|underline|overbrace|underbrace|mathrm|mathbf|mathit|mathbb|mathcal|"
    r"mathsf|mathtt|boldsymbol|text|textbf|textit|textrm|mbox|color|overset|underset|"
    r"stackrel)(?![A-Za-z])\s*(?=$|\}|&|\\\\)"
)
#: TeX's generalised fractions: only one per group.
_INFIX_FRACTION = re.compile(r"\\(?:over|atop|above|choose|brace|brack)(?![A-Za-z])")


def _known_commands() -> frozenset[str]:
    names = set(L2M_SYMBOLS)
    for value in vars(l2m_commands).values():
        if isinstance(value, str) and value.startswith("\\"):
            names.add(value)
        elif isinstance(value, (tuple, list, set, frozenset, dict)):
            names.update(v for v in value if isinstance(v, str) and v.startswith("\\"))
    return frozenset(names)


KNOWN_COMMANDS = _known_commands()


class MathError(Exception):
    """A malformed formula; ``offset`` is where in the TeX the problem is."""

    def __init__(self, message: str, offset: int = 0, hint: str | None = None,
                 token: str | None = None):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint
        self.token = token  # the offending text, to find its line in the source


# --------------------------------------------------------------------------
# TeX -> MathML


def _check_braces(tex: str) -> None:
    """Unbalanced braces are silently repaired by latex2mathml; refuse them."""
    stack: list[int] = []
    i = 0
    while i < len(tex):
        char = tex[i]
        if char == "\\":
            i += 2  # \{, \}, \\ and the first letter of a command
            continue
        if char == "{":
            stack.append(i)
        elif char == "}":
            if not stack:
                raise MathError("unbalanced braces: '}' without a matching '{'", i,
                                "remove the '}' or add the missing '{'; write \\} for a literal brace")
            stack.pop()
        i += 1
    if stack:
        raise MathError("unbalanced braces: '{' is never closed", stack[-1],
                        "add the missing '}'; write \\{ for a literal brace")


def _check_environments(tex: str) -> None:
    defined = {name.strip() for name in _NEW_ENV.findall(tex)}
    for match in _BEGIN_ENV.finditer(tex):
        name = match.group(1).strip()
        if name not in SUPPORTED_ENVIRONMENTS and name not in defined:
            raise MathError(
                f"unsupported environment {{{name}}}", match.start(),
                "supported: " + ", ".join(sorted(SUPPORTED_ENVIRONMENTS)),
                token=match.group(0),
            )


def _check_arguments(tex: str) -> None:
    missing = _NEEDS_ARGUMENT.search(tex)
    if missing:
        command = missing.group(0).strip()
        raise MathError(f"{command} is missing its argument", missing.start(),
                        f"write {command}{{...}}", token=command)


def _check_infix_fractions(tex: str) -> None:
    """``a \\over b \\over c`` is ambiguous in TeX (latex2mathml guesses)."""
    counts = [0]  # one counter per open group: braces, \left...\right, table cells
    i = 0
    while i < len(tex):
        if tex.startswith("\\left", i) and not tex[i + 5:i + 6].isalpha():
            counts.append(0)
            i += 5
            continue
        if tex.startswith("\\right", i) and not tex[i + 6:i + 7].isalpha():
            if len(counts) > 1:
                counts.pop()
            i += 6
            continue
        infix = _INFIX_FRACTION.match(tex, i)
        if infix:
            counts[-1] += 1
            if counts[-1] > 1:
                raise MathError(f"ambiguous: more than one {infix.group(0)} in the same group",
                                i, "add braces, e.g. {a \\over b} \\over c, or use \\frac",
                                token=infix.group(0))
            i = infix.end()
            continue
        char = tex[i]
        if tex.startswith("\\\\", i):
            counts[-1] = 0  # a new table row
            i += 2
            continue
        if char == "\\":
            i += 2
            continue
        if char == "{":
            counts.append(0)
        elif char == "}" and len(counts) > 1:
            counts.pop()
        elif char == "&":
            counts[-1] = 0
        i += 1


def _unknown_command_error(tex: str, text: str) -> MathError:
    found = _COMMAND.search(text)
    command = found.group(0) if found else text
    offset = tex.find(command)
    suggestion = difflib.get_close_matches(command, KNOWN_COMMANDS, n=1, cutoff=0.8)
    hint = f"did you mean {suggestion[0]}?" if suggestion else \
        "latex2mathml does not know this command; use a supported one"
    return MathError(f"unknown or unsupported TeX command {command}", max(offset, 0), hint,
                     token=command)


def _check_tree(tex: str, element: etree.Element) -> None:
    for node in element.iter():
        tag = node.tag.split("}")[-1]
        text = node.text or ""
        if "\\" in text:
            raise _unknown_command_error(tex, text)
        if _STRAY_AMP.search(text):
            raise MathError(
                "'&' outside a matrix or cases environment", max(tex.find("&"), 0),
                "write \\& for an ampersand, or use \\begin{matrix} ... \\end{matrix}",
            )
        expected = ARITY.get(tag)
        if expected is not None and len(node) != expected:
            raise MathError(
                f"<{tag}> needs {expected} parts but the formula gives {len(node)}",
                0, "a command such as \\frac, \\sqrt[n], ^ or _ is missing an argument",
            )


def _text(value: str) -> str:
    """latex2mathml leaves entities like ``&#x02211;`` in element text;
    turn them into characters, then escape for HTML."""
    value = _NUMERIC_REF.sub(lambda m: html.unescape(m.group(0)), value)
    return html.escape(value, quote=False)


def _serialise(node: etree.Element, out: list[str]) -> None:
    tag = node.tag.split("}")[-1]
    attrs = "".join(
        f' {name}="{html.escape(_NUMERIC_REF.sub(lambda m: html.unescape(m.group(0)), value))}"'
        for name, value in node.attrib.items()
    )
    if not len(node) and not node.text:
        out.append(f"<{tag}{attrs}/>" if tag in ("mspace", "none", "mprescripts") else f"<{tag}{attrs}></{tag}>")
    else:
        out.append(f"<{tag}{attrs}>")
        if node.text:
            out.append(_text(node.text))
        for child in node:
            _serialise(child, out)
        out.append(f"</{tag}>")
    if node.tail:
        out.append(_text(node.tail))


def tex_to_mathml(tex: str, display: bool = False) -> str:
    """Convert TeX to a ``<math>`` element with the TeX kept as an annotation.

    Raises :class:`MathError` (with the offset of the problem in ``tex``) for
    malformed or unsupported TeX.
    """
    source = tex.strip()
    if not source:
        raise MathError("empty formula", 0)
    _check_braces(source)
    _check_environments(source)
    _check_arguments(source)
    _check_infix_fractions(source)
    try:
        root = convert_to_element(source, display="block" if display else "inline")
    except Exception as error:
        name = type(error).__name__
        message = LIBRARY_ERRORS.get(name, f"invalid TeX ({name})")
        raise MathError(message, 0, "check the formula against TeX syntax") from error
    _check_tree(source, root)

    body: list[str] = []
    children = list(root)
    if len(children) == 1:
        _serialise(children[0], body)
    else:
        body.append("<mrow>")
        for child in children:
            _serialise(child, body)
        body.append("</mrow>")
    mode = "block" if display else "inline"
    return (
        f'<math xmlns="{MATHML_NS}" display="{mode}">'
        f"<semantics>{''.join(body)}"
        f'<annotation encoding="{TEX_ENCODING}">{html.escape(source, quote=False)}</annotation>'
        f"</semantics></math>"
    )


# --------------------------------------------------------------------------
# Markdown extension


class _SourcePreprocessor(Preprocessor):
    """Keep the text given to ``convert`` so errors can name a line."""

    def __init__(self, md, ext: MathExtension):
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        self.ext.source = "\n".join(lines)
        # A ContentError raised mid-parse leaves the block parser's state
        # stack (list, looselist, ...) behind; start every document clean.
        del self.md.parser.state[:]
        return lines


class _MathRenderer:
    def __init__(self, md, ext: MathExtension):
        self.md = md
        self.ext = ext

    def render(self, tex: str, display: bool, delimited: Iterable[str], block: bool = False) -> str:
        """Convert and stash; display math is wrapped in a ``math-display`` box,
        a ``<div>`` when it stands on its own (``block``), else a ``<span>``."""
        try:
            markup = tex_to_mathml(tex, display=display)
        except MathError as error:
            raise self.ext.content_error(tex, delimited, error) from None
        if display:
            wrapper = "div" if block else "span"
            markup = f'<{wrapper} class="math-display">{markup}</{wrapper}>'
        return self.md.htmlStash.store(markup)


class InlineMathProcessor(InlineProcessor):
    r"""``$...$`` and ``$$...$$`` inside paragraphs, list items, table cells.

    Runs after code spans (so they are left alone) and before backslash
    escapes (so TeX's ``\{`` and ``\\`` reach the formula untouched).
    """

    PATTERN = r"\\\\|\\\$|\$\$?"

    def __init__(self, md, ext: MathExtension):
        super().__init__(self.PATTERN, md)
        self.renderer = _MathRenderer(md, ext)

    def handleMatch(self, m, data):
        token = m.group(0)
        if token == "\\\\":
            return None, None, None  # an escaped backslash: leave it to Markdown
        if token == "\\$":
            return "$", m.start(0), m.end(0)
        if token == "$$":
            close = data.find("$$", m.end(0))
            if close < 0 or not data[m.end(0):close].strip():
                return None, None, None
            tex = data[m.end(0):close]
            html_ = self.renderer.render(tex, True, ["$$" + tex + "$$", tex])
            return html_, m.start(0), close + 2
        close = self._closing(data, m.end(0))
        if close is None:
            return None, None, None
        tex = data[m.end(0):close]
        return self.renderer.render(tex, False, ["$" + tex + "$", tex]), m.start(0), close + 1

    @staticmethod
    def _closing(data: str, start: int) -> int | None:
        """Index of the ``$`` closing inline math opened just before ``start``."""
        if start >= len(data) or data[start].isspace():
            return None
        i = start
        while i < len(data):
            char = data[i]
            if char == "\\":
                if data.startswith("\\text{", i):
                    depth, j = 0, i + 5
                    while j < len(data):
                        if data[j] == "\\":
                            j += 2
                            continue
                        if data[j] == "{":
                            depth += 1
                        elif data[j] == "}":
                            depth -= 1
                            if depth == 0:
                                break
                        j += 1
                    i = j + 1
                else:
                    i += 2
                continue
            if char.isspace():
                j = i
                while j < len(data) and data[j].isspace():
                    j += 1
                if j < len(data) and data[j] == "$":
                    return None  # "$5 and $10": a closing $ after a space
                i = j
                continue
            if char == "$":
                if i + 1 < len(data) and data[i + 1].isdigit():
                    return None
                return i
            i += 1
        return None


class DisplayMathProcessor(BlockProcessor):
    """A block starting with ``$$``: display math, possibly over many lines."""

    START = re.compile(r"^ {0,3}\$\$")

    def __init__(self, parser, ext: MathExtension):
        super().__init__(parser)
        self.renderer = _MathRenderer(parser.md, ext)
        self.ext = ext

    def test(self, parent, block):
        opening = self.START.match(block)
        if not opening:
            return False
        close = block.find("$$", opening.end())
        if close < 0:
            return True  # unclosed: run() reports it
        # Text after the closing $$ on the same line: an ordinary paragraph
        # with display math in it (handled inline, as pandoc does).
        line_end = block.find("\n", close)
        tail = block[close + 2:] if line_end < 0 else block[close + 2:line_end]
        return not tail.strip()

    def run(self, parent, blocks):
        block = blocks.pop(0)
        opening = self.START.match(block)
        rest = block[opening.end():]
        close = rest.find("$$")
        if close < 0:
            tex = rest
            raise self.ext.content_error(
                tex, ["$$" + tex, tex.strip().split("\n")[0] or "$$"],
                MathError("display math opened with $$ is never closed", -1,
                          "end the formula with $$ (display math cannot contain a blank line)"),
            )
        tex = rest[:close]
        after = rest[close + 2:]
        if not tex.strip():
            raise self.ext.content_error(tex, ["$$" + tex + "$$"], MathError("empty display formula", 0))
        paragraph = etree.SubElement(parent, "p")
        first_line = next((line.strip() for line in tex.split("\n") if line.strip()), tex)
        paragraph.text = self.renderer.render(
            tex, True, ["$$" + tex + "$$", tex, first_line], block=True)
        after = after.lstrip(" \t")
        if after.startswith("\n"):
            after = after[1:]
        if after.strip():
            blocks.insert(0, after)


class MathExtension(Extension):
    """Register with ``markdown.Markdown(extensions=["blogtools.plugins.mathml"])``."""

    def __init__(self, **kwargs):
        self.config = {}
        super().__init__(**kwargs)
        self.source = ""

    def reset(self):
        self.source = ""

    def extendMarkdown(self, md):
        md.registerExtension(self)
        # Python-Markdown counts <math> as block-level, which would strip the
        # <p> around a paragraph holding nothing but one inline formula.
        if "math" in md.block_level_elements:
            md.block_level_elements = [t for t in md.block_level_elements if t != "math"]
        md.preprocessors.register(_SourcePreprocessor(md, self), "mathml_source", 1000)
        md.parser.blockprocessors.register(DisplayMathProcessor(md.parser, self), "mathml_display", 76)
        md.inlinePatterns.register(InlineMathProcessor(md, self), "mathml_inline", 185)

    # -- errors ------------------------------------------------------------

    def content_error(self, tex: str, needles: Iterable[str], error: MathError) -> ContentError:
        """A ContentError on the line of the problem in the original source."""
        start = self._find(needles)
        line = None
        if start is not None:
            position = start
            core = tex.strip()
            tex_start = self.source.find(core, start) if core else -1
            if error.offset < 0:  # the problem is the opening delimiter itself
                pass
            elif 0 <= tex_start - start <= 4:  # the formula as written, just after $ or $$
                position = tex_start + min(max(error.offset, 0), len(core))
            elif error.token:  # e.g. an indented formula in a list item
                token_at = self.source.find(error.token, start)
                if token_at >= 0:
                    position = token_at
            line = self.source.count("\n", 0, position) + 1
        shown = " ".join(tex.split())
        if len(shown) > 60:
            shown = shown[:57] + "..."
        return ContentError(f"bad math ${shown}$: {error.message}", line=line, hint=error.hint)

    def _find(self, needles: Iterable[str]) -> int | None:
        for needle in needles:
            if needle:
                index = self.source.find(needle)
                if index >= 0:
                    return index
        return None


def makeExtension(**kwargs):
    return MathExtension(**kwargs)
