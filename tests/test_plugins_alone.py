"""Each plugin alone: a tiny site in tmp_path that loads only that plugin (and what it declares
it needs), built in a fresh process, since Pelican's signals outlive a build in one process.

The theme is Pelican's default with one override, ``article.html``, that prints what the
plugin computed; posts use Pelican's own ``Key: value`` header unless the plugin needs the
front matter reader.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_content

ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{{{ article.title }}}}</title></head>
<body><main>{probe}</main><article>{{{{ article.content }}}}</article></body></html>
"""
FRONTMATTER = "blogtools.plugins.frontmatter"


class Alone:
    """A tiny site whose build loads only the given plugins and Markdown extensions."""

    def __init__(self, root: Path):
        self.root = root
        self.output = root / "output"

    def write(self, relative: str, text: str | bytes) -> Path:
        return write_content(self.root / "content", relative, text)

    def post(self, name: str, body: str = "Hello.", **header) -> Path:
        """``content/posts/<name>.md`` with a Pelican header."""
        header.setdefault("title", name.replace("-", " ").title())
        header.setdefault("date", "2021-01-02 03:04")
        lines = [f"{key.title()}: {value}" for key, value in header.items()]
        return self.write(f"posts/{name}.md", "\n".join(lines) + "\n\n" + body + "\n")

    def build(self, plugins: list[str], *, probe: str = "", extensions=(), **settings):
        templates = self.root / "templates"
        templates.mkdir(exist_ok=True)
        (templates / "article.html").write_text(ARTICLE.format(probe=probe), encoding="utf-8")
        (self.root / "content" / "posts").mkdir(parents=True, exist_ok=True)
        values = {
            "PATH": str(self.root / "content"), "OUTPUT_PATH": str(self.output),
            "CACHE_PATH": str(self.root / "cache"), "TIMEZONE": "UTC", "SITEURL": "",
            "SITENAME": "Alone", "PUBLIC_URL": "https://example.org",
            "FEED_DOMAIN": "https://example.org", "FEED_ALL_ATOM": "feeds/all.atom.xml",
            "ARTICLE_PATHS": ["posts"], "PAGE_PATHS": ["pages"], "STATIC_PATHS": ["images"],
            "SLUGIFY_SOURCE": "basename",
            "ARTICLE_URL": "posts/{slug}/", "ARTICLE_SAVE_AS": "posts/{slug}/index.html",
            "THEME_TEMPLATES_OVERRIDES": [str(templates)], "LINK_CHECK_ON_BUILD": False,
            "PLUGINS": list(plugins),
            "MARKDOWN": {"extensions": list(extensions), "output_format": "html5"},
            **settings,
        }
        conf = self.root / "aloneconf.py"
        conf.write_text("".join(f"{key} = {json.dumps(value)}\n" for key, value in values.items())
                        .replace("null", "None").replace("false", "False").replace("true", "True"))
        done = subprocess.run([sys.executable, "-m", "blogtools.commands.build", "-s", str(conf)],
                              cwd=self.root, capture_output=True, text=True, timeout=120)
        return done

    def built(self, *args, **kwargs) -> None:
        done = self.build(*args, **kwargs)
        assert done.returncode == 0, done.stderr

    def page(self, relative: str = "posts/a/index.html") -> str:
        return (self.output / relative).read_text(encoding="utf-8")


@pytest.fixture
def alone(tmp_path) -> Alone:
    return Alone(tmp_path)


def test_the_harness_builds_plain_pelican_and_fails_on_a_missing_filter(alone):
    alone.post("a", "Plain text.")
    alone.built([], probe="probe:{{ article.title }}")
    assert "probe:A" in alone.page() and "Plain text." in alone.page()
    # A filter no loaded plugin provides fails the build: the probes below really need their plugin.
    assert alone.build([], probe="{{ article.content|describe_links }}").returncode == 1


def test_frontmatter_reads_hugo_toml(alone):
    alone.write("posts/a.md", '+++\ntitle = "From TOML"\ndate = 2021-01-02T03:04:05Z\n'
                              'tags = ["x"]\n+++\n\nBody text.\n')
    alone.built([FRONTMATTER], probe="{{ article.title }}|{{ article.tags|join(',') }}")
    assert "From TOML|x" in alone.page()


def test_anchors_extension_turns_raw_anchors_into_ids(alone):
    alone.post("a", '## Section\n\n<a name="Old"></a>\n\nText.')
    alone.built([], extensions=["blogtools.plugins.anchors"])
    assert '<span id="Old"></span>' in alone.page() and 'name="Old"' not in alone.page()


def test_mathml_extension_renders_tex(alone):
    alone.post("a", "Energy $E = mc^2$ here.")
    alone.built([], extensions=["blogtools.plugins.mathml"])
    assert "<math" in alone.page() and 'encoding="application/x-tex">E = mc^2<' in alone.page()


def test_root_links_follow_siteurl(alone):
    alone.post("a", "See [b](/posts/b) and ![i](/images/i.png).")
    alone.post("b", "B.")
    alone.write("images/i.png", b"\x89PNG\r\n\x1a\n")
    alone.built(["blogtools.plugins.root_links"], SITEURL="https://ex.org/blog")
    page = alone.page()
    assert 'href="https://ex.org/blog/posts/b/"' in page and 'src="https://ex.org/blog/images/i.png"' in page


def test_aliases_write_redirect_pages(alone):
    alone.write("posts/a.md", '+++\ntitle = "A"\ndate = 2021-01-02T03:04:05Z\n'
                              'aliases = ["/old/address/"]\n+++\n\nBody.\n')
    alone.built([FRONTMATTER, "blogtools.plugins.aliases"])
    redirect = alone.page("old/address/index.html")
    assert 'http-equiv="refresh"' in redirect and "/posts/a/" in redirect


def test_sourcemap_names_each_pages_markdown(alone):
    source = alone.post("a", "A.")
    alone.built(["blogtools.plugins.sourcemap"], SOURCEMAP_PATH=str(alone.root / "sources.json"))
    pages = json.loads((alone.root / "sources.json").read_text())
    assert str(source) in json.dumps(pages) and any("posts/a/index.html" in key for key in pages)


def test_drafts_are_flagged_in_preview(alone):
    alone.post("a", "Not yet.", status="draft")
    alone.built(["blogtools.plugins.drafts"], DRAFT_URL="drafts/{slug}/",
                DRAFT_SAVE_AS="drafts/{slug}/index.html")
    assert 'class="draft-flag"' in alone.page("drafts/a/index.html")


def test_unique_urls_stop_two_files_claiming_one_address(alone):
    first = alone.post("a", "One.", slug="same")
    second = alone.post("b", "Two.", slug="same")
    done = alone.build(["blogtools.plugins.unique_urls"])
    assert done.returncode == 1
    assert first.name in done.stderr and second.name in done.stderr


def test_reading_time_counts_words(alone):
    alone.post("a", " ".join(["word"] * 460))
    alone.built(["blogtools.plugins.reading_time"],
                probe="{{ article.word_count }} words, {{ article.reading_time }} min")
    assert "460 words, 2 min" in alone.page()


def test_toc_lists_the_headings_of_a_long_post(alone):
    sections = "\n\n".join(f"## Part {n}\n\n" + " ".join(["text"] * 250) for n in range(1, 4))
    alone.write("posts/a.md", f'+++\ntitle = "A"\ndate = 2021-01-02T03:04:05Z\n+++\n\n{sections}\n')
    alone.built([FRONTMATTER, "blogtools.plugins.toc"], extensions=["markdown.extensions.toc"],
                probe="{% for entry in article.table_of_contents %}[{{ entry.title }}]{% endfor %}")
    assert "[Part 1][Part 2][Part 3]" in alone.page()


def test_covers_know_the_image_size(alone):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (640).to_bytes(4, "big") + (360).to_bytes(4, "big")
    alone.write("images/c.png", png + b"\x08\x02\x00\x00\x00")
    alone.post("a", "A.", cover="/images/c.png")
    alone.built(["blogtools.plugins.covers"],
                probe="{{ article.cover_image.width }}x{{ article.cover_image.height }}")
    assert "640x360" in alone.page()


def test_related_posts_share_tags(alone):
    alone.post("a", "A.", tags="aws, ml")
    alone.post("b", "B.", tags="aws, ml", date="2021-02-01 00:00")
    alone.post("c", "C.", tags="cooking", date="2021-03-01 00:00")
    alone.built(["blogtools.plugins.related"],
                probe="{% for post in article.related_posts %}<{{ post.title }}>{% endfor %}")
    assert "<B>" in alone.page() and "<C>" not in alone.page()


def test_seo_writes_canonical_url_and_json_ld(alone):
    alone.post("a", "A short post.", summary="About A.")
    alone.built(["blogtools.plugins.seo"], probe="{{ article.canonical_url }}|{{ article.json_ld }}")
    page = alone.page()
    assert "https://example.org/posts/a/|" in page and '"@type":"BlogPosting"' in page.replace(" ", "")


def test_link_text_describes_links_that_say_here(alone):
    alone.post("a", "Found [here](https://www.udemy.com/course/aws-practice-exam/).")
    alone.built(["blogtools.plugins.link_text"], probe="{{ article.content|describe_links }}")
    assert "udemy.com" in alone.page().split("</main>")[0]


def test_scroll_boxes_can_be_scrolled_from_the_keyboard(alone):
    alone.post("a", "```\nwide code\n```")
    alone.built(["blogtools.plugins.scroll_boxes"], probe="{{ article.content|keyboard_scrollable }}",
                extensions=["markdown.extensions.fenced_code"])
    assert 'tabindex="0"' in alone.page().split("</main>")[0]


def test_stylesheet_inlines_the_themes_css(alone):
    theme = alone.root / "theme"
    (theme / "css").mkdir(parents=True)
    (theme / "templates").mkdir()
    (theme / "css" / "a.css").write_text("/* the body */\nbody {\n  color: red;\n}\n")
    alone.post("a", "A.")
    alone.built(["blogtools.plugins.stylesheet"], probe="<style>{{ STYLESHEET }}</style>{{ STYLESHEET_HASH }}",
                THEME=str(theme), THEME_STATIC_PATHS=[])
    page = alone.page()
    assert "<style>body{color: red}</style>'sha256-" in page


def test_feed_links_are_absolute(alone):
    alone.post("a", "Jump to [the end](#end).")
    alone.built(["blogtools.plugins.feed_links"], SITEURL="https://example.org")
    feed = (alone.output / "feeds" / "all.atom.xml").read_text()
    assert "https://example.org/posts/a/#end" in feed


def test_sitemap_and_robots_name_the_public_address(alone):
    alone.post("a", "A.")
    alone.built(["blogtools.plugins.sitemap", "blogtools.plugins.robots"])
    assert "<loc>https://example.org/posts/a/</loc>" in (alone.output / "sitemap.xml").read_text()
    assert "Sitemap: https://example.org/sitemap.xml" in (alone.output / "robots.txt").read_text()


@pytest.mark.parametrize("plugin", ["blogtools.plugins.toc", "blogtools.plugins.aliases",
                                    "blogtools.plugins.speed"])
def test_a_plugin_without_the_one_it_needs_stops_the_build_saying_what_to_add(alone, plugin):
    alone.post("a", "A.")
    done = alone.build([plugin])
    assert done.returncode == 1
    assert (f"aloneconf.py: PLUGINS: {plugin} needs {FRONTMATTER} "
            f"(add '{FRONTMATTER}' to PLUGINS)") in done.stderr


def test_the_speed_wing_alone_builds_what_plain_pelican_builds(alone, tmp_path):
    for n in range(20):
        alone.write(f"posts/p{n}.md", f'+++\ntitle = "P{n}"\ndate = 2021-01-{n + 1:02}T00:00:00Z\n'
                                      f'tags = ["t{n % 3}"]\n+++\n\nPost {n}, [first](/posts/p0/).\n')
    alone.built([FRONTMATTER, "blogtools.plugins.speed"], PRERENDER_MIN_FILES=2,
                PARALLEL_WRITE_MIN_PAGES=0, WRITE_PROCESSES=2)
    fast = {p.relative_to(alone.output): p.read_bytes() for p in alone.output.rglob("*") if p.is_file()}
    alone.built([FRONTMATTER])
    plain = {p.relative_to(alone.output): p.read_bytes() for p in alone.output.rglob("*") if p.is_file()}
    assert len(fast) > 20 and fast == plain


def test_taxonomy_slugs_name_emoji_tags_and_stop_two_names_sharing_a_page(alone):
    alone.post("a", "A.", tags="🚀, C")
    alone.built(["blogtools.plugins.taxonomy_slugs"], probe="{{ article.tags[0].url }}")
    assert "tag/rocket.html" in alone.page() and (alone.output / "tag" / "rocket.html").is_file()
    second = alone.post("b", "B.", tags="c!")
    done = alone.build(["blogtools.plugins.taxonomy_slugs"])
    assert done.returncode == 1
    # Pelican's header puts "Tags:" first, on line 1.
    assert f"{second.name}:1: tag 'c!' gets the address of tag 'C' (content/posts/a.md:1)" in done.stderr


def test_safe_files_alone_refuses_a_link_out_and_skips_dotfiles(alone, tmp_path):
    alone.post("a", "A.")
    alone.write("images/.env", "AWS_PROFILE=prod\n")
    alone.write("images/.well-known/security.txt", "Contact: mailto:me@example.org\n")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("not the blog's\n")
    alone.built(["blogtools.plugins.safe_files"])
    assert (alone.output / "images" / ".well-known" / "security.txt").is_file()
    assert not (alone.output / "images" / ".env").exists()
    (alone.root / "content" / "images" / "leak.txt").symlink_to(outside)
    done = alone.build(["blogtools.plugins.safe_files"])
    assert done.returncode == 1
    assert f"content/images/leak.txt: symlink to {outside}, outside the project" in done.stderr


def test_pelican_warnings_put_pelicans_own_warnings_on_their_line(alone):
    post = alone.post("a", "Intro.\n\nSee [gone]({filename}/posts/nope.md).")
    done = alone.build(["blogtools.plugins.pelican_warnings"])
    assert done.returncode == 1
    assert f"{post.name}:6: {{filename}}/posts/nope.md links to no file in the content folder" in done.stderr
    plain = alone.build([])  # Pelican's own text, with no file or line
    assert "Unable to find '/posts/nope.md', skipping url replacement." in plain.stderr
