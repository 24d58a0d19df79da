"""Property: the front matter reader returns metadata or raises ContentError naming the file.

Never any other exception, whatever text or bytes it is given.
"""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blogtools.commands.settings import load_settings
from blogtools.errors import ContentError
from blogtools.plugins.frontmatter import FrontMatterReader
from tests.conftest import SETTINGS

WORKDIR = Path(tempfile.mkdtemp(prefix="fuzz-reader-"))
READER = FrontMatterReader(load_settings(SETTINGS, PATH=str(WORKDIR)))
POST = WORKDIR / "posts" / "fuzz.md"
POST.parent.mkdir(parents=True, exist_ok=True)

front_matter_like = st.one_of(
    st.text(),
    st.builds(lambda fence, body, rest: f"{fence}\n{body}\n{fence}\n{rest}",
              st.sampled_from(["+++", "---"]),
              st.text(alphabet=st.sampled_from('title=date"[]{}:-\n 2021-01-01T00:00:00Z$\\<>#*`'), max_size=80),
              st.text(max_size=80)),
    st.builds(lambda key, value: f'+++\ntitle = "t"\ndate = 2021-01-01\n{key} = {value}\n+++\nbody $x$\n',
              st.sampled_from(["tags", "categories", "draft", "slug", "cover", "summary", "lastmod",
                               "author", "aliases", "keywords", "status", "title", "date"]),
              st.sampled_from(['5', '"x"', '[1, 2]', '["a", ""]', 'true', '2020-01-01', '{a = 1}',
                               '"<script>alert(1)</script>"', '[]', '""', '1e400', '"\\u0000"'])),
)


def check(raw: bytes) -> None:
    POST.write_bytes(raw)
    try:
        content, metadata = READER.read(str(POST))
    except ContentError as error:
        assert error.path and error.path.endswith("fuzz.md")
        assert error.format().startswith(error.path)
    else:
        assert isinstance(content, str) and metadata.get("title")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter_like)
def test_any_text_gives_metadata_or_a_content_error(text):
    check(text.encode("utf-8"))  # st.text() never draws surrogates


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_give_metadata_or_a_content_error(raw):
    check(raw)
