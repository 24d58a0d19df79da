"""Nothing outside the project and no dotfile is published (blogtools.plugins.safe_files).

Tiny sites built with the project's settings: a symlink out of the project fails the build with
one line naming it and its target, and nothing is written; links inside work; loops are reported;
dotfiles are skipped (but for the allow-list) and the build says so once.
"""

from __future__ import annotations

from blogtools.errors import display_path
from tests.conftest import tree


def outside_file(tmp_path, text="root:x:0:0:root:/root:/bin/bash\n"):
    """A file outside the project and the content folder, as /etc/passwd is."""
    folder = tmp_path / "elsewhere"
    folder.mkdir(exist_ok=True)
    (folder / "passwd").write_text(text, encoding="utf-8")
    return folder / "passwd"


def test_a_symlink_out_of_the_project_fails_the_build_and_keeps_the_last_output(tiny_site, tmp_path):
    tiny_site.post("a")
    tiny_site.write("images/ok.txt", "ok")
    first = tiny_site.build()
    assert first.ok, first.problems
    before = tree(tiny_site.output)
    target = outside_file(tmp_path)
    link = tiny_site.content / "images" / "leak.txt"
    link.symlink_to(target)

    result = tiny_site.build()

    assert not result.ok
    assert result.problems == [f"{display_path(link)}: symlink to {target}, outside the project "
                               "(copy the file in, or remove the link)"]
    assert tree(tiny_site.output) == before
    assert not (tiny_site.output / "images" / "leak.txt").exists()


def test_a_symlinked_folder_out_of_the_project_is_reported_not_walked(tiny_site, tmp_path):
    tiny_site.post("a")
    target = outside_file(tmp_path).parent
    # Had Pelican walked the folder, this would add "Cannot get modification stamp" lines.
    (target / "gone").symlink_to(tmp_path / "nowhere")
    link = tiny_site.content / "images" / "etc"
    link.parent.mkdir()
    link.symlink_to(target, target_is_directory=True)

    result = tiny_site.build()

    assert result.problems == [f"{display_path(link)}: symlink to {target}, outside the project "
                               "(copy the file in, or remove the link)"]
    assert not tiny_site.output.exists()


def test_symlinks_inside_the_project_work_as_before(tiny_site):
    tiny_site.post("a")
    tiny_site.write("images/real/chart.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    (tiny_site.content / "images" / "chart.svg").symlink_to("real/chart.svg")
    (tiny_site.content / "images" / "also").symlink_to("real", target_is_directory=True)

    result = tiny_site.build()

    assert result.ok, result.problems
    assert (tiny_site.output / "images" / "chart.svg").read_text() == '<svg xmlns="http://www.w3.org/2000/svg"/>'
    assert (tiny_site.output / "images" / "also" / "chart.svg").is_file()


def test_a_symlink_loop_is_reported_not_followed(tiny_site):
    tiny_site.post("a")
    images = tiny_site.content / "images"
    images.mkdir()
    (images / "one").symlink_to("two")
    (images / "two").symlink_to("one")
    (images / "self").symlink_to(images, target_is_directory=True)

    result = tiny_site.build()

    assert result.problems == [
        f"{display_path(images / 'one')}: symlink loop through two (remove the link)",
        f"{display_path(images / 'self')}: symlink loop: it points to {display_path(images)}, which holds it "
        "(remove the link)",
        f"{display_path(images / 'two')}: symlink loop through one (remove the link)",
    ]


def test_dotfiles_are_never_published_and_the_build_says_which_once(tiny_site, capsys):
    tiny_site.post("a")
    tiny_site.write("images/.env", "AWS_PROFILE=prod\n")
    tiny_site.write("images/.git/config", "[remote \"origin\"]\n")
    tiny_site.write("images/photo.txt", "a photo")
    tiny_site.write("extra/.htpasswd", "admin:$apr1$x$y\n")
    tiny_site.write("extra/.htaccess", "Deny from all\n")
    tiny_site.write("posts/.unfinished.md", "+++\ntitle = \"Secret plans\"\ndate = 2021-01-01T00:00:00Z\n+++\n\nx\n")

    result = tiny_site.build()

    assert result.ok, result.problems
    published = set(tree(tiny_site.output))
    assert "images/photo.txt" in published
    assert not [name for name in published if "/." in "/" + name]
    assert "Secret plans" not in tiny_site.html("index.html")
    notes = [line for line in capsys.readouterr().err.splitlines() if line.startswith("note: skipped dotfiles")]
    skipped = ["extra/.htaccess", "extra/.htpasswd", "images/.env", "images/.git/", "posts/.unfinished.md"]
    assert notes == ["note: skipped dotfiles (never published): "
                     + ", ".join(display_path(tiny_site.content / name) + ("/" if name.endswith("/") else "")
                                 for name in skipped)]


def test_the_allow_list_publishes_well_known_and_nojekyll_and_what_the_author_adds(tiny_site):
    tiny_site.post("a")
    tiny_site.write("extra/.well-known/security.txt", "Contact: mailto:me@example.org\n")
    tiny_site.write("extra/.nojekyll", "")
    tiny_site.write("extra/.htaccess", "ErrorDocument 404 /404.html\n")

    default = tiny_site.build()
    assert default.ok, default.problems
    assert (tiny_site.output / "extra" / ".well-known" / "security.txt").is_file()
    assert (tiny_site.output / "extra" / ".nojekyll").is_file()
    assert not (tiny_site.output / "extra" / ".htaccess").exists()

    added = tiny_site.build(PUBLISHED_DOTFILES=[".well-known/", ".nojekyll", ".htaccess"])
    assert added.ok, added.problems
    assert (tiny_site.output / "extra" / ".htaccess").read_text() == "ErrorDocument 404 /404.html\n"


def test_a_dotfile_linked_from_a_post_is_still_not_published(tiny_site):
    tiny_site.post("a", "See [the key]({static}/images/.key.txt).")
    tiny_site.write("images/.key.txt", "secret")

    result = tiny_site.build()

    assert not result.ok
    assert (f"{display_path(tiny_site.content / 'images' / '.key.txt')}: linked with {{static}}, but dotfiles "
            "are never published (rename it without the leading dot, or add '.key.txt' to PUBLISHED_DOTFILES)"
            ) in result.problems

