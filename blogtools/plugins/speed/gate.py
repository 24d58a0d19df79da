"""Whether the speed wing runs in a build: one setting and one Pelican version gate.

The wing retypes parts of Pelican 4.12's writer and leans on the private names
listed in ``blogtools/plugins/pelican_private.py``. On a Pelican it was not
tested with, or one where such a name changed, it stays out of the way and the
build is plain Pelican: the same site, slower.
"""

from __future__ import annotations

from functools import cache

import pelican

from blogtools.plugins.pelican_private import problems
from blogtools.plugins.site import plugin_names

PLUGIN = "blogtools.plugins.speed"
SETTING = "SPEED_WING"
TESTED_PELICAN = ("4.12.0",)


@cache
def _unsupported(version: str) -> str | None:
    if version not in TESTED_PELICAN:
        return (f"Pelican {version} is not a version the speed wing was tested with "
                f"({', '.join(TESTED_PELICAN)})")
    found = problems(wing_only=True)
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        return f"Pelican {version} changed what the speed wing uses: {found[0]}{more}"
    return None


def unsupported() -> str | None:
    """Why the installed Pelican cannot run the wing, or None when it can."""
    return _unsupported(pelican.__version__)


def wanted(settings) -> bool:
    """The build lists the wing in ``PLUGINS`` and does not turn it off."""
    return PLUGIN in plugin_names(settings) and bool(settings.get(SETTING, True))


def active(settings) -> bool:
    """The wing runs in this build: wanted, and the installed Pelican supports it."""
    return wanted(settings) and unsupported() is None
