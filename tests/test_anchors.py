"""The write-up's TOC fragments land on their sections; ids are valid, readable and unique."""

from collections import Counter

from bs4 import BeautifulSoup

from tests.conftest import WRITEUP_HTML
from tests.link_oracle import pages

TOC = {
    "LearningMaterials": "Learning Materials",
    "SampleExamSources": "Sample Exam Sources",
    "AboutTheExam": "About The Exam",
    "TopTips": "Top Tips",
}


def soup_of(site):
    return BeautifulSoup((site / WRITEUP_HTML).read_text(), "lxml")


def test_each_toc_fragment_is_the_start_of_its_section_heading(site):
    soup = soup_of(site)
    for fragment, heading_text in TOC.items():
        assert soup.find("a", href=f"#{fragment}") is not None
        target = soup.find(id=fragment)
        heading = target.find_parent("h2")
        assert heading is not None, fragment
        assert heading.get_text(" ", strip=True).startswith(heading_text)
        # The target opens the heading: nothing is rendered before it.
        assert heading.contents[0] is target and target.get_text() == ""


def test_old_anchors_are_html5_ids_with_no_empty_paragraphs(site):
    soup = soup_of(site)
    assert soup.find_all(attrs={"name": True}, recursive=True) == [
        m for m in soup.find_all("meta") if m.get("name")]
    for paragraph in soup.find_all("p"):
        assert paragraph.get_text(strip=True) or paragraph.find(["img", "svg", "math"]), paragraph


def test_headings_have_readable_ids_and_visible_permalinks(site):
    soup = soup_of(site)
    for heading_text in TOC.values():
        slug = heading_text.lower().replace(" ", "-")
        heading = soup.find("h2", id=slug)
        assert heading is not None, slug
        permalink = heading.find("a", class_="headerlink")
        assert permalink["href"] == f"#{slug}" and permalink.get_text(strip=True)


def test_post_sections_sit_below_the_single_h1(site):
    soup = soup_of(site)
    assert [h.get_text(strip=True) for h in soup.find_all("h1")] == [
        "AWS Machine Learning Specialty Certification"]
    levels = [int(h.name[1]) for h in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:]))


def test_no_page_has_a_duplicate_id(site):
    checked = 0
    for page in pages(site):
        if page.suffix != ".html":
            continue
        ids = Counter(t["id"] for t in BeautifulSoup(page.read_text(), "lxml").find_all(id=True))
        assert [i for i, n in ids.items() if n > 1] == [], page
        checked += 1
    assert checked >= 10


def test_author_anchor_elsewhere_becomes_an_id(tiny_site):
    tiny_site.post("p", 'Text <a name="Here"></a> more.\n\n## Sub\n<a name="Sub1"></a>\n')
    assert tiny_site.build().ok
    html = tiny_site.html("posts/p/index.html")
    assert '<a id="Here"></a>' in html
    assert '<h3 id="sub"><span id="Sub1"></span>Sub' in html
    assert 'name="Here"' not in html and "<p></p>" not in html
