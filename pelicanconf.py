"""Pelican settings for local writing and preview (``invoke build`` / ``livereload``).

Everything about the site lives here; ``publishconf.py`` only changes what
differs when publishing. URLs follow the author's old Hugo blog: posts at
``/posts/<slug>/``, the main feed also at ``/index.xml``.
"""

import os
import re

from pelican.settings import DEFAULT_CONFIG

AUTHOR = "Shane Nolan"
SITENAME = "Shane Nolan"
SITE_DESCRIPTION = "Notes on machine learning, AWS and building software."
# Pelican's name for it: the feeds' <subtitle> (Atom) and channel <description> (RSS).
SITESUBTITLE = SITE_DESCRIPTION
SITEURL = ""
# Absolute address of the published site, for canonical URLs, OpenGraph and
# JSON-LD, which must be absolute even in a local build.
PUBLIC_URL = os.environ.get("BLOG_PUBLIC_URL", "https://shanenolan.dev")

PATH = "content"
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "extra"]
EXTRA_PATH_METADATA = {
    "extra/favicon.svg": {"path": "favicon.svg"},
}
THEME = "theme"
TIMEZONE = "Europe/Dublin"
DEFAULT_LANG = "en"
DEFAULT_DATE = None
# "5 Dec 2020": Pelican formats each post's dates once (post.locale_date).
DEFAULT_DATE_FORMAT = "%-d %b %Y"
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "Notes"
DEFAULT_PAGINATION = 10
SLUGIFY_SOURCE = "basename"
OUTPUT_PATH = "output"
CACHE_PATH = "cache"
SOURCEMAP_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), CACHE_PATH, "sources.json")
# The live preview (invoke serve) listens here; Pelican's own names for it.
BIND = "127.0.0.1"
PORT = 8000

# Old Hugo addresses: /posts/<slug>/ saved as posts/<slug>/index.html.
ARTICLE_URL = "posts/{slug}/"
ARTICLE_SAVE_AS = "posts/{slug}/index.html"
ARTICLE_LANG_URL = "posts/{slug}-{lang}/"
ARTICLE_LANG_SAVE_AS = "posts/{slug}-{lang}/index.html"
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = "drafts/{slug}/index.html"
DRAFT_LANG_URL = "drafts/{slug}-{lang}/"
DRAFT_LANG_SAVE_AS = "drafts/{slug}-{lang}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DRAFT_PAGE_URL = "drafts/pages/{slug}/"
DRAFT_PAGE_SAVE_AS = "drafts/pages/{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
CATEGORY_URL = "categories/{slug}/"
CATEGORY_SAVE_AS = "categories/{slug}/index.html"
CATEGORIES_URL = "categories/"
CATEGORIES_SAVE_AS = "categories/index.html"
AUTHOR_URL = "authors/{slug}/"
AUTHOR_SAVE_AS = "authors/{slug}/index.html"
AUTHORS_URL = "authors/"
AUTHORS_SAVE_AS = "authors/index.html"
# Tag, category and author slugs. Pelican drops every symbol from a name, so C++,
# C# and C would share tags/c/; these (regular expression, replacement) pairs,
# matched case-insensitively after non-Latin letters are transliterated, spell
# symbols out before Pelican's own rules run: tags/c-plus-plus/, tags/c-sharp/,
# tags/c/. Add a pair for any other symbol that tells your names apart, e.g.
# (r"^\.net$", "dotnet"). blogtools.plugins.taxonomy_slugs slugs names without
# letters from their Unicode names (🚀 -> rocket) and stops the build if two
# different names still share a slug.
TAG_REGEX_SUBSTITUTIONS = [
    (r"\+", " plus "),
    (r"#", " sharp "),
] + DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]
CATEGORY_REGEX_SUBSTITUTIONS = TAG_REGEX_SUBSTITUTIONS
AUTHOR_REGEX_SUBSTITUTIONS = TAG_REGEX_SUBSTITUTIONS
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
YEAR_ARCHIVE_URL = "archives/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "archives/{date:%Y}/index.html"
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
INDEX_SAVE_AS = "index.html"
DIRECT_TEMPLATES = ["index", "tags", "categories", "authors", "archives", "404"]
TEMPLATE_PAGES = {}

# Feeds: Pelican's own, plus the Hugo blog's /index.xml (RSS 2.0) so existing
# subscribers keep receiving posts. Full content, never summaries.
# Local preview only; publishconf.py points feeds at the public site.
FEED_DOMAIN = f"http://{BIND}:{PORT}"
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
FEED_RSS = "index.xml"
FEED_ATOM = None
CATEGORY_FEED_ATOM = "feeds/categories/{slug}.atom.xml"
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = "feeds/tags/{slug}.atom.xml"
TAG_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
RSS_FEED_SUMMARY_ONLY = False
FEED_MAX_ITEMS = 20

PLUGIN_PATHS = []
PLUGINS = [
    "blogtools.plugins.frontmatter",
    # Pelican's own warnings about content, each on its file and line.
    "blogtools.plugins.pelican_warnings",
    # Before any plugin that reads a URL: settles each tag, category and author slug.
    "blogtools.plugins.taxonomy_slugs",
    "blogtools.plugins.root_links",
    "blogtools.plugins.aliases",
    "blogtools.plugins.sourcemap",
    "blogtools.plugins.drafts",
    "blogtools.plugins.unique_urls",
    # Theme: computed data the templates print, the inlined stylesheet, discovery files.
    "pelican.plugins.neighbors",
    "blogtools.plugins.reading_time",
    "blogtools.plugins.toc",
    "blogtools.plugins.covers",
    "blogtools.plugins.related",
    "blogtools.plugins.seo",
    "blogtools.plugins.link_text",
    "blogtools.plugins.scroll_boxes",
    "blogtools.plugins.stylesheet",
    "blogtools.plugins.feed_links",
    "blogtools.plugins.sitemap",
    "blogtools.plugins.robots",
    # No symlink out of the project, no dotfile in the output (PUBLISHED_DOTFILES below).
    "blogtools.plugins.safe_files",
    # Last: the same site on every core, rebuilt in part; it pins every URL once
    # the plugins above have settled them.
    "blogtools.plugins.speed",
]
# False builds with plain Pelican's writer and reader, one page at a time.
SPEED_WING = True
# Theme: its CSS is inlined by blogtools.plugins.stylesheet, so it has no static files.
THEME_STATIC_PATHS = []

# What never gets published (blogtools.plugins.safe_files). A symlink in content/ or
# theme/ must point inside this folder (the settings file's), or the build fails.
PROJECT_ROOT = os.path.dirname(os.path.abspath(__file__))
# Files and folders named .something are never published, except these names. Add
# ".htaccess" only if your host reads it (and it holds no password).
PUBLISHED_DOTFILES = [".well-known", ".nojekyll"]
# The secret scan of every build and deploy (blogtools.commands.secrets) stops on any
# AWS key, private key block, token or credentials file. A false positive (say, AWS's
# documented example key in a post) is allowed by the fingerprint the scan prints,
# with why: {"0123456789abcdef": "AWS's example key, in the IAM post"}. Nothing turns it off.
SECRETS_ALLOW = {}

MARKDOWN = {
    "extensions": [
        "markdown.extensions.extra",
        "markdown.extensions.codehilite",
        "markdown.extensions.toc",
        "blogtools.plugins.anchors",
        "blogtools.plugins.mathml",
    ],
    "extension_configs": {
        # A fence that names no language stays plain text: guessing paints
        # English prose as code.
        "markdown.extensions.codehilite": {"css_class": "highlight", "guess_lang": False},
        # A post's "# Heading" sits below the page's single <h1>, the title.
        "markdown.extensions.toc": {
            "baselevel": 2,
            "permalink": "#",
            "permalink_class": "headerlink",
            "permalink_title": "Link to this section",
        },
    },
    "output_format": "html5",
}

# Every build starts a new Jinja environment, so checking each template's
# modification time on every include (27,000 times on a 1,000-post site) buys nothing.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True,
                     "auto_reload": False}

# Content caching keeps a one-post rebuild fast in live preview.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CHECK_MODIFIED_METHOD = "mtime"
CONTENT_CACHING_LAYER = "reader"
# An uncompressed cache: gzip took a second of every 1,000-post build to save
# about 20 MB of disk.
GZIP_CACHE = False
# A rebuild renders only the pages an edit can change and links the rest from
# the last good output (blogtools.plugins.speed.render_cache); False renders every page.
RENDER_CACHE = True

DELETE_OUTPUT_DIRECTORY = False

# Every build runs the internal link check; `invoke linkcheck --external` also
# fetches external links, skipping URLs matching these patterns.
LINK_CHECK_ON_BUILD = True
LINKCHECK_EXCLUDE = [
    r"^https?://(www\.)?linkedin\.com/",  # answers 999 to every robot
    "^" + re.escape(FEED_DOMAIN) + "/",  # the local preview's own address
]

# Drafts (draft = true) and scheduled posts (dated in the future) are built for
# local preview at DRAFT_URL, flagged on the page (article.is_draft), and kept
# out of listings and feeds; publishconf.py drops them from the output.
WITH_FUTURE_DATES = False
PUBLISH_DRAFTS = True
TYPOGRIFY = False
