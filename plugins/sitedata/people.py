"""The people who write and review the site's pages, from `people:` in pharmacy.yaml.

One record per key. Every field that is missing or still a PLACEHOLDER is None, so a
template or the JSON-LD can never show an unknown name, credential, photo or licence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from plugins.diagnostics import Build

from .facts import known
from .loader import load_site_data

FIELDS = ("role", "name", "credentials", "bio", "photo", "licence_state")


@dataclass(frozen=True)
class Person:
    key: str  # what front-matter `reviewed_by:` and `written_by:` name
    role: str | None = None  # e.g. "Licensed pharmacist"; shown while the name is unknown
    name: str | None = None
    credentials: str | None = None  # e.g. "PharmD, RPh"
    bio: str | None = None  # plain text; autoescaped where it is shown
    photo: str | None = None  # a site-relative path, e.g. images/jane.jpg
    licence_state: str | None = None

    @property
    def named(self) -> bool:
        """A real person the site may name (and JSON-LD may call a Person)."""
        return self.name is not None

    @property
    def display_name(self) -> str | None:
        """'Jane Example, PharmD', or None while the name is unknown."""
        if self.name is None:
            return None
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    @property
    def anchor(self) -> str:
        """The id of the person's entry on the people page (PEOPLE_URL)."""
        return f"person-{self.key}"


def person_from(key: str, entry: Any) -> Person:
    values = entry if isinstance(entry, Mapping) else {}
    return Person(str(key), **{field: (values[field].strip() if known(values.get(field))
                                       else None) for field in FIELDS})


def people_entries(pharmacy: Any) -> Mapping[str, Any]:
    """The raw `people:` mapping."""
    if not isinstance(pharmacy, Mapping):
        return {}
    entries = pharmacy.get("people")
    return entries if isinstance(entries, Mapping) else {}


def people_of(pharmacy: Any) -> dict[str, Person]:
    return {str(key): person_from(key, entry)
            for key, entry in people_entries(pharmacy).items()}


def site_people(build: Build) -> dict[str, Person]:
    """The build's people, made once (``build.state(site_people)``)."""
    return people_of(build.state(load_site_data).values.get("PHARMACY"))
