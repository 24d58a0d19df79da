"""A body edit patched into the site the last preview build left, in memory.

A build reads every post; a save in the live preview usually changes one
post's body. After a good build the preview keeps (:class:`Keeper`) the
build's generators, its writer's queue of pages and feeds (each with what it
showed: the render cache's dependencies) and the link checker's results. On
a save of posts or pages it already has, :func:`patch`:

1. reads each file again, with the build's own readers and signals;
2. accepts it only if everything but its body (or its title, :func:`_retitled`)
   is as the build left it: the attributes reading sets (its outline: date,
   tags, URL, metadata), the files it links with ``{static}`` and ``{attach}``;
3. puts the new body (and title) into the build's own object, and redoes what
   the build did with a body after reading: the plugins' per-post steps
   (:data:`REFRESH`) and Pelican's link refresh of formatted metadata;
4. renders again the pages and feeds that showed that body (for a title: that
   read anything of the post; the render cache notes both), and nothing else;
5. checks their links against every target of the site (:mod:`blogtools.linkcheck.live`)
   and scans them for secrets.

Anything else, or anything unexpected (a warning, a broken link, a plugin it
does not know listening after reading, a draft page the theme does not flag)
answers "build in full", with the reason: the full build is the reference,
and :mod:`tests.test_preview_edits` holds every kind of edit to it byte for byte.
"""

from __future__ import annotations

import io
import logging
import os
import re
from dataclasses import dataclass, field

from pelican import signals
from pelican.contents import SkipStub
from pelican.generators import ArticlesGenerator, PagesGenerator

from blogtools.commands.secrets import secrets_in_texts
from blogtools.plugins import root_links, seo
from blogtools.plugins.drafts import FLAG_CLASS
from blogtools.plugins.site import all_content, content_lists, plugin_names
from blogtools.plugins.speed.render_cache import BODY, NOT_OUTLINE, Reads, body_digest, outline_digest, ref

# Per-post steps a plugin takes on a body after reading: receiver -> the same step for one post.
REFRESH = {
    "blogtools.plugins.root_links.all_generators_finalized": root_links.refresh,
    "blogtools.plugins.seo.Seo.all_generators_finalized": lambda content, _: seo.SEO.describe(content),
}
# Receivers of the signals sent after reading that read no body: what they did stands.
OUTLINE_ONLY = frozenset({
    "blogtools.commands.build.run_pelican.<locals>.count",
    "blogtools.commands.patch.Keeper.all_generators_finalized",
    "blogtools.commands.patch.Keeper.page_writer_finalized",
    "blogtools.plugins.aliases.Aliases.all_generators_finalized",
    "blogtools.plugins.aliases.Aliases.finalized",
    "blogtools.plugins.drafts.articles_finalized",
    "blogtools.plugins.drafts.pages_finalized",
    "blogtools.plugins.drafts.content_written",
    "blogtools.plugins.hugo_content.allow_frames",
    "blogtools.plugins.hugo_content.HugoSite.pretaxonomy",
    "blogtools.plugins.hugo_content.HugoSite.static_finalized",
    "blogtools.plugins.hugo_content.write_lists",
    "blogtools.plugins.related.RelatedPosts.article_generator_finalized",
    "blogtools.plugins.robots.Robots.finalized",
    "blogtools.plugins.safe_files.static_generator_finalized",
    "blogtools.plugins.sitemap.Sitemap.content_written",
    "blogtools.plugins.sitemap.Sitemap.finalized",
    "blogtools.plugins.sourcemap.SourceMap.all_generators_finalized",
    "blogtools.plugins.sourcemap.SourceMap.finalized",
    "blogtools.plugins.taxonomy_slugs.all_generators_finalized",
    "blogtools.plugins.unique_urls.all_generators_finalized",
    "blogtools.plugins.speed.fixed_urls.all_generators_finalized",
    "blogtools.plugins.speed.parallel_writer.ParallelWrites.all_generators_finalized",
    "blogtools.plugins.speed.parallel_writer.ParallelWrites.article_writer_finalized",
    "blogtools.plugins.speed.parallel_writer.ParallelWrites.page_writer_finalized",
    "blogtools.plugins.speed.parallel_writer.ParallelWrites.finalized",
    "pelican.plugins.neighbors.neighbors.neighbors",  # next/previous post: dates and titles
})
AFTER_READING = ("article_generator_pretaxonomy", "article_generator_finalized",
                 "page_generator_finalized", "static_generator_finalized",
                 "all_generators_finalized", "article_writer_finalized", "page_writer_finalized",
                 "article_generator_write_article", "page_generator_write_page",
                 "content_written", "feed_written", "finalized")
# Pelican's refresh of formatted metadata ({filename} links in a summary), by generator.
REFRESHED_LISTS = {ArticlesGenerator: ("articles", "translations", "drafts", "drafts_translations",
                                       "hidden_articles", "hidden_translations"),
                   PagesGenerator: ("pages", "hidden_pages", "hidden_translations", "draft_pages",
                                    "draft_translations")}
# A body's links that make Pelican copy or move a static file.
STATIC_LINK = re.compile(r"""[{|](static|attach)[}|]([^"'\s>]*)""")
WATCHED_LOGGERS = ("pelican", "blogtools")
# What a patch may change besides the body: the title (where it names no file and orders nothing).
TITLE = frozenset({"title"})


class Refused(Exception):
    """Not an edit a patch can show exactly as a build would: build in full (why: str)."""


@dataclass
class Kept:
    """A good build, as the live preview keeps it."""

    settings: dict
    output: str
    generators: list
    writer: object
    links: object  # blogtools.linkcheck.live.Kept, or None without a link check
    sources: dict = field(default_factory=dict)  # absolute source path -> (generator, post)


@dataclass
class Patched:
    files: dict  # relative output path -> new bytes (only files whose bytes changed)
    records: dict  # relative output path -> (kind, ((post, body digest), ...)) of each rendered file
    touched: dict  # relative output path -> the posts it read anything of
    rendered: int  # pages and feeds rendered again
    links: object


def _name(receiver) -> str:
    function = getattr(receiver, "__func__", receiver)
    return f"{getattr(function, '__module__', '')}.{getattr(function, '__qualname__', repr(function))}"


def unknown_receivers() -> list[str]:
    """Receivers of a signal sent after reading that this module does not know to be safe."""
    probe = object()
    return sorted({_name(receiver) for signal in AFTER_READING
                   for receiver in getattr(signals, signal).receivers_for(probe)}
                  - OUTLINE_ONLY - set(REFRESH))


class Keeper:
    """Connected for one build: its generators and writer, kept if it goes live."""

    def __init__(self):
        self.generators: list = []
        self.writer = None
        self.links = None

    def all_generators_finalized(self, generators):
        self.generators = list(generators)

    def page_writer_finalized(self, generator, writer):
        self.writer = writer

    def __enter__(self):
        signals.all_generators_finalized.connect(self.all_generators_finalized)
        signals.page_writer_finalized.connect(self.page_writer_finalized)
        return self

    def __exit__(self, *exc):
        signals.all_generators_finalized.disconnect(self.all_generators_finalized)
        signals.page_writer_finalized.disconnect(self.page_writer_finalized)

    def kept(self, settings, output) -> Kept | None:
        if not self.generators or getattr(self.writer, "jobs", None) is None:
            return None  # plain Pelican's writer (the speed wing off): nothing to patch with
        sources = {}
        for generator in self.generators:
            for name in content_lists(generator):
                for content in getattr(generator, name):
                    if content.source_path:
                        sources[os.path.abspath(content.source_path)] = (generator, content)
        return Kept(settings, str(output), self.generators, self.writer, self.links, sources)


class _Warnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record):
        self.records.append(record.getMessage())


def _reread(generator, old):
    """The post read again as the generator reads it, or Refused."""
    article = isinstance(generator, ArticlesGenerator)
    prefix = "article_generator" if article else "page_generator"
    new = generator.readers.read_file(
        base_path=generator.path, path=os.path.relpath(old.source_path, generator.path),
        content_class=type(old), context=generator.context,
        preread_signal=getattr(signals, f"{prefix}_preread"), preread_sender=generator,
        context_signal=getattr(signals, f"{prefix}_context"), context_sender=generator)
    if isinstance(new, SkipStub) or not new.is_valid():
        raise Refused("it is no longer a post Pelican publishes")
    return new


def _static_links(content) -> set:
    text = (getattr(content, "_content", "") or "") + str(content.metadata.get("summary") or "")
    return set(STATIC_LINK.findall(text))


def _retitled(kept: Kept, generator, old, new) -> bool:
    """Whether ``new`` differs from ``old`` in its title alone, where a new title changes
    no address, no order and no file but the pages that read the post (else Refused)."""
    names = set(vars(new)) - NOT_OUTLINE
    if outline_digest(new, names) == outline_digest(old, names):
        return False
    if outline_digest(new, names, TITLE) != outline_digest(old, names, TITLE):
        raise Refused("more than its body changed")
    settings = kept.settings
    if "blogtools.plugins.hugo_content" in plugin_names(settings):
        raise Refused("a Hugo site may order pages by title")
    if any("title" in str(settings.get(key, "")).lower()
           for key in ("ARTICLE_ORDER_BY", "PAGE_ORDER_BY", "SLUGIFY_SOURCE")):
        raise Refused("the site orders or names posts by title")
    if old.metadata.get("aliases") or (new.url, new.save_as) != (old.url, old.save_as):
        raise Refused("its address or a redirect to it shows the title")
    if any(job.touched is None for job in kept.writer.jobs):
        raise Refused("which pages show its title is not known for every page yet")
    return True


def _put_body(generators, generator, old, new, retitled: bool) -> None:
    """``new``'s body (and title) into ``old``, then what the build did with a body after reading."""
    if _static_links(new) != _static_links(old):
        raise Refused("its {static} or {attach} links changed")
    changed = TITLE if retitled else frozenset()
    before = outline_digest(old, without=changed)
    for name in (BODY | changed) - {"metadata"}:
        if name in vars(new):
            setattr(old, name, vars(new)[name])
        else:
            vars(old).pop(name, None)
    for key in BODY | changed:  # in place: the rest of it is the same, and the same objects
        if key in new.metadata:
            old.metadata[key] = new.metadata[key]
        else:
            old.metadata.pop(key, None)
    for method in (old.get_content, old.get_summary):  # Pelican memoizes both per post
        for key in [key for key in method.cache if key and key[0] is old]:
            del method.cache[key]
    for receiver in signals.all_generators_finalized.receivers_for(object()):
        step = REFRESH.get(_name(receiver))
        if step is not None:
            step(old, generators)
    lists = REFRESHED_LISTS.get(type(generator), ())
    if any(item is old for name in lists for item in getattr(generator, name)):
        old.refresh_metadata_intersite_links()
    if outline_digest(old, without=changed) != before:
        raise Refused("a plugin changed more than its body")


def _names(deps) -> set[str]:
    return {d if isinstance(d, str) else d[0] for d in deps or ()}


def _render(writer, job) -> tuple[str, set, set]:
    """The job's text, the posts whose bodies it read, the posts it read anything of."""
    if hasattr(job, "template"):
        reading = Reads()
        with reading as reads:
            text = job.template.render(job.context)
        item = job.context.get("article") or job.context.get("page")
        if getattr(item, "status", "published") == "draft" and FLAG_CLASS not in text:
            raise Refused("a draft's page the theme does not flag")
        return text, set(reads), reading.touched | reads
    handle = io.StringIO()
    writer.build_feed(job).write(handle, "utf-8")
    entries = {ref(entry) for entry in job.entries}
    return handle.getvalue(), entries, entries


def patch(kept: Kept, paths) -> Patched:
    """The output files a save of ``paths`` changes, checked; Refused if a build must decide."""
    from blogtools.linkcheck.live import recheck

    unknown = unknown_receivers()
    if unknown:
        raise Refused(f"a plugin may read bodies after reading ({unknown[0]})")
    found = []
    for path in paths:
        entry = kept.sources.get(os.path.abspath(path))
        if entry is None or not os.path.isfile(path):
            raise Refused(f"{os.path.basename(path)} is not a post or page the site has")
        found.append(entry)
    warnings = _Warnings()
    loggers = [logging.getLogger(name) for name in WATCHED_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(warnings)
        logger.setLevel(logging.WARNING)
    try:
        retitled = set()
        for generator, old in found:
            new = _reread(generator, old)
            if _retitled(kept, generator, old, new):
                retitled.add(ref(old))
            _put_body(kept.generators, generator, old, new, ref(old) in retitled)
        names = {ref(old) for _, old in found}
        for _, old in found:
            old.content, old.summary  # noqa: B018 - {static} side effects happen here, once
        output = kept.output
        files, records, touches, rendered = {}, {}, {}, 0
        digests: dict[str, str] = {}
        by_ref = None
        for job in kept.writer.jobs:
            if not (_names(job.deps) & names or retitled & set(job.touched or ())):
                continue
            text, reads, touched = _render(kept.writer, job)
            rendered += 1
            job.deps, job.touched = reads, touched
            touches[os.path.relpath(job.path, kept.writer.output_path)] = tuple(sorted(touched))
            if by_ref is None:
                by_ref = {ref(c): c for c in all_content(kept.generators, static=True)}
            for name in reads:
                if name not in digests and name in by_ref:
                    digests[name] = body_digest(by_ref[name])
            relative = os.path.relpath(job.path, kept.writer.output_path)
            records[relative] = (job.kind, tuple(sorted((n, digests.get(n)) for n in reads)))
            data = text.encode("utf-8")
            try:
                with open(os.path.join(output, relative), "rb") as handle:
                    if handle.read() == data:
                        continue
            except OSError:
                pass
            files[relative] = data
    except Refused:
        raise
    except Exception as error:  # bad front matter, a template error: the build reports it
        raise Refused(f"{type(error).__name__}: {error}") from error
    finally:
        for logger, level in zip(loggers, levels):
            logger.removeHandler(warnings)
            logger.setLevel(level)
    if warnings.records:
        raise Refused(warnings.records[0])
    if secrets_in_texts(data.decode("utf-8", "replace") for data in files.values()):
        raise Refused("a page may show a secret")
    links = kept.links
    if links is not None and files:
        links = recheck(links, files)
        if links is None:
            raise Refused("a link is broken")
    return Patched(files, records, touches, rendered, links)


def write(kept: Kept, patched: Patched) -> None:
    """The patched files into the live output, each replaced whole; their record amended."""
    from blogtools.plugins.speed import render_cache

    for relative, data in patched.files.items():
        path = os.path.join(kept.output, relative)
        temporary = f"{path}.{os.getpid()}.patch"
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    render_cache.amend(kept.settings, kept.output, patched.records, patched.touched)
    kept.links = patched.links
