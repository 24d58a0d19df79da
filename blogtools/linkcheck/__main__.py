"""``python -m blogtools.linkcheck SITE_DIR ...``: run :func:`blogtools.linkcheck.main`."""

import sys

from . import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
