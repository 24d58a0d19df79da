"""Pelican settings for publishing: pelicanconf.py plus the public address.

Only what differs from local preview lives here. ``BLOG_SITEURL`` overrides
the address, e.g. to publish under a sub-path such as
``https://example.org/blog``.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("BLOG_SITEURL", PUBLIC_URL)  # noqa: F405
PUBLIC_URL = SITEURL
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
# Content caching is for the edit-preview loop; a publish build starts clean.
LOAD_CONTENT_CACHE = False
