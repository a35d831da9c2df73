"""``invoke report``: one table of every article and page, for editors.

    python -m plugins.editorial.report [-s pelicanconf.py] [--html reports/editorial.html]

It runs the content check (nothing is written to output/), prints its diagnostics, then
one row per page: audience, reading grade, words, reading time, citations, conditions,
last and next review, claims lint hits and unknown facts. The same table is written as
an HTML file outside output/, which is never published. Exits 1 when the check found
an error, after printing the table.
"""

from __future__ import annotations

import datetime
import html
import sys
from collections.abc import Sequence
from pathlib import Path

from plugins.diagnostics.check import arguments, overrides_of, read_site
from plugins.integrity.stage import report_section
from plugins.pipeline.stages import linted_pages

from .state import PATIENT_AUDIENCES, Editorial, PageRow

DEFAULT_HTML = Path("reports") / "editorial.html"
COLUMNS = ("page", "audience", "grade", "words", "min", "citations", "conditions",
           "last reviewed", "next review", "lint hits", "unknown facts")
NUMERIC = frozenset({"grade", "words", "min", "citations", "lint hits", "unknown facts"})


def _date(value: datetime.date | None, overdue: bool = False) -> str:
    if value is None:
        return "?"
    return f"{value.isoformat()} overdue" if overdue else value.isoformat()


def cells(row: PageRow, max_grade: float) -> list[str]:
    """A row's cells as text; a patient page above the grade limit is marked with '!'."""
    grade = f"{row.grade:.1f}"
    if row.audience in PATIENT_AUDIENCES and row.grade > max_grade:
        grade += " !"
    return [row.path, row.audience or "?", grade, str(row.words), str(row.minutes),
            str(row.citations), ", ".join(row.conditions) or "-", _date(row.last_reviewed),
            _date(row.next_review, row.overdue), str(row.lint_hits), str(row.unknown_facts)]


def summary(rows: Sequence[PageRow], max_grade: float) -> str:
    over = sum(1 for r in rows if r.audience in PATIENT_AUDIENCES and r.grade > max_grade)
    overdue = sum(1 for r in rows if r.overdue)
    hits = sum(r.lint_hits for r in rows)
    return (f"{len(rows)} pages; {over} for patients above grade {max_grade:g}; "
            f"{overdue} overdue for review; {hits} claims lint hits")


def plain_table(table: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [list(COLUMNS), *table]) for i in range(len(COLUMNS))]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.rjust(w) if c in NUMERIC else v.ljust(w)
                         for v, w, c in zip(values, widths, COLUMNS, strict=True)).rstrip()

    return "\n".join([line(COLUMNS), line(["-" * w for w in widths]), *map(line, table)])


def print_table(table: list[list[str]], title: str) -> None:
    try:
        from rich.console import Console  # noqa: PLC0415 - Pelican depends on rich
        from rich.table import Table  # noqa: PLC0415
    except ImportError:  # pragma: no cover - rich comes with Pelican
        sys.stdout.write(f"{title}\n{plain_table(table)}\n")
        return
    if not sys.stdout.isatty():
        sys.stdout.write(f"{title}\n{plain_table(table)}\n")  # pipes and logs: plain text
        return
    rich_table = Table(title=title)
    for column in COLUMNS:
        rich_table.add_column(column, justify="right" if column in NUMERIC else "left")
    for row in table:
        rich_table.add_row(*row)
    Console().print(rich_table)


def html_page(table: list[list[str]], title: str, generated: str, extra: str = "") -> str:
    head = "".join(f"<th scope=\"col\">{html.escape(c)}</th>" for c in COLUMNS)
    numeric = ' class="n"'
    body = "\n".join("<tr>" + "".join(
        f"<td{numeric if c in NUMERIC else ''}>{html.escape(v)}</td>"
        for v, c in zip(row, COLUMNS, strict=True)) + "</tr>" for row in table)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex">
<title>Editorial report</title>
<style>
body {{ font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
</style>
</head>
<body>
<h1>Editorial report</h1>
<p>{html.escape(title)}. Generated {html.escape(generated)} by <code>invoke report</code>;
not part of the site. A grade marked ! is above the limit for a page for patients.</p>
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{body}
</tbody>
</table>
{extra}</body>
</html>
"""


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=DEFAULT_HTML,
                        help=f"where to write the HTML table (default: {DEFAULT_HTML})")
    args = parser.parse_args(argv)
    build, failed = read_site(str(args.settings), overrides_of(args))
    state = build.state(Editorial.start)
    rows = sorted((page.row for page in linted_pages(build) if page.row is not None),
                  key=lambda r: r.path)
    table = [cells(row, state.max_grade) for row in rows]
    title = summary(rows, state.max_grade)
    print_table(table, title)
    integrity_text, integrity_html = report_section(build)
    sys.stdout.write(integrity_text)
    output = Path(build.settings.get("OUTPUT_PATH") or "output").resolve()
    target = args.html.resolve()
    if target == output or output in target.parents:
        sys.stderr.write(f"not writing {args.html}: the report is never put in output/\n")
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    generated = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    target.write_text(html_page(table, title, generated, integrity_html), encoding="utf-8")
    sys.stdout.write(f"written: {build.report.relpath(target)}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
