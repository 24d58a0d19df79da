"""Deploy hygiene: no target follows a symlink out of the built site (S3 making nothing public by
itself is tested in test_publish_s3.py)."""

from __future__ import annotations

import blogtools.commands.publish as publish_command
from tests.publishing import publish_tiny, two_posts, with_about_page


def test_a_symlink_in_the_built_site_stops_every_deploy(tiny_site, tmp_path, monkeypatch):
    with_about_page(tiny_site)
    two_posts(tiny_site)
    secret = tmp_path / "outside" / "passwd"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0\n")
    real_build = publish_command.build

    def build_with_a_link(*args, **kwargs):  # as a misbehaving plugin would leave one
        result = real_build(*args, **kwargs)
        (result.output / "leak.txt").symlink_to(secret)
        return result

    monkeypatch.setattr(publish_command, "build", build_with_a_link)
    for target, dest in (("local", tmp_path / "live"), ("rsync", tmp_path / "rsynced")):
        lines = []
        assert publish_tiny(tiny_site, target, dest=dest, lines=lines) == 1
        assert f"leak.txt: a symlink in the built site, to {secret} (a deploy never follows links: " \
               "make it a file)" in lines
        assert lines[-1] == "Publish stopped: 1 symlink(s) in what would be uploaded; nothing was published."
        assert not dest.exists()
