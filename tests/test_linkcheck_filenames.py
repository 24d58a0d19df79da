"""File names are read and resolved byte for byte, as a Linux web server opens them.

Linux stores a file name as bytes; a URL's path is percent-decoded to bytes and
opened as it is, so ``café`` written in NFC (``caf%C3%A9``) and in NFD
(``cafe%CC%81``) name two different files. No Unicode normalisation anywhere:
a file stored with an NFD name is read like any other, and a link must spell
its name the same way to reach it.
"""

from __future__ import annotations

import functools
import os
import threading
import urllib.error
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest

from tests.linkcheck_helpers import make_site, page, run_json

NFC = "caf\u00e9"      # é as one code point
NFD = "cafe\u0301"     # e + combining acute accent


def broken_targets(data: dict) -> list[str]:
    return [b["target"] for b in data["broken"]]


def test_a_file_stored_with_an_nfd_name_is_read(tmp_path):
    site = make_site(tmp_path / "out", {
        "index.html": page(f'<a href="{NFD}.html">nfd</a>'),
        f"{NFD}.html": page('<h2 id="s">s</h2><a href="missing.html">m</a>'),
    })
    code, data = run_json(str(site))
    assert code == 1
    # Read, not "cannot read": its own broken link is found, on its own name.
    assert [(b["source"], b["target"], b["reason"]) for b in data["broken"]] == [
        (f"{NFD}.html", "missing.html", "file not found: missing.html")]
    assert data["files"] == 2


@pytest.mark.parametrize("stored, good, bad", [
    (NFD, [NFD, quote(NFD)], [NFC, quote(NFC)]),
    (NFC, [NFC, quote(NFC)], [NFD, quote(NFD)]),
])
def test_a_link_must_spell_the_name_as_stored(tmp_path, stored, good, bad):
    links = " ".join(f'<a href="{name}.html">x</a>' for name in good + bad)
    site = make_site(tmp_path / "out", {"index.html": page(links), f"{stored}.html": page("c")})
    code, data = run_json(str(site))
    assert code == 1
    assert broken_targets(data) == [f"{name}.html" for name in bad]
    for problem in data["broken"]:
        assert problem["reason"].startswith("file not found: ")
        # The near miss is suggested with the stored name's bytes spelled out.
        assert problem["suggestion"] == f"{quote(stored)}.html" or (
            stored == NFC and problem["suggestion"] == f"{stored}.html"), problem


def test_nfc_and_nfd_names_are_two_files(tmp_path):
    site = make_site(tmp_path / "out", {
        "index.html": page(
            f'<a href="{NFC}/#only-nfc">1</a> <a href="{NFD}/#only-nfd">2</a>\n'
            f'<a href="{NFC}/#only-nfd">3</a> <a href="{NFD}/#only-nfc">4</a>'),
        f"{NFC}/index.html": page('<h2 id="only-nfc">c</h2>'),
        f"{NFD}/index.html": page('<h2 id="only-nfd">d</h2>'),
    })
    code, data = run_json(str(site))
    assert code == 1
    assert broken_targets(data) == [f"{NFC}/#only-nfd", f"{NFD}/#only-nfc"]
    assert [b["reason"] for b in data["broken"]] == [
        f"fragment #only-nfd not found in {NFC}/index.html",
        f"fragment #only-nfc not found in {NFD}/index.html"]


def test_a_name_that_is_not_utf8_is_matched_by_its_bytes(tmp_path):
    site = make_site(tmp_path / "out", {
        "index.html": page('<a href="%FF.html">latin-1 y</a> <a href="%FE.html">other byte</a>'),
    })
    with open(os.path.join(os.fsencode(site), b"\xff.html"), "wb") as fh:
        fh.write(page('<a href="gone.html">g</a>').encode())
    code, data = run_json(str(site))
    assert code == 1
    assert sorted((b["source"], b["target"]) for b in data["broken"]) == [
        ("index.html", "%FE.html"), ("\udcff.html", "gone.html")]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_verdicts_match_a_static_server_on_linux(tmp_path):
    # Oracle: Python's static file server (no normalisation either), fetched the
    # way a browser sends each link: non-ASCII as UTF-8, percent-encoded.
    names = {NFC: "c", NFD: "d"}
    hrefs = [f"{n}.html" for n in names] + [f"{quote(n)}.html" for n in names] + [
        f"{n}/" for n in names] + ["Caf\u00e9.html"]
    files = {"index.html": page(" ".join(f'<a href="{h}">x</a>' for h in hrefs))}
    files[f"{NFD}.html"] = page("d")
    files[f"{NFC}/index.html"] = page("c")
    site = make_site(tmp_path / "out", files)
    _, data = run_json(str(site))
    checker_broken = set(broken_targets(data))
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        served_broken = set()
        for href in hrefs:
            url = f"http://127.0.0.1:{server.server_address[1]}/" + quote(href, safe="/%")
            try:
                urllib.request.urlopen(url, timeout=10).close()
            except urllib.error.HTTPError as error:
                assert error.code == 404
                served_broken.add(href)
    finally:
        server.shutdown()
        server.server_close()
    assert served_broken == {f"{NFC}.html", f"{quote(NFC)}.html", f"{NFD}/", "Caf\u00e9.html"}
    assert checker_broken == served_broken
