"""Hugo's built-in shortcodes, rendered at build time (imported Hugo sites only).

A Python-Markdown preprocessor, run before any other Markdown rule as Hugo runs
shortcodes before Goldmark: ``{{< name args >}}`` and ``{{% name args %}}``, paired
with ``{{< /name >}}`` where the shortcode takes inner text, and ``{{</* ... */>}}``
(shown as typed). Supported, with Hugo 0.168's output:

* ``ref`` and ``relref`` (a content file's permalink or address, with ``#fragment``);
* ``param`` (the page's front matter, else the site's ``[params]``);
* ``figure`` (``src``, ``alt``, ``title``, ``caption``, ``link``, ``class``, ``width``, ``height``);
* ``highlight`` (Pygments, the site's code style), ``details`` (``summary``, ``open``);
* the embeds ``youtube``, ``vimeo``, ``gist``, ``x``/``tweet``/``twitter``, ``instagram``:
  a link card, or an iframe with ``HUGO_EMBEDS = "iframe"`` (:mod:`blogtools.plugins.hugo_embeds`).

A site's own shortcode renders with its Jinja template ``HUGO_SHORTCODES/NAME.html``
(the importer translates ``layouts/shortcodes/NAME.html`` into it;
:mod:`blogtools.plugins.hugo_templates`): ``{{< >}}`` output is kept as HTML,
``{{% %}}`` output is read as Markdown, as in Hugo. Any other shortcode stops
the build at its file and line, naming it and the template to write. HTML a
shortcode makes is kept even when Goldmark's ``unsafe`` is off, as in Hugo.
"""

from __future__ import annotations

import functools
import html
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from jinja2 import TemplateError
from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markupsafe import Markup
from pygments import highlight as pygmentize
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from blogtools.errors import ContentError
from blogtools.plugins import hugo_embeds, hugo_templates, hugo_urls

SHORTCODE = re.compile(r"\{\{(<|%)(/\*)?\s*(/?)\s*([\w.-]+)(.*?)(\*/)?\s*(>|%)\}\}", re.S)
ARGUMENT = re.compile(r'(?:([\w-]+)=)?("(?:[^"\\]|\\.)*"|`[^`]*`|[^\s"`]+)')
PAIRED = {"highlight", "details"}
SUPPORTED = PAIRED | {"ref", "relref", "param", "figure"} | set(hugo_embeds.EMBEDS)


def _inner(text: str, name: str, start: int, line: int) -> tuple[str, int]:
    """The text of a paired shortcode from ``start`` to its closing tag, and where that tag ends."""
    closing = re.compile(r"\{\{(<|%)\s*/\s*" + re.escape(name) + r"\s*(>|%)\}\}")
    close = closing.search(text, start)
    if close is None:
        raise ContentError(f"shortcode '{name}' is never closed", line=line,
                           hint=f"add {{{{< /{name} >}}}} after its text")
    return text[start:close.start()], close.end()


@dataclass
class PageContext:
    """What a shortcode may read: the page, its front matter, the site."""

    relative: str  # the content file, relative to the content folder
    front: dict
    settings: dict = field(default_factory=dict)
    # A content file (relative to the content folder) -> the URL path Hugo gives it.
    address_of: Callable[[str], str] = lambda relative: "/"
    # Markdown → HTML with the site's rules (a site shortcode's ``markdownify``).
    markdownify: Callable[[str], str] = html.escape


@functools.lru_cache(maxsize=8)
def site_templates(folder: str):
    """The Jinja environment of a site's own shortcodes (one per folder, for every page)."""
    return hugo_templates.environment(folder)


def site_template(settings: dict, name: str):
    """The template path of the site's own shortcode ``name``, or None if there is none."""
    folder = settings.get("HUGO_SHORTCODES")
    path = os.path.join(folder, f"{name}.html") if folder else ""
    return path if path and os.path.isfile(path) else None


def parse_arguments(text: str) -> tuple[list[str], dict[str, str]]:
    positional, named = [], {}
    for match in ARGUMENT.finditer(text):
        value = match.group(2)
        if value[0] == '"':
            value = value[1:-1].encode().decode("unicode_escape")
        elif value[0] == "`":
            value = value[1:-1]
        if match.group(1):
            named[match.group(1)] = value
        else:
            positional.append(value)
    return positional, named


def resolve_ref(target: str, page: PageContext) -> tuple[str, str]:
    """``(URL path, fragment)`` of the content file ``target`` names, as Hugo's ``ref`` finds it."""
    path, _, fragment = target.partition("#")
    root = page.settings["PATH"]
    if not path:
        source = page.relative
    else:
        source = _find(path, page.relative, root)
        if source is None:
            raise ContentError(f"ref \"{target}\": no content file matches",
                               hint="give the path from content/, e.g. posts/x.md")
    return page.address_of(source), fragment


def _find(path: str, current: str, root: str) -> str | None:
    bases = [path.lstrip("/")] if path.startswith("/") else \
        [os.path.normpath(os.path.join(os.path.dirname(current), path)), path]
    for base in bases:
        for candidate in (base, base + ".md", f"{base}/index.md", f"{base}/_index.md"):
            if os.path.isfile(os.path.join(root, candidate)):
                return candidate.replace(os.sep, "/")
    matches = [os.path.relpath(os.path.join(d, f), root).replace(os.sep, "/")
               for d, _, files in os.walk(root) for f in files
               if f == os.path.basename(path) or f == os.path.basename(path) + ".md"]
    return matches[0] if len(matches) == 1 else None


LEAF_BUNDLE_PAGE = re.compile(r"index(\.[\w-]+)?\.(md|markdown)$")


def resource_url(src: str, page: PageContext) -> str:
    """Hugo's ``figure``: a relative ``src`` naming a file of the page's leaf bundle is that
    file's address (``/2023/03/post/diagram.png``), so the image shows wherever the page's
    HTML goes (a list page's summary, a feed); any other ``src`` stays as written."""
    path = src.removeprefix("./")
    if not path or path.startswith(("/", "#")) or ":" in path \
            or not LEAF_BUNDLE_PAGE.fullmatch(os.path.basename(page.relative)):
        return src
    folder = os.path.dirname(page.relative)
    if not os.path.isfile(os.path.join(page.settings.get("PATH", ""), folder, path)):
        return src
    page_dir = os.path.dirname(hugo_urls.save_as(page.address_of(page.relative)))
    return f"/{page_dir}/{path}" if page_dir else f"/{path}"


def figure(named: dict, inline) -> str:
    image = f'<img src="{html.escape(named.get("src", ""))}"'
    for key in ("alt", "width", "height"):
        if key in named:
            image += f' {key}="{html.escape(named[key])}"'
    image += ">"
    if named.get("link"):
        image = f'<a href="{html.escape(named["link"])}">{image}</a>'
    caption = ""
    if named.get("title") or named.get("caption"):
        caption = "<figcaption>"
        if named.get("title"):
            caption += f"<h4>{html.escape(named['title'])}</h4>"
        if named.get("caption"):
            caption += f"<p>{inline(named['caption'])}</p>"
        caption += "</figcaption>"
    css = f' class="{html.escape(named["class"])}"' if named.get("class") else ""
    return f"<figure{css}>{image}{caption}</figure>"


def highlight_options(options: str) -> dict:
    """Pygments' formatter options from the highlight shortcode's ``"linenos=table,hl_lines=2
    4-5,linenostart=10"``: line numbers in a table or inline, highlighted lines (counted from
    the block's first line, as Hugo counts them) and the first line's number."""
    found: dict = {}
    for option in filter(None, (part.strip() for part in options.split(","))):
        key, _, value = option.partition("=")
        key, value = key.strip().lower(), value.strip().strip('"')
        if key == "linenos":
            found["linenos"] = {"table": "table", "inline": "inline", "true": "inline"}.get(value.lower(), False)
        elif key == "hl_lines":
            lines = []
            for part in value.split():
                first, _, last = part.partition("-")
                if first.isdigit() and (not last or last.isdigit()):
                    lines.extend(range(int(first), int(last or first) + 1))
            found["hl_lines"] = lines
        elif key == "linenostart" and value.isdigit():
            found["linenostart"] = int(value)
    return found


def highlight(code: str, language: str, style: str, options: str = "") -> str:
    try:
        lexer = get_lexer_by_name(language) if language else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    return pygmentize(code.strip("\n") + "\n", lexer,
                      HtmlFormatter(cssclass=style, **highlight_options(options)))


class Shortcodes(Preprocessor):
    def __init__(self, md, page: PageContext):
        super().__init__(md)
        self.page = page

    def run(self, lines):
        return self.expand("\n".join(lines), 0).split("\n")

    def expand(self, text: str, line_offset: int) -> str:
        out, position = [], 0
        while True:
            match = SHORTCODE.search(text, position)
            if match is None:
                out.append(text[position:])
                return "".join(out)
            out.append(text[position:match.start()])
            line = line_offset + text.count("\n", 0, match.start()) + 1
            if match.group(2):  # {{</* x */>}}: shown as typed, without the comment marks
                literal = re.sub(r"^\{\{(<|%)/\*", r"{{\1", match.group(0))
                out.append(re.sub(r"\*/\s*(>|%)\}\}$", r"\1}}", literal))
                position = match.end()
                continue
            name, body, end = match.group(4), match.group(5), match.end()
            own = site_template(self.page.settings, name)  # the site's own wins, as in Hugo
            if match.group(3) or (name not in SUPPORTED and own is None):
                raise ContentError(f"shortcode '{name}' is not supported yet", line=line,
                                   hint=f"write its template shortcodes/{name}.html, or write it as Markdown "
                                        "or HTML, or remove it")
            closed = body.rstrip().endswith("/")
            body = body.rstrip().removesuffix("/")
            inner = None
            if own is not None:
                with open(own, encoding="utf-8") as handle:
                    takes_inner = re.search(r"\binner\b", handle.read()) is not None
                if takes_inner and not closed:
                    inner, end = _inner(text, name, end, line)
                out.append(self.own(name, *parse_arguments(body), inner, match.group(1) == "<", line))
                position = end
                continue
            if name in PAIRED:
                inner, end = _inner(text, name, end, line)
            out.append(self.render(name, *parse_arguments(body), inner, line))
            position = end

    def render(self, name, positional, named, inner, line) -> str:
        def get(index, key, default=""):
            return named.get(key, positional[index] if len(positional) > index else default)

        try:
            if name in ("ref", "relref"):
                path, fragment = resolve_ref(get(0, "path"), self.page)
                base = self.page.settings.get("PUBLIC_URL", "").rstrip("/") if name == "ref" else ""
                return base + path + (f"#{fragment}" if fragment else "")
            if name == "param":
                key = get(0, "name").lower()
                value = self.page.front.get(key, self.page.settings.get("HUGO_PARAMS", {}).get(key))
                if value is None:
                    raise ContentError(f"param '{key}' is neither in the front matter nor in [params]",
                                       hint="add it to one of them")
                return str(value)
            if name == "figure":
                return self.stash(figure({**named, "src": resource_url(named.get("src", ""), self.page)},
                                         self.inline))
            if name in hugo_embeds.EMBEDS:
                return self.stash(hugo_embeds.render(name, positional, named,
                                                     self.page.settings.get("HUGO_EMBEDS", "card")))
            if name == "highlight":
                style = self.page.settings.get("MARKDOWN", {}).get("extension_configs", {}) \
                    .get("markdown.extensions.codehilite", {}).get("css_class", "highlight")
                options = positional[1] if len(positional) > 1 else named.get("options", "")
                return "\n\n" + self.stash(highlight(inner, get(0, "lang"), style, options)) + "\n\n"
            # details
            opening = "<details open>" if named.get("open") in ("true", "1") else "<details>"
            summary = html.escape(named.get("summary", "Details"))
            inner_text = self.expand(inner, line).strip("\n")
            return (f"\n\n{self.stash(f'{opening}<summary>{summary}</summary>')}\n\n{inner_text}\n\n"
                    f"{self.stash('</details>')}\n\n")
        except ContentError as exc:
            raise ContentError(exc.message, line=exc.line or line, hint=exc.hint) from None
        except hugo_embeds.EmbedError as exc:
            raise ContentError(str(exc), line=line, hint=exc.hint) from None

    def own(self, name, positional, named, inner, angle, line) -> str:
        """The site's own shortcode ``name``, rendered with its translated template."""
        page, settings = self.page, self.page.settings

        def get(key):
            if isinstance(key, int):
                return positional[key] if 0 <= key < len(positional) else None
            return named.get(key)

        try:
            rendered = site_templates(settings["HUGO_SHORTCODES"]).get_template(f"{name}.html").render(
                get=get, inner=Markup(inner or ""), name=name, params=named or positional,
                is_named=bool(named), markdownify=lambda text: Markup(page.markdownify(str(text))),
                page={"Title": page.front.get("title", ""), "Params": page.front},
                site={"Title": settings.get("SITENAME", ""), "Params": settings.get("HUGO_PARAMS", {})})
        except (TemplateError, TypeError, ValueError, LookupError) as exc:
            raise ContentError(f"shortcode '{name}': its template shortcodes/{name}.html failed: {exc}",
                               line=line, hint="finish that template") from None
        return self.stash(rendered) if angle else rendered

    def stash(self, text: str) -> str:
        return self.md.htmlStash.store(text)

    def inline(self, text: str) -> str:
        rendered = Markdown(extensions=["markdown.extensions.smarty"]).convert(text)
        return rendered.removeprefix("<p>").removesuffix("</p>")


class HugoShortcodes(Extension):
    """Hugo's built-in shortcodes for one page (:class:`PageContext`)."""

    def __init__(self, page: PageContext, **kwargs):
        super().__init__(**kwargs)
        self.page = page

    def extendMarkdown(self, md):
        # After normalize_whitespace (30), which strips the stash's marker characters.
        md.preprocessors.register(Shortcodes(md, self.page), "hugo_shortcodes", 29.5)
