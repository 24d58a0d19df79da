"""What a deploy would change, in which order, and when it refuses: unit tests on tiny folders.

``blogtools.publish.tree`` compares the new site with the live one, orders the uploads so
that no page a reader can reach links to a file that is not up yet, and brakes deploys
that would delete much of the live site. ``blogtools.publish.local`` deploys into a
folder. No site is built here: the folders are a handful of files in ``tmp_path``.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from blogtools.publish import local
from blogtools.publish.tree import (
    ASSETS,
    LAST,
    PAGES,
    Changes,
    DeletionBrake,
    check_deletions,
    deletion_brake,
    deletion_limits,
    deploy_rank,
    diff_trees,
    git_blob_sha,
    md5_of,
    site_files,
    symlinks,
    upload_phases,
)
from tests.linkcheck_helpers import make_site


def make(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (relative path -> text or bytes) under ``folder``; return ``folder``."""
    return make_site(folder, files)


def contents(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# Comparing the new site with the live one ------------------------------------------------------

def test_diff_lists_added_changed_deleted_and_counts_the_rest(tmp_path):
    """Files only in the new site are added, different ones changed, missing ones deleted."""
    new = make(tmp_path / "new", {"index.html": "new index", "posts/b/index.html": "b",
                                  "posts/a/index.html": "a", "css/site.css": "same"})
    old = make(tmp_path / "old", {"index.html": "old index", "css/site.css": "same",
                                  "posts/z/index.html": "z", "posts/old/index.html": "o"})
    changes = diff_trees(new, old)
    assert changes.added == ["posts/a/index.html", "posts/b/index.html"]
    assert changes.changed == ["index.html"]
    assert changes.deleted == ["posts/old/index.html", "posts/z/index.html"]
    assert changes.unchanged == 1
    assert changes.live == 4  # what the target holds before the deploy: not the added ones
    assert not changes.empty


def test_diff_compares_content_not_size_or_time_stamps(tmp_path):
    """An edit that keeps the size and the modification time is still a change."""
    new = make(tmp_path / "new", {"page.html": "version A", "same.html": "twin"})
    old = make(tmp_path / "old", {"page.html": "version B", "same.html": "twin"})
    for name in ("page.html", "same.html"):
        os.utime(new / name, ns=(1_600_000_000_000_000_000,) * 2)
        os.utime(old / name, ns=(1_600_000_000_000_000_000,) * 2)
    changes = diff_trees(new, old)
    assert changes.changed == ["page.html"]
    assert changes.unchanged == 1
    assert changes.added == [] and changes.deleted == []


def test_first_deploy_adds_everything(tmp_path):
    """No live site yet (no folder, or no old tree at all): every file is new, nothing deleted."""
    new = make(tmp_path / "new", {"b.html": "b", "a/c.css": "c"})
    for old in (None, tmp_path / "missing"):
        changes = diff_trees(new, old)
        assert changes.added == ["a/c.css", "b.html"]
        assert changes.changed == [] and changes.deleted == [] and changes.unchanged == 0
        assert changes.live == 0


def test_a_live_path_that_is_a_file_counts_as_no_live_site(tmp_path):
    """--dest naming a file is not a site: the diff does not read it as one."""
    new = make(tmp_path / "new", {"index.html": "x"})
    (tmp_path / "file").write_text("not a folder")
    assert diff_trees(new, tmp_path / "file").added == ["index.html"]


def test_identical_trees_are_empty_changes(tmp_path):
    """Publishing again with nothing changed reports nothing to do."""
    files = {"index.html": "i", "feed.xml": "f"}
    changes = diff_trees(make(tmp_path / "new", files), make(tmp_path / "old", files))
    assert changes.empty
    assert changes.unchanged == 2 and changes.live == 2


@pytest.mark.parametrize("which", ["added", "changed", "deleted"])
def test_any_single_kind_of_change_is_not_empty(which):
    """One file added, changed or deleted is something to deploy."""
    assert not Changes(**{which: ["x"]}).empty
    assert Changes(unchanged=5).empty


def test_site_files_are_sorted_slash_paths_of_files_only(tmp_path):
    """Nested files come back as 'a/b/c' paths, sorted; empty folders are not files."""
    folder = make(tmp_path / "site", {"z.txt": "", "a/b/c.html": "", "a/a.css": ""})
    (folder / "empty").mkdir()
    assert site_files(folder) == ["a/a.css", "a/b/c.html", "z.txt"]


def test_symlinks_finds_linked_files_and_folders_anywhere(tmp_path):
    """Every symlink is named (relative, sorted) so the publish stops before following one out."""
    folder = make(tmp_path / "site", {"index.html": "", "deep/page.html": ""})
    (folder / "deep" / "to-file").symlink_to(tmp_path)
    (folder / "b-link").symlink_to(folder / "index.html")
    (folder / "a-dir").symlink_to(tmp_path, target_is_directory=True)
    assert symlinks(folder) == ["a-dir", "b-link", "deep/to-file"]
    assert symlinks(make(tmp_path / "clean", {"x.html": ""})) == []


# What the author reads ------------------------------------------------------------------------

def test_dry_run_listing_says_would_and_lists_every_path():
    """--dry-run: one summary line in the conditional, then +, ~ and - lines, then notes."""
    changes = Changes(added=["new.html"], changed=["index.html", "feed.xml"], deleted=["old.html"],
                      unchanged=7, notes=["a note"])
    assert changes.describe(True) == [
        "Would add 1 file(s), change 2, delete 1; 7 unchanged.",
        "  + new.html",
        "  ~ index.html",
        "  ~ feed.xml",
        "  - old.html",
        "a note",
    ]


def test_real_run_listing_says_what_was_done():
    changes = Changes(added=["a", "b"], deleted=["c"], unchanged=3)
    assert changes.describe(False) == [
        "Added 2 file(s), changed 0, deleted 1; 3 unchanged.",
        "  + a",
        "  + b",
        "  - c",
    ]


def test_sort_orders_each_list():
    changes = Changes(added=["b", "a"], changed=["d", "c"], deleted=["f", "e"])
    assert changes.sort() is changes
    assert (changes.added, changes.changed, changes.deleted) == (["a", "b"], ["c", "d"], ["e", "f"])


def test_md5_and_git_blob_sha_match_what_s3_and_git_report(tmp_path):
    """The S3 ETag (md5) and git's blob id decide 'unchanged': they must be the real digests."""
    data = b"hello\n"
    (tmp_path / "f").write_bytes(data)
    assert md5_of(tmp_path / "f") == hashlib.md5(data).hexdigest() == "b1946ac92492d2347c6235b4d2611184"
    big = os.urandom((1 << 20) * 2 + 123)  # more than one read block
    (tmp_path / "big").write_bytes(big)
    assert md5_of(tmp_path / "big") == hashlib.md5(big).hexdigest()
    (tmp_path / "empty").write_bytes(b"")
    assert md5_of(tmp_path / "empty") == "d41d8cd98f00b204e9800998ecf8427e"
    assert git_blob_sha(data) == "ce013625030ba8dba906f756967f9e9ca394464a"
    assert git_blob_sha(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"


def test_git_blob_sha_agrees_with_git_itself(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    data = b"<p>caf\xc3\xa9</p>\n" * 50
    (tmp_path / "page.html").write_bytes(data)
    out = subprocess.run(["git", "hash-object", str(tmp_path / "page.html")],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert git_blob_sha(data) == out


# The order of uploads -------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "rank"), [
    ("css/site.css", ASSETS),
    ("images/photo.png", ASSETS),
    ("fonts/x.woff2", ASSETS),
    ("index.html", PAGES),
    ("posts/a/INDEX.HTML", PAGES),
    ("old/page.htm", PAGES),
    ("doc.xhtml", PAGES),
    ("feeds/all.atom.xml", LAST),
    ("sitemap.XML", LAST),
    ("robots.txt", LAST),
    ("sub/Robots.txt", LAST),
    ("en/blog/robots.txt", LAST),  # by file name, however deep
    ("index.html.gz", PAGES),   # a precompressed copy goes with its page
    ("index.html.br", PAGES),
    ("sitemap.xml.gz", LAST),
    ("css/site.css.br", ASSETS),
    ("x.html.br.gz", PAGES),
    ("downloads/site.tar.gz", ASSETS),
    ("downloads/pages.html.tar.gz", ASSETS),
    ("feeds.xml/style.css", ASSETS),  # only the file name counts, not its folder
    ("pages.html/logo.svg", ASSETS),
    ("robots.txt/x.png", ASSETS),
    ("notes.txt", ASSETS),
])
def test_deploy_rank(path, rank):
    """Assets go up first, then pages, then feeds, sitemaps and robots.txt."""
    assert deploy_rank(path) == rank


def test_upload_phases_put_new_files_first_and_each_kind_in_order():
    """New assets, new pages, new feeds, then changed ones in the same order; no deletions."""
    changes = Changes(
        added=["tags/k8s/index.html", "images/new.png", "feeds/k8s.atom.xml", "css/a.css"],
        changed=["sitemap.xml", "index.html", "css/site.css", "robots.txt", "about/index.html"],
        deleted=["old/index.html", "old.png"],
    )
    assert upload_phases(changes) == [
        ("new assets", ["css/a.css", "images/new.png"]),
        ("new pages", ["tags/k8s/index.html"]),
        ("new feeds, sitemap and robots.txt", ["feeds/k8s.atom.xml"]),
        ("changed assets", ["css/site.css"]),
        ("changed pages", ["about/index.html", "index.html"]),
        ("changed feeds, sitemap and robots.txt", ["robots.txt", "sitemap.xml"]),
    ]


def test_upload_phases_leave_out_empty_ones():
    assert upload_phases(Changes(changed=["index.html"])) == [("changed pages", ["index.html"])]
    assert upload_phases(Changes(added=["x.xml"])) == [("new feeds, sitemap and robots.txt", ["x.xml"])]
    assert upload_phases(Changes(deleted=["a.html"])) == []


LINK = re.compile(r'(?:href|src)="/([^"]*)"')


def broken_links(live: Path, known: set[str]) -> list[str]:
    """Links to missing files in what a reader can reach: the ``known`` addresses (bookmarks,
    feed subscriptions: the files live before the deploy) and whatever their links lead to."""
    broken, seen, todo = [], set(), sorted(known)
    while todo:
        path = todo.pop()
        if path in seen or not (live / path).is_file():
            continue
        seen.add(path)
        if deploy_rank(path) != ASSETS:
            for target in LINK.findall((live / path).read_text()):
                if (live / target).is_file():
                    todo.append(target)
                else:
                    broken.append(f"{path} -> {target}")
    return broken


def test_uploading_file_by_file_in_phase_order_never_shows_a_broken_link(tmp_path):
    """A reader fetching the site at any moment of a copy-by-copy deploy finds every link there."""
    old = make(tmp_path / "old", {
        "index.html": '<link href="/css/site.css"><a href="/posts/one/index.html">',
        "posts/one/index.html": '<img src="/img/one.png"><a href="/feed.xml">',
        "css/site.css": "body{}", "img/one.png": "png", "feed.xml": '<link href="/posts/one/index.html"/>',
        "gone/index.html": '<a href="/index.html">',
    })
    new = make(tmp_path / "new", {
        # The index now uses a new stylesheet and links the new post and its tag feed.
        "index.html": '<link href="/css/v2.css"><a href="/posts/one/index.html">'
                      '<a href="/posts/two/index.html"><a href="/tags/k8s.xml">',
        "posts/one/index.html": '<img src="/img/one.png"><a href="/feed.xml">',
        "posts/two/index.html": '<img src="/img/two.png"><a href="/tags/k8s.xml"><link href="/css/v2.css">',
        "css/site.css": "body{}", "css/v2.css": "body{color:red}", "img/one.png": "png", "img/two.png": "png2",
        "feed.xml": '<link href="/posts/one/index.html"/><link href="/posts/two/index.html"/>',
        "tags/k8s.xml": '<link href="/posts/two/index.html"/>',
    })
    known = set(site_files(old))
    assert broken_links(old, known) == []
    changes = diff_trees(new, old)
    live = tmp_path / "live"
    shutil.copytree(old, live)
    for _, paths in upload_phases(changes):
        for path in paths:
            (live / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(new / path, live / path)
            assert broken_links(live, known) == [], f"after uploading {path}"
    for path in changes.deleted:
        (live / path).unlink()
    assert broken_links(live, set(site_files(new))) == []
    assert contents(live) == contents(new)


# The brake on deletions -----------------------------------------------------------------------

def live_site(deleted: int, live: int) -> Changes:
    return Changes(deleted=[f"page-{i:03}.html" for i in range(deleted)], unchanged=live - deleted)


@pytest.mark.parametrize(("deleted", "live", "stops"), [
    (10, 10, False),  # exactly the file limit: allowed, even all of a tiny site
    (11, 11, True),
    (11, 44, False),  # exactly a quarter: allowed
    (12, 44, True),   # more than a quarter and more than 10 files
    (11, 45, False),
    (0, 100, False),
])
def test_the_brake_boundaries_of_the_defaults(deleted, live, stops):
    """Both limits are 'no more than': 10 files, or 25 % of the live files, still go."""
    assert (deletion_brake(live_site(deleted, live), {}) is not None) is stops
    if stops:
        with pytest.raises(DeletionBrake):
            check_deletions(live_site(deleted, live), {})
    else:
        check_deletions(live_site(deleted, live), {})


def test_force_passes_the_brake():
    check_deletions(live_site(300, 300), {}, force=True)
    check_deletions(live_site(300, 300), {"PUBLISH_MAX_DELETIONS": 0, "PUBLISH_MAX_DELETIONS_SHARE": 0},
                    force=True)


def test_settings_override_the_limits_and_none_means_the_default():
    assert deletion_limits({}) == (10, 0.25)
    assert deletion_limits({"PUBLISH_MAX_DELETIONS": None, "PUBLISH_MAX_DELETIONS_SHARE": None}) == (10, 0.25)
    assert deletion_limits({"PUBLISH_MAX_DELETIONS": 3, "PUBLISH_MAX_DELETIONS_SHARE": 0.5}) == (3, 0.5)
    assert deletion_limits({"PUBLISH_MAX_DELETIONS": 0, "PUBLISH_MAX_DELETIONS_SHARE": 0}) == (0, 0.0)
    limits = deletion_limits({"PUBLISH_MAX_DELETIONS": "7", "PUBLISH_MAX_DELETIONS_SHARE": "0.1"})
    assert limits == (7, 0.1)
    assert type(limits[0]) is int and type(limits[1]) is float
    # Raised limits let a big clean-up through; lowered ones stop a small one.
    check_deletions(live_site(50, 100), {"PUBLISH_MAX_DELETIONS": 50})
    check_deletions(live_site(50, 100), {"PUBLISH_MAX_DELETIONS_SHARE": 0.5})
    with pytest.raises(DeletionBrake):
        check_deletions(live_site(51, 100), {"PUBLISH_MAX_DELETIONS": 50})
    with pytest.raises(DeletionBrake):
        check_deletions(live_site(4, 100), {"PUBLISH_MAX_DELETIONS": 3, "PUBLISH_MAX_DELETIONS_SHARE": 0.03})
    check_deletions(live_site(3, 100), {"PUBLISH_MAX_DELETIONS": 0, "PUBLISH_MAX_DELETIONS_SHARE": 0.03})


def test_a_float_file_limit_is_shown_as_a_count():
    """PUBLISH_MAX_DELETIONS = 5.0 in publishconf.py reads as 5 files in the message."""
    brake = deletion_brake(live_site(6, 6), {"PUBLISH_MAX_DELETIONS": 5.0})
    assert "PUBLISH_MAX_DELETIONS = 5 file(s) or" in brake.summary()


def test_the_brake_message_names_the_numbers_and_how_to_proceed():
    """The author sees how many of how many, both limits and their settings, the files, and --force."""
    changes = live_site(12, 16)
    with pytest.raises(DeletionBrake) as raised:
        check_deletions(changes, {})
    brake = raised.value
    assert brake.changes is changes and brake.max_files == 10 and brake.max_share == 0.25
    summary = ("this deploy would delete 12 of the 16 file(s) at the target (75%), more than the brake "
               "allows: PUBLISH_MAX_DELETIONS = 10 file(s) or PUBLISH_MAX_DELETIONS_SHARE = 25% of them "
               "(publishconf.py)")
    assert str(brake) == summary == brake.summary()
    assert brake.lines() == [
        f"error: {summary}. Nothing was touched. It would delete:",
        *[f"  - page-{i:03}.html" for i in range(12)],
        "Check the destination (--dest, the PUBLISH_* settings) and the build; "
        "if these deletions are meant, run again with --force.",
    ]


def test_the_brake_lists_twenty_deletions_and_counts_the_rest():
    for deleted, more in ((20, None), (21, "  ... and 1 more"), (300, "  ... and 280 more")):
        lines = deletion_brake(live_site(deleted, deleted), {}).lines()
        shown = [line for line in lines if line.startswith("  - ")]
        assert shown == [f"  - page-{i:03}.html" for i in range(20)]
        assert lines[21] == more if more else lines[21].startswith("Check the destination")
        assert lines[-1].endswith("run again with --force.")
        assert len(lines) == 22 + (more is not None)


def test_the_brake_shows_the_configured_share():
    brake = deletion_brake(live_site(60, 100), {"PUBLISH_MAX_DELETIONS_SHARE": 0.5})
    assert "(60%)" in brake.summary() and "PUBLISH_MAX_DELETIONS_SHARE = 50% of them" in brake.summary()


# The local folder target ----------------------------------------------------------------------

QUIET = {"log": lambda line: None}


def test_destination_prefers_dest_then_the_setting_then_public(tmp_path):
    root = tmp_path / "project"
    assert local.destination({}, None, root) == (root / "public").resolve()
    assert local.destination({"PUBLISH_LOCAL_PATH": "www/blog"}, None, root) == root / "www" / "blog"
    assert local.destination({"PUBLISH_LOCAL_PATH": "www"}, "out", root) == root / "out"
    assert local.destination({"PUBLISH_LOCAL_PATH": None}, "", root) == root / "public"
    absolute = tmp_path / "elsewhere"
    assert local.destination({}, str(absolute), root) == absolute
    assert local.destination({"PUBLISH_LOCAL_PATH": str(absolute)}, None, root) == absolute
    assert local.destination({}, "a/../b", root) == root / "b"  # resolved: the log names the real folder


def test_local_deploy_replaces_the_folder_and_reports_the_changes(tmp_path):
    site = make(tmp_path / "build", {"index.html": "new", "css/s.css": "s", "posts/a.html": "a"})
    target = make(tmp_path / "public", {"index.html": "old", "css/s.css": "s", "gone.html": "g"})
    lines = []
    changes = local.deploy(site, {}, dest=str(target), root=tmp_path, log=lines.append)
    assert lines == [f"Target: local folder {target}"]
    assert (changes.added, changes.changed, changes.deleted) == (["posts/a.html"], ["index.html"], ["gone.html"])
    assert contents(target) == contents(site)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "public"]  # no staging, no old copy
    assert oct(target.stat().st_mode & 0o777) == oct(0o755)


def test_local_dry_run_touches_nothing(tmp_path):
    site = make(tmp_path / "build", {"index.html": "new"})
    target = make(tmp_path / "public", {"index.html": "old", **{f"p{i}.html": "x" for i in range(30)}})
    before = contents(target)
    stale = tmp_path / f".public-publish-{os.getpid()}-1"
    stale.mkdir()
    changes = local.deploy(site, {}, dest=str(target), root=tmp_path, dry_run=True, **QUIET)
    assert changes.changed == ["index.html"] and len(changes.deleted) == 30  # no brake in a dry run
    assert contents(target) == before
    assert stale.is_dir() and changes.notes == []
    assert local.deploy(site, {}, root=tmp_path / "nowhere", dry_run=True, **QUIET).added == ["index.html"]
    assert not (tmp_path / "nowhere").exists()


def test_local_deploy_that_would_delete_too_much_stops_before_touching_anything(tmp_path):
    site = make(tmp_path / "build", {"index.html": "new"})
    target = make(tmp_path / "photos", {f"IMG_{i}.jpg": "x" for i in range(30)})
    stale = tmp_path / ".photos-publish-999999999-1"
    stale.mkdir()
    before = contents(target)
    with pytest.raises(DeletionBrake):
        local.deploy(site, {}, dest=str(target), root=tmp_path, **QUIET)
    assert contents(target) == before
    assert stale.is_dir()  # nothing at all was touched
    changes = local.deploy(site, {}, dest=str(target), root=tmp_path, force=True, **QUIET)
    assert contents(target) == contents(site) and len(changes.deleted) == 30
    # Settings raise the limit without --force.
    target2 = make(tmp_path / "other", {f"IMG_{i}.jpg": "x" for i in range(30)})
    local.deploy(site, {"PUBLISH_MAX_DELETIONS": 30}, dest=str(target2), root=tmp_path, **QUIET)
    assert contents(target2) == contents(site)


def test_local_deploy_refuses_a_file_as_target(tmp_path):
    site = make(tmp_path / "build", {"index.html": "new"})
    (tmp_path / "public").write_text("a file")
    with pytest.raises(RuntimeError, match=f"^{re.escape(str(tmp_path / 'public'))} exists and is not a folder$"):
        local.deploy(site, {}, root=tmp_path, **QUIET)
    assert (tmp_path / "public").read_text() == "a file"


def test_local_first_deploy_creates_parent_folders(tmp_path):
    site = make(tmp_path / "build", {"index.html": "i", "a/b.css": "b"})
    changes = local.deploy(site, {"PUBLISH_LOCAL_PATH": "srv/www/blog"}, root=tmp_path, **QUIET)
    assert contents(tmp_path / "srv" / "www" / "blog") == contents(site)
    assert changes.added == ["a/b.css", "index.html"]


def test_local_first_deploy_of_an_empty_site_still_creates_the_folder(tmp_path):
    site = make(tmp_path / "build", {})
    changes = local.deploy(site, {}, root=tmp_path, **QUIET)
    assert changes.empty
    assert (tmp_path / "public").is_dir() and list((tmp_path / "public").iterdir()) == []


def test_local_deploy_with_nothing_changed_leaves_the_folder_alone(tmp_path):
    """Publishing twice: the second run swaps nothing (same folder, same inode)."""
    site = make(tmp_path / "build", {"index.html": "i"})
    target = make(tmp_path / "public", {"index.html": "i"})
    inode = target.stat().st_ino
    changes = local.deploy(site, {}, root=tmp_path, **QUIET)
    assert changes.empty and changes.unchanged == 1
    assert target.stat().st_ino == inode


def test_local_deploy_copies_symlinks_as_links_never_their_targets(tmp_path):
    secret = make(tmp_path / "secret", {"key": "private"})
    site = make(tmp_path / "build", {"index.html": "i"})
    (site / "leak").symlink_to(secret, target_is_directory=True)
    local.deploy(site, {}, root=tmp_path, **QUIET)
    assert (tmp_path / "public" / "leak").is_symlink()


def test_a_failed_swap_leaves_no_staging_copy_and_the_old_site_whole(tmp_path, monkeypatch):
    site = make(tmp_path / "build", {"index.html": "new"})
    target = make(tmp_path / "public", {"index.html": "old"})
    seen = []

    def failing_swap(staging, _target):
        seen.append(staging)
        assert contents(staging) == contents(site)
        raise OSError("disk full")

    monkeypatch.setattr(local, "replace_folder", failing_swap)
    with pytest.raises(OSError, match="disk full"):
        local.deploy(site, {}, root=tmp_path, **QUIET)
    assert contents(target) == {"index.html": b"old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "public"]
    # The staging copy is named so the next deploy would recognise it as its own leftover.
    assert seen[0].parent == tmp_path
    assert re.fullmatch(rf"\.public-publish-{os.getpid()}-\d+", seen[0].name)


def dead_pid() -> int:
    """The pid of a process that has exited."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_remove_stale_cleans_leftovers_of_killed_deploys_only(tmp_path):
    """Staging and old copies of dead deploys (or of this very process) go; a running deploy's stay."""
    target = make(tmp_path / "public", {"index.html": "i"})
    dead, me = dead_pid(), os.getpid()
    alive = subprocess.Popen(["sleep", "30"])
    try:
        names = [f".public-publish-{dead}-1", f".public-old-{dead}-2", f".public-publish-{me}-3",
                 f".public-old-{alive.pid}-4", f".public-publish-{alive.pid}-5",
                 ".public-publish-abc-6", f".other-publish-{dead}-7", f".public-copy-{dead}-8",
                 f".public-publish-{dead}"]
        for name in names:
            (tmp_path / name).mkdir()
        removed = local.remove_stale(target)
        assert sorted(p.name for p in removed) == sorted(names[:3])
        left = sorted(p.name for p in tmp_path.iterdir())
        assert left == sorted(["public", *names[3:]])
    finally:
        alive.kill()
        alive.wait()


def test_remove_stale_keeps_old_copies_while_the_site_is_missing(tmp_path):
    """Without the live folder, the old copy is the site to restore: only staging copies go."""
    dead = dead_pid()
    (tmp_path / f".public-publish-{dead}-1").mkdir()
    (tmp_path / f".public-old-{dead}-2").mkdir()
    removed = local.remove_stale(tmp_path / "public")
    assert [p.name for p in removed] == [f".public-publish-{dead}-1"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".public-old-{dead}-2"]


def test_a_deploy_removes_leftovers_and_says_so(tmp_path):
    site = make(tmp_path / "build", {"index.html": "i"})
    target = make(tmp_path / "public", {"index.html": "i"})
    dead = dead_pid()
    (tmp_path / f".public-publish-{dead}-1").mkdir()
    changes = local.deploy(site, {}, root=tmp_path, **QUIET)
    assert changes.notes == [f"Removed .public-publish-{dead}-1, left by a deploy that was killed"]
    assert changes.describe(False)[-1] == changes.notes[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "public"]
    assert target.is_dir()


def test_a_leftover_is_known_by_the_pid_after_its_kind_whatever_follows(tmp_path):
    """Names are '.<site>-<kind>-<pid>-...': the pid is the first field, even if more dashes follow."""
    target = make(tmp_path / "my-site", {"index.html": "i"})
    dead = dead_pid()
    (tmp_path / f".my-site-publish-{dead}-1-2").mkdir()
    (tmp_path / f".my-site-old-{dead}-3").mkdir()
    removed = local.remove_stale(target)
    assert sorted(p.name for p in removed) == sorted([f".my-site-publish-{dead}-1-2", f".my-site-old-{dead}-3"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-site"]


def busy_rmtree(monkeypatch):
    """A file system where folders beside the site cannot be removed (a busy NFS mount, say)."""
    def rmtree(path, ignore_errors=False, **_):
        if not ignore_errors:
            raise OSError(errno.EBUSY, "Device or resource busy", str(path))

    monkeypatch.setattr(local.shutil, "rmtree", rmtree)


def test_a_leftover_that_cannot_be_removed_does_not_stop_the_deploy_nor_is_said_removed(tmp_path, monkeypatch):
    site = make(tmp_path / "build", {"index.html": "new"})
    target = make(tmp_path / "public", {"index.html": "old"})
    leftover = tmp_path / f".public-publish-{dead_pid()}-1"
    leftover.mkdir()
    busy_rmtree(monkeypatch)
    changes = local.deploy(site, {}, root=tmp_path, **QUIET)
    assert contents(target) == contents(site)
    assert changes.notes == []  # it is still there: no "Removed ..." line
    assert leftover.is_dir()


def test_a_failed_swap_reports_its_own_error_even_if_the_clean_up_fails(tmp_path, monkeypatch):
    """The author reads why the swap failed, not that the staging copy could not be removed."""
    site = make(tmp_path / "build", {"index.html": "new"})
    make(tmp_path / "public", {"index.html": "old"})

    def failing_swap(staging, _target):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(local, "replace_folder", failing_swap)
    busy_rmtree(monkeypatch)
    with pytest.raises(OSError) as raised:
        local.deploy(site, {}, root=tmp_path, **QUIET)
    assert raised.value.errno == errno.ENOSPC
