"""The canary: every private Pelican name our plugins use is still there, in the shape we use.

When this fails after a Pelican upgrade, the message names each changed name and the modules
that use it (``blogtools/plugins/pelican_private.py`` lists them with why); the speed wing has
already turned itself off for that Pelican (``tests/test_speed_wing.py``).
"""

from __future__ import annotations

import pelican.writers

from blogtools.plugins import pelican_private


def test_every_private_pelican_name_we_use_is_still_there():
    problems = pelican_private.problems()
    assert problems == [], "Pelican changed what these plugins rely on:\n" + "\n".join(problems)


def test_the_list_covers_the_writer_internals_the_wing_retypes():
    names = {private.name for private in pelican_private.PRIVATE}
    assert {"pelican.writers:Writer._create_new_feed", "pelican.writers:Writer._add_item_to_the_feed",
            "pelican.writers:Writer._written_files", "pelican.writers:Writer._overridden_files",
            "pelican.writers:Writer.write_file", "pelican.contents:Content._content",
            "pelican.cache:FileStampDataCacher.get_cached_data"} <= names


def test_a_name_that_disappears_is_reported_with_its_users(monkeypatch):
    monkeypatch.delattr(pelican.writers.Writer, "_add_item_to_the_feed")
    problems = pelican_private.problems()
    assert len(problems) == 1
    assert problems[0].startswith("pelican.writers:Writer._add_item_to_the_feed is gone")
    assert problems[0].endswith("[used by speed/parallel_writer.py]")


def test_a_changed_signature_or_source_is_reported(monkeypatch):
    def create_new_feed(self, feed_type, context):  # one parameter fewer
        raise AssertionError

    def write_feed(self, elements, context, path=None):  # a rewritten function
        raise AssertionError

    monkeypatch.setattr(pelican.writers.Writer, "_create_new_feed", create_new_feed)
    monkeypatch.setattr(pelican.writers.Writer, "write_feed", write_feed)
    problems = pelican_private.problems()
    assert [p.split(" ")[0] for p in problems] == ["pelican.writers:Writer._create_new_feed",
                                                   "pelican.writers:Writer.write_feed"]
    assert "takes ('self', 'feed_type', 'context')" in problems[0]
    assert "changed (source digest" in problems[1]


def test_content_attributes_are_checked_on_a_real_article(monkeypatch):
    from pelican.contents import Content

    original = Content.__init__

    def without_private_content(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.__dict__["_content"] = None

    monkeypatch.setattr(Content, "__init__", without_private_content)
    pelican_private._samples.cache_clear()
    try:
        assert "Article()._content is NoneType, not str [used by plugins/root_links.py" in \
            "\n".join(pelican_private.problems())
    finally:
        pelican_private._samples.cache_clear()
