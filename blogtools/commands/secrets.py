"""The secret scan: no key, token or credentials file in a built site, before it is served or deployed.

:func:`scan` reads every file of a built folder and returns one
:class:`Finding` per secret, each printed as
``content/posts/x.md:12: AWS access key id (remove it, and revoke it ...; if it
is not a secret, add "0123456789abcdef" to SECRETS_ALLOW in pelicanconf.py)``:
in the Markdown file and line when the built page maps back to one (the
build's ``SOURCEMAP_PATH``), in the content file a static file was copied
from, else in the built file. :func:`scan_site` runs it with a build's
settings. What it looks for:

* the known secret formats of `detect-secrets <https://github.com/Yelp/detect-secrets>`_
  (``DETECTORS``: AWS, GitHub, GitLab, Slack, Stripe, private keys, JWTs,
  basic-auth URLs, ...) with its own false-positive filters;
* our own checks, which hold even where its filters let a value pass or
  syntax highlighting splits a line into ``<span>``\\ s: private key blocks of
  every kind (``ENCRYPTED PRIVATE KEY`` too), AWS access key ids and AWS secret
  keys written unquoted (``aws_secret_access_key = ...`` in a credentials
  file, ``"SecretAccessKey": "..."`` in CLI output);
* files that hold credentials by their name (``CREDENTIAL_FILES``).

A false positive is allowed by its fingerprint in ``SECRETS_ALLOW``
(pelicanconf.py, reviewed with the rest of the repository); nothing turns
the scan off. AWS's own documented example keys are always allowed.

Speed: each distinct line is searched once (a site repeats its header,
footer and stylesheet on every page), and only the lines a detector's pattern
matches go through detect-secrets (about 30 times slower per line). Files
found clean are remembered by size and modification time in ``cache``, so a
rebuild reads only the pages it rewrote; the speed wing's reused pages are
hard links that keep both.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import html
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from blogtools.commands.settings import SETTINGS_FILE, load_settings
from blogtools.errors import display_path

# detect-secrets' detectors for known formats. Left out: its entropy and keyword
# detectors (every hash, image and code sample in a technical blog trips them),
# public IP addresses (not secrets), and the IBM Cloud, IBM COS, Cloudant and
# SoftLayer keyword patterns, which took 55% of the scan's time and need a
# service this blog does not use.
DETECTORS = (
    "AWSKeyDetector", "ArtifactoryDetector", "AzureStorageKeyDetector", "BasicAuthDetector",
    "DiscordBotTokenDetector", "GitHubTokenDetector", "GitLabTokenDetector", "JwtTokenDetector",
    "MailchimpDetector", "NpmDetector", "OpenAIDetector", "PrivateKeyDetector", "PypiTokenDetector",
    "SendGridDetector", "SlackDetector", "SquareOAuthDetector", "StripeDetector",
    "TelegramBotTokenDetector", "TwilioKeyDetector",
)
# detect-secrets patterns → a looser pattern that starts with a literal, to pick the
# lines worth its time: each matches wherever the original does (the original's leading
# context dropped, or its case-insensitivity spelled out), and is used only while the
# original is exactly this text (tests/test_secrets_scan.py checks they still are).
LOOSER = {
    r'(?:\s|=|:|"|^)AKC[a-zA-Z0-9]{10,}(?:\s|"|$)': r"AKC[a-zA-Z0-9]{10,}",
    r'(?:\s|=|:|"|^)AP[\dABCDEF][a-zA-Z0-9]{8,}(?:\s|"|$)': r"AP[\dABCDEF][a-zA-Z0-9]{8,}",
    r"[0-9a-z]{32}-us[0-9]{1,2}": r"-us[0-9]",
    r"\d{8,10}:[0-9A-Za-z_-]{35}": r":[0-9A-Za-z_-]{35}",
    r"(?:r|s)k_live_[0-9a-zA-Z]{24}": r"k_live_",
    r"xox(?:a|b|p|o|s|r)-(?:\d+-)+[a-z0-9]+": r"[Xx][Oo][Xx]",
    r"https://hooks\.slack\.com/services/T[a-zA-Z0-9_]+/B[a-zA-Z0-9_]+/[a-zA-Z0-9_]+":
        r"[Hh][Oo][Oo][Kk][Ss]\.[Ss][Ll][Aa][Cc][Kk]",
}
# Between a key's name and its value: quotes, "=", ":", spaces, and in built HTML
# the <span> tags and entities of syntax highlighting.
_GLUE = r"""(?:<[^<>\n]{0,200}>|&(?:quot|apos|\#34|\#39|\#x27|\#x22|gt);|["'\s:=>]){1,24}"""
# Our own checks: (what, pattern, the group that is the secret). Each starts with a
# literal, which the regex engine finds fast: 25 times faster than a leading lookbehind.
CHECKS = (
    ("private key block", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"), 0),
    ("AWS access key id",
     re.compile(r"(A(?<![A-Z0-9]A)(?:KIA|SIA|BIA|CCA|3T[A-Z0-9])[A-Z0-9]{16})(?![A-Z0-9])"), 1),
    ("AWS secret access key",  # aws_secret_access_key, AWS_SECRET_ACCESS_KEY, SecretAccessKey
     re.compile(r"[Ss][Ee][Cc][Rr][Ee][Tt]_?(?i:(?:access_?)?key)" + _GLUE
                + r"([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"), 1),
)
# A detector's value can carry its context: the spaces or quotes around an Artifactory key, the
# rest of the line after an npm token (with a page's tags, or a feed's escaped ones). The secret
# is its longest piece between those.
_SEPARATORS = re.compile(r"""[\s<>"']+|&#?\w+;""")
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/=.")
# AWS's documentation uses these in every example; they open nothing. (Split, so that
# tests/test_secrets.py, which guards this repository's own files, passes over them.)
KNOWN_EXAMPLES = frozenset({"AKIA" "IOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"})
# Files that hold credentials, by exact name, then by suffix.
CREDENTIAL_FILES = {
    "credentials": "an AWS credentials file",
    "credentials.json": "a credentials file",
    ".git-credentials": "a credentials file", ".netrc": "a credentials file",
    ".pgpass": "a credentials file", ".npmrc": "a credentials file", ".pypirc": "a credentials file",
    ".htpasswd": "a password file", ".env": "an environment file",
    "id_rsa": "an SSH private key", "id_dsa": "an SSH private key",
    "id_ecdsa": "an SSH private key", "id_ed25519": "an SSH private key",
}
CREDENTIAL_SUFFIXES = {
    ".p12": "a keystore", ".pfx": "a keystore", ".jks": "a keystore", ".keystore": "a keystore",
    ".tfstate": "a Terraform state file",
}
# Built files that repeat posts (listings, feeds): a secret there is looked for in every post.
GENERATED_SUFFIXES = (".html", ".htm", ".xml", ".json", ".txt")
ALLOW_SETTING = "SECRETS_ALLOW"
_CACHE_FORMAT = 1


@dataclass(frozen=True)
class Finding:
    """One secret: where the author fixes it, what it is, and the fingerprint that allows it."""

    path: str  # the Markdown file, the content file, or the built file, as the author types it
    line: int
    kind: str
    fingerprint: str
    built: str  # the built file it was found in, relative to the scanned folder
    is_file: bool = False  # the file itself is the secret (by its name)

    def format(self) -> str:
        allow = f'add "{self.fingerprint}" to {ALLOW_SETTING} in pelicanconf.py'
        if self.is_file:
            hint = f"remove the file; if it is meant to be public, {allow}"
        else:
            hint = f"remove it, and revoke it where it was issued; if it is not a secret, {allow}"
        return f"{self.path}:{self.line}: {self.kind} ({hint})"


def fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


def credential_file(name: str) -> str | None:
    if name in CREDENTIAL_FILES:
        return CREDENTIAL_FILES[name]
    if name.startswith(".env."):
        return CREDENTIAL_FILES[".env"]
    return CREDENTIAL_SUFFIXES.get(os.path.splitext(name)[1].lower())


def _detectors():
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    classes = {cls.__name__: cls for cls in get_mapping_from_secret_type_to_class().values()}
    return [classes[name]() for name in DETECTORS]


def _patterns() -> list[re.Pattern]:
    """Every pattern a secret must match somewhere in its line: ours and the detectors'
    (or a looser one, from ``LOOSER``, that matches wherever theirs does)."""
    return [pattern for _, pattern, _ in CHECKS] + [
        re.compile(LOOSER[p.pattern]) if p.pattern in LOOSER else p for d in _detectors() for p in d.denylist]


def secrets_in_lines(lines: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """Line → (what, secret) for each secret on it: our checks, then detect-secrets'."""
    from detect_secrets.core.scan import scan_line
    from detect_secrets.settings import transient_settings

    result = {}
    with transient_settings({"plugins_used": [{"name": name} for name in DETECTORS]}):
        for line in lines:
            found = [(kind, match.group(group)) for kind, pattern, group in CHECKS
                     for match in pattern.finditer(line)]
            for secret in scan_line(line):
                for value in _whole_tokens(line, max(_SEPARATORS.split(secret.secret_value or ""), key=len)):
                    if value and not any(value in known or known in value for _, known in found):
                        found.append((secret.type, value))
            found = [(kind, value) for kind, value in found if value not in KNOWN_EXAMPLES]
            if found:
                result[line] = found
    return result


def secrets_in_texts(texts: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """:func:`secrets_in_lines` over the distinct lines of ``texts``, only those a secret's
    pattern matches (the detectors cost about 10 µs a line; the patterns, a pass per text)."""
    distinct: set[str] = set()
    for text in texts:
        distinct.update(text.split("\n"))
    return secrets_in_lines(_candidate_lines(list(distinct), _patterns())) if distinct else {}


def _whole_tokens(line: str, value: str) -> list[str]:
    """``value`` grown to the whole token around it on ``line``: some detectors report a
    part (a GitHub token's "ghp" prefix), and a fingerprint of a part would allow them all.
    Where the part occurs more than once, the longest tokens: a "ghp" in the prose before a
    token is not the token, and two tokens on one line are two secrets."""
    start = line.find(value)
    if not value or start < 0:
        return [value]
    tokens = []
    while start >= 0:
        end = start + len(value)
        while start > 0 and line[start - 1] in _TOKEN_CHARS:
            start -= 1
        while end < len(line) and line[end] in _TOKEN_CHARS:
            end += 1
        tokens.append(line[start:end])
        start = line.find(value, end)
    longest = max(map(len, tokens))
    return list(dict.fromkeys(token for token in tokens if len(token) == longest))


def _key_body(lines: list[str], header: int) -> list[str]:
    """The lines of the key block whose header is on (1-based) line ``header``."""
    body = []
    for line in lines[header:header + 200]:
        if "-----END" in line or not line.strip():
            break
        body.append(line.strip())
    return body


def _read_text(path: Path) -> str | None:
    """The file as text, or None for a binary file (a NUL byte early on)."""
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


def _candidate_lines(lines: list[str], patterns: list[re.Pattern]) -> set[str]:
    """The lines any pattern matches, each line searched once, as one text per pattern."""
    text = "\n".join(lines)
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    hits: set[int] = set()
    for pattern in patterns:
        for match in pattern.finditer(text):
            first = bisect.bisect_right(starts, match.start()) - 1
            last = bisect.bisect_right(starts, max(match.end() - 1, match.start())) - 1
            hits.update(range(first, last + 1))
    return {lines[i] for i in hits}


class _Sources:
    """Finds a secret's line in the Markdown a built page came from (or in any other source)."""

    def __init__(self, sources: Mapping[str, str] | None):
        self.sources = dict(sources or {})
        self._lines: dict[str, list[str]] = {}

    def _read(self, source: str) -> list[str]:
        if source not in self._lines:
            try:
                self._lines[source] = Path(source).read_text(encoding="utf-8", errors="replace").split("\n")
            except OSError:
                self._lines[source] = []
        return self._lines[source]

    def locate(self, built: str, needle: str, *, anywhere: bool) -> tuple[str, int] | None:
        """The first source line holding ``needle``: in ``built``'s own source, then (if
        ``anywhere``: a listing or a feed) in any source."""
        own = self.sources.get(built)
        order = ([own] if own else []) + (sorted(set(self.sources.values()) - {own}) if anywhere else [])
        needles = list(dict.fromkeys([needle, html.unescape(needle)]))
        for source in order:
            for number, line in enumerate(self._read(source), 1):
                if any(n in line for n in needles):
                    return display_path(source), number
        return None


def _load_cache(cache: Path | None, version: str) -> dict[str, list[int]]:
    if cache is None:
        return {}
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("clean", {}) if isinstance(data, dict) and data.get("version") == version else {}


def _cache_version() -> str:
    from importlib.metadata import version

    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(f"{version('detect-secrets')} {_CACHE_FORMAT}".encode())
    return digest.hexdigest()[:16]


def scan(folder: str | os.PathLike, *, allow: Iterable[str] = (), sources: Mapping[str, str] | None = None,
         content: str | os.PathLike | None = None, shown_as: str | None = None,
         cache: str | os.PathLike | None = None) -> list[Finding]:
    """Every secret in the files under ``folder`` whose fingerprint is not in ``allow``.

    ``sources`` maps built pages (relative to ``folder``) to their Markdown
    (the build's source map); ``content`` is the content folder, to name the
    content file a static file was copied from; ``shown_as`` names ``folder``
    in findings in built files (say ``output`` while scanning a staging
    folder); ``cache`` is a JSON file that remembers the files found clean.
    Symlinks are not followed into folders.
    """
    folder = Path(folder)
    shown = shown_as if shown_as is not None else display_path(folder)
    allowed = set(allow)
    version = _cache_version()
    cache_file = Path(cache) if cache is not None else None
    known_clean = _load_cache(cache_file, version)
    findings: list[Finding] = []
    to_read: dict[str, tuple[Path, list[int]]] = {}
    clean: dict[str, list[int]] = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = Path(root, name)
            relative = path.relative_to(folder).as_posix()
            kind = credential_file(name)
            if kind:
                findings.append(Finding(_copied_from(relative, folder, content) or f"{shown}/{relative}", 1, kind,
                                        fingerprint(f"file:{relative}"), relative, is_file=True))
            try:
                stat = path.stat()
            except OSError:  # a dangling link: nothing to upload
                continue
            key = [stat.st_size, stat.st_mtime_ns]
            if known_clean.get(relative) == key:
                clean[relative] = key
            else:
                to_read[relative] = (path, key)
    texts: dict[str, str] = {}
    for relative, (path, key) in to_read.items():
        text = _read_text(path)
        if text is None:
            clean[relative] = key
            continue
        texts[relative] = text
    secret_lines = secrets_in_texts(texts.values())
    locator = _Sources(sources)
    for relative, text in texts.items():
        if not secret_lines or not any(line in text for line in secret_lines):
            clean[relative] = to_read[relative][1]
            continue
        lines = text.split("\n")
        copied = _copied_from(relative, folder, content)
        for number, line in enumerate(lines, 1):
            for kind, value in secret_lines.get(line, ()):
                needle = mark = value
                if kind == "private key block":
                    # The header is the same in every key (and so is an OpenSSH key's first
                    # line): the body names this one, and its last line finds it in the source.
                    body = _key_body(lines, number)
                    if body:
                        needle, mark = body[-1], "\n".join([value, *body])
                where = None if copied else locator.locate(
                    relative, needle, anywhere=relative.endswith(GENERATED_SUFFIXES))
                where = where or (copied or f"{shown}/{relative}", number)
                findings.append(Finding(where[0], where[1], kind, fingerprint(mark), relative))
    if cache_file is not None:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        cache_file.write_text(json.dumps({"version": version, "clean": clean}), encoding="utf-8")
    unique = {(f.path, f.line, f.fingerprint): f for f in findings if f.fingerprint not in allowed}
    return sorted(unique.values(), key=lambda f: (f.path, f.line, f.kind))


def _copied_from(relative: str, folder: Path, content: str | os.PathLike | None) -> str | None:
    """The content file a built file was copied from (same path, same bytes), if any."""
    if content is None:
        return None
    original = Path(content, relative)
    try:
        if original.is_file() and original.read_bytes() == (folder / relative).read_bytes():
            return display_path(original)
    except OSError:
        pass
    return None


def scan_site(folder: str | os.PathLike, settings: Mapping, *, shown_as: str | None = None) -> list[Finding]:
    """:func:`scan` with a build's settings: ``SECRETS_ALLOW``, ``SOURCEMAP_PATH``, ``PATH``, ``CACHE_PATH``."""
    from blogtools.linkcheck.sources import SourcesError, load_sources

    sourcemap = settings.get("SOURCEMAP_PATH")
    try:
        sources = load_sources(sourcemap) if sourcemap and os.path.exists(sourcemap) else None
    except SourcesError:
        sources = None
    cache = os.path.join(settings["CACHE_PATH"], "secrets-clean.json") if settings.get("CACHE_PATH") else None
    return scan(folder, allow=settings.get(ALLOW_SETTING) or (), sources=sources,
                content=settings.get("PATH"), shown_as=shown_as, cache=cache)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m blogtools.commands.secrets",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("-s", "--settings", default=SETTINGS_FILE)
    parser.add_argument("folder", nargs="?", help="the built site (default: OUTPUT_PATH)")
    args = parser.parse_args(argv)
    settings = load_settings(args.settings)
    folder = args.folder or settings["OUTPUT_PATH"]
    findings = scan_site(folder, settings)
    for finding in findings:
        print(finding.format(), file=sys.stderr)
    if findings:
        print(f"Secret scan: {len(findings)} secret(s) in {display_path(folder)}; nothing was published.",
              file=sys.stderr)
        return 1
    print(f"Secret scan: {display_path(folder)} is clean.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
