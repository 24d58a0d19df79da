"""Pages rendered in forked processes: the same site, byte for byte, and the same failures."""

from __future__ import annotations

import logging
import os
import shutil
import time

import pytest

from tests.conftest import ROOT, tree

FORKED = {"PARALLEL_WRITE_MIN_PAGES": 0, "WRITE_PROCESSES": 3}


@pytest.fixture
def blog(tiny_site):
    for i in range(14):  # two pages of the home listing, tags shared across posts
        tiny_site.post(f"post-{i:02}", f"Post {i} links to [the first](/posts/post-00/).\n\n## Part\n\nText.",
                       date=f"2021-01-{i + 1:02}T10:00:00Z", tags=["shared", f"t{i % 3}"])
    tiny_site.post("a-draft", "Draft text.", tags=["shared"], draft=True)
    # An intrasite link: resolved in the parent before forking.
    tiny_site.write("images/pic.png", b"\x89PNG\r\n\x1a\n")
    tiny_site.post("with-image", "A picture: ![pic]({static}/images/pic.png) | piped.",
                   date="2021-03-01T10:00:00Z")
    tiny_site.write("pages/about.md", '+++\ntitle = "About"\n+++\nAbout me.\n')
    return tiny_site


def test_forked_rendering_writes_the_same_site_as_pelicans_sequential_writer(blog, tmp_path):
    forked = blog.build(**FORKED)
    assert forked.ok, forked.problems
    parallel = tree(blog.output)
    sequential = blog.build(SPEED_WING=False)  # Pelican's own writer
    assert sequential.ok, sequential.problems
    assert tree(blog.output) == parallel
    # The site really has what the held-back content_written signal feeds.
    assert "draft-flag" in parallel["drafts/a-draft/index.html"].decode()
    sitemap = parallel["sitemap.xml"].decode()
    assert sitemap.count("<loc>") >= 15 and "/posts/post-13/" in sitemap
    assert "page/2/index.html" in parallel
    assert 'src="/images/pic.png"' in parallel["posts/with-image/index.html"].decode()
    assert "images/pic.png" in parallel


def _theme_with(tmp_path, marker: str):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    article = theme / "templates" / "article.html"
    article.write_text(article.read_text().replace("<h1>{{ article.title }}</h1>", marker))
    return theme


PARENT = os.getpid()


def _slow_parent() -> bool:
    # The processes take pages as they become free: a slow parent leaves pages to the children.
    if os.getpid() == PARENT:
        time.sleep(0.02)
        return True
    return False


def warn_in_child(title):
    # Only pages rendered by a forked process: proves what they log reaches the build.
    if not _slow_parent():
        logging.getLogger("blogtools.test").warning("rendering %s went wrong", title)
    return title


def fail_in_child(title):
    if not _slow_parent():
        raise ZeroDivisionError("integer division or modulo by zero")
    return title


def test_a_warning_logged_while_rendering_in_a_child_fails_the_build(blog, tmp_path):
    theme = _theme_with(tmp_path, "<h1>{{ article.title|warn_in_child }}</h1>")
    assert blog.build().ok
    good = tree(blog.output)
    result = blog.build(THEME=str(theme), JINJA_FILTERS={"warn_in_child": warn_in_child}, **FORKED)
    assert not result.ok
    titles = {f"Post {i:02}" for i in range(14)} | {"A Draft", "With Image"}
    warned = {p.removeprefix("warning: rendering ").removesuffix(" went wrong") for p in result.problems}
    assert warned and warned <= titles, result.problems
    assert tree(blog.output) == good


def test_an_exception_in_a_child_fails_the_build_with_its_message(blog, tmp_path):
    theme = _theme_with(tmp_path, "<h1>{{ article.title|fail_in_child }}</h1>")
    result = blog.build(THEME=str(theme), JINJA_FILTERS={"fail_in_child": fail_in_child}, **FORKED)
    assert not result.ok
    assert result.problems == ["error: ZeroDivisionError: integer division or modulo by zero"]


def test_small_sites_render_in_this_process(blog, monkeypatch):
    from blogtools.plugins.speed.parallel_writer import ParallelWriter

    def no_fork(self, jobs, processes):
        raise AssertionError(f"forked {processes} processes for {len(jobs)} pages")

    monkeypatch.setattr(ParallelWriter, "_render_forked", no_fork)
    result = blog.build()
    assert result.ok, result.problems
    assert (blog.output / "posts/post-13/index.html").is_file()
    forced = blog.build(**FORKED)
    assert forced.problems[0].startswith("error: AssertionError: forked 3 processes for ")
