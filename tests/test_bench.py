"""``invoke bench``: the generator is reproducible and realistic; a tiny pass runs end to end.

A smoke test only: it checks that every stage runs and writes its section,
never how fast anything was (the machine is shared; figures live in
docs/benchmarks.md).
"""

from __future__ import annotations

import re

from blogtools.bench import __main__ as bench
from blogtools.bench.generate import generate_posts


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
    assert re.search(r"\| the real site \| \d+\.\d\d s", text)
    assert re.search(r"\| 20 \| ours \(blogtools\.linkcheck\) \| \d", text)
    # Our checker finds all five planted problems and reports nothing else.
    assert re.search(r"\| 20 \| ours \(blogtools\.linkcheck\) \| [\d.]+ \| [^|]+ \| 5 / 5 \| 5 \|", text)
    assert re.search(r"critical path\) \| [\d,]+ B", text)
