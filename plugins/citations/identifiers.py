"""DOI, PMID and PMCID: what a valid one looks like and where it links. Pure."""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import quote

DOI = re.compile(r"^10\.\d{4,9}/\S+$")
PMID = re.compile(r"^\d{1,9}$")
PMCID = re.compile(r"^PMC\d+$")
# What `invoke cite` asks for and writes: Crossref's recommended DOI pattern (it matches
# nearly every DOI registered) plus the <>[] of older SICI-style DOIs. No space, brace,
# backslash, quote, comma or % can reach the .bib file or the request's path.
CITE_DOI = re.compile(r"^10\.\d{4,9}/[-._;()/:<>\[\]+A-Za-z0-9]{1,200}$")
CITE_PMCID = re.compile(r"^PMC\d{1,9}$")


class Identifier(NamedTuple):
    field: str  # the BibTeX field name, lower case
    csl: str  # the CSL-JSON variable
    pattern: re.Pattern[str]
    label: str
    example: str


IDENTIFIERS = (
    Identifier("doi", "DOI", DOI, "DOI", "10.1111/j.1526-4637.2009.00613.x"),
    Identifier("pmid", "PMID", PMID, "PubMed", "19453963"),
    Identifier("pmcid", "PMCID", PMCID, "PMC", "PMC2891387"),
)


def is_valid(identifier: Identifier, value: str) -> bool:
    return bool(identifier.pattern.match(value.strip()))


def url(identifier: Identifier, value: str) -> str:
    value = value.strip()
    if identifier.csl == "DOI":
        return f"https://doi.org/{quote(value, safe='/:();.-_')}"
    if identifier.csl == "PMID":
        return f"https://pubmed.ncbi.nlm.nih.gov/{value}/"
    return f"https://pmc.ncbi.nlm.nih.gov/articles/{value}/"


def links(csl: dict[str, object]) -> tuple[tuple[str, str], ...]:
    """(label, URL) for each valid identifier of an entry, DOI first."""
    found = []
    for identifier in IDENTIFIERS:
        value = csl.get(identifier.csl)
        if isinstance(value, str | int) and is_valid(identifier, str(value)):
            found.append((identifier.label, url(identifier, str(value))))
    return tuple(found)
