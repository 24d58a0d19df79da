"""The command line: exit codes 0/1/2, the JSON contract, python -m, main(argv)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.linkcheck_helpers import make_site, page, run

ROOT = Path(__file__).resolve().parent.parent


def test_exit_0_when_clean_and_1_when_broken(tmp_path):
    clean = make_site(tmp_path / "clean", {"index.html": page('<a href="#">x</a>')})
    bad = make_site(tmp_path / "bad", {"index.html": page('<a href="nope.html">x</a>')})
    assert run(str(clean))[0] == 0
    assert run(str(bad))[0] == 1


@pytest.mark.parametrize("argv, message", [
    ([], "the following arguments are required: SITE_DIR"),
    (["{missing}"], "is not a directory"),
    (["{site}", "--format", "xml"], "invalid choice: 'xml'"),
    (["{site}", "--exclude", "("], "invalid --exclude regex '('"),
    (["{site}", "--base-url", "example.org"], "--base-url must be an http(s) URL"),
    (["{site}", "--timeout", "0"], "must be > 0"),
    (["{site}", "--bogus"], "unrecognized arguments: --bogus"),
])
def test_usage_errors_exit_2(tmp_path, argv, message):
    site = make_site(tmp_path / "out", {"index.html": page("x")})
    argv = [a.format(site=site, missing=tmp_path / "missing") for a in argv]
    code, out, err = run(*argv)
    assert (code, out) == (2, "")
    assert err.startswith("usage: python -m blogtools.linkcheck")
    assert message in err


def test_json_contract(tmp_path):
    site = make_site(tmp_path / "out", {
        "index.html": page('<a href="gone.html">x</a>\n<a href="b.html">b</a>'),
        "b.html": page("b"),
        "gone-page.html": page("g"),
    })
    code, out, err = run(str(site), "--format", "json")
    assert (code, err) == (1, "")
    data = json.loads(out)
    assert data == {
        "broken": [{
            "source": "index.html", "line": 4, "column": 10, "target": "gone.html",
            "reason": "file not found: gone.html", "kind": "a[href]",
            "content_source": None, "content_line": None, "suggestion": "gone-page.html",
        }],
        "warnings": [],
        "checked": 2,
        "files": 3,
        "skipped": 0,
        "external_unchecked": 0,
    }


def test_python_dash_m_runs_the_checker(tmp_path):
    site = make_site(tmp_path / "out", {"index.html": page('<a href="nope/">x</a>')})
    proc = subprocess.run([sys.executable, "-m", "blogtools.linkcheck", str(site)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1
    assert proc.stdout == ("index.html\n  index.html:4:10: a[href] nope/: file not found: nope/\n"
                           "\nChecked 1 link in 1 file: 1 broken.\n")
    proc = subprocess.run([sys.executable, "-m", "blogtools.linkcheck"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2


def test_parallel_and_serial_parse_agree(tmp_path, monkeypatch):
    from blogtools.linkcheck import checker

    files = {f"p{i}/index.html": page(f'<h2 id="s{i}">x</h2><a href="../p{(i + 1) % 200}/#s{i}">n</a>')
             for i in range(200)}
    site = make_site(tmp_path / "out", files)
    monkeypatch.setattr(checker, "PARALLEL_MIN_BYTES", 1)  # a pool even for this small site
    serial = run(str(site), "--format", "json", "--jobs", "1")
    parallel = run(str(site), "--format", "json", "--jobs", "2")
    assert serial == parallel
    assert serial[0] == 1
    assert len(json.loads(serial[1])["broken"]) == 200


def test_unreadable_and_odd_files_do_not_crash(tmp_path):
    site = make_site(tmp_path / "out", {
        "empty.html": "",
        "latin1.html": "<p id='caf\xe9'>x</p><a href='#caf\xe9'>y</a>".encode("latin-1"),
        "broken.xml": "<feed><entry>",
        "binary.html": b"\x00\x01\x02<a href='x'>",
        "robots.txt": "Sitemap:\n",
    })
    code, out, _ = run(str(site), "--format", "json")
    data = json.loads(out)
    assert [b["target"] for b in data["broken"]] == ["x"]


def test_help_returns_0(capsys):
    from blogtools.linkcheck import main

    assert main(["--help"]) == 0
    assert "usage: python -m blogtools.linkcheck" in capsys.readouterr().out
