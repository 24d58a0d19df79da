"""Parallel pre-rendering (blogtools.plugins.speed.prerender) gives the same site as rendering one by one."""

from __future__ import annotations

import pytest

from blogtools.plugins.frontmatter import FrontMatterReader
from tests.conftest import TinySite, tree

POST = """Intro with $a^2 + b^2 = c^2$ and a [link](#two).

# One

```python
print("hi")
```

# Two

| a | b |
| --- | --- |
| 1 | 2 |
"""


def write_posts(site: TinySite, n: int) -> list:
    return [site.post(f"post-{i}", POST + f"\nPost number {i}.\n", tags=["t"],
                      date=f"2021-01-{i + 1:02d}T00:00:00Z") for i in range(n)]


@pytest.fixture
def taken(monkeypatch):
    """Paths whose pre-rendered result the reader used."""
    used = []
    original = FrontMatterReader.take_prerendered

    def spy(self, path, body, **kwargs):
        result = original(self, path, body, **kwargs)
        if result is not None:
            used.append(path)
        return result

    monkeypatch.setattr(FrontMatterReader, "take_prerendered", spy)
    return used


def test_parallel_and_sequential_builds_write_the_same_files(tmp_path, taken):
    parallel, sequential = TinySite(tmp_path / "a"), TinySite(tmp_path / "b")
    pooled = write_posts(parallel, 6)
    write_posts(sequential, 6)
    assert_same_site(parallel, sequential, taken, pooled)


def test_a_bad_formula_is_still_reported_at_its_file_and_line(tmp_path, taken):
    site = TinySite(tmp_path)
    write_posts(site, 4)
    bad = site.post("bad", "Fine.\n\nMath $\\frac{1}{2$ here.\n", date="2021-02-01T00:00:00Z")
    result = site.build(PRERENDER_MIN_FILES=2)
    assert not result.ok
    assert len(taken) == 4  # the good posts were pre-rendered, the bad one fell back
    assert result.problems[0].startswith(f"{bad}:8: bad math"), result.problems


def test_a_single_changed_post_starts_no_pool(tmp_path, taken):
    site = TinySite(tmp_path)
    write_posts(site, 3)
    assert site.build().ok
    assert taken == []  # below PRERENDER_MIN_FILES: rendered in the build's own process


# Pelican's own ``Key: value`` header, with the edge cases of Markdown's meta
# extension: a blank value, values continued on indented lines, a summary with
# Markdown in it, and a header that is not followed by a blank line's worth of keys.
HEADER_POSTS = {
    "plain": "Title: Plain\nDate: 2021-03-01T00:00:00Z\nTags: a, b\n\n" + POST,
    "blank-value": "Title: Blank value\nDate: 2021-03-02 10:00\nKeywords:\nAuthor: Ann\n\n" + POST,
    "multi-line": ("Title: Multi line\nDate: 2021-03-03\nTags: one\n    two\n"
                   "Summary: A summary that goes on\n    over a second line.\n\n" + POST),
    "markdown-summary": ("Title: Summary *with* `code`\nDate: 2021-03-04\n"
                         "Summary: Uses *emphasis*, `code` and a [link](https://example.com/).\n\n"
                         + POST),
    "no-blank-line": "title: Lower case keys\ndate: 2021-03-05\n# Heading right away\n\nText.\n",
    "indented-body": "Title: Indented body\nDate: 2021-03-06\n\n    code block first\n\n" + POST,
}


def write_header_posts(site: TinySite) -> list:
    paths = [site.write(f"posts/{name}.md", text) for name, text in HEADER_POSTS.items()]
    paths.append(site.write("pages/about.md", "Title: About\nSlug: about\n\nAbout $x$.\n"))
    paths.append(site.write("pages/now.md", "Title: Now\n\n# Now\n\nWriting.\n"))
    return paths


def assert_same_site(parallel: TinySite, sequential: TinySite, taken: list, pooled: list) -> None:
    result = parallel.build(PRERENDER_MIN_FILES=2)
    assert result.ok, result.problems
    assert sorted(map(str, taken)) == sorted(map(str, pooled))  # all came from the pool
    taken.clear()
    result = sequential.build(SPEED_WING=False)
    assert result.ok, result.problems
    assert taken == []
    a, b = tree(parallel.output), tree(sequential.output)
    assert a.keys() == b.keys()
    assert [name for name in a if a[name] != b[name]] == []


def test_a_site_of_pelican_headers_is_the_same_built_with_the_pool(tmp_path, taken):
    parallel, sequential = TinySite(tmp_path / "a"), TinySite(tmp_path / "b")
    pooled = write_header_posts(parallel)
    write_header_posts(sequential)
    assert_same_site(parallel, sequential, taken, pooled)
    # The header was read from the pool's results too: continuation lines and all.
    home = parallel.html("index.html")
    assert "A summary that goes on over a second line." in home
    assert "Lower case keys" in home and "Title:" not in home


def test_a_mixed_site_is_the_same_built_with_the_pool(tmp_path, taken):
    parallel, sequential = TinySite(tmp_path / "a"), TinySite(tmp_path / "b")
    pooled = []
    for site in (parallel, sequential):
        paths = write_header_posts(site)
        paths.append(site.post("toml", POST, tags=["t"], date="2021-04-01T00:00:00Z"))
        paths.append(site.write("posts/yaml.md", "---\ntitle: Yaml\ndate: 2021-04-02\n"
                                                 "tags: [t, y]\n---\n\n" + POST))
        if site is parallel:
            pooled = paths
    assert_same_site(parallel, sequential, taken, pooled)


def test_an_error_in_a_pelican_header_post_is_reported_at_its_line(tmp_path, taken):
    problems = []
    for mode in ({"PRERENDER_MIN_FILES": 2}, {"SPEED_WING": False}):
        site = TinySite(tmp_path / str(len(problems)))
        good = write_header_posts(site)
        bad = site.write("posts/bad.md", "Title: Bad\nDate: 2021-05-01\n\nFine.\n\nMath $\\frac{1}{2$ here.\n")
        taken.clear()
        result = site.build(**mode)
        assert not result.ok
        assert result.problems[0].startswith(f"{bad}:6: bad math"), result.problems
        problems.append([p.replace(str(site.root), "") for p in result.problems])
        if "PRERENDER_MIN_FILES" in mode:
            assert sorted(map(str, taken)) == sorted(map(str, good))  # only the bad one fell back
    assert problems[0] == problems[1]


def test_a_file_with_only_a_header_line_fails_the_same_with_the_pool(tmp_path, taken):
    problems = []
    for mode in ({"PRERENDER_MIN_FILES": 2}, {"SPEED_WING": False}):
        site = TinySite(tmp_path / str(len(problems)))
        write_header_posts(site)
        only = site.write("pages/only.md", "Title: Only a header\n")
        taken.clear()
        result = site.build(**mode)
        assert not result.ok
        assert result.problems[0].startswith(f"{only}:1: the post has no text"), result.problems
        assert (str(only) in map(str, taken)) == ("PRERENDER_MIN_FILES" in mode)
        problems.append([p.replace(str(site.root), "") for p in result.problems])
    assert problems[0] == problems[1]


def test_a_word_count_key_wins_with_the_pool_as_without(tmp_path, taken):
    parallel, sequential = TinySite(tmp_path / "a"), TinySite(tmp_path / "b")
    pooled = []
    for site in (parallel, sequential):
        paths = [site.post(f"p{i}", "Hello world. " * 300, word_count=5,
                           date=f"2021-01-0{i + 1}T00:00:00Z") for i in range(3)]
        paths.append(site.write("posts/header.md", "Title: Header\nDate: 2021-02-01\n"
                                                   "Word_count: 7\n\n" + "Hi there. " * 300))
        if site is parallel:
            pooled = paths
    assert_same_site(parallel, sequential, taken, pooled)
