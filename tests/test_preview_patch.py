"""commands.patch: a body edit shown without a build, exactly as a build shows it, or refused.

Each test builds a tiny site with ``build(keep=True)``, as the live preview does,
edits a source, and patches. A patched site must be byte for byte what a cold
build writes; every edit a patch cannot show exactly is refused with its reason
(the preview then builds in full). tests/test_preview_edits.py runs the same
through the preview server, edit kind by edit kind.
"""

from __future__ import annotations

import shutil

import pytest
from pelican import signals

from blogtools.commands import patch
from blogtools.commands.build import build
from tests.conftest import tree


@pytest.fixture
def site(tiny_site):
    tiny_site.post("first-post", "The first post. See [the second](/posts/second-post/#details).",
                   tags=["aws"])
    tiny_site.post("second-post", "The second post.\n\n## Details\n\nMore.",
                   date="2021-02-03T04:05:06Z")
    tiny_site.post("other-post", "Unrelated.", date="2020-02-03T04:05:06Z", tags=["ml"])
    settings = tiny_site.settings_file()
    result = build(settings, keep=True)
    assert result.ok, result.problems
    tiny_site.kept = result.kept
    tiny_site.settings = settings
    return tiny_site


def edit(site, name, old, new):
    path = site.content / "posts" / f"{name}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def cold(site) -> dict[str, bytes]:
    folder = site.root / "cold"
    result = build(site.settings, folder / "output", CACHE_PATH=str(folder / "cache"),
                   SOURCEMAP_PATH=str(folder / "sources.json"))
    assert result.ok, result.problems
    files = tree(folder / "output")
    shutil.rmtree(folder)
    return files


def refused(site, path) -> str:
    with pytest.raises(patch.Refused) as caught:
        patch.patch(site.kept, [str(path)])
    return str(caught.value)


def test_a_body_edit_renders_only_what_shows_it_and_matches_a_cold_build(site):
    path = edit(site, "second-post", "The second post.", "The second post, edited.")
    patched = patch.patch(site.kept, [str(path)])
    assert "posts/second-post/index.html" in patched.files
    # Not the post that shares no page with it but the listings and feeds.
    assert "posts/other-post/index.html" not in patched.records
    assert "tags/ml/index.html" not in patched.records
    assert 0 < patched.rendered < len(site.kept.writer.jobs)
    patch.write(site.kept, patched)
    assert tree(site.output) == cold(site)


def test_two_patches_in_a_row_stay_exact(site):
    for n in range(2):
        path = edit(site, "first-post", "The first post" if n == 0 else "Edit 0",
                    f"Edit {n}")
        patch.write(site.kept, patch.patch(site.kept, [str(path)]))
    assert tree(site.output) == cold(site)


def test_the_record_lets_the_next_build_reuse_the_patched_pages(site):
    path = edit(site, "second-post", "The second post.", "The second post, edited.")
    patch.write(site.kept, patch.patch(site.kept, [str(path)]))
    again = build(site.settings)
    assert again.ok and again.reused[0] == again.reused[1]  # nothing left to render again


@pytest.mark.parametrize(("old", "new", "why"), [
    ('title = "Second Post"', 'title = "Renamed"\ntags = ["new"]', "more than its body changed"),
    ('title = "Second Post"', 'title = "Renamed"\naliases = ["/old/"]', "more than its body changed"),
    ("2021-02-03", "2021-02-04", "more than its body changed"),
    ("The second post.", "The second post. ![x]({static}/extra/favicon.svg)",
     "{static} or {attach} links changed"),
    ("The second post.", "See [nothing](/posts/no-such-post/).", "a link is broken"),
    ("The second post.", "AKIAIOSFODNN7EXAMPLF", "may show a secret"),
])
def test_what_a_patch_cannot_show_exactly_is_refused(site, old, new, why):
    path = edit(site, "second-post", old, new)
    assert why in refused(site, path)


def test_a_heading_another_post_links_to_renamed_is_refused(site):
    path = edit(site, "second-post", "## Details", "## Particulars")
    assert refused(site, path) == "a link is broken"


def test_front_matter_that_does_not_parse_is_refused(site):
    path = edit(site, "second-post", 'title = "Second Post"', 'title = "Second Post')
    assert refused(site, path).startswith(("Content", "pelican", "Could not"))


def test_a_file_the_site_does_not_have_is_refused(site):
    path = site.post("new-post", "New.")
    assert "is not a post or page the site has" in refused(site, path)
    path = site.content / "posts" / "first-post.md"
    path.unlink()
    assert "is not a post or page the site has" in refused(site, path)


def test_a_plugin_that_may_read_bodies_after_reading_stops_patches(site):
    def backlinks(generators):  # a third-party plugin this module does not know
        pass

    signals.all_generators_finalized.connect(backlinks)
    try:
        path = edit(site, "second-post", "The second post.", "Edited.")
        assert "test_preview_patch" in refused(site, path)
    finally:
        signals.all_generators_finalized.disconnect(backlinks)
    assert patch.unknown_receivers() == []


def test_a_build_without_the_speed_wing_keeps_nothing(tiny_site):
    tiny_site.post("only-post", "Only.")
    result = build(tiny_site.settings_file(), keep=True, SPEED_WING=False)
    assert result.ok and result.kept is None


def test_a_build_that_is_not_asked_keeps_nothing(site):
    assert build(site.settings).kept is None


def test_the_preview_patches_a_body_edit_and_builds_the_rest_in_full(site):
    from blogtools.commands.preview import Preview

    logged = []
    preview = Preview(site.settings, site.output, [], host="127.0.0.1", port=0, log=logged.append)
    assert preview.rebuild() and preview.kept is not None
    body = edit(site, "second-post", "The second post.", "The second post, edited.")
    assert preview.rebuild([str(body)])
    assert preview.status()["patched"] and preview.overlay == {}
    assert "pages and feeds rendered" in logged[-1]
    title = edit(site, "second-post", "2021-02-03", "2021-02-04")
    assert preview.rebuild([str(title)])
    state = preview.status()
    assert not state["patched"] and state["refused"] == "more than its body changed"
    assert preview.kept is not None  # the full build is kept for the next save
    assert tree(site.output) == cold(site)


def test_a_patch_that_cannot_be_written_is_served_until_a_full_build_is_live(site, monkeypatch):
    import errno

    from blogtools.commands.preview import Preview

    logged = []
    preview = Preview(site.settings, site.output, [], host="127.0.0.1", port=0, log=logged.append)
    preview.rebuild()

    def full_disk(kept, patched):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(patch, "write", full_disk)
    path = edit(site, "second-post", "The second post.", "The second post, edited.")
    assert preview.rebuild([str(path)])
    assert any("cannot write the patched files (No space left on device)" in line
               for line in logged)
    assert preview.status()["refused"] == "the patched files could not be written"
    assert preview.overlay == {} and tree(site.output) == cold(site)


def test_files_being_written_are_served_from_the_patch(site):
    import urllib.request

    from blogtools.commands.preview import Preview

    preview = Preview(site.settings, site.output, [], host="127.0.0.1", port=0, log=lambda _: None)
    url = preview.start()
    try:
        preview.overlay = {"posts/second-post/index.html": b"<!DOCTYPE html><p>patched</p>"}
        with urllib.request.urlopen(url + "posts/second-post/", timeout=30) as response:
            assert b"<p>patched</p>" in response.read()
        with urllib.request.urlopen(url + "posts/first-post/", timeout=30) as response:
            assert b"The first post." in response.read()  # the rest from the output folder
        preview.overlay = {}
        with urllib.request.urlopen(url + "posts/second-post/", timeout=30) as response:
            assert b"The second post." in response.read()
    finally:
        preview.stop()


def test_a_title_edit_renders_the_pages_that_show_the_post_and_matches_a_cold_build(site):
    path = edit(site, "second-post", 'title = "Second Post"', 'title = "A Better Title"')
    patched = patch.patch(site.kept, [str(path)])
    assert {"index.html", "posts/second-post/index.html", "archives/index.html"} <= set(patched.files)
    assert "tags/ml/index.html" not in patched.records  # the other post's tag page shows it not
    patch.write(site.kept, patched)
    assert tree(site.output) == cold(site)


def test_a_title_edit_is_refused_where_a_page_may_show_it_unnoticed(site):
    path = edit(site, "second-post", 'title = "Second Post"', 'title = "Renamed"')
    site.kept.writer.jobs[0].touched = None  # a page linked from an output with no record of it
    assert refused(site, path) == "which pages show its title is not known for every page yet"


@pytest.mark.parametrize(("setting", "why"), [
    ({"ARTICLE_ORDER_BY": "title"}, "the site orders or names posts by title"),
    ({"SLUGIFY_SOURCE": "title"}, "more than its body changed"),  # the slug changes with it
])
def test_a_title_edit_is_refused_where_titles_order_or_name_posts(site, setting, why):
    site.kept.settings.update(setting)
    path = edit(site, "second-post", 'title = "Second Post"', 'title = "Renamed"')
    assert refused(site, path) == why


def test_what_each_page_touched_is_kept_for_reused_pages_too(site):
    assert all(job.touched is not None for job in site.kept.writer.jobs)
    again = build(site.settings, keep=True)
    assert again.reused[0] == again.reused[1] > 0  # every page linked from the last output
    jobs = again.kept.writer.jobs
    assert all(job.touched is not None for job in jobs)
    page = next(job for job in jobs if job.path.endswith("posts/second-post/index.html"))
    assert any(name.endswith("second-post.md") for name in page.touched)
