"""Pages and feeds a rebuild takes unchanged from the last good output.

Pelican renders every page on every build. After a one-post edit on a
1,000-post blog, only that post's page and the few listings and feeds that show
it change: the other 1,600 files come out byte for byte the same. Pelican keeps
no record of what a page was made from, and no plugin does, so this module
keeps one for ``blogtools.plugins.speed.parallel_writer``:

* the **site key** hashes what any page may read: the theme's templates, the
  Jinja filters and globals, the shared context (settings, lists of posts,
  tags, categories, dates), and every post's, page's and static file's
  **outline**: all its attributes except the body-derived ones in ``BODY``;
* a post's **body digest** hashes those body-derived attributes (its HTML,
  summary, headings, word count, description, metadata);
* while a page renders, the Jinja environment's ``getattr`` and ``getitem``, and
  every filter, test or global function (other than Jinja's own) that is handed
  a post, note each post whose body the page reads: the page's
  **dependencies**. A feed depends on its entries' bodies. The posts a page reads
  anything of are noted too (``touched`` in the record): the live preview's
  patch of a title edit (:mod:`blogtools.commands.patch`) renders those pages again.

A page or feed is reused when the site key is the one the last good output was
built with, its file there is untouched since (size, inode and modification
time), and none of its dependencies' body digests has changed. So an edit to a
post's body re-renders the pages that show it; an edit to anything in an
outline (a title, date, tag or URL), a template, a setting or a plugin
re-renders everything.

The boundary: Python code that reads a post's body while a page renders must be
handed the post through the template (as an argument, alone, in a list or dict,
or on a paginated page). A filter or global that looked a body up by itself,
from state of its own, would go unnoticed. Whatever plugins compute before
rendering is covered: it lands in an outline or in the context, both hashed.

Reused files are hard links into the new output (copies where the file system
has none), so nothing may rewrite a written file in place: replace it instead.
The record of what each file was made from is kept in the build's cache folder;
``blogtools.commands.build`` commits it once the new output is in place and drops it when
a build fails, so the record always describes the output on disk. Publishing
(``publishconf.py``) turns all this off: readers get pages rendered from scratch.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import os
import pickle
import re
import types
from itertools import chain
from pathlib import PurePath

from jinja2.defaults import DEFAULT_NAMESPACE
from jinja2.filters import FILTERS as JINJA_FILTERS
from jinja2.tests import TESTS as JINJA_TESTS
from pelican.contents import Content
from pelican.paginator import Page
from pelican.urlwrappers import URLWrapper

from blogtools.plugins.site import all_content, content_lists

logger = logging.getLogger(__name__)

FORMAT = 1
RECORD_FILE = "rendered-pages.pickle"
# Attributes derived from a post's body. Reading one, or the metadata that holds
# several, in a template makes the page depend on the post's body digest.
BODY = frozenset({
    "_content", "content", "get_content", "_summary", "summary", "get_summary", "metadata",
    "headings", "table_of_contents", "word_count", "reading_time", "description",
    "meta_description", "json_ld",
})
# Never in an outline: the settings and context every post carries (hashed once).
NOT_OUTLINE = BODY | {"_context", "settings"}
# Context entries that differ between two builds of the same site.
VOLATILE = frozenset({"OUTPUT_PATH"})
# Context entries and generator lists no template lists in order, filled in the
# order files are read (which varies): hashed sorted.
LOOKUPS = frozenset({"generated_content", "static_content", "filenames", "staticfiles"})
# Filters Jinja ships only read a post through getattr/getitem, except attr().
TRUSTED_FILTERS = frozenset(JINJA_FILTERS) - {"attr"}

_reads: set | None = None  # the posts whose bodies the page being rendered reads
_touched: set | None = None  # the posts it reads anything of (the live preview's title patch)


def ref(content) -> str:
    """How a record names a post: its source file (or its output, for a made-up one)."""
    return content.source_path or f"output:{getattr(content, 'save_as', '')}"


_PLAIN = (type(None), bool, int, float)
_STAMPED = (bytes, dt.date, dt.time, dt.timedelta, dt.tzinfo, PurePath)


class _Canon:
    """Hashes values by content, never by identity, in the same form on every build.

    Values are written out as text pieces, hashed once at the end. A post met
    inside a value is named by ``ref`` and its outline written once, later, from
    a work list: posts point at each other (``prev_article``) in chains far
    deeper than Python's recursion limit.
    """

    def __init__(self):
        self._out: list[str] = []
        self._seen: dict[int, int] = {}
        self._alive: list = []  # ids stay unique while this object remembers them
        self._met: list = []  # posts named so far, in the order met
        self._outlined: set[str] = set()

    def hexdigest(self, outlines: bool = True) -> str:
        """The hash, after the outline of every post met (and met in outlines)."""
        while outlines and self._met:
            met, self._met = self._met, []
            for content in met:
                if ref(content) not in self._outlined:
                    self._outlined.add(ref(content))
                    self._outline(content)
        text = "".join(self._out)
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def add(self, value) -> None:
        out = self._out
        kind = type(value)
        if kind is str:
            out.append(f"s{len(value)}:")
            out.append(value)
            return
        if kind in _PLAIN:
            out.append(f"{value!r};")
            return
        if isinstance(value, str):  # Markup and other marked text
            out.append(f"{kind.__name__}{len(value)}:")
            out.append(value)
            return
        if isinstance(value, _STAMPED):
            out.append(f"{value!r};")
            return
        if isinstance(value, Content):
            out.append("C")
            self.add(ref(value))
            self._met.append(value)
            return
        seen = self._seen.get(id(value))
        if seen is not None:
            out.append(f"@{seen};")
            return
        self._seen[id(value)] = len(self._seen)
        self._alive.append(value)
        add = self.add
        if kind is list or kind is tuple:  # told apart: a template prints [1] and (1,)
            out.append(f"{'[' if kind is list else 'T['}{len(value)}")
            for item in value:
                add(item)
            out.append("]")
        elif kind is dict:
            out.append(f"{{{len(value)}")
            for key, item in value.items():
                add(key)
                add(item)
            out.append("}")
        elif isinstance(value, URLWrapper):
            out.append(f"W{kind.__name__}")
            add(value.name)
            add(value.slug)
        elif isinstance(value, (list, tuple, dict)):
            out.append(kind.__name__)
            add(list(value.items()) if isinstance(value, dict) else list(value))
        elif isinstance(value, (set, frozenset)):
            parts, met = [], []
            for item in value:  # in an order that may differ from build to build
                canon = _Canon()
                canon.add(item)
                parts.append(canon.hexdigest(outlines=False))
                met.extend(canon._met)
            out.append(f"{kind.__name__}({len(parts)}" + "".join(sorted(parts)) + ")")
            self._met.extend(sorted(met, key=ref))
        elif hasattr(value, "__wrapped__") and callable(value):  # a decorated function
            add(value.__wrapped__)
        elif isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type,
                                types.ModuleType)):
            out.append(f"F{getattr(value, '__module__', '')}."
                       f"{getattr(value, '__qualname__', value.__name__)};")
        elif isinstance(value, types.MethodType):
            add(value.__func__)
            add(value.__self__)
        elif isinstance(value, functools.partial):
            add((value.func, value.args, value.keywords))
        elif isinstance(value, re.Pattern):
            out.append(f"R{value.flags}:")
            add(value.pattern)
        elif hasattr(value, "__dict__"):
            out.append(f"O{type(value).__module__}.{type(value).__qualname__}")
            add(vars(value))
        else:  # a default repr names an address: never equal twice, so never reused
            out.append(f"?{type(value).__qualname__}:{value!r};")

    def _outline(self, content) -> None:
        out = self._out
        out.append(f"<{type(content).__name__}")
        self.add(ref(content))
        for name, value in vars(content).items():
            if name not in NOT_OUTLINE:
                self.add(name)
                self.add(value)
        metadata = getattr(content, "metadata", None) or {}
        self.add({key: value for key, value in metadata.items() if key not in BODY})
        out.append(">")


def body_digest(content) -> str:
    """The hash of a post's body-derived attributes.

    Text is hashed as it is; the rest is plain data (numbers, lists and dicts of
    text) whose ``repr`` is exact and computed in C, several times faster than
    walking it. A value whose ``repr`` names an address is walked instead
    (posts it names count by name only).
    """
    digest = hashlib.sha256()
    attributes = vars(content)
    rest = []
    for name in sorted(BODY & attributes.keys()):
        value = attributes[name]
        if name == "metadata":
            continue
        if isinstance(value, str):
            data = value.encode("utf-8", "surrogatepass")
            digest.update(b"%s %s %d:" % (name.encode(), type(value).__name__.encode(), len(data)))
            digest.update(data)
        else:
            rest.append((name, value))
    metadata = attributes.get("metadata") or {}
    rest.append({key: value for key, value in metadata.items() if key in BODY})
    text = repr(rest)
    if " at 0x" in text:
        canon = _Canon()
        canon.add(rest)
        text = canon.hexdigest(outlines=False)
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def outline_digest(content, names=None, without=frozenset()) -> str:
    """The hash of a post's outline (posts it names count by name only); with
    ``names``, of those attributes only (and its outline metadata); ``without``
    these attributes and metadata keys."""
    canon = _Canon()
    attributes = vars(content)
    for name in sorted(attributes if names is None else names):
        if name not in NOT_OUTLINE and name not in without:
            canon.add(name)
            canon.add(attributes.get(name, _Canon))  # _Canon: a marker no value equals
    metadata = attributes.get("metadata") or {}
    canon.add({key: value for key, value in metadata.items()
               if key not in BODY and key not in without})
    return canon.hexdigest(outlines=False)


def _template_files(loader):
    """Every file a Jinja loader can load a template from, or None if it cannot tell."""
    if hasattr(loader, "loaders"):  # ChoiceLoader
        parts = [_template_files(inner) for inner in loader.loaders]
        return None if None in parts else sorted(chain.from_iterable(parts))
    if hasattr(loader, "mapping"):  # PrefixLoader of loaders, or a DictLoader of sources
        parts = [_template_files(inner) if hasattr(inner, "get_source") else [(key, inner)]
                 for key, inner in sorted(loader.mapping.items())]
        return None if None in parts else sorted(chain.from_iterable(parts))
    if hasattr(loader, "searchpath"):  # FileSystemLoader
        return [(os.path.join(root, name), None)
                for folder in loader.searchpath
                for root, _, names in os.walk(folder) for name in names]
    return None


def _sorted(value):
    if isinstance(value, dict):
        return dict(sorted(value.items()))
    if isinstance(value, list):
        return sorted(value, key=ref)
    return value


def site_key(generators, context) -> str | None:
    """The hash of what every page may read; None when a template source is unknown."""
    canon = _Canon()
    canon.add(FORMAT)
    environments = {id(g.env): g.env for g in generators if getattr(g, "env", None) is not None}
    for env in environments.values():
        files = _template_files(env.loader)
        if files is None:
            return None
        for path, source in files:
            canon.add(path)
            if source is None:
                with open(path, "rb") as handle:
                    source = hashlib.sha256(handle.read()).hexdigest()
            canon.add(source)
        canon.add(env.globals)
        canon.add(dict(sorted(env.filters.items())))
        canon.add(dict(sorted(env.tests.items())))
    canon.add({key: _sorted(value) if key in LOOKUPS else value
               for key, value in context.items() if key not in VOLATILE})
    for generator in generators:
        for name in content_lists(generator, static=True):
            value = getattr(generator, name)
            canon.add(_sorted(value) if name in LOOKUPS else value)
    return canon.hexdigest()


# --- noting what a page reads -------------------------------------------------------


class Reads:
    """While a page renders: the ``ref`` of each post whose body it reads; and, in
    ``touched`` afterwards, of each post it reads anything of."""

    def __enter__(self) -> set[str]:
        global _reads, _touched
        self.previous = _reads, _touched
        _reads, self.touched = set(), set()
        _touched = self.touched
        return _reads

    def __exit__(self, *exc) -> None:
        global _reads, _touched
        _reads, _touched = self.previous


def _note(value, depth: int = 3) -> None:
    """Note each post in an argument: itself, in a collection (``tags`` holds
    ``(tag, posts)`` pairs) or on a paginated page (``object_list``)."""
    if isinstance(value, Content):
        _reads.add(ref(value))
        _touched.add(ref(value))
        return
    if not depth or isinstance(value, str):
        return
    if isinstance(value, dict):
        items = value.values()
    elif isinstance(value, Page):  # never hasattr(): an Undefined raises on any attribute
        items = value.object_list
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = value
    else:
        return
    for item in items:
        _note(item, depth - 1)


def _noting(function):
    @functools.wraps(function)  # keeps Jinja's pass_context/pass_environment marks
    def noting(*args, **kwargs):
        if _reads is not None:
            for value in chain(args, kwargs.values()):
                _note(value)
        return function(*args, **kwargs)
    return noting


def trace(env) -> None:
    """Make ``env`` note body reads: its attribute lookups, and every filter, test
    and global function that does not come with Jinja (they may read a post they
    are handed in Python). Once the plugins have added theirs."""
    if getattr(env, "_render_cache_traced", False):
        return
    plain_getattr, plain_getitem = env.getattr, env.getitem

    def getattr_(obj, attribute):
        if _reads is not None and isinstance(obj, Content):
            name = ref(obj)
            _touched.add(name)
            if attribute in BODY:
                _reads.add(name)
        return plain_getattr(obj, attribute)

    def getitem_(obj, argument):  # also obj[1:3], and a slice is unhashable before 3.12
        if _reads is not None and isinstance(obj, Content):
            name = ref(obj)
            _touched.add(name)
            if isinstance(argument, str) and argument in BODY:
                _reads.add(name)
        return plain_getitem(obj, argument)

    env.getattr, env.getitem = getattr_, getitem_
    for name, function in list(env.filters.items()):
        if name not in TRUSTED_FILTERS or function is not JINJA_FILTERS.get(name):
            env.filters[name] = _noting(function)
    for name, function in list(env.tests.items()):
        if function is not JINJA_TESTS.get(name):
            env.tests[name] = _noting(function)
    for name, value in list(env.globals.items()):
        if isinstance(value, (types.FunctionType, types.MethodType, functools.partial)) \
                and value is not DEFAULT_NAMESPACE.get(name):
            env.globals[name] = _noting(value)
    env._render_cache_traced = True


# --- the record ------------------------------------------------------------------------


def _record_path(settings, suffix: str = "") -> str:
    return os.path.join(settings["CACHE_PATH"], RECORD_FILE + suffix)


def _pending_path(settings) -> str:
    return _record_path(settings, f".{os.getpid()}.pending")


def _load(path: str) -> dict:
    try:
        with open(path, "rb") as handle:
            record = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError):
        return {}
    return record if isinstance(record, dict) and record.get("format") == FORMAT else {}


def _save(record: dict, path: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "wb") as handle:
        pickle.dump(record, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


def _stamp(path: str):
    status = os.stat(path)
    return status.st_size, status.st_ino, status.st_mtime_ns


class RenderCache:
    """One build's view: what can be reused from the last good output, and what this
    build's files were made from."""

    def __init__(self, settings, output_path: str, previous_output: str):
        self.settings = settings
        self.output_path = output_path
        self.previous_output = os.path.abspath(previous_output)
        self._key: str | None = None
        self._record: dict | None = None
        self._touched: dict = {}
        self._bodies: dict[str, str] = {}
        self._by_ref: dict[str, object] = {}
        self._generators: list = []
        self.reused = 0

    @classmethod
    def for_build(cls, settings, output_path: str) -> RenderCache | None:
        previous = settings.get("RENDER_CACHE_OUTPUT")
        if not previous or not settings.get("RENDER_CACHE", True) or settings.get("RELATIVE_URLS"):
            return None
        return cls(settings, output_path, previous)

    def start(self, generators) -> None:
        """Once the generators are final and their plugins' filters added, before any
        page renders."""
        for generator in generators:
            if getattr(generator, "env", None) is not None:
                trace(generator.env)
        self._generators = list(generators)

    def _ready(self) -> bool:
        if self._record is None:
            generators = self._generators
            context = generators[0].context if generators else {}
            self._key = site_key(generators, context)
            self._by_ref = {ref(content): content for content in all_content(generators, static=True)}
            record = _load(_record_path(self.settings))
            fits = (self._key is not None and record.get("site") == self._key
                    and record.get("output") == self.previous_output)
            self._record = record.get("files", {}) if fits else {}
            self._touched = record.get("touched", {}) if fits else {}
        return self._key is not None

    def body(self, name: str) -> str | None:
        digest = self._bodies.get(name)
        if digest is None and name in self._by_ref:
            digest = self._bodies[name] = body_digest(self._by_ref[name])
        return digest

    def reusable(self, path: str, kind: str):
        """The last good output's copy of ``path`` and its dependencies, if still current."""
        if not self._ready():
            return None
        relative = os.path.relpath(path, self.output_path)
        entry = self._record.get(relative)
        if entry is None or entry[0] != kind:
            return None
        _, dependencies, stamp = entry
        if any(digest is None or self.body(name) != digest for name, digest in dependencies):
            return None
        old = os.path.join(self.previous_output, relative)
        try:
            if _stamp(old) != stamp:
                return None
        except OSError:
            return None
        self.reused += 1
        return old, dependencies

    def touched(self, path: str):
        """The posts the last good output's ``path`` read anything of (None: not recorded)."""
        return self._touched.get(os.path.relpath(path, self.output_path))

    def save_pending(self, jobs) -> None:
        """What each file of this build was made from, committed once the build is in place."""
        if not self._ready():
            return
        # A reused file keeps its recorded dependencies; a rendered one has the
        # names of the posts it read, digested now.
        files = {os.path.relpath(job.path, self.output_path):
                 (job.kind, job.deps if job.source is not None else
                  tuple(sorted((name, self.body(name)) for name in job.deps)))
                 for job in jobs if job.deps is not None}
        logger.debug("render cache: %d of %d files linked from %s", self.reused, len(files),
                     self.previous_output)
        touched = {os.path.relpath(job.path, self.output_path): tuple(sorted(job.touched))
                   for job in jobs
                   if job.deps is not None and getattr(job, "touched", None) is not None}
        _save({"format": FORMAT, "site": self._key, "output": self.previous_output,
               "files": files, "touched": touched, "reused": self.reused},
              _pending_path(self.settings))


def commit(settings, output: str) -> tuple[int, int] | None:
    """After ``output`` became the new good output: its files' record, with their stamps.

    Returns how many of the build's pages and feeds were reused, and of how many.
    """
    pending = _pending_path(settings)
    record = _load(pending)
    if not record:
        return None
    files = {}
    for relative, (kind, dependencies) in record["files"].items():
        try:
            files[relative] = (kind, dependencies, _stamp(os.path.join(output, relative)))
        except OSError:
            continue
    record["files"] = files
    _save(record, _record_path(settings))
    os.unlink(pending)
    return record.get("reused", 0), len(files)


def amend(settings, output: str, files: dict[str, tuple], touched: dict | None = None) -> None:
    """Files of the live output rewritten in place (the preview's patch): their new
    record entries, ``relative path -> (kind, ((post, body digest), ...))``, and the
    posts each read anything of."""
    record = _load(_record_path(settings))
    if not record:
        return
    record.setdefault("touched", {}).update(touched or {})
    for relative, (kind, dependencies) in files.items():
        try:
            record["files"][relative] = (kind, dependencies,
                                         _stamp(os.path.join(output, relative)))
        except OSError:
            record["files"].pop(relative, None)
    _save(record, _record_path(settings))


def discard(settings) -> None:
    """A failed build: its output was dropped, so the last record stays true."""
    try:
        os.unlink(_pending_path(settings))
    except OSError:
        pass
