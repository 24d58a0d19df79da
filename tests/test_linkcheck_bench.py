"""The benchmark's generated site: ours finds exactly the planted problems; the table renders."""

from __future__ import annotations

from benchmarks.linkcheck import PLANTED_KINDS, generate_site, to_markdown
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
         "ratio": 1.0, "reported": 5, "found": 5, "planted": 5,
         "note": "all planted found, no false positives"},
        {"size": 100, "checker": "lychee", "median_s": None, "ratio": None, "reported": None,
         "planted": 5, "note": "not installed (pip install -r requirements-bench.txt)"},
    ]
    assert to_markdown(rows) == (
        "| pages | checker | median (s) | vs ours | planted found | reported | note |\n"
        "| ---: | --- | ---: | ---: | ---: | ---: | --- |\n"
        "| 100 | ours (blogtools.linkcheck) | 0.31 | 1.0x | 5 / 5 | 5 |"
        " all planted found, no false positives |\n"
        "| 100 | lychee | - | - | - | - | not installed (pip install -r requirements-bench.txt) |\n")


def test_output_readers():
    from pathlib import Path
    from types import SimpleNamespace

    from benchmarks.linkcheck import _htmlproofer_pages, _linkchecker_pages

    site = Path("/srv/site")
    proofer = SimpleNamespace(stdout="", stderr=(
        "- /srv/site/a/index.html\n  *  internally linking to x, which does not exist (line 2)\n"
        "     <a href=\"x\">x</a>\n  *  linking to internal hash #y that does not exist\n"
        "- /srv/site/b.html\n  *  internal image i.png does not exist (line 1)\n\n"
        "HTML-Proofer found 3 failures!\n"))
    assert _htmlproofer_pages(site, proofer) == ["a/index.html", "a/index.html", "b.html"]
    checker = SimpleNamespace(stdout=(
        "# comment\nurlname;parentname;base;result;warningstring;infostring;valid;url\n"
        "x;file:///srv/site/a.html;;err;;;False;file:///srv/site/x\n"
        "y;file:///srv/site/b.html;;ok;;;True;file:///srv/site/y\n"
        "c.html#z;file:///srv/site/c.html;;ok;Anchor `z' (file:///srv/site/c.html) not found.;"
        ";True;file:///srv/site/c.html#z\n"), stderr="")
    assert _linkchecker_pages(site, checker) == ["a.html", "c.html"]


def test_the_other_shapes_have_exactly_the_planted_problems(tmp_path):
    from benchmarks.linkcheck import SHAPES

    for shape, size in (("dense", 30), ("large", 0)):
        site = tmp_path / shape
        info = SHAPES[shape][0](site, size, seed=4)
        assert sorted(p["kind"] for p in info["planted"]) == sorted(PLANTED_KINDS)
        pages = sorted(site.rglob("*.html"))
        assert len(pages) == info["pages"]
        largest = max(p.stat().st_size for p in pages)
        assert largest > 900_000 if shape == "large" else largest < 100_000
        if shape == "dense":
            assert min(p.read_text().count("<a ") for p in pages[1:]) > 300
        report = check_site(str(site), Options(jobs=2))
        assert sorted(p.source for p in report.broken) == \
            sorted(p["page"] for p in info["planted"])


def test_to_markdown_with_shapes():
    rows = [{"shape": "dense", "size": 1000, "pages": 1001, "checker": "lychee", "median_s": 7.9,
             "ratio": 3.95, "reported": 5, "found": 5, "planted": 5, "note": "ok"}]
    assert to_markdown(rows).splitlines() == [
        "| site | pages | checker | median (s) | vs ours | planted found | reported | note |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | --- |",
        "| dense | 1001 | lychee | 7.90 | 4.0x | 5 / 5 | 5 | ok |"]
