"""Problems and their reports: text for people, JSON for machines.

A :class:`Problem` says where the link is (built file, line, column; and the
content source file and line when the page came from Markdown), what it
points at, why that is broken, and a suggestion when there is a near miss.

Text output groups problems by the file to edit - the content source when the
link was found in it, else the built file - one ``path:line:col:`` line each,
so editors and terminals can jump to them. JSON output is::

    {"broken": [{"source", "line", "column", "target", "reason", "kind",
                 "content_source", "content_line", "suggestion"}, ...],
     "warnings": [... same keys ...],
     "checked": N, "files": F, "skipped": S, "external_unchecked": E}
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field


@dataclass
class Problem:
    source: str                      # built file, relative to SITE_DIR
    line: int
    column: int
    target: str                      # the URL as written
    reason: str
    kind: str = ""                   # what refers to it: a[href], img[srcset]...
    content_source: str | None = None
    content_line: int | None = None
    suggestion: str | None = None

    def sort_key(self):
        return (self.source, self.line, self.column, self.target)


@dataclass
class Report:
    broken: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    checked: int = 0                 # link occurrences checked
    files: int = 0                   # files parsed
    skipped: int = 0                 # mailto:, tel:, excluded...
    external_unchecked: int = 0      # external links seen without --external
    kept: object = None              # with Options(keep=True): a checker.Kept, to recheck a few pages

    @property
    def exit_code(self) -> int:
        return 1 if self.broken else 0


def to_json(report: Report) -> str:
    data = {
        "broken": [asdict(p) for p in report.broken],
        "warnings": [asdict(p) for p in report.warnings],
        "checked": report.checked,
        "files": report.files,
        "skipped": report.skipped,
        "external_unchecked": report.external_unchecked,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _line(p: Problem, edit_in_source: bool) -> str:
    where = f"{p.source}:{p.line}:{p.column}"
    if edit_in_source:
        where = f"{p.content_source}:{p.content_line} ({where})"
    text = f"  {where}: {p.kind + ' ' if p.kind else ''}{p.target}: {p.reason}"
    if p.suggestion and p.suggestion not in p.reason:
        text += f"; did you mean {p.suggestion}?"
    return text


def _grouped(problems: list[Problem]) -> list[str]:
    groups: dict[str, list[tuple[bool, Problem]]] = {}
    for p in problems:
        in_source = bool(p.content_source and p.content_line)
        key = p.content_source if in_source else p.source
        groups.setdefault(key, []).append((in_source, p))
    out = []
    for key in sorted(groups):
        out.append(key)
        items = sorted(groups[key], key=lambda t: (
            (t[1].content_line if t[0] else t[1].line), t[1].source, t[1].line, t[1].column))
        out.extend(_line(p, in_source) for in_source, p in items)
    return out


def to_text(report: Report) -> str:
    lines = _grouped(report.broken)
    if report.warnings:
        if lines:
            lines.append("")
        lines.append("Warnings:")
        lines.extend(_grouped(report.warnings))
    if lines:
        lines.append("")
    n_broken = len(report.broken)
    summary = f"Checked {report.checked} link{'s' if report.checked != 1 else ''} in " \
              f"{report.files} file{'s' if report.files != 1 else ''}: "
    summary += f"{n_broken} broken" if n_broken else "no broken links"
    if report.warnings:
        n = len(report.warnings)
        summary += f", {n} warning{'s' if n != 1 else ''}"
    summary += "."
    if report.external_unchecked:
        summary += f" {report.external_unchecked} external link" \
                   f"{'s' if report.external_unchecked != 1 else ''} not checked (use --external)."
    lines.append(summary)
    return "\n".join(lines) + "\n"
