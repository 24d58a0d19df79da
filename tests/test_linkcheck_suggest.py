"""'Did you mean': near-miss paths and fragments, written like the broken link."""

from __future__ import annotations

from blogtools.linkcheck import suggest
from blogtools.linkcheck.resolve import Site
from blogtools.linkcheck.suggest import Suggester


def site(*files):
    return Site("/nowhere", set(files), {""} | {f.rsplit("/", 1)[0] for f in files if "/" in f})


def test_path_suggestions_follow_the_style_of_the_link():
    s = Suggester(site("posts/hello-world/index.html", "images/cat.png", "about.html"),
                  prefix="/blog/", origin="https://example.org")
    page = "posts/other/index.html"
    assert s.for_path("../hello-wrld/", page, "posts/hello-wrld/") == "../hello-world/"
    assert s.for_path("/blog/images/cat.jpg?v=1#x", page, "images/cat.jpg") == \
        "/blog/images/cat.png?v=1#x"
    assert s.for_path("https://example.org/blog/About.html", page, "About.html") == \
        "https://example.org/blog/about.html"
    assert s.for_path("../../nothing-like-it.txt", page, "nothing-like-it.txt") is None


def test_the_page_itself_is_never_suggested():
    s = Suggester(site("posts/post/index.html"))
    assert s.for_path("../other-post/", "posts/post/index.html", "posts/other-post/") is None


def test_fragment_suggestions():
    ids = frozenset({"Setup", "install-steps", "usage"})
    assert Suggester.nearest_fragment("setup", ids) == "Setup"
    assert Suggester.nearest_fragment("instal-steps", ids) == "install-steps"
    assert Suggester.nearest_fragment("zzz", ids) is None
    s = Suggester(site("a.html"))
    assert s.for_fragment("a.html#usge", "usge", ids) == "a.html#usage"


def test_search_budget_bounds_the_work(monkeypatch):
    monkeypatch.setattr(suggest, "CANDIDATE_BUDGET", 3)
    files = [f"p/{i}.html" for i in range(10)]
    s = Suggester(site(*files))
    # Ten siblings exceed the budget: no suggestion rather than a slow run.
    assert s.for_path("p/1.htm", "index.html", "p/1.htm") is None
