"""invoke new-post / publish-post: the file, its front matter, slug clashes, preview only."""

from __future__ import annotations

import datetime as dt
import tomllib
from zoneinfo import ZoneInfo

import pytest

from blogtools.commands.newpost import PostError, main, new_post, publish_post
from blogtools.plugins.frontmatter import split_front_matter
from tests.conftest import PUBLISH_SETTINGS
from tests.publishing import with_about_page

NOW = dt.datetime(2021, 3, 4, 9, 30, 15, tzinfo=ZoneInfo("Europe/Dublin"))


def front(path):
    fmt, text, body, _ = split_front_matter(path.read_text(encoding="utf-8"))
    assert fmt == "toml"
    return tomllib.loads(text), body


def test_new_post_file_and_front_matter(tiny_site):
    post = new_post("Feature Stores: Do I Need One?", tags="aws, ml", category="Machine Learning",
                    content=tiny_site.content, now=NOW)
    assert post.path == tiny_site.content / "posts" / "feature-stores-do-i-need-one.md"
    assert post.slug == "feature-stores-do-i-need-one"
    assert post.preview_url == "http://127.0.0.1:8000/drafts/feature-stores-do-i-need-one/"
    text = post.path.read_text(encoding="utf-8")
    assert text.startswith("+++\ntitle = ")  # the author's TOML style
    data, body = front(post.path)
    assert data["title"] == "Feature Stores: Do I Need One?"
    assert data["date"] == NOW and data["date"].utcoffset() is not None
    assert data["draft"] is True
    assert data["author"] == "Shane Nolan"
    assert data["tags"] == ["aws", "ml"]
    assert data["categories"] == ["Machine Learning"]
    assert body.strip()


def test_new_post_dates_now_with_a_time_zone(tiny_site):
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    post = new_post("Right Now", content=tiny_site.content)
    data, _ = front(post.path)
    assert data["date"].tzinfo is not None
    assert before <= data["date"] <= dt.datetime.now(dt.UTC)


def test_title_with_quotes_and_backslashes_is_valid_toml(tiny_site):
    title = 'Say "hi" to C:\\Users & Ünïcode'
    post = new_post(title, content=tiny_site.content, now=NOW)
    assert front(post.path)[0]["title"] == title


def test_refuses_to_overwrite_an_existing_post(tiny_site):
    existing = tiny_site.post("hello-world", "Mine, keep me.")
    before = existing.read_bytes()
    with pytest.raises(PostError, match="already exists"):
        new_post("Hello World", content=tiny_site.content, now=NOW)
    assert existing.read_bytes() == before


def test_refuses_a_slug_another_post_claims_in_its_front_matter(tiny_site):
    tiny_site.post("2019-notes", "Old.", slug="hello-world")
    with pytest.raises(PostError, match=r"slug 'hello-world' is already used by .*2019-notes\.md"):
        new_post("Hello World", content=tiny_site.content, now=NOW)
    assert not (tiny_site.content / "posts" / "hello-world.md").exists()


def test_command_prints_path_and_preview_url(tiny_site, capsys):
    assert main(["new", "A Fresh Start", "--tags", "a,b", "--content", str(tiny_site.content)]) == 0
    out = capsys.readouterr().out
    assert "a-fresh-start.md" in out
    assert "http://127.0.0.1:8000/drafts/a-fresh-start/" in out
    assert main(["new", "A Fresh Start", "--content", str(tiny_site.content)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_new_post_builds_only_in_the_preview(tiny_site):
    with_about_page(tiny_site)
    tiny_site.post("published", "Already out.")
    post = new_post("Work In Progress", content=tiny_site.content, now=NOW)
    result = tiny_site.build()
    assert result.ok, result.problems
    draft_page = tiny_site.html("drafts/work-in-progress/index.html")
    assert "draft-flag" in draft_page
    assert not (tiny_site.output / "posts" / "work-in-progress").exists()
    assert "work-in-progress" not in tiny_site.html("index.html")

    result = tiny_site.build(PUBLISH_SETTINGS)
    assert result.ok, result.problems
    assert not (tiny_site.output / "drafts").exists()
    assert not any("work-in-progress" in p.read_text(encoding="utf-8", errors="replace")
                   for p in tiny_site.output.rglob("*") if p.is_file())

    # Publishing is one line: draft = false, and nothing else in the file changes.
    before = post.path.read_bytes()
    path, note = publish_post("work-in-progress", content=tiny_site.content)
    after = path.read_bytes()
    assert before.replace(b"draft = true", b"draft = false") == after
    assert "draft = false" in note
    result = tiny_site.build(PUBLISH_SETTINGS)
    assert result.ok, result.problems
    assert (tiny_site.output / "posts" / "work-in-progress" / "index.html").exists()
    assert "work-in-progress" in tiny_site.html("index.html")


def test_publish_post_keeps_every_other_byte(tiny_site):
    path = tiny_site.write("posts/crlf.md", b"\xef\xbb\xbf+++\r\ntitle = \"CRLF\"\r\n"
                           b"date = 2021-01-01T00:00:00Z\r\ndraft   =   true   # not yet\r\n"
                           b"+++\r\n\r\nBody mentions draft = true too.\r\n")
    publish_post("crlf", content=tiny_site.content)
    assert path.read_bytes() == (b"\xef\xbb\xbf+++\r\ntitle = \"CRLF\"\r\n"
                                 b"date = 2021-01-01T00:00:00Z\r\ndraft   =   false   # not yet\r\n"
                                 b"+++\r\n\r\nBody mentions draft = true too.\r\n")
    _, note = publish_post("crlf", content=tiny_site.content)
    assert "not a draft" in note


def test_publish_post_finds_a_post_by_its_slug_key_and_yaml(tiny_site):
    path = tiny_site.write("posts/2020-notes.md", "---\ntitle: Notes\ndate: 2020-01-01\n"
                           "slug: notes\ndraft: true\n---\n\nText.\n")
    publish_post("notes", content=tiny_site.content)
    assert "draft: false\n" in path.read_text()
    with pytest.raises(PostError, match="no post has the slug"):
        publish_post("nothing-here", content=tiny_site.content)
