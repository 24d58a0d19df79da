"""Search and sharing data: canonical URLs, descriptions, OpenGraph images, JSON-LD.

Templates only print what this plugin computes:

* on every post and page: ``canonical_url`` (absolute, under ``PUBLIC_URL``),
  ``meta_description`` (plain text, from the description or summary),
  ``share_image`` (the cover's absolute URL or None) and ``json_ld``
  (``BlogPosting`` for posts, ``WebPage`` for pages) as script-safe Markup;
* Jinja filters ``absolute_url`` (a site path made absolute) and
  ``canonical_url`` (the page's output file made its absolute address);
* the Jinja global ``SITE_JSON_LD`` (``WebSite``) for the home page.

JSON-LD sits in a ``<script>`` element, so ``<``, ``>`` and ``&`` (and the
JavaScript line separators) are written as ``\\u003c``-style escapes: no
title or summary can close the element.
"""

from __future__ import annotations

import json
import re

from markupsafe import Markup
from pelican import signals
from pelican.contents import Article

from blogtools.plugins.site import all_content, public_base

DESCRIPTION_MAX = 160
SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                  "\u2028": "\\u2028", "\u2029": "\\u2029"}
SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029]")
INDEX_FILE = re.compile(r"(^|/)index\.html$")


def script_json(data) -> Markup:
    """JSON that cannot end or break out of the <script> element holding it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(SCRIPT_UNSAFE.sub(lambda m: SCRIPT_ESCAPES[m.group(0)], text))


def plain_text(html: str) -> str:
    return " ".join(Markup(html or "").striptags().split())


def shorten(text: str, limit: int = DESCRIPTION_MAX) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


class Seo:
    def __init__(self):
        self.public_url = ""

    # -- helpers -----------------------------------------------------------------

    def absolute_url(self, path) -> str:
        path = str(path or "")
        if path.startswith(("http://", "https://")):
            return path
        return self.public_url + "/" + path.lstrip("/")

    def canonical_url(self, output_file) -> str:
        return self.absolute_url(INDEX_FILE.sub(r"\1", str(output_file or "")))

    def person(self, author, settings) -> dict:
        return {"@type": "Person", "name": str(author),
                "url": self.absolute_url(settings.get("ABOUT_URL", "about/"))}

    # -- signals -----------------------------------------------------------------

    def initialized(self, pelican):
        settings = pelican.settings
        self.public_url = public_base(settings)

    def generator_init(self, generator):
        env = getattr(generator, "env", None)
        if env is None:
            return
        settings = generator.settings
        env.filters.update({"absolute_url": self.absolute_url, "canonical_url": self.canonical_url})
        env.globals["SITE_JSON_LD"] = script_json({
            "@context": "https://schema.org", "@type": "WebSite",
            "name": settings.get("SITENAME", ""), "url": self.public_url + "/",
            "description": settings.get("SITE_DESCRIPTION", ""),
            "inLanguage": settings.get("DEFAULT_LANG", "en"),
            "author": self.person(settings.get("AUTHOR", ""), settings),
        })

    def all_generators_finalized(self, generators):
        for content in all_content(generators):
            self.describe(content)

    def describe(self, content):
        settings = content.settings
        description = content.metadata.get("description") or plain_text(
            getattr(content, "summary", "") or "")
        content.meta_description = shorten(str(description)) or settings.get("SITE_DESCRIPTION", "")
        content.canonical_url = self.absolute_url(content.url)
        cover = getattr(content, "cover_image", None)
        content.share_image = cover["absolute"] if cover else None
        is_post = isinstance(content, Article)
        data = {
            "@context": "https://schema.org",
            "@type": "BlogPosting" if is_post else "WebPage",
            "headline" if is_post else "name": plain_text(content.title),
            "description": content.meta_description,
            "url": content.canonical_url,
            "mainEntityOfPage": {"@type": "WebPage", "@id": content.canonical_url},
            "inLanguage": getattr(content, "lang", settings.get("DEFAULT_LANG", "en")),
        }
        if is_post:
            data["datePublished"] = content.date.isoformat()
            modified = getattr(content, "modified", None)
            data["dateModified"] = (modified or content.date).isoformat()
            authors = getattr(content, "authors", None) or [settings.get("AUTHOR", "")]
            data["author"] = [self.person(author, settings) for author in authors]
            data["publisher"] = self.person(settings.get("AUTHOR", ""), settings)
            tags = [str(tag) for tag in getattr(content, "tags", None) or []]
            keywords = tags + [k for k in content.metadata.get("keywords", []) if k not in tags]
            if keywords:
                data["keywords"] = keywords
            if getattr(content, "word_count", None):
                data["wordCount"] = content.word_count
        if content.share_image:
            data["image"] = content.share_image
        content.json_ld = script_json(data)


SEO = Seo()


def register():
    signals.initialized.connect(SEO.initialized)
    signals.generator_init.connect(SEO.generator_init)
    signals.all_generators_finalized.connect(SEO.all_generators_finalized)
