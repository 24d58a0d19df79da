"""Unit tests of the ``blogtools.plugins.mathml`` Markdown extension."""

from __future__ import annotations

import re

import markdown
import pytest
from bs4 import BeautifulSoup

from blogtools.errors import ContentError
from blogtools.plugins.mathml import MathError, MathExtension, tex_to_mathml

EXTENSIONS = ["blogtools.plugins.mathml", "fenced_code", "tables", "attr_list", "toc"]


def render(text: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS).convert(text)


def maths(text: str):
    return BeautifulSoup(render(text), "html.parser").find_all("math")


def annotation(math) -> str:
    return math.find("annotation", encoding="application/x-tex").get_text()


def error_for(text: str) -> ContentError:
    with pytest.raises(ContentError) as info:
        render(text)
    return info.value


# -- inline -----------------------------------------------------------------


def test_inline_math_becomes_mathml_inside_the_paragraph():
    soup = BeautifulSoup(render(r"Precision is $\frac{TP}{TP+FP}$ here."), "html.parser")
    paragraph = soup.find("p")
    math = paragraph.find("math")
    assert math is not None
    assert math["display"] == "inline"
    assert math["xmlns"] == "http://www.w3.org/1998/Math/MathML"
    fraction = math.find("mfrac")
    assert [child.get_text() for child in fraction.find_all(recursive=False)] == ["TP", "TP+FP"]
    assert paragraph.get_text().startswith("Precision is ")
    assert paragraph.get_text().endswith(" here.")


def test_tex_source_is_kept_as_an_annotation_inside_semantics():
    (math,) = maths(r"The penalty is $\lambda \sum_j |w_j|$.")
    semantics = math.find("semantics")
    assert semantics is not None and semantics.parent is math
    children = semantics.find_all(recursive=False)
    assert children[-1].name == "annotation"
    assert annotation(math) == r"\lambda \sum_j |w_j|"
    assert len(children) == 2  # one presentation element + the annotation


def test_special_characters_in_the_tex_are_escaped_in_the_html():
    html = render(r"$\text{a<b}$ and $a < b$")
    assert "<b}" not in html
    first, second = BeautifulSoup(html, "html.parser").find_all("math")
    assert annotation(first) == r"\text{a<b}"
    assert first.find("mtext").get_text() == "a<b"
    assert second.find("mo").get_text() == "<"


def test_symbols_are_real_characters():
    (math,) = maths(r"$\sum_i x_i \times \lambda$")
    text = math.find("mrow").get_text()
    assert "\u2211" in text and "\u00d7" in text and "\u03bb" in text
    assert "&#x" not in render(r"$\sum_i x_i$")


def test_a_paragraph_holding_only_a_formula_keeps_its_paragraph():
    soup = BeautifulSoup(render("$x^2$"), "html.parser")
    assert soup.find("p") is not None and soup.find("p").find("math") is not None


def test_math_in_table_cells_and_list_items():
    soup = BeautifulSoup(render("| a | b |\n|---|---|\n| $x^2$ | 2 |\n\n- item $y_1$\n"), "html.parser")
    assert soup.find("td").find("msup") is not None
    assert soup.find("li").find("msub") is not None


# -- display ----------------------------------------------------------------


def test_display_math_block_spanning_lines():
    html = render("Before.\n\n$$\n\\mathrm{F1} = 2 \\cdot\n\\frac{P \\cdot R}{P + R}\n$$\n\nAfter.")
    soup = BeautifulSoup(html, "html.parser")
    (math,) = soup.find_all("math")
    assert math["display"] == "block"
    assert math.parent.name == "div" and "math-display" in math.parent["class"]
    assert math.find_parent("p") is None
    assert annotation(math) == "\\mathrm{F1} = 2 \\cdot\n\\frac{P \\cdot R}{P + R}"
    assert [p.get_text() for p in soup.find_all("p")] == ["Before.", "After."]


def test_display_math_lines_are_not_parsed_as_markdown():
    # A line starting "- " or "# " inside $$ must not become a list or heading.
    soup = BeautifulSoup(render("$$\na\n- b\n# c\n$$"), "html.parser")
    assert soup.find("ul") is None and soup.find("h1") is None
    assert annotation(soup.find("math")) == "a\n- b\n# c"


def test_display_math_on_one_line_and_inside_a_paragraph():
    (alone,) = maths("$$E = mc^2$$")
    assert alone["display"] == "block"
    soup = BeautifulSoup(render("so $$a+b$$ is shown"), "html.parser")
    math = soup.find("math")
    assert math["display"] == "block" and math.find_parent("p") is not None
    assert soup.find("p").get_text().startswith("so ")
    # Inside a paragraph the scroll box is a <span> (a <div> cannot be in a <p>).
    assert math.parent.name == "span" and math.parent["class"] == ["math-display"]
    assert math.parent.parent.name == "p"


def test_display_math_in_a_list_item():
    soup = BeautifulSoup(render("- item\n\n    $$\n    x^2\n    $$\n"), "html.parser")
    assert soup.find("li").find("math", display="block") is not None


def test_text_after_a_display_block_is_its_own_paragraph():
    soup = BeautifulSoup(render("$$\nx\n$$\nfollowing line"), "html.parser")
    assert soup.find("p").get_text() == "following line"


# -- dollars that are not math ------------------------------------------------


@pytest.mark.parametrize("text", [
    "It costs $5 and $10 a month.",
    "Between $20,000 and $30,000.",
    "A lone $ sign.",
    "Trailing $ space$ here",          # opening $ followed by a space
    "Up to $5 or more $ maybe",        # closing $ preceded by a space
    "From $1 to $2",                   # closing $ followed by a digit
])
def test_dollars_in_prose_are_not_math(text):
    html = render(text)
    assert "<math" not in html
    assert BeautifulSoup(html, "html.parser").get_text() == text


def test_closing_dollar_followed_by_digit_is_not_a_close():
    assert "<math" not in render("$x$5")


def test_escaped_dollar_is_a_literal_dollar():
    html = render(r"It costs \$5 and \$10, and $x$ is math.")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.get_text().startswith("It costs $5 and $10, and ")
    assert "\\$" not in soup.get_text()
    (math,) = soup.find_all("math")
    assert annotation(math) == "x"


def test_escaped_dollars_around_a_would_be_formula():
    html = render(r"\$x\$ is not math")
    assert "<math" not in html
    assert BeautifulSoup(html, "html.parser").get_text() == "$x$ is not math"


def test_escaped_dollar_inside_math():
    (math,) = maths(r"$a \$ b$")
    assert annotation(math) == r"a \$ b"
    assert "$" in math.find("mrow").get_text()


def test_escaped_backslash_before_a_dollar():
    soup = BeautifulSoup(render(r"a \\$x$ b"), "html.parser")
    assert soup.get_text().startswith("a \\")
    assert annotation(soup.find("math")) == "x"


def test_other_markdown_escapes_still_work():
    assert BeautifulSoup(render(r"\*not em\* and $y$"), "html.parser").get_text().startswith("*not em*")


# -- code is left alone --------------------------------------------------------


def test_code_span_is_untouched():
    soup = BeautifulSoup(render("Write `$\\frac{a}{b}$` or `$$x$$` to get $y$."), "html.parser")
    codes = [code.get_text() for code in soup.find_all("code")]
    assert codes == ["$\\frac{a}{b}$", "$$x$$"]
    assert len(soup.find_all("math")) == 1


def test_fenced_and_indented_code_are_untouched():
    text = "```latex\n$\\fracc{a}$\n$$\n{\n$$\n```\n\n    $x$ and $$y$$\n"
    soup = BeautifulSoup(render(text), "html.parser")
    assert soup.find("math") is None
    blocks = [pre.get_text() for pre in soup.find_all("pre")]
    assert blocks == ["$\\fracc{a}$\n$$\n{\n$$\n", "$x$ and $$y$$\n"]


def test_malformed_math_in_code_does_not_fail():
    render("`$\\fracc{a}$` and\n\n    $x}$\n")


# -- malformed formulas --------------------------------------------------------


@pytest.mark.parametrize("tex, words", [
    (r"\fracc{a}{b}", r"\fracc"),           # latex2mathml renders it as text
    (r"\foo + 1", r"\foo"),
    (r"\frac{a}{b", "braces"),               # silently accepted by latex2mathml
    (r"x}", "braces"),
    (r"{x", "braces"),
    (r"\frac{a}", "2 parts"),                # a fraction with one part
    (r"\begin{foo}a\end{foo}", "environment"),
    (r"\begin{aligned}a&=b\end{aligned}", "environment"),
    (r"a & b", "&"),
    (r"x^", "^ or _"),                       # latex2mathml raises these itself
    (r"\left( x", r"\left"),
    (r"x^{2}^{3}", "superscript"),
    (r"\sqrt", "argument"),
    (r"\text{\oops}", r"\oops"),
    (r"\end{matrix}", r"\end"),                # an \end with no \begin
    (r"\operatorname{a}\operatorname", "missing its argument"),  # renders as nothing
    (r"\frac{a}{\mathrm}", "missing its argument"),
    (r"a \over b \over c", "ambiguous"),       # latex2mathml silently picks a nesting
    (r"\sum\limits", "parts"),
])
def test_malformed_formula_raises_content_error(tex, words):
    error = error_for(f"Text ${tex}$ text.")
    assert words in error.message
    assert error.line == 1
    assert error.path is None  # the reader that called convert() adds the path


@pytest.mark.parametrize("tex", [
    r"{a \over b} \over c", r"\left( a \over b \right) \over c", r"\operatorname*{arg\,max}_x",
    r"\sqrt[3]{x}", r"\frac12", r"\text{x}", r"\begin{bmatrix}1 & 2 \\ 3 & 4\end{bmatrix}",
    r"\{x\}", r"x_{}", r"\hat{y}_i", r"\% \# \&",
])
def test_well_formed_tex_is_accepted(tex):
    (math,) = maths(f"${tex}$")
    assert annotation(math) == tex


def test_no_bad_input_crashes_or_leaks_tex_into_the_rendering():
    """Random TeX soup either renders cleanly or raises ContentError, never anything else."""
    import random
    import xml.etree.ElementTree as ET

    pieces = [r"\frac", "{", "}", "a", "1", "^", "_", r"\sqrt", "[", "]", r"\left(", r"\right)",
              r"\hat", r"\text{x}", r"\mathrm", "&", r"\\", r"\begin{matrix}", r"\end{matrix}",
              r"\sum", r"\limits", " ", r"\operatorname", r"\over", r"\lvert", "+", "=", r"\binom",
              r"\underbrace", "'", r"\mathbb", r"\genfrac", r"\middle|", r"\%", "<", '"', r"\foo"]
    rng = random.Random(20201215)
    rendered = 0
    for _ in range(3000):
        tex = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 7)))
        try:
            markup = tex_to_mathml(tex)
        except MathError:
            continue
        rendered += 1
        ET.fromstring(markup)  # well-formed
        shown = markup.split("<annotation")[0]
        assert "\\" not in re.sub(r"<[^>]+>", "", shown), f"TeX leaked into the rendering of {tex!r}"
    assert rendered > 100


def test_did_you_mean_hint_for_a_typo():
    assert error_for(r"$\fracc{a}{b}$").hint == r"did you mean \frac?"


def test_error_line_is_the_line_of_the_formula():
    text = "# Title\n\nFirst paragraph with $x$.\n\n- a list\n- item with $\\fracc{1}{2}$\n"
    error = error_for(text)
    assert error.line == 6
    assert str(error).startswith("<unknown file>:6: ")


def test_error_line_in_a_multi_line_display_block_is_the_bad_line():
    text = "Intro\n\n$$\n\\frac{a}{b}\n+ \\unknowncmd\n$$\n"
    error = error_for(text)
    assert error.line == 5
    assert r"\unknowncmd" in error.message


def test_error_line_for_an_indented_display_block_in_a_list():
    text = "- item\n\n    $$\n    x\n    \\bad\n    $$\n"
    assert error_for(text).line == 5


def test_unclosed_display_math_is_an_error():
    error = error_for("Para\n\n$$\nx + y\n\nmore text\n")
    assert "never closed" in error.message
    assert error.line == 3


def test_error_line_skips_an_identical_formula_in_code():
    # Both look alike, but only the second is math; the first well-formed
    # occurrence of different text must not confuse the line search.
    text = "Use $a$ first.\n\nThen $\\nope$ on line three.\n"
    assert error_for(text).line == 3


def test_located_error_names_the_file_and_shifts_the_line():
    error = error_for("\n\nbad $x}$\n").located("content/posts/p.md", line_offset=7)
    assert error.line == 10
    assert str(error).startswith("content/posts/p.md:10: ")


def test_a_failed_document_does_not_poison_the_next_one():
    md = markdown.Markdown(extensions=EXTENSIONS)
    with pytest.raises(ContentError):
        md.convert("- item\n\n    $$\n    \\bad\n    $$\n")
    html = md.reset().convert("- item\n\n    $$\n    x\n    $$\n")
    assert BeautifulSoup(html, "html.parser").find("li").find("math") is not None


# -- the converter directly ----------------------------------------------------


def test_tex_to_mathml_display_attribute():
    assert 'display="block"' in tex_to_mathml("x", display=True)
    assert 'display="inline"' in tex_to_mathml("x")


def test_output_is_well_formed_xml():
    import xml.etree.ElementTree as ET

    for tex in [r"\frac{a}{b}", r"\text{a<b}", r"\sqrt[3]{x}", r"\begin{bmatrix}1&2\\3&4\end{bmatrix}",
                r"\log_{10}\frac{N}{\mathrm{df}(t)}", r"\|w\|_2^2", r"\hat{y}_i"]:
        ET.fromstring(tex_to_mathml(tex))


def test_make_extension_is_the_registered_entry_point():
    from blogtools.plugins import mathml

    assert isinstance(mathml.makeExtension(), MathExtension)
    md = markdown.Markdown(extensions=["blogtools.plugins.mathml"])
    assert "mathml_inline" in md.inlinePatterns
    assert re.search("<math", md.convert("$x$"))


# -- through the real reader and build -------------------------------------------------


def test_bad_formula_fails_the_build_naming_file_and_line(tiny_site):
    # Lines 1-4 are front matter and line 5 is blank, so the body's line 5 is the file's line 10.
    path = tiny_site.post("bad-math", "Intro with $x^2$.\n\nMore text.\n\nThen $\\fracc{1}{2}$ here.")
    assert path.read_text().splitlines()[9] == "Then $\\fracc{1}{2}$ here."
    result = tiny_site.build()
    assert not result.ok
    problems = [p for p in result.problems if "bad math" in p]
    assert len(problems) == 1, result.problems
    assert re.search(r"(^|/)content/posts/bad-math\.md:10: bad math ", problems[0]), problems[0]
    assert r"\fracc" in problems[0] and r"did you mean \frac?" in problems[0]
