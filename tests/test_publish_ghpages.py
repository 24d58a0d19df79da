"""invoke publish --target ghpages: ghp-import into a temporary git repository."""

from __future__ import annotations

import subprocess

import pytest

from tests.publishing import publish_tiny, two_posts, with_about_page


def git(repo, *args) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def repo(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Test Author")
    git(repo, "config", "user.email", "author@example.org")
    (repo / "README").write_text("source branch\n")
    git(repo, "add", "README")
    git(repo, "commit", "-q", "-m", "source")
    return repo


@pytest.fixture
def blog(tiny_site):
    with_about_page(tiny_site)
    two_posts(tiny_site)
    return tiny_site


def test_ghp_import_puts_the_site_on_the_branch(blog, repo, tmp_path):
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    settings = {"PUBLISH_GHPAGES_REPO": str(repo), "PUBLISH_GHPAGES_CNAME": "blog.example.org"}

    lines = []
    assert publish_tiny(blog, "ghpages", dry_run=True, settings=settings, lines=lines) == 0
    assert "gh-pages" not in git(repo, "branch", "--list")
    assert "  + posts/first-post/index.html" in "\n".join(lines)

    lines.clear()
    assert publish_tiny(blog, "ghpages", settings=settings, lines=lines) == 0, "\n".join(lines)
    files = git(repo, "ls-tree", "-r", "--name-only", "gh-pages").split()
    assert {"index.html", ".nojekyll", "CNAME", "posts/first-post/index.html",
            "posts/second-post/index.html", "feeds/all.atom.xml"} <= set(files)
    assert "README" not in files  # the branch holds the site, nothing else
    assert git(repo, "show", "gh-pages:CNAME") == "blog.example.org"
    assert "The first post." in git(repo, "show", "gh-pages:posts/first-post/index.html")
    assert git(repo, "rev-parse", "main") == git(repo, "rev-parse", "HEAD")  # work tree untouched
    # Pushed to the remote.
    assert git(remote, "rev-parse", "gh-pages") == git(repo, "rev-parse", "gh-pages")

    blog.post("second-post", "Edited.", date="2021-02-03T04:05:06Z", summary="Second.")
    lines.clear()
    assert publish_tiny(blog, "ghpages", dry_run=True, settings=settings, lines=lines) == 0
    log = "\n".join(lines)
    assert "  ~ posts/second-post/index.html" in log
    assert "posts/first-post/index.html" not in log


def test_without_push(blog, repo):
    settings = {"PUBLISH_GHPAGES_REPO": str(repo), "PUBLISH_GHPAGES_PUSH": False}
    lines = []
    assert publish_tiny(blog, "ghpages", dest="site", settings=settings, lines=lines) == 0, \
        "\n".join(lines)
    assert "index.html" in git(repo, "ls-tree", "--name-only", "site")
    assert "(not pushed)" in "\n".join(lines)


def test_a_second_publish_with_nothing_changed_plans_nothing(blog, repo):
    settings = {"PUBLISH_GHPAGES_REPO": str(repo), "PUBLISH_GHPAGES_PUSH": False,
                "PUBLISH_GHPAGES_CNAME": "blog.example.org"}
    assert publish_tiny(blog, "ghpages", settings=settings) == 0
    lines = []
    assert publish_tiny(blog, "ghpages", dry_run=True, settings=settings, lines=lines) == 0
    assert any(line.startswith("Would add 0 file(s), change 0, delete 0") for line in lines), lines
