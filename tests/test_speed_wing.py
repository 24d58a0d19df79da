"""The speed wing's gate: one setting turns it off; a Pelican it was not tested with, or one
that changed a private name it uses, gets plain Pelican with one line saying so. Either way the
site is byte for byte the one the wing builds."""

from __future__ import annotations

import pelican
import pelican.writers
import pytest

from tests.conftest import tree

FORKED = {"PARALLEL_WRITE_MIN_PAGES": 0, "WRITE_PROCESSES": 2, "PRERENDER_MIN_FILES": 2}


@pytest.fixture
def blog(tiny_site):
    for i in range(6):
        tiny_site.post(f"post-{i}", f"Post {i}, see [the first](/posts/post-0/).\n\n## Part\n\nText $x^{i}$.",
                       date=f"2021-01-{i + 1:02}T10:00:00Z", tags=["shared", f"t{i % 2}"])
    return tiny_site


def build_quietly(blog, capfd, **overrides):
    capfd.readouterr()
    result = blog.build(**FORKED, **overrides)
    assert result.ok, result.problems
    return result, tree(blog.output), capfd.readouterr().err


def test_with_the_wing_the_site_is_plain_pelicans(blog, capfd):
    fast, fast_site, note = build_quietly(blog, capfd)
    assert fast.reused is not None and note == ""  # the render cache kept its record: the wing ran
    plain, plain_site, note = build_quietly(blog, capfd, SPEED_WING=False)
    assert plain.reused is None and note == ""
    assert fast_site == plain_site


def test_an_untested_pelican_gets_plain_pelican_and_one_line(blog, capfd, monkeypatch):
    _, expected, _ = build_quietly(blog, capfd)
    monkeypatch.setattr(pelican, "__version__", "4.13.0")
    result, site, note = build_quietly(blog, capfd)
    assert note == ("note: Pelican 4.13.0 is not a version the speed wing was tested with (4.12.0): "
                    "building with plain Pelican (the same site, slower).\n")
    assert result.reused is None
    assert site == expected


def test_a_pelican_that_rewrote_a_function_the_wing_retypes_gets_plain_pelican(blog, capfd, monkeypatch):
    from blogtools.plugins.speed import gate

    _, expected, _ = build_quietly(blog, capfd)
    original = pelican.writers.Writer.write_file

    def write_file(self, *args, **kwargs):  # the same behaviour, another source
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pelican.writers.Writer, "write_file", write_file)
    monkeypatch.setattr(pelican, "__version__", "4.12.0+changed")  # the gate decides once per version
    monkeypatch.setattr(gate, "TESTED_PELICAN", ("4.12.0+changed",))
    result, site, note = build_quietly(blog, capfd)
    assert note.startswith("note: Pelican 4.12.0+changed changed what the speed wing uses: "
                           "pelican.writers:Writer.write_file changed (source digest ")
    assert note.endswith(": building with plain Pelican (the same site, slower).\n")
    assert note.count("\n") == 1 and result.reused is None
    assert site == expected
