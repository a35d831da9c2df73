"""An evidence table as HTML: one real <table>, which the theme shows as cards on narrow
screens (evidence.css labels each cell there). Pure; every value escaped here."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

from .labels import Work, design_cell, direction_text, dose_cell, people_cell

HEAD = ("Study", "Design", "People", "Dose; length", "Condition", "Result")
REFERENCE_URL = "{siteurl}/references/#ref-{key}"

ConditionLink = Callable[[str], tuple[str, str] | None]  # slug -> (name, url) or None


def _conditions(slugs: Sequence[str], link: ConditionLink, siteurl: str) -> str:
    links = []
    for slug in slugs:
        found = link(slug)
        if found:
            name, url = found
            links.append(f'<a href="{escape(siteurl)}/{escape(url)}">{escape(name)}</a>')
    return ", ".join(links) or "Not verified"


def row(work: Work, link: ConditionLink, siteurl: str) -> str:
    study = work.study
    design = escape(design_cell(study))
    if study.details:
        design += Markup("<br><small>{}</small>").format(study.details)
    lead = direction_text(study)
    result = (Markup("<b>{}.</b> {}").format(lead, study.outcome or "") if lead
              else Markup("{}").format(study.outcome or ""))
    href = REFERENCE_URL.format(siteurl=siteurl, key=study.key)
    # A space between cells: none shows, but search reads cells as running text.
    return (f'<tr><th scope="row"><a href="{escape(href)}">{escape(work.name)}</a></th> '
            f"<td>{design}</td> <td>{escape(people_cell(study))}</td> "
            f"<td>{escape(dose_cell(study))}</td> "
            f"<td>{_conditions(study.conditions, link, siteurl)}</td> <td>{result}</td></tr>")


def table(works: Sequence[Work], caption: str, link: ConditionLink, siteurl: str) -> Markup:
    """The rows in the order given, under a caption saying what they are."""
    head = " ".join(f'<th scope="col">{name}</th>' for name in HEAD)
    body = "\n".join(row(work, link, siteurl) for work in works)
    return Markup(  # noqa: S704 - every value above is escaped
        f'<table class="ev"><caption>{escape(caption)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table>")
