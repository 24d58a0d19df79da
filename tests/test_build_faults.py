"""Faults during a build: SIGKILL at any moment, two builds at once, a full or read-only disk.

Each time, ``output/`` must be either the last good site or the new one, whole,
and the next build must leave nothing beside it but its lock file.
"""

from __future__ import annotations

import builtins
import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import blogtools.publish.swap
from blogtools.commands.build import KILL_AT, output_lock
from tests.conftest import ROOT
from tests.publishing import tree_digest, two_posts, with_about_page

SEED = int(os.environ.get("BUILD_FAULTS_SEED", "14"))
KILLS = 8
TIMEOUT = 120


@pytest.fixture
def blog(tiny_site):
    with_about_page(tiny_site)
    two_posts(tiny_site)
    return tiny_site


def version(blog, which: str) -> None:
    """Two versions of the site that differ in a page's text and in the files there are."""
    extra = blog.content / "posts" / "third-post.md"
    if which == "a":
        blog.post("second-post", "The second post.", date="2021-02-03T04:05:06Z", summary="Second.")
        extra.unlink(missing_ok=True)
    else:
        blog.post("second-post", "The second post, rewritten.", date="2021-02-03T04:05:06Z",
                  summary="Second, again.")
        blog.post("third-post", "A third post.", date="2021-03-04T05:06:07Z", summary="Third.")


def start_build(blog, env=None, settings: Path | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "blogtools.commands.build", "-s", str(settings or blog.settings_file())],
        cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)


def run_build(blog, env=None, settings: Path | None = None) -> subprocess.CompletedProcess:
    process = start_build(blog, env, settings)
    out, err = process.communicate(timeout=TIMEOUT)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def litter(blog) -> list[str]:
    """What builds left beside the output, apart from the output and its lock file."""
    return sorted(p.name for p in blog.output.parent.iterdir()
                  if p.name.startswith(".output") and p.name != ".output.lock")


def staging_folders(blog) -> list[Path]:
    return list(blog.output.parent.glob(".output-build-*"))


def built(blog, which: str) -> dict[str, str]:
    version(blog, which)
    done = run_build(blog)
    assert done.returncode == 0, done.stderr
    assert litter(blog) == []
    return tree_digest(blog.output)


# -- killed builds --------------------------------------------------------------------------


@pytest.mark.parametrize(("point", "expected", "left"), [
    ("locked", "a", False),   # lock taken, nothing written yet
    ("staged", "a", True),    # the new site written and checked, not yet swapped in
    ("swapped", "b", False),  # swapped in, the render record not yet written
])
def test_a_build_killed_at_a_chosen_point_leaves_a_whole_site(blog, point, expected, left):
    site_a = built(blog, "a")
    version(blog, "b")
    killed = run_build(blog, env={KILL_AT: point})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    after_kill = tree_digest(blog.output)
    assert bool(staging_folders(blog)) is left

    done = run_build(blog)
    assert done.returncode == 0, done.stderr
    site_b = tree_digest(blog.output)
    assert site_a != site_b
    assert after_kill == {"a": site_a, "b": site_b}[expected]
    assert litter(blog) == []
    if left:
        assert "left by a build that was killed" in done.stderr


def test_builds_killed_at_random_moments_leave_a_whole_site(blog):
    rng = random.Random(SEED)
    sites = {"a": built(blog, "a")}
    version(blog, "b")
    process = start_build(blog)
    wait_for_staging(blog, process)
    process.send_signal(signal.SIGKILL)  # the first kill: as the staging folder is born
    assert process.wait(TIMEOUT) == -signal.SIGKILL
    assert tree_digest(blog.output) == sites["a"]
    # Calibrate: how long a build after a kill takes from its staging folder's birth to its end.
    process = start_build(blog)
    born = wait_for_staging(blog, process)
    assert process.wait(TIMEOUT) == 0, process.stderr.read()
    window = 1.2 * (time.monotonic() - born)
    sites["b"] = tree_digest(blog.output)
    assert sites["a"] != sites["b"] and litter(blog) == []

    current, codes = "b", []
    for attempt in range(KILLS):
        new = "a" if current == "b" else "b"
        version(blog, new)
        process = start_build(blog)
        wait_for_staging(blog, process)
        time.sleep(rng.uniform(0, window))
        process.send_signal(signal.SIGKILL)
        code = process.wait(TIMEOUT)
        found = tree_digest(blog.output)
        assert found in (sites[current], sites[new]), f"kill {attempt}: output is neither site whole"
        current = new if found == sites[new] else current
        codes.append(code)
    done = run_build(blog)
    assert done.returncode == 0, done.stderr
    assert tree_digest(blog.output) == sites[new]
    assert litter(blog) == []
    # The kills landed inside builds, not after them (else this test proves little).
    assert -signal.SIGKILL in codes, codes


def wait_for_staging(blog, process: subprocess.Popen) -> float:
    deadline = time.monotonic() + TIMEOUT
    while not staging_folders(blog):
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.002)
    return time.monotonic()


def test_a_pelican_cache_cut_short_by_a_kill_does_not_break_the_next_build(blog):
    """Pelican writes its content cache in place; a kill mid-write leaves half a pickle."""
    built(blog, "a")
    caches = list((blog.root / "cache").glob("*/ArticlesGenerator-Readers"))
    assert len(caches) == 1
    data = caches[0].read_bytes()
    caches[0].write_bytes(data[:len(data) // 2])
    dead = subprocess.Popen(["true"])  # its pid is surely not running any more
    dead.wait()
    (caches[0].parent / f"build-running-{dead.pid}").touch()  # what the killed build left
    version(blog, "b")
    done = run_build(blog)
    assert done.returncode == 0, done.stderr
    assert "which a killed build may have cut short" in done.stderr
    assert "rewritten" in blog.html("posts/second-post/index.html")


def test_the_next_build_repairs_a_swap_cut_short_between_its_two_renames(blog):
    """Where renameat2 is missing the swap is two renames; a kill between them leaves no output."""
    site_a = built(blog, "a")
    old = blog.output.with_name(f".output-old-{2**22 + 7}-123")
    blog.output.rename(old)
    half = blog.output.with_name(".output-build-killed")
    shutil.copytree(old, half)  # the new site, never moved in
    version(blog, "b")

    done = run_build(blog)
    assert done.returncode == 0, done.stderr
    assert f"Put back {blog.output} from .output-old-" in done.stderr
    assert litter(blog) == []
    assert tree_digest(blog.output) != site_a  # rebuilt from b, on top of the restored site
    assert "rewritten" in blog.html("posts/second-post/index.html")


def test_the_two_rename_swap_works_where_renameat2_is_missing(blog, monkeypatch):
    assert blog.build().ok
    monkeypatch.setattr(blogtools.publish.swap, "exchange", lambda a, b: False)
    version(blog, "b")
    result = blog.build()
    assert result.ok, result.problems
    assert "rewritten" in blog.html("posts/second-post/index.html")
    assert litter(blog) == []


# -- two builds at once --------------------------------------------------------------------


def with_lock_wait(blog, seconds: float) -> Path:
    settings = blog.settings_file()
    settings.write_text(settings.read_text() + f"BUILD_LOCK_WAIT = {seconds}\n")
    return settings


def test_a_second_build_stops_after_the_wait_naming_the_first(blog):
    site_a = built(blog, "a")
    version(blog, "b")
    settings = with_lock_wait(blog, 1)
    with output_lock(blog.output.resolve(), 0):  # this test process is "the other build"
        started = time.monotonic()
        done = run_build(blog, settings=settings)
        waited = time.monotonic() - started
    assert done.returncode == 1
    problems = [line for line in done.stderr.splitlines() if line.startswith(str(blog.output))]
    assert len(problems) == 1, done.stderr
    assert "another build of it is still running after 1 s" in problems[0]
    assert f"(pid {os.getpid()}: " in problems[0]
    assert "pytest" in problems[0]
    assert f"Waiting for another build of {blog.output} to finish (pid {os.getpid()}: " in done.stderr
    assert waited >= 1
    assert tree_digest(blog.output) == site_a
    assert litter(blog) == []


def test_a_second_build_waits_for_the_first_then_builds(blog):
    built(blog, "a")
    version(blog, "b")
    holding, release = threading.Event(), threading.Event()

    def hold():
        with output_lock(blog.output.resolve(), 0):
            holding.set()
            release.wait(TIMEOUT)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(TIMEOUT)
    try:
        process = start_build(blog)
        time.sleep(4)  # ample for a tiny build that did not wait
        assert process.poll() is None and staging_folders(blog) == []  # waiting, not building
    finally:
        release.set()
        holder.join()
    out, err = process.communicate(timeout=TIMEOUT)
    assert process.returncode == 0, err
    assert "Waiting for another build" in err
    assert "rewritten" in blog.html("posts/second-post/index.html")
    assert litter(blog) == []


# -- a disk that cannot be written ---------------------------------------------------------


def test_a_write_error_mid_build_is_one_line_and_keeps_the_site(blog, monkeypatch):
    """A write fault injected where Pelican writes a page (as a full disk would)."""
    assert blog.build().ok
    site_a = tree_digest(blog.output)
    version(blog, "b")
    real_open = builtins.open

    def full_disk(file, mode="r", *args, **kwargs):
        if ".output-build-" in str(file) and any(flag in mode for flag in "wax"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", full_disk)
    result = blog.build()
    monkeypatch.undo()
    assert not result.ok
    assert result.problems == [
        f"{blog.output}: cannot write (No space left on device); the last good site was kept "
        f"(free some disk space, then build again)"]
    assert tree_digest(blog.output) == site_a
    assert litter(blog) == []


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB tmpfs: room for the tiny site, not for a 4 MB image as well."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.strip()}; "
                    "test_a_write_error_mid_build_is_one_line_and_keeps_the_site covers the same path")
    yield disk
    subprocess.run(["umount", str(disk)], check=True)


def test_a_full_disk_is_one_line_and_keeps_the_site(blog, small_disk):
    blog.output = small_disk / "output"
    site_a = built(blog, "a")
    blog.write("images/big.bin", os.urandom(4 * 2**20))
    done = run_build(blog)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        f"{blog.output}: cannot write (No space left on device); the last good site was kept "
        f"(free some disk space, then build again)")
    assert len(done.stderr.splitlines()) == 2  # the line, then "Build failed: 1 problem(s)"
    assert tree_digest(blog.output) == site_a
    assert litter(blog) == []
    (blog.content / "images" / "big.bin").unlink()
    assert run_build(blog).returncode == 0


@pytest.fixture
def read_only_parent(tmp_path):
    """Make the output's folder unwritable: a read-only bind mount for root, chmod otherwise."""
    folder = tmp_path / "site"
    folder.mkdir()

    def lock():
        if os.geteuid() != 0:
            folder.chmod(0o555)
            return
        for command in (["mount", "--bind", str(folder), str(folder)],
                        ["mount", "-o", "remount,bind,ro", str(folder)]):
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                pytest.skip(f"cannot make a read-only folder as root here: {done.stderr.strip()}")

    yield folder, lock
    if os.geteuid() == 0:
        subprocess.run(["umount", str(folder)], capture_output=True)
    folder.chmod(0o755)


def test_an_unwritable_output_folder_is_one_line_and_keeps_the_site(blog, read_only_parent):
    folder, lock = read_only_parent
    blog.output = folder / "output"
    site_a = built(blog, "a")
    version(blog, "b")
    lock()
    done = run_build(blog)
    assert done.returncode == 1
    first = done.stderr.splitlines()[0]
    assert first.startswith(f"{blog.output}: cannot write (")
    assert "; the last good site was kept (" in first
    assert ("Read-only file system" in first and "is on a read-only disk" in first) or \
        ("Permission denied" in first and f"make {folder} writable" in first)
    assert tree_digest(blog.output) == site_a
    assert litter(blog) == []
