"""The site's Pelican plugins and Markdown extensions: only what ``PLUGINS`` and ``MARKDOWN`` load.

Shared by all of them: ``site.py`` (the one definition of the site's content
objects, its public address, the build's plugin list and declared needs) and
``pelican_private.py`` (every private Pelican name any of them uses, checked).

Reading and Markdown:
    ``frontmatter``   Hugo TOML/YAML or Pelican headers, Hugo keys, file:line errors
    ``pelican_warnings`` Pelican's own warnings about content, each on its file:line
    ``anchors``       Markdown extension: raw ``<a name>`` anchors become HTML5 ids
    ``mathml``        Markdown extension: ``$``/``$$`` TeX to MathML at build time
Content and URLs:
    ``root_links``    root-relative links in content follow ``SITEURL``
    ``aliases``       Hugo ``aliases`` become redirect pages
    ``drafts``        drafts and scheduled posts: flagged in preview, dropped when publishing
    ``unique_urls``   two content files never claim one address
    ``taxonomy_slugs`` each tag, category and author name gets its own readable address
    ``sourcemap``     which content file each built page came from (for the link check)
    ``safe_files``    no symlink out of the project, no dotfile in the output
What the theme prints:
    ``reading_time``, ``toc``, ``covers``, ``related``, ``seo``, ``link_text``,
    ``scroll_boxes``, ``stylesheet``
Site files:
    ``feed_links``    feed entries carry absolute URLs only
    ``sitemap``, ``robots``
Imported Hugo sites only (listed by the settings ``invoke import-hugo`` writes):
    ``hugo_content``  Hugo's content model: front matter, addresses, bundles, sections, lists
    ``hugo_urls``     Hugo's addresses as pure functions (permalinks, urlize, aliases)
The speed wing (``speed/``): the same site on every core, rebuilt in part.

A plugin imports Pelican, Markdown, Jinja and the modules here, never the
commands, the deploy targets, the link checker or the benchmarks
(``pyproject.toml``'s import contracts). A new plugin is one module with
``register()`` at the bottom, listed in ``PLUGINS``, with a test that builds a
tiny site loading it alone (``tests/test_plugins_alone.py``).
"""
