"""Property: whatever the HTML (or feed) text, the checker never crashes."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blogtools.linkcheck import main
from blogtools.linkcheck.collect import collect_bytes

TAGS = ["a", "img", "link", "meta", "source", "video", "base", "div", "h2", "script", "feed",
        "entry", "content", "loc", "p", "![CDATA[", "!--"]
ATTRS = ["href", "src", "srcset", "poster", "id", "name", "content", "property", "http-equiv",
         "rel", "xml:base", "type"]
VALUES = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["#", "#top", "../", "/", "//", "?q", "a.html#x", "mailto:x", "http://[::1",
                     "https://example.org/blog/x", "%", "%zz", "%C3%A9", "x 1x, y 2x", ",,,",
                     "0; url=", "\\..\\", "javascript:", "data:,"]))


@st.composite
def html_soup(draw):
    parts = []
    for _ in range(draw(st.integers(0, 12))):
        choice = draw(st.integers(0, 3))
        if choice == 0:
            parts.append(draw(st.text(max_size=30)))
        else:
            tag = draw(st.sampled_from(TAGS))
            attrs = " ".join(f'{draw(st.sampled_from(ATTRS))}="{draw(VALUES)}"'
                             for _ in range(draw(st.integers(0, 3))))
            parts.append(f"<{tag} {attrs}>" + ("" if choice == 1 else f"</{tag}>"))
    return "".join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(html_soup(), st.text()),
       name=st.sampled_from(["index.html", "feed.xml", "robots.txt", "sitemap.xml"]))
def test_checker_never_crashes(text, name):
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        (site / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        (site / "a.html").write_text('<h2 id="x">x</h2>', encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        code = main([str(site), "--format", "json", "--jobs", "1",
                     "--base-url", "https://example.org/blog"], stdout=out, stderr=err)
        assert code in (0, 1)
        assert err.getvalue() == ""


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=300), kind=st.sampled_from(["html", "xml", "robots"]))
def test_collect_never_crashes_on_bytes(data, kind):
    got = collect_bytes("x", data, kind)
    for link in got.links:
        assert link.line >= 1 and link.column >= 1
