"""The checker on the project's real built site: clean as built, and exact with problems planted.

(``tests/link_oracle.py`` holds an independent oracle, but it re-parses the
target page for every link and takes about a minute here; these tests assert
the planted problems directly instead.)
"""

from __future__ import annotations

import shutil

from tests.linkcheck_helpers import run_json


def test_real_site_is_clean(site):
    code, data = run_json(str(site))
    assert (code, data["broken"], data["warnings"]) == (0, [], [])
    assert data["checked"] > 100


def test_planted_problems_are_exactly_what_is_reported(site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    image = next(p for p in sorted((copy / "images").iterdir())
                 if p.suffix in (".png", ".jpg", ".svg", ".webp"))
    image.unlink()
    post = next(p for p in sorted((copy / "posts").rglob("index.html")))
    html = post.read_text(encoding="utf-8")
    assert "</article>" in html
    post.write_text(html.replace("</article>", '<a href="../no-such-post/">x</a>'
                                 '<a href="#no-such-heading">y</a></article>', 1),
                    encoding="utf-8")
    code, data = run_json(str(copy))
    assert code == 1
    rel = post.relative_to(copy).as_posix()
    planted = {(rel, "../no-such-post/"), (rel, "#no-such-heading")}
    reported = {(b["source"], b["target"]) for b in data["broken"]}
    assert planted <= reported
    others = reported - planted
    assert others  # the image is used somewhere
    assert all(target.split("?")[0].endswith(image.name) or image.name in target
               for _, target in others), others
