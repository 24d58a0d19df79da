"""The front matter reader, key by key and error by error, as the author meets it.

Every test states what the author sees: the metadata a post gets, whether it is
published, and the one ``file:line: message (hint)`` line a mistake produces.
"""

import datetime as dt
import json
import time

import pytest
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from pelican.utils import SafeDatetime

from blogtools.commands.settings import load_settings
from blogtools.errors import ContentError
from blogtools.plugins import frontmatter
from blogtools.plugins.frontmatter import (
    FrontMatterReader,
    decode_source,
    markdown_failure,
    parse_front_matter,
    render_markdown,
    render_with_header,
    split_front_matter,
)
from tests.conftest import PUBLISH_SETTINGS, SETTINGS
from tests.publishing import with_about_page

HEAD = '+++\ntitle = "t"\ndate = 2021-01-01\n'  # a TOML post's first three lines


class Posts:
    """Write a post into a content folder and read it with the site's reader."""

    def __init__(self, tmp_path, **overrides):
        self.root = tmp_path
        self.settings = load_settings(SETTINGS, PATH=str(tmp_path),
                                      CACHE_PATH=str(tmp_path / "cache"), **overrides)
        self.reader = FrontMatterReader(self.settings)

    def write(self, text: str | bytes, name: str = "posts/p.md") -> str:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode() if isinstance(text, str) else text)
        return str(path)

    def read(self, text: str | bytes, name: str = "posts/p.md"):
        return self.reader.read(self.write(text, name))

    def meta(self, text: str, name: str = "posts/p.md") -> dict:
        return self.read(text, name)[1]

    def error(self, text: str | bytes, name: str = "posts/p.md") -> str:
        """The line the build prints for this post, with the path made short."""
        with pytest.raises(ContentError) as caught:
            self.read(text, name)
        error = caught.value
        assert error.path.endswith(name)
        return error.format().replace(error.path, name, 1)


@pytest.fixture
def posts(tmp_path):
    return Posts(tmp_path)


# -- drafts and status ---------------------------------------------------------------


@pytest.mark.parametrize("text", [
    HEAD + 'draft = "true"\n+++\nx\n',
    HEAD + 'draft = "True"\n+++\nx\n',
    HEAD + "draft = true\n+++\nx\n",
    '---\ntitle: t\ndate: 2021-01-01\ndraft: "true"\n---\nx\n',
    "Title: t\nDate: 2021-01-01\nDraft: true\n\nx\n",
])
def test_a_draft_written_any_way_stays_a_draft(posts, text):
    """draft = "true" (a quoted string, as Hugo accepts) keeps the post a draft."""
    assert posts.meta(text)["status"] == "draft"


@pytest.mark.parametrize("text", [
    HEAD + 'draft = "false"\n+++\nx\n',
    HEAD + 'draft = "FALSE"\n+++\nx\n',
    HEAD + "draft = false\n+++\nx\n",
])
def test_a_draft_set_to_false_is_published(posts, text):
    """draft = false, quoted or not, leaves the post published (no status set)."""
    assert "status" not in posts.meta(text)


@pytest.mark.parametrize("value", ['"yes"', "1", '""'])
def test_a_draft_that_is_not_true_or_false_is_an_error(posts, value):
    """Anything but true/false is rejected on its line, not guessed."""
    assert posts.error(HEAD + f"draft = {value}\n+++\nx\n") == (
        "posts/p.md:4: 'draft' must be true or false (write draft = true)")


def test_a_quoted_draft_is_not_published(tiny_site):
    """In the published site a post with draft = "true" appears nowhere; every reader
    extension reads TOML front matter (the plugin replaces Pelican's Markdown reader)."""
    with_about_page(tiny_site)
    tiny_site.post("out-now", "Published text.")
    tiny_site.post("quoted-draft", "Secret text.", draft="true")
    for extension in ("markdown", "mkd", "mdown"):
        tiny_site.write(f"posts/also-{extension}.{extension}",
                        f'+++\ntitle = "Also {extension}"\ndate = 2021-01-03T00:00:00Z\n+++\n\n'
                        f"Text of {extension}.\n")
    result = tiny_site.build(PUBLISH_SETTINGS)
    assert result.ok, result.problems
    assert "Published text." in tiny_site.html("posts/out-now/index.html")
    for extension in ("markdown", "mkd", "mdown"):
        assert f"Text of {extension}." in tiny_site.html(f"posts/also-{extension}/index.html")
    for path in tiny_site.output.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"Secret text." not in data and b"quoted-draft" not in data, path


@pytest.mark.parametrize("text, line", [
    (HEAD + 'status = "publised"\n+++\nx\n', 4),
    ('---\ntitle: t\ndate: 2021-01-01\n\nstatus: publised\n---\nx\n', 5),
    ("Title: t\nDate: 2021-01-01\nStatus: publised\n\nx\n", 3),
    ("title: t\ndate: 2021-01-01\nstatus: publised\n\nx\n", 3),
])
def test_an_unknown_status_is_rejected_on_its_line(posts, text, line):
    """A typo in status would make Pelican drop the post silently; it fails on its line."""
    assert posts.error(text) == (
        f"posts/p.md:{line}: unknown status 'publised' (use published, draft or hidden)")


@pytest.mark.parametrize("status", ["published", "draft", "hidden"])
def test_the_known_statuses_are_kept(posts, status):
    """published, draft and hidden are passed to Pelican, spaces trimmed."""
    assert posts.meta(HEAD + f'status = " {status} "\n+++\nx\n')["status"] == status


# -- line numbers ----------------------------------------------------------------------


def test_a_toml_error_at_the_end_names_the_open_bracket_and_the_end(posts):
    """An array left open at the end of the front matter: its line, and where TOML gave up."""
    assert posts.error(HEAD + 'tags = ["a",\n"b",\n+++\nx\n') == (
        "posts/p.md:4: invalid TOML front matter: Invalid value (the parser noticed it on "
        "line 5; check that the '[' opened on line 4 is closed)")


def test_a_toml_string_left_open_at_the_end_is_named_on_its_line(posts):
    """An unterminated string on the last front matter line: that line, one hint."""
    assert posts.error(HEAD + 'summary = "unclosed\n+++\nx\n') == (
        "posts/p.md:4: invalid TOML front matter: Unterminated string "
        "(check quotes, brackets and '=' on that line)")


@pytest.mark.parametrize("front, line, noticed", [
    # A backslash-escaped quote does not end a basic string: its '[' is text.
    ('note = "say \\"[\\" now"\ntags = ["a",\n"b"\ndate = 2021-01-01', 3, 5),
    # A literal string has no escapes: 'C:\' ends at its second quote.
    ("path = 'C:\\'\ntags = [\"a\",\n\"b\"\ndate = 2021-01-01", 3, 5),
    # A closed multi-line string may hold brackets and newlines.
    ('summary = """a [\nb { c"""\ntags = ["a",\n"b"\ndate = 2021-01-01', 4, 6),
    ("summary = '''a [\nb'''\ntags = [\"a\",\n\"b\"\ndate = 2021-01-01", 4, 6),
    # Closed brackets and a comment at the very end hold nothing open.
    ('a = [[1], {x = 1}]\ntags = [[\n"b"]\ndate = 2021-01-01 # end', 3, 5),
    # An unclosed array inside an unclosed array: the outer one is where to look.
    ('x = 1\ntags = [[1,\n2\ndate = 2021-01-01', 3, 5),
    # A table header opens and closes its brackets.
    ('[params]\ntags = ["a",\n"b"\ndate = 2021-01-01', 3, 5),
    # A quoted key at the very start is a string, its '[' text.
    ('"k[" = 1\ntags = ["a",\n"b"\ndate = 2021-01-01', 3, 5),
    # Blank first lines count.
    ('\n\ntags = ["a",\n"b"\ndate = 2021-01-01', 4, 6),
    # Capital letters are neither quotes nor brackets.
    ('title = "t"\nXmas = 1\ntags = ["a",\n"b"\ndate = 2021-01-01', 4, 6),
    ('tags = [{X = 1},\n"b"\ndate = 2021-01-01', 2, 4),
    # A comment on the last line, with TOML giving up at the end of the document.
    ('tags = ["a",\n"b", # note', 2, 3),
    # The parser stops at '3', before the ']' that would close the array.
    ('a = [\n1,\n2 3]', 2, 4),
])
def test_a_toml_error_names_the_line_where_the_open_construct_starts(front, line, noticed):
    """Strings, comments and escapes are skipped when finding the unclosed bracket."""
    with pytest.raises(ContentError) as caught:
        parse_front_matter("toml", front)
    assert caught.value.line == line, caught.value.format()
    assert caught.value.hint.startswith(f"the parser noticed it on line {noticed}; "
                                        f"check that the '")
    assert caught.value.hint.endswith(f"' opened on line {line} is closed")


@pytest.mark.parametrize("front, line, hint", [
    ('a = "x\ny = 1', 2, "check quotes, brackets and '=' on that line"),
    ("a = 'x\ny = 1", 2,
     "the parser noticed it on line 3; check that the \"'\" opened on line 2 is closed"),
    # An escaped backslash does not escape the closing quote.
    ('a = "x\\\\"\nb = [\n"c\ny = 1', 3,
     "the parser noticed it on line 4; check that the '[' opened on line 3 is closed"),
    ('a = "x"\nb = [ # ["\ny = 1', 3,
     "the parser noticed it on line 4; check that the '[' opened on line 3 is closed"),
    ('tags = ["a",\n"b"\n', 2,
     "the parser noticed it on line 3; check that the '[' opened on line 2 is closed"),
    ('title = """a\nb', 2,
     "the parser noticed it on line 3; check that the '\"' opened on line 2 is closed"),
    ("title = '''a\nb", 2,
     "the parser noticed it on line 3; check that the \"'\" opened on line 2 is closed"),
    ('t = "a\\"\ny = 1', 2, "check quotes, brackets and '=' on that line"),
    ("a = 1\nb = = 2", 3, "check quotes, brackets and '=' on that line"),
    # Closed just before the mistake: nothing is left open.
    ('a = [\n1,\n2]x = 1', 4, "check quotes, brackets and '=' on that line"),
    ('a = """x\ny"""z', 3, "check quotes, brackets and '=' on that line"),
])
def test_toml_error_hints(front, line, hint):
    """Each TOML mistake: its line (counted from the '+++' line) and what to check."""
    with pytest.raises(ContentError) as caught:
        parse_front_matter("toml", front)
    assert (caught.value.line, caught.value.hint) == (line, hint), caught.value.format()
    assert caught.value.message.startswith("invalid TOML front matter: ")
    assert "(at " not in caught.value.message


@pytest.mark.parametrize("text, line", [
    (HEAD + "+++\n\nSome text.\n\n$\\frac{a$\n", 8),
    ('---\ntitle: t\ndate: 2021-01-01\n---\nSome text.\n\n$\\frac{a$\n', 7),
    ("Title: t\nDate: 2021-01-01\n\nSome text.\n\n$\\frac{a$\n", 6),
])
def test_an_error_in_the_body_names_its_line_in_the_file(posts, text, line):
    """Bad math in the body is reported on its line of the file, front matter counted."""
    message = posts.error(text)
    assert message.startswith(f"posts/p.md:{line}: bad math $\\frac{{a$: "), message


@pytest.mark.parametrize("text, line", [
    (HEAD + "+++\n", 4),
    (HEAD + "+++\n\n   \n", 4),
    ('---\ntitle: t\ndate: 2021-01-01\n...\n', 4),
    ('---\ntitle: t\n\ndate: 2021-01-01\n---\n', 5),
    ("Title: t\nDate: 2021-01-01\n", 2),
    ("Title: t\nDate: 2021-01-01\n\n\n\n", 2),
    ("Title: t\nDate: 2021-01-01\n  \n\t\n", 2),
    ("Title: t\nDate: 2021-01-01\nSeries: X\n\n", 3),
    # A body of nothing but a link definition renders to nothing.
    (HEAD + "+++\n\n[ref]: https://example.com/\n", 4),
])
def test_a_post_without_text_names_the_end_of_its_front_matter(posts, text, line):
    """No text: the line of the closing fence, or of the last header line."""
    assert posts.error(text) == (
        f"posts/p.md:{line}: the post has no text after its front matter "
        "(write the post below the front matter)")


@pytest.mark.parametrize("text, message", [
    ("Title: t\nDate: 2021-01-01\nTags: a\nModified: soon\n\nx\n",
     "posts/p.md:4: 'modified' is not a date: 'soon' (write it like 2020-12-15T12:22:50Z)"),
    ("Title: t\n  Date: nope\n\nx\n",
     "posts/p.md:2: 'date' is not a date: 'nope' (write it like 2020-12-15T12:22:50Z)"),
    ("Title: t\nDate: 2021-01-01\nDraft: maybe\n\nx\n",
     "posts/p.md:3: 'draft' must be true or false (write draft = true)"),
    ("Date: 2021-01-01\n\nx\n",
     "posts/p.md:1: the post has no title (add title = \"...\" to the front matter)"),
    ("Title: t\n\nx\n",
     "posts/p.md:1: the post has no date (add date = 2020-12-15T12:22:50Z to the front matter)"),
])
def test_a_pelican_header_error_names_the_key_line(posts, text, message):
    """Pelican 'Key: value' headers get the same file:line messages as front matter."""
    assert posts.error(text) == message


@pytest.mark.parametrize("front, line", [
    ('\n\n"title" = 3', 4),
    ("\n  'Title' = 3", 3),
    ("Title = 3", 2),
    ("\ntitle\t= 3", 3),
])
def test_a_key_is_found_on_its_line_however_it_is_written(posts, front, line):
    """Quoted, indented or capitalised keys are still located on their own line."""
    assert posts.error(f"+++\n{front}\n+++\nx\n") == (
        f"posts/p.md:{line}: 'title' must be text, not int (write title = \"...\")")


def test_a_key_that_cannot_be_located_is_reported_on_the_first_line_inside(posts):
    """A dotted TOML key cannot be pointed at: the first front matter line is named."""
    assert posts.error('+++\nx = 1\n\ndate.year = 2021\n+++\nx\n').startswith(
        "posts/p.md:2: 'date' is not a date: {'year': 2021}")


def test_an_error_names_the_file_it_is_in(posts):
    """A front matter error names the file it is in."""
    assert posts.error(HEAD + "tags = 5\n+++\nx\n", "posts/deep/q.md") == (
        "posts/deep/q.md:4: 'tags' must be a list of text, not int "
        "(write tags = [\"one\", \"two\"])")


def test_not_utf8_names_the_byte_line_and_fix(posts):
    """A file saved in Latin-1: the byte, its line and how to fix it."""
    assert posts.error(b'+++\ntitle = "t"\r\ndate = 2021-01-01\n+++\n\ncaf\xe9\n') == (
        "posts/p.md:6: not valid UTF-8 (byte 0xe9) (save the file as UTF-8)")


def test_decode_source_keeps_a_bom_that_is_not_at_the_start():
    """Only a leading BOM is an encoding mark; CR and CRLF become LF."""
    assert decode_source("a\ufeffb\r\r\nc".encode(), "x") == "a\ufeffb\n\nc"


# -- Hugo keys -------------------------------------------------------------------------


def test_modified_publishdate_and_lastmod(posts):
    """publishdate is the post's date; modified and lastmod are its update date."""
    meta = posts.meta('+++\ntitle = "t"\npublishdate = 2021-02-03\n'
                      'modified = 2021-04-05T06:07:08Z\n+++\nx\n')
    assert meta["date"] == SafeDatetime(2021, 2, 3)
    assert meta["modified"] == dt.datetime(2021, 4, 5, 6, 7, 8, tzinfo=dt.UTC)
    meta = posts.meta(HEAD + 'lastmod = "2022-01-02"\n+++\nx\n')
    assert meta["modified"] == SafeDatetime(2022, 1, 2)
    assert meta["date"] == SafeDatetime(2021, 1, 1)


@pytest.mark.parametrize("key", ["lastmod", "modified", "publishdate"])
def test_a_bad_date_names_its_own_key(posts, key):
    """The message names the key the author wrote."""
    assert posts.error(HEAD + f'{key} = "someday"\n+++\nx\n') == (
        f"posts/p.md:4: '{key}' is not a date: 'someday' (write it like 2020-12-15T12:22:50Z)")


def test_author_and_authors(posts):
    """author is one Author; authors a list, blanks dropped, names trimmed."""
    meta = posts.meta(HEAD + 'author = "  Ann  "\nauthors = ["Bob ", " ", "Cy"]\n+++\nx\n')
    assert str(meta["author"]) == "Ann"
    assert [str(a) for a in meta["authors"]] == ["Bob", "Cy"]
    assert (meta["author"].slug, meta["authors"][0].url) == ("ann", "authors/bob/")
    meta = posts.meta(HEAD + 'author = " "\nauthors = ["", " "]\n+++\nx\n')
    assert "author" not in meta and "authors" not in meta


def test_authors_written_as_one_string_are_split_at_commas(posts):
    """authors = "Ann, Bob" is two authors, as in a Pelican header."""
    meta = posts.meta(HEAD + 'authors = "Ann, Bob"\n+++\nx\n')
    assert [str(a) for a in meta["authors"]] == ["Ann", "Bob"]


def test_a_single_category_and_categories(posts):
    """category names the category; of categories the first non-blank one does."""
    meta = posts.meta(HEAD + 'category = " News "\n+++\nx\n')
    assert str(meta["category"]) == "News" and "categories" not in meta
    assert meta["category"].url == "categories/news/"
    meta = posts.meta(HEAD + 'categories = ["", " Cloud ", "AWS"]\n+++\nx\n')
    assert str(meta["category"]) == "Cloud" and meta["categories"] == ["Cloud", "AWS"]
    assert meta["category"].url == "categories/cloud/"
    meta = posts.meta(HEAD + 'category = " "\ncategories = ["  "]\n+++\nx\n')
    assert "category" not in meta and "categories" not in meta


def test_aliases_keywords_and_tags(posts):
    """Lists keep their non-blank entries, trimmed; a string is split at commas."""
    meta = posts.meta(HEAD + 'aliases = [" /old/ ", " ", "/older/"]\n'
                      'keywords = "ml, , aws "\ntags = ["", " "]\n+++\nx\n')
    assert meta["aliases"] == ["/old/", "/older/"]
    assert meta["keywords"] == ["ml", "aws"]
    assert "tags" not in meta
    meta = posts.meta(HEAD + 'aliases = "/a/,/b/"\ntags = " x , y "\n+++\nx\n')
    assert meta["aliases"] == ["/a/", "/b/"]
    assert [str(t) for t in meta["tags"]] == ["x", "y"]
    assert meta["tags"][0].url == "tags/x/"


@pytest.mark.parametrize("key", ["tags", "categories", "keywords", "aliases", "authors"])
@pytest.mark.parametrize("value, kind", [("5", "int"), ('["a", 1]', "list"), ("{x = 1}", "dict")])
def test_a_list_key_of_the_wrong_kind_is_an_error(posts, key, value, kind):
    """Each list key accepts text or a list of text, nothing else."""
    assert posts.error(HEAD + f"{key} = {value}\n+++\nx\n") == (
        f"posts/p.md:4: '{key}' must be a list of text, not {kind} "
        f'(write {key} = ["one", "two"])')


@pytest.mark.parametrize("key", ["title", "summary", "description", "author", "slug", "cover",
                                 "category", "status", "lang", "template"])
def test_a_text_key_of_the_wrong_kind_is_an_error(posts, key):
    """Each text key rejects a number or list on its line."""
    front = f"{key} = [1]\n" if key == "title" else f'title = "t"\n{key} = [1]\n'
    line = 2 if key == "title" else 3
    assert posts.error(f"+++\n{front}date = 2021-01-01\n+++\nx\n") == (
        f"posts/p.md:{line}: '{key}' must be text, not list (write {key} = \"...\")")


def test_text_keys_are_trimmed_and_unknown_keys_kept_lower_cased(posts):
    """slug, cover, lang and template lose stray spaces; other keys pass through."""
    meta = posts.meta('+++\nTitle = " t "\ndate = 2021-01-01\nslug = " s "\ncover = " /c.png "\n'
                      'lang = " fr "\ntemplate = " wide "\nSeries = "exams"\nWeight = 3\n'
                      '+++\nx\n')
    assert (meta["title"], meta["slug"], meta["cover"], meta["lang"], meta["template"]) == (
        "t", "s", "/c.png", "fr", "wide")
    assert meta["series"] == "exams" and meta["weight"] == 3


def test_title_and_summary_are_text_not_html(posts):
    """The author's characters are shown as written: tags and ampersands escaped."""
    meta = posts.meta('+++\ntitle = "<b>Fish & \'chips\' \\"now\\"</b>"\ndate = 2021-01-01\n'
                      'summary = " <i>A</i> & \\"B\\" "\n+++\nx\n')
    assert meta["title"] == "&lt;b&gt;Fish &amp; 'chips' \"now\"&lt;/b&gt;"
    assert meta["summary"] == "&lt;i&gt;A&lt;/i&gt; &amp; &quot;B&quot;"
    assert meta["description"] == '<i>A</i> & "B"'


@pytest.mark.parametrize("front, summary, description", [
    ('summary = "S"\ndescription = "D"', "S", "D"),
    ('description = "D"\nsummary = "S"', "S", "D"),
    ('summary = "S"', "S", "S"),
    ('description = "D"', "D", "D"),
    ('summary = "S"\ndescription = ""', "S", "S"),
    ('description = ""\nsummary = "S"', "S", "S"),
    ('description = ""', "", ""),
])
def test_summary_and_description_each_win_for_their_own_field(posts, front, summary, description):
    """The summary shown on listings and the page's meta description: each key for its own
    field, the other as a fallback, whatever order the author wrote them in."""
    meta = posts.meta(HEAD + front + "\n+++\nx\n")
    assert (meta["summary"], meta["description"]) == (summary, description)


def test_a_pelican_header_summary_and_authors_may_span_lines(posts):
    """Continuation lines: a list key gets one entry per line, text keys are joined."""
    meta = posts.meta("Title: t\nDate: 2021-01-01\nAuthors: Ann\n    Bob\n"
                      "Summary: one\n    two\nTags: a, b\n\nx\n")
    assert [str(a) for a in meta["authors"]] == ["Ann", "Bob"]
    assert meta["summary"] == "one two"
    assert [str(t) for t in meta["tags"]] == ["a", "b"]
    meta = posts.meta("Title: t\nDate: 2021-01-01\nTags: a b\n    c d\n\nx\n")
    assert [str(t) for t in meta["tags"]] == ["a b", "c d"]


# -- dates -----------------------------------------------------------------------------


def test_a_toml_datetime_without_timezone_is_local_and_keeps_its_fraction(posts):
    """A local date-time stays naive (Pelican applies the site's TIMEZONE), to the microsecond."""
    meta = posts.meta('+++\ntitle = "t"\ndate = 2021-03-04T05:06:07.25\n'
                      "lastmod = 2021-03-05 10:11:12\n+++\nx\n")
    assert meta["date"] == dt.datetime(2021, 3, 4, 5, 6, 7, 250000)
    assert meta["date"].tzinfo is None and isinstance(meta["date"], SafeDatetime)
    assert meta["modified"] == dt.datetime(2021, 3, 5, 10, 11, 12)
    assert meta["modified"].tzinfo is None


def test_a_toml_datetime_with_offset_keeps_it(posts):
    """An offset date-time is the same instant, shown in the author's offset."""
    meta = posts.meta('+++\ntitle = "t"\ndate = 2021-03-04T05:06:07.5+02:00\n+++\nx\n')
    expected = dt.datetime(2021, 3, 4, 5, 6, 7, 500000, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert meta["date"] == expected
    assert (meta["date"].hour, meta["date"].utcoffset()) == (5, dt.timedelta(hours=2))
    assert isinstance(meta["date"], SafeDatetime)


def test_a_date_as_text(posts):
    """A quoted date is parsed like Pelican's own, surrounding spaces ignored."""
    meta = posts.meta('+++\ntitle = "t"\ndate = " 2021-05-06 07:08 "\n+++\nx\n')
    assert meta["date"] == dt.datetime(2021, 5, 6, 7, 8)


@pytest.mark.parametrize("value, shown", [
    ('""', "''"), ('"  "', "'  '"), ("5", "5"), ("10:00:00", "datetime.time(10, 0)"),
    ('"99999999999-01-01"', "'99999999999-01-01'"),
])
def test_what_is_not_a_date(posts, value, shown):
    """Empty text, numbers and times of day are not dates; the value is shown as written."""
    assert posts.error(f'+++\ntitle = "t"\n\ndate = {value}\n+++\nx\n') == (
        f"posts/p.md:4: 'date' is not a date: {shown} (write it like 2020-12-15T12:22:50Z)")


# -- required keys and where posts live -------------------------------------------------


@pytest.mark.parametrize("title", ['""', '"   "'])
def test_an_empty_title_is_no_title(posts, title):
    """A blank title fails like a missing one."""
    assert posts.error(f"+++\ntitle = {title}\ndate = 2021-01-01\n+++\nx\n") == (
        'posts/p.md:1: the post has no title (add title = "..." to the front matter)')


@pytest.mark.parametrize("name", ["pages/about.md", "p.md", "extra/notes.md"])
def test_only_articles_need_a_date(posts, name):
    """Pages and files outside the article folders need no date."""
    assert "date" not in posts.meta('+++\ntitle = "About"\n+++\nMe.\n', name)


def test_an_article_in_a_subfolder_needs_a_date(posts):
    """Posts in a folder under posts/ are articles too."""
    assert posts.error('+++\ntitle = "t"\n+++\nx\n', "posts/2021/p.md") == (
        "posts/2021/p.md:1: the post has no date "
        "(add date = 2020-12-15T12:22:50Z to the front matter)")


def test_a_folder_that_is_both_pages_and_articles_holds_pages(tmp_path):
    """When a folder is listed as both, its files are pages and need no date."""
    posts = Posts(tmp_path, ARTICLE_PATHS=["posts", "pages"], PAGE_PATHS=["pages"])
    assert "date" not in posts.meta('+++\ntitle = "About"\n+++\nMe.\n', "pages/about.md")


# -- YAML ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["---\n---\nx\n", "---\n  \n\n---\nx\n", "---\n...\nx\n"])
def test_empty_yaml_front_matter_is_a_post_without_title(posts, text):
    """Empty YAML front matter is no keys at all: the missing title is named, no crash."""
    assert posts.error(text) == (
        'posts/p.md:1: the post has no title (add title = "..." to the front matter)')


def test_empty_yaml_front_matter_on_a_page_needs_only_a_title(posts):
    """A page with empty YAML is read; its body is the text after the fence."""
    assert posts.error("---\n---\nAbout me.\n", "pages/about.md").startswith(
        "pages/about.md:1: the post has no title")


def test_yaml_closed_by_three_dots(posts):
    """YAML's document end '...' closes the front matter; the body starts after it."""
    content, meta = posts.read("---\ntitle: t\ndate: 2021-01-01\n...\nBody\n\n---\n\nmore\n")
    assert meta["title"] == "t"
    assert content == "<p>Body</p>\n<hr>\n<p>more</p>"


def test_three_dots_do_not_close_toml(posts):
    """In TOML front matter '...' is not a fence: it is a TOML error on its line."""
    assert posts.error(HEAD + '...\n+++\nx\n').startswith(
        "posts/p.md:4: invalid TOML front matter: ")


def test_fences_may_have_trailing_spaces(posts):
    """'+++  ' opens and closes like '+++' (editors leave trailing spaces)."""
    content, meta = posts.read('+++  \ntitle = "t"\ndate = 2021-01-01\n+++\t\nBody\n')
    assert (content, meta["title"]) == ("<p>Body</p>", "t")
    content, meta = posts.read('---  \ntitle: t\ndate: 2021-01-01\n... \nBody\n')
    assert (content, meta["title"]) == ("<p>Body</p>", "t")


def test_split_front_matter_of_a_yaml_post():
    """The body after '...' starts two lines below the last key."""
    assert split_front_matter("---\na: 1\n...\nbody") == ("yaml", "a: 1", "body", 4)
    assert split_front_matter("no fence\n+++\n") == (None, "", "no fence\n+++\n", 1)


def test_a_fence_that_is_never_closed(posts):
    """An unclosed fence names line 1 and what to add."""
    assert posts.error('+++ \ntitle = "t"\n') == (
        "posts/p.md:1: front matter opened with '+++' is never closed "
        "(add a line with just '+++' after the front matter)")
    assert posts.error("---\ntitle: t\n+++\n") == (
        "posts/p.md:1: front matter opened with '---' is never closed "
        "(add a line with just '---' after the front matter)")


@pytest.mark.parametrize("front, message", [
    ("- a\n- b",
     "posts/p.md:2: YAML front matter must be a mapping of keys to values "
     "(write 'key: value' lines)"),
    ("just text",
     "posts/p.md:2: YAML front matter must be a mapping of keys to values "
     "(write 'key: value' lines)"),
    ("title: t\ndate: \x07",
     "posts/p.md:1: invalid YAML front matter: unacceptable character #x0007: special "
     "characters are not allowed (check indentation and quoting)"),
    ("title: t\n\na: b\n c: d",
     "posts/p.md:5: invalid YAML front matter: mapping values are not allowed here "
     "(check indentation and quoting on that line)"),
    ("title: t\na: {x: 1\nb: 2",
     "posts/p.md:3: invalid YAML front matter: expected ',' or '}', but got ':' while parsing "
     "a flow mapping (the parser noticed it on line 4; check that the '{' opened on line 3 "
     "is closed)"),
    ("title: t\ntags:\n  - x\n  y: 2",
     "posts/p.md:5: invalid YAML front matter: expected <block end>, but found '?' "
     "(check indentation and quoting on that line)"),
    ("title: t\na: *nowhere",
     "posts/p.md:3: invalid YAML front matter: found undefined alias 'nowhere' "
     "(check indentation and quoting on that line)"),
    ("title: t\nlist: [a,\n  b\nnext: 1",
     "posts/p.md:3: invalid YAML front matter: expected ',' or ']', but got ':' while parsing "
     "a flow sequence (the parser noticed it on line 5; check that the '[' opened on line 3 "
     "is closed)"),
    ("title: t\nplain\nmore: 1",
     "posts/p.md:3: invalid YAML front matter: could not find expected ':' while scanning a "
     "simple key (the parser noticed it on line 4; check indentation and quoting from line 3)"),
    ("title: t\nXmas\nmore: 1",
     "posts/p.md:3: invalid YAML front matter: could not find expected ':' while scanning a "
     "simple key (the parser noticed it on line 4; check indentation and quoting from line 3)"),
    ('title: t\n"k"\nmore: 1',
     "posts/p.md:3: invalid YAML front matter: could not find expected ':' while scanning a "
     "simple key (the parser noticed it on line 4; check that the '\"' opened on line 3 is "
     "closed)"),
    ("title: t\nkey: &x\n  - a\n  b: [",
     "posts/p.md:5: invalid YAML front matter: expected <block end>, but found '?' "
     "(check indentation and quoting on that line)"),
])
def test_yaml_errors(posts, front, message):
    """Each YAML mistake: the line to look at and what to check there."""
    assert posts.error(f"---\n{front}\n---\nx\n") == message


def test_yaml_keys_are_lower_cased_text(posts):
    """Title: or TITLE: is the title; a number key is kept under its text."""
    meta = posts.meta("---\nTITLE: t\nDate: 2021-01-01\n2021: yes\n---\nx\n")
    assert meta["title"] == "t" and meta["2021"] is True


# -- body, word count and headings -----------------------------------------------------


def test_word_count_and_headings(posts):
    """The reading time counts the words; the table of contents lists the headings."""
    content, meta = posts.read(HEAD + "+++\n# Head\n\nOne two three four.\n")
    assert meta["word_count"] == 5
    assert [(h["name"], h["level"]) for h in meta["headings"]] == [("Head", 2)]
    _, meta = posts.read("Title: t\nDate: 2021-01-01\n\n## Sub\n\nOne two.\n")
    assert meta["word_count"] == 3
    assert [(h["name"], h["level"]) for h in meta["headings"]] == [("Sub", 3)]


def test_a_word_count_key_wins(posts):
    """An author's own word_count is kept over the count."""
    assert posts.meta(HEAD + "word_count = 400\n+++\nOne two.\n")["word_count"] == 400


def test_a_meta_extension_in_the_settings_leaves_the_body_alone(tmp_path):
    """With Markdown's meta extension listed in MARKDOWN, a TOML post's first body line
    that looks like 'Key: value' is still text, and a Pelican header still works."""
    posts = Posts(tmp_path)
    extensions = [*posts.settings["MARKDOWN"]["extensions"], "markdown.extensions.meta"]
    posts.settings["MARKDOWN"] = {**posts.settings["MARKDOWN"], "extensions": extensions}
    reader = FrontMatterReader(posts.settings)
    content, _ = reader.read(posts.write(HEAD + "+++\nNote: this is text.\n"))
    assert content == "<p>Note: this is text.</p>"
    content, meta = reader.read(posts.write("Title: h\nDate: 2021-01-01\n\nNote: text.\n"))
    assert (content, meta["title"]) == ("<p>Note: text.</p>", "h")
    assert posts.settings["MARKDOWN"]["extensions"] == extensions
    # Rendered ahead for the speed wing, the body is rendered the same way.
    assert render_markdown(posts.settings["MARKDOWN"], "Note: this is text.\n")[0] == (
        "<p>Note: this is text.</p>")


# -- rendering ahead (the speed wing) -------------------------------------------------


def test_a_body_rendered_ahead_is_what_the_reader_makes(tmp_path):
    """render_markdown / render_with_header give the reader's own result for a post."""
    posts = Posts(tmp_path)
    md = posts.settings["MARKDOWN"]
    body = "# Head\n\nOne *two* three.\n"
    content, meta = posts.read(HEAD + "+++\n" + body)
    html_text, toc, words = render_markdown(md, body)
    assert (html_text, toc, words) == (content, meta["headings"], meta["word_count"])
    text = "Title: t\nDate: 2021-01-01\nTags: a\n\n" + body
    content, meta = posts.read(text)
    html_text, toc, words, header = render_with_header(md, text)
    assert (html_text, toc, words) == (content, meta["headings"], meta["word_count"])
    assert header == {"title": ["t"], "date": ["2021-01-01"], "tags": ["a"]}
    assert render_with_header(md, "Just text.\n")[3] == {}


def test_a_result_rendered_ahead_is_used_once_and_only_for_its_body(tmp_path):
    """The reader takes a result rendered ahead for the same text, once; a stale one
    (the file changed since) or one rendered the other way is ignored."""
    posts = Posts(tmp_path)
    reader = posts.reader
    path = posts.write(HEAD + "+++\nBody\n")
    ahead = ("<p>ahead</p>", [{"name": "h"}], 7)
    reader.prerendered[path] = ("Body\n", False, ahead)
    assert reader.read(path) == ("<p>ahead</p>", {"title": "t", "date": SafeDatetime(2021, 1, 1),
                                                  "headings": [{"name": "h"}], "word_count": 7})
    assert reader.read(path)[0] == "<p>Body</p>"  # used once
    reader.prerendered[path] = ("Old body\n", False, ahead)
    assert reader.read(path)[0] == "<p>Body</p>"
    reader.prerendered[path] = ("Body\n", True, (*ahead, {}))
    assert reader.read(path)[0] == "<p>Body</p>"
    assert reader.prerendered == {}
    posts.write(HEAD + "word_count = 3\n+++\nBody\n")
    reader.prerendered[path] = ("Body\n", False, ahead)
    assert reader.read(path)[1]["word_count"] == 3


def test_a_pelican_header_rendered_ahead_is_used(tmp_path):
    """For a Pelican header post the metadata comes from the Meta rendered ahead."""
    posts = Posts(tmp_path)
    reader = posts.reader
    text = "Title: t\nDate: 2021-01-01\n\nBody\n"
    path = posts.write(text)
    reader.prerendered[path] = (text, True, ("<p>ahead</p>", [], 9,
                                             {"title": ["ahead"], "date": ["2021-01-01"]}))
    content, meta = reader.read(path)
    # The words counted where it was rendered, as for TOML and YAML posts.
    assert (content, meta["title"], meta["word_count"]) == ("<p>ahead</p>", "ahead", 9)
    reader.prerendered[path] = (text, True, ("<p>ahead</p>", [], 9, {
        "title": ["ahead"], "date": ["2021-01-01"], "word_count": ["4"]}))
    assert reader.read(path)[1]["word_count"] == "4"  # the author's header key wins
    reader.prerendered[path] = (text, False, ("<p>ahead</p>", [], 9))
    assert reader.read(path)[0] == "<p>Body</p>"


# -- a Markdown crash -------------------------------------------------------------------


class Crashing(Extension):
    """An extension whose failure surfaces inside Python's own json module."""

    def extendMarkdown(self, md):
        class Parse(Preprocessor):
            def run(self, lines):
                json.loads("{broken")
                return lines

        md.preprocessors.register(Parse(md), "parse", 100)


def test_a_crash_inside_the_standard_library_names_the_extension(tmp_path):
    """The innermost module that is not Python's own is named: the extension."""
    posts = Posts(tmp_path)
    posts.settings["MARKDOWN"] = {**posts.settings["MARKDOWN"], "extensions": [Crashing()]}
    reader = FrontMatterReader(posts.settings)
    with pytest.raises(ContentError) as caught:
        reader.read(posts.write(HEAD + "+++\nx\n"))
    assert caught.value.message.startswith(
        "could not render the Markdown: JSONDecodeError in tests.test_frontmatter_strength: "
        "Expecting property name")
    assert caught.value.line is None
    assert isinstance(caught.value.__cause__, json.JSONDecodeError)


def test_a_crash_in_code_of_no_module_names_none(tmp_path):
    """Code an extension generated at run time belongs to no module: none is named,
    the failure is still one plain line."""
    namespace: dict = {}
    exec("def convert(text):\n    raise ValueError('cannot convert ' + text)", namespace)

    class Generated(Extension):
        def extendMarkdown(self, md):
            class Run(Preprocessor):
                def run(self, lines):
                    return namespace["convert"]("this")

            md.preprocessors.register(Run(md), "generated", 100)

    posts = Posts(tmp_path)
    posts.settings["MARKDOWN"] = {**posts.settings["MARKDOWN"], "extensions": [Generated()]}
    reader = FrontMatterReader(posts.settings)
    with pytest.raises(ContentError) as caught:
        reader.read(posts.write(HEAD + "+++\nx\n"))
    assert caught.value.message == "could not render the Markdown: ValueError: cannot convert this"


def test_markdown_failure_messages():
    """Too deep nesting and a failure with no traceback read plainly."""
    assert markdown_failure(RecursionError("maximum recursion depth")).format() == (
        "<unknown file>: could not render the Markdown: RecursionError: it is nested too "
        "deeply (nest lists and block quotes less deeply)")
    assert markdown_failure(KeyError("k")).format() == (
        "<unknown file>: could not render the Markdown: KeyError: 'k' (simplify the text it "
        "fails on, or build with --debug for the traceback)")


def test_the_plugin_reads_every_markdown_extension():
    """Registering the plugin gives all four Markdown file extensions to this reader."""

    class Readers:
        reader_classes: dict = {}

    readers = Readers()
    frontmatter.add_reader(readers)
    assert readers.reader_classes == dict.fromkeys(["md", "markdown", "mkd", "mdown"],
                                                   FrontMatterReader)


def test_markdown_settings_without_extensions(tmp_path):
    """A MARKDOWN setting that lists no extensions still reads posts: no headings list,
    no header keys taken from a TOML post's body."""
    posts = Posts(tmp_path)
    posts.settings["MARKDOWN"] = {"output_format": "html5"}
    reader = FrontMatterReader(posts.settings)
    content, meta = reader.read(posts.write(HEAD + "+++\n# Head\n\nNote: text.\n"))
    assert content == "<h1>Head</h1>\n<p>Note: text.</p>"
    assert meta["headings"] == [] and meta["word_count"] == 3
    plain = {"output_format": "html5"}
    assert render_markdown(plain, "# Head\n") == ("<h1>Head</h1>", [], 1)
    assert render_with_header(plain, "Title: t\n\nx\n") == ("<p>Title: t</p>\n<p>x</p>", [], 3, {})


def test_a_local_time_is_kept_as_written_whatever_the_machine_timezone(posts, monkeypatch):
    """A local date-time that falls in the building machine's daylight-saving gap is
    still the time the author wrote (Pelican localises it with the site's TIMEZONE)."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        meta = posts.meta('+++\ntitle = "t"\ndate = 2021-03-28T02:30:00\n+++\nx\n')
    finally:
        monkeypatch.undo()
        time.tzset()
    assert meta["date"] == dt.datetime(2021, 3, 28, 2, 30) and meta["date"].tzinfo is None


def test_the_reader_takes_its_settings_by_keyword(tmp_path):
    """FrontMatterReader(settings=...) is the same reader as FrontMatterReader(settings)."""
    posts = Posts(tmp_path)
    reader = FrontMatterReader(settings=posts.settings)
    assert reader.read(posts.write(HEAD + "+++\nBody\n"))[0] == "<p>Body</p>"
