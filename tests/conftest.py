"""Shared fixtures: one build of the real site per session, and tiny sites in tmp_path."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from blogtools.commands.build import BuildResult, build

ROOT = Path(__file__).resolve().parent.parent

pytest_plugins = ["tests.browser", "tests.publishing", "tests.linkcheck_helpers"]

SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
CONTENT = ROOT / "content"
WRITEUP = "posts/aws-ml-specialty-certification.md"
WRITEUP_HTML = "posts/aws-ml-specialty-certification/index.html"
STUDY_POINTS_HTML = "posts/aws-ml-study-points/index.html"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, by relative path: to compare two builds byte for byte."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build_into(folder: Path, settings: Path = SETTINGS, **overrides) -> BuildResult:
    """Build with the project's settings into ``folder/output``, caching in ``folder``."""
    overrides.setdefault("CACHE_PATH", str(folder / "cache"))
    overrides.setdefault("SOURCEMAP_PATH", str(folder / "sources.json"))
    return build(settings, folder / "output", **overrides)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built once with pelicanconf.py (local preview settings)."""
    result = build_into(tmp_path_factory.mktemp("site"))
    assert result.ok, "\n".join(result.problems)
    return result.output


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> Path:
    """The real site, built once with publishconf.py (what readers get)."""
    result = build_into(tmp_path_factory.mktemp("published"), PUBLISH_SETTINGS)
    assert result.ok, "\n".join(result.problems)
    return result.output


def write_content(content: Path, relative: str, text: str | bytes) -> Path:
    """Write ``content/relative``: bytes as they are, text dedented, as an author would."""
    path = content / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


class TinySite:
    """A throwaway site in tmp_path using the project's settings, reader and theme."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        (self.content / "posts").mkdir(parents=True)
        (self.content / "pages").mkdir()
        # The theme links the favicon; keep the real site's root files.
        shutil.copytree(CONTENT / "extra", self.content / "extra")
        self.output = root / "output"

    def write(self, relative: str, text: str | bytes) -> Path:
        return write_content(self.content, relative, text)

    def post(self, name: str, body: str = "Hello.", **front) -> Path:
        """Write ``content/posts/<name>.md`` with TOML front matter from ``front``."""
        front.setdefault("title", name.replace("-", " ").title())
        front.setdefault("date", "2021-01-02T03:04:05Z")
        lines = ["+++"]
        for key, value in front.items():
            literal = value if key == "date" else repr_toml(value)  # dates are TOML literals
            lines.append(f"{key} = {literal}")
        lines += ["+++", "", body, ""]
        return self.write(f"posts/{name}.md", "\n".join(lines))

    def build(self, settings: Path = SETTINGS, **overrides) -> BuildResult:
        overrides.setdefault("PATH", str(self.content))
        return build_into(self.root, settings, **overrides)

    def settings_file(self) -> Path:
        """A settings file for this site, for commands that take ``-s``."""
        path = self.root / "tinyconf.py"
        path.write_text(
            f"import runpy\nglobals().update((k, v) for k, v in runpy.run_path({str(SETTINGS)!r}).items()"
            f" if k.isupper())\nPATH = {str(self.content)!r}\nOUTPUT_PATH = {str(self.output)!r}\n"
            f"CACHE_PATH = {str(self.root / 'cache')!r}\n"
            f"SOURCEMAP_PATH = {str(self.root / 'sources.json')!r}\n")
        return path

    def html(self, relative: str) -> str:
        return (self.output / relative).read_text(encoding="utf-8")


def repr_toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(repr_toml(v) for v in value) + "]"
    return str(value)


@pytest.fixture
def tiny_site(tmp_path) -> TinySite:
    return TinySite(tmp_path)
