"""The study-points post's facts that the built page can check against itself.

The exam section states the exam's logistics as the MLS-C01 exam guide gives
them. The built-in algorithm table and each algorithm's own section agree on
input formats, input mode and training hardware, and the data-format notes in
Data Engineering agree with the table. A change to one place that is not made
in the other fails here.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.conftest import WRITEUP_HTML
from tests.test_worked_examples import POST_HTML, Section

TABLE_HEADER = ["Algorithm", "Learning", "Training input", "Input mode", "Training hardware"]
# Each input format the post names, and how to find it in a sentence.
FORMATS = {
    "RecordIO-protobuf": r"RecordIO-protobuf",
    "image RecordIO": r"RecordIO(?!-protobuf)",
    "CSV": r"\bCSV\b",
    "LibSVM": r"\bLibSVM\b",
    "Parquet": r"\bParquet\b",
    "ORC": r"\bORC\b",
    "JSON Lines": r"\bJSON Lines\b",
    "JPG": r"\bJPG\b",
    "PNG": r"\bPNG\b",
    "sentences": r"one sentence per line",
}
# "no CSV", "not ORC": a format named to say it is not accepted.
NEGATED = re.compile(r"\b(?:no|not|nor)\s+[\w-]+")
NUMBER_WORDS = {"fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}


def formats(text: str) -> set[str]:
    text = NEGATED.sub("", text)
    return {name for name, pattern in FORMATS.items() if re.search(pattern, text)}


def processors(text: str) -> set[str]:
    return {name for name in ("CPU", "GPU") if re.search(rf"\b{name}\b", text)}


@pytest.fixture(scope="module")
def page(site) -> BeautifulSoup:
    return BeautifulSoup((site / POST_HTML).read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def algorithms(page) -> dict[str, dict[str, str]]:
    """The algorithm table's rows, by algorithm name."""
    section = Section(page, "sagemaker-algorithms")
    table = section.tables()[0]
    assert table[0] == TABLE_HEADER
    rows = {row[0]: dict(zip(TABLE_HEADER[1:], row[1:])) for row in table[1:]}
    stated = re.search(r"there were (\w+)\.", section.text())
    assert stated, "the section says how many built-ins there were"
    assert len(rows) == NUMBER_WORDS[stated[1]] == len(table) - 1
    return rows


def algorithm_sections(page) -> dict[str, Section]:
    """Each ``##`` section under the algorithms heading, by its heading's text."""
    top = page.find(id="sagemaker-algorithms")
    sections = {}
    for heading in top.find_next_siblings(re.compile(r"h[1-6]")):
        if heading.name <= top.name:
            break
        name = "".join(heading.find_all(string=True, recursive=False)).strip()
        sections[name] = Section(page, heading["id"])
    return sections


def bullet(section: Section, label: str) -> str:
    """The text of the list item that starts ``**label**:``."""
    found = [item for item in section.items() if re.match(rf"{re.escape(label)}\s*:", item)]
    assert len(found) == 1, f"expected one {label!r} item, found {len(found)}"
    return re.sub(rf"^{re.escape(label)}\s*:\s*", "", found[0])


# -- the exam ----------------------------------------------------------------------------


def test_exam_section_states_the_exam_guides_logistics(page):
    text = Section(page, "the-exam").text()
    asked = re.search(r"(\d+) questions in (\d+) minutes", text)
    scored = re.search(r"Only (\d+) of the questions are scored", text)
    unscored = re.search(r"other (\d+) are unscored", text)
    scale = re.search(r"scaled score from ([\d,]+) to ([\d,]+), and ([\d,]+) is the pass mark", text)
    assert asked and scored and unscored and scale, "the exam section states questions, scoring and pass mark"
    questions, minutes = int(asked[1]), int(asked[2])
    lowest, highest, pass_mark = (int(n.replace(",", "")) for n in scale.groups())
    # The MLS-C01 exam guide: 65 questions (50 scored, 15 unscored) in 180
    # minutes, a scaled score of 100-1,000 and 750 to pass.
    assert (questions, int(scored[1]), int(unscored[1]), minutes) == (65, 50, 15, 180)
    assert (lowest, highest, pass_mark) == (100, 1000, 750)
    assert int(scored[1]) + int(unscored[1]) == questions
    assert re.search(r"no penalty for guessing", text, re.I)


def test_the_authors_score_matches_the_writeup_and_passes(page, site):
    mine = re.search(r"I got (\d+)", Section(page, "the-exam").text())
    writeup = BeautifulSoup((site / WRITEUP_HTML).read_text(encoding="utf-8"), "html.parser")
    theirs = re.search(r"passing score of (\d+) / 1000", writeup.get_text(" "))
    assert mine and theirs and mine[1] == theirs[1]
    assert 750 <= int(mine[1]) <= 1000


# -- the algorithm table against each algorithm's section ----------------------------------


def test_every_algorithm_in_the_table_has_a_section_and_no_more(page, algorithms):
    assert list(algorithm_sections(page)) == list(algorithms)


def test_table_and_sections_agree_on_input_formats(page, algorithms):
    for name, section in algorithm_sections(page).items():
        in_table = formats(algorithms[name]["Training input"])
        assert in_table, f"{name}: the table names no known input format"
        assert formats(bullet(section, "Data")) == in_table, f"{name}: table and section disagree on formats"


def test_table_and_sections_agree_on_input_mode(page, algorithms):
    for name, section in algorithm_sections(page).items():
        mode = algorithms[name]["Input mode"]
        data = bullet(section, "Data")
        assert mode in ("File", "File or Pipe"), f"{name}: unexpected input mode {mode!r}"
        if mode == "File":
            assert "File mode only" in data, f"{name}: the section should say File mode only"
        else:
            assert "Pipe" in data and "File mode only" not in data, f"{name}: the section should allow Pipe"


def test_table_and_sections_agree_on_training_hardware(page, algorithms):
    for name, section in algorithm_sections(page).items():
        hardware = algorithms[name]["Training hardware"]
        instance = bullet(section, "Instance type")
        first = re.match(r"train on (CPU|GPU)(?: only)?(?: or (CPU|GPU))?", instance)
        assert first, f"{name}: the instance type should start 'train on CPU/GPU'"
        assert set(filter(None, first.groups())) == processors(hardware), f"{name}: CPU/GPU disagree"
        if "one instance" in hardware:
            assert "one instance" in instance, f"{name}: the table says one instance, the section doesn't"
        assert re.search(r"\bml\.[a-z]\d|\b[PCMG]\d\b|p\*\.xlarge", instance), \
            f"{name}: the instance type should name an instance family"


def test_every_section_says_what_its_hyperparameters_do(page):
    for name, section in algorithm_sections(page).items():
        if name == "XGBoost":  # a table with a "What it does" column instead
            table = section.tables()[0]
            assert table[0][:2] == ["Hyperparameter", "What it does"]
            continue
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", bullet(section, "Hyperparameters")) if s]
        assert len(sentences) >= 2, f"{name}: list the hyperparameters and say what they do"


# -- the data-format notes against the table ------------------------------------------------


def test_file_mode_only_list_matches_the_table(page, algorithms):
    text = Section(page, "data-formats").text()
    listed = re.search(r"\. ([^.]+?) train in File mode only", text)
    assert listed, "the data-formats section lists the File-mode-only algorithms"
    named = {part.strip() for part in re.split(r",| and ", listed[1]) if part.strip()}
    assert named == {name for name, row in algorithms.items() if row["Input mode"] == "File"}


def test_data_format_table_matches_the_algorithm_table(page, algorithms):
    table = Section(page, "data-formats").tables()[0]
    assert table[0] == ["Format", "Where it matters"]
    reads = {name: formats(row["Training input"]) for name, row in algorithms.items()}
    checked = 0
    for about, where in table[1:]:
        fmt = formats(about)
        assert fmt, f"no known format in {about!r}"
        named = {name for name in algorithms if name in where}
        readers = {name for name, read in reads.items() if fmt <= read}
        if "none of the built-ins" in where:
            assert not readers, f"{about}: {sorted(readers)} read it"
        elif "the only format for" in where:
            assert named == {name for name, read in reads.items() if read == fmt}, about
        elif named and len(fmt) == 1:
            assert named == readers, f"{about}: the table has {sorted(readers)}"
        elif named:
            assert named <= readers, f"{about}: {sorted(named - readers)} don't read it"
        else:
            continue
        checked += 1
    assert checked >= 5, "most rows of the format table name the built-ins that read the format"
