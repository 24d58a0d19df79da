"""The theme's HTML: landmarks, one h1, ordered headings, dates, reading time, TOC, CSP."""

from __future__ import annotations

import base64
import hashlib
import re

from bs4 import BeautifulSoup

from tests.conftest import STUDY_POINTS_HTML, WRITEUP_HTML
from tests.theme_helpers import html_pages, soup_of


def test_every_page_has_lang_landmarks_skip_link_and_one_h1(site):
    pages = html_pages(site)
    assert len(pages) > 10
    for path in pages:
        soup = soup_of(path)
        assert soup.html.get("lang") == "en", path
        assert len(soup.find_all("main")) == 1, path
        assert soup.find("header", class_="site-header") and soup.find("footer", class_="site-footer")
        assert soup.find("nav", attrs={"aria-label": "Main"}), path
        first_link = soup.body.find("a")
        assert "skip-link" in first_link["class"] and first_link["href"] == "#main", path
        assert len(soup.find_all("h1")) == 1, path


def test_headings_never_skip_a_level(site):
    for path in html_pages(site):
        levels = [int(h.name[1]) for h in soup_of(path).find_all(re.compile(r"^h[1-6]$"))]
        assert levels[0] == 1, path
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, (path, levels)


def test_no_inline_style_or_script_and_csp_hash_matches(site):
    for path in html_pages(site):
        raw = path.read_text(encoding="utf-8")
        soup = BeautifulSoup(raw, "lxml")
        assert not soup.find(attrs={"style": True}), path
        assert not [s for s in soup.find_all("script") if s.get("type") != "application/ld+json"], path
        assert not re.search(r"\son[a-z]+=", raw), path
        styles = soup.find_all("style")
        assert len(styles) == 1, path
        css = re.search(r"<style>(.*?)</style>", raw, re.S).group(1)
        digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
        policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
        assert f"'sha256-{digest}'" in policy, path
        for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'",
                          "base-uri 'self'", "form-action 'self'", "img-src 'self' data:"):
            assert directive in policy
        assert soup.find("meta", attrs={"name": "referrer"})["content"] == "strict-origin-when-cross-origin"
        # The policy must come before the style it allows.
        assert raw.index("Content-Security-Policy") < raw.index("<style>")


def test_stylesheet_is_small_and_has_both_schemes_print_and_reduced_motion(site):
    css = re.search(r"<style>(.*?)</style>", (site / "index.html").read_text(), re.S).group(1)
    assert len(css) < 12_000
    assert "prefers-color-scheme:dark" in css.replace(" ", "")
    assert "@media print" in css and "prefers-reduced-motion" in css
    # Colours only in custom properties: no hex colour outside the variable blocks.
    outside = re.sub(r":root\{[^}]*\}", "", css)
    outside = re.sub(r"@media print\{:root\{[^}]*\}", "", outside)
    assert not re.findall(r"#[0-9a-fA-F]{3,8}\b", outside)


def test_article_has_dates_reading_time_cover_toc_and_permalinks(site):
    soup = soup_of(site / WRITEUP_HTML)
    meta = soup.find(class_="post-meta")
    time = meta.find("time")
    assert time["datetime"] == "2020-12-15T12:22:50+00:00"
    assert re.search(r"\b\d+ min read\b", meta.get_text())
    cover = soup.find("figure", class_="cover").img
    assert cover["src"] == "/images/avatar.png" and cover["width"] == "256" and cover["alt"] == ""
    toc = soup.find("details", class_="toc")
    assert toc is not None and not toc.has_attr("open")
    targets = [a["href"][1:] for a in toc.find_all("a")]
    assert "learning-materials" in targets and "top-tips" in targets
    for target in targets:
        assert soup.find(id=target), target
    links = soup.select("h2 > a.headerlink")
    assert len(links) >= 4
    assert all(a.get("aria-label", "").startswith("Link to section: ") for a in links)


def test_reading_time_counts_words_not_markup(site):
    from blogtools.plugins.reading_time import count_words, minutes

    html = '<p>one <a href="https://example.org/a-very-long-address">two</a></p>' \
           '<math><semantics><mi>x</mi><annotation encoding="application/x-tex">\\frac{a}{b}</annotation>' \
           '</semantics></math><h2 id="x">Three<a class="headerlink" href="#x">#</a></h2>'
    assert count_words(html) == 4
    assert minutes(0) == 1 and minutes(231) == 2
    text = (site / WRITEUP_HTML).read_text()
    minutes_shown = int(re.search(r"(\d+) min read", text).group(1))
    assert 7 <= minutes_shown <= 12  # about 2,000 words


def test_previous_next_and_related_posts(site):
    soup = soup_of(site / WRITEUP_HTML)
    nav = soup.find("nav", class_="post-nav")
    assert nav.find("a", rel="next")["href"] == "/posts/aws-ml-study-points/"
    study = soup_of(site / STUDY_POINTS_HTML)
    assert study.find("nav", class_="post-nav").find("a", rel="prev")["href"] == \
        "/posts/aws-ml-specialty-certification/"


def test_generic_link_text_gets_a_description_but_keeps_its_words(site):
    soup = soup_of(site / WRITEUP_HTML)
    here = [a for a in soup.select(".post-content a") if a.contents and a.contents[0] == "here"]
    assert len(here) == 4
    names = [a.get_text() for a in here]
    assert names[0] == "here: AWS machine learning practice exam (udemy.com)"
    assert all(a.find("span", class_="visually-hidden") for a in here)
    assert "(PDF, d1.awsstatic.com)" in names[2] and "(aws.training)" in names[3]


def test_listings_archives_terms_and_404(site):
    home = soup_of(site / "index.html")
    titles = [h.get_text() for h in home.select(".post-entry h2")]
    assert len(titles) == 2
    dates = [t["datetime"] for t in home.select(".post-entry .post-meta time")]
    assert dates == sorted(dates, reverse=True)
    assert home.select_one(".post-entry .entry-cover img")["alt"] == ""
    archives = soup_of(site / "archives/index.html")
    assert archives.find("h2", id="y2020").a["href"] == "/archives/2020/"
    for listing in ("tags/index.html", "categories/index.html", "authors/index.html",
                    "archives/2020/index.html", "tags/aws/index.html", "authors/shane-nolan/index.html"):
        assert soup_of(site / listing).select("main a"), listing
    missing = soup_of(site / "404.html")
    assert missing.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert missing.find("a", href="/")


def test_about_page_in_navigation(site):
    about = soup_of(site / "about/index.html")
    assert about.h1.get_text() == "About"
    assert about.find("a", attrs={"aria-current": "page"})["href"] == "/about/"
    assert "922" in about.get_text() and "ServisBOT" in about.get_text()


def test_drafts_stay_out_of_listings_and_toc_can_be_turned_off(tiny_site):
    long_body = "\n\n".join(f"# Part {n}\n\n" + "word " * 250 for n in range(4))
    tiny_site.post("long", long_body, tags=["shared"])
    tiny_site.post("short-toc-off", long_body, toc=False, tags=["shared"], date="2021-02-01T00:00:00Z")
    tiny_site.post("secret", "Draft text.", draft=True, tags=["shared"], date="2021-03-01T00:00:00Z")
    result = tiny_site.build()
    assert result.ok, result.problems
    assert 'class="toc"' in tiny_site.html("posts/long/index.html")
    assert 'class="toc"' not in tiny_site.html("posts/short-toc-off/index.html")
    for listing in ("index.html", "tags/shared/index.html", "archives/index.html"):
        assert "secret" not in tiny_site.html(listing), listing
    related = BeautifulSoup(tiny_site.html("posts/long/index.html"), "lxml").find("section", class_="related")
    assert [a["href"] for a in related.find_all("a")] == ["/posts/short-toc-off/"]


def test_a_post_in_another_language_says_so(tiny_site):
    tiny_site.post("bonjour", "Un billet en français.", lang="fr")
    tiny_site.post("hello", "A post in English.")
    tiny_site.write("pages/a-propos.md", '+++\ntitle = "À propos"\nlang = "fr"\n+++\n\nMoi.\n')
    result = tiny_site.build()
    assert result.ok, result.problems
    assert tiny_site.html("posts/bonjour-fr/index.html").startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert tiny_site.html("pages/a-propos-fr.html").startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert tiny_site.html("posts/hello/index.html").startswith('<!DOCTYPE html>\n<html lang="en">')
