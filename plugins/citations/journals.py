"""NLM journal abbreviations, as AMA prints journal names ("Pain Med", "JAMA Netw Open").

An entry's own ``shortjournal`` (BibTeX) or ``container-title-short`` /
``journalAbbreviation`` (CSL-JSON) wins. Otherwise the journal is looked up in
``data/journal-abbreviations.tsv``: the journals the site cites, with their abbreviation
from the NLM Catalog and the source of each line. No network at build time: a journal
not in the file keeps its full name, and the AMA check warns about it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "journal-abbreviations.tsv"


def normalized(name: str) -> str:
    """A journal name as looked up: case, "&"/"and", a leading "The" and spacing ignored."""
    name = re.sub(r"\s+", " ", name.casefold().replace("&", " and ")).strip()
    return name.removeprefix("the ")


@cache  # read-only data, the same for every build
def table(path: Path = DATA) -> dict[str, str]:
    abbreviations = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        journal, abbreviation, *_ = [*line.split("\t"), ""]
        if journal and abbreviation:
            abbreviations[normalized(journal)] = abbreviation
    return abbreviations


def add_abbreviation(csl: dict[str, Any]) -> None:
    """Give a journal article the NLM abbreviation of its journal, unless it has one.

    Zotero's CSL-JSON says ``journalAbbreviation``: CSL's name, which citeproc-py reads, is
    ``container-title-short``."""
    zotero = csl.pop("journalAbbreviation", None)
    if zotero and not csl.get("container-title-short"):
        csl["container-title-short"] = zotero
    if csl.get("type") != "article-journal" or csl.get("container-title-short"):
        return
    journal = csl.get("container-title")
    if isinstance(journal, str):
        found = table().get(normalized(journal))
        if found:
            csl["container-title-short"] = found
