"""Bad input never reaches readers: one clear line per problem, exit 1, last good output kept.

Each case builds a tiny site once cleanly, then breaks one file and runs the
build command (``python -m blogtools.commands.build``) again.
"""

import hashlib

import pytest

from blogtools.commands.build import main

GOOD_POST = '+++\ntitle = "Good"\ndate = 2021-01-01T00:00:00Z\n+++\n\nFine [link](/posts/good/).\n'


def tree_digest(folder):
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def run_build(tiny_site, capsys):
    """Build once cleanly; return a function that builds again and checks the output kept."""
    tiny_site.write("posts/good.md", GOOD_POST)
    args = ["-s", str(tiny_site.settings_file()), "-o", str(tiny_site.output)]
    assert main(args) == 0, capsys.readouterr().err
    before = tree_digest(tiny_site.output)
    capsys.readouterr()

    def rebuild(*extra):
        code = main(args + list(extra))
        err = capsys.readouterr().err
        assert tree_digest(tiny_site.output) == before, "the last good output was changed"
        problems = [line for line in err.splitlines() if not line.startswith("Build failed")]
        assert err.splitlines()[-1].startswith("Build failed: ")
        return code, problems, err

    return rebuild


CASES = {
    "invalid TOML": ('+++\ntitle = "x\ndate = 2021-01-01\n+++\nx\n', 2, "invalid TOML front matter"),
    # Line 2, where the bracket opened; the message adds line 3, where the parser noticed.
    "invalid YAML": ("---\ntitle: [x\ndate: 2021-01-01\n---\nx\n", 2,
                     "invalid YAML front matter: expected ',' or ']', but got ':' while parsing a "
                     "flow sequence (the parser noticed it on line 3; check that the '[' opened "
                     "on line 2 is closed)"),
    "unclosed TOML array": ('+++\ntitle = "x"\ntags = ["a",\n"b"\ndate = 2021-01-01\n+++\nx\n', 3,
                            "invalid TOML front matter: Unclosed array (the parser noticed it on "
                            "line 5; check that the '[' opened on line 3 is closed)"),
    "unclosed +++": ('+++\ntitle = "x"\ndate = 2021-01-01\n\nx\n', 1, "front matter opened with '+++' is never closed"),
    "unclosed ---": ("---\ntitle: x\ndate: 2021-01-01\n\nx\n", 1, "front matter opened with '---' is never closed"),
    "wrong type": ('+++\ntitle = "x"\ndate = 2021-01-01\ntags = 5\n+++\nx\n', 4,
                   "'tags' must be a list of text, not int"),
    "missing title": ("+++\ndate = 2021-01-01\n+++\nx\n", 1, "the post has no title"),
    "missing date": ('+++\ntitle = "x"\n+++\nx\n', 1, "the post has no date"),
    "bad date": ('+++\ntitle = "x"\ndate = "31/02/2021"\n+++\nx\n', 3, "'date' is not a date"),
    "empty post": ('+++\ntitle = "x"\ndate = 2021-01-01\n+++\n\n', 4, "the post has no text"),
    "broken link": ('+++\ntitle = "x"\ndate = 2021-01-01\n+++\n\nSee [gone](/posts/gone/).\n', 6,
                    "broken link /posts/gone/: file not found"),
    "missing image": ('+++\ntitle = "x"\ndate = 2021-01-01\n+++\n\nText.\n\n![chart](/images/chart.png)\n', 8,
                      "broken link /images/chart.png: file not found"),
    "broken fragment": ('+++\ntitle = "x"\ndate = 2021-01-01\n+++\n\n[Jump](/posts/good/#Nowhere)\n', 6,
                        "broken link /posts/good/#Nowhere: fragment #Nowhere not found"),
    "malformed LaTeX": ('+++\ntitle = "x"\ndate = 2021-01-01\n+++\n\nMath $\\frac{1}{2$ here.\n', 6, "bad math"),
    "duplicate slug": ('+++\ntitle = "x"\ndate = 2021-01-01\nslug = "good"\n+++\nx\n', 4,
                       "slug 'good' is already used by"),
}


@pytest.mark.parametrize("case", CASES)
def test_each_error_is_one_line_naming_file_and_line(run_build, tiny_site, case):
    text, line, message = CASES[case]
    path = tiny_site.write("posts/bad.md", text)
    code, problems, err = run_build()
    assert code == 1
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path}:{line}: {message}"), problems[0]
    assert "Traceback" not in err


def test_not_utf8(run_build, tiny_site):
    path = tiny_site.write("posts/bad.md", b'+++\ntitle = "x"\ndate = 2021-01-01\n+++\n\ncaf\xe9\n')
    code, problems, _ = run_build()
    assert code == 1
    assert problems == [f"{path}:6: not valid UTF-8 (byte 0xe9) (save the file as UTF-8)"]


def test_two_files_one_output_path(run_build, tiny_site):
    path = tiny_site.write("pages/clash.md", '+++\ntitle = "Page"\nslug = "clash"\n'
                           'save_as = "posts/good/index.html"\n+++\nx\n')
    code, problems, _ = run_build()
    assert code == 1 and len(problems) == 1, problems
    assert problems[0].startswith(f"{path}:")
    assert "output file posts/good/index.html is already used by" in problems[0]


def test_debug_flag_shows_the_traceback(run_build, tiny_site):
    tiny_site.write("posts/bad.md", "+++\ndate = 2021-01-01\n+++\nx\n")
    _, _, plain = run_build()
    code, _, debug = run_build("--debug")
    assert code == 1
    assert "Traceback" not in plain and "Traceback" in debug


def test_unknown_code_language_is_plain_text_not_an_error(tiny_site):
    tiny_site.post("code", "```nosuchlanguage\nprint('hi') <b>\n```\n")
    result = tiny_site.build()
    assert result.ok, result.problems
    html = tiny_site.html("posts/code/index.html")
    assert "print(&#39;hi&#39;) &lt;b&gt;" in html


def test_bom_and_crlf_build_the_same_page_as_lf(tiny_site):
    lf = '+++\ntitle = "Same"\ndate = 2021-01-01T00:00:00Z\nslug = "same"\n+++\n\nLine one\nline two.\n\n- a\n- b\n'
    tiny_site.write("posts/same.md", lf)
    assert tiny_site.build().ok
    expected = tiny_site.html("posts/same/index.html")
    tiny_site.write("posts/same.md", b"\xef\xbb\xbf" + lf.replace("\n", "\r\n").encode())
    assert tiny_site.build().ok
    assert tiny_site.html("posts/same/index.html") == expected


def test_a_rebuild_on_a_warm_cache_still_fails_on_a_link_to_a_deleted_post(tiny_site):
    # The linking post's page comes out byte for byte as before, so the link
    # check's parse cache reuses it; the site's files changed, so it is compared again.
    tiny_site.post("target", "Here.")
    source = tiny_site.post("linker", "First line.\n\nSee [the target](/posts/target/).")
    assert tiny_site.build().ok
    assert tiny_site.build().ok
    good = tiny_site.html("posts/linker/index.html")
    (tiny_site.content / "posts/target.md").unlink()
    result = tiny_site.build()
    assert not result.ok
    assert result.problems == [f"{source}:8: broken link /posts/target/: file not found: "
                               "posts/target/"]
    assert tiny_site.html("posts/linker/index.html") == good


def test_a_crash_inside_markdown_names_the_file_and_reason(run_build, tiny_site):
    nested = "".join("    " * depth + "- x\n" for depth in range(400))
    path = tiny_site.write("posts/deep.md", '+++\ntitle = "x"\ndate = 2021-01-01\n+++\n\n' + nested)
    code, problems, err = run_build()
    assert code == 1
    assert problems == [f"{path}: could not render the Markdown: RecursionError: it is nested too "
                        "deeply (nest lists and block quotes less deeply)"]
    assert "Traceback" not in err
