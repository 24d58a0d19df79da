"""The settings files: the one source of every path and address the commands use.

``pelicanconf.py`` (local preview) and ``publishconf.py`` (publishing) live in
the project folder. Pelican makes ``PATH``, ``OUTPUT_PATH``, ``THEME`` and
``CACHE_PATH`` absolute against the settings file's folder; the preview listens
on ``BIND``:``PORT`` (Pelican's own settings for ``pelican --listen``).
"""

from __future__ import annotations

import os
from pathlib import Path

SETTINGS_FILE = "pelicanconf.py"
PUBLISH_SETTINGS_FILE = "publishconf.py"


def load_settings(settings_file: str | os.PathLike = SETTINGS_FILE, **overrides) -> dict:
    """Pelican's settings from ``settings_file``, with ``overrides`` applied."""
    from pelican.settings import read_settings

    return read_settings(os.fspath(settings_file), override=overrides)


def project_root(settings_file: str | os.PathLike = SETTINGS_FILE) -> Path:
    """The project folder: the one that holds the settings file."""
    return Path(settings_file).resolve().parent


def preview_url(settings) -> str:
    """The live preview's address, e.g. ``http://127.0.0.1:8000``."""
    return f"http://{settings['BIND']}:{settings['PORT']}"
