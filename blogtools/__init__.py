"""The blog's own Pelican plugins and tools.

Each module has one job: the front matter reader, anchors, math, old Hugo URLs,
the link checker, the atomic build, publishing. ``pelicanconf.py`` loads the
Pelican plugins from here; the tools also run on their own with ``python -m``.
"""


def plugin_names(settings) -> list[str]:
    """The module names in a build's ``PLUGINS`` (Pelican accepts names or modules).

    Pelican's signals outlive a build in one process (the live preview, the
    tests), so a plugin checks this list before acting on a build.
    """
    return [getattr(p, "__name__", p) for p in settings.get("PLUGINS", [])]
