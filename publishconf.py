"""Pelican settings for publishing: pelicanconf.py plus the public address.

Only what differs from local preview lives here. ``BLOG_SITEURL`` overrides
the address, e.g. to publish under a sub-path such as
``https://example.org/blog``.
"""

import os
import runpy

# Every setting of pelicanconf.py (the file beside this one), then what differs.
_local = runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)), "pelicanconf.py"))
globals().update({name: value for name, value in _local.items() if name.isupper()})

SITEURL = os.environ.get("BLOG_SITEURL", _local["PUBLIC_URL"])
PUBLIC_URL = SITEURL
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
# Content caching is for the edit-preview loop; a publish build starts clean:
# every post read again, every page rendered again (blogtools.plugins.speed.render_cache).
LOAD_CONTENT_CACHE = False
RENDER_CACHE = False

# Drafts and scheduled posts are never written when publishing (blogtools.plugins.drafts).
PUBLISH_DRAFTS = False

# Where `invoke publish` deploys (blogtools.commands.publish); each is overridable with
# `--target` / `--dest`. Credentials never go here: rsync uses your SSH keys,
# ghp-import your git remote, S3 the AWS environment or ~/.aws config.
PUBLISH_TARGET = os.environ.get("BLOG_PUBLISH_TARGET", "local")
PUBLISH_LOCAL_PATH = os.environ.get("BLOG_PUBLISH_PATH", "public")  # relative to the project
PUBLISH_RSYNC_DEST = os.environ.get("BLOG_RSYNC_DEST", "")  # e.g. shane@example.org:/var/www/blog/
PUBLISH_RSYNC_SSH_PORT = int(os.environ.get("BLOG_RSYNC_SSH_PORT", "22"))
PUBLISH_GHPAGES_BRANCH = "gh-pages"
PUBLISH_GHPAGES_REMOTE = "origin"
PUBLISH_GHPAGES_PUSH = True
PUBLISH_GHPAGES_CNAME = ""  # e.g. "shanenolan.dev" for a custom domain
PUBLISH_S3_BUCKET = os.environ.get("BLOG_S3_BUCKET", "")
PUBLISH_S3_PREFIX = ""
PUBLISH_S3_REGION = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or None
PUBLISH_CLOUDFRONT_DISTRIBUTION = os.environ.get("BLOG_CLOUDFRONT_DISTRIBUTION", "")
# The brake on deletions (blogtools.publish.tree.check_deletions): a deploy that would
# delete more than PUBLISH_MAX_DELETIONS files *and* more than PUBLISH_MAX_DELETIONS_SHARE
# of the files now live stops before touching anything, lists them, and needs `--force`
# (a --dest pointing at the wrong folder, or a build that lost most of its content).
# Set the share to 0 to limit by count alone, the count to 0 to limit by share alone.
PUBLISH_MAX_DELETIONS = 10
PUBLISH_MAX_DELETIONS_SHARE = 0.25
# Precompressed copies per target, for hosts that serve file.gz / file.br
# (nginx gzip_static); S3 and GitHub Pages compress on their own.
PUBLISH_PRECOMPRESS = {"local": [], "rsync": ["gz", "br"], "ghpages": [], "s3": []}
