"""invoke publish --target local: clean build, link check, then one atomic swap, or nothing."""

from __future__ import annotations

import gzip
import os

import brotli
import pytest

from blogtools.commands.publish import main as publish_main
from blogtools.publish.compress import precompress
from blogtools.publish.swap import exchange
from tests.publishing import publish_tiny, tree_digest, two_posts, with_about_page


@pytest.fixture
def old_site(tmp_path):
    public = tmp_path / "public"
    (public / "posts" / "old").mkdir(parents=True)
    (public / "index.html").write_text("<p>the old site</p>")
    (public / "posts" / "old" / "index.html").write_text("<p>an old post</p>")
    return public


@pytest.fixture
def blog(tiny_site):
    with_about_page(tiny_site)
    two_posts(tiny_site)
    return tiny_site


def test_a_broken_link_leaves_the_old_site_untouched(blog, old_site):
    blog.post("second-post", "Links to [nothing](/posts/no-such-post/).", date="2021-02-03T04:05:06Z")
    before = tree_digest(old_site)
    inode = old_site.stat().st_ino
    lines = []
    assert publish_tiny(blog, "local", dest=old_site, lines=lines) == 1
    assert tree_digest(old_site) == before
    assert old_site.stat().st_ino == inode
    log = "\n".join(lines)
    assert "no-such-post" in log
    assert "Link check failed. Nothing was published." in log
    assert sorted(p.name for p in old_site.parent.iterdir()) == ["content", "public"]


def test_a_build_error_leaves_the_old_site_untouched(blog, old_site):
    blog.write("posts/broken.md", '+++\ntitle = "Broken\n+++\n\nText.\n')
    before = tree_digest(old_site)
    lines = []
    assert publish_tiny(blog, "local", dest=old_site, lines=lines) == 1
    assert tree_digest(old_site) == before
    assert any("broken.md:2" in line for line in lines)


def test_a_clean_run_replaces_the_old_site_in_one_swap(blog, old_site):
    inode = old_site.stat().st_ino
    lines = []
    assert publish_tiny(blog, "local", dest=old_site, lines=lines) == 0, "\n".join(lines)
    assert old_site.stat().st_ino != inode  # a new folder, renamed into place
    assert (old_site / "posts" / "first-post" / "index.html").is_file()
    assert (old_site / "posts" / "second-post" / "index.html").is_file()
    assert not (old_site / "posts" / "old").exists()
    assert "the old site" not in (old_site / "index.html").read_text()
    # Nothing left beside it: no staging folder, no old copy.
    assert sorted(p.name for p in old_site.parent.iterdir()) == ["content", "public"]
    log = "\n".join(lines)
    assert "- posts/old/index.html" in log and "+ posts/first-post/index.html" in log
    assert "~ index.html" in log
    # Publishing again with nothing changed changes nothing.
    lines.clear()
    assert publish_tiny(blog, "local", dest=old_site, lines=lines) == 0
    assert any(line.startswith("Added 0 file(s), changed 0, deleted 0") for line in lines)


def test_dry_run_lists_changes_and_touches_nothing(blog, old_site):
    before = tree_digest(old_site)
    lines = []
    assert publish_tiny(blog, "local", dest=old_site, dry_run=True, lines=lines) == 0
    assert tree_digest(old_site) == before
    log = "\n".join(lines)
    assert "Would add" in log
    assert "  + posts/first-post/index.html" in log
    assert "  ~ index.html" in log
    assert "  - posts/old/index.html" in log
    assert "Dry run: nothing was changed." in log


def test_first_publish_creates_the_folder(blog, tmp_path):
    target = tmp_path / "www" / "blog"
    assert publish_tiny(blog, "local", dest=target) == 0
    assert (target / "index.html").is_file()
    assert oct(target.stat().st_mode & 0o777) == oct(0o755)


def test_precompressed_copies_when_the_target_asks(blog, tmp_path):
    target = tmp_path / "gz"
    settings = {"PUBLISH_PRECOMPRESS": {"local": ["gz", "br"]}}
    assert publish_tiny(blog, "local", dest=target, settings=settings) == 0
    page = target / "posts" / "first-post" / "index.html"
    assert gzip.decompress((target / "posts/first-post/index.html.gz").read_bytes()) == page.read_bytes()
    assert brotli.decompress((target / "posts/first-post/index.html.br").read_bytes()) == page.read_bytes()
    assert not (target / "images").exists() or not list((target / "images").glob("*.png.gz"))


def test_precompress_is_deterministic_and_skips_small_or_binary_files(tmp_path):
    (tmp_path / "big.html").write_text("<p>hello</p>" * 200)
    (tmp_path / "tiny.css").write_text("a{}")
    (tmp_path / "photo.png").write_bytes(os.urandom(2000))
    first = precompress(tmp_path, ["gz"])
    data = (tmp_path / "big.html.gz").read_bytes()
    precompress(tmp_path, ["gz"])
    assert [p.name for p in first] == ["big.html.gz"]
    assert (tmp_path / "big.html.gz").read_bytes() == data  # no time stamp inside
    with pytest.raises(ValueError, match="zip"):
        precompress(tmp_path, ["zip"])


def test_exchange_swaps_two_folders_in_one_rename(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "x").write_text("a")
    (b / "x").write_text("b")
    if not exchange(a, b):
        pytest.skip("renameat2(RENAME_EXCHANGE) is not available here")
    assert (a / "x").read_text() == "b" and (b / "x").read_text() == "a"


def test_command_line_usage_error():
    with pytest.raises(SystemExit) as exit_info:
        publish_main(["--target", "ftp"])
    assert exit_info.value.code == 2
