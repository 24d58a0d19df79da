"""Every warning Pelican logs about content is one ``file:line: what (how to fix)`` line.

Each warning that ``blogtools.plugins.pelican_warnings`` locates is triggered on a
tiny site, built both with the speed wing rendering pages in forked processes and
with plain Pelican (``SPEED_WING=False``), and the whole line is checked.
"""

import pytest

from blogtools.errors import display_path
from tests.conftest import SETTINGS, TinySite

FRONT = '+++\ntitle = "{title}"\ndate = 2021-01-0{day}T00:00:00Z\n{extra}+++\n\n'
MODES = {"forked": {"PARALLEL_WRITE_MIN_PAGES": 0, "WRITE_PROCESSES": 2},
         "plain": {"SPEED_WING": False}}


def post(site, name, body, day=1, extra=""):
    return site.write(f"posts/{name}.md", FRONT.format(title=name, day=day, extra=extra) + body)


def where(path, line=None):
    return display_path(path) + (f":{line}" if line else "")


@pytest.fixture(scope="module", params=list(MODES))
def faulty(request, tmp_path_factory):
    """A site with one file per warning, built once per mode: (site, paths, problems)."""
    site = TinySite(tmp_path_factory.mktemp(request.param))
    site.write("images/x.png", b"png")
    paths = {
        "missing": post(site, "missing", "Intro.\n\nSee [this]({filename}/posts/does-not-exist.md).\n"),
        "indicator": post(site, "indicator", "Text.\n\n[odd]({foo}bar)\n", day=2),
        "static": post(site, "static", "Text.\n\n[img]({filename}/images/x.png)\n", day=3),
        "alt": post(site, "alt", "Text.\n\n![](/images/x.png)\n", day=4),
        "outside": post(site, "outside", "Text.\n", day=5, extra='save_as = "../evil.html"\n'),
        "deep": post(site, "deep", "".join("    " * i + "- x\n" for i in range(400)), day=6),
        "no-name": site.write("posts/no-name.html", '<html><head><title>No name</title>\n'
                              '<meta name="date" content="2021-01-07">\n<meta content="x">\n'
                              '</head><body>x</body></html>\n'),
        "contents": site.write("posts/contents.html", '<html><head><title>Contents</title>\n'
                               '<meta name="date" content="2021-01-08">\n'
                               '<meta name="tags" contents="a">\n</head><body>x</body></html>\n'),
        "untitled": site.write("posts/untitled.html", '<html><head>\n'
                               '<meta name="date" content="2021-01-09">\n</head><body>x</body></html>\n'),
        "status": site.write("posts/status.html", '<html><head><title>Status</title>\n'
                             '<meta name="date" content="2021-01-09">\n'
                             '<meta name="status" content="bogus">\n</head><body>x</body></html>\n'),
        "binary": site.write("posts/binary.html", b"<html><head><title>\xff\xfe</title></head></html>"),
        "rst": site.write("posts/rst.rst", ":date: 2021-01-09\n\nNo title here.\n"),
    }
    result = site.build(**MODES[request.param])
    assert not result.ok
    return site, paths, result.problems


LINES = {
    "missing": (8, "{filename}/posts/does-not-exist.md links to no file in the content folder "
                   "(fix the path: one starting with / is from the content folder, any other from "
                   "this file's folder)"),
    "indicator": (8, "{foo} is not a kind of link Pelican knows (use {filename}, {static}, "
                     "{attach}, {tag}, {category}, {author} or {index})"),
    "static": (8, "{filename}/images/x.png links to a static file "
                  "(write {static} instead of {filename})"),
    "alt": (8, 'image x.png has no alt text (say what it shows: ![what it shows](...), or '
               'alt="..." in HTML)'),
    "outside": (4, "would be saved as '../evil.html', outside the site, so Pelican left it out "
                   "(give it a save_as inside the site, without '..')"),
    "deep": (None, "could not render the Markdown: RecursionError: it is nested too deeply "
                   "(nest lists and block quotes less deeply)"),
    "no-name": (3, "a <meta> tag without a name (content=\"x\") (add name=\"...\" or remove the tag)"),
    "contents": (3, "a <meta> tag with 'contents' instead of 'content' "
                    "(rename contents= to content=)"),
    "untitled": (1, "has no title, so Pelican left it out (give it a title)"),
    "status": (3, "unknown status 'bogus', so Pelican left it out (use published, hidden, draft, skip)"),
    "binary": (None, "could not be read: UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff "
                     "in position 19: invalid start byte (build with --debug for the traceback)"),
    "rst": (1, "has no title (start it with exactly one title, underlined with ===)"),
}


@pytest.mark.parametrize("case", LINES)
def test_each_warning_is_one_located_line(faulty, case):
    _, paths, problems = faulty
    line, text = LINES[case]
    assert f"{where(paths[case], line)}: {text}" in problems, "\n".join(problems)


def test_nothing_is_left_unlocated(faulty):
    _, paths, problems = faulty
    files = tuple(where(path) for path in paths.values())
    assert [p for p in problems if not p.startswith(files)] == []


@pytest.fixture(params=list(MODES))
def mode(request):
    return MODES[request.param]


def plugins_without(name):
    import runpy

    return [p for p in runpy.run_path(str(SETTINGS))["PLUGINS"] if p != name]


def test_a_name_without_a_slug(tiny_site, mode):
    # taxonomy_slugs slugs such names itself; without it Pelican warns.
    path = post(tiny_site, "symbols", "Text.\n", extra='tags = ["!!!"]\n')
    result = tiny_site.build(PLUGINS=plugins_without("blogtools.plugins.taxonomy_slugs"), **mode)
    assert result.problems == [f"{where(path, 4)}: tag '!!!' has no letters or digits to make "
                               "its address from (give it a name in words)"]


def test_a_missing_sort_attribute(tiny_site, mode):
    path = post(tiny_site, "unweighted", "Text.\n")
    post(tiny_site, "weighted", "Text.\n", extra="weight = 2\n")
    result = tiny_site.build(ARTICLE_ORDER_BY="weight", **mode)
    assert result.problems == [
        f"{where(path, 1)}: has no 'weight', which the site's *_ORDER_BY setting sorts by "
        "(add weight to its front matter, or sort by something every post has)"]


def test_a_category_page_saved_where_a_tag_page_is(tiny_site, mode):
    path = post(tiny_site, "tagged", "Text.\n", extra='category = "clash"\ntags = ["clash"]\n')
    result = tiny_site.build(CATEGORY_SAVE_AS="tags/{slug}/index.html", **mode)
    assert len(result.problems) == 1, result.problems
    assert result.problems[0].startswith(
        f"{where(path, 4)}: the page of category 'clash' could not be written: "
        "FileOverwriteFailedError: Failed to overwrite"), result.problems
    assert result.problems[0].endswith(
        "(another page may be saved at the same address; give it another save_as, or rename "
        "the category)")


def test_a_static_file_that_cannot_be_copied(tiny_site):
    # A page saved inside the image's address makes it a folder first.
    image = tiny_site.write("images/x.png", b"png")
    tiny_site.write("pages/squat.md", '+++\ntitle = "Squat"\nsave_as = "images/x.png/index.html"\n'
                    '+++\n\nText.\n')
    result = tiny_site.build(SPEED_WING=False)
    assert len(result.problems) == 1, result.problems
    assert result.problems[0].startswith(
        f"{where(image)}: could not be copied into the site: Is a directory ("), result.problems
    assert result.problems[0].endswith(
        "images/x.png) (make it readable, and check that no page is saved at its address)")


def test_a_file_attached_twice(tiny_site, mode):
    tiny_site.write("images/shared.png", b"png")
    # Newest first: the second post attaches it, the first one is told.
    first = post(tiny_site, "first", "Text.\n\n[data]({attach}/images/shared.png)\n")
    post(tiny_site, "second", "Text.\n\n[data]({attach}/images/shared.png)\n", day=2)
    result = tiny_site.build(**mode)
    assert f"{where(first, 8)}: {{attach}} cannot move images/shared.png beside this post: its " \
           "output location was already overridden (attach a file from one post only, and link " \
           "to it elsewhere with {static})" in result.problems, result.problems


def test_a_rebuild_in_the_same_process_reports_it_again(tiny_site):
    # Pelican's LimitFilter would drop a message it logged once in this process.
    path = post(tiny_site, "again", "Text.\n\n[gone]({filename}/posts/gone.md)\n")
    first = tiny_site.build(SPEED_WING=False)
    second = tiny_site.build(SPEED_WING=False)
    line = (f"{where(path, 8)}: {{filename}}/posts/gone.md links to no file in the content folder "
            "(fix the path: one starting with / is from the content folder, any other from this "
            "file's folder)")
    assert first.problems == [line] and second.problems == [line]


def test_a_build_without_the_plugin_is_left_alone(tiny_site):
    post(tiny_site, "again", "Text.\n\n[gone]({filename}/posts/gone.md)\n")
    assert tiny_site.build(SPEED_WING=False).problems[0].startswith(where(tiny_site.content))
    result = tiny_site.build(SPEED_WING=False,
                             PLUGINS=plugins_without("blogtools.plugins.pelican_warnings"))
    assert "warning: Unable to find '/posts/gone.md', skipping url replacement." in result.problems
