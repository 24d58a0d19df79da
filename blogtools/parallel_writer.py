"""Pages rendered on every core: a Pelican writer that renders its pages in forked processes.

Pelican renders one page after another: on a 1,000-post site, 1,700 pages and
about 3 of the 5 seconds of a one-post rebuild, with the other cores idle. No
maintained plugin does better, so this writer queues each page instead of
rendering it (Pelican's own ``write_file`` still does the pagination, the
output-path checks and the folders), and when the articles, then the pages,
are all queued it forks one process per extra core. The parent and each child
take chunks of the queue as they become free, and render and write them.
Forking shares everything the templates need (contexts, content objects,
compiled templates) without pickling any of it.

Sequential semantics are kept where they can be seen:

* before forking, every post's and page's content and summary is computed in
  the parent, so ``{static}``/``{attach}`` side effects happen there, once;
* ``content_written`` is held back and sent in the parent, in queue order,
  once every file is on disk (the sitemap and the draft flag listen to it);
* a warning or error logged while rendering in a child is logged again in the
  parent, so the build still fails on it; an exception in a child is raised
  again in the parent.

Fewer than ``PARALLEL_WRITE_MIN_PAGES`` queued pages, one core, no ``fork``
or ``RELATIVE_URLS`` (which changes shared state per page): rendering stays
sequential, exactly as Pelican does it.
"""

from __future__ import annotations

import logging
import os
import pickle
import struct
import sys
import traceback

from pelican import signals
from pelican.writers import FileOverwriteFailedError, Writer

from blogtools.site_links import content_of

logger = logging.getLogger(__name__)

PARALLEL_WRITE_MIN_PAGES = 64
# Pages per hand-out: small enough to balance the processes, large enough that
# the pipe reads cost nothing.
CHUNK_PAGES = 8


class _Job:
    __slots__ = ("template", "context", "path")

    def __init__(self, template, context):
        self.template, self.context, self.path = template, context, None


class _Deferred:
    """Stands in for a template inside ``Writer.write_file``: queues instead of rendering."""

    def __init__(self, writer: "ParallelWriter", template):
        self.writer, self.template = writer, template

    def render(self, context) -> str:
        self.writer._jobs.append(_Job(self.template, context))
        return ""


class _Discard:
    def write(self, _text):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class _Captured(logging.Handler):
    """In a child: the warnings and errors to log again in the parent."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[tuple] = []

    def emit(self, record):
        args = record.args if isinstance(record.args, tuple) else ()
        error = next((a for a in args if isinstance(a, Exception)), None)
        try:
            pickle.dumps(error)
        except Exception:  # noqa: BLE001 - an unpicklable error travels as text
            error = None
        self.records.append((record.name, record.levelno, record.getMessage(), error))


def _render(job: _Job) -> None:
    output = job.template.render(job.context)
    with open(job.path, "w", encoding="utf-8") as handle:
        handle.write(output)


class ParallelWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self._jobs: list[_Job] = []
        self._deferring = True
        self._queueing = False
        self._prepared = False

    # --- queueing: Pelican's write_file, with the rendering taken out ---------

    def write_file(self, name, template, context, *args, **kwargs):
        if not self._deferring:
            return super().write_file(name, template, context, *args, **kwargs)
        self._queueing = True
        try:
            with signals.content_written.muted():
                return super().write_file(name, _Deferred(self, template), context, *args, **kwargs)
        finally:
            self._queueing = False

    def _open_w(self, filename, encoding, override=False):
        if not self._queueing:  # a feed, or a page after the queue closed: written now
            return super()._open_w(filename, encoding, override)
        job = self._jobs[-1]
        # Pelican's bookkeeping of written and overridden files, without opening the file.
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)')
            logger.info('Skipping "%s", not overwriting', filename)
            self._jobs.pop()
            return _Discard()
        if filename in self._written_files and not override:
            raise FileOverwriteFailedError(
                f'Failed to overwrite "{filename}" as Pelican has already written to it '
                "previously (set `override=True` if intended)")
        if override:
            self._overridden_files.add(filename)
            for earlier in self._jobs[:-1]:  # the overriding page wins, as in Pelican
                if earlier.path == filename:
                    earlier.path = os.devnull
        self._written_files.add(filename)
        job.path = filename
        return _Discard()

    # --- rendering the queue ---------------------------------------------------

    def flush(self, generators=(), *, stop: bool = False) -> None:
        jobs = [job for job in self._jobs if job.path not in (None, os.devnull)]
        self._jobs = []
        if stop:
            self._deferring = False
        if not jobs:
            return
        processes = self._processes(len(jobs))
        if processes > 1 and not self._prepared:
            self._prepare(generators)
        if processes <= 1:
            for job in jobs:
                _render(job)
        else:
            self._render_forked(jobs, processes)
        for job in jobs:  # Pelican logged "Writing" when it queued the page
            signals.content_written.send(job.path, context=job.context)

    def _processes(self, pages: int) -> int:
        wanted = self.settings.get("WRITE_PROCESSES") or os.cpu_count() or 1
        if (not hasattr(os, "fork") or self.settings.get("RELATIVE_URLS")
                or pages < self.settings.get("PARALLEL_WRITE_MIN_PAGES", PARALLEL_WRITE_MIN_PAGES)):
            return 1
        return max(1, min(int(wanted), pages))

    def _prepare(self, generators) -> None:
        for content in content_of(generators):
            content.content  # noqa: B018 - memoized: computed here, not in each child
            content.summary  # noqa: B018
        self._prepared = True

    def _render_forked(self, jobs: list[_Job], processes: int) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        tickets = _Tickets(jobs)
        children = []
        try:
            for _ in range(1, processes):
                read_end, write_end = os.pipe()
                pid = os.fork()
                if pid == 0:  # the child: render, report, leave without cleanup
                    os.close(read_end)
                    _child(tickets, write_end)
                os.close(write_end)
                children.append((pid, read_end))
            failure = None
            try:
                for job in tickets:
                    _render(job)
            except BaseException as error:  # noqa: BLE001 - re-raised once the children are reaped
                failure = error
            for pid, read_end in children:
                with os.fdopen(read_end, "rb") as pipe:
                    data = pipe.read()
                _, status = os.waitpid(pid, 0)
                report = _load(data, pid, status)
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

    def __init__(self, jobs: list[_Job]):
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
        while raw := os.read(self.read_end, self.TICKET.size):
            start = self.TICKET.unpack(raw)[0]
            yield from self.jobs[start:start + self.chunk]

    def close(self) -> None:
        os.close(self.read_end)


def _child(jobs, write_end: int) -> None:
    captured = _Captured()
    logging.getLogger().addHandler(captured)
    report: dict = {}
    code = 0
    try:
        for job in jobs:
            _render(job)
    except BaseException as error:  # noqa: BLE001 - everything goes back to the parent
        code = 1
        try:
            pickle.dumps(error)
            report["error"] = error
        except Exception:  # noqa: BLE001
            report["error"] = RuntimeError("".join(traceback.format_exception(error)))
    report["records"] = captured.records
    try:
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(pickle.dumps(report))
    finally:
        os._exit(code)


def _load(data: bytes, pid: int, status: int) -> dict:
    try:
        return pickle.loads(data)
    except Exception:  # noqa: BLE001 - the child died before it could report
        code = os.waitstatus_to_exitcode(status)
        return {"error": RuntimeError(f"a page-rendering process ({pid}) ended with status {code} "
                                      "without reporting")}


def _plugin_enabled(settings) -> bool:
    return __name__ in [getattr(p, "__name__", p) for p in settings.get("PLUGINS", [])]


class ParallelWrites:
    """Installs the writer and tells it when to render its queue."""

    def __init__(self):
        self.generators: list = []

    def all_generators_finalized(self, generators):
        self.generators = list(generators)

    def get_writer(self, pelican):
        # Signals outlive a build in this process: answer only for builds that list the plugin.
        return ParallelWriter if _plugin_enabled(pelican.settings) else None

    def article_writer_finalized(self, generator, writer):
        if isinstance(writer, ParallelWriter):
            writer.flush(self.generators)

    def page_writer_finalized(self, generator, writer):
        if isinstance(writer, ParallelWriter):
            writer.flush(self.generators, stop=True)

    def finalized(self, pelican):
        self.generators = []


PARALLEL_WRITES = ParallelWrites()


def register():
    signals.all_generators_finalized.connect(PARALLEL_WRITES.all_generators_finalized)
    signals.get_writer.connect(PARALLEL_WRITES.get_writer)
    signals.article_writer_finalized.connect(PARALLEL_WRITES.article_writer_finalized)
    signals.page_writer_finalized.connect(PARALLEL_WRITES.page_writer_finalized)
    signals.finalized.connect(PARALLEL_WRITES.finalized)
