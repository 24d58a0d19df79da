"""What the author sees from the secret scan (blogtools.commands.secrets), case by case: each
planted secret reported once, on the content file and line to fix, with the fingerprint that
allows it; look-alikes, binary files and allowed values left alone; the command's exit code
and lines. Unit-level: the built folders are written by hand, as Pelican lays them out.

Every planted value is built at runtime, so this file holds no secret-looking literal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from blogtools.commands import secrets
from blogtools.errors import display_path
from tests.conftest import ROOT, TinySite
from tests.linkcheck_helpers import make_site

KEY_ID = "AKIA" + "Q7ZB2M4XN6PLK3RT"
OTHER_KEY_ID = "ASIA" + "R8TW3ZK5MN2QXV7B"
SECRET_KEY = "k9Qe2" + "Lr7Tz/Vb4Xw1Ny8Mc3Ud6Hs0Jf5Ga+Pq2Wo"
GITHUB_TOKEN = "ghp_" + "Zq4Lp8Xw2Nb6Rt1Vm9Kc3Hy7Ua5Sd0Fg2Jh6"
NPM_TOKEN = "npm_" + "Zq4Lp8Xw2Nb6Rt1Vm9Kc3Hy7Ua5Sd0Fg2Jh6"
ARTIFACTORY_KEY = "AKC" + "p8Qz3Lm5Rt7Vx2Nb"
HEADER = "-----BEGIN RSA " + "PRIVATE KEY-----"
FOOTER = "-----END RSA " + "PRIVATE KEY-----"
BODY = ["MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
        "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
        "LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo"]
KEY_BLOCK = [HEADER, *BODY, FOOTER]


def fix_it(fingerprint: str) -> str:
    return (f'(remove it, and revoke it where it was issued; if it is not a secret, add "{fingerprint}" '
            f"to SECRETS_ALLOW in pelicanconf.py)")


def remove_file(fingerprint: str) -> str:
    return f'(remove the file; if it is meant to be public, add "{fingerprint}" to SECRETS_ALLOW in pelicanconf.py)'


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (relative path -> text or bytes) under ``folder``; return ``folder``."""
    return make_site(folder, files)


def where(findings) -> list[tuple[str, int, str]]:
    return [(f.path, f.line, f.kind) for f in findings]


# --- what is found, and the fingerprint the author is told to allow ---------------------------

def test_an_aws_key_in_a_built_file_is_reported_with_its_line_and_fingerprint(tmp_path):
    """The message names the file and line, what it is, how to fix it, and the value's fingerprint."""
    site = write(tmp_path / "site", {"notes.txt": f"Deploy notes\n\nThe key: {KEY_ID}\n"})
    findings = secrets.scan(site, shown_as="output")
    assert [f.format() for f in findings] == [
        f"output/notes.txt:3: AWS access key id {fix_it(secrets.fingerprint(KEY_ID))}"]
    assert findings[0].built == "notes.txt"
    assert not findings[0].is_file


def test_fingerprints_stay_the_same_from_release_to_release():
    """SECRETS_ALLOW entries in pelicanconf.py keep allowing what they allowed."""
    assert secrets.fingerprint("file:.env") == "32255c3dc3c98cc8"
    assert secrets.fingerprint("file:keys/id_rsa") == "dda35a8c3e3e36f2"


@pytest.mark.parametrize(("line", "kind", "secret"), [
    (f"artifactory = {ARTIFACTORY_KEY} for CI", "Artifactory Credentials", ARTIFACTORY_KEY),
    ('token: "AP3' + 'k7Hw2Qp9Zt4Lm"', "Artifactory Credentials", "AP3" + "k7Hw2Qp9Zt4Lm"),
    ("mailchimp f3a9c1e7b2d4" + "0a8c6e1f3b5d7a9c2e4f-us12", "Mailchimp Access Key",
     "f3a9c1e7b2d4" + "0a8c6e1f3b5d7a9c2e4f-us12"),
    ("bot 123456789:" + "AAH7kq2Lp9Zx4Vb1Nm6Rt3Yw8Uc5Se0Do2F", "Telegram Bot Token",
     "123456789:" + "AAH7kq2Lp9Zx4Vb1Nm6Rt3Yw8Uc5Se0Do2F"),
    ("stripe sk_live_" + "Zq4Lp8Xw2Nb6Rt1Vm9Kc3Hy7", "Stripe Access Key", "sk_live_" + "Zq4Lp8Xw2Nb6Rt1Vm9Kc3Hy7"),
    ("slack xoxb-" + "1234567890-0987654321-q8w2e4r6t1y3u5", "Slack Token",
     "xoxb-" + "1234567890-0987654321-q8w2e4r6t1y3u5"),
    ('<a href="https://hooks.slack.com/services/' + 'T0A1B2C3D/B9Z8Y7X6W/q2w4e6r8t1y3u5i7">hook</a>',
     "Slack Token", "https://hooks.slack.com/services/" + "T0A1B2C3D/B9Z8Y7X6W/q2w4e6r8t1y3u5i7"),
    (GITHUB_TOKEN, "GitHub Token", GITHUB_TOKEN),
    (f"//registry.npmjs.org/:_authToken={NPM_TOKEN} # your token", "NPM tokens", f"_authToken={NPM_TOKEN}"),
    (f"const token = '{GITHUB_TOKEN}';", "GitHub Token", GITHUB_TOKEN),
    ("see https://deploy:" + "s3cretPassw0rd@example.com/x", "Basic Auth Credentials", "s3cretPassw0rd"),
    ("jwt eyJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
     "JSON Web Token",
     "eyJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
    (f"aws_secret_access_key = {SECRET_KEY}", "AWS secret access key", SECRET_KEY),
    (f'<span class="n">aws_secret_access_key</span> <span class="o">=</span> <span class="s">{SECRET_KEY}</span>',
     "AWS secret access key", SECRET_KEY),
    (f"{{&quot;SecretAccessKey&quot;: &quot;{SECRET_KEY}&quot;}}", "AWS secret access key", SECRET_KEY),
    ("-----BEGIN ENCRYPTED " + "PRIVATE KEY-----", "private key block", "-----BEGIN ENCRYPTED " + "PRIVATE KEY-----"),
])
def test_each_known_format_is_reported_on_its_line_with_the_secret_fingerprinted(tmp_path, line, kind, secret):
    """Tokens of each service are found on their line, and the fingerprint is the token's
    own (not the words around it), so one allow entry covers it wherever it is pasted."""
    site = write(tmp_path / "site", {"page.html": f"<html>\n<p>Intro</p>\n{line}\n\n</html>\n"})
    findings = secrets.scan(site, shown_as="output")
    assert [(f.path, f.line, f.kind, f.fingerprint) for f in findings] == [
        ("output/page.html", 3, kind, secrets.fingerprint(secret))]


def test_the_same_artifactory_key_in_two_sentences_has_one_fingerprint(tmp_path):
    """Allowing a key once allows it everywhere: the text around it is not part of it."""
    site = write(tmp_path / "site", {"a.txt": f"key = {ARTIFACTORY_KEY} for CI\n",
                                     "b.txt": f'old: "{ARTIFACTORY_KEY}"\n'})
    findings = secrets.scan(site)
    assert len(findings) == 2
    assert {f.fingerprint for f in findings} == {secrets.fingerprint(ARTIFACTORY_KEY)}
    assert secrets.scan(site, allow=[secrets.fingerprint(ARTIFACTORY_KEY)]) == []


def test_an_npm_token_in_a_post_and_its_feeds_is_reported_once_on_the_markdown_line(tmp_path):
    """The page shows the token in <code>, the feed escapes the tag: both lead back to the post."""
    content = write(tmp_path / "content", {"posts/npm.md": f"+++\ntitle = 'x'\n+++\n\nMy npmrc: "
                                                           f"`//registry.npmjs.org/:_authToken={NPM_TOKEN}`\n"})
    site = write(tmp_path / "site", {
        "posts/npm/index.html": f"<p>My npmrc: <code>//registry.npmjs.org/:_authToken={NPM_TOKEN}</code></p>\n",
        "feeds/all.atom.xml": f"<content>&lt;p&gt;My npmrc: &lt;code&gt;//registry.npmjs.org/:_authToken="
                              f"{NPM_TOKEN}&lt;/code&gt;&lt;/p&gt;</content>\n",
    })
    post = content / "posts/npm.md"
    findings = secrets.scan(site, sources={"posts/npm/index.html": str(post)})
    assert where(findings) == [(display_path(post), 5, "NPM tokens")]
    assert secrets.scan(site, allow=[findings[0].fingerprint], sources={"posts/npm/index.html": str(post)}) == []


def test_a_github_token_after_the_word_ghp_is_reported_on_its_own_markdown_line(tmp_path):
    """A post explaining that tokens start with "ghp" and then quoting one points at the token's
    line, with the token's fingerprint (not the fingerprint of "ghp", which would allow them all)."""
    content = write(tmp_path / "content", {"posts/gh.md": "+++\n+++\n\nTokens start with ghp.\n\n"
                                                          f"Mine, ghp: {GITHUB_TOKEN}\n"})
    site = write(tmp_path / "site", {"posts/gh/index.html": "<p>Tokens start with ghp.</p>\n"
                                                            f"<p>Mine, ghp: {GITHUB_TOKEN}</p>\n"})
    post = content / "posts/gh.md"
    findings = secrets.scan(site, sources={"posts/gh/index.html": str(post)})
    assert [(f.path, f.line, f.kind, f.fingerprint) for f in findings] == [
        (display_path(post), 6, "GitHub Token", secrets.fingerprint(GITHUB_TOKEN))]


def test_two_github_tokens_on_one_line_are_two_findings(tmp_path):
    """Allowing one token does not let another on the same line through."""
    other = "ghp_" + "Aq4Lp8Xw2Nb6Rt1Vm9Kc3Hy7Ua5Sd0Fg2Jh7"
    site = write(tmp_path / "site", {"env.txt": f"old {GITHUB_TOKEN}, new {other}, old again {GITHUB_TOKEN}\n"})
    findings = secrets.scan(site, shown_as="o")
    assert sorted(f.fingerprint for f in findings) == sorted(map(secrets.fingerprint, [GITHUB_TOKEN, other]))
    assert [(f.path, f.line) for f in secrets.scan(site, allow=[secrets.fingerprint(GITHUB_TOKEN)], shown_as="o")] \
        == [("o/env.txt", 1)]


def test_a_key_id_followed_by_more_letters_is_reported_once():
    """detect-secrets and our own check both see an AWS key id: the author gets one line, not two."""
    line = f"backup_{KEY_ID}_old and {OTHER_KEY_ID}abc"
    assert secrets.secrets_in_lines([line]) == {
        line: [("AWS access key id", KEY_ID), ("AWS access key id", OTHER_KEY_ID)]}


def test_two_secrets_on_one_line_are_two_findings_in_order_of_kind(tmp_path):
    """Each secret on a line is its own finding (each has its own fingerprint)."""
    site = write(tmp_path / "site", {"x.txt": f"{HEADER} {KEY_ID}\n"})
    findings = secrets.scan(site, shown_as="out")
    assert [(f.path, f.line, f.kind, f.fingerprint) for f in findings] == [
        ("out/x.txt", 1, "AWS access key id", secrets.fingerprint(KEY_ID)),
        ("out/x.txt", 1, "private key block", secrets.fingerprint(HEADER)),
    ]


def test_findings_are_sorted_by_file_then_line_number(tmp_path):
    """Line 9 comes before line 10; the same key on two lines is two findings."""
    lines = ["x"] * 12
    lines[8], lines[9] = KEY_ID, OTHER_KEY_ID
    lines[11] = KEY_ID + " again"
    site = write(tmp_path / "site", {"b.txt": "\n".join(lines), "a.txt": f"one\n{OTHER_KEY_ID}\n"})
    assert where(secrets.scan(site, shown_as="o")) == [
        ("o/a.txt", 2, "AWS access key id"), ("o/b.txt", 9, "AWS access key id"),
        ("o/b.txt", 10, "AWS access key id"), ("o/b.txt", 12, "AWS access key id")]


def test_awss_documented_example_keys_are_never_reported(tmp_path):
    """A post quoting AWS's docs is no leak."""
    example_id, example_secret = "AKIA" + "IOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY"
    site = write(tmp_path / "site", {"docs.txt": f"aws_access_key_id = {example_id}\n"
                                                 f"aws_secret_access_key = {example_secret}\n"})
    assert secrets.scan(site) == []


@pytest.mark.parametrize("text", [
    "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo\n"
    "-----END PUBLIC KEY-----",
    "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n",
    "Access key ids start with AKIA or ASIA, GitHub tokens with ghp_, Slack's with xoxb-.",
    "A short one: AKIA" + "1234 and a test key sk_test_" + "Zq4Lp8Xw2Nb6Rt1Vm9Kc3Hy7.",
    "Webhooks live under https://hooks.slack.com/services/ and need a token.",
    "commit 3f786850e387550fdab836ed7e6dc881de23001b, sha256 "
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "my_secret_key_name = 'short'",
])
def test_look_alikes_are_not_reported(tmp_path, text):
    """Prose about keys, public keys, certificates and hashes are not secrets."""
    site = write(tmp_path / "site", {"post.html": f"<p>\n{text}\n</p>\n"})
    assert secrets.scan(site) == []


# --- private key blocks ------------------------------------------------------------------------

def test_a_private_key_fingerprint_names_the_key_not_its_surroundings(tmp_path):
    """The same key, indented in one file and followed by text in another, is one key to allow;
    keys differing in their first or their last line are two."""
    indented = "\n".join("    " + line for line in KEY_BLOCK)
    first_differs = [HEADER, BODY[0].replace("MIIE", "MIIF"), *BODY[1:], FOOTER]
    last_differs = [HEADER, *BODY[:-1], BODY[-1].replace("0nLV", "0nLW"), FOOTER]
    site = write(tmp_path / "site", {
        "a.txt": "Key:\n" + "\n".join(KEY_BLOCK) + "\n\nThat was it.\n",
        "b.txt": indented + "\nright after the key\nmore text\n",
        "c.txt": "\n".join(first_differs) + "\n",
        "d.txt": "\n".join(last_differs) + "\n",
    })
    findings = secrets.scan(site, shown_as="o")
    assert where(findings) == [(f"o/{name}", line, "private key block")
                               for name, line in [("a.txt", 2), ("b.txt", 1), ("c.txt", 1), ("d.txt", 1)]]
    same = secrets.fingerprint("\n".join([HEADER, *BODY]))
    assert [f.fingerprint for f in findings][:2] == [same, same]
    assert len({f.fingerprint for f in findings}) == 3
    assert secrets.scan(site, allow=[same, findings[2].fingerprint, findings[3].fingerprint]) == []


def test_an_endless_key_block_is_fingerprinted_by_its_first_200_lines(tmp_path):
    """A block without an END line (a truncated paste) stops at 200 lines: what follows
    does not change the key's fingerprint."""
    body = [f"{i:064d}" for i in range(200)]
    site = write(tmp_path / "site", {"a.txt": "\n".join([HEADER, *body, "more"]),
                                     "b.txt": "\n".join([HEADER, *body, "other"])})
    findings = secrets.scan(site)
    assert [f.fingerprint for f in findings] == [secrets.fingerprint("\n".join([HEADER, *body]))] * 2


def test_a_private_key_header_alone_is_reported_with_the_header_as_its_fingerprint(tmp_path):
    """A header without a body (a post explaining the format) is still flagged, and allowed by itself."""
    site = write(tmp_path / "site", {"pem.txt": f"The file starts with\n{HEADER}\n\nand ends with the END line.\n"})
    findings = secrets.scan(site, shown_as="o")
    assert [(f.path, f.line, f.fingerprint) for f in findings] == [("o/pem.txt", 2, secrets.fingerprint(HEADER))]


def test_a_private_key_in_a_post_points_into_the_key_block_of_the_markdown(tmp_path):
    """The header is the same in every key: the key's own last line finds it in the Markdown,
    and the finding points at that line (not at another key's block)."""
    md = ["+++", "title = 'keys'", "+++", "", "Another key first:", "", "```",
          HEADER, "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu", FOOTER, "```",
          "", "Mine:", "", "```", *KEY_BLOCK, "```", ""]
    content = write(tmp_path / "content", {"posts/k.md": "\n".join(md)})
    page = ["<html>", "<p>Mine:</p>", "<pre><code>" + HEADER, *BODY, FOOTER + "</code></pre>"]
    site = write(tmp_path / "site", {"posts/k/index.html": "\n".join(page)})
    post = content / "posts/k.md"
    findings = secrets.scan(site, sources={"posts/k/index.html": str(post)})
    assert len(findings) == 1
    assert findings[0].path == display_path(post)
    assert findings[0].line == md.index(BODY[-1]) + 1


# --- where a finding points ----------------------------------------------------------------------

def test_a_page_points_to_its_own_markdown_and_a_listing_to_the_first_post_holding_it(tmp_path):
    """A post page is fixed in its own Markdown even when another post repeats the key; the home
    page (no Markdown of its own) points to a post that holds it."""
    content = write(tmp_path / "content", {
        "posts/a-old.md": f"+++\n+++\n{KEY_ID}\n",
        "posts/b-new.md": f"+++\ntitle = 'new'\n+++\n\nIntro.\n\nThe key {KEY_ID}.\n",
        "posts/c.md": "+++\n+++\nNothing.\n",
    })
    site = write(tmp_path / "site", {
        "posts/b-new/index.html": f"<p>Intro.</p>\n<p>The key {KEY_ID}.</p>\n",
        "index.html": f"<h1>Home</h1>\n<p>Nothing.</p>\n<p>The key {KEY_ID}.</p>\n",
    })
    sources = {"posts/b-new/index.html": str(content / "posts/b-new.md"),
               "posts/c/index.html": str(content / "posts/c.md"),
               "posts/a-old/index.html": str(content / "posts/a-old.md")}
    findings = secrets.scan(site, sources=sources)
    assert where(findings) == [(display_path(content / "posts/a-old.md"), 3, "AWS access key id"),
                               (display_path(content / "posts/b-new.md"), 7, "AWS access key id")]
    assert {f.built for f in findings} == {"index.html", "posts/b-new/index.html"}


@pytest.mark.parametrize("listing", ["index.html", "archives.htm", "feeds/all.atom.xml", "search.json",
                                     "robots.txt"])
def test_a_listing_or_feed_points_to_the_post_it_repeats(tmp_path, listing):
    """Listings, feeds and indexes repeat posts: the finding is on the post's Markdown line."""
    content = write(tmp_path / "content", {"posts/p.md": f"+++\n+++\n\nKey {KEY_ID}\n"})
    site = write(tmp_path / "site", {listing: f"first line\nKey {KEY_ID}\n"})
    findings = secrets.scan(site, sources={"posts/p/index.html": str(content / "posts/p.md")})
    assert where(findings) == [(display_path(content / "posts/p.md"), 4, "AWS access key id")]


def test_a_script_is_its_own_source(tmp_path):
    """A script or stylesheet (not a listing) is reported in the built file, even if a post quotes the key."""
    content = write(tmp_path / "content", {"posts/p.md": f"+++\n+++\n\nKey {KEY_ID}\n"})
    site = write(tmp_path / "site", {"js/app.js": f"// config\nconst id = '{KEY_ID}';\n"})
    findings = secrets.scan(site, sources={"posts/p/index.html": str(content / "posts/p.md")}, shown_as="output")
    assert where(findings) == [("output/js/app.js", 2, "AWS access key id")]


def test_a_secret_the_markdown_does_not_hold_is_reported_in_the_built_page(tmp_path):
    """When the page's Markdown is gone or does not hold the value, the built page and its line are named."""
    content = write(tmp_path / "content", {"posts/p.md": "+++\n+++\nNo key here.\n"})
    site = write(tmp_path / "site", {"posts/p/index.html": f"<p>No key here.</p>\n<!-- {KEY_ID} -->\n",
                                     "posts/gone/index.html": f"\n\n{OTHER_KEY_ID}\n"})
    sources = {"posts/p/index.html": str(content / "posts/p.md"),
               "posts/gone/index.html": str(content / "posts/gone.md")}
    findings = secrets.scan(site, sources=sources, shown_as="output")
    assert where(findings) == [("output/posts/gone/index.html", 3, "AWS access key id"),
                               ("output/posts/p/index.html", 2, "AWS access key id")]


def test_markdown_with_a_stray_byte_is_still_searched(tmp_path):
    """A post saved with one Latin-1 character still gets its line."""
    post = tmp_path / "content/posts/p.md"
    post.parent.mkdir(parents=True)
    post.write_bytes(b"+++\n+++\ncaf\xe9\n" + f"Key {KEY_ID}\n".encode())
    site = write(tmp_path / "site", {"posts/p/index.html": f"<p>caf\u00e9</p>\n<p>Key {KEY_ID}</p>\n"})
    findings = secrets.scan(site, sources={"posts/p/index.html": str(post)})
    assert where(findings) == [(display_path(post), 4, "AWS access key id")]


def test_findings_name_the_scanned_folder_as_the_author_types_it(tmp_path, monkeypatch):
    """Without ``shown_as``, a built file is named by its path from the current folder."""
    write(tmp_path / "site", {"js/app.js": f"\nconst id = '{KEY_ID}';\n"})
    monkeypatch.chdir(tmp_path)
    assert where(secrets.scan("site")) == [("site/js/app.js", 2, "AWS access key id")]
    assert where(secrets.scan(tmp_path / "site", shown_as="")) == [("/js/app.js", 2, "AWS access key id")]


def test_a_static_file_is_reported_in_content_only_when_copied_unchanged(tmp_path):
    """A file copied from content names the content file (even when a post quotes the same key);
    a built file that differs from the content file of the same name names the built file."""
    content = write(tmp_path / "content", {"extra/notes.txt": f"\n{KEY_ID}\n", "extra/page.txt": "draft\n",
                                           "posts/p.md": f"+++\n+++\nThe key in the notes: {KEY_ID}\n"})
    site = write(tmp_path / "site", {"extra/notes.txt": f"\n{KEY_ID}\n", "extra/page.txt": f"{OTHER_KEY_ID}\n"})
    findings = secrets.scan(site, content=content, shown_as="output",
                            sources={"posts/p/index.html": str(content / "posts/p.md")})
    assert where(findings) == [(display_path(content / "extra/notes.txt"), 2, "AWS access key id"),
                               ("output/extra/page.txt", 1, "AWS access key id")]


# --- credential files by name ----------------------------------------------------------------

@pytest.mark.parametrize(("relative", "kind"), [
    ("credentials", "an AWS credentials file"), ("credentials.json", "a credentials file"),
    (".git-credentials", "a credentials file"), (".netrc", "a credentials file"),
    (".pgpass", "a credentials file"), (".npmrc", "a credentials file"), (".pypirc", "a credentials file"),
    (".htpasswd", "a password file"), (".env", "an environment file"), (".env.production", "an environment file"),
    ("keys/id_rsa", "an SSH private key"), ("id_dsa", "an SSH private key"), ("id_ecdsa", "an SSH private key"),
    ("id_ed25519", "an SSH private key"), ("cert.p12", "a keystore"), ("Backup.PFX", "a keystore"),
    ("a.jks", "a keystore"), ("release.keystore", "a keystore"), ("infra/prod.tfstate", "a Terraform state file"),
])
def test_a_credential_file_copied_to_the_output_is_reported_by_its_name(tmp_path, relative, kind):
    """Even an empty credentials file is reported, on line 1, with its own fingerprint."""
    site = write(tmp_path / "site", {relative: ""})
    findings = secrets.scan(site, shown_as="output")
    assert [f.format() for f in findings] == [
        f"output/{relative}:1: {kind} {remove_file(secrets.fingerprint('file:' + relative))}"]
    assert findings[0].is_file and findings[0].built == relative
    assert secrets.scan(site, allow={secrets.fingerprint("file:" + relative): "public on purpose"}) == []


@pytest.mark.parametrize("name", ["id_rsa.pub", ".envelope.svg", "credentials.txt", "my-credentials",
                                  "env", "netrc.md", "tfstate.html"])
def test_files_whose_names_only_look_like_credentials_are_not_reported(tmp_path, name):
    """A public key, an icon, a post about credentials: nothing to remove."""
    site = write(tmp_path / "site", {name: "nothing secret\n"})
    assert secrets.scan(site) == []


def test_a_credential_file_copied_from_content_names_the_content_file(tmp_path):
    """The author deletes the file in content/, not in the output."""
    content = write(tmp_path / "content", {"extra/.env": "DEBUG=1\n"})
    site = write(tmp_path / "site", {"extra/.env": "DEBUG=1\n"})
    findings = secrets.scan(site, content=content)
    assert where(findings) == [(display_path(content / "extra/.env"), 1, "an environment file")]


# --- binary files, odd files -----------------------------------------------------------------

def test_a_binary_file_is_not_read_as_text(tmp_path):
    """An image that happens to hold key-like bytes is no finding; text read after it still is."""
    site = write(tmp_path / "site", {"a.png": b"\x89PNG\0\0" + KEY_ID.encode() + b"\n",
                                     "sub/page.html": f"<p>{KEY_ID}</p>\n"})
    assert where(secrets.scan(site, shown_as="o")) == [("o/sub/page.html", 1, "AWS access key id")]


def test_a_nul_byte_counts_only_in_the_first_8_kib(tmp_path):
    """A file is binary when a NUL shows up in its first 8192 bytes; later, it is text."""
    early = b"x" * 8191 + b"\0\n" + KEY_ID.encode() + b"\n"
    late = b"x" * 8192 + b"\0\n" + KEY_ID.encode() + b"\n"
    site = write(tmp_path / "site", {"early.dat": early, "late.dat": late})
    assert where(secrets.scan(site, shown_as="o")) == [("o/late.dat", 2, "AWS access key id")]


def test_a_page_with_invalid_utf8_is_still_scanned(tmp_path):
    """A Latin-1 page is read with its odd bytes replaced, lines intact."""
    site = write(tmp_path / "site", {"old.html": b"<p>caf\xe9</p>\n<p>" + KEY_ID.encode() + b"</p>\n"})
    assert where(secrets.scan(site, shown_as="o")) == [("o/old.html", 2, "AWS access key id")]


def test_a_dangling_link_in_the_output_is_skipped(tmp_path):
    """A link to nowhere uploads nothing and stops nothing."""
    site = write(tmp_path / "site", {"page.html": f"\n{KEY_ID}\n"})
    os.symlink(tmp_path / "missing.html", site / "broken.html")
    assert where(secrets.scan(site, shown_as="o")) == [("o/page.html", 2, "AWS access key id")]


def test_an_empty_folder_is_clean(tmp_path):
    (tmp_path / "site").mkdir()
    assert secrets.scan(tmp_path / "site") == []


def test_findings_can_be_compared_as_sets(tmp_path):
    """Two scans of the same folder give the same findings (a tool can diff them as sets)."""
    site = write(tmp_path / "site", {"a.txt": KEY_ID, ".env": ""})
    assert set(secrets.scan(site)) == set(secrets.scan(site))


# --- the cache of clean files ----------------------------------------------------------------

@pytest.fixture
def reads(monkeypatch):
    """The built files the scan reads, scan by scan."""
    seen: list[str] = []
    real = secrets._read_text

    def read(path):
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(secrets, "_read_text", read)
    return seen


def test_a_second_scan_reads_only_the_files_that_changed_or_hold_a_secret(tmp_path, reads):
    """A rebuild's scan is quick: clean pages and binary files found before are not read again."""
    site = write(tmp_path / "site", {"clean.html": "<p>hi</p>\n", "key.html": f"<p>{KEY_ID}</p>\n",
                                     "logo.png": b"\x89PNG\0"})
    cache = tmp_path / "cache" / "deep" / "secrets-clean.json"
    assert len(secrets.scan(site, cache=cache)) == 1
    assert sorted(reads) == ["clean.html", "key.html", "logo.png"]
    reads.clear()
    assert len(secrets.scan(site, cache=cache)) == 1
    assert reads == ["key.html"]
    reads.clear()
    (site / "clean.html").write_text(f"<p>now {OTHER_KEY_ID}</p>\n")
    assert len(secrets.scan(site, cache=cache)) == 2
    assert sorted(reads) == ["clean.html", "key.html"]


@pytest.mark.parametrize("stale", ["not json", "[1, 2]", '{"version": "an older scanner", "clean": {"key.html": KEY}}',
                                   '{"clean": {"key.html": KEY}}'])
def test_a_broken_or_outdated_cache_is_ignored(tmp_path, stale):
    """A cache the scan cannot use never hides a secret."""
    site = write(tmp_path / "site", {"key.html": f"<p>{KEY_ID}</p>\n"})
    stat = (site / "key.html").stat()
    cache = write(tmp_path, {"cache.json": stale.replace("KEY", json.dumps([stat.st_size, stat.st_mtime_ns]))})
    assert len(secrets.scan(site, cache=cache / "cache.json")) == 1


def test_a_cache_without_its_list_of_clean_files_reads_everything(tmp_path, reads):
    """A current cache file that lost its list of clean files is as good as none."""
    site = write(tmp_path / "site", {"key.html": f"<p>{KEY_ID}</p>\n"})
    cache = tmp_path / "cache.json"
    secrets.scan(site, cache=cache)
    cache.write_text(json.dumps({"version": json.loads(cache.read_text())["version"]}))
    reads.clear()
    assert len(secrets.scan(site, cache=cache)) == 1
    assert reads == ["key.html"]


# --- with a build's settings, and the command --------------------------------------------------

def test_scan_site_uses_the_builds_allow_list_source_map_content_and_cache(tmp_path, reads):
    """SECRETS_ALLOW allows, SOURCEMAP_PATH leads to the Markdown, PATH to copied files, and
    CACHE_PATH keeps secrets-clean.json."""
    content = write(tmp_path / "content", {"posts/p.md": f"+++\n+++\n{KEY_ID}\n{OTHER_KEY_ID}\n",
                                           "extra/.npmrc": "x\n"})
    site = write(tmp_path / "site", {"posts/p/index.html": f"<p>{KEY_ID}</p><p>{OTHER_KEY_ID}</p>\n",
                                     "extra/.npmrc": "x\n", "about.html": "<p>hi</p>\n"})
    sourcemap = write(tmp_path, {"sources.json": json.dumps({"posts/p/index.html": str(content / "posts/p.md")})})
    settings = {"SECRETS_ALLOW": {secrets.fingerprint(OTHER_KEY_ID): "made up"}, "PATH": str(content),
                "SOURCEMAP_PATH": str(sourcemap / "sources.json"), "CACHE_PATH": str(tmp_path / "cache")}
    findings = secrets.scan_site(site, settings, shown_as="output")
    assert where(findings) == [(display_path(content / "extra/.npmrc"), 1, "a credentials file"),
                               (display_path(content / "posts/p.md"), 3, "AWS access key id")]
    assert (tmp_path / "cache" / "secrets-clean.json").is_file()
    reads.clear()
    secrets.scan_site(site, settings)
    assert sorted(reads) == ["index.html"]


@pytest.mark.parametrize("sourcemap", ["missing.json", "broken.json"])
def test_scan_site_without_a_usable_source_map_names_the_built_files(tmp_path, sourcemap):
    """A missing or broken source map does not stop the scan: findings name the built page."""
    write(tmp_path, {"broken.json": "{not json"})
    site = write(tmp_path / "site", {"posts/p/index.html": f"<p>{KEY_ID}</p>\n"})
    findings = secrets.scan_site(site, {"SOURCEMAP_PATH": str(tmp_path / sourcemap)}, shown_as="output")
    assert where(findings) == [("output/posts/p/index.html", 1, "AWS access key id")]
    assert secrets.scan_site(site, {"SECRETS_ALLOW": None}, shown_as="output") == findings
    assert not (tmp_path / "site" / "secrets-clean.json").exists()


@pytest.fixture
def tiny(tmp_path) -> TinySite:
    """A tiny site's settings file and an output folder written by hand (no build)."""
    site = TinySite(tmp_path)
    site.output.mkdir()
    return site


def test_the_command_reports_each_secret_then_a_summary_and_exits_1(tiny, capsys):
    """Findings go to stderr, one line each, then what was stopped; OUTPUT_PATH is the default folder."""
    write(tiny.output, {"a.txt": f"\n{KEY_ID}\n", "b/.env": "X=1\n"})
    assert secrets.main(["-s", str(tiny.settings_file())]) == 1
    out, err = capsys.readouterr()
    shown = display_path(tiny.output)
    assert out == ""
    assert err.splitlines() == [
        f"{shown}/a.txt:2: AWS access key id {fix_it(secrets.fingerprint(KEY_ID))}",
        f"{shown}/b/.env:1: an environment file {remove_file(secrets.fingerprint('file:b/.env'))}",
        f"Secret scan: 2 secret(s) in {shown}; nothing was published.",
    ]


def test_the_command_says_a_clean_folder_is_clean_and_exits_0(tiny, tmp_path, capsys):
    """The folder argument overrides OUTPUT_PATH (which holds a key here)."""
    write(tiny.output, {"a.txt": KEY_ID})
    other = write(tmp_path / "other", {"index.html": "<p>fine</p>\n"})
    assert secrets.main(["--settings", str(tiny.settings_file()), str(other)]) == 0
    out, err = capsys.readouterr()
    assert (out, err) == (f"Secret scan: {display_path(other)} is clean.\n", "")


def test_the_command_help_names_it_and_says_what_it_does(capsys):
    with pytest.raises(SystemExit) as stop:
        secrets.main(["--help"])
    assert stop.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith("usage: python -m blogtools.commands.secrets [-h] [-s SETTINGS] [folder]")
    assert "The secret scan: no key, token or credentials file in a built site, before it is served or deployed." in out
    assert "folder the built site (default: OUTPUT_PATH)" in out
    assert "reads every file" not in out  # the summary line only, not the whole module docstring


def test_the_command_reads_pelicanconf_py_of_the_current_folder_by_default(tiny, monkeypatch, capsys):
    """Run from the project folder, ``python -m blogtools.commands.secrets`` needs no option."""
    write(tiny.output, {"a.txt": f"{KEY_ID}\n"})
    conf = tiny.settings_file().read_text() + f"THEME = {str(ROOT / 'theme')!r}\n"
    (tiny.root / "pelicanconf.py").write_text(conf)
    monkeypatch.chdir(tiny.root)
    assert secrets.main([]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == "Secret scan: 1 secret(s) in output; nothing was published."


def test_python_dash_m_exits_with_the_scans_status(tiny):
    """``python -m blogtools.commands.secrets`` exits 1 on a secret, for scripts and CI."""
    write(tiny.output, {"a.txt": KEY_ID})
    done = subprocess.run([sys.executable, "-m", "blogtools.commands.secrets", "-s", str(tiny.settings_file())],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1].endswith("nothing was published.")


def test_a_token_grown_back_to_the_first_character_of_its_line():
    token = "ghp_" + "aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5"
    found = secrets.secrets_in_lines(["X" + token + " end"])
    assert list(found.values()) == [[("GitHub Token", "X" + token)]]
