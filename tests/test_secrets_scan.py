"""The secret scan (blogtools.commands.secrets) finds planted secrets in built sites, names the file
the author fixes, lets a false positive through only by its fingerprint in the settings, and finds
the real site clean."""

from __future__ import annotations

import os
import re

import pytest

from blogtools.commands import secrets
from blogtools.commands.settings import load_settings
from blogtools.errors import display_path
from tests.conftest import PUBLISH_SETTINGS, SETTINGS

# Planted values, split so this file holds no secret-looking literal itself.
KEY_ID = "AKIA" + "Q7ZB2M4XN6PLK3RT"
SECRET_KEY = "k9Qe2" + "Lr7Tz/Vb4Xw1Ny8Mc3Ud6Hs0Jf5Ga+Pq2Wo"  # 40 characters, as AWS makes them
PRIVATE_KEY = "\n".join([
    "-----BEGIN OPENSSH " + "PRIVATE KEY-----",
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
    "QyNTUxOQAAACBvZ3N0dWJzdHVic3R1YnN0dWJzdHVic3R1YnN0dWIAAAAA",
    "-----END OPENSSH " + "PRIVATE KEY-----",
    "",
])


ALLOW_HINT = re.compile(r'add "([0-9a-f]+)" to SECRETS_ALLOW')


def settings_of(site, **overrides) -> dict:
    """The settings the tiny site was built with (TinySite.build's overrides)."""
    return load_settings(SETTINGS, PATH=str(site.content), CACHE_PATH=str(site.root / "cache"),
                         SOURCEMAP_PATH=str(site.root / "sources.json"), **overrides)


def built(site):
    """The site built with its planted secrets allowed, so that the scans below find them in
    the output: the build itself stops on them (test_a_secret_fails_the_build...)."""
    result = site.build()
    allowed = {fingerprint: "planted by the test" for problem in result.problems
               for fingerprint in ALLOW_HINT.findall(problem)}
    if allowed:
        result = site.build(SECRETS_ALLOW=allowed)
    assert result.ok, result.problems
    return result.output


def test_a_secret_fails_the_build_on_its_markdown_line_and_keeps_the_last_good_site(tiny_site):
    post = tiny_site.post("deploying", "Nothing to see.")
    assert tiny_site.build().ok
    before = (tiny_site.output / "posts/deploying/index.html").read_bytes()
    post.write_text(post.read_text().replace("Nothing to see.", f"Access key {KEY_ID}."))
    result = tiny_site.build()
    assert not result.ok
    assert result.problems == [
        f"{display_path(post)}:6: AWS access key id {hint(secrets.fingerprint(KEY_ID))}"]
    assert (tiny_site.output / "posts/deploying/index.html").read_bytes() == before
    allowed = tiny_site.build(SECRETS_ALLOW={secrets.fingerprint(KEY_ID): "a test key"})
    assert allowed.ok, allowed.problems


def hint(fingerprint: str, *, file: bool = False) -> str:
    allow = f'add "{fingerprint}" to SECRETS_ALLOW in pelicanconf.py'
    if file:
        return f"(remove the file; if it is meant to be public, {allow})"
    return f"(remove it, and revoke it where it was issued; if it is not a secret, {allow})"


def test_an_aws_key_pasted_into_a_post_is_reported_once_on_its_markdown_line(tiny_site):
    post = tiny_site.post("deploying", "\n".join([
        "My keys, for the record:",
        "",
        f"Access key {KEY_ID}.",
        "",
        "```ini",
        "[default]",
        f"aws_secret_access_key = {SECRET_KEY}",
        "```",
    ]), tags=["aws"])
    output = built(tiny_site)
    # The key is on the post, the home page, the tag page and every feed: reported once, in the Markdown.
    assert sum(KEY_ID in p.read_text(errors="replace") for p in output.rglob("*") if p.is_file()) > 3

    findings = secrets.scan_site(output, settings_of(tiny_site), shown_as="output")

    where = display_path(post)
    assert [f.format() for f in findings] == [
        f"{where}:9: AWS access key id {hint(secrets.fingerprint(KEY_ID))}",
        f"{where}:13: AWS secret access key {hint(secrets.fingerprint(SECRET_KEY))}",
    ]


def test_a_private_key_block_in_a_static_file_names_the_content_file(tiny_site):
    tiny_site.post("a")
    copied = tiny_site.write("extra/deploy-notes.txt", "Keep this safe:\n" + PRIVATE_KEY)
    output = built(tiny_site)

    findings = secrets.scan_site(output, settings_of(tiny_site), shown_as="output")

    assert [(f.path, f.line, f.kind) for f in findings] == [(display_path(copied), 2, "private key block")]


def test_two_private_keys_have_two_fingerprints(tiny_site):
    tiny_site.post("a")
    tiny_site.write("extra/one.txt", PRIVATE_KEY)
    tiny_site.write("extra/two.txt", PRIVATE_KEY.replace("QyNTUxOQ", "QyNTUxOw"))
    findings = secrets.scan_site(built(tiny_site), settings_of(tiny_site))
    assert len({f.fingerprint for f in findings}) == 2


def test_a_stray_credentials_file_is_reported_by_its_name_and_its_contents(tiny_site):
    tiny_site.post("a")
    stray = tiny_site.write("images/credentials", f"[default]\naws_access_key_id = {KEY_ID}\n"
                                                  f"aws_secret_access_key = {SECRET_KEY}\n")
    output = built(tiny_site)

    findings = secrets.scan_site(output, settings_of(tiny_site), shown_as="output")

    where = display_path(stray)
    assert [f.format() for f in findings] == [
        f"{where}:1: an AWS credentials file {hint(secrets.fingerprint('file:images/credentials'), file=True)}",
        f"{where}:2: AWS access key id {hint(secrets.fingerprint(KEY_ID))}",
        f"{where}:3: AWS secret access key {hint(secrets.fingerprint(SECRET_KEY))}",
    ]


def test_a_finding_in_a_built_file_without_a_source_names_the_built_file(tmp_path):
    site = tmp_path / "site"
    (site / "js").mkdir(parents=True)
    (site / "js" / "app.js").write_text(f'const token = "ghp_{"x9Kq" * 9}";\n')
    findings = secrets.scan(site, shown_as="output")
    assert [(f.path, f.line, f.kind) for f in findings] == [("output/js/app.js", 1, "GitHub Token")]


def test_a_baselined_false_positive_is_allowed_and_nothing_else(tiny_site):
    tiny_site.post("keys", f"A made-up key for the diagram: {KEY_ID}.\n\nAnd a real one: ASIA{'R8TW3ZK5MN2QXV7B'}.")
    tiny_site.post("docs", "AWS's own example: AKIAIOSFODNN7EXAMPLE.")
    output = built(tiny_site)
    first = secrets.scan_site(output, settings_of(tiny_site))
    assert sorted(f.kind for f in first) == ["AWS access key id", "AWS access key id"]

    allowed = settings_of(tiny_site, SECRETS_ALLOW={secrets.fingerprint(KEY_ID): "made up, for the diagram"})
    findings = secrets.scan_site(output, allowed)

    assert [f.fingerprint for f in findings] == [secrets.fingerprint("ASIA" + "R8TW3ZK5MN2QXV7B")]


def test_a_rewritten_file_is_scanned_again_despite_the_cache(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    page = site / "index.html"
    page.write_text("<p>Nothing here.</p>\n")
    cache = tmp_path / "cache" / "secrets-clean.json"
    assert secrets.scan(site, cache=cache) == []
    assert secrets.scan(site, cache=cache) == []
    page.write_text(f"<p>Oops: {KEY_ID}</p>\n")
    os.utime(page, ns=(page.stat().st_mtime_ns + 1_000_000, page.stat().st_mtime_ns + 1_000_000))
    assert [f.kind for f in secrets.scan(site, cache=cache)] == ["AWS access key id"]


def test_the_command_stops_with_one_line_per_secret(tiny_site, capsys):
    tiny_site.post("a", f"Key: {KEY_ID}")
    conf = tiny_site.settings_file()
    built(tiny_site)
    assert secrets.main(["-s", str(conf), str(tiny_site.output)]) == 1
    err = capsys.readouterr().err
    assert f"{display_path(tiny_site.content / 'posts' / 'a.md')}:6: AWS access key id (" in err
    assert "nothing was published" in err


@pytest.mark.parametrize("fixture", ["site", "published_site"])
def test_the_real_site_scans_clean(fixture, request):
    output = request.getfixturevalue(fixture)
    settings = load_settings(PUBLISH_SETTINGS if fixture == "published_site" else SETTINGS)
    assert [f.format() for f in secrets.scan(output, allow=settings["SECRETS_ALLOW"])] == []


def test_the_faster_patterns_still_match_what_detect_secrets_matches():
    originals = {p.pattern: p for d in secrets._detectors() for p in d.denylist}
    assert set(secrets.LOOSER) <= set(originals), "detect-secrets changed a pattern: update LOOSER"
    samples = ["x AKC" + "a1" * 8 + " ", '"AP3' + "b2" * 6 + '"', "0a" * 16 + "-us12", "123456789:" + "Ab_-" * 9,
               "sk_live_" + "0aB" * 8, "xoxb-1234-5678-abcd", "https://hooks.slack.com/services/T0A/B0B/c0c"]
    for original, looser in secrets.LOOSER.items():
        matching = [s for s in samples if originals[original].search(s)]
        assert matching, f"no sample for {original}"
        assert all(re.search(looser, s) for s in matching)


@pytest.mark.parametrize("dry_run", [True, False])
def test_publish_stops_on_a_secret_and_deploys_nothing(tiny_site, tmp_path, dry_run):
    from tests.publishing import publish_tiny, two_posts, with_about_page

    with_about_page(tiny_site)
    two_posts(tiny_site)
    post = tiny_site.post("keys", f"Access key {KEY_ID}.", date="2021-03-01T00:00:00Z")
    dest, lines = tmp_path / "live", []
    code = publish_tiny(tiny_site, "local", dest=dest, dry_run=dry_run, lines=lines)
    assert code == 1
    assert f"{display_path(post)}:6: AWS access key id (" in "\n".join(lines)
    assert lines[-1].startswith("Build failed: 1 problem(s). Nothing was published.")
    assert not dest.exists()
