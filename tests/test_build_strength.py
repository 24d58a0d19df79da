"""What the atomic build promises the author, checked piece by piece.

The build (``python -m blogtools.commands.build``) writes the site into a hidden
staging folder beside the output, fails on any warning, a broken link or a
secret, and only then swaps the new site in (:mod:`blogtools.publish.swap`).
Most checks call the module's functions on small folders in tmp_path; where
Pelican itself does not matter, a stand-in Pelican writes a page or logs a
warning, so a test takes milliseconds. A few tiny real builds cover the rest.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import io
import itertools
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

import pytest

import blogtools.commands.build as build_module
import blogtools.publish.swap as swap
from blogtools.commands.build import (
    BuildLocked,
    BuildResult,
    broken_links,
    build,
    cache_fingerprint,
    cannot_write,
    checkpoint,
    clear_cut_cache,
    command_line,
    lock_holder,
    main,
    output_lock,
    report_crash,
    tidy,
)
from blogtools.commands.problems import ProblemCollector
from blogtools.commands.settings import SETTINGS_FILE, load_settings
from blogtools.errors import ContentError
from blogtools.plugins.site import MissingPlugin
from blogtools.publish.swap import exchange, old_copies, process_alive, replace_folder, restore
from tests.conftest import ROOT, SETTINGS, TinySite
from tests.publishing import tree_digest, two_posts, with_about_page


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    done = subprocess.Popen(["true"])
    done.wait()
    return done.pid


def folder(path: Path, **files: str) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (path / name).write_text(text)
    return path


def beside(target: Path) -> list[str]:
    """What sits beside ``target`` apart from it (staging, old copies, the lock)."""
    return sorted(p.name for p in target.parent.iterdir() if p.name != target.name)


# -- swap: exchange ----------------------------------------------------------------------------


def renameat2_works(tmp_path: Path) -> bool:
    """Whether this system swaps two folders with renameat2 (asked without the module's help)."""
    a, b = folder(tmp_path / "probe-a"), folder(tmp_path / "probe-b")
    libc = ctypes.CDLL(None, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    ok = libc.renameat2(-100, os.fsencode(a), -100, os.fsencode(b), 2) == 0
    return ok


def test_exchange_swaps_two_folders_atomically_where_the_system_can(tmp_path):
    """On Linux the swap is one renameat2 call: both folders stay, contents exchanged."""
    if not renameat2_works(tmp_path):
        pytest.skip("renameat2(RENAME_EXCHANGE) is not available here")
    a, b = folder(tmp_path / "a", x="a"), folder(tmp_path / "b", x="b")
    assert exchange(a, b) is True
    assert (a / "x").read_text() == "b" and (b / "x").read_text() == "a"


def test_exchange_of_a_missing_folder_is_an_error_naming_it(tmp_path):
    """A failure other than 'cannot swap here' is an OSError naming the folder."""
    b = folder(tmp_path / "b")
    with pytest.raises(OSError) as raised:
        exchange(tmp_path / "gone", b)
    assert raised.value.errno == errno.ENOENT
    assert raised.value.strerror == os.strerror(errno.ENOENT)
    assert raised.value.filename == str(tmp_path / "gone")


class FakeLibc:
    """A C library whose renameat2 fails with ``code`` (0: succeeds), recording its calls."""

    def __init__(self, code: int):
        self.calls = []

        def renameat2(*args):
            self.calls.append(args)
            if code:
                ctypes.set_errno(code)
                return -1
            return 0

        self.renameat2 = renameat2


@pytest.mark.parametrize("code", [errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP])
def test_exchange_says_no_where_the_file_system_cannot_swap(tmp_path, monkeypatch, code):
    """A file system or kernel without RENAME_EXCHANGE: False, so two renames are used."""
    monkeypatch.setattr(swap.ctypes, "CDLL", lambda *a, **k: FakeLibc(code))
    assert exchange(tmp_path / "a", tmp_path / "b") is False


def test_exchange_reports_other_failures(tmp_path, monkeypatch):
    """EXDEV (two disks) is not 'cannot swap here': it is an error naming the first folder."""
    monkeypatch.setattr(swap.ctypes, "CDLL", lambda *a, **k: FakeLibc(errno.EXDEV))
    with pytest.raises(OSError) as raised:
        exchange(tmp_path / "a", tmp_path / "b")
    assert (raised.value.errno, raised.value.filename) == (errno.EXDEV, str(tmp_path / "a"))
    assert raised.value.strerror == os.strerror(errno.EXDEV)


def test_exchange_passes_both_paths_to_the_system(tmp_path, monkeypatch):
    """The call names both folders, relative to the current folder, with the exchange flag."""
    libc = FakeLibc(0)
    monkeypatch.setattr(swap.ctypes, "CDLL", lambda *a, **k: libc)
    assert exchange(tmp_path / "a", tmp_path / "b") is True
    assert libc.calls == [(-100, os.fsencode(tmp_path / "a"), -100, os.fsencode(tmp_path / "b"), 2)]


@pytest.mark.parametrize("libc", [None, object()], ids=["no C library", "no renameat2"])
def test_exchange_says_no_without_renameat2(tmp_path, monkeypatch, libc):
    """Not Linux (no renameat2, or no C library to load): False, never a crash."""
    def load(*args, **kwargs):
        if libc is None:
            raise OSError("no libc")
        return libc

    monkeypatch.setattr(swap.ctypes, "CDLL", load)
    assert exchange(tmp_path / "a", tmp_path / "b") is False


# -- swap: replace_folder, restore, old_copies, process_alive ---------------------------------


@pytest.mark.parametrize("first_build", [False, True])
def test_replace_folder_puts_the_new_site_in_place_of_the_old_one(tmp_path, first_build):
    """The new site is at the output (on a first build it simply becomes it), readable by a
    web server (0755); nothing is left beside it."""
    target = tmp_path / "site" / "output"
    if not first_build:
        folder(target, page="old")
    new = folder(tmp_path / "site" / ".output-build-1", page="new")
    new.chmod(0o700)
    replace_folder(new, target)
    assert (target / "page").read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o755
    assert beside(target) == []


def test_replace_folder_with_two_renames_leaves_nothing_beside(tmp_path, monkeypatch):
    """Where renameat2 is missing: the old site goes aside, the new one in, the old one away."""
    monkeypatch.setattr(swap, "exchange", lambda a, b: False)
    target = folder(tmp_path / "site" / "output", page="old")
    new = folder(tmp_path / "site" / ".output-build-1", page="new")
    renames = []
    real_rename = Path.rename

    def rename(self, to):
        renames.append((self.name, Path(to).name))
        return real_rename(self, to)

    monkeypatch.setattr(Path, "rename", rename)
    replace_folder(new, target)
    assert (target / "page").read_text() == "new"
    assert beside(target) == []
    (aside, first), second = renames
    assert aside == "output" and re.fullmatch(rf"\.output-old-{os.getpid()}-\d+", first)
    assert second == (".output-build-1", "output")


def test_restore_puts_back_the_newest_old_copy(tmp_path):
    """A swap cut short between its renames: the newest old copy becomes the output again."""
    target = tmp_path / "output"
    older = folder(tmp_path / ".output-old-9-9", page="older")
    time.sleep(0.05)  # distinct change times on a file system with coarse ones
    newer = folder(tmp_path / ".output-old-1-1", page="newer")
    assert old_copies(target) == [newer, older]
    assert restore(target) == newer
    assert (target / "page").read_text() == "newer"
    assert old_copies(target) == [older]


def test_restore_leaves_an_existing_output_alone(tmp_path):
    """The output is there (even as a link): nothing to undo, the old copies stay."""
    copy = folder(tmp_path / ".output-old-1-1", page="old")
    target = folder(tmp_path / "output", page="current")
    assert restore(target) is None
    assert (target / "page").read_text() == "current" and copy.exists()
    target_link = tmp_path / "linked"
    target_link.symlink_to(tmp_path / "nowhere")
    folder(tmp_path / ".linked-old-1-1")
    assert restore(target_link) is None
    assert target_link.is_symlink()


def test_restore_without_an_old_copy_does_nothing(tmp_path):
    (tmp_path / ".output-old-1-1").write_text("a file, not a folder")
    folder(tmp_path / ".other-old-1-1")
    assert restore(tmp_path / "output") is None
    assert not (tmp_path / "output").exists()


def test_old_copies_are_only_folders_of_this_output(tmp_path):
    target = tmp_path / "output"
    mine = folder(tmp_path / ".output-old-9-9")
    (tmp_path / ".output-old-file").write_text("x")
    folder(tmp_path / ".outputs-old-1")
    folder(tmp_path / "output-old-1")
    assert old_copies(target) == [mine]


def test_process_alive():
    """A leftover named after a running process is in use; one after an ended process is not."""
    assert process_alive(dead_pid()) is False


def test_asking_whether_a_process_is_alive_leaves_it_running():
    """The question sends no signal: the other build goes on."""
    other = subprocess.Popen([sys.executable, "-c", "import signal, time; "
                              "signal.signal(signal.SIGHUP, signal.SIG_DFL); print(flush=True); "
                              "time.sleep(60)"], stdout=subprocess.PIPE)
    other.stdout.readline()  # its SIGHUP handler is the default one now
    try:
        assert process_alive(other.pid) is True
        with pytest.raises(subprocess.TimeoutExpired):
            other.wait(timeout=1)
    finally:
        other.kill()
        other.wait()


@pytest.fixture
def _stuck_file(monkeypatch):
    """A file named ``stuck`` that cannot be removed (held by another program, say)."""
    real_unlink = os.unlink

    def unlink(path, *args, **kwargs):
        if os.path.basename(os.fsdecode(path)) == "stuck":
            raise PermissionError(errno.EPERM, "Operation not permitted", path)
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", unlink)


@pytest.mark.parametrize("two_renames", [False, True])
def test_an_old_site_that_cannot_be_removed_does_not_undo_the_swap(tmp_path, monkeypatch, _stuck_file,
                                                                   two_renames):
    """Removing the old site is tidying up: if a file of it stays, the new site is still live."""
    if two_renames:
        monkeypatch.setattr(swap, "exchange", lambda a, b: False)
    target = folder(tmp_path / "output", page="old", stuck="x")
    new = folder(tmp_path / ".output-build-1", page="new")
    replace_folder(new, target)
    assert (target / "page").read_text() == "new"
    assert not (target / "stuck").exists()


def test_a_process_of_another_user_counts_as_alive(monkeypatch):
    def kill(pid, signal):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(swap.os, "kill", kill)
    assert process_alive(12345) is True


# -- the cache fingerprint ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def settings():
    return load_settings(SETTINGS)


@pytest.mark.parametrize(("key", "value"), [
    ("MARKDOWN", {"extensions": []}),
    ("FORMATTED_FIELDS", ["summary", "other"]),
    ("SITEURL", "https://example.org"),
    ("PLUGINS", []),
    ("TIMEZONE", "UTC"),
    ("GZIP_CACHE", True),
])
def test_the_cache_fingerprint_changes_with_the_settings_that_shape_html(settings, key, value):
    """A change to these settings must not serve HTML rendered under the old ones from the cache."""
    before = cache_fingerprint(settings)
    assert re.fullmatch(r"[0-9a-f]{12}", before)
    assert cache_fingerprint(dict(settings, **{key: value})) != before
    assert cache_fingerprint(dict(settings)) == before


def test_the_cache_fingerprint_ignores_settings_that_do_not_shape_html(settings):
    """Changing the site's name or the port does not throw the cache away."""
    assert cache_fingerprint(dict(settings, SITENAME="Other", PORT=1)) == cache_fingerprint(settings)


def test_the_cache_fingerprint_changes_with_our_rendering_code(settings, tmp_path, monkeypatch):
    """An edit to a plugin's Python (in any subfolder) gives a fresh cache; other files do not."""
    plugins = folder(tmp_path / "plugins", **{"a.py": "A = 1\n", "notes.txt": "x"})
    folder(plugins / "sub", **{"b.py": "B = 1\n"})
    monkeypatch.setattr(build_module, "PLUGINS_PACKAGE", plugins)
    before = cache_fingerprint(settings)
    (plugins / "notes.txt").write_text("y")
    assert cache_fingerprint(settings) == before
    (plugins / "sub" / "b.py").write_text("B = 2\n")
    edited = cache_fingerprint(settings)
    assert edited != before
    (plugins / "a.py").write_text("A = 2\n")
    assert cache_fingerprint(settings) != edited


@pytest.mark.parametrize("package", ["pelican", "markdown", "pygments", "latex2mathml"])
def test_the_cache_fingerprint_changes_with_the_renderers_versions(settings, monkeypatch, package):
    """Upgrading Pelican, Markdown, Pygments or latex2mathml gives a fresh cache."""
    import importlib.metadata

    real = importlib.metadata.version
    before = cache_fingerprint(settings)
    monkeypatch.setattr(importlib.metadata, "version",
                        lambda name: "999.0" if name == package else real(name))
    assert cache_fingerprint(settings) != before


# -- a cache cut short by a killed build -------------------------------------------------------


def test_a_cache_marked_by_a_dead_build_is_emptied(tmp_path):
    """Pelican may have been killed mid-write: the cache goes, with a note saying why."""
    cache = folder(tmp_path / "cache" / "abc", data="half a pickle")
    (cache / f"build-running-{dead_pid()}").touch()
    notes = clear_cut_cache(cache)
    assert notes == [f"Emptied {cache}, which a killed build may have cut short"]
    assert not cache.exists()


@pytest.mark.parametrize("mark", ["build-running-", "build-running-x1", "build-running-{own}"])
def test_a_cache_with_an_unreadable_or_own_mark_is_emptied(tmp_path, mark):
    """A mark without a running other build behind it (no pid, or this very process's) is stale."""
    cache = folder(tmp_path / "cache", data="x")
    (cache / mark.format(own=os.getpid())).touch()
    assert len(clear_cut_cache(cache)) == 1
    assert not cache.exists()


def test_a_cache_in_use_by_another_running_build_is_kept(tmp_path):
    """Another build (into another output) is using this cache now: leave it alone."""
    cache = folder(tmp_path / "cache", data="x")
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (cache / f"build-running-{other.pid}").touch()
        (cache / "build-running").touch()  # not a mark (no dash): ignored
        assert clear_cut_cache(cache) == []
        assert (cache / "data").read_text() == "x"
    finally:
        other.kill()
        other.wait()


def test_an_unmarked_cache_is_kept(tmp_path):
    cache = folder(tmp_path / "cache", data="x")
    assert clear_cut_cache(cache) == []
    assert (cache / "data").exists()


# -- what a crash reports ----------------------------------------------------------------------


def test_a_crash_is_one_line_naming_the_error():
    collector = ProblemCollector(False)
    report_crash(ValueError("boom"), collector, debug=False)
    assert collector.problems == ["error: ValueError: boom"]


def test_a_crash_after_a_reported_problem_adds_nothing():
    """The problem logged first is the cause; the crash it led to would only repeat it."""
    collector = ProblemCollector(False)
    collector.problems.append("content/posts/x.md:3: bad")
    report_crash(ValueError("boom"), collector, debug=False)
    assert collector.problems == ["content/posts/x.md:3: bad"]


def test_a_crash_with_debug_shows_the_traceback_even_after_a_problem():
    collector = ProblemCollector(True)
    collector.problems.append("content/posts/x.md:3: bad")
    try:
        raise ValueError("boom")
    except ValueError as raised:
        error = raised
        report_crash(error, collector, debug=True)
    assert len(collector.problems) == 2
    assert collector.problems[1] == "error: " + "".join(traceback.format_exception(error))
    assert collector.problems[1].startswith("error: Traceback (most recent call last):\n  File ")


# -- the link gate -----------------------------------------------------------------------------


def page(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html>\n<html><head><title>t</title></head>\n<body>\n{body}\n</body></html>\n")
    return path


def test_a_broken_link_is_reported_once_on_the_markdown_line(tmp_path):
    """The post's page, the home page and a tag page all show the link: one line, the Markdown's."""
    site = tmp_path / "site"
    page(site / "index.html", '<a href="/posts/gone/">gone</a>')
    page(site / "tags/a/index.html", '<a href="/posts/gone/">gone</a>')
    page(site / "posts/x/index.html", '<p>Intro</p>\n<a href="/posts/gone/">gone</a>')
    source = tmp_path / "content" / "x.md"
    source.parent.mkdir()
    source.write_text("+++\ntitle = 'x'\n+++\n\nIntro\n\nSee [gone](/posts/gone/).\n")
    sources = tmp_path / "sources.json"
    sources.write_text(json.dumps({"posts/x/index.html": str(source)}))
    problems = broken_links(site, {"SITEURL": "", "SOURCEMAP_PATH": str(sources),
                                   "CACHE_PATH": str(tmp_path / "cache")})
    assert problems == [f"{source}:7: broken link /posts/gone/: file not found: posts/gone/"]


def test_a_broken_link_without_a_source_names_the_built_file(tmp_path):
    """No source map (or no line in it): the built file and its line, said plainly, with a hint."""
    site = tmp_path / "site"
    page(site / "posts/good/index.html", "<p>fine</p>")
    page(site / "index.html", '<a href="/posts/god/">typo</a>\n<a href="/zzz/qqq.png">bad</a>')
    settings = {"SITEURL": "", "SOURCEMAP_PATH": str(tmp_path / "missing.json"),
                "CACHE_PATH": str(tmp_path / "cache")}
    problems = broken_links(site, settings)
    assert problems == [
        "index.html:4 (built file; no Markdown line found): broken link /posts/god/: "
        "file not found: posts/god/ (did you mean /posts/good/?)",
        "index.html:5 (built file; no Markdown line found): broken link /zzz/qqq.png: "
        "file not found: zzz/qqq.png",
    ]
    assert (tmp_path / "cache" / "linkcheck-parsed.pickle").exists()


def test_a_link_to_the_site_by_its_full_address_is_checked(tmp_path):
    """With SITEURL https://example.org, https://example.org/gone/ is an internal link that is broken."""
    site = tmp_path / "site"
    page(site / "index.html", '<a href="https://example.org/gone/">gone</a>')
    settings = {"SITEURL": "https://example.org", "CACHE_PATH": str(tmp_path / "cache")}
    problems = broken_links(site, settings)
    assert len(problems) == 1 and "broken link https://example.org/gone/" in problems[0]
    # A relative SITEURL (local preview) is no base: the same address is someone else's site.
    assert broken_links(site, dict(settings, SITEURL="/blog")) == []
    assert broken_links(site, dict(settings, SITEURL=None)) == []


# -- the lock ----------------------------------------------------------------------------------


def test_the_lock_file_names_its_holder(tmp_path, monkeypatch):
    """Beside the output, ``.output.lock`` holds the pid and command line of the build holding it."""
    monkeypatch.setattr(sys, "orig_argv", ["/usr/bin/python3", "-m", "blogtools.commands.preview"])
    target = tmp_path / "new" / "folder" / "output"  # made if missing
    with output_lock(target, 0):
        text = (target.parent / ".output.lock").read_text()
        assert text == f"{os.getpid()}\npython3 -m blogtools.commands.preview\n"
    assert (target.parent / ".output.lock").stat().st_mode & 0o777 == 0o644 & ~current_umask()


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_second_build_gives_up_after_the_wait_naming_the_first(tmp_path, monkeypatch):
    """The message names the output, the wait, the holder, and how to change the wait."""
    monkeypatch.setattr(sys, "orig_argv", ["python", "-m", "blogtools.commands.preview"])
    target = tmp_path / "output"
    lines = []
    with output_lock(target, 0), pytest.raises(BuildLocked) as raised, output_lock(target, 0.25, lines.append):
        pass
    assert str(raised.value) == (
        f"{target}: another build of it is still running after 0.25 s (pid {os.getpid()}: "
        "python -m blogtools.commands.preview) (let it finish or stop it, then build again; "
        "BUILD_LOCK_WAIT sets the wait)")
    assert lines == [f"Waiting for another build of {target} to finish "
                     f"(pid {os.getpid()}: python -m blogtools.commands.preview)..."]


def test_the_wait_notice_goes_to_stderr_by_default(tmp_path, capsys):
    target = tmp_path / "output"
    with output_lock(target, 0), pytest.raises(BuildLocked), output_lock(target, 0.15):
        pass
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"Waiting for another build of {target} to finish (pid ")


class FakeClock:
    """Stands in for the build module's clock: sleeping moves time on, instantly."""

    def __init__(self):
        self.now = 1000.0
        self.slept = 0.0

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds
        self.slept += seconds

    perf_counter = staticmethod(lambda: 0.0)


def test_by_default_a_second_build_waits_two_minutes(tmp_path, monkeypatch, settings):
    """No BUILD_LOCK_WAIT in the settings: the wait is 120 s, then one line and no build."""
    clock = FakeClock()
    monkeypatch.setattr(build_module, "time", clock)
    target = tmp_path / "output"
    assert "BUILD_LOCK_WAIT" not in settings
    with output_lock(target, 0):
        result = build(SETTINGS, target, PATH=str(folder(tmp_path / "content")),
                       CACHE_PATH=str(tmp_path / "cache"))
    assert result.ok is False and result.output == target and result.notes == []
    assert len(result.problems) == 1
    assert "another build of it is still running after 120 s" in result.problems[0]
    assert 120 <= clock.slept < 121
    assert not target.exists()
    assert [name for name in beside(target) if name.startswith(".output-")] == []


def test_build_lock_wait_sets_the_wait(tmp_path, monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(build_module, "time", clock)
    target = tmp_path / "output"
    with output_lock(target, 0):
        result = build(SETTINGS, target, BUILD_LOCK_WAIT="2.5", PATH=str(folder(tmp_path / "content")))
    assert "still running after 2.5 s" in result.problems[0]
    assert 2.5 <= clock.slept < 3


def test_the_lock_is_free_again_after_a_build(tmp_path):
    target = tmp_path / "output"
    with output_lock(target, 0):
        assert build_module.HELD_LOCKS
    assert not build_module.HELD_LOCKS
    with output_lock(target, 0):
        pass


def test_a_worker_forked_by_the_build_does_not_keep_the_lock(tmp_path):
    """The parallel writer forks; a worker left running must not hold the output's lock."""
    target = tmp_path / "output"
    told, tell = os.pipe()  # the worker tells it has started
    with output_lock(target, 0):
        child = os.fork()
        if child == 0:  # the worker: outlives the build
            os.write(tell, b"x")
            signal.pause()
            os._exit(0)
        os.read(told, 1)
    try:
        with output_lock(target, 0):  # the next build gets the lock at once
            pass
    finally:
        os.kill(child, 9)
        os.waitpid(child, 0)
        os.close(told)
        os.close(tell)


@pytest.mark.parametrize(("text", "holder"), [
    ("", "another process; its pid is not recorded yet"),
    ("abc\npython\n", "another process; its pid is not recorded yet"),
    ("1234\n", "pid 1234: command unknown"),
    (" 1234 \n  invoke build  \n", "pid 1234: invoke build"),
    ("1234\npython -m x\nmore", "pid 1234: python -m x\nmore"),
])
def test_the_holder_is_described_as_written(tmp_path, text, holder):
    path = tmp_path / ".output.lock"
    path.write_text(text)
    descriptor = os.open(path, os.O_RDONLY)
    try:
        assert lock_holder(descriptor) == holder
    finally:
        os.close(descriptor)


def test_the_command_line_is_quoted_and_cut_short(monkeypatch):
    monkeypatch.setattr(sys, "orig_argv", ["/opt/py/bin/python", "-m", "x", "a b"])
    assert command_line() == "python -m x 'a b'"
    monkeypatch.setattr(sys, "orig_argv", ["python", "x" * 400])
    assert command_line() == ("python " + "x" * 400)[:300]


# -- tidying what killed builds left -----------------------------------------------------------


def test_tidy_removes_staging_and_old_folders_of_this_output_only(tmp_path):
    target = folder(tmp_path / "output", page="live")
    folder(tmp_path / ".output-build-abc", page="half")
    folder(tmp_path / ".output-old-1-2", page="old")
    folder(tmp_path / ".other-build-abc")
    folder(tmp_path / "output-build-abc")
    notes = tidy(target)
    assert sorted(notes) == ["Removed .output-build-abc, left by a build that was killed",
                             "Removed .output-old-1-2, left by a build that was killed"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other-build-abc", "output", "output-build-abc"]
    assert (target / "page").read_text() == "live"


def test_tidy_puts_back_an_output_a_swap_cut_short(tmp_path):
    target = tmp_path / "output"
    folder(tmp_path / ".output-old-1-2", page="last good")
    notes = tidy(target)
    assert notes == [f"Put back {target} from .output-old-1-2, left by a build killed while swapping"]
    assert (target / "page").read_text() == "last good"
    assert beside(target) == []


def test_tidy_notes_only_what_it_removed(tmp_path):
    """A leftover it cannot remove is not reported as removed."""
    target = folder(tmp_path / "output")
    (tmp_path / ".output-build-file").write_text("not a folder")
    assert tidy(target) == []


def test_tidy_with_nothing_left_says_nothing(tmp_path):
    assert tidy(folder(tmp_path / "output")) == []


# -- a folder that cannot be written -----------------------------------------------------------


@pytest.mark.parametrize(("code", "fix"), [
    (errno.ENOSPC, "free some disk space"),
    (errno.EDQUOT, "free some space within your disk quota"),
    (errno.EACCES, "make {folder} writable"),
    (errno.EPERM, "make {folder} writable"),
    (errno.EROFS, "{folder} is on a read-only disk: build elsewhere with -o"),
])
def test_a_write_failure_in_the_output_folder_is_one_line(tmp_path, code, fix):
    target = tmp_path / "site" / "output"
    failed = tmp_path / "site" / ".output-build-x1" / "posts" / "x" / "index.html"
    line = cannot_write(OSError(code, os.strerror(code), str(failed)), target)
    assert line == (f"{target}: cannot write ({os.strerror(code)}); the last good site was kept "
                    f"({fix.format(folder=target.parent)}, then build again)")


@pytest.mark.parametrize("failed", ["{parent}", "{parent}/.output.lock", "/elsewhere/.output-old-1",
                                    None])
def test_a_write_failure_on_our_own_files_names_the_output(tmp_path, failed):
    """The lock, a staging or old folder, the output's folder: the author sees the output named."""
    target = tmp_path / "site" / "output"
    filename = failed.format(parent=target.parent) if failed else None
    line = cannot_write(OSError(errno.EACCES, "Permission denied", filename), target)
    assert line == (f"{target}: cannot write (Permission denied); the last good site was kept "
                    f"(make {target.parent} writable, then build again)")


def test_a_write_failure_elsewhere_names_that_file(tmp_path):
    """The cache on a full disk: the message names the cache file and its folder."""
    target = tmp_path / "site" / "output"
    failed = tmp_path / "cache" / "abc" / "ArticlesGenerator-Readers"
    line = cannot_write(OSError(errno.EACCES, "Permission denied", str(failed)), target)
    assert line == (f"{failed}: cannot write (Permission denied); the last good site was kept "
                    f"(make {failed.parent} writable, then build again)")


def test_another_os_error_is_not_a_write_failure(tmp_path):
    assert cannot_write(OSError(errno.ENOENT, "No such file", "x"), tmp_path / "output") is None


# -- test hooks and the result -----------------------------------------------------------------


def test_checkpoint_kills_only_at_the_chosen_point():
    """BLOGTOOLS_BUILD_KILL_AT=<point> kills the build there, and nowhere else."""
    code = ("import os, sys; from blogtools.commands.build import checkpoint; "
            "checkpoint('locked'); print('after locked', flush=True); checkpoint('staged'); "
            "print('after staged')")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "BLOGTOOLS_BUILD_KILL_AT": "staged"}, timeout=60)
    assert done.returncode == -9
    assert done.stdout == "after locked\n"


def test_checkpoint_without_the_variable_does_nothing(monkeypatch):
    monkeypatch.delenv("BLOGTOOLS_BUILD_KILL_AT", raising=False)
    checkpoint("locked")
    monkeypatch.setenv("BLOGTOOLS_BUILD_KILL_AT", "swapped")
    checkpoint("locked")


def test_what_was_rendered_is_said_in_words():
    result = BuildResult(ok=True, output=Path("output"), reused=(2, 1728))
    assert result.rendered() == "1,726 of 1,728 pages and feeds rendered, the rest unchanged"
    assert BuildResult(ok=True, output=Path("output")).rendered() == ""


# -- main: what the command prints -------------------------------------------------------------


def test_the_command_reports_a_failure_and_its_problems(monkeypatch, capsys):
    calls = []

    def fake_build(settings, output, debug=False):
        calls.append((settings, output, debug))
        return BuildResult(ok=False, output=Path("/site/output"), problems=["a.md:1: bad", "b.md:2: worse"],
                           notes=["Removed .output-build-x, left by a build that was killed"])

    monkeypatch.setattr(build_module, "build", fake_build)
    assert main(["-s", "conf.py", "-o", "elsewhere", "--debug"]) == 1
    assert calls == [("conf.py", "elsewhere", True)]
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "Removed .output-build-x, left by a build that was killed", "a.md:1: bad", "b.md:2: worse",
        "Build failed: 2 problem(s); /site/output was left as it was."]


def test_the_command_reports_a_success(monkeypatch, capsys):
    calls = []

    def fake_build(settings, output, debug=False):
        calls.append((settings, output, debug))
        return BuildResult(ok=True, output=Path("/site/output"), seconds=1.234, articles=3, pages=1,
                           reused=(5, 8), notes=["a note"])

    monkeypatch.setattr(build_module, "build", fake_build)
    assert main([]) == 0
    assert calls == [(SETTINGS_FILE, None, False)]
    captured = capsys.readouterr()
    assert captured.err == "a note\n"
    assert captured.out == ("Built 3 post(s) and 1 page(s) into /site/output in 1.23 s; "
                            "3 of 8 pages and feeds rendered, the rest unchanged\n")
    monkeypatch.setattr(build_module, "build", lambda *a, **k: BuildResult(ok=True, output=Path("o")))
    assert main(["--settings", "x.py", "--output", "y"]) == 0
    assert capsys.readouterr().out == "Built 0 post(s) and 0 page(s) into o in 0.00 s\n"


# -- whole builds with a stand-in Pelican ------------------------------------------------------


class StandIn:
    """Replaces Pelican for one build: ``run`` gets the settings Pelican would get."""

    def __init__(self, monkeypatch, run):
        import pelican

        self.settings = None
        stand_in = self

        class Pelican:
            def __init__(self, settings):
                stand_in.settings = settings

            def run(self):
                run(stand_in.settings)

        monkeypatch.setattr(pelican, "Pelican", Pelican)


def unique(message: str) -> str:
    """A message never logged before: Pelican drops one it logged once in this process."""
    return f"{message} ({next(MESSAGES)})"


MESSAGES = itertools.count()


def writes(body: str = "<p>Hello.</p>"):
    def run(settings):
        page(Path(settings["OUTPUT_PATH"]) / "index.html", body)
    return run


@pytest.fixture
def last_good(tmp_path):
    """An output holding the last good site, and the overrides for a build of it."""
    output = folder(tmp_path / "site" / "output", **{"index.html": "last good"})
    overrides = {"PATH": str(folder(tmp_path / "content")), "CACHE_PATH": str(tmp_path / "cache"),
                 "SOURCEMAP_PATH": str(tmp_path / "sources.json")}
    return output, overrides


def test_a_good_build_is_swapped_in_and_its_staging_folder_is_gone(last_good, monkeypatch):
    output, overrides = last_good
    stand_in = StandIn(monkeypatch, writes("<p>New.</p>"))
    result = build(SETTINGS, output, **overrides)
    assert result.ok, result.problems
    assert result.output == output
    assert "<p>New.</p>" in (output / "index.html").read_text()
    assert beside(output) == [".output.lock"]
    # Pelican wrote a staging folder beside the output, and kept its cache per fingerprint.
    staging = Path(stand_in.settings["OUTPUT_PATH"])
    assert staging.parent == output.parent and staging.name.startswith(".output-build-")
    assert stand_in.settings["DELETE_OUTPUT_DIRECTORY"] is False
    cache = Path(stand_in.settings["CACHE_PATH"])
    assert cache.parent == Path(overrides["CACHE_PATH"])
    assert cache.name == cache_fingerprint(stand_in.settings)
    assert stand_in.settings["RENDER_CACHE_OUTPUT"] == str(output)
    assert [p.name for p in cache.iterdir() if p.name.startswith("build-running")] == []


def test_the_output_defaults_to_the_settings_output_path(tmp_path, monkeypatch):
    StandIn(monkeypatch, writes())
    output = tmp_path / "from-settings"
    result = build(SETTINGS, OUTPUT_PATH=str(output), PATH=str(folder(tmp_path / "content")),
                   CACHE_PATH=str(tmp_path / "cache"))
    assert result.ok and result.output == output
    assert (output / "index.html").exists()


def test_the_cache_is_marked_while_pelican_runs(last_good, monkeypatch):
    """So that a build killed mid-run leaves a mark the next build acts on."""
    output, overrides = last_good
    seen = []
    StandIn(monkeypatch, lambda s: (seen.extend(Path(s["CACHE_PATH"]).iterdir()), writes()(s)))
    assert build(SETTINGS, output, **overrides).ok
    assert [p.name for p in seen] == [f"build-running-{os.getpid()}"]


def test_a_cache_cut_short_is_emptied_and_noted(last_good, monkeypatch, capsys):
    output, overrides = last_good
    stand_in = StandIn(monkeypatch, writes())
    assert build(SETTINGS, output, **overrides).ok
    cache = Path(stand_in.settings["CACHE_PATH"])
    (cache / "stale").write_text("half")
    (cache / f"build-running-{dead_pid()}").touch()
    result = build(SETTINGS, output, **overrides)
    assert result.ok
    assert result.notes == [f"Emptied {cache}, which a killed build may have cut short"]
    assert not (cache / "stale").exists()


def test_a_pelican_warning_fails_the_build_and_keeps_the_last_good_site(last_good, monkeypatch):
    """Any warning Pelican logs fails the build; the staging folder is removed; output untouched."""
    output, overrides = last_good

    def run(settings):
        writes()(settings)
        logging.getLogger("pelican.generators").warning("Something is odd in %s", message)
        logging.getLogger("pelican.generators").info("Writing things")

    message = unique("x.md")
    StandIn(monkeypatch, run)
    result = build(SETTINGS, output, **overrides)
    assert not result.ok
    assert result.problems == [f"warning: Something is odd in {message}"]
    assert (output / "index.html").read_text() == "last good"
    assert beside(output) == [".output.lock"]


def test_a_warning_from_our_plugins_fails_the_build(last_good, monkeypatch):
    output, overrides = last_good
    message = unique("broken")
    StandIn(monkeypatch, lambda s: (writes()(s), logging.getLogger("blogtools.x").error(message)))
    result = build(SETTINGS, output, **overrides)
    assert result.problems == [f"error: {message}"]
    assert (output / "index.html").read_text() == "last good"


def test_the_build_puts_the_loggers_back_as_they_were(last_good, monkeypatch):
    """A preview that builds again and again does not collect handlers or change log levels."""
    output, overrides = last_good
    StandIn(monkeypatch, writes())
    loggers = [logging.getLogger("pelican"), logging.getLogger("blogtools")]
    before = [(list(lg.handlers), lg.level) for lg in loggers]
    loggers[0].setLevel(logging.ERROR)
    try:
        assert build(SETTINGS, output, **overrides).ok
        assert loggers[0].level == logging.ERROR
        assert [list(lg.handlers) for lg in loggers] == [h for h, _ in before]
    finally:
        loggers[0].setLevel(before[0][1])


def test_only_warnings_are_collected_without_debug(last_good, monkeypatch):
    """Pelican's per-page 'Writing ...' lines are not even produced unless --debug."""
    output, overrides = last_good
    levels = []
    StandIn(monkeypatch, lambda s: (levels.append(logging.getLogger("pelican").level), writes()(s)))
    assert build(SETTINGS, output, **overrides).ok
    assert build(SETTINGS, output, debug=True, **overrides).ok
    assert levels == [logging.WARNING, logging.DEBUG]


@pytest.mark.parametrize(("raised", "problem"), [
    (MissingPlugin("the plugin x is not installed"), "{settings}: the plugin x is not installed"),
    (ContentError("bad thing", path="content/posts/x.md", line=3), "content/posts/x.md:3: bad thing"),
    (RuntimeError("template broke"), "error: RuntimeError: template broke"),
    (OSError(errno.ENOENT, "No such file or directory"), "error: FileNotFoundError: [Errno 2] "
                                                         "No such file or directory"),
])
def test_a_failed_pelican_run_is_one_line_and_keeps_the_site(last_good, monkeypatch, raised, problem):
    output, overrides = last_good

    def run(settings):
        writes()(settings)
        raise raised

    StandIn(monkeypatch, run)
    result = build(SETTINGS, output, **overrides)
    assert result.problems == [problem.format(settings=os.path.relpath(SETTINGS))]
    assert (output / "index.html").read_text() == "last good"
    assert beside(output) == [".output.lock"]


def test_a_full_disk_while_pelican_writes_is_one_line(last_good, monkeypatch):
    output, overrides = last_good

    def run(settings):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), settings["OUTPUT_PATH"] + "/x.html")

    StandIn(monkeypatch, run)
    result = build(SETTINGS, output, **overrides)
    assert result.problems == [f"{output}: cannot write (No space left on device); the last good "
                               "site was kept (free some disk space, then build again)"]
    assert (output / "index.html").read_text() == "last good"
    assert beside(output) == [".output.lock"]


def test_a_full_disk_before_pelican_runs_is_one_line(tmp_path, monkeypatch):
    """Even the staging folder cannot be made: one line, nothing left beside the output."""
    output = folder(tmp_path / "output", **{"index.html": "last good"})

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / ".output-build-x"))

    monkeypatch.setattr(build_module.tempfile, "mkdtemp", no_space)
    result = build(SETTINGS, output, PATH=str(tmp_path), CACHE_PATH=str(tmp_path / "cache"))
    assert result.problems == [f"{output}: cannot write (No space left on device); the last good "
                               "site was kept (free some disk space, then build again)"]
    assert beside(output) == [".output.lock"]


def test_another_os_error_outside_pelican_is_raised(tmp_path, monkeypatch):
    """Not a write failure: a real bug, shown with its traceback rather than hidden."""
    def broken(*args, **kwargs):
        raise OSError(errno.ENOENT, "No such file or directory", "x")

    monkeypatch.setattr(build_module, "tidy", broken)
    with pytest.raises(FileNotFoundError):
        build(SETTINGS, tmp_path / "output", PATH=str(tmp_path), CACHE_PATH=str(tmp_path / "cache"))


def test_broken_links_fail_the_build_when_the_link_check_is_on(last_good, monkeypatch):
    """LINK_CHECK_ON_BUILD on (the default): a broken link keeps the last good site."""
    output, overrides = last_good
    StandIn(monkeypatch, writes('<a href="/posts/gone/">gone</a>'))
    for settings in ({}, {"LINK_CHECK_ON_BUILD": True}):
        result = build(SETTINGS, output, **overrides, **settings)
        assert result.problems == ["index.html:4 (built file; no Markdown line found): broken link "
                                   "/posts/gone/: file not found: posts/gone/"]
        assert (output / "index.html").read_text() == "last good"


def test_broken_links_are_published_when_the_link_check_is_off(last_good, monkeypatch):
    """LINK_CHECK_ON_BUILD = False: the build is not held up by links (publish checks them later)."""
    output, overrides = last_good
    StandIn(monkeypatch, writes('<a href="/posts/gone/">gone</a>'))
    result = build(SETTINGS, output, LINK_CHECK_ON_BUILD=False, **overrides)
    assert result.ok, result.problems
    assert "/posts/gone/" in (output / "index.html").read_text()


def test_a_secret_in_the_site_fails_the_build(last_good, monkeypatch):
    output, overrides = last_good
    StandIn(monkeypatch, writes("<p>key AKIAIOSFODNN7EXAMPLF</p>"))
    result = build(SETTINGS, output, **overrides)
    assert not result.ok and len(result.problems) == 1
    assert result.problems[0].startswith(f"{output}/index.html")
    assert (output / "index.html").read_text() == "last good"
    assert beside(output) == [".output.lock"]


def test_no_link_check_or_secret_scan_after_a_pelican_problem(last_good, monkeypatch):
    """One problem is reported once: the broken link and the key are not piled on top."""
    output, overrides = last_good

    def run(settings):
        writes('<a href="/gone/">x</a> AKIAIOSFODNN7EXAMPLF')(settings)
        logging.getLogger("pelican").warning(message)

    message = unique("odd")
    StandIn(monkeypatch, run)
    assert build(SETTINGS, output, **overrides).problems == [f"warning: {message}"]


def test_a_broken_link_is_reported_alone_without_the_secret_scan(last_good, monkeypatch):
    output, overrides = last_good
    StandIn(monkeypatch, writes('<a href="/gone/">x</a> AKIAIOSFODNN7EXAMPLF'))
    problems = build(SETTINGS, output, **overrides).problems
    assert len(problems) == 1 and "broken link /gone/" in problems[0]


# -- real builds of a tiny site ----------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A tiny site (two posts, an About page), built once with ``-o`` into another folder."""
    site = TinySite(tmp_path_factory.mktemp("tiny"))
    with_about_page(site)
    two_posts(site)
    elsewhere = site.root / "elsewhere" / "public"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["-s", str(site.settings_file()), "-o", str(elsewhere)])
    return site, elsewhere, code, out.getvalue()


def test_dash_o_builds_into_the_folder_given(tiny, capsys):
    """``python -m blogtools.commands.build -o DIR`` writes DIR, not the settings' OUTPUT_PATH."""
    site, elsewhere, code, out = tiny
    assert code == 0
    assert re.fullmatch(rf"Built 2 post\(s\) and 1 page\(s\) into {re.escape(str(elsewhere))} in "
                        r"\d+\.\d\d s; \d+ of [1-9]\d+ pages and feeds rendered, the rest unchanged",
                        out.splitlines()[-1]), out
    assert (elsewhere / "posts" / "first-post" / "index.html").exists()
    assert (elsewhere / "index.html").exists()
    assert not site.output.exists()
    assert beside(elsewhere) == [".public.lock"]


def test_a_real_pelican_warning_fails_the_build_and_removes_its_staging_folder(tiny):
    """A deprecated setting is an ordinary Pelican warning: the build fails, nothing changes."""
    filters = list(logging.getLogger("pelican.settings").filters)
    site, elsewhere, _, _ = tiny
    before = tree_digest(elsewhere)
    for _again in range(2):  # the live preview builds again in the same process: same verdict
        result = build(site.settings_file(), elsewhere, JINJA_EXTENSIONS=[])
        assert not result.ok
        assert result.problems == ["warning: JINJA_EXTENSIONS setting has been deprecated, moving it "
                                   "to JINJA_ENVIRONMENT setting."]
        assert tree_digest(elsewhere) == before
        assert beside(elsewhere) == [".public.lock"]
    assert logging.getLogger("pelican.settings").filters == filters


# -- more of what the author sees ------------------------------------------------------------


def test_the_command_explains_itself(capsys):
    """``--help`` names the command, says what it does, and what --debug is for."""
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith("usage: python -m blogtools.commands.build [-h] [-s SETTINGS] [-o OUTPUT] [--debug]")
    assert "Atomic, warning-free builds with one clear line per problem." in out
    assert "Faults:" not in out  # the first line of the docstring only
    assert "--debug show tracebacks" in out


def test_the_command_says_how_long_the_build_took(tmp_path, monkeypatch, capsys):
    """The time printed is the build's own, from start to swap."""
    clock = FakeClock()
    ticks = iter([100.0, 102.5])
    clock.perf_counter = lambda: next(ticks)
    monkeypatch.setattr(build_module, "time", clock)
    StandIn(monkeypatch, writes())
    site = TinySite(tmp_path)
    assert main(["-s", str(site.settings_file())]) == 0
    assert capsys.readouterr().out == f"Built 0 post(s) and 0 page(s) into {site.output} in 2.50 s\n"


def test_a_build_notes_what_killed_builds_left_and_removes_it(last_good, monkeypatch):
    output, overrides = last_good
    folder(output.parent / ".output-build-k1l", page="half")
    StandIn(monkeypatch, writes())
    result = build(SETTINGS, output, **overrides)
    assert result.ok
    assert result.notes == ["Removed .output-build-k1l, left by a build that was killed"]
    assert beside(output) == [".output.lock"]


def test_a_failed_build_still_notes_what_it_tidied(last_good, monkeypatch):
    output, overrides = last_good
    folder(output.parent / ".output-build-k1l")
    StandIn(monkeypatch, writes('<a href="/gone/">x</a>'))
    result = build(SETTINGS, output, **overrides)
    assert not result.ok
    assert result.notes == ["Removed .output-build-k1l, left by a build that was killed"]


def test_a_full_disk_still_notes_what_the_build_tidied(tmp_path, monkeypatch):
    output = folder(tmp_path / "output", page="last good")
    folder(tmp_path / ".output-build-k1l")
    overrides = {"PATH": str(folder(tmp_path / "content")), "CACHE_PATH": str(tmp_path / "cache")}

    def run(settings):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), settings["OUTPUT_PATH"])

    StandIn(monkeypatch, run)
    result = build(SETTINGS, output, **overrides)
    assert result.ok is False and len(result.problems) == 1 and result.output == output
    assert result.notes == ["Removed .output-build-k1l, left by a build that was killed"]


def test_a_kill_at_each_checkpoint_would_leave_a_whole_site(last_good, monkeypatch):
    """Where a test may kill the build: the lock held, the new site staged, the new site live."""
    output, overrides = last_good
    seen = []

    def checkpoint(point):
        staged = sorted(p.name for p in output.parent.glob(".output-build-*"))
        seen.append((point, (output / "index.html").read_text().startswith("last good"), len(staged)))

    monkeypatch.setattr(build_module, "checkpoint", checkpoint)
    StandIn(monkeypatch, writes())
    assert build(SETTINGS, output, **overrides).ok
    assert seen == [("locked", True, 0), ("staged", True, 1), ("swapped", False, 0)]


def test_a_new_holder_overwrites_the_last_holders_line(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "orig_argv", ["python", "-m", "x"])
    target = tmp_path / "output"
    (tmp_path / ".output.lock").write_text("99999999\npython -m a.much.longer.command --with arguments\n")
    with output_lock(target, 0):
        assert (tmp_path / ".output.lock").read_text() == f"{os.getpid()}\npython -m x\n"


def test_a_holder_line_that_is_not_utf8_is_still_shown(tmp_path):
    path = tmp_path / ".output.lock"
    path.write_bytes(b"12\npython caf\xe9\n")
    descriptor = os.open(path, os.O_RDONLY)
    try:
        assert lock_holder(descriptor) == "pid 12: python caf\ufffd"
    finally:
        os.close(descriptor)


def test_a_forked_worker_closes_its_copies_of_the_locks():
    """What runs first in a forked worker: it closes every lock descriptor and forgets them."""
    saved = set(build_module.HELD_LOCKS)
    open_one = os.open(os.devnull, os.O_RDONLY)
    closed_one = os.open(os.devnull, os.O_RDONLY)
    os.close(closed_one)  # already closed (say, by the worker's own code): no error
    build_module.HELD_LOCKS.clear()
    build_module.HELD_LOCKS.update({closed_one, open_one})
    try:
        build_module._forget_locks()
        assert not build_module.HELD_LOCKS
        with pytest.raises(OSError):
            os.fstat(open_one)
    finally:
        build_module.HELD_LOCKS.clear()
        build_module.HELD_LOCKS.update(saved)


def test_each_broken_link_is_reported_once_however_many_pages_show_it(tmp_path):
    """One broken link on two pages, another on the second only: two lines, one per link."""
    site = tmp_path / "site"
    page(site / "index.html", '<a href="/posts/gone/">gone</a>')
    page(site / "tags/a/index.html", '<a href="/posts/gone/">gone</a>\n<a href="/zzz/qqq.png">img</a>')
    problems = broken_links(site, {"SITEURL": "", "CACHE_PATH": str(tmp_path / "cache")})
    assert [p.split(": broken link ")[1] for p in problems] == [
        "/posts/gone/: file not found: posts/gone/", "/zzz/qqq.png: file not found: zzz/qqq.png"]


def test_a_broken_link_the_theme_put_on_a_post_names_the_built_file(tmp_path):
    """The post's Markdown does not hold the link (the theme's template does): no Markdown line."""
    site = tmp_path / "site"
    page(site / "posts/x/index.html", '<p>Intro</p>\n<a href="/zzz/qqq.png">theme</a>')
    source = tmp_path / "x.md"
    source.write_text("+++\ntitle = 'x'\n+++\n\nIntro\n")
    sources = tmp_path / "sources.json"
    sources.write_text(json.dumps({"posts/x/index.html": str(source)}))
    problems = broken_links(site, {"SITEURL": "", "SOURCEMAP_PATH": str(sources),
                                   "CACHE_PATH": str(tmp_path / "cache")})
    assert problems == ["posts/x/index.html:5 (built file; no Markdown line found): broken link "
                        "/zzz/qqq.png: file not found: zzz/qqq.png"]


@pytest.mark.parametrize("raised", [RuntimeError("template broke"), OSError(errno.ENOENT, "No such file")])
def test_a_crash_in_pelican_with_debug_shows_the_traceback(last_good, monkeypatch, raised):
    output, overrides = last_good

    def run(settings):
        raise raised

    StandIn(monkeypatch, run)
    result = build(SETTINGS, output, debug=True, **overrides)
    assert len(result.problems) == 1
    assert result.problems[0].startswith("error: Traceback (most recent call last):")
    assert (output / "index.html").read_text() == "last good"


def test_another_build_emptying_the_shared_cache_meanwhile_does_no_harm(last_good, monkeypatch):
    """A build into another output found a dead mark and emptied the cache while this one ran."""
    output, overrides = last_good

    def run(settings):
        writes("<p>New.</p>")(settings)
        shutil.rmtree(settings["CACHE_PATH"])

    StandIn(monkeypatch, run)
    result = build(SETTINGS, output, **overrides)
    assert result.ok, result.problems
    assert "<p>New.</p>" in (output / "index.html").read_text()


def test_the_link_check_is_on_unless_the_settings_turn_it_off(tmp_path, monkeypatch):
    """A settings file that never mentions LINK_CHECK_ON_BUILD still gets its links checked."""
    settings = tmp_path / "minimalconf.py"
    settings.write_text(f"PATH = {str(folder(tmp_path / 'content'))!r}\n"
                        f"CACHE_PATH = {str(tmp_path / 'cache')!r}\n"
                        "TIMEZONE = 'UTC'\nFEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = None\n"
                        "TRANSLATION_FEED_ATOM = AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None\n")
    output = folder(tmp_path / "output", **{"index.html": "last good"})
    StandIn(monkeypatch, writes('<a href="/posts/gone/">gone</a>'))
    result = build(settings, output)
    assert result.problems == ["index.html:4 (built file; no Markdown line found): broken link "
                               "/posts/gone/: file not found: posts/gone/"]
    assert (output / "index.html").read_text() == "last good"


def test_checkpoint_kills_the_build_itself_outright(monkeypatch):
    """At the chosen point the build sends itself SIGKILL: no clean-up runs, as in a real crash."""
    sent = []
    monkeypatch.setattr(os, "kill", lambda pid, sig: sent.append((pid, sig)))
    monkeypatch.setenv("BLOGTOOLS_BUILD_KILL_AT", "staged")
    checkpoint("staged")
    assert sent == [(os.getpid(), signal.SIGKILL)]


@pytest.mark.parametrize("dead_first", [True, False])
def test_a_dead_mark_empties_the_cache_even_beside_a_live_one(tmp_path, monkeypatch, dead_first):
    """One build still running on the cache does not vouch for one that was killed on it."""
    cache = folder(tmp_path / "cache", data="x")
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = f"build-running-{dead_pid()}"
        for mark in (dead, f"build-running-{other.pid}"):
            (cache / mark).touch()
        # Whichever order the file system lists them in.
        real_glob = Path.glob
        monkeypatch.setattr(Path, "glob", lambda self, pattern: sorted(
            real_glob(self, pattern), key=lambda p: (p.name == dead) != dead_first))
        assert len(clear_cut_cache(cache)) == 1
        assert not cache.exists()
    finally:
        other.kill()
        other.wait()


def test_a_cache_file_that_cannot_be_removed_does_not_stop_the_build(tmp_path, _stuck_file):
    """Emptying a cut-short cache is best effort: what stays is not the build's problem."""
    cache = folder(tmp_path / "cache", stuck="x", data="y")
    (cache / f"build-running-{dead_pid()}").touch()
    assert clear_cut_cache(cache) == [f"Emptied {cache}, which a killed build may have cut short"]
    assert not (cache / "data").exists()


def test_settings_that_cannot_be_read_are_an_error_about_them(tmp_path, monkeypatch):
    """No output is known yet, so it is not an 'output: cannot write' line: the error itself."""
    def unreadable(settings_file, **overrides):
        raise PermissionError(errno.EACCES, "Permission denied", str(settings_file))

    monkeypatch.setattr(build_module, "load_settings", unreadable)
    with pytest.raises(PermissionError) as raised:
        build(tmp_path / "conf.py")
    assert raised.value.filename == str(tmp_path / "conf.py")


def test_a_staging_folder_that_cannot_be_removed_does_not_hide_the_problem(last_good, monkeypatch,
                                                                          _stuck_file):
    """Removing a failed build's staging folder is best effort: the author still gets the problem."""
    output, overrides = last_good
    message = unique("odd")

    def run(settings):
        (Path(settings["OUTPUT_PATH"]) / "stuck").write_text("x")
        logging.getLogger("pelican").warning(message)

    StandIn(monkeypatch, run)
    result = build(SETTINGS, output, **overrides)
    assert result.problems == [f"warning: {message}"]
    assert (output / "index.html").read_text() == "last good"


def test_a_failed_build_leaves_no_record_of_pages_it_did_not_put_live(tiny_site):
    """The render cache's pending record of a build that failed is dropped: a later build in
    the same process must not commit what that one rendered."""
    tiny_site.post("a-post", "Fine.")
    assert tiny_site.build().ok
    tiny_site.post("a-post", "Broken [link](/posts/no-such-post/).")
    assert not tiny_site.build().ok
    assert list((tiny_site.root / "cache").rglob("*.pending")) == []
    assert list((tiny_site.root / "cache").rglob("rendered-pages.pickle"))  # the last good one stays
