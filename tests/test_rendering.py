"""The write-up renders faithfully: every section, list level, code line, emphasis and link.

Expected structures are derived from the Markdown source, not copied into the test.
"""

import re

from bs4 import BeautifulSoup

from tests.conftest import CONTENT, WRITEUP, WRITEUP_HTML

SOURCE = (CONTENT / WRITEUP).read_text(encoding="utf-8")
BODY = SOURCE.split("+++", 2)[2]
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def plain(markdown: str) -> str:
    text = LINK.sub(r"\1", markdown)
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"\*(.+?)\*", r"\1", text)
    return " ".join(text.split())


def article(site):
    """The post's rendered Markdown: no theme header, table of contents or footer.

    The link-text plugin adds visually hidden words to vague links ("here"); they
    are for screen readers, not part of what the author wrote, so they go too.
    """
    page = BeautifulSoup((site / WRITEUP_HTML).read_text(), "lxml")
    body = page.select_one("article .post-content")
    for hidden in body.select(".visually-hidden"):
        hidden.decompose()
    return body


def source_list_tree():
    """The Top Tips list as (text, children) parsed from the source's indentation."""
    section = BODY.split('<a name="TopTips"></a>')[1]
    items = [line for line in section.splitlines() if re.match(r"^( *)(?:-|\d+\.) ", line)]
    root: list = []
    stack = [(-1, root)]
    for line in items:
        indent = len(line) - len(line.lstrip())
        text = plain(re.sub(r"^\s*(?:-|\d+\.)\s+", "", line))
        while stack[-1][0] >= indent:
            stack.pop()
        node = (text, [])
        stack[-1][1].append(node)
        stack.append((indent, node[1]))
    return root


def html_list_tree(list_tag):
    tree = []
    for item in list_tag.find_all("li", recursive=False):
        own = "".join(str(s) if isinstance(s, str) else s.get_text()
                      for s in item.contents if getattr(s, "name", None) not in ("ul", "ol"))
        child = item.find(["ul", "ol"], recursive=False)
        tree.append((" ".join(own.split()), html_list_tree(child) if child else []))
    return tree


def test_top_tips_is_one_numbered_list_of_ten_tips_with_every_nested_item(site):
    # The author opened the list with "1." and went on with "-". CommonMark (the
    # old Hugo site) split that into a one-item numbered list and a bullet list;
    # we keep Python-Markdown's reading, one numbered list of all ten tips, which
    # is what "Top Tips" and the "1." say the author meant.
    heading = article(site).find(id="TopTips").find_parent("h2")
    top_list = heading.find_next(["ol", "ul"])
    assert top_list.name == "ol"
    expected = source_list_tree()
    assert len(expected) == 10
    assert html_list_tree(top_list) == expected
    assert top_list.find_next_sibling(["ol", "ul"]) is None


def test_fenced_block_is_verbatim_plain_text(site):
    code = re.search(r"```\n(.*?)```", BODY, re.S).group(1)
    blocks = article(site).select("pre code")
    assert len(blocks) == 1
    assert blocks[0].get_text() == code
    assert blocks[0].find("span") is None  # no guessed highlighting


def test_every_link_of_the_original_is_in_the_page(site):
    anchors = [(a.get_text(), a["href"]) for a in article(site).find_all("a", href=True)
               if "headerlink" not in (a.get("class") or [])]
    for text, url in LINK.findall(BODY):
        expected = url + "/" if url == "/posts/aws-ml-study-points" else url
        assert (text, expected) in anchors, (text, url)


def test_emphasis_is_kept(site):
    body = article(site)
    strong = {s.get_text() for s in body.find_all("strong")}
    em = {e.get_text() for e in body.find_all("em")}
    assert set(re.findall(r"\*\*(.+?)\*\*", BODY)) == strong
    singles = set(re.findall(r"(?<!\*)\*([^*\n]+?)\*(?!\*)", re.sub(r"\*\*.+?\*\*", "", BODY)))
    assert singles == em


def test_every_paragraph_and_heading_appears(site):
    text = " ".join(article(site).get_text(" ").split())
    text = re.sub(r"\s+([,.!?)])", r"\1", text).replace("( ", "(")
    in_code = False
    for line in BODY.splitlines():
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code or not line.strip() or line.startswith("<a name"):
            continue
        wanted = plain(re.sub(r"^\s*(?:#+|-|\d+\.)\s+", "", line))
        wanted = re.sub(r"\s+([,.!?)])", r"\1", wanted).replace("( ", "(")
        assert wanted in text, wanted
