"""Pages and feeds written on every core: a Pelican writer that renders in forked processes.

Pelican renders one page after another: on a 1,000-post site, 1,700 pages,
57 feeds and most of a one-post rebuild, with the other cores idle. No
maintained plugin does better, so this writer queues each page (with its
context, paginated as Pelican 4.12's ``write_file`` does, with the same
output-path checks) and each feed (built, and ``feed_generated`` sent, in this
process), and when the articles, then the pages, are all queued it forks one
process per extra core. The parent and each child take chunks of the queue as
they become free, and render, serialise and write them. Forking shares
everything the templates need (contexts, content objects, compiled templates)
without pickling any of it.

Sequential semantics are kept where they can be seen:

* before forking, every post's and page's content and summary is computed in
  the parent, so ``{static}``/``{attach}`` side effects happen there, once;
* ``content_written`` and ``feed_written`` are sent in the parent, in queue
  order, once every file is on disk (the sitemap and the draft flag listen);
* a warning or error logged while rendering in a child is logged again in the
  parent, so the build still fails on it; an exception in a child is raised
  again in the parent.

With ``blogtools.plugins.speed.render_cache`` (builds through ``blogtools.commands.build``), a page or
feed whose inputs did not change is not rendered but linked from the last good
output; the writer notes what each rendered page read, for the next build.

Fewer than ``PARALLEL_WRITE_MIN_PAGES`` queued files, one core or no ``fork``:
the queue is written in this process. With ``RELATIVE_URLS`` (which changes
shared state per page) Pelican's own writer methods run unchanged.
"""

from __future__ import annotations

import logging
import os
import pickle
import re
import shutil
import struct
import sys
import traceback

from pelican import signals
from pelican.paginator import Paginator
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import FileOverwriteFailedError, Writer

from blogtools.plugins.site import all_content
from blogtools.plugins.speed.gate import active
from blogtools.plugins.speed.render_cache import Reads, RenderCache, ref

logger = logging.getLogger(__name__)

PARALLEL_WRITE_MIN_PAGES = 64
# Pages per hand-out: small enough to balance the processes, large enough that
# the pipe reads cost nothing.
CHUNK_PAGES = 8
# Where Pelican 4.12 looks for one: an attribute value, quoted, starting with it.
LINK_MARKER = re.compile(r"""=\s*["'][{|]""")


class _Job:
    """A file to write: rendered, or (``source``) linked from the last good output.

    ``kind`` and ``deps`` (the posts whose bodies it shows) are for the render cache.
    """

    __slots__ = ("path", "kind", "source", "deps", "touched")

    def __init__(self, path, kind):
        self.path, self.kind, self.source, self.deps = path, kind, None, None
        self.touched = None  # the posts it reads anything of, where known

    def reuse(self, found) -> None:
        self.source, self.deps = found


class _Page(_Job):
    """A page to render with its context, and the signal to send once it is written."""

    __slots__ = ("template", "context")

    def __init__(self, template, context, path):
        super().__init__(path, template.name)
        self.template, self.context = template, context

    def write(self, handle) -> None:
        handle.write(self.template.render(self.context))

    def written(self) -> None:
        signals.content_written.send(self.path, context=self.context)


class _Feed(_Job):
    """A feed built (items added, feed_generated sent) in the parent, serialised later.

    A reused feed is not built, so neither ``feed_generated`` nor ``feed_written``
    is sent for it.
    """

    __slots__ = ("feed", "context", "entries", "address")

    def __init__(self, feed, context, path, kind, entries=(), address=None):
        super().__init__(path, kind)
        self.feed, self.context = feed, context
        # What building it again takes (the live preview's patch): its posts, and
        # the (type, title, site URL, feed domain, feed URL) write_feed worked out.
        self.entries, self.address = entries, address

    def write(self, handle) -> None:
        self.feed.write(handle, "utf-8")

    def written(self) -> None:
        if self.feed is not None:
            signals.feed_written.send(self.path, context=self.context, feed=self.feed)


class _Captured(logging.Handler):
    """In a child: the warnings and errors to log again in the parent."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[tuple] = []

    def emit(self, record):
        args = record.args if isinstance(record.args, tuple) else ()
        error = next((a for a in args if isinstance(a, Exception)), None)
        # An unpicklable error travels as its message only.
        self.records.append((record.name, record.levelno, record.getMessage(),
                             error if _picklable(error) else None))


def _picklable(value) -> bool:
    try:
        pickle.dumps(value)
    except Exception:
        return False
    return True


def _render(job) -> None:
    os.makedirs(os.path.dirname(job.path), exist_ok=True)
    try:  # a file an earlier flush wrote may be a link to the last good output
        os.unlink(job.path)
    except FileNotFoundError:
        pass
    if job.source is not None:
        try:
            os.link(job.source, job.path)
        except OSError:  # a file system without hard links
            shutil.copy2(job.source, job.path)
        return
    reading = Reads()
    with reading as reads, open(job.path, "w", encoding="utf-8") as handle:
        job.write(handle)
    if job.deps is None:  # a feed knows its entries beforehand
        job.deps = reads
    job.touched = reading.touched | job.deps


class ParallelWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self._jobs: list = []
        self._deferring = not self.settings.get("RELATIVE_URLS")
        self._prepared = False
        self._cache = RenderCache.for_build(self.settings, self.output_path) \
            if self._deferring else None
        if self._cache is not None:
            self._cache.start(PARALLEL_WRITES.generators)
        self._queued: list = []  # every job of this build, for the render cache's record

    # --- queueing: Pelican 4.12's write_file and write_feed, up to the writing ----

    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):
        if not self._deferring or relative_urls:
            return super().write_file(name, template, context, relative_urls, paginated,
                                      template_name, override_output, url, **kwargs)
        if not name:
            return
        if paginated is None:
            paginated = {key: val for key, val in kwargs.items() if key in {"articles", "dates"}}
        if not (paginated and template_name in self.settings["PAGINATED_TEMPLATES"]):
            self._queue_page(template, context, name, kwargs, override_output)
            return
        per_page = (self.settings["PAGINATED_TEMPLATES"][template_name]
                    or self.settings["DEFAULT_PAGINATION"])
        paginators = {key: Paginator(name, url, val, self.settings, per_page)
                      for key, val in paginated.items()}
        for page_num in range(next(iter(paginators.values())).num_pages):
            paginated_kwargs = kwargs.copy()
            for key, paginator in paginators.items():
                page = paginator.page(page_num + 1)
                paginated_kwargs.update({
                    f"{key}_paginator": paginator,
                    f"{key}_page": page,
                    f"{key}_previous_page": paginator.page(page_num) if page_num > 0 else None,
                    f"{key}_next_page": (paginator.page(page_num + 2)
                                         if page_num + 1 < paginator.num_pages else None),
                })
            self._queue_page(template, context, page.save_as, paginated_kwargs, override_output)

    def _queue_page(self, template, context, name, kwargs, override) -> None:
        localcontext = context.copy()
        localcontext["localsiteurl"] = localcontext.get("localsiteurl", None)
        localcontext["output_file"] = name
        localcontext.update(kwargs)
        path = sanitised_join(self.output_path, name)
        if self._claim(path, override):
            self._jobs.append(_Page(template, localcontext, path))

    def write_feed(self, elements, context, path=None, url=None, feed_type="atom",
                   override_output=False, feed_title=None):
        if not self._deferring or not path:
            return super().write_feed(elements, context, path, url, feed_type,
                                      override_output, feed_title)
        site_url = context.get("SITEURL", path_to_url(get_relative_path(path)))
        feed_domain = context.get("FEED_DOMAIN")
        address = (feed_type, feed_title, site_url, feed_domain,
                   self.urljoiner(feed_domain, url or path))
        entries = elements[: self.settings["FEED_MAX_ITEMS"]]
        complete_path = sanitised_join(self.output_path, path)
        job = _Feed(None, context, complete_path, f"feed:{feed_type}:{feed_title}", entries,
                    address)
        found = self._cache and self._cache.reusable(complete_path, job.kind)
        if found:
            job.reuse(found)
            job.touched = self._cache.touched(complete_path)
        else:
            job.feed = self.build_feed(job)
            if self._cache is not None:
                job.deps = {ref(element) for element in entries}
        if self._claim(complete_path, override_output):
            self._jobs.append(job)
        return job.feed

    def build_feed(self, job):
        """The feed object of ``job``, its items added and ``feed_generated`` sent, as
        Pelican's ``write_feed`` builds it."""
        feed_type, feed_title, self.site_url, self.feed_domain, self.feed_url = job.address
        feed = self._create_new_feed(feed_type, feed_title, job.context)
        for element in job.entries:
            self._add_item_to_the_feed(feed, element)
        signals.feed_generated.send(job.context, feed=feed)
        return feed

    @property
    def jobs(self) -> list:
        """Every page and feed of the build, rendered or reused, in queue order."""
        return self._queued

    def _claim(self, path: str, override: bool) -> bool:
        """Pelican's ``_open_w`` bookkeeping: whether this page or feed is to be written."""
        if path in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{path}" a second time (was previously overwritten)')
            logger.info('Skipping "%s", not overwriting', path)
            return False
        if path in self._written_files:
            if not override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{path}" as Pelican has already written to it '
                    "previously (set `override=True` if intended)")
            self._jobs = [job for job in self._jobs if job.path != path]  # the override wins
        if override:
            self._overridden_files.add(path)
        self._written_files.add(path)
        return True

    # --- rendering the queue ---------------------------------------------------

    def flush(self, generators=(), *, stop: bool = False) -> None:
        jobs = self._jobs
        self._jobs = []
        if stop:
            self._deferring = False
        if jobs:
            self._write(jobs, generators)
        if stop and self._cache is not None:
            self._cache.save_pending(self._queued)

    def _write(self, jobs: list, generators) -> None:
        if self._cache is not None:
            for job in jobs:
                if job.source is None and isinstance(job, _Page):
                    found = self._cache.reusable(job.path, job.kind)
                    if found:
                        job.reuse(found)
                        job.touched = self._cache.touched(job.path)
            self._queued.extend(jobs)
        processes = self._processes(len(jobs))
        reused = any(job.source is not None for job in jobs)
        if (processes > 1 or reused) and not self._prepared:
            self._prepare(generators)
        if processes <= 1:
            for job in jobs:
                _render(job)
        else:
            self._render_forked(jobs, processes)
        for job in jobs:
            job.written()

    def _processes(self, pages: int) -> int:
        wanted = self.settings.get("WRITE_PROCESSES") or os.cpu_count() or 1
        if not hasattr(os, "fork") or \
                pages < self.settings.get("PARALLEL_WRITE_MIN_PAGES", PARALLEL_WRITE_MIN_PAGES):
            return 1
        return max(1, min(int(wanted), pages))

    def _prepare(self, generators) -> None:
        # Only a {filename}/{static}/{attach} link has side effects. With Pelican's
        # default link syntax, Pelican only replaces one in a quoted attribute value
        # that starts with "{" or "|": text with none is left to whoever renders it.
        default = self.settings.get("INTRASITE_LINK_REGEX") == DEFAULT_CONFIG["INTRASITE_LINK_REGEX"]
        for content in all_content(generators):
            texts = (getattr(content, "_content", "") or "",
                     str(content.metadata.get("summary") or ""))
            if default and not any(LINK_MARKER.search(text) for text in texts):
                continue
            content.content  # noqa: B018 - memoized: computed here, not in each child
            content.summary  # noqa: B018
        self._prepared = True

    def _render_forked(self, jobs: list, processes: int) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        tickets = _Tickets(jobs)
        children = []
        failure = None
        try:
            for _ in range(1, processes):
                read_end, write_end = os.pipe()
                pid = os.fork()
                if pid == 0:  # the child: render, report, leave without cleanup
                    os.close(read_end)
                    _child(tickets, write_end)
                os.close(write_end)
                children.append((pid, read_end))
            try:
                for _, job in tickets:
                    _render(job)
            except BaseException as error:
                failure = error
            for pid, read_end in children:
                with os.fdopen(read_end, "rb") as pipe:
                    data = pipe.read()
                _, status = os.waitpid(pid, 0)
                report = _load(data, pid, status)
                for index, (reads, touched) in report.get("reads", {}).items():
                    jobs[index].deps, jobs[index].touched = reads, touched
                for name, level, message, error in report.get("records", []):
                    logging.getLogger(name).log(level, "%s", error if error is not None else message)
                if failure is None and "error" in report:
                    failure = report["error"]
        finally:
            tickets.close()
        if failure is not None:
            raise failure


class _Tickets:
    """The queue in chunks, handed out through a pipe to whichever process is free.

    A child pays for copy-on-write on what it touches, so a fixed half each
    left the parent waiting; each read of one 4-byte ticket is atomic, so no
    two processes get the same chunk. All tickets are written before anyone
    reads, within the pipe's 64 KiB buffer.
    """

    TICKET = struct.Struct("=I")
    MAX_TICKETS = 8192

    def __init__(self, jobs: list):
        self.jobs = jobs
        self.chunk = max(CHUNK_PAGES, -(-len(jobs) // self.MAX_TICKETS))
        self.read_end, write_end = os.pipe()
        data = b"".join(self.TICKET.pack(start) for start in range(0, len(jobs), self.chunk))
        try:
            while data:
                data = data[os.write(write_end, data):]
        finally:
            os.close(write_end)

    def __iter__(self):
        """Each job given to this process, with its place in the queue."""
        while raw := os.read(self.read_end, self.TICKET.size):
            start = self.TICKET.unpack(raw)[0]
            yield from enumerate(self.jobs[start:start + self.chunk], start)

    def close(self) -> None:
        os.close(self.read_end)


def _child(jobs, write_end: int) -> None:
    captured = _Captured()
    logging.getLogger().addHandler(captured)
    report: dict = {"reads": {}}
    code = 0
    try:
        for index, job in jobs:
            _render(job)
            if job.source is None:
                report["reads"][index] = job.deps, job.touched
    except BaseException as error:
        code = 1
        report["error"] = error if _picklable(error) else \
            RuntimeError("".join(traceback.format_exception(error)))
    report["records"] = captured.records
    try:
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(pickle.dumps(report))
    finally:
        os._exit(code)


def _load(data: bytes, pid: int, status: int) -> dict:
    try:
        return pickle.loads(data)
    except Exception:
        code = os.waitstatus_to_exitcode(status)
        return {"error": RuntimeError(f"a page-rendering process ({pid}) ended with status {code} "
                                      "without reporting")}


class ParallelWrites:
    """Installs the writer and tells it when to render its queue."""

    def __init__(self):
        self.generators: list = []

    def all_generators_finalized(self, generators):
        self.generators = list(generators)

    def get_writer(self, pelican):
        # Signals outlive a build in this process: answer only for builds that run the wing.
        return ParallelWriter if active(pelican.settings) else None

    def article_writer_finalized(self, generator, writer):
        if isinstance(writer, ParallelWriter):
            writer.flush(self.generators)

    def page_writer_finalized(self, generator, writer):
        if isinstance(writer, ParallelWriter):
            writer.flush(self.generators, stop=True)

    def finalized(self, pelican):
        self.generators = []


PARALLEL_WRITES = ParallelWrites()


def connect() -> None:
    signals.all_generators_finalized.connect(PARALLEL_WRITES.all_generators_finalized)
    signals.get_writer.connect(PARALLEL_WRITES.get_writer)
    signals.article_writer_finalized.connect(PARALLEL_WRITES.article_writer_finalized)
    signals.page_writer_finalized.connect(PARALLEL_WRITES.page_writer_finalized)
    signals.finalized.connect(PARALLEL_WRITES.finalized)
