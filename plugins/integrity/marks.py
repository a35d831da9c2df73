"""The short note a reference list prints for a work with a notice, and the diagnostics'
wording of it. Pure functions of the data file's records.

Only ordinary markup: a ``strong`` and an ``a`` with an https link, which any HTML
sanitiser keeps.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .data import NOTICE_NAMES, Notice, Work

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


def month_year(date: str) -> str:
    """'May 2021' from '2021-05-04' or '2021-05'; '2021' from '2021'; '' if none."""
    parts = date.split("-")
    if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit() \
            and 1 <= int(parts[1]) <= 12:
        return f"{MONTH_NAMES[int(parts[1]) - 1]} {parts[0]}"
    return parts[0] if parts[0].isdigit() else ""


def notice_url(notice: Notice, work: Work) -> str:
    """The notice's page; for PubMed's "Retracted Publication" type alone, which names no
    notice, the work's own PubMed record, which shows the retraction."""
    if notice.url:
        return notice.url
    return f"https://pubmed.ncbi.nlm.nih.gov/{work.pmid}/" if work.pmid else ""


def _linked(text: str, url: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(url, text) if url else escape(text)


def mark(work: Work) -> Markup | None:
    """"Retracted (notice, May 2021)", "Correction published May 2021" or "Expression of
    concern published May 2021", linked to the notice; None for a work without one."""
    notice = work.main_notice()
    if notice is None:
        return None
    when = month_year(notice.date)
    url = notice_url(notice, work)
    if notice.type == "retraction":
        return Markup("<strong>Retracted</strong> ({})").format(
            _linked(f"retraction notice{', ' + when if when else ''}", url))
    text = f"{NOTICE_NAMES[notice.type]} published{' ' + when if when else ''}"
    return _linked(text, url)


def notice_words(work: Work) -> str:
    """The notice as a diagnostic names it: 'retraction notice doi:10.1/x (2021-05-04,
    retraction-watch)', or PubMed's publication type when it names no notice."""
    notice = work.main_notice()
    if notice is None:
        return ""
    kind = {"retraction": "retraction notice", "correction": "correction",
            "expression_of_concern": "expression of concern"}[notice.type]
    if not notice.identifier:
        return (f"PubMed lists PMID {work.pmid} as a 'Retracted Publication'"
                if notice.type == "retraction" and work.pmid else f"a {kind}")
    detail = ", ".join(p for p in (notice.date, notice.source) if p)
    return f"{kind} {notice.identifier}" + (f" ({detail})" if detail else "")
