"""Link checker for the built site: one pass over the output folder.

Every HTML page, feed, sitemap and ``robots.txt`` is parsed once; the targets
each file defines (ids, ``<a name>``) and the links it uses (with line and
column) are collected, then compared - no crawling (the design of
``untitaker/hyperlink``). External URLs are checked only with ``--external``.

Modules, one job each:

* :mod:`.collect` - parse one file into defined targets and used links;
* :mod:`.resolve` - URL on a page → site file and fragment, as a browser and
  a static host see it;
* :mod:`.checker` - the one-pass run over the folder and the comparison;
* :mod:`.parsecache` - what each file defines and uses, kept between builds;
* :mod:`.live` - a checked site kept in memory: a few rewritten pages checked again;
* :mod:`.external` - concurrent HTTP checks, retries, cache;
* :mod:`.sources` - built page → Markdown source and line;
* :mod:`.suggest` - "did you mean" for near misses;
* :mod:`.report` - problems as text or JSON;
* :mod:`.cli` - the command line, :func:`main`.

Use: ``python -m blogtools.linkcheck SITE_DIR [--format text|json] [--external]
[--base-url URL] [--sources FILE] [--exclude REGEX ...] [--cache FILE]``, or
``blogtools.linkcheck.main(argv) -> int`` (0 clean, 1 broken, 2 usage error).
"""

from .checker import Options, check_site
from .cli import main
from .report import Problem, Report

__all__ = ["main", "check_site", "Options", "Problem", "Report"]
