"""No committed settings or project file holds a secret-looking value.

Publishing reads credentials only from the environment or the user's AWS/SSH
configuration; this guards against a key pasted into a settings file.
"""

import re
import subprocess

from tests.conftest import ROOT

PATTERNS = {
    "AWS access key id": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "AWS secret access key": re.compile(
        r"aws_secret_access_key\s*[=:]\s*['\"]?[A-Za-z0-9/+=]{40}", re.I),
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "password assignment": re.compile(
        r"""(?:password|passwd|secret|token)\s*=\s*['"][^'"\s]{8,}['"]""", re.I),
}
SCANNED_SUFFIXES = {".py", ".toml", ".cfg", ".ini", ".json", ".yml", ".yaml", ".env", ".sh", ""}


def secrets_in(text: str) -> list[str]:
    return [name for name, pattern in PATTERNS.items() if pattern.search(text)]


def tracked_files():
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout.split()
    for name in listed:
        path = ROOT / name
        if path.suffix in SCANNED_SUFFIXES and path.is_file() and not name.startswith("tests/"):
            yield path


def test_no_tracked_file_holds_a_secret():
    scanned = list(tracked_files())
    assert any(p.name == "publishconf.py" for p in scanned)
    found = {str(p.relative_to(ROOT)): secrets_in(p.read_text(errors="replace")) for p in scanned}
    assert {k: v for k, v in found.items() if v} == {}


def test_the_scanner_finds_planted_secrets():
    planted = "\n".join([
        'AWS_ACCESS_KEY_ID = "AKIA' + "ABCDEFGHIJKLMNOP" + '"',
        "aws_secret_access_key = " + "a" * 40,
        "-----BEGIN " + "PRIVATE KEY-----",
        "token = 'ghp_" + "x" * 36 + "'",
    ])
    assert secrets_in(planted) == ["AWS access key id", "AWS secret access key",
                                   "private key", "GitHub token", "password assignment"]
    assert secrets_in('SITEURL = "https://example.org"\nAWS_PROFILE = os.environ.get("X")') == []
