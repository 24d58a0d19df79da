"""The study-points post's worked examples, recomputed from the built page.

Every figure in the three worked examples (the 2x2 and 3x3 confusion matrices
and the TF-IDF matrix) is recomputed here from the matrix or documents shown on
the page and compared with the stated number at its stated rounding. Every
number that appears in those sections must be one the test has checked, so
changing any of them (a cell, a count, a result) fails a test.
"""

from __future__ import annotations

import ast
import math
import re
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

ROOT = Path(__file__).resolve().parent.parent
POST_HTML = "posts/aws-ml-study-points/index.html"
# A number standing on its own: not part of "D1", "log10" or "F1".
NUMBER = re.compile(r"(?<![A-Za-z0-9_.])\d+(?:\.\d+)?(?![A-Za-z0-9_])")
FIGURE_LINE = re.compile(r"^(?P<name>[^=]+?) = (?P<expr>.+) = (?P<value>\d+\.\d+)$")


# -- reading the built page ---------------------------------------------------------


@pytest.fixture(scope="module")
def page(site) -> BeautifulSoup:
    return BeautifulSoup((site / POST_HTML).read_text(encoding="utf-8"), "html.parser")


class Section:
    """The elements between a heading (found by id) and the next heading."""

    def __init__(self, page: BeautifulSoup, ident: str):
        heading = page.find(id=ident)
        assert heading is not None, f"no element with id {ident!r} on the page"
        if not re.fullmatch(r"h[1-6]", heading.name):  # an anchor inside a heading
            heading = heading.find_parent(re.compile(r"h[1-6]"))
        self.elements: list[Tag] = []
        for sibling in heading.find_next_siblings():
            if re.fullmatch(r"h[1-6]", sibling.name):
                break
            self.elements.append(sibling)
        assert self.elements, f"section {ident!r} is empty"

    def tables(self) -> list[list[list[str]]]:
        found = []
        for element in self.elements:
            for table in ([element] if element.name == "table" else element.find_all("table")):
                found.append([[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
                              for row in table.find_all("tr")])
        return found

    def items(self) -> list[str]:
        return [li.get_text(" ", strip=True) for element in self.elements for li in element.find_all("li")]

    def paragraphs(self) -> list[str]:
        return [element.get_text(" ", strip=True) for element in self.elements if element.name == "p"]

    def text(self) -> str:
        return " ".join(element.get_text(" ", strip=True) for element in self.elements)

    def numbers(self) -> list[str]:
        return NUMBER.findall(self.text())

    def figures(self) -> dict[str, tuple[str, str]]:
        """``- Name = expression = value`` list items, by name."""
        figures = {}
        for item in self.items():
            match = FIGURE_LINE.match(item)
            if match:
                figures[match["name"].strip()] = (match["expr"], match["value"])
        return figures


# -- arithmetic ---------------------------------------------------------------------


def evaluate(expression: str):
    """Evaluate ``+ - × / ( )`` and ``log10(...)``; numbers become Fractions (exact)."""
    tree = ast.parse(expression.replace("×", "*"), mode="eval")

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return Fraction(str(node.value))
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
            left, right = walk(node.left), walk(node.right)
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            return left / right
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "log10":
            (argument,) = node.args
            return math.log10(walk(argument))
        raise AssertionError(f"unexpected syntax in {expression!r}: {ast.dump(node)}")

    return walk(tree)


def rounded(value, places: int) -> str:
    """``value`` rounded half-up to ``places`` decimals, as the post prints it."""
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(repr(value))
    return str(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def places(text: str) -> int:
    return len(text.split(".")[1])


def assert_figure(name: str, stated: tuple[str, str], exact) -> None:
    """The expression evaluates to the exact figure, and the value is it rounded."""
    expression, value = stated
    result = evaluate(expression)
    if isinstance(exact, Fraction) and isinstance(result, Fraction):
        assert result == exact, f"{name}: {expression} is {result}, but the matrix gives {exact}"
    else:
        assert math.isclose(float(result), float(exact), rel_tol=1e-12, abs_tol=1e-15), \
            f"{name}: {expression} is {float(result)}, but the data gives {float(exact)}"
    assert value == rounded(exact, places(value)), \
        f"{name}: the post says {value}, the data gives {rounded(exact, places(value))}"


def assert_only_checked_numbers(section: Section, checked: set[str]) -> None:
    """Every number in the section is one this test has verified."""
    unchecked = [n for n in section.numbers() if n not in checked]
    assert not unchecked, f"numbers in the section that no check covers: {unchecked}"


def as_int(text: str) -> int:
    assert re.fullmatch(r"\d+", text), f"expected a count, got {text!r}"
    return int(text)


# -- 2x2 confusion matrix ----------------------------------------------------------


def test_two_by_two_confusion_matrix(page):
    section = Section(page, "worked-2x2")
    (matrix,) = section.tables()
    header, positive_row, negative_row = matrix
    assert header[1:] == [positive_row[0], negative_row[0]], "rows and columns must name the same classes"
    tp, fn = as_int(positive_row[1]), as_int(positive_row[2])
    fp, tn = as_int(negative_row[1]), as_int(negative_row[2])
    total = tp + fn + fp + tn

    counts = dict(re.findall(r"\b(TP|FN|FP|TN) = (\d+)", section.text()))
    assert counts == {"TP": str(tp), "FN": str(fn), "FP": str(fp), "TN": str(tn)}
    assert re.search(rf"out of {total}\b", section.text()), f"the total should be {total}"

    precision = Fraction(tp, tp + fp)
    recall = Fraction(tp, tp + fn)
    expected = {
        "Accuracy": Fraction(tp + tn, total),
        "Precision": precision,
        "Recall": recall,
        "Specificity": Fraction(tn, tn + fp),
        "F1": 2 * precision * recall / (precision + recall),
    }
    figures = section.figures()
    assert set(figures) == set(expected)
    for name, exact in expected.items():
        assert_figure(name, figures[name], exact)
        assert places(figures[name][1]) == 3

    checked = {str(n) for n in (tp, fn, fp, tn, total, 2)} | {value for _, value in figures.values()}
    assert_only_checked_numbers(section, checked)


# -- 3x3 confusion matrix ----------------------------------------------------------


def test_three_by_three_confusion_matrix(page):
    section = Section(page, "worked-3x3")
    matrix_table, per_class_table = section.tables()
    classes = matrix_table[0][1:]
    assert [row[0] for row in matrix_table[1:]] == classes, "rows are actual, columns predicted"
    matrix = [[as_int(cell) for cell in row[1:]] for row in matrix_table[1:]]
    n = len(classes)
    assert n == 3 and all(len(row) == n for row in matrix)
    total = sum(map(sum, matrix))

    assert per_class_table[0] == ["Class", "TP", "FP", "FN", "Precision", "Recall", "F1"]
    exact = {}
    checked = {str(cell) for row in matrix for cell in row} | {str(total), str(n), "2"}
    for i, row in enumerate(per_class_table[1:]):
        name = classes[i]
        tp = matrix[i][i]
        fp = sum(matrix[r][i] for r in range(n)) - tp
        fn = sum(matrix[i]) - tp
        precision, recall = Fraction(tp, tp + fp), Fraction(tp, tp + fn)
        f1 = 2 * precision * recall / (precision + recall)
        exact[name] = (precision, recall, f1)
        assert row[0] == name
        assert [as_int(c) for c in row[1:4]] == [tp, fp, fn], f"{name}: TP, FP, FN"
        for label, stated, value in zip(("precision", "recall", "F1"), row[4:], exact[name]):
            assert stated == rounded(value, 3), f"{name} {label}: post {stated}, matrix {rounded(value, 3)}"
        checked |= {str(tp), str(fp), str(fn), *row[4:]}
    assert len(per_class_table) == n + 1

    tps = sum(matrix[i][i] for i in range(n))
    fps = sum(sum(matrix[r][i] for r in range(n)) - matrix[i][i] for i in range(n))
    fns = sum(sum(matrix[i]) - matrix[i][i] for i in range(n))
    micro_p, micro_r = Fraction(tps, tps + fps), Fraction(tps, tps + fns)
    figures = section.figures()
    assert set(figures) == {"Macro precision", "Macro recall", "Macro F1",
                            "Micro precision", "Micro recall", "Micro F1", "Accuracy"}

    # Macro: the mean of the per-class figures the table states, and the value
    # is the exact macro average (of unrounded per-class scores) rounded.
    for index, metric in enumerate(("precision", "recall", "F1")):
        name = f"Macro {metric}"
        expression, value = figures[name]
        terms = re.fullmatch(r"\((.+)\) / (\d+)", expression)
        assert terms and terms[2] == str(n), f"{name}: expected (a + b + c) / {n}"
        stated_terms = [t.strip() for t in terms[1].split("+")]
        table_terms = [row[4 + index] for row in per_class_table[1:]]
        assert stated_terms == table_terms, f"{name} must average the table's per-class values"
        macro = sum(exact[c][index] for c in classes) / n
        assert abs(float(evaluate(expression)) - float(macro)) < 0.001
        assert value == rounded(macro, 3), f"{name}: post {value}, matrix {rounded(macro, 3)}"
        checked.add(value)

    assert_figure("Micro precision", figures["Micro precision"], micro_p)
    assert_figure("Micro recall", figures["Micro recall"], micro_r)
    assert_figure("Micro F1", figures["Micro F1"], 2 * micro_p * micro_r / (micro_p + micro_r))
    assert_figure("Accuracy", figures["Accuracy"], Fraction(tps, total))
    # For single-label problems the micro averages are the accuracy.
    assert micro_p == micro_r == Fraction(tps, total)
    checked |= {str(tps), str(fps), str(fns)}
    checked |= {figures[k][1] for k in ("Micro precision", "Micro recall", "Micro F1", "Accuracy")}
    assert_only_checked_numbers(section, checked)


# -- TF-IDF -----------------------------------------------------------------------------


def ngrams(words: list[str], size: int) -> list[str]:
    return [" ".join(words[i:i + size]) for i in range(len(words) - size + 1)]


def first_seen(items) -> list[str]:
    return list(dict.fromkeys(items))


def test_tfidf_matrix(page):
    section = Section(page, "worked-tfidf")
    text = section.text()
    # The definitions the figures use are stated in the section.
    assert "tf = count / number of words in the document" in text
    assert "idf = log10(N / df)" in text
    assert "four decimal places" in text

    documents_table, idf_table, matrix_table = section.tables()
    assert documents_table[0] == ["Document", "Text", "Words"]
    documents = {}
    for name, body, words in documents_table[1:]:
        documents[name] = body.split()
        assert as_int(words) == len(documents[name]), f"{name} has {len(documents[name])} words"
    big_n = len(documents)
    unigrams = first_seen(w for words in documents.values() for w in words)
    bigrams = first_seen(b for words in documents.values() for b in ngrams(words, 2))

    vocabularies = {}
    for paragraph in section.paragraphs():
        match = re.match(r"The (unigram|bigram) vocabulary.*? is: (.+?)\.?$", paragraph)
        if match:
            vocabularies[match[1]] = [term.strip() for term in match[2].split(",")]
    assert vocabularies == {"unigram": unigrams, "bigram": bigrams}

    dimensions = {}
    for item in section.items():
        match = re.fullmatch(r"(.+) matrix: (\d+) documents × (\d+) terms", item)
        if match:
            dimensions[match[1]] = (int(match[2]), int(match[3]))
    assert dimensions == {
        "Unigram": (big_n, len(unigrams)),
        "Bigram": (big_n, len(bigrams)),
        "Unigram and bigram": (big_n, len(unigrams) + len(bigrams)),
    }

    df = {t: sum(t in words for words in documents.values()) for t in unigrams}
    idf = {t: math.log10(big_n / df[t]) for t in unigrams}
    assert idf_table[0] == ["Term", "df", "idf"]
    assert [row[0] for row in idf_table[1:]] == unigrams
    for term, stated_df, stated_idf in idf_table[1:]:
        assert as_int(stated_df) == df[term], f"df({term})"
        assert stated_idf == rounded(idf[term], 4), f"idf({term}): post {stated_idf}, data {rounded(idf[term], 4)}"

    def tfidf(term: str, document: str) -> float:
        words = documents[document]
        return float(Fraction(words.count(term), len(words))) * idf[term]

    assert matrix_table[0] == ["Document", *unigrams], "one column per vocabulary term"
    assert [row[0] for row in matrix_table[1:]] == list(documents), "one row per document"
    for row in matrix_table[1:]:
        for term, stated in zip(unigrams, row[1:]):
            assert stated == rounded(tfidf(term, row[0]), 4), f"tf-idf({term}, {row[0]})"

    worked = {}
    for item in section.items():
        match = re.fullmatch(r"tf-idf\((\w+), (\w+)\) = (.+) = (\d+\.\d+)", item)
        if match:
            worked[(match[1], match[2])] = (match[3], match[4])
    assert len(worked) >= 3, "the section works through some cells"
    checked = {str(len(w)) for w in documents.values()} | {str(big_n)}
    checked |= {str(d) for d in df.values()}
    checked |= {str(n) for n in (len(unigrams), len(bigrams), len(unigrams) + len(bigrams))}
    checked |= {cell for row in idf_table[1:] for cell in row[1:]}
    checked |= {cell for row in matrix_table[1:] for cell in row[1:]}
    for (term, document), (expression, value) in worked.items():
        assert_figure(f"tf-idf({term}, {document})", (expression, value), tfidf(term, document))
        # The fractions are count / length and N / df, not any other way to the same value.
        parts = re.fullmatch(r"\((\d+) / (\d+)\) × log10\((\d+) / (\d+)\)", expression)
        assert parts, f"expected (count / length) × log10(N / df), got {expression}"
        assert [int(p) for p in parts.groups()] == [
            documents[document].count(term), len(documents[document]), big_n, df[term]]
        assert value == matrix_table[1 + list(documents).index(document)][1 + unigrams.index(term)]
        checked |= set(parts.groups()) | {value}
    assert_only_checked_numbers(section, checked)


# -- the figures --------------------------------------------------------------------------


def test_post_shows_both_figures_with_alt_text(page, site):
    for name in ("fit-underfit-overfit.svg", "confusion-matrix.svg"):
        images = [img for img in page.find_all("img") if img.get("src", "").endswith("/images/" + name)]
        assert len(images) == 1, f"{name} should appear once"
        assert len(images[0].get("alt", "")) > 40, f"{name} needs descriptive alt text"
        built = site / "images" / name
        assert built.read_bytes() == (ROOT / "content" / "images" / name).read_bytes()


def test_figure_script_regenerates_the_committed_svgs_byte_for_byte():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_figures.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_figures_are_small_accessible_svgs():
    for name in ("fit-underfit-overfit.svg", "confusion-matrix.svg"):
        path = ROOT / "content" / "images" / name
        assert path.stat().st_size < 12_000, f"{name} is {path.stat().st_size} bytes"
        svg = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find("svg")
        assert svg["role"] == "img"
        assert svg.find("title").get_text(strip=True)
        assert svg.find("desc").get_text(strip=True)
        assert "prefers-color-scheme:dark" in path.read_text(encoding="utf-8")
        assert svg.find("rect", class_="bg") is not None, "draws its own background"
