"""invoke publish --target rsync: Pelican quickstart's rsync, to a local destination path."""

from __future__ import annotations

import gzip
import shutil

import pytest

from blogtools.publish.rsync import command, parse
from tests.publishing import publish_tiny, tree_digest, two_posts, with_about_page

pytestmark = pytest.mark.skipif(shutil.which("rsync") is None,
                                reason="rsync is not installed (apt-get install rsync)")


@pytest.fixture
def blog(tiny_site):
    with_about_page(tiny_site)
    two_posts(tiny_site)
    return tiny_site


def test_command_is_the_quickstart_one_without_partial_files(tmp_path):
    args = command(tmp_path, "shane@example.org:/var/www/blog/", port=2222)
    assert args[:5] == ["rsync", "-e", "ssh -p 2222", "-rvzc", "--itemize-changes"]
    assert "--delete" in args
    # -P (--partial) would leave a truncated file at the live name when killed.
    assert "-P" not in args and "--partial" not in args
    assert args[-2:] == [f"{tmp_path}/", "shane@example.org:/var/www/blog/"]
    upload = command(tmp_path, "h:/www/", files_from=tmp_path / "list")
    assert f"--files-from={tmp_path / 'list'}" in upload and "--from0" in upload
    assert not any(arg.startswith("--delete") for arg in upload)
    last = command(tmp_path, "h:/www/", max_delete=3)
    assert "--delete-after" in last and "--max-delete=3" in last


def test_parse_itemized_changes():
    changes = parse("sending incremental file list\n"
                    "*deleting   old/index.html\n*deleting   old/\n"
                    "cd+++++++++ posts/new/\n>f+++++++++ posts/new/index.html\n"
                    ">fc.t...... index.html\n.d..t...... posts/\n")
    assert changes.added == ["posts/new/index.html"]
    assert changes.changed == ["index.html"]
    assert changes.deleted == ["old/index.html"]


def test_publish_dry_run_then_real_then_one_change(blog, tmp_path):
    dest = tmp_path / "www"
    dest.mkdir()
    (dest / "stale.html").write_text("gone soon")
    lines = []
    assert publish_tiny(blog, "rsync", dest=f"{dest}/", dry_run=True, lines=lines) == 0, "\n".join(lines)
    assert [p.name for p in dest.iterdir()] == ["stale.html"]
    log = "\n".join(lines)
    assert "  + posts/first-post/index.html" in log and "  - stale.html" in log
    assert "--dry-run" in log

    lines.clear()
    assert publish_tiny(blog, "rsync", dest=f"{dest}/", lines=lines) == 0, "\n".join(lines)
    assert not (dest / "stale.html").exists()
    page = dest / "posts" / "first-post" / "index.html"
    assert page.is_file()
    # publishconf.py asks for precompressed copies for rsync (nginx gzip_static).
    assert gzip.decompress((dest / "posts/first-post/index.html.gz").read_bytes()) == page.read_bytes()
    assert (dest / "posts/first-post/index.html.br").is_file()

    before = tree_digest(dest)
    blog.post("second-post", "The second post, edited.", date="2021-02-03T04:05:06Z", summary="Second.")
    lines.clear()
    assert publish_tiny(blog, "rsync", dest=f"{dest}/", lines=lines) == 0, "\n".join(lines)
    after = tree_digest(dest)
    changed = {path for path in after if before.get(path) != after[path]}
    assert "posts/second-post/index.html" in changed
    assert "posts/first-post/index.html" not in changed
    log = "\n".join(lines)
    assert "  ~ posts/second-post/index.html" in log
    assert "  ~ posts/first-post/index.html" not in log
