"""The blog's own Pelican plugins and tools.

Each module has one job: the front matter reader, anchors, math, old Hugo URLs,
the link checker, the atomic build, publishing. ``pelicanconf.py`` loads the
Pelican plugins from here; the tools also run on their own with ``python -m``.
"""
