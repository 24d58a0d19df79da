"""Rebuilds that reuse unchanged pages: always the same site as a fresh build."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
from jinja2 import Environment
from pelican.contents import Article
from pelican.paginator import Paginator
from pelican.settings import DEFAULT_CONFIG

from blogtools.plugins.speed import render_cache
from tests.conftest import CONTENT, PUBLISH_SETTINGS, ROOT, build_into, tree

FORKED = {"PARALLEL_WRITE_MIN_PAGES": 0, "WRITE_PROCESSES": 2}


def inodes(folder) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino
            for p in folder.rglob("*") if p.is_file()}


def fresh_tree(site, folder, **overrides) -> dict[str, bytes]:
    """The same content built from scratch: no cache, no last output."""
    result = build_into(folder, PATH=str(site.content), **overrides)
    assert result.ok, result.problems
    return tree(folder / "output")


@pytest.fixture
def blog(tiny_site):
    for i in range(12):
        tiny_site.post(f"post-{i:02}", f"First paragraph of post {i}.\n\n## Part\n\n"
                       f"Links to [the first](/posts/post-00/).\n\nLast paragraph of post {i}.",
                       date=f"2021-01-{i + 1:02}T10:00:00Z", tags=["shared", f"t{i % 3}"])
    tiny_site.post("a-draft", "Draft text.", tags=["shared"], draft=True)
    tiny_site.write("images/pic.png", b"\x89PNG\r\n\x1a\n")
    tiny_site.post("with-image", "A picture: ![pic]({static}/images/pic.png).",
                   date="2021-03-01T10:00:00Z", tags=["t1"])
    tiny_site.write("pages/about.md", '+++\ntitle = "About"\n+++\nAbout me.\n')
    return tiny_site


def _replace(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _theme(site):
    theme = site.root / "theme"
    if not theme.exists():
        shutil.copytree(ROOT / "theme", theme)
    return theme


# Each edit an author (or a theme change) makes; the rebuild must equal a fresh build.
EDITS = {
    "last paragraph": lambda s: _replace(s.content / "posts/post-03.md", "Last paragraph of post 3.",
                                         "Last paragraph of post 3, edited."),
    "first paragraph (the summary)": lambda s: _replace(
        s.content / "posts/post-03.md", "First paragraph of post 3.", "An opening, rewritten."),
    "title": lambda s: _replace(s.content / "posts/post-03.md", 'title = "Post 03"',
                                'title = "Post three"'),
    "tags": lambda s: _replace(s.content / "posts/post-03.md", '"t0"', '"t2"'),
    "date": lambda s: _replace(s.content / "posts/post-03.md", "2021-01-04", "2021-02-20"),
    "new post": lambda s: s.post("post-new", "Brand new.", date="2021-04-01T10:00:00Z",
                                 tags=["shared"]),
    "deleted post": lambda s: (s.content / "posts/post-05.md").unlink(),
    "draft published": lambda s: _replace(s.content / "posts/a-draft.md", "draft = true",
                                          "draft = false"),
    "heading in the body": lambda s: _replace(s.content / "posts/post-03.md", "## Part",
                                              "## A renamed part"),
    "page body": lambda s: _replace(s.content / "pages/about.md", "About me.", "About me, edited."),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_rebuild_after_an_edit_is_byte_for_byte_a_fresh_build(blog, tmp_path, edit):
    assert blog.build(**FORKED).ok
    assert blog.build(**FORKED).ok  # a rebuild with nothing changed
    EDITS[edit](blog)
    result = blog.build(**FORKED)
    assert result.ok, result.problems
    assert tree(blog.output) == fresh_tree(blog, tmp_path / "fresh", **FORKED)


def test_a_body_edit_rerenders_only_the_pages_that_show_the_post(blog):
    assert blog.build(**FORKED).ok
    before = inodes(blog.output)
    EDITS["last paragraph"](blog)
    assert blog.build(**FORKED).ok
    after = inodes(blog.output)
    changed = {path for path, inode in after.items() if before.get(path) != inode}
    # Its own page, the listings and feeds that carry its summary or body; and the
    # files written outside the page writer (static files, sitemap, robots.txt).
    assert "posts/post-03/index.html" in changed
    assert "feeds/tags/t0.atom.xml" in changed
    for unchanged in ("posts/post-04/index.html", "posts/post-00/index.html", "about/index.html",
                      "tags/t1/index.html", "feeds/tags/t1.atom.xml", "drafts/a-draft/index.html"):
        assert unchanged not in changed
    pages = [p for p in after if p.endswith(".html")]
    assert len(changed & set(pages)) <= 6, sorted(changed)


def test_the_build_says_how_many_pages_it_rendered(blog):
    command = [sys.executable, "-m", "blogtools.commands.build", "-s", str(blog.settings_file()),
               "-o", str(blog.output)]
    first = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    everything = re.search(r"; (\d+) of \1 pages and feeds rendered, the rest unchanged", first)
    assert everything, first
    EDITS["last paragraph"](blog)
    second = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    rendered, files = map(int, re.search(r"; (\d+) of (\d+) pages and feeds rendered", second).groups())
    assert files == int(everything[1]) and 1 <= rendered < files / 2


def test_small_sites_reuse_pages_without_forking(blog, tmp_path):
    assert blog.build().ok
    before = inodes(blog.output)
    EDITS["first paragraph (the summary)"](blog)
    assert blog.build().ok
    after = inodes(blog.output)
    assert before["posts/post-04/index.html"] == after["posts/post-04/index.html"]
    assert before["posts/post-03/index.html"] != after["posts/post-03/index.html"]
    assert tree(blog.output) == fresh_tree(blog, tmp_path / "fresh")


def test_a_template_or_setting_change_rerenders_every_page(blog):
    assert blog.build(**FORKED).ok
    before = inodes(blog.output)
    theme = _theme(blog)
    _replace(theme / "templates/partials/footer.html", "</footer>", "<!-- new --></footer>")
    assert blog.build(THEME=str(theme), **FORKED).ok
    themed = inodes(blog.output)
    pages = [p for p in themed if p.endswith(".html") and "/page/" not in p]
    assert all(themed[p] != before.get(p) for p in pages)
    assert "<!-- new -->" in blog.html("posts/post-04/index.html")
    assert blog.build(THEME=str(theme), SITE_DESCRIPTION="Another description.", **FORKED).ok
    described = inodes(blog.output)
    assert all(described[p] != themed[p] for p in pages)


def test_a_failed_build_leaves_the_output_and_its_record_as_they_were(blog, tmp_path):
    assert blog.build(**FORKED).ok
    good = tree(blog.output)
    _replace(blog.content / "posts/post-03.md", "Last paragraph of post 3.",
             "Now [broken](/posts/no-such-post/).")
    failed = blog.build(**FORKED)
    assert not failed.ok
    assert tree(blog.output) == good
    # The next good build must not trust what the failed one rendered.
    _replace(blog.content / "posts/post-03.md", "Now [broken](/posts/no-such-post/).",
             "Fixed.")
    assert blog.build(**FORKED).ok
    assert tree(blog.output) == fresh_tree(blog, tmp_path / "fresh", **FORKED)


def test_a_hand_edited_output_file_is_rendered_again(blog):
    assert blog.build(**FORKED).ok
    page = blog.output / "posts/post-04/index.html"
    good = page.read_bytes()
    page.write_bytes(good.replace(b"Post 04", b"Vandalised"))
    assert blog.build(**FORKED).ok
    assert page.read_bytes() == good


def test_without_hard_links_reused_pages_are_copied(blog, tmp_path, monkeypatch):
    assert blog.build().ok
    page = blog.output / "posts/post-04/index.html"
    before = page.stat()

    def no_hard_links(source, target, **kwargs):
        raise PermissionError(1, "Operation not permitted", source)

    monkeypatch.setattr(os, "link", no_hard_links)
    EDITS["last paragraph"](blog)
    assert blog.build().ok
    after = page.stat()
    assert after.st_ino != before.st_ino and after.st_mtime_ns == before.st_mtime_ns  # copied
    assert tree(blog.output) == fresh_tree(blog, tmp_path / "fresh")


def test_nothing_is_reused_without_the_setting(blog):
    assert blog.build(**FORKED).ok
    before = inodes(blog.output)
    assert blog.build(RENDER_CACHE=False, **FORKED).ok
    after = inodes(blog.output)
    assert all(after[p] != before[p] for p in after if p.endswith(".html"))


def test_a_publish_build_renders_every_page(tmp_path):
    # What readers get never comes from the render cache.
    assert build_into(tmp_path, PUBLISH_SETTINGS).ok
    before = inodes(tmp_path / "output")
    assert build_into(tmp_path, PUBLISH_SETTINGS).ok
    after = inodes(tmp_path / "output")
    pages = [p for p in after if p.endswith(".html")]
    assert pages and all(after[p] != before[p] for p in pages)


def test_the_real_site_rebuilt_unchanged_reuses_every_page_and_after_an_edit_equals_a_fresh_build(
        tiny_site, tmp_path):
    shutil.rmtree(tiny_site.content)
    shutil.copytree(CONTENT, tiny_site.content)
    assert tiny_site.build().ok
    before = inodes(tiny_site.output)
    assert tiny_site.build().ok
    after = inodes(tiny_site.output)
    written = [p for p in after if p.endswith((".html", ".xml")) and p != "sitemap.xml"]
    assert written and all(after[p] == before[p] for p in written), \
        [p for p in written if after[p] != before[p]]
    post = tiny_site.content / "posts/aws-ml-study-points.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more study point.\n", encoding="utf-8")
    assert tiny_site.build().ok
    assert after["posts/aws-ml-study-points/index.html"] != \
        inodes(tiny_site.output)["posts/aws-ml-study-points/index.html"]
    assert tree(tiny_site.output) == fresh_tree(tiny_site, tmp_path / "fresh")


# --- what a page reads -------------------------------------------------------------------


def _post(name: str) -> Article:
    settings = dict(DEFAULT_CONFIG)
    return Article("<p>Body</p>", {"title": name.title(), "summary": "Sum"}, settings=settings,
                   source_path=f"/site/{name}.md", context={})


def _reads(source: str, **context) -> set[str]:
    env = Environment()
    env.filters["shout"] = lambda value: str(value).upper()
    env.tests["long"] = lambda value: len(str(value)) > 3
    env.globals["excerpt"] = lambda post: str(post)[:10]
    render_cache.trace(env)
    with render_cache.Reads() as reads:
        env.from_string(source).render(**context)
    return reads


@pytest.mark.parametrize(("source", "expected"), [
    ("{{ a.title }} {{ a.url }} {{ b.date }}", set()),
    ("{{ a.summary }}", {"/site/a.md"}),
    ("{{ a['content'] }} {{ b.metadata }}", {"/site/a.md", "/site/b.md"}),
    ("{{ posts|map(attribute='content')|join }}", {"/site/a.md", "/site/b.md"}),
    ("{{ posts|map(attribute='title')|join }}", set()),
    ("{{ posts[0:1]|map(attribute='title')|join }} {{ posts[1]['summary'] }}", {"/site/b.md"}),
    ("{{ a|attr('summary') }}", {"/site/a.md"}),
    ("{{ b|shout }}", {"/site/b.md"}),
    ("{{ posts|shout }}", {"/site/a.md", "/site/b.md"}),
    ("{{ {'x': a}|shout }} {{ pairs|shout }}", {"/site/a.md", "/site/b.md"}),
    ("{{ page|shout }}", {"/site/a.md", "/site/b.md"}),
    ("{{ 'short'|shout }} {{ 5|shout }} {{ a.title|shout }}", set()),
    ("{% if b is long %}{% endif %}", {"/site/b.md"}),
    ("{{ excerpt(a) }} {{ range(3)|list }}", {"/site/a.md"}),
    ("{{ no_such_variable|shout }}", set()),
])
def test_a_page_depends_on_the_posts_whose_bodies_it_reads(source, expected):
    a, b = _post("a"), _post("b")
    page = Paginator("index.html", "", [a, b], DEFAULT_CONFIG, 10).page(1)
    assert _reads(source, a=a, b=b, posts=[a, b], pairs=[("tag", [b])], page=page) == expected


@pytest.mark.parametrize(("source", "expected"), [
    ("{{ a.title }} {{ b['url'] }}", {"/site/a.md", "/site/b.md"}),
    ("{{ posts|map(attribute='title')|join }}", {"/site/a.md", "/site/b.md"}),
    ("{{ posts|length }} {{ a }}", set()),  # a list's length, a post printed whole: no attribute
    ("{{ b|shout }}", {"/site/b.md"}),
    ("{{ 'x'|shout }}", set()),
])
def test_a_page_touches_the_posts_it_reads_anything_of(source, expected):
    env = Environment()
    env.filters["shout"] = lambda value: str(value).upper()
    render_cache.trace(env)
    a, b = _post("a"), _post("b")
    reading = render_cache.Reads()
    with reading:
        env.from_string(source).render(a=a, b=b, posts=[a, b])
    assert reading.touched == expected


def test_reads_are_noted_only_while_a_page_renders():
    env = Environment()
    render_cache.trace(env)
    render_cache.trace(env)  # once only
    post = _post("a")
    assert env.from_string("{{ a.summary }}").render(a=post) == "Sum"
    with render_cache.Reads() as outer:
        with render_cache.Reads() as inner:
            env.from_string("{{ a.content }}").render(a=post)
        assert inner == {"/site/a.md"} and outer == set()


def test_body_digest_follows_the_body_and_outline_the_rest():
    a, b = _post("a"), _post("a")
    assert render_cache.body_digest(a) == render_cache.body_digest(b)
    b._content = "<p>Other</p>"
    assert render_cache.body_digest(a) != render_cache.body_digest(b)
    assert os.path.basename(render_cache.ref(a)) == "a.md"
