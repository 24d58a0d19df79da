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


def write_posts(site: TinySite, n: int) -> None:
    for i in range(n):
        site.post(f"post-{i}", POST + f"\nPost number {i}.\n", tags=["t"],
                  date=f"2021-01-{i + 1:02d}T00:00:00Z")


@pytest.fixture
def taken(monkeypatch):
    """Paths whose pre-rendered result the reader used."""
    used = []
    original = FrontMatterReader.take_prerendered

    def spy(self, path, body):
        result = original(self, path, body)
        if result is not None:
            used.append(path)
        return result

    monkeypatch.setattr(FrontMatterReader, "take_prerendered", spy)
    return used


def test_parallel_and_sequential_builds_write_the_same_files(tmp_path, taken):
    parallel, sequential = TinySite(tmp_path / "a"), TinySite(tmp_path / "b")
    for site in (parallel, sequential):
        write_posts(site, 6)
    result = parallel.build(PRERENDER_MIN_FILES=2)
    assert result.ok, result.problems
    assert len(taken) == 6  # every post came from the pool
    taken.clear()
    result = sequential.build(SPEED_WING=False)
    assert result.ok, result.problems
    assert taken == []
    a, b = tree(parallel.output), tree(sequential.output)
    assert a.keys() == b.keys()
    assert [name for name in a if a[name] != b[name]] == []


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
