"""The blog's toolchain, in parts; each part's ``__init__`` names its modules.

* ``plugins/``: the Pelican plugins and Markdown extensions that ``PLUGINS`` and
  ``MARKDOWN`` load (``plugins/speed/``: the speed wing);
* ``commands/``: what ``tasks.py`` runs: build, preview, new post, publish,
  screenshots, audit;
* ``linkcheck/``: the link checker, standalone (no Pelican, nothing of ours);
* ``publish/``: deploy targets (a built folder in, a live site out; no build);
* ``errors.py``: one actionable ``file:line: what (how to fix)`` line per problem.

Which part may import which is in ``pyproject.toml`` (import-linter contracts,
run by the tests) and drawn in the README's "Architecture" section.
"""
