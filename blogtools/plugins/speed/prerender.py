"""Render the Markdown of every post that needs it in parallel, before Pelican reads them.

Pelican reads content files one at a time, and rendering Markdown (with
Pygments, the TOC and MathML) is most of a cold build: about 25 ms a post, so
half a minute for 1,000 posts on one core while the other cores idle. When the
articles (and the pages) generator starts, this module finds the Markdown files
that the content cache cannot answer, renders them in a pool of processes (one
per CPU), and keeps each result with the exact text it came from on the reader
that will read it (``FrontMatterReader.prerendered``), which takes a ready
result when the text it is about to render is the same, rendered the same way,
and renders it itself otherwise. A file with TOML or YAML front matter has its
body rendered; a file with Pelican's ``Key: value`` header is rendered whole
with Markdown's meta extension, which reads the header (``render_with_header``),
just as the reader's own pass does, so both give the same HTML and metadata.

Anything unusual falls back to that sequential path, so errors are reported
exactly as before: a file that fails to render in a worker (bad math, say) is
simply not pre-rendered. Below ``PRERENDER_MIN_FILES`` files (one edited post
in the live preview) no pool is started.
"""

from __future__ import annotations

import os

from pelican import signals

from blogtools.plugins.frontmatter import (
    FrontMatterReader,
    decode_source,
    render_markdown,
    render_with_header,
    split_front_matter,
)
from blogtools.plugins.speed.gate import active

PRERENDER_MIN_FILES = 16
# The content folders each generator reads, as settings: (paths, excludes).
FOLDERS = {"article": ("ARTICLE_PATHS", "ARTICLE_EXCLUDES"), "page": ("PAGE_PATHS", "PAGE_EXCLUDES")}


def _render(job: tuple[str, dict]):
    path, markdown_settings = job
    try:
        with open(path, "rb") as handle:
            text = decode_source(handle.read(), path)
        fmt, _front, body, _line = split_front_matter(text)
        if fmt is None:
            # Pelican's own header: the reader's Markdown pass reads it, so render the whole file.
            return path, text, True, render_with_header(markdown_settings, text)
        return path, body, False, render_markdown(markdown_settings, body)
    except Exception:
        return None


def _chunk(jobs: list) -> list:
    return [_render(job) for job in jobs]


def _to_render(generator, folders: tuple[str, str]) -> list[str]:
    """The generator's Markdown files that its content cache cannot answer."""
    settings = generator.settings
    paths_key, excludes_key = folders
    extensions = tuple("." + ext for ext in FrontMatterReader.file_extensions)
    paths = []
    for name in generator.get_files(settings.get(paths_key, []), exclude=settings.get(excludes_key, [])):
        path = os.path.abspath(os.path.join(generator.path, name))
        if path.endswith(extensions) and generator.readers.get_cached_data(path, None) is None:
            paths.append(path)
    return sorted(set(paths))


def prerender(generator, folders: tuple[str, str]) -> None:
    """Render the generator's uncached Markdown files in a pool and hand each result to
    the reader that will read the file."""
    if not active(generator.settings):
        return
    workers = os.cpu_count() or 1
    paths = _to_render(generator, folders)
    if workers < 2 or len(paths) < generator.settings.get("PRERENDER_MIN_FILES", PRERENDER_MIN_FILES):
        return
    from concurrent.futures import ProcessPoolExecutor  # only when used

    readers = generator.readers.readers
    markdown_settings = dict(generator.settings["MARKDOWN"])
    jobs = [(path, markdown_settings) for path in paths]
    size = max(4, len(jobs) // (workers * 8))
    chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for results in pool.map(_chunk, chunks):
            for result in results:
                if result is not None:
                    path, body, header, rendered = result
                    reader = readers.get(os.path.splitext(path)[1][1:])
                    if isinstance(reader, FrontMatterReader):
                        reader.prerendered[path] = (body, header, rendered)


def article_generator_init(generator) -> None:
    prerender(generator, FOLDERS["article"])


def page_generator_init(generator) -> None:
    prerender(generator, FOLDERS["page"])


def connect() -> None:
    signals.article_generator_init.connect(article_generator_init)
    signals.page_generator_init.connect(page_generator_init)
