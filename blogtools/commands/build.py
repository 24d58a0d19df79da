"""Atomic, warning-free builds with one clear line per problem.

``python -m blogtools.commands.build [-s pelicanconf.py] [-o output] [--debug]`` runs
Pelican into a fresh temporary folder beside the output folder. Any warning or
error Pelican logs fails the build (the same rule as ``pelican --fatal
warnings``, but the whole run is reported, not just the first problem). Only a
build with no problem replaces the output folder, in one atomic rename
(:mod:`blogtools.publish.swap`), so readers and the preview server never see a
half-written or broken site: a failed build leaves the last good output exactly
as it was.

Faults: a build killed at any moment leaves the last good output; the next
build removes the staging folders it left (``.output-build-*``,
``.output-old-*``) and puts back an output a swap cut short. Two builds of one
output (the live preview and ``invoke build``) take turns on a lock file beside
it (``.output.lock``); the second waits up to ``BUILD_LOCK_WAIT`` seconds
(120), then stops naming the other process. A full disk or an unwritable folder
is one line, ``output: cannot write (No space left on device); ...``, and the
last good output stays.

After the link check, the new site is scanned for secrets (AWS keys, private
key blocks, tokens, credential files: :mod:`blogtools.commands.secrets`); a
finding fails the build on the Markdown line that holds it.

Problems in content are printed as ``content/posts/x.md:3: what (how to fix)``;
``--debug`` adds the traceback.
"""

from __future__ import annotations

import argparse
import errno
import fcntl
import logging
import os
import shlex
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import blogtools.plugins
from blogtools.commands.patch import Keeper
from blogtools.commands.problems import ProblemCollector
from blogtools.commands.secrets import scan_site
from blogtools.commands.settings import SETTINGS_FILE, load_settings
from blogtools.errors import ContentError, display_path
from blogtools.plugins.site import MissingPlugin
from blogtools.publish.swap import old_copies, process_alive, replace_folder, restore

# The code that renders content: a change to it must not be served from the cache.
PLUGINS_PACKAGE = Path(blogtools.plugins.__file__).resolve().parent
# Loggers whose warnings and errors fail the build.
WATCHED_LOGGERS = ("pelican", "blogtools")
# How long a build waits for another build of the same output (setting BUILD_LOCK_WAIT).
LOCK_WAIT = 120.0
# Why a folder cannot be written, and what the author can do about it.
WRITE_FIXES = {
    errno.ENOSPC: "free some disk space",
    errno.EDQUOT: "free some space within your disk quota",
    errno.EACCES: "make {folder} writable",
    errno.EPERM: "make {folder} writable",
    errno.EROFS: "{folder} is on a read-only disk: build elsewhere with -o",
}
# Tests only: ``BLOGTOOLS_BUILD_KILL_AT=<point>`` makes the build SIGKILL itself at
# that point (see ``checkpoint`` calls), to prove a kill there loses nothing.
KILL_AT = "BLOGTOOLS_BUILD_KILL_AT"
# Marks a cache folder while Pelican runs on it, with the build's pid after it.
RUNNING = "build-running-"


# Lock descriptors this process holds. A forked worker (the parallel writer, the
# prerender pool) closes its copies: one orphaned by a killed build would
# otherwise hold the lock for as long as it lives.
HELD_LOCKS: set[int] = set()


def _forget_locks() -> None:
    for descriptor in HELD_LOCKS:
        try:
            os.close(descriptor)
        except OSError:
            pass
    HELD_LOCKS.clear()


os.register_at_fork(after_in_child=_forget_locks)


class BuildLocked(Exception):
    """Another build of the same output did not finish within the wait."""


@dataclass
class BuildResult:
    ok: bool
    output: Path
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    articles: int = 0
    pages: int = 0
    # Pages and feeds taken unchanged from the last output, of how many (None: not recorded).
    reused: tuple[int, int] | None = None
    # What the build tidied up: folders a killed build left behind.
    notes: list[str] = field(default_factory=list)
    # With build(keep=True), a good build as the live preview keeps it (commands.patch.Kept).
    kept: object = None

    def rendered(self) -> str:
        """'6 of 1,728 pages and feeds rendered, the rest unchanged', or '' if not recorded."""
        if self.reused is None:
            return ""
        reused, files = self.reused
        return f"{files - reused:,} of {files:,} pages and feeds rendered, the rest unchanged"


def cache_fingerprint(settings) -> str:
    """A short hash of what rendered content depends on besides the content itself.

    Pelican's content cache is keyed on file modification times only, so a
    change to a reader, a Markdown extension or the Markdown settings would
    serve stale HTML. Each fingerprint gets its own cache folder.
    """
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256()
    for source in sorted(PLUGINS_PACKAGE.rglob("*.py")):
        digest.update(source.read_bytes())
    for package in ("pelican", "markdown", "pygments", "latex2mathml"):
        digest.update(version(package).encode())
    for key in ("MARKDOWN", "FORMATTED_FIELDS", "SITEURL", "PLUGINS", "TIMEZONE", "GZIP_CACHE"):
        digest.update(repr(settings.get(key)).encode())
    return digest.hexdigest()[:12]


def build(settings_file: str | os.PathLike = SETTINGS_FILE, output: str | os.PathLike | None = None,
          *, debug: bool = False, keep: bool = False, **overrides) -> BuildResult:
    """Build the site; replace ``output`` only if the build had no problem.

    ``keep``: the result's ``kept`` holds the build's objects, for the live
    preview's patches (:mod:`blogtools.commands.patch`)."""
    from pelican import Pelican, signals

    from blogtools.plugins.speed import render_cache

    started = time.perf_counter()
    collector = ProblemCollector(debug)
    loggers = [logging.getLogger(name) for name in WATCHED_LOGGERS]
    previous_levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(collector)
        # Only warnings and errors matter to a build; Pelican's "Writing ..." line
        # per page is a log record too (and a tenth of a second on a large site).
        logger.setLevel(logging.DEBUG if debug else logging.WARNING)
    # Pelican's LimitFilter drops a message logged once before in this process: a
    # preview's second build with the same deprecated setting would pass.
    settings_logger = logging.getLogger("pelican.settings")
    settings_filters = list(settings_logger.filters)
    if hasattr(settings_logger, "disable_filter"):
        settings_logger.disable_filter()
    staging = target = None
    notes: list[str] = []
    try:
        settings = load_settings(settings_file, **overrides)
        target = Path(output or settings["OUTPUT_PATH"]).resolve()
        wait = float(settings.get("BUILD_LOCK_WAIT", LOCK_WAIT))
        with output_lock(target, wait):
            notes = tidy(target)
            checkpoint("locked")
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-build-", dir=target.parent))
            keeper = Keeper() if keep else None
            try:
                result = run_pelican(Pelican, signals, settings, settings_file, staging, target,
                                     collector, debug, notes, keeper)
                result.notes = notes
                if result.ok:
                    checkpoint("staged")
                    replace_folder(staging, target)
                    staging = None
                    checkpoint("swapped")
                    result.reused = render_cache.commit(settings, str(target))
                    if keeper is not None:
                        result.kept = keeper.kept(settings, target)
            finally:
                if staging is not None:  # not live: its record of rendered pages is void
                    render_cache.discard(settings)
    except BuildLocked as error:
        result = BuildResult(ok=False, output=target, problems=[str(error)], notes=notes)
    except OSError as error:
        problem = cannot_write(error, target) if target is not None else None
        if problem is None:
            raise
        result = BuildResult(ok=False, output=target, problems=[problem], notes=notes)
    finally:
        for logger, level in zip(loggers, previous_levels):
            logger.removeHandler(collector)
            logger.setLevel(level)
        settings_logger.filters[:] = settings_filters
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    result.seconds = time.perf_counter() - started
    return result


def run_pelican(Pelican, signals, settings, settings_file, staging: Path, target: Path,
                collector: ProblemCollector, debug: bool, notes: list[str],
                keeper: Keeper | None = None) -> BuildResult:
    """Run Pelican into ``staging`` and check its links; the result says whether it may go live."""
    settings["OUTPUT_PATH"] = str(staging)
    settings["DELETE_OUTPUT_DIRECTORY"] = False
    settings["CACHE_PATH"] = os.path.join(settings["CACHE_PATH"], cache_fingerprint(settings))
    cache = Path(settings["CACHE_PATH"])
    notes.extend(clear_cut_cache(cache))
    cache.mkdir(parents=True, exist_ok=True)
    running = cache / f"{RUNNING}{os.getpid()}"
    running.touch()
    # Unchanged pages may be taken from here (blogtools.plugins.speed.render_cache).
    settings["RENDER_CACHE_OUTPUT"] = str(target)
    counts = {}

    def count(generators):
        for generator in generators:
            counts[type(generator).__name__] = len(
                getattr(generator, "articles", getattr(generator, "pages", [])) or [])

    signals.all_generators_finalized.connect(count)
    try:
        with keeper or nullcontext():
            Pelican(settings).run()
    except MissingPlugin as error:
        collector.problems.append(f"{display_path(settings_file)}: {error}")
    except ContentError as error:
        collector.problems.append(error.format())
    except OSError as error:
        if cannot_write(error, target) is None:
            report_crash(error, collector, debug)
        else:
            raise  # one line, from build()
    except Exception as error:  # a plugin or template failed: report, never swap
        report_crash(error, collector, debug)
    finally:
        signals.all_generators_finalized.disconnect(count)
        running.unlink(missing_ok=True)
    if not collector.problems and settings.get("LINK_CHECK_ON_BUILD", True):
        collector.problems.extend(broken_links(staging, settings, keeper))
    if not collector.problems:  # no setting turns this off: SECRETS_ALLOW allows one finding
        collector.problems.extend(
            finding.format() for finding in scan_site(staging, settings, shown_as=display_path(target)))
    return BuildResult(ok=not collector.problems, output=target, problems=collector.problems,
                       articles=counts.get("ArticlesGenerator", 0),
                       pages=counts.get("PagesGenerator", 0))


def clear_cut_cache(cache: Path) -> list[str]:
    """Empty ``cache`` if a build was killed while Pelican ran on it.

    Pelican writes its content cache in place (``pelican.cache.FileDataCacher
    .save_cache``), and reads a file cut short by a kill as ``EOFError: Ran out
    of input`` on every later build. A build marks the cache while Pelican runs;
    a mark whose process is gone means the cache may be cut short.
    """
    for mark in cache.glob(f"{RUNNING}*"):
        pid = mark.name[len(RUNNING):]
        if pid.isdigit() and int(pid) != os.getpid() and process_alive(int(pid)):
            continue  # another build on this cache, now (into another output)
        shutil.rmtree(cache, ignore_errors=True)
        return [f"Emptied {display_path(cache)}, which a killed build may have cut short"]
    return []


def report_crash(error: Exception, collector: ProblemCollector, debug: bool) -> None:
    if not collector.problems or debug:
        detail = "".join(traceback.format_exception(error)) if debug else \
            f"{type(error).__name__}: {error}"
        collector.problems.append(f"error: {detail}")


def broken_links(site: Path, settings, keeper: Keeper | None = None) -> list[str]:
    """Internal links, fragments and assets of the fresh build that resolve to nothing.

    Runs the site's link checker (internal mode) on the staging folder, so a
    broken link or a missing image fails the build like any other content
    error, reported on the Markdown line that holds it.
    """
    from blogtools.linkcheck import Options, check_site
    from blogtools.linkcheck.sources import load_sources

    siteurl = settings.get("SITEURL") or ""
    sourcemap = settings.get("SOURCEMAP_PATH")
    sources = load_sources(sourcemap) if sourcemap and os.path.exists(sourcemap) else None
    report = check_site(str(site), Options(
        base_url=siteurl if "://" in siteurl else None, sources=sources,
        parse_cache=os.path.join(settings["CACHE_PATH"], "linkcheck-parsed.pickle"),
        keep=keeper is not None))
    if keeper is not None:
        keeper.links = report.kept
    problems, seen = [], set()
    # A post's broken link also shows on the home page, its tag pages and the
    # feeds: report it once, on the Markdown line the author can fix.
    for problem in sorted(report.broken, key=lambda p: (p.content_line is None, p.sort_key())):
        if (problem.target, problem.reason) in seen:
            continue
        seen.add((problem.target, problem.reason))
        if problem.content_source and problem.content_line:
            where = f"{display_path(problem.content_source)}:{problem.content_line}"
        else:
            where = f"{problem.source}:{problem.line} (built file; no Markdown line found)"
        hint = f" (did you mean {problem.suggestion}?)" if problem.suggestion else ""
        problems.append(f"{where}: broken link {problem.target}: {problem.reason}{hint}")
    return problems


@contextmanager
def output_lock(target: Path, wait: float, note=None) -> Iterator[None]:
    """Hold the lock on building ``target``, waiting up to ``wait`` seconds for it.

    The lock is ``fcntl.flock`` on ``.<output>.lock`` beside the output: the
    system drops it when its holder ends, however it ends, so a killed build
    never leaves it held. The holder writes its pid and command line in the
    file, for the message of a build that waited too long.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    note = note or (lambda line: print(line, file=sys.stderr, flush=True))
    descriptor = os.open(target.parent / f".{target.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        waiting = False
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = lock_holder(descriptor)
                if time.monotonic() >= deadline:
                    raise BuildLocked(
                        f"{display_path(target)}: another build of it is still running after "
                        f"{wait:g} s ({holder}) (let it finish or stop it, then build again; "
                        f"BUILD_LOCK_WAIT sets the wait)") from None
                if not waiting:
                    note(f"Waiting for another build of {display_path(target)} to finish ({holder})...")
                    waiting = True
                time.sleep(0.1)
        HELD_LOCKS.add(descriptor)
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n{command_line()}\n".encode(), 0)
        yield
    finally:
        HELD_LOCKS.discard(descriptor)
        os.close(descriptor)  # and with it the lock


def lock_holder(descriptor: int) -> str:
    """'pid 1234: python -m blogtools.commands.preview', as the holder wrote it."""
    pid, _, command = os.pread(descriptor, 4096, 0).decode("utf-8", "replace").partition("\n")
    if not pid.strip().isdigit():
        return "another process; its pid is not recorded yet"
    return f"pid {pid.strip()}: {command.strip() or 'command unknown'}"


def command_line() -> str:
    program, *args = sys.orig_argv
    return shlex.join([os.path.basename(program), *args])[:300]


def tidy(target: Path) -> list[str]:
    """Undo what killed builds left: an output a swap cut short, staging and old folders.

    Only called with the lock held, so none of them belongs to a running build.
    """
    notes = []
    restored = restore(target)
    if restored is not None:
        notes.append(f"Put back {display_path(target)} from {restored.name}, "
                     "left by a build killed while swapping")
    for path in [*target.parent.glob(f".{target.name}-build-*"), *old_copies(target)]:
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            notes.append(f"Removed {path.name}, left by a build that was killed")
    return notes


def cannot_write(error: OSError, target: Path) -> str | None:
    """The one line for a folder the build cannot write, or None for another error."""
    fix = WRITE_FIXES.get(error.errno)
    if fix is None:
        return None
    failed = Path(error.filename) if error.filename else target
    ours = failed == target.parent or failed.parent == target.parent or \
        failed.name.startswith(f".{target.name}-") or \
        any(part.startswith(f".{target.name}-build-") for part in failed.parts)
    where = target if ours else failed
    folder = display_path(target.parent if ours else failed.parent)
    return (f"{display_path(where)}: cannot write ({error.strerror}); the last good site was kept "
            f"({fix.format(folder=folder)}, then build again)")


def checkpoint(point: str) -> None:
    if os.environ.get(KILL_AT) == point:
        os.kill(os.getpid(), signal.SIGKILL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m blogtools.commands.build", description=__doc__.split("\n")[0])
    parser.add_argument("-s", "--settings", default=SETTINGS_FILE)
    parser.add_argument("-o", "--output", default=None)
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    args = parser.parse_args(argv)
    result = build(args.settings, args.output, debug=args.debug)
    for note in result.notes:
        print(note, file=sys.stderr)
    if not result.ok:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        print(f"Build failed: {len(result.problems)} problem(s); "
              f"{result.output} was left as it was.", file=sys.stderr)
        return 1
    rendered = f"; {result.rendered()}" if result.reused is not None else ""
    print(f"Built {result.articles} post(s) and {result.pages} page(s) into "
          f"{result.output} in {result.seconds:.2f} s{rendered}")
    return 0


if __name__ == "__main__":
    code = main()
    # Leave without tearing down the site's objects one by one (a quarter of a
    # second on a 1,000-post site): every file is written and closed by now.
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
