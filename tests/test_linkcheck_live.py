"""linkcheck.live: a few rewritten pages checked again against the kept pass, as a full pass would judge them."""

from __future__ import annotations

from blogtools.linkcheck import Options, check_site
from blogtools.linkcheck.live import recheck
from tests.linkcheck_helpers import make_site, page


def kept_site(tmp_path, files):
    site = make_site(tmp_path / "site", files)
    report = check_site(str(site), Options(keep=True, jobs=1))
    assert not report.broken, report.broken
    return site, report.kept


FILES = {
    "index.html": page('<a href="a.html#setup">setup</a> <a href="b.html">b</a>'),
    "a.html": page('<h2 id="setup">Setup</h2><a href="index.html">home</a>'),
    "b.html": page('<p id="b">b</p><a href="a.html">a</a>'),
}


def agrees_with_full_pass(tmp_path, site, changed):
    """What recheck says is what a full pass over the rewritten folder says."""
    for path, data in changed.items():
        (site / path).write_bytes(data)
    return not check_site(str(site), Options(jobs=1)).broken


def test_a_clean_rewrite_passes_and_the_results_follow_it(tmp_path):
    site, kept = kept_site(tmp_path, FILES)
    changed = {"b.html": page('<p id="b">b, edited</p><a href="a.html#setup">a</a>').encode()}
    again = recheck(kept, changed)
    assert again is not None and agrees_with_full_pass(tmp_path, site, changed)
    assert again.results["b.html"][5]  # its new fragment link is kept for the next recheck
    assert kept.results["b.html"] != again.results["b.html"]  # the old pass is left as it was


def test_a_link_to_a_missing_file_or_fragment_fails(tmp_path):
    site, kept = kept_site(tmp_path, FILES)
    for body in ('<a href="nowhere.html">x</a>', '<a href="a.html#nothing">x</a>',
                 '<a href="#self-missing">x</a>'):
        changed = {"b.html": page(body).encode()}
        assert recheck(kept, changed) is None, body


def test_a_removed_id_that_another_page_links_to_fails(tmp_path):
    site, kept = kept_site(tmp_path, FILES)
    changed = {"a.html": page('<h2 id="set-up">Setup</h2><a href="index.html">home</a>').encode()}
    assert recheck(kept, changed) is None
    assert not agrees_with_full_pass(tmp_path, site, changed)


def test_a_new_id_nobody_links_to_passes(tmp_path):
    site, kept = kept_site(tmp_path, FILES)
    changed = {"a.html": page('<h2 id="setup">Setup</h2><h2 id="more">More</h2>'
                              '<a href="index.html">home</a>').encode()}
    assert recheck(kept, changed) is not None
    assert agrees_with_full_pass(tmp_path, site, changed)


def test_a_file_the_pass_did_not_see_is_for_a_full_pass(tmp_path):
    _, kept = kept_site(tmp_path, FILES)
    assert recheck(kept, {"c.html": page("new").encode()}) is None


def test_a_check_that_also_checks_external_links_is_not_kept_for_rechecks(tmp_path):
    site = make_site(tmp_path / "site", FILES)
    report = check_site(str(site), Options(keep=True, jobs=1, external=False))
    assert recheck(report.kept, {"b.html": FILES["b.html"].encode()}) is not None
    external = type(report.kept)(report.kept.site, Options(external=True), report.kept.results)
    assert recheck(external, {"b.html": FILES["b.html"].encode()}) is None


def test_without_keep_nothing_is_kept(tmp_path):
    site = make_site(tmp_path / "site", FILES)
    assert check_site(str(site), Options(jobs=1)).kept is None


def test_results_read_from_the_parse_cache_are_kept_alike(tmp_path):
    site = make_site(tmp_path / "site", FILES)
    cache = str(tmp_path / "parsed.pickle")
    check_site(str(site), Options(jobs=1, parse_cache=cache))
    kept = check_site(str(site), Options(keep=True, jobs=1, parse_cache=cache)).kept
    assert recheck(kept, {"b.html": page('<a href="a.html#setup">a</a>').encode()}) is not None
    assert recheck(kept, {"b.html": page('<a href="a.html#gone">a</a>').encode()}) is None
