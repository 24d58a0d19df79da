"""A Hugo site's own shortcodes: Go templates translated once into starter Jinja templates.

:func:`translate` turns a ``layouts/shortcodes/NAME.html`` into a Jinja template
(the importer writes it to the new project's ``shortcodes/NAME.html``), and
:func:`environment` renders those templates at build time
(:mod:`blogtools.plugins.hugo_shortcodes`). The common forms are translated:

* ``.Get 0``, ``.Get "name"`` (also ``$.Get``) → ``get(0)``, ``get("name")``;
* ``.Inner`` → ``inner``; ``.Name``, ``.Params``, ``.IsNamedParams``, ``.Page.Title``,
  ``.Page.Params.x``, ``.Site.Title``, ``.Site.Params.x``;
* ``{{ with X }}`` (``.`` becomes X inside), ``{{ if X }}``, ``{{ else if X }}``,
  ``{{ else }}``, ``{{ range X }}`` (also ``range $v := X`` and ``range $i, $v := X``),
  ``{{ end }}``, ``{{ $x := X }}``, ``{{ . }}``, ``{{/* comments */}}``, ``{{-`` and ``-}}``;
* pipelines (``X | f Y`` is ``f Y X``) of the functions in :data:`FUNCTIONS`
  (``markdownify``, ``default``, ``printf``, ``safeHTML``, ``eq``, ``and``...).

Anything else (``partial``, ``resources``, ``.Ordinal``, a function not listed)
raises :class:`Untranslatable` with its line, so that the importer can say which
template to finish by hand. Output is HTML-escaped, as Go's ``html/template``
escapes it; ``.Inner``, ``markdownify`` and ``safeHTML`` are not.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from jinja2 import ChainableUndefined, Environment, FileSystemLoader
from markupsafe import Markup

# An action; a comment runs to its "*/" even if it holds "}}".
ACTION = re.compile(r"\{\{(-?)\s*(/\*.*?\*/|.*?)\s*(-?)\}\}", re.S)
TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*"|`[^`]*`)|(-?\d+(?:\.\d+)?)|(:=|=|\||\(|\)|,)'
                   r"|(\$\w*(?:\.\w+)*|(?:\.\w+)+|\.)|(\w+))")
# The shortcode's own fields → the names a translated template uses.
JINJA_MARK = re.compile(r"\{[{%#]")
FIELDS = {"Inner": "inner", "InnerDeindent": "inner", "Name": "name", "Params": "params",
          "IsNamedParams": "is_named", "Page": "page", "Site": "site"}


class Untranslatable(ValueError):
    """A Go template form :func:`translate` does not know, at ``line`` of the template."""

    def __init__(self, line: int, construct: str):
        super().__init__(f"{line}: cannot translate {{{{ {construct} }}}}")
        self.line = line
        self.construct = construct


def _printf(form, *args):
    # Go's verbs %s %v %d %q as Python's, enough for a starter template.
    form = re.sub(r"%v", "%s", str(form))
    form = form.replace("%q", '"%s"')
    return form % args


def _default(fallback, value=None):
    return value if value not in (None, "", 0, False, [], {}) else fallback


FUNCTIONS: dict[str, Callable] = {
    "default": _default, "printf": _printf, "safeHTML": Markup, "htmlEscape": html.escape,
    "upper": lambda s: str(s).upper(), "lower": lambda s: str(s).lower(), "title": lambda s: str(s).title(),
    "trim": lambda s, chars: str(s).strip(chars), "replace": lambda s, old, new: str(s).replace(old, new),
    "split": lambda s, sep: str(s).split(sep), "len": len, "index": lambda c, k: c[k],
    "eq": lambda a, *b: a in b, "ne": lambda a, b: a != b, "lt": lambda a, b: a < b, "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b, "not": lambda a: not a,
    "and": lambda *a: next((x for x in a if not x), a[-1]), "or": lambda *a: next((x for x in a if x), a[-1]),
    "in": lambda c, v: v in c, "isset": lambda c, k: (k in c) if isinstance(c, dict) else 0 <= int(k) < len(c),
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b,
    "string": str, "int": int, "urlize": lambda s: re.sub(r"\s+", "-", str(s).strip().lower()),
}
# markdownify is given per page, with the site's Markdown rules.
KNOWN = set(FUNCTIONS) | {"markdownify"}


def _tag(statement: str) -> str:
    return "{% " + statement + " %}"


def _tokens(text: str, line: int) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(text.rstrip()):
        match = TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise Untranslatable(line, text)
        kind = ("string", "number", "punct", "field", "word")[match.lastindex - 1]
        tokens.append((kind, match.group(match.lastindex)))
        position = match.end()
    return tokens


class _Translator:
    def __init__(self):
        self.dots: list[str] = []  # what "." is inside each with/range, innermost last
        self.blocks: list[str] = []  # open blocks: if, with, range
        self.line = 1
        self.action = ""

    def fail(self):
        raise Untranslatable(self.line, self.action)

    def operand(self, kind: str, value: str) -> str:
        if kind == "string":
            if value.startswith("`"):
                return repr(value[1:-1])
            return repr(value[1:-1].encode().decode("unicode_escape"))
        if kind == "number":
            return value
        if kind == "word":
            if value in ("true", "false"):
                return value.capitalize()
            if value == "nil":
                return "None"
            self.fail()
        # A field chain: ".", ".A.B", "$", "$.A", "$x.A"
        if value.startswith("$"):
            head, _, rest = value.partition(".")
            parts = [p for p in rest.split(".") if p]
            if head != "$":
                return ".".join([head[1:]] + parts)
            return self.fields(parts)
        parts = [p for p in value.split(".") if p]
        if self.dots:
            return ".".join([self.dots[-1]] + parts)
        return self.fields(parts)

    def fields(self, parts: list[str]) -> str:
        """Fields of the shortcode itself (``.Inner``, ``.Page.Params.x``)."""
        if not parts:
            self.fail()  # "." of the shortcode itself
        if parts[0] not in FIELDS:
            self.fail()
        out = [FIELDS[parts[0]]]
        for index, part in enumerate(parts[1:], 1):
            # Hugo's params are case-insensitive, kept lower-cased.
            out.append(part.lower() if parts[index - 1] == "Params" else part)
        return ".".join(out)

    def pipeline(self, tokens: list[tuple[str, str]]) -> str:
        commands, depth, current = [], 0, []
        for token in tokens:
            if token == ("punct", "|") and depth == 0:
                commands.append(current)
                current = []
                continue
            depth += token == ("punct", "(")
            depth -= token == ("punct", ")")
            current.append(token)
        commands.append(current)
        result = None
        for command in commands:
            result = self.command(command, result)
        return result

    def command(self, tokens, piped: str | None) -> str:
        if not tokens:
            self.fail()
        kind, value = tokens[0]
        extra = [piped] if piped is not None else []
        if kind == "word" and value not in ("true", "false", "nil"):
            if value not in KNOWN:
                self.fail()
            args = self.terms(tokens[1:]) + extra
            name = f"{value}_" if value in ("and", "or", "not", "in") else value  # Jinja's keywords
            return f"{name}({', '.join(args)})"
        if kind == "field" and value in (".Get", "$.Get"):
            args = self.terms(tokens[1:]) + extra
            if len(args) != 1 or (value == ".Get" and self.dots):
                self.fail()
            return f"get({args[0]})"
        terms = self.terms(tokens)
        if len(terms) != 1 or extra:
            self.fail()
        return terms[0]

    def terms(self, tokens) -> list[str]:
        """Each argument of a command, translated (a parenthesised pipeline counts as one)."""
        out, index = [], 0
        while index < len(tokens):
            kind, value = tokens[index]
            if (kind, value) == ("punct", "("):
                depth, end = 1, index + 1
                while end < len(tokens) and depth:
                    depth += tokens[end] == ("punct", "(")
                    depth -= tokens[end] == ("punct", ")")
                    end += 1
                if depth:
                    self.fail()
                out.append(f"({self.pipeline(tokens[index + 1:end - 1])})")
                index = end
                continue
            if kind == "punct":
                self.fail()
            out.append(self.operand(kind, value))
            index += 1
        return out

    def statement(self, body: str) -> str:
        """One action (without its braces and trim marks) as Jinja."""
        if body.startswith("/*") and body.endswith("*/"):
            return "{# " + body[2:-2].strip().replace("#}", "# }") + " #}"
        tokens = _tokens(body, self.line)
        if not tokens:
            self.fail()
        kind, word = tokens[0]
        rest = tokens[1:]
        if kind == "word" and word == "if":
            self.blocks.append("if")
            return _tag(f"if {self.pipeline(rest)}")
        if kind == "word" and word == "else":
            if not self.blocks:
                self.fail()
            if rest[:1] == [("word", "if")] and self.blocks[-1] == "if":
                return _tag(f"elif {self.pipeline(rest[1:])}")
            if rest:
                self.fail()
            return "{% else %}"
        if kind == "word" and word == "with":
            name = f"dot{len(self.dots) + 1}"
            value = self.pipeline(rest)
            self.dots.append(name)
            self.blocks.append("with")
            return _tag(f"with {name} = {value}") + _tag(f"if {name}")
        if kind == "word" and word == "range":
            if ("punct", ":=") in rest:
                split = rest.index(("punct", ":="))
                names = [value.lstrip("$") for kind_, value in rest[:split] if kind_ == "field"]
                value = self.pipeline(rest[split + 1:])
                if len(names) == 2:
                    loop = f"{names[0]}, {names[1]} in pairs({value})"
                elif len(names) == 1:
                    loop = f"{names[0]} in {value}"
                else:
                    self.fail()
                self.dots.append(names[-1])
            else:
                name = f"dot{len(self.dots) + 1}"
                loop = f"{name} in {self.pipeline(rest)}"
                self.dots.append(name)
            self.blocks.append("range")
            return _tag(f"for {loop}")
        if kind == "word" and word == "end":
            if not self.blocks or rest:
                self.fail()
            block = self.blocks.pop()
            if block == "if":
                return "{% endif %}"
            self.dots.pop()
            return "{% endif %}{% endwith %}" if block == "with" else "{% endfor %}"
        if kind == "field" and word.startswith("$") and len(rest) > 1 and rest[0][1] in (":=", "="):
            return _tag(f"set {word[1:]} = {self.pipeline(rest[1:])}")
        if kind == "word" and word in ("define", "block", "template", "partial", "break", "continue"):
            self.fail()
        return "{{ " + self.pipeline(tokens) + " }}"


def translate(source: str) -> str:
    """The Jinja template for the Go template ``source`` of a shortcode (see the module's docstring)."""
    translator = _Translator()
    out, position = [], 0
    for match in ACTION.finditer(source):
        translator.line = source.count("\n", 0, match.start()) + 1
        translator.action = match.group(2)
        text = source[position:match.start()]
        if match.group(1):
            text = text.rstrip()
        out.append(_literal(text))
        jinja = translator.statement(match.group(2))
        out.append(jinja)
        position = match.end()
        if match.group(3):
            while position < len(source) and source[position].isspace():
                position += 1
    if translator.blocks:
        translator.line = source.count("\n") + 1
        translator.action = "end"
        raise Untranslatable(translator.line, f"{translator.blocks[-1]} ... (never closed)")
    out.append(_literal(source[position:]))
    return "".join(out)


def _literal(text: str) -> str:
    """Text between actions, with what Jinja would read as its own marks printed as text."""
    return JINJA_MARK.sub(lambda m: "{{ '" + m.group(0) + "' }}", text)


def _pairs(value):
    return list(value.items()) if isinstance(value, dict) else list(enumerate(value))


def environment(folder: str) -> Environment:
    """The Jinja environment for the translated templates in ``folder``."""
    env = Environment(loader=FileSystemLoader(folder), autoescape=True, undefined=ChainableUndefined,
                      keep_trailing_newline=True)  # as Go templates keep it
    env.globals.update(FUNCTIONS)
    env.globals.update({"and_": FUNCTIONS["and"], "or_": FUNCTIONS["or"], "not_": FUNCTIONS["not"],
                        "in_": FUNCTIONS["in"], "pairs": _pairs})
    return env
