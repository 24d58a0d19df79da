"""Realistic generated posts, reproducible from a seed, and temporary site copies.

Every post is about 1,500 words of prose with what the author's real posts
contain: ``#``/``##`` headings, nested bulleted and numbered lists, a table,
fenced code in two languages (Python plus one of bash, YAML, JSON or SQL),
inline ``$...$`` and display ``$$...$$`` math, emphasis, inline code, external
links, internal links to other posts (root-relative ``/posts/<slug>/``, some
with a ``#heading-id`` fragment) and fragment links to the post's own headings,
tags, a category and a date spread over the years 2012-2025.

The same post can be written in three headers (``STYLES``): Hugo TOML ``+++``
front matter (like ``content/posts/aws-ml-specialty-certification.md``), YAML
``---`` front matter, both read by ``blogtools.plugins.frontmatter``, or
Pelican's ``Title:``/``Date:`` header, which our reader takes too and which a bare
Pelican build with default settings needs, as it cannot read TOML. The bodies are
byte for byte the same.

``make_site(root, n, seed, style)`` copies the real site (settings, theme, content)
into ``root`` and adds ``n`` generated posts next to the real ones;
``make_bare_site(root, n, seed)`` writes the same posts, and the real posts
converted to Pelican headers, with a minimal Pelican settings file;
``make_hugo_site(root, n, seed)`` writes the same posts, the real posts and the
About page in their TOML front matter (plus a ``slug``, which Hugo's ``:slug``
permalink needs) into a minimal Hugo site whose few layouts render what our
theme renders per page (``HUGO_LAYOUTS``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from markdown.extensions.toc import slugify

REPO = Path(__file__).resolve().parents[1]
SLUG_PREFIX = "bench-"
# Front matter styles our reader takes: Hugo TOML (+++), YAML (---), Pelican's Key: value.
STYLES = ("toml", "yaml", "pelican")

WORDS = ["model", "data", "training", "feature", "gradient", "loss", "batch", "epoch", "layer", "network", "weight", "bias", "cluster", "node", "service", "endpoint", "request", "latency", "throughput", "cache", "queue", "stream", "bucket", "region", "instance", "container", "image", "deploy", "pipeline", "schema", "table", "index", "query", "shard", "replica", "partition", "window", "metric", "alarm", "dashboard", "budget", "cost", "policy", "role", "account", "secret", "token", "key", "certificate", "certificate-chain", "backup", "snapshot", "restore", "migration", "version", "release", "branch", "commit", "review", "test", "fixture", "mock", "build", "artifact", "registry", "vector", "matrix", "tensor", "scalar", "embedding", "token", "sequence", "attention", "encoder", "decoder", "sample", "estimate", "variance", "mean", "median", "outlier", "histogram", "baseline", "threshold", "signal", "precision", "recall", "accuracy", "score", "label", "class", "category", "split", "fold", "holdout", "leakage", "notebook", "script", "module", "package", "library", "function", "method", "object", "record", "field", "value"]
FILLERS = ["the", "a", "this", "that", "each", "every", "some", "most", "our", "their", "its", "one", "another", "any"]
VERBS = ["reads", "writes", "trains", "scales", "improves", "reduces", "tracks", "stores", "returns", "caches", "measures", "splits", "normalises", "encodes", "validates", "deploys", "monitors", "predicts", "retries", "compresses"]
LINKERS = ["and", "but", "so", "because", "while", "although", "which means", "until"]
ADJECTIVES = ["fast", "slow", "cheap", "expensive", "simple", "robust", "noisy", "sparse", "dense", "stale", "fresh", "large", "small", "managed", "serverless", "distributed", "regularised", "balanced", "skewed", "reproducible"]
TOPICS = [
    ("Machine Learning", ["sagemaker", "xgboost", "feature-engineering", "deep-learning",
                          "nlp", "computer-vision", "statistics", "hyperparameters"]),
    ("AWS", ["lambda", "s3", "dynamodb", "kinesis", "glue", "athena", "iam", "cloudformation"]),
    ("Python", ["pandas", "numpy", "packaging", "testing", "asyncio", "typing"]),
    ("DevOps", ["ci", "docker", "kubernetes", "terraform", "observability"]),
    ("Data Engineering", ["spark", "airflow", "parquet", "sql", "etl"]),
    ("Career", ["certification", "study", "interviews", "mentoring"]),
    ("Security", ["encryption", "kms", "vpc", "threat-modelling"]),
    ("Notes", ["til", "reading", "tools"]),
]
HEADINGS = [
    "Background", "The Problem", "First Attempt", "What Went Wrong", "Measuring It",
    "The Data", "Feature Engineering", "Training", "Evaluation", "Deployment",
    "Costs", "Monitoring", "Security Notes", "Lessons Learned", "Further Reading",
    "Setting Up", "A Worked Example", "Edge Cases", "Performance", "Trade-offs",
    "Alternatives", "The Maths", "Results", "Next Steps", "Open Questions",
]
SUBHEADINGS = [
    "Step One", "Step Two", "A Closer Look", "Why It Matters", "In Practice",
    "Gotchas", "Numbers", "Configuration", "Caveats", "Summary",
]
INLINE_MATH = [
    r"\alpha", r"\hat{y}", r"\frac{a}{b}", r"\sqrt{x}", r"O(n \log n)", r"\mathbb{E}[X]",
    r"\lambda \lVert w \rVert_2^2", r"x_i^2", r"\sigma(z)", r"\nabla_\theta J(\theta)",
    r"\log p(x)", r"\mathbf{w}^T \mathbf{x} + b",
]
DISPLAY_MATH = [
    r"\sigma(z) = \frac{1}{1 + e^{-z}}",
    r"P(A \mid B) = \frac{P(B \mid A) P(A)}{P(B)}",
    r"\text{precision} = \frac{TP}{TP + FP}",
    r"\sum_{i=1}^{n} x_i^2",
    r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}",
    r"\int_0^1 x\,dx = \frac{1}{2}",
    r"\theta \leftarrow \theta - \eta \nabla_\theta J(\theta)",
    r"\operatorname{argmax}_x f(x)",
]
PYTHON_SNIPPETS = [
    '''import boto3

def list_keys(bucket: str, prefix: str = "") -> list[str]:
    """Every key under a prefix, following continuation tokens."""
    s3 = boto3.client("s3")
    keys, token = [], None
    while True:
        kwargs = {"Bucket": bucket, "Prefix": prefix}
        if token:
            kwargs["ContinuationToken"] = token
        page = s3.list_objects_v2(**kwargs)
        keys += [item["Key"] for item in page.get("Contents", [])]
        token = page.get("NextContinuationToken")
        if not token:
            return keys''',
    '''from dataclasses import dataclass

@dataclass
class Split:
    train: float = 0.7
    validation: float = 0.15
    test: float = 0.15

    def __post_init__(self):
        total = self.train + self.validation + self.test
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"fractions add up to {total}, not 1")''',
    '''import numpy as np

def softmax(z: np.ndarray) -> np.ndarray:
    shifted = z - z.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)

print(softmax(np.array([1.0, 2.0, 3.0])))''',
]
OTHER_SNIPPETS = [
    ("bash", '''#!/usr/bin/env bash
set -euo pipefail
for region in eu-west-1 us-east-1; do
  aws sagemaker list-endpoints --region "$region" \\
    --query 'Endpoints[].EndpointName' --output text
done'''),
    ("yaml", '''Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Enabled
      LifecycleConfiguration:
        Rules:
          - Id: expire-old
            Status: Enabled
            ExpirationInDays: 30'''),
    ("json", '''{
  "TrainingJobName": "xgb-2020-12-15",
  "AlgorithmSpecification": {"TrainingInputMode": "File"},
  "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1},
  "StoppingCondition": {"MaxRuntimeInSeconds": 3600}
}'''),
    ("sql", '''SELECT region, date_trunc('day', created_at) AS day, count(*) AS requests
FROM access_logs
WHERE status >= 500
GROUP BY 1, 2
ORDER BY day DESC
LIMIT 50;'''),
]


@dataclass
class Post:
    slug: str
    title: str
    date: dt.datetime
    category: str
    tags: list[str]
    summary: str
    body: str
    headings: list[str] = field(default_factory=list)   # heading ids in the body

    def toml(self) -> str:
        tags = ", ".join(f'"{t}"' for t in self.tags)
        return (f'+++\ntitle = "{self.title}"\n'
                f'date = {self.date.strftime("%Y-%m-%dT%H:%M:%SZ")}\n'
                f'author = "Shane Nolan"\ntags = [{tags}]\ncategories = ["{self.category}"]\n'
                f'summary = "{self.summary}"\n+++\n\n{self.body}')

    def yaml(self) -> str:
        # JSON strings are YAML strings: json.dumps quotes any title safely.
        tags = ", ".join(json.dumps(t) for t in self.tags)
        return (f'---\ntitle: {json.dumps(self.title)}\n'
                f'date: {self.date.strftime("%Y-%m-%dT%H:%M:%SZ")}\n'
                f'author: Shane Nolan\ntags: [{tags}]\ncategories: [{json.dumps(self.category)}]\n'
                f'summary: {json.dumps(self.summary)}\n---\n\n{self.body}')

    def pelican(self) -> str:
        return (f"Title: {self.title}\nDate: {self.date.strftime('%Y-%m-%d %H:%M')}\n"
                f"Author: Shane Nolan\nTags: {', '.join(self.tags)}\nCategory: {self.category}\n"
                f"Slug: {self.slug}\nSummary: {self.summary}\n\n{self.body}")

    def text(self, style: str) -> str:
        """The post as a file with front matter in ``style`` (one of ``STYLES``)."""
        if style not in STYLES:
            raise ValueError(f"front matter style is one of {', '.join(STYLES)}, not {style!r}")
        return getattr(self, style)()


class _Writer:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def sentence(self, words: int | None = None) -> str:
        rng = self.rng
        n = words or rng.randint(9, 22)
        out = []
        while len(out) < n:
            out += [rng.choice(FILLERS), rng.choice(ADJECTIVES), rng.choice(WORDS),
                    rng.choice(VERBS), rng.choice(FILLERS), rng.choice(WORDS)]
            if len(out) < n - 4 and rng.random() < 0.4:
                out.append(rng.choice(LINKERS))
        text = " ".join(out[:n])
        return text[0].upper() + text[1:] + rng.choice(".....?!")

    def paragraph(self, sentences: int | None = None, extras: list[str] = ()) -> str:
        rng = self.rng
        parts = [self.sentence() for _ in range(sentences or rng.randint(3, 6))]
        # Decorate a few words: emphasis, strong, inline code (never inside math or links).
        for marker in ("*", "**", "`"):
            if rng.random() < 0.7:
                k = rng.randrange(len(parts))
                words = parts[k].split(" ")
                i = rng.randrange(1, len(words) - 1)
                if words[i].isalpha():
                    words[i] = f"{marker}{words[i]}{marker}"
                parts[k] = " ".join(words)
        for extra in extras:
            i = rng.randrange(len(parts))
            parts[i] = parts[i][:-1] + ", " + extra + parts[i][-1]
        return " ".join(parts)


def _title(rng: random.Random, i: int) -> str:
    words = [rng.choice(ADJECTIVES).title(), rng.choice(WORDS).title(),
             rng.choice(["Notes", "Pipelines", "In Practice", "Lessons", "Deep Dive",
                         "Checklist", "Field Guide", "Post-mortem"])]
    return f"{' '.join(words)} {i + 1}"


def generate_posts(n: int, seed: int = 8, *, words: int = 1500,
                   extra_targets: list[tuple[str, list[str]]] = ()) -> list[Post]:
    """``n`` posts, the same for the same ``(n, seed)``; bodies are ~``words`` words.

    ``extra_targets`` are ``(slug, heading ids)`` of real posts the generated
    ones may also link to.
    """
    rng = random.Random(seed)
    start = dt.datetime(2012, 1, 1, 8, 0, 0)
    span = (dt.datetime(2025, 12, 31) - start).total_seconds()
    posts: list[Post] = []
    for i in range(n):
        category, tag_pool = TOPICS[rng.randrange(len(TOPICS))]
        tags = rng.sample(tag_pool, rng.randint(2, min(4, len(tag_pool))))
        if rng.random() < 0.3:
            tags.append(rng.choice(TOPICS[rng.randrange(len(TOPICS))][1]))
        tags = list(dict.fromkeys(tags))
        date = start + dt.timedelta(seconds=int(rng.random() * span))
        title = _title(rng, i)
        slug = f"{SLUG_PREFIX}{i + 1:05d}"
        summary = _Writer(rng).sentence(18).rstrip(".?!") + "."
        posts.append(Post(slug, title, date, category, tags, summary, body=""))
    # Headings first, so posts can link to each other's sections.
    for post in posts:
        chosen = rng.sample(HEADINGS, 7)
        post.headings = chosen
    targets = [(p.slug, [slugify(h, "-") for h in p.headings]) for p in posts]
    targets += list(extra_targets)
    for post in posts:
        post.body = _body(rng, post, targets, words)
    return posts


def _body(rng: random.Random, post: Post, targets, words: int) -> str:
    w = _Writer(rng)
    ids = [slugify(h, "-") for h in post.headings]

    def other_post_link() -> str:
        slug, heading_ids = rng.choice(targets)
        if slug == post.slug and len(targets) > 1:
            slug, heading_ids = rng.choice(targets)
        url = f"/posts/{slug}/"
        if heading_ids and rng.random() < 0.4:
            url += "#" + rng.choice(heading_ids)
        return f"[an earlier post]({url})" if rng.random() < 0.5 else f"[see this]({url})"

    def own_fragment_link() -> str:
        i = rng.randrange(len(ids))
        return f"[{post.headings[i].lower()}](#{ids[i]})"

    blocks: list[str] = []
    # An introduction with a small table of contents, as the author writes.
    blocks.append(w.paragraph(3, [other_post_link()]))
    blocks.append("\n".join(f"- [{h}](#{i})" for h, i in zip(post.headings, ids)))
    lang, snippet = OTHER_SNIPPETS[rng.randrange(len(OTHER_SNIPPETS))]
    python_snippet = rng.choice(PYTHON_SNIPPETS)
    features = ["list", "table", "python", "other", "display", "numbered", "subsections"]
    rng.shuffle(features)
    for k, heading in enumerate(post.headings):
        blocks.append(f"# {heading}")
        blocks.append(w.paragraph(rng.randint(2, 4), [f"${rng.choice(INLINE_MATH)}$"]))
        blocks.append(w.paragraph(rng.randint(2, 4), [other_post_link() if rng.random() < 0.6
                                                      else own_fragment_link()]))
        feature = features[k] if k < len(features) else None
        if feature == "list":
            items = []
            for _ in range(rng.randint(3, 5)):
                items.append(f"- {w.sentence(rng.randint(5, 12))}")
                if rng.random() < 0.6:
                    for _ in range(rng.randint(2, 3)):
                        items.append(f"    - {w.sentence(rng.randint(4, 9))}")
                        if rng.random() < 0.3:
                            items.append(f"        - `{rng.choice(WORDS)}` "
                                         f"{w.sentence(rng.randint(3, 6))}")
            blocks.append("\n".join(items))
        elif feature == "numbered":
            items = []
            for j in range(rng.randint(3, 5)):
                items.append(f"{j + 1}. {w.sentence(rng.randint(6, 12))}")
                if rng.random() < 0.5:
                    items.append(f"    - {w.sentence(rng.randint(4, 8))}")
            blocks.append("\n".join(items))
        elif feature == "table":
            rows = ["| Service | Metric | Value | Notes |", "| --- | --- | ---: | --- |"]
            for _ in range(rng.randint(4, 7)):
                rows.append(f"| {rng.choice(WORDS)} | {rng.choice(WORDS)} | "
                            f"{rng.randint(1, 9999)} | {w.sentence(rng.randint(3, 6))} |")
            blocks.append("\n".join(rows))
        elif feature == "python":
            blocks.append(f"```python\n{python_snippet}\n```")
        elif feature == "other":
            blocks.append(f"```{lang}\n{snippet}\n```")
        elif feature == "display":
            blocks.append(f"$${rng.choice(DISPLAY_MATH)}$$")
        elif feature == "subsections":
            for sub in rng.sample(SUBHEADINGS, 2):
                blocks.append(f"## {sub} of {heading}")
                blocks.append(w.paragraph(2))
    # Top up to the target length with plain paragraphs under the last heading.
    text = "\n\n".join(blocks)
    count = len(text.split())
    while count < words - 40:
        para = w.paragraph()
        blocks.insert(len(blocks) - 1, para)
        count += len(para.split())
    return "\n\n".join(blocks) + "\n"


# --- sites -----------------------------------------------------------------------

def _real_posts() -> list[Path]:
    return sorted((REPO / "content" / "posts").glob("*.md"))


def real_targets() -> list[tuple[str, list[str]]]:
    """(slug, []) of the real posts, so generated posts can link to them.

    No fragments: the real posts' heading ids depend on their Markdown (explicit
    ``{#id}``, inline markup), which is the content engineer's to change.
    """
    return [(path.stem, []) for path in _real_posts()]


def make_site(root: Path, n: int, seed: int = 8, style: str = "toml") -> list[Post]:
    """A copy of the real site in ``root`` with ``n`` generated posts beside the real ones,
    their front matter in ``style`` (TOML, YAML or Pelican's ``Key: value`` header)."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy2(REPO / name, root / name)
    for name in ("theme", "content"):
        if (root / name).exists():
            shutil.rmtree(root / name)
        shutil.copytree(REPO / name, root / name)
    posts = generate_posts(n, seed, extra_targets=real_targets())
    folder = root / "content" / "posts"
    for post in posts:
        (folder / f"{post.slug}.md").write_text(post.text(style), encoding="utf-8")
    return posts


BARE_SETTINGS = '''# Bare Pelican: default theme (notmyidea) and default settings.
AUTHOR = "Shane Nolan"
SITENAME = "Bench"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/Dublin"
DEFAULT_LANG = "en"
'''


def make_bare_site(root: Path, n: int, seed: int = 8) -> list[Post]:
    """The same posts (and the real posts) with Pelican headers, for bare Pelican."""
    from blogtools.plugins.frontmatter import parse_front_matter, split_front_matter

    root.mkdir(parents=True, exist_ok=True)
    (root / "pelicanconf.py").write_text(BARE_SETTINGS, encoding="utf-8")
    content = root / "content"
    if content.exists():
        shutil.rmtree(content)
    (content / "posts").mkdir(parents=True)
    if (REPO / "content" / "images").exists():
        shutil.copytree(REPO / "content" / "images", content / "images")
    for path in _real_posts():
        fmt, front, body, _line = split_front_matter(path.read_text(encoding="utf-8"))
        data = parse_front_matter(fmt, front) if fmt else {}
        date = data.get("date")
        header = [f"Title: {data.get('title', path.stem)}", f"Slug: {path.stem}"]
        if isinstance(date, (dt.date, dt.datetime)):
            header.append(f"Date: {date.strftime('%Y-%m-%d %H:%M')}")
        if data.get("summary"):
            header.append(f"Summary: {' '.join(str(data['summary']).split())}")
        (content / "posts" / path.name).write_text("\n".join(header) + "\n\n" + body,
                                                   encoding="utf-8")
    posts = generate_posts(n, seed, extra_targets=real_targets())
    for post in posts:
        (content / "posts" / f"{post.slug}.md").write_text(post.pelican(), encoding="utf-8")
    return posts


HUGO_CONFIG = """# A minimal Hugo site for the benchmark (benchmarks.generate.make_hugo_site).
baseURL = "http://127.0.0.1:8000/"
title = "Bench"
languageCode = "en"
paginate = 10
enableRobotsTXT = false

[taxonomies]
  tag = "tags"
  category = "categories"

[permalinks]
  posts = "/posts/:slug/"

[markup.goldmark.renderer]
  unsafe = true

# Chroma with CSS classes, as Pygments' codehilite writes them for us; a fence
# that names no language stays plain text, as in our MARKDOWN settings.
[markup.highlight]
  noClasses = false
  guessSyntax = false

# Posts use "# Heading" under the page's title; ours lists two levels.
[markup.tableOfContents]
  startLevel = 1
  endLevel = 2
  ordered = true

# Related posts by shared tags, at most three, as blogtools.plugins.related does.
[related]
  includeNewer = true
  threshold = 1
  toLower = false
  [[related.indices]]
    name = "tags"
    weight = 100
"""

# What our theme renders per page, no more: title, date, reading time, author,
# cover, table of contents (long posts), content, tags, older/newer, related;
# paginated summaries on the home page, sections and terms; term lists. RSS is
# Hugo's built-in template (home, sections, terms), the sitemap its default.
HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} · {{ site.Title }}{{ end }}</title>
{{ with .Params.summary }}<meta name="description" content="{{ . | plainify }}">{{ end }}
<link rel="canonical" href="{{ .Permalink }}">
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}" title="{{ site.Title }}">{{ end }}
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header"><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav><a href="{{ "/posts/" | relURL }}">Posts</a> <a href="{{ "/tags/" | relURL }}">Tags</a> <a href="{{ "/categories/" | relURL }}">Categories</a> <a href="{{ "/about/" | relURL }}">About</a></nav>
</header>
<main id="main" class="wrap">
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
""",
    "partials/post_meta.html": """<p class="post-meta">
<span><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2 Jan 2006" }}</time></span>
<span>{{ .ReadingTime }} min read</span>
{{ with .Params.author }}<span>by {{ . }}</span>{{ end }}
</p>
""",
    "partials/post_entry.html": """<li class="post-entry">
<h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
{{ partial "post_meta.html" . }}
<p>{{ .Summary | plainify }}</p>
</li>
""",
    "partials/pagination.html": """{{ $p := .Paginator }}{{ if gt $p.TotalPages 1 }}
<nav class="pagination" aria-label="Pages">
{{ with $p.Prev }}<a class="prev" rel="prev" href="{{ .URL }}">← Newer posts</a>{{ end }}
<span>Page {{ $p.PageNumber }} of {{ $p.TotalPages }}</span>
{{ with $p.Next }}<a class="next" rel="next" href="{{ .URL }}">Older posts →</a>{{ end }}
</nav>
{{ end }}""",
    "_default/single.html": """{{ define "main" }}
<article class="post">
<header class="post-header">
<h1>{{ .Title }}</h1>
{{ if .Date }}{{ partial "post_meta.html" . }}{{ end }}
{{ with .Params.cover }}<img class="cover" src="{{ . | relURL }}" alt="">{{ end }}
</header>
{{ if ge .WordCount 600 }}<details class="toc"><summary>Contents</summary>{{ .TableOfContents }}</details>{{ end }}
<div class="post-content">
{{ .Content }}
</div>
<footer class="post-footer">
{{ with .GetTerms "tags" }}<h2 class="visually-hidden">Tags</h2>
<ul class="tags">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
{{ if eq .Section "posts" }}
<nav class="post-nav" aria-label="Older and newer posts">
{{ with .PrevInSection }}<a class="prev" rel="prev" href="{{ .RelPermalink }}"><small>← Older</small> {{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a class="next" rel="next" href="{{ .RelPermalink }}"><small>Newer →</small> {{ .Title }}</a>{{ end }}
</nav>
{{ with first 3 (site.RegularPages.Related .) }}<section class="related"><h2>Related posts</h2>
<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></section>{{ end }}
{{ end }}
</footer>
</article>
{{ end }}
""",
    "_default/list.html": """{{ define "main" }}
<h1 class="page-title">{{ .Title }}</h1>
<ul class="post-list">
{{ range .Paginator.Pages }}{{ partial "post_entry.html" . }}{{ end }}
</ul>
{{ partial "pagination.html" . }}
{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}
<h1 class="page-title">{{ .Title }}</h1>
<ul class="terms">
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}
</ul>
{{ end }}
""",
    "index.html": """{{ define "main" }}
<h1 class="page-title">{{ site.Title }}</h1>
<ul class="post-list">
{{ range (.Paginate (where site.RegularPages "Section" "posts")).Pages }}{{ partial "post_entry.html" . }}{{ end }}
</ul>
{{ partial "pagination.html" . }}
{{ end }}
""",
}
SLUG_LINE = re.compile(r"^slug\s*=", re.M)


def hugo_front_matter(text: str, slug: str) -> str:
    """``text`` (TOML ``+++`` front matter) with ``slug`` added when it has none."""
    head, sep, body = text.partition("\n+++\n")
    if SLUG_LINE.search(head):
        return text
    return head + f'\nslug = "{slug}"' + sep + body


def make_hugo_site(root: Path, n: int, seed: int = 8) -> list[Post]:
    """The same posts, the real posts and the About page, as a minimal Hugo site."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name in ("content", "layouts", "static"):
        if (root / name).exists():
            shutil.rmtree(root / name)
    for name, text in HUGO_LAYOUTS.items():
        path = root / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    folder = root / "content" / "posts"
    folder.mkdir(parents=True)
    if (REPO / "content" / "images").exists():
        shutil.copytree(REPO / "content" / "images", root / "static" / "images")
    for path in _real_posts():
        text = path.read_text(encoding="utf-8")
        (folder / path.name).write_text(hugo_front_matter(text, path.stem), encoding="utf-8")
    for path in sorted((REPO / "content" / "pages").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        (root / "content" / path.name).write_text(hugo_front_matter(text, path.stem),
                                                  encoding="utf-8")
    posts = generate_posts(n, seed, extra_targets=real_targets())
    for post in posts:
        (folder / f"{post.slug}.md").write_text(hugo_front_matter(post.toml(), post.slug),
                                                encoding="utf-8")
    return posts


def word_count(markdown_body: str) -> int:
    return len(markdown_body.split())


def edit_post(path: Path, marker: str) -> None:
    """Change one post as an author would: add a sentence as a new last paragraph (never
    inside a code block that ends the post)."""
    text = path.read_text(encoding="utf-8").rstrip("\n")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(f"{text}\n\nEdited: {marker}.\n")
        handle.flush()
        os.fsync(handle.fileno())
