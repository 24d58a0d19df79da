"""The front matter reader: TOML, YAML and Pelican headers, Hugo keys, errors with lines."""

import datetime as dt

import pytest
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from blogtools.commands.settings import load_settings
from blogtools.errors import ContentError
from blogtools.plugins.frontmatter import FrontMatterReader, decode_source, split_front_matter
from tests.conftest import SETTINGS


@pytest.fixture
def read(tmp_path):
    settings = load_settings(SETTINGS, PATH=str(tmp_path), CACHE_PATH=str(tmp_path / "cache"))
    reader = FrontMatterReader(settings)

    def read_text(text: str | bytes, name: str = "posts/p.md"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode() if isinstance(text, str) else text)
        return reader.read(str(path))

    return read_text


HUGO = """+++
title = "Hugo post"
date = 2020-12-15T12:22:50Z
lastmod = 2021-01-02T10:00:00+01:00
author = "Shane Nolan"
keywords = ["", "ml", ""]
tags = ["aws", "machine learning"]
categories = ["Certification", "Cloud"]
cover = "/images/avatar.png"
summary = "A *summary* & more"
slug = "custom-slug"
aliases = ["/old/path/"]
draft = false
series = "exams"
+++

Body **text**.
"""


def test_hugo_toml_keys_map_to_pelican_metadata(read):
    content, meta = read(HUGO)
    assert meta["title"] == "Hugo post"
    assert meta["date"] == dt.datetime(2020, 12, 15, 12, 22, 50, tzinfo=dt.UTC)
    assert meta["date"].utcoffset() == dt.timedelta(0)
    assert meta["modified"].utcoffset() == dt.timedelta(hours=1)
    assert str(meta["author"]) == "Shane Nolan"
    assert meta["keywords"] == ["ml"]
    assert [str(t) for t in meta["tags"]] == ["aws", "machine learning"]
    assert str(meta["category"]) == "Certification"
    assert meta["categories"] == ["Certification", "Cloud"]
    assert meta["cover"] == "/images/avatar.png"
    assert meta["summary"] == "A *summary* &amp; more"
    assert meta["description"] == "A *summary* & more"
    assert meta["slug"] == "custom-slug"
    assert meta["aliases"] == ["/old/path/"]
    assert "status" not in meta
    assert meta["series"] == "exams"
    assert content == "<p>Body <strong>text</strong>.</p>"


def test_yaml_front_matter(read):
    content, meta = read("---\ntitle: YAML post\ndate: 2021-03-04 05:06:07+00:00\n"
                         "tags: [a, b]\ndraft: true\ndescription: Plain words\n---\nHello\n")
    assert meta["title"] == "YAML post"
    assert meta["date"].year == 2021 and meta["date"].utcoffset() == dt.timedelta(0)
    assert [str(t) for t in meta["tags"]] == ["a", "b"]
    assert meta["status"] == "draft"
    assert meta["summary"] == "Plain words"
    assert content == "<p>Hello</p>"


def test_pelican_header(read):
    content, meta = read("Title: Pelican post\nDate: 2021-05-06 07:08\nTags: x, y\n\nText\n")
    assert meta["title"] == "Pelican post"
    assert meta["date"] == dt.datetime(2021, 5, 6, 7, 8)
    assert [str(t) for t in meta["tags"]] == ["x", "y"]
    assert content == "<p>Text</p>"


def test_body_lines_that_look_like_metadata_stay_text(read):
    content, _ = read('+++\ntitle = "t"\ndate = 2021-01-01\n+++\nNote: this is text.\n')
    assert content == "<p>Note: this is text.</p>"


def test_bom_and_crlf_render_like_lf(read):
    lf = '+++\ntitle = "t"\ndate = 2021-01-01\n+++\n\nOne\ntwo\n\n- a\n- b\n'
    crlf = b"\xef\xbb\xbf" + lf.replace("\n", "\r\n").encode()
    assert read(crlf, "posts/crlf.md") == read(lf, "posts/lf.md")


def test_local_date_is_kept_naive_for_pelican_to_localise(read):
    _, meta = read('+++\ntitle = "t"\ndate = 2021-01-01\n+++\nx\n')
    assert meta["date"] == dt.datetime(2021, 1, 1) and meta["date"].tzinfo is None


@pytest.mark.parametrize("text, line, message", [
    ('+++\ntitle = "t"\ndate = 2021-01-01\ntags = [1\n+++\nx\n', 4, "invalid TOML front matter"),
    ('+++\ntitle = "t"\ndate = 2021-01-01\nx\n', 1, "front matter opened with '+++' is never closed"),
    ('---\ntitle: t\ndate: 2021-01-01\n  bad: indent\n---\nx\n', 4, "invalid YAML front matter"),
    ('---\ntitle: t\n', 1, "front matter opened with '---' is never closed"),
    ('+++\ndate = 2021-01-01\n+++\nx\n', 1, "the post has no title"),
    ('+++\ntitle = "t"\n+++\nx\n', 1, "the post has no date"),
    ('+++\ntitle = "t"\n\ndate = "next tuesday"\n+++\nx\n', 4, "'date' is not a date"),
    ('+++\ntitle = "t"\ndate = 2021-01-01\ntags = 5\n+++\nx\n', 4, "'tags' must be a list of text"),
    ('+++\ntitle = 3\ndate = 2021-01-01\n+++\nx\n', 2, "'title' must be text"),
    ('+++\ntitle = "t"\ndate = 2021-01-01\ndraft = "maybe"\n+++\nx\n', 4, "'draft' must be true or false"),
    ('+++\ntitle = "t"\ndate = 2021-01-01\n+++\n', 4, "the post has no text"),
])
def test_errors_name_file_and_line(read, text, line, message):
    with pytest.raises(ContentError) as caught:
        read(text)
    error = caught.value
    assert error.path.endswith("posts/p.md")
    assert error.line == line, error.format()
    assert message in error.message
    assert error.format().startswith(f"{error.path}:{line}: {message}")


def test_not_utf8_names_the_line(read):
    with pytest.raises(ContentError) as caught:
        read(b'+++\ntitle = "t"\ndate = 2021-01-01\n+++\ncaf\xe9\n')
    assert caught.value.line == 5 and "not valid UTF-8" in caught.value.message


def test_pages_need_no_date(read):
    _, meta = read('+++\ntitle = "About"\n+++\nMe.\n', "pages/about.md")
    assert meta["title"] == "About" and "date" not in meta


def test_split_front_matter_reports_where_the_body_starts():
    fmt, front, body, first = split_front_matter("+++\na = 1\nb = 2\n+++\nbody\n")
    assert (fmt, front, body, first) == ("toml", "a = 1\nb = 2", "body\n", 5)
    assert decode_source(b"\xef\xbb\xbfa\r\nb\rc", "x") == "a\nb\nc"


@pytest.mark.parametrize("text, line, message", [
    ("---\ntitle: [unclosed\ndate: 2021-01-01\n---\nx\n", 2,
     "invalid YAML front matter: expected ',' or ']', but got ':' while parsing a flow sequence "
     "(the parser noticed it on line 3; check that the '[' opened on line 2 is closed)"),
    ('---\ntitle: "unclosed\ndate: 2021-01-01\n---\nx\n', 2,
     "invalid YAML front matter: found unexpected end of stream while scanning a quoted scalar "
     "(the parser noticed it on line 3; check that the '\"' opened on line 2 is closed)"),
    ("---\ntitle: t\ndate: 2021-01-01\n  bad: indent\n---\nx\n", 4,
     "invalid YAML front matter: mapping values are not allowed here "
     "(check indentation and quoting on that line)"),
    ('+++\ntitle = "t"\ntags = ["a",\n"b"\ndate = 2021-01-01\n+++\nx\n', 3,
     "invalid TOML front matter: Unclosed array "
     "(the parser noticed it on line 5; check that the '[' opened on line 3 is closed)"),
    ('+++\ntitle = "t"\nsummary = """never\nclosed\n+++\nx\n', 3,
     "invalid TOML front matter: Unterminated string "
     "(the parser noticed it on line 4; check that the '\"' opened on line 3 is closed)"),
    ('+++\nnote = "a # [ not a bracket" # [ nor this\ntags = ["a",\n"b" # ]\ndate = 2021-01-01\n+++\nx\n',
     3, "invalid TOML front matter: Unclosed array "
        "(the parser noticed it on line 5; check that the '[' opened on line 3 is closed)"),
    ('+++\ntitle = "unclosed\ndate = 2021-01-01\n+++\nx\n', 2,
     "invalid TOML front matter: Illegal character '\\n' "
     "(check quotes, brackets and '=' on that line)"),
])
def test_syntax_errors_name_where_the_construct_starts(read, text, line, message):
    with pytest.raises(ContentError) as caught:
        read(text)
    assert caught.value.format() == f"{caught.value.path}:{line}: {message}"


class Failing(Extension):
    """A Markdown extension that fails on every document, as a buggy one might."""

    def extendMarkdown(self, md):
        class Boom(Preprocessor):
            def run(self, lines):
                raise ValueError("cannot handle this")

        md.preprocessors.register(Boom(md), "boom", 100)


def test_an_extension_failure_names_the_file_and_reason(tmp_path):
    settings = load_settings(SETTINGS, PATH=str(tmp_path), CACHE_PATH=str(tmp_path / "cache"))
    settings["MARKDOWN"] = {**settings["MARKDOWN"], "extensions": [Failing()]}
    path = tmp_path / "posts" / "p.md"
    path.parent.mkdir()
    path.write_text('+++\ntitle = "t"\ndate = 2021-01-01\n+++\nx\n')
    with pytest.raises(ContentError) as caught:
        FrontMatterReader(settings).read(str(path))
    assert caught.value.format() == (
        f"{caught.value.path}: could not render the Markdown: ValueError in "
        "tests.test_frontmatter: cannot handle this (simplify the text it fails on, or build "
        "with --debug for the traceback)")
    assert isinstance(caught.value.__cause__, ValueError)  # kept for --debug
