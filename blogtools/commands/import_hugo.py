"""Import a Hugo site as a new blog project: ``invoke import-hugo SITE_DIR --into NEW_DIR``.

Also ``python -m blogtools.commands.import_hugo SITE_DIR --into NEW_DIR``. It
refuses a ``NEW_DIR`` that exists and is not empty, and builds the project in a
folder beside it that is renamed into place only when complete, so a failed
import leaves nothing behind. The project has:

* ``content/``: the Hugo content files, byte for byte (the site is read as Hugo
  reads it, by :mod:`blogtools.plugins.hugo_content`, never converted);
* ``static/``: Hugo's static files, served at the site root;
* ``theme/``, ``tasks.py``, ``publishconf.py`` and ``base_pelicanconf.py``: ours,
  copied, with ``theme-files/`` (the favicon the theme links to);
* ``pelicanconf.py``: generated; it runs ``base_pelicanconf.py`` and sets what
  the Hugo config says (title, baseURL, author, params, permalinks, taxonomies,
  summaryLength, uglyURLs, disableKinds, timeZone, locale/languageCode,
  ``[languages]`` and defaultContentLanguage, and ``[markup.goldmark]``'s unsafe,
  typographer and extensions; canonifyURLs needs nothing, see :func:`translate`),
  with ``HUGO_EMBEDS = "card"``;
* ``shortcodes/``: the site's own shortcodes as Jinja templates;
* ``templates/index.html``: the theme's home page with ``content/_index.md``'s title
  and text, as Hugo's home shows them (the theme's own copy links its not-found page
  to the site's tags list, wherever that is); a ``static/robots.txt`` is published as
  it is, in place of the one our robots plugin writes.

The site's own shortcodes (``layouts/shortcodes/*.html``) are translated into
Jinja templates in ``shortcodes/`` (:mod:`blogtools.plugins.hugo_templates`); one
it cannot translate, if the content uses it, fails the import with the content
file and line, the shortcode and the template line to finish. The report also
lists, at their file and line, the shortcodes the build cannot render yet (each
stops the build there), and the folders not imported (``layouts/``...).

The Hugo config is ``hugo.toml|yaml|json``, ``config.toml|yaml|json`` or a
``config/_default/`` folder. Every key it cannot translate is printed in one
report, ``file: key: why``, and the import still succeeds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

import blogtools
from blogtools.plugins import hugo_templates
from blogtools.plugins.hugo_shortcodes import SHORTCODE, SUPPORTED

PROJECT = Path(blogtools.__file__).resolve().parent.parent
CONFIG_NAMES = [f"{stem}.{ext}" for stem in ("hugo", "config") for ext in ("toml", "yaml", "yml", "json")]
DEFAULT_TAXONOMIES = {"tag": "tags", "category": "categories"}
# Plugins an imported site does without: taxonomy_slugs (Hugo's own term addresses
# are set by hugo_content) and the speed wing (not yet checked on imported sites).
LEFT_OUT = ("blogtools.plugins.taxonomy_slugs", "blogtools.plugins.speed")
ROBOTS_PLUGIN = "blogtools.plugins.robots"
# disableKinds entries the imported site honours.
LIST_KINDS = ("section", "taxonomy", "term", "rss")
# Keys Hugo uses only for its own build, with no effect on the published pages.
NO_EFFECT = {"theme", "themesdir", "publishdir",
             "contentdir", "staticdir", "layoutdir", "datadir", "assetdir", "resourcedir",
             "archetypedir", "enablerobotstxt", "enablegitinfo", "builddrafts", "buildfuture",
             "buildexpired", "module", "build", "caches", "imaging", "minify", "security",
             "server", "outputformats", "mediatypes"}


class ImportError_(Exception):
    """A refusal with a message for the author; nothing was written."""


@dataclass
class HugoConfig:
    values: dict = field(default_factory=dict)
    # lower-cased key -> (file, key as written)
    origin: dict = field(default_factory=dict)


def load_config(site: Path) -> HugoConfig:
    """The site's configuration, from its one config file or its ``config/_default`` folder."""
    config = HugoConfig()
    files = [site / name for name in CONFIG_NAMES if (site / name).is_file()]
    folder = site / "config" / "_default"
    if folder.is_dir():
        files += sorted(p for p in folder.iterdir() if p.suffix in (".toml", ".yaml", ".yml", ".json"))
    if not files:
        raise ImportError_(f"{site}: no Hugo config (hugo.toml, config.toml, config.yaml, "
                           "config.json or config/_default/) (is this a Hugo site folder?)")
    for path in files:
        data = parse_config(path)
        stem = path.stem
        if path.parent == folder and stem not in ("hugo", "config"):
            data = {stem: data}  # config/_default/params.toml holds [params]
        for key, value in data.items():
            config.values[key.lower()] = value
            config.origin[key.lower()] = (path, key)
    return config


def parse_config(path: Path) -> dict:
    text = path.read_text(encoding="utf-8-sig")
    try:
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = yaml.safe_load(text) or {}
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ImportError_(f"{path}: cannot read the Hugo config: {exc}") from None
    if not isinstance(data, dict):
        raise ImportError_(f"{path}: the Hugo config is not a table of keys")
    return data


def lower_keys(value):
    if isinstance(value, dict):
        return {str(k).lower(): lower_keys(v) for k, v in value.items()}
    return value


def translate(config: HugoConfig, site: Path) -> tuple[dict, list[str]]:
    """``(settings, report lines)``: Pelican settings from the Hugo config, and what was left."""
    settings: dict = {}
    report: list[str] = []

    def left(key: str, why: str, sub: str = ""):
        path, written = config.origin[key]
        name = written + (f".{sub}" if sub else "")
        report.append(f"{path.relative_to(site)}: {name}: {why}")

    values = config.values
    taxonomies = DEFAULT_TAXONOMIES
    for key, value in values.items():
        if key == "title":
            settings["SITENAME"] = str(value)
        elif key == "baseurl":
            settings["PUBLIC_URL"] = str(value).rstrip("/")
        elif key == "author":
            name = value.get("name") if isinstance(value, dict) else value
            settings["AUTHOR"] = str(name)
        elif key == "params":
            params = lower_keys(value)
            settings["HUGO_PARAMS"] = params
            if isinstance(params.get("author"), str):
                settings["AUTHOR"] = params["author"]
            elif isinstance(params.get("author"), dict) and params["author"].get("name"):
                settings["AUTHOR"] = str(params["author"]["name"])
            if isinstance(params.get("description"), str):
                settings["SITE_DESCRIPTION"] = params["description"]
        elif key == "permalinks":
            links = lower_keys(value)
            pages = links.pop("page", None)
            permalinks = {k: v for k, v in links.items() if isinstance(v, str)}
            if isinstance(pages, dict):
                permalinks.update(pages)
            for kind in ("section", "term", "taxonomy"):
                if kind in links:
                    left(key, "list page addresses are not translated yet", kind)
            settings["HUGO_PERMALINKS"] = permalinks
        elif key == "taxonomies":
            taxonomies = {str(k): str(v) for k, v in (value or {}).items()}
        elif key == "summarylength":
            settings["HUGO_SUMMARY_LENGTH"] = int(value)
        elif key == "uglyurls":
            if isinstance(value, dict):
                left(key, "per-section uglyURLs is not translated yet")
            else:
                settings["HUGO_UGLY_URLS"] = bool(value)
        elif key == "disablekinds":
            kinds = [str(kind).lower() for kind in value]
            settings["HUGO_DISABLE_KINDS"] = [k for k in kinds if k in LIST_KINDS]
            for kind in kinds:
                if kind not in LIST_KINDS:
                    left(key, "not translated yet (only section, taxonomy, term and rss are)", kind)
        elif key == "markup":
            settings["HUGO_GOLDMARK"] = goldmark_rules(value, lambda sub, why, key=key: left(key, why, sub))
        elif key == "languages":
            settings["HUGO_LANGUAGES"] = languages(value, lambda sub, why, key=key: left(key, why, sub))
        elif key == "defaultcontentlanguage":
            settings["HUGO_DEFAULT_LANGUAGE"] = str(value)
        elif key == "canonifyurls":
            # Nothing to set: root_links prefixes every root-relative link with SITEURL, and
            # publishconf.py's SITEURL is the old baseURL, so published links are absolute as
            # canonifyURLs made them (the preview keeps them relative, to work locally).
            continue
        elif key == "menus" or key == "menu":
            items, entries = main_menu(value), menu_entries(value)
            if items:
                settings["MENUITEMS"] = items
            for entry in entries:
                if not entry.startswith("main: ") or entry.endswith(" -> "):
                    left(key, "not shown: the theme shows the main menu's entries that have a url, "
                              f"not this one (give it a url, or link to it from a page: {entry})")
        elif key == "timezone":
            settings["TIMEZONE"] = str(value)
        elif key in ("languagecode", "locale"):
            settings["DEFAULT_LANG"] = str(value)
        elif key in NO_EFFECT:
            continue
        else:
            left(key, "not translated")
    settings["HUGO_TAXONOMIES"] = taxonomies
    settings.setdefault("TIMEZONE", "UTC")
    if settings.get("HUGO_LANGUAGES"):
        default = settings.setdefault("HUGO_DEFAULT_LANGUAGE", "en")  # Hugo's default
        own = settings["HUGO_LANGUAGES"].get(default, {})
        if own.get("title"):
            settings.setdefault("SITENAME", own["title"])
        settings["DEFAULT_LANG"] = own.get("locale") or default
    else:
        settings.pop("HUGO_DEFAULT_LANGUAGE", None)
    return settings, report


LANGUAGE_KEYS = ("title", "weight", "locale", "languagecode", "languagename", "languagedirection", "label",
                 "direction")


def languages(table, left) -> dict:
    """HUGO_LANGUAGES from ``[languages]``: code → title, weight and locale, by weight as Hugo orders them;
    ``left(key, why)`` for each key of a language it does not translate (contentDir, menus, params...)."""
    found = {}
    for code, spec in (table or {}).items():
        spec = lower_keys(spec or {})
        found[str(code)] = {"title": str(spec.get("title") or ""), "weight": int(spec.get("weight") or 0),
                            "locale": str(spec.get("locale") or spec.get("languagecode") or "")}
        for key in spec:
            if key not in LANGUAGE_KEYS:
                left(f"{code}.{key}", "not translated yet (per-language settings other than title and locale)")
    return dict(sorted(found.items(), key=lambda item: (item[1]["weight"] or 1 << 30, item[0])))


# [markup.goldmark] keys (lower-cased, dotted below markup.goldmark) -> HUGO_GOLDMARK rule.
GOLDMARK_KEYS = {
    "renderer.unsafe": "unsafe", "extensions.strikethrough": "strikethrough",
    "extensions.linkify": "linkify", "extensions.tasklist": "tasklist", "extensions.table": "table",
    "extensions.footnote": "footnote", "extensions.definitionlist": "definitionlist",
    "extensions.typographer": "typographer",
}


def main_menu(menus) -> list[tuple[str, str]]:
    """MENUITEMS, the theme's navigation, from the main menu's entries with a ``url``, by
    weight as Hugo orders them: ``(name, address)``, the address relative to the site's
    root (``about/``) or a whole URL for another site."""
    entries = (menus or {}).get("main") or []
    entries = entries if isinstance(entries, list) else [entries]
    items = []
    for entry in sorted((lower_keys(e) for e in entries if isinstance(e, dict)),
                        key=lambda e: (e.get("weight") or 0, str(e.get("name", "")))):
        url = str(entry.get("url") or "")
        if url and not entry.get("pageref"):
            items.append((str(entry.get("name", entry.get("identifier", url))),
                          url if "://" in url else url.lstrip("/")))
    return items


def menu_entries(menus) -> list[str]:
    """``main: About -> /about/`` for each entry of ``[menus]``, by menu and weight, as Hugo orders them."""
    out = []
    for menu, entries in (menus or {}).items():
        entries = entries if isinstance(entries, list) else [entries]
        for entry in sorted((lower_keys(e) for e in entries if isinstance(e, dict)),
                            key=lambda e: (e.get("weight") or 0, str(e.get("name", "")))):
            target = "" if entry.get("pageref") else entry.get("url") or ""
            out.append(f"{menu}: {entry.get('name', entry.get('identifier', '?'))} -> {target}")
    return out


def goldmark_rules(markup, left) -> dict:
    """HUGO_GOLDMARK from ``[markup]``; ``left(key, why)`` for every leaf it cannot translate."""
    rules: dict = {}
    for dotted, value in leaves(markup):
        lower = dotted.lower().removeprefix("goldmark.")
        if lower == "extensions.typographer.disable":
            rules["typographer"] = not value
        elif dotted.lower().startswith("goldmark.") and lower in GOLDMARK_KEYS and isinstance(value, bool):
            rules[GOLDMARK_KEYS[lower]] = value
        elif dotted.lower() == "goldmark.extensions.linkifyprotocol" and value in ("http", "https"):
            rules["linkifyprotocol"] = value
        elif dotted.lower() != "defaultmarkdownhandler" or value != "goldmark":
            left(dotted, "not translated")
    return rules


def leaves(table, prefix=""):
    """``(dotted key, value)`` of every value in nested tables."""
    for key, value in table.items():
        if isinstance(value, dict) and value:
            yield from leaves(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


SETTINGS_TEMPLATE = '''"""Settings of the blog imported from a Hugo site (blogtools.commands.import_hugo).

``base_pelicanconf.py`` holds the toolchain's own settings; this file sets what
the Hugo config said. Content is read as Hugo reads it (blogtools.plugins.hugo_content).
"""

import os
import runpy

ROOT = os.path.dirname(os.path.abspath(__file__))
_base = runpy.run_path(os.path.join(ROOT, "base_pelicanconf.py"))
globals().update({{name: value for name, value in _base.items() if name.isupper()}})

# Translated from the Hugo config.
{translated}
PUBLIC_URL = os.environ.get("BLOG_PUBLIC_URL", PUBLIC_URL)

# Hugo's content layout: every content file is a page of the site at Hugo's address;
# other files in content/ are published beside them; static/ is served at the root.
ARTICLE_PATHS = [""]
PAGE_PATHS = []
STATIC_PATHS = [""]
EXTRA_PATH_METADATA = {{}}
# theme-files/ holds what the theme links to (the favicon); static/ wins on a clash.
THEME_STATIC_PATHS = [os.path.join(ROOT, name) for name in ("theme-files", "static")
                      if os.path.isdir(os.path.join(ROOT, name))]
THEME_STATIC_DIR = ""
# templates/: the theme's templates this site changes (the home page shows content/_index.md).
THEME_TEMPLATES_OVERRIDES = [os.path.join(ROOT, "templates")]
# Sections, taxonomies and terms are Hugo's list pages (hugo_content), not Pelican's.
DIRECT_TEMPLATES = ["index", "authors", "archives", "404"]
TAG_URL = {tag_url!r}
TAG_SAVE_AS = ""
# The theme's "Tags" link: the tags taxonomy page (or the first taxonomy's, or the archives).
TAGS_URL = {tags_url!r}
TAGS_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
PLUGINS = [p for p in PLUGINS if p not in {left_out!r}]
PLUGINS.insert(PLUGINS.index("blogtools.plugins.frontmatter") + 1, "blogtools.plugins.hugo_content")
# Embeds (youtube, vimeo, gist, x, instagram): "card" links to them with no third-party
# request; "iframe" embeds YouTube and Vimeo and lets their players into the policy.
HUGO_EMBEDS = "card"
# The site's own shortcodes: Jinja templates translated from layouts/shortcodes/.
HUGO_SHORTCODES = os.path.join(ROOT, "shortcodes")
'''


# The home page as Hugo shows it: content/_index.md's title as its heading, its text
# above the posts (hugo_content sets HUGO_HOME); the theme's own home page otherwise.
HOME_TEMPLATE = """{# The home page: content/_index.md's title and text, when the site has one. #}
{% extends "!theme/index.html" %}
{% block heading %}{% if HUGO_HOME and HUGO_HOME.title %}{{ HUGO_HOME.title }}{% if articles_page and \
articles_page.number > 1 %}<span class="visually-hidden">: posts, page {{ articles_page.number }}</span>{% endif %}\
{% else %}{{ super() }}{% endif %}{% endblock %}
{% block intro %}{% if HUGO_HOME and HUGO_HOME.content %}<div class="home-intro">{{ HUGO_HOME.content }}</div>\
{% else %}{{ super() }}{% endif %}{% endblock %}
"""


def settings_file(settings: dict, own_robots: bool = False) -> str:
    """``pelicanconf.py``; ``own_robots``: the site has ``static/robots.txt``, published as it
    is (our robots plugin, which writes one naming the sitemap, is left out)."""
    translated = "\n".join(f"{name} = {value!r}" for name, value in sorted(settings.items()))
    if "PUBLIC_URL" not in settings:
        translated += "\nPUBLIC_URL = 'https://example.org'"
    tags = settings["HUGO_TAXONOMIES"].get("tag")
    ending = ".html" if settings.get("HUGO_UGLY_URLS") else "/"
    tag_url = f"{tags}/{{slug}}{ending}" if tags == "tags" else ""
    plurals = list(settings["HUGO_TAXONOMIES"].values())
    tags_url = f"{tags}/" if tags else f"{plurals[0]}/" if plurals else "archives/"
    return SETTINGS_TEMPLATE.format(translated=translated, tag_url=tag_url, tags_url=tags_url,
                                    left_out=LEFT_OUT + (ROBOTS_PLUGIN,) * own_robots)


def import_site(site: Path, into: Path) -> list[str]:
    """Create the project ``into`` from the Hugo site ``site``; return the report lines."""
    site, into = site.resolve(), into.resolve()
    if into.exists() and (not into.is_dir() or any(into.iterdir())):
        raise ImportError_(f"{into}: exists and is not empty (choose a new folder)")
    config = load_config(site)
    settings, report = translate(config, site)
    into.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{into.name}-import-", dir=into.parent))
    try:
        content = site / "content"
        if content.is_dir():
            shutil.copytree(content, staging / "content", symlinks=True)
        else:
            (staging / "content").mkdir()
        if (site / "static").is_dir():
            shutil.copytree(site / "static", staging / "static", symlinks=True)
        shutil.copytree(PROJECT / "theme", staging / "theme")
        for name in ("tasks.py", "publishconf.py"):
            shutil.copy2(PROJECT / name, staging / name)
        shutil.copy2(PROJECT / "pelicanconf.py", staging / "base_pelicanconf.py")
        (staging / "templates").mkdir()
        (staging / "templates" / "index.html").write_text(HOME_TEMPLATE, encoding="utf-8")
        (staging / "theme-files").mkdir()
        shutil.copy2(PROJECT / "content" / "extra" / "favicon.svg", staging / "theme-files" / "favicon.svg")
        (staging / "pelicanconf.py").write_text(
            settings_file(settings, own_robots=(site / "static" / "robots.txt").is_file()), encoding="utf-8")
        own, untranslated = site_shortcodes(site, staging / "shortcodes")
        failures = []
        for use in shortcode_uses(site):
            if use.name in untranslated:
                failures.append(f"{use.where}: shortcode '{use.name}': {untranslated[use.name]}")
            elif use.name not in SUPPORTED and use.name not in own:
                report.append(f"{use.where}: shortcode '{use.name}' is not supported yet "
                              "(the build stops there until it is written as Markdown or HTML)")
        if failures:
            raise ImportError_("\n".join(failures))
        report += [f"{why} (not used in the content)" for why in untranslated.values()]
        for folder in ("layouts", "i18n", "data", "assets"):
            if (site / folder).is_dir():
                report.append(f"{folder}/: not imported (the site uses our theme"
                              + ("; its shortcodes are translated into shortcodes/)" if folder == "layouts" and own
                                 else ")"))
        if into.exists():
            into.rmdir()
        staging.rename(into)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report


@dataclass
class Use:
    name: str
    where: str  # content/posts/x.md:7


def shortcode_uses(site: Path) -> list[Use]:
    """Every shortcode the content calls, at its file and line (closing tags and ``{{</* */>}}`` left out)."""
    uses = []
    content = site / "content"
    for path in sorted(content.rglob("*.md")) if content.is_dir() else []:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        for match in SHORTCODE.finditer(text):
            if not (match.group(2) or match.group(3)):
                line = text.count("\n", 0, match.start()) + 1
                uses.append(Use(match.group(4), f"{path.relative_to(site)}:{line}"))
    return uses


def site_shortcodes(site: Path, into: Path) -> tuple[set[str], dict[str, str]]:
    """Translate the site's own shortcodes into Jinja templates in ``into``.

    ``(names translated, {name: why not})``, from ``layouts/shortcodes/`` and Hugo 0.146's
    ``layouts/_shortcodes/`` (the latter wins a clash); a site's shortcode named like a
    built-in replaces it, as in Hugo."""
    into.mkdir()
    translated, untranslated = set(), {}
    folders = [site / "layouts" / "shortcodes", site / "layouts" / "_shortcodes"]
    sources = {path.stem: path for folder in folders if folder.is_dir() for path in sorted(folder.glob("*.html"))}
    for name, path in sorted(sources.items()):
        where = path.relative_to(site).as_posix()
        try:
            jinja = hugo_templates.translate(path.read_text(encoding="utf-8-sig"))
        except hugo_templates.Untranslatable as exc:
            untranslated[name] = (f"{where}:{exc.line}: cannot translate {{{{ {exc.construct} }}}} (finish the "
                                  f"template: write that line with .Get, .Inner, with, if, range and markdownify, "
                                  f"or write the shortcode out in the content, and import again)")
            continue
        (into / f"{name}.html").write_text(jinja, encoding="utf-8")
        translated.add(name)
    return translated, untranslated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m blogtools.commands.import_hugo",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("site", help="the Hugo site folder (with hugo.toml or config.*)")
    parser.add_argument("--into", required=True, help="the new project folder (must not exist, or be empty)")
    args = parser.parse_args(argv)
    try:
        report = import_site(Path(args.site), Path(args.into))
    except ImportError_ as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"Imported {args.site} into {args.into}: build it with "
          f"python -m blogtools.commands.build -s {os.path.join(args.into, 'pelicanconf.py')}")
    if report:
        print(f"Not translated ({len(report)}):")
        for line in report:
            print(f"  {line}")
    else:
        print("Every config key was translated.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
