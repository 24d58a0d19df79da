"""Nothing outside the project and no dotfile reaches the output: symlinks checked, dotfiles skipped.

Before Pelican reads a file (on ``initialized``), this walks ``PATH`` and
``THEME`` itself, never following a link:

* a symlink whose target resolves outside the project (``PROJECT_ROOT``, the
  settings file's folder; else the folder holding ``PATH``), the content folder
  and the theme fails the build with one line,
  ``content/images/leak.txt: symlink to /etc/passwd, outside the project (copy
  the file in, or remove the link)``; a loop is reported, not followed. Pelican
  walks with ``followlinks=True``, so each offending link is also added to
  ``IGNORE_FILES``: a link to ``/etc`` is never walked. Links that stay inside
  work as before.
* every file or folder named ``.something`` is added, by its exact name, to
  Pelican's ``IGNORE_FILES`` (its default, ``**/.*``, never matches, since
  Pelican matches it against bare names), so no generator reads, copies or
  publishes it, except the names in ``PUBLISHED_DOTFILES`` (``.well-known``,
  ``.nojekyll``). A dotfile a post links with ``{static}`` bypasses
  ``IGNORE_FILES`` in Pelican; it is dropped from the static files too. The
  build prints one ``note: skipped dotfiles (never published): ...`` line to
  stderr (a note, not a warning: the build fails on every warning).
"""

from __future__ import annotations

import fnmatch
import logging
import os

from pelican import signals

from blogtools.errors import ContentError, display_path
from blogtools.plugins.site import note, plugin_names

PLUGIN = "blogtools.plugins.safe_files"
PUBLISHED_DOTFILES = [".well-known", ".nojekyll"]
# A dotfile with one of these would have been read as a post or page.
CONTENT_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown", ".html", ".htm", ".rst")

logger = logging.getLogger(__name__)


def is_inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def link_problem(link: str, allowed: list[str]) -> str | None:
    """What is wrong with the symlink ``link`` (None if it resolves inside one of ``allowed``)."""
    try:
        target = os.path.realpath(link, strict=True)
    except FileNotFoundError:
        # A dangling link: judge where it points, as Pelican would find it there one day.
        target = os.path.realpath(link)
    except OSError:  # ELOOP: the link leads back to itself
        return f"symlink loop through {os.readlink(link)}"
    if os.path.isdir(target) and is_inside(os.path.realpath(os.path.dirname(link)), target):
        # A link to a folder that holds it: Pelican's walk would copy it into itself 40 times over.
        return f"symlink loop: it points to {display_path(target)}, which holds it"
    if any(is_inside(target, folder) for folder in allowed):
        return None
    return f"symlink to {target}, outside the project"


def survey(roots: list[str], allowed: list[str], published: set[str]):
    """(bad symlinks as (path, problem), skipped dot paths) under ``roots``, walked without
    following a link. A skipped folder is listed, not its contents."""
    bad, dotted = [], []
    for root in roots:
        for folder, dirs, files in os.walk(root):
            for name in sorted(dirs + files):
                path = os.path.join(folder, name)
                if os.path.islink(path):
                    problem = link_problem(path, allowed)
                    if problem:
                        bad.append((path, problem))
                        continue
                if name.startswith(".") and name not in published:
                    dotted.append(path + (os.sep if name in dirs else ""))
            dirs[:] = sorted(d for d in dirs if not (d.startswith(".") and d not in published))
    return bad, dotted


def fnmatch_literal(name: str) -> str:
    """A pattern ``fnmatch`` matches against ``name`` only."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def has_dot_part(relative: str, published: set[str]) -> bool:
    return any(part.startswith(".") and part not in published
               for part in relative.replace("\\", "/").split("/"))


def initialized(pelican) -> None:
    settings = pelican.settings
    if PLUGIN not in plugin_names(settings):
        return
    content = os.path.realpath(settings["PATH"])
    theme = os.path.realpath(settings["THEME"]) if os.path.isdir(settings["THEME"]) else None
    project = os.path.realpath(settings.get("PROJECT_ROOT") or os.path.dirname(content))
    published = {name.rstrip("/") for name in settings.get("PUBLISHED_DOTFILES", PUBLISHED_DOTFILES)}
    roots = [os.path.abspath(settings["PATH"])] + ([os.path.abspath(settings["THEME"])] if theme else [])
    bad, dotted = survey(roots, [project, content] + ([theme] if theme else []), published)
    ignored = [os.path.basename(path.rstrip(os.sep)) for path, _ in bad]
    ignored += [os.path.basename(path.rstrip(os.sep)) for path in dotted]
    settings["IGNORE_FILES"] = list(settings.get("IGNORE_FILES", [])) + \
        sorted({fnmatch_literal(name) for name in ignored})
    for path, problem in bad:
        hint = "remove the link" if problem.startswith("symlink loop") else "copy the file in, or remove the link"
        logger.error("%s", ContentError(problem, path=path, hint=hint))
    published_paths = [os.path.join(roots[0], p) for p in settings.get("STATIC_PATHS", [])]
    if theme:
        published_paths += [os.path.join(roots[1], p) for p in settings.get("THEME_STATIC_PATHS", [])]
    # Only what would have been published: a .keep in pages/ never was.
    noted = [path for path in dotted
             if any(is_inside(path.rstrip(os.sep), os.path.normpath(folder)) for folder in published_paths)
             or os.path.splitext(path)[1] in CONTENT_EXTENSIONS]
    if noted:
        note("skipped dotfiles (never published): " + ", ".join(display_path(p) + (
            "/" if p.endswith(os.sep) else "") for p in noted))


def static_generator_finalized(generator) -> None:
    """Drop what reached the static files by a ``{static}`` link rather than Pelican's walk:
    a dotfile, or a link ``initialized`` reported."""
    settings = generator.settings
    if PLUGIN not in plugin_names(settings):
        return
    published = {name.rstrip("/") for name in settings.get("PUBLISHED_DOTFILES", PUBLISHED_DOTFILES)}
    kept = []
    for static in generator.staticfiles:
        relative = static.get_relative_source_path()
        dotted = has_dot_part(relative, published)
        if dotted or any(fnmatch.fnmatch(os.path.basename(relative), pattern)
                         for pattern in settings["IGNORE_FILES"]):
            generator.context.get("static_content", {}).pop(relative, None)
            if dotted:
                name = next(part for part in relative.replace("\\", "/").split("/") if part.startswith("."))
                logger.error("%s", ContentError(
                    "linked with {static}, but dotfiles are never published", path=static.source_path,
                    hint=f"rename it without the leading dot, or add {name!r} to PUBLISHED_DOTFILES"))
        else:
            kept.append(static)
    generator.staticfiles[:] = kept


def register():
    signals.initialized.connect(initialized)
    signals.static_generator_finalized.connect(static_generator_finalized)
