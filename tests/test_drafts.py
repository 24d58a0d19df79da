"""Drafts and scheduled posts: in the local preview (flagged), never in the published site."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup

from tests.conftest import PUBLISH_SETTINGS
from tests.publishing import with_about_page

FUTURE = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
HIDDEN_SLUGS = ("secret-draft", "scheduled-post")


@pytest.fixture
def drafts_site(tiny_site):
    with_about_page(tiny_site)
    tiny_site.post("out-now", "Published text.", tags=["shared"], summary="Out now.")
    tiny_site.post("secret-draft", "Draft text.", tags=["shared"], draft=True)
    tiny_site.post("scheduled-post", "Scheduled text.", tags=["shared"], date=FUTURE)
    return tiny_site


def every_file(folder):
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8", errors="replace")
            for p in folder.rglob("*") if p.is_file()}


def test_preview_builds_drafts_and_scheduled_posts_at_the_drafts_url(drafts_site):
    result = drafts_site.build()
    assert result.ok, result.problems
    draft = drafts_site.html("drafts/secret-draft/index.html")
    scheduled = drafts_site.html("drafts/scheduled-post/index.html")
    assert "draft-flag" in draft and "Draft" in draft and "Draft text." in draft
    assert "draft-flag" in scheduled and "Scheduled" in scheduled
    assert "draft-flag" not in drafts_site.html("posts/out-now/index.html")
    for slug in HIDDEN_SLUGS:
        assert not (drafts_site.output / "posts" / slug).exists()
    # Even in the preview, listings and feeds hold only what is published.
    files = every_file(drafts_site.output)
    for name, text in files.items():
        if name.startswith("drafts/"):
            continue
        for slug in HIDDEN_SLUGS:
            assert slug not in text, f"{slug} appears in {name}"


def test_published_build_has_no_draft_or_scheduled_post_anywhere(drafts_site):
    # A tag only a draft uses: no tag page, no tag feed when publishing.
    drafts_site.post("secret-draft", "Draft text.", tags=["shared", "draft-only-tag"], draft=True)
    result = drafts_site.build(PUBLISH_SETTINGS)
    assert result.ok, result.problems
    output = drafts_site.output
    assert not (output / "drafts").exists()
    assert (output / "posts" / "out-now" / "index.html").exists()
    files = every_file(output)
    for name, text in files.items():
        for slug in HIDDEN_SLUGS:
            assert slug not in text, f"{slug} appears in {name}"
        assert "Draft text." not in text and "Scheduled text." not in text
    assert "draft-only-tag" not in "".join(files)  # its tag page and feed are not written
    for listing in ("index.html", "archives/index.html", "tags/shared/index.html",
                    "feeds/all.atom.xml", "index.xml", "sitemap.xml"):
        assert listing in files, listing
        assert "out-now" in files[listing]


def test_a_scheduled_post_is_published_once_its_date_has_passed(drafts_site):
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    drafts_site.post("scheduled-post", "Scheduled text.", tags=["shared"], date=past)
    result = drafts_site.build(PUBLISH_SETTINGS)
    assert result.ok, result.problems
    assert (drafts_site.output / "posts" / "scheduled-post" / "index.html").exists()
    assert "scheduled-post" in drafts_site.html("index.xml")


def test_a_draft_tag_no_published_post_shares_is_shown_without_a_link(tiny_site):
    # Tag pages come from published posts only, so the draft's new tag has none yet.
    with_about_page(tiny_site)
    tiny_site.post("out-now", "Published text.", tags=["shared"])
    tiny_site.post("idea", "Draft text.", tags=["shared", "brand-new"], draft=True)
    result = tiny_site.build()
    assert result.ok, result.problems
    soup = BeautifulSoup(tiny_site.html("drafts/idea/index.html"), "lxml")
    tags = {li.get_text(): li.find("a") for li in soup.select("ul.tags li")}
    assert set(tags) == {"shared", "brand-new"}
    assert tags["shared"]["href"] == "/tags/shared/"
    assert tags["brand-new"] is None
    assert not (tiny_site.output / "tags" / "brand-new").exists()
