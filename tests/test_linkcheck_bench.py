"""The benchmark's generated site: ours finds exactly the planted problems; the table renders."""

from __future__ import annotations

from blogtools.bench_linkcheck import PLANTED_KINDS, generate_site, to_markdown
from blogtools.linkcheck import Options, check_site


def test_generated_site_has_exactly_the_planted_problems(tmp_path):
    info = generate_site(tmp_path / "site", 40, seed=3)
    assert sorted(p["kind"] for p in info["planted"]) == sorted(PLANTED_KINDS)
    report = check_site(str(tmp_path / "site"), Options(jobs=1))
    assert sorted(p.source for p in report.broken) == sorted(p["page"] for p in info["planted"])
    assert report.warnings == []


def test_to_markdown_table():
    rows = [
        {"size": 100, "checker": "ours (blogtools.linkcheck)", "version": "", "median_s": 0.31,
         "ratio": 1.0, "reported": 5, "planted": 5, "note": "all planted found, no false positives"},
        {"size": 100, "checker": "lychee", "median_s": None, "ratio": None, "reported": None,
         "planted": 5, "note": "not installed (pip install -r requirements-bench.txt)"},
    ]
    assert to_markdown(rows) == (
        "| pages | checker | median (s) | vs ours | reported / planted | note |\n"
        "| ---: | --- | ---: | ---: | ---: | --- |\n"
        "| 100 | ours (blogtools.linkcheck) | 0.31 | 1.0x | 5 / 5 |"
        " all planted found, no false positives |\n"
        "| 100 | lychee | - | - | - | not installed (pip install -r requirements-bench.txt) |\n")
