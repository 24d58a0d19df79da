"""Draw the study-points post's figures as small, hand-written SVG files.

    python scripts/make_figures.py          # (re)write the SVGs
    python scripts/make_figures.py --check  # exit 1 if a committed SVG is stale

* ``content/images/fit-underfit-overfit.svg``: the same ten noisy points fitted
  with polynomials of degree 1, 3 and 9 (underfitting, a good fit, overfitting).
  The fits are ordinary least squares solved exactly with ``fractions.Fraction``
  (normal equations, Gauss-Jordan elimination), so no numpy is needed and the
  output is byte-for-byte reproducible.
* ``content/images/confusion-matrix.svg``: a 2x2 confusion matrix (rows are the
  actual class, columns the predicted class) showing which cells precision and
  recall read.

Both have ``role="img"``, a ``<title>`` and a ``<desc>``, draw their own
background so they read on light and dark pages, and switch to a dark palette
with ``prefers-color-scheme`` where the browser supports it inside images.
"""

from __future__ import annotations

import math
import sys
from fractions import Fraction
from pathlib import Path

IMAGES = Path(__file__).resolve().parent.parent / "content" / "images"

# Ten points: x evenly spaced on [0, 1], y = sin(2*pi*x) plus fixed noise,
# written out to two decimals so the figure never depends on libm.
POINTS = [
    ("0", "0.15"), ("0.111", "0.39"), ("0.222", "1.20"), ("0.333", "0.67"),
    ("0.444", "0.62"), ("0.556", "-0.56"), ("0.667", "-0.67"), ("0.778", "-1.24"),
    ("0.889", "-0.40"), ("1", "-0.18"),
]
DEGREES = [(1, "Degree 1: underfitting"), (3, "Degree 3: good fit"), (9, "Degree 9: overfitting")]

STYLE = """<style>
.bg{fill:#ffffff;stroke:#d0d4da}
.ink{fill:#1f2328}
.muted{fill:#57606a}
.axis{stroke:#8c959f;stroke-width:1}
.truth{fill:none;stroke:#8c959f;stroke-width:1.5;stroke-dasharray:4 3}
.fit{fill:none;stroke:#0969da;stroke-width:2.5}
.pt{fill:#cf222e}
.good{fill:#dafbe1;stroke:#1a7f37}
.bad{fill:#ffebe9;stroke:#cf222e}
.mark{fill:none;stroke:#0969da;stroke-width:2.5;stroke-dasharray:6 4}
.marklabel{fill:#0969da}
.mark2{fill:none;stroke:#bc4c00;stroke-width:2.5;stroke-dasharray:2 3}
.marklabel2{fill:#bc4c00}
text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}
@media (prefers-color-scheme:dark){
.bg{fill:#0d1117;stroke:#30363d}
.ink{fill:#e6edf3}
.muted{fill:#9da7b3}
.axis{stroke:#6e7681}
.truth{stroke:#6e7681}
.fit{stroke:#58a6ff}
.pt{fill:#ff7b72}
.good{fill:#12261e;stroke:#3fb950}
.bad{fill:#2d1214;stroke:#f85149}
.mark{stroke:#58a6ff}
.marklabel{fill:#58a6ff}
.mark2{stroke:#ffa657}
.marklabel2{fill:#ffa657}
}
</style>"""


# -- exact least squares ------------------------------------------------------


def solve(matrix: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction]:
    """Solve ``matrix @ x = rhs`` exactly by Gauss-Jordan elimination."""
    n = len(rhs)
    rows = [list(row) + [value] for row, value in zip(matrix, rhs)]
    for col in range(n):
        pivot = next(r for r in range(col, n) if rows[r][col] != 0)
        rows[col], rows[pivot] = rows[pivot], rows[col]
        lead = rows[col][col]
        rows[col] = [value / lead for value in rows[col]]
        for r in range(n):
            if r != col and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col])]
    return [row[-1] for row in rows]


def polyfit(xs: list[Fraction], ys: list[Fraction], degree: int) -> list[Fraction]:
    """Least-squares polynomial coefficients, lowest power first.

    x is mapped to [-1, 1] first (``u = 2x - 1``) to keep the numbers tame;
    evaluate with :func:`polyval`, which applies the same mapping.
    """
    us = [2 * x - 1 for x in xs]
    powers = [[u ** k for k in range(degree + 1)] for u in us]
    normal = [[sum(p[i] * p[j] for p in powers) for j in range(degree + 1)] for i in range(degree + 1)]
    moments = [sum(p[i] * y for p, y in zip(powers, ys)) for i in range(degree + 1)]
    return solve(normal, moments)


def polyval(coefficients: list[Fraction], x: float) -> float:
    u = 2 * x - 1
    return sum(float(c) * u ** k for k, c in enumerate(coefficients))


def training_rmse(coefficients, xs, ys) -> float:
    errors = [(polyval(coefficients, float(x)) - float(y)) ** 2 for x, y in zip(xs, ys)]
    return math.sqrt(sum(errors) / len(errors))


# -- SVG helpers ----------------------------------------------------------------


def fmt(value: float) -> str:
    text = f"{value:.1f}"
    return "0" if text in ("-0.0", "0.0") else text.rstrip("0").rstrip(".")


def path_data(points: list[tuple[float, float]]) -> str:
    """``M x y L x y ...`` with one decimal, clamped so wild fits stay short."""
    parts = []
    for i, (x, y) in enumerate(points):
        y = max(-500.0, min(1000.0, y))
        parts.append(f"{'M' if i == 0 else 'L'}{fmt(x)} {fmt(y)}")
    return " ".join(parts)


def svg(width: int, height: int, title: str, desc: str, body: list[str], ident: str) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc">\n'
        f'<title id="{ident}-title">{title}</title>\n'
        f'<desc id="{ident}-desc">{desc}</desc>\n'
        f"{STYLE}\n"
        f'<rect class="bg" x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" rx="8"/>\n'
    )
    return head + "\n".join(body) + "\n</svg>\n"


# -- figure 1: polynomial complexity ----------------------------------------------


def fit_figure() -> str:
    xs = [Fraction(x) for x, _ in POINTS]
    ys = [Fraction(y) for _, y in POINTS]
    panel_w, panel_h, gap, top, left = 220, 170, 20, 46, 20
    y_min, y_max = -1.8, 1.8
    width = left * 2 + panel_w * 3 + gap * 2
    height = top + panel_h + 44
    body = [
        f'<text class="ink" x="{width / 2:g}" y="24" font-size="15" font-weight="600" '
        f'text-anchor="middle">Polynomial degree vs fit: the same ten training points</text>'
    ]
    for index, (degree, label) in enumerate(DEGREES):
        x0 = left + index * (panel_w + gap)
        clip = f"panel{index}"

        def sx(x: float, x0: float = x0) -> float:
            return x0 + x * panel_w

        def sy(y: float) -> float:
            return top + (y_max - y) / (y_max - y_min) * panel_h

        coefficients = polyfit(xs, ys, degree)
        curve = path_data([(sx(i / 80), sy(polyval(coefficients, i / 80))) for i in range(81)])
        truth = path_data([(sx(i / 40), sy(math.sin(2 * math.pi * i / 40))) for i in range(41)])
        rmse = training_rmse(coefficients, xs, ys)
        body += [
            f'<clipPath id="{clip}"><rect x="{x0}" y="{top}" width="{panel_w}" height="{panel_h}"/></clipPath>',
            f'<rect class="axis" fill="none" x="{x0}" y="{top}" width="{panel_w}" height="{panel_h}"/>',
            f'<line class="axis" x1="{x0}" y1="{fmt(sy(0))}" x2="{x0 + panel_w}" y2="{fmt(sy(0))}"/>',
            f'<g clip-path="url(#{clip})">',
            f'<path class="truth" d="{truth}"/>',
            f'<path class="fit" d="{curve}"/>',
            "</g>",
        ]
        body += [
            f'<circle class="pt" cx="{fmt(sx(float(x)))}" cy="{fmt(sy(float(y)))}" r="3.5"/>'
            for x, y in zip(xs, ys)
        ]
        body += [
            f'<text class="ink" x="{x0 + panel_w / 2:g}" y="{top + panel_h + 20}" font-size="13" '
            f'font-weight="600" text-anchor="middle">{label}</text>',
            f'<text class="muted" x="{x0 + panel_w / 2:g}" y="{top + panel_h + 37}" font-size="11.5" '
            f'text-anchor="middle">training RMSE {rmse:.2f}</text>',
        ]
    return svg(
        width, height,
        "Underfitting, a good fit and overfitting as polynomial degree grows",
        "Ten noisy points drawn from a sine curve (dashed) are fitted by least squares. "
        "A degree 1 line misses the curve and underfits; a degree 3 polynomial follows "
        "the trend; a degree 9 polynomial passes through every point, so its training "
        "error is zero, but it swings wildly between them and overfits.",
        body, "fit",
    )


# -- figure 2: confusion matrix -----------------------------------------------------


def confusion_figure() -> str:
    width, height = 600, 330
    cx, cy, cell_w, cell_h = 150, 92, 150, 86
    cells = [
        (0, 0, "good", "TP", "true positive"),
        (0, 1, "bad", "FN", "false negative"),
        (1, 0, "bad", "FP", "false positive"),
        (1, 1, "good", "TN", "true negative"),
    ]
    body = [
        f'<text class="ink" x="{cx + cell_w}" y="30" font-size="14" font-weight="600" '
        f'text-anchor="middle">Predicted class</text>',
        f'<text class="muted" x="{cx + cell_w / 2}" y="80" font-size="13" text-anchor="middle">Positive</text>',
        f'<text class="muted" x="{cx + cell_w * 1.5}" y="80" font-size="13" text-anchor="middle">Negative</text>',
        f'<text class="ink" x="36" y="{cy + cell_h}" font-size="14" font-weight="600" '
        f'text-anchor="middle" transform="rotate(-90 36 {cy + cell_h})">Actual class</text>',
        f'<text class="muted" x="{cx - 12}" y="{cy + cell_h / 2 + 5}" font-size="13" text-anchor="end">Positive</text>',
        f'<text class="muted" x="{cx - 12}" y="{cy + cell_h * 1.5 + 5}" font-size="13" '
        'text-anchor="end">Negative</text>',
    ]
    for row, col, kind, short, long in cells:
        x, y = cx + col * cell_w, cy + row * cell_h
        body += [
            f'<rect class="{kind}" x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" stroke-width="1.5"/>',
            f'<text class="ink" x="{x + cell_w / 2}" y="{y + cell_h / 2}" font-size="22" '
            f'font-weight="700" text-anchor="middle">{short}</text>',
            f'<text class="muted" x="{x + cell_w / 2}" y="{y + cell_h / 2 + 20}" font-size="12" '
            f'text-anchor="middle">{long}</text>',
        ]
    # Precision reads down the predicted-positive column, recall along the actual-positive row.
    body += [
        f'<rect class="mark" x="{cx + 5}" y="{cy + 5}" width="{cell_w - 10}" height="{cell_h * 2 - 10}" rx="6"/>',
        f'<rect class="mark2" x="{cx + 10}" y="{cy + 10}" width="{cell_w * 2 - 20}" height="{cell_h - 20}" rx="6"/>',
        f'<text class="marklabel" x="{cx + cell_w / 2}" y="{cy + cell_h * 2 + 26}" font-size="13" '
        f'font-weight="600" text-anchor="middle">Precision = TP / (TP + FP)</text>',
        f'<text class="muted" x="{cx + cell_w / 2}" y="{cy + cell_h * 2 + 44}" font-size="12" '
        f'text-anchor="middle">reads down this column</text>',
        f'<text class="marklabel2" x="{cx + cell_w * 2 + 14}" y="{cy + cell_h / 2 - 4}" font-size="13" '
        f'font-weight="600">Recall =</text>',
        f'<text class="marklabel2" x="{cx + cell_w * 2 + 14}" y="{cy + cell_h / 2 + 14}" font-size="13" '
        f'font-weight="600">TP / (TP + FN)</text>',
        f'<text class="muted" x="{cx + cell_w * 2 + 14}" y="{cy + cell_h / 2 + 32}" font-size="12">'
        f"reads along this row</text>",
    ]
    return svg(
        width, height,
        "A two by two confusion matrix with precision and recall marked",
        "Rows are the actual class and columns the predicted class. Actual positive and "
        "predicted positive is a true positive (TP); actual positive, predicted negative a "
        "false negative (FN); actual negative, predicted positive a false positive (FP); "
        "actual negative, predicted negative a true negative (TN). Precision, TP / (TP + FP), "
        "reads down the predicted positive column; recall, TP / (TP + FN), reads along the "
        "actual positive row.",
        body, "cm",
    )


FIGURES = {
    "fit-underfit-overfit.svg": fit_figure,
    "confusion-matrix.svg": confusion_figure,
}


def render_all() -> dict[str, str]:
    return {name: draw() for name, draw in FIGURES.items()}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name, text in render_all().items():
        path = IMAGES / name
        data = text.encode("utf-8")
        if check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(name)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote {path.relative_to(IMAGES.parent.parent)} ({len(data)} bytes)")
    if stale:
        print("stale figures (run scripts/make_figures.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
