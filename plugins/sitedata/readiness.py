"""Launch readiness: the facts a visitor needs before the site may look open, and whether
pharmacy.yaml (and the privacy notice's front-matter) holds them.

REQUIRED is the one list of what a launch needs; OPTIONAL the facts `invoke facts` also
lists. The record is made once per build, in the collect phase, and the theme asks it
(``READINESS``); no template tests a fact itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from plugins.sources import FrontMatter, Position, SourceError
from plugins.sources.yamldoc import compose, mapping_pairs, node_position

from .facts import known

PRIVACY_SLUG = "privacy"  # the page whose `final: true` says the privacy notice is final
PRIVACY_FLAG = "final"
PERSON = "{person}"  # in a key: each person that a page names in `reviewed_by:`
# The banner's words for the reviewer (a typographic apostrophe, as typogrify's). While the
# name is to come, so are the credentials: the banner names the name only.
NAME_TO_COME = "reviewing pharmacist\u2019s name"
CREDENTIALS_TO_COME = "reviewing pharmacist\u2019s credentials"
SUBSUMED = {CREDENTIALS_TO_COME: NAME_TO_COME}


@dataclass(frozen=True)
class Requirement:
    keys: tuple[str, ...]  # dotted keys of pharmacy.yaml; any one known meets it
    what: str  # what the fact is, for the checklist and the error
    example: str  # a line to write, with clearly fictional values
    to_come: str  # how the preview banner names it while it is missing


REQUIRED = (
    Requirement(("contact.phone", "contact.email"), "a phone number or an email address",
                'phone: "(517) 555-0100"  or  email: rx@example.org', "contact details"),
    Requirement(("contact.address",), "the pharmacy's street address",
                'address: "1 Example Street, Lansing, MI 48900"', "address"),
    Requirement(("prescription_channels",), "how prescribers can send a prescription",
                "prescription_channels: [E-prescribing, Fax]", "ways to send a prescription"),
    Requirement(("dosage_forms",), "the dosage forms of LDN the pharmacy prepares",
                "dosage_forms: [Capsules, Oral liquid]", "list of LDN forms"),
    Requirement((f"people.{PERSON}.name",), "the reviewing pharmacist's name",
                "name: Jane Example", NAME_TO_COME),
    Requirement((f"people.{PERSON}.credentials",), "the reviewing pharmacist's credentials",
                "credentials: PharmD, RPh", CREDENTIALS_TO_COME),
    Requirement((f"people.{PERSON}.licence_state",),
                "the state that licensed the reviewing pharmacist",
                "licence_state: Michigan", CREDENTIALS_TO_COME),
    Requirement((PRIVACY_FLAG,), "a final privacy notice (the pharmacy has confirmed it)",
                "final: true", "final privacy notice"),
)
OPTIONAL = (
    Requirement(("contact.phone",), "phone number", 'phone: "(517) 555-0100"', ""),
    Requirement(("contact.email",), "email address", "email: rx@example.org", ""),
    Requirement(("contact.fax",), "fax number for prescribers", 'fax: "(517) 555-0101"', ""),
    Requirement(("contact.hours",), "opening hours", 'hours: "Monday to Friday, 9 am to 5 pm"',
                ""),
    Requirement(("accreditation",), "accreditation", "accreditation: PCAB", ""),
    Requirement(("price",), "the price of compounded LDN, or how it is worked out",
                'price: "Ask us: the price depends on the dose and form"', ""),
    Requirement(("insurance",), "whether the pharmacy bills insurance plans",
                'insurance: "We do not bill insurance; we give you a receipt to claim"', ""),
    Requirement((f"people.{PERSON}.photo",), "a photo of the reviewing pharmacist",
                "photo: images/jane-example.jpg", ""),
    Requirement((f"people.{PERSON}.bio",), "what the reviewing pharmacist does for the site",
                "bio: Reviews each health page before it is published.", ""),
)


@dataclass(frozen=True)
class Fact:
    """One fact of the checklist: known or not, and where to write it."""

    key: str  # e.g. "contact.phone or contact.email"
    what: str
    required: bool
    known: bool
    value: str | None  # the known value, as the checklist shows it
    path: Path
    line: int
    col: int
    example: str
    to_come: str


@dataclass(frozen=True)
class Readiness:
    facts: tuple[Fact, ...]

    @property
    def missing(self) -> tuple[Fact, ...]:
        return tuple(fact for fact in self.facts if fact.required and not fact.known)

    @property
    def ready(self) -> bool:
        return not self.missing

    @property
    def reviewers_named(self) -> bool:
        """Every reviewing pharmacist has a name: 'reviewed by a …' may be promised."""
        return all(fact.known for fact in self.facts if fact.required and
                   fact.key.startswith("people.") and fact.key.endswith(".name"))

    @property
    def still_to_come(self) -> str:
        """'Still to come: our contact details and reviewing pharmacist\u2019s name.'"""
        names = list(dict.fromkeys(fact.to_come for fact in self.missing))
        names = [name for name in names if SUBSUMED.get(name) not in names]
        if not names:
            return ""
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        return f"Still to come: our {listed}."


@dataclass
class LaunchInputs:
    """What the pages tell readiness, gathered as each source is read."""

    reviewers: dict[str, None] = field(default_factory=dict)  # keys, in the order first named
    privacy: tuple[Path, FrontMatter] | None = None


def note_page(inputs: LaunchInputs, path: Path, front_matter: FrontMatter) -> None:
    data = front_matter.data
    if data.get("status") == "draft":
        return
    if isinstance(data.get("reviewed_by"), str):
        inputs.reviewers.setdefault(data["reviewed_by"].strip(), None)
    if str(data.get("slug") or path.stem) == PRIVACY_SLUG:
        inputs.privacy = (path, front_matter)


def positions(text: str) -> dict[str, Position]:
    """Where each dotted key's value is written in a YAML data file."""
    found: dict[str, Position] = {}

    def walk(node: yaml.Node, prefix: str) -> None:
        for name, _key, value in mapping_pairs(node):
            dotted = f"{prefix}{name}"
            found.setdefault(dotted, node_position(value))
            walk(value, f"{dotted}.")

    try:
        root = compose(text, "pharmacy.yaml", "sitedata")
    except SourceError:  # the loader has reported why it cannot be read
        return found
    if root is not None:
        walk(root, "")
    return found


def lookup(data: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        data = data.get(part) if isinstance(data, Mapping) else None
    return data


def present(value: Any) -> bool:
    """A fact the site may rely on: a known text, or a list of known texts."""
    if isinstance(value, list):
        return bool(value) and all(known(item) for item in value)
    return known(value)


def shown(value: Any) -> str:
    return "; ".join(str(item) for item in value) if isinstance(value, list) else str(value)


def where(key: str, places: Mapping[str, Position]) -> Position:
    """The key's value, else its nearest written parent, else the top of the file."""
    parts = key.split(".")
    for end in range(len(parts), 0, -1):
        found = places.get(".".join(parts[:end]))
        if found is not None:
            return found
    return Position(1, 1)


def expand(requirements: Iterable[Requirement], people: Iterable[str]) -> list[Requirement]:
    """A requirement on {person} once for each reviewing person."""
    out = []
    for requirement in requirements:
        if any(PERSON in key for key in requirement.keys):
            out += [Requirement(tuple(k.replace(PERSON, who) for k in requirement.keys),
                                requirement.what, requirement.example, requirement.to_come)
                    for who in people]
        else:
            out.append(requirement)
    return out


def assess(pharmacy: Any, pharmacy_path: Path, inputs: LaunchInputs) -> Readiness:
    """Each required and optional fact: known or missing, and where it is written."""
    text = pharmacy_path.read_text(encoding="utf-8") if pharmacy_path.is_file() else ""
    places = positions(text)
    data = pharmacy if isinstance(pharmacy, Mapping) else {}
    people_given = data.get("people")
    people = sorted(inputs.reviewers) or (sorted(people_given) if isinstance(
        people_given, Mapping) else ["pharmacist"])
    facts = []
    for required, requirements in ((True, REQUIRED), (False, OPTIONAL)):
        for requirement in expand(requirements, people):
            if requirement.keys == (PRIVACY_FLAG,):
                facts.append(privacy_fact(requirement, inputs, pharmacy_path))
                continue
            values = [lookup(data, key) for key in requirement.keys]
            held = [value for value in values if present(value)]
            line, col = where(requirement.keys[0], places)
            facts.append(Fact(" or ".join(requirement.keys), requirement.what, required,
                              bool(held), shown(held[0]) if held else None, pharmacy_path,
                              line, col, requirement.example, requirement.to_come))
    return Readiness(tuple(facts))


def privacy_fact(requirement: Requirement, inputs: LaunchInputs, pharmacy_path: Path) -> Fact:
    """`final: true` in the privacy notice's front-matter; where to write it otherwise."""
    if inputs.privacy is None:
        path, line, col, final = pharmacy_path.parent / "pages" / f"{PRIVACY_SLUG}.md", 1, 1, False
    else:
        path, front_matter = inputs.privacy
        line, col = front_matter.value_position(PRIVACY_FLAG)
        final = front_matter.data.get(PRIVACY_FLAG) is True
    return Fact(f"{PRIVACY_FLAG} (privacy notice)", requirement.what, True, final,
                "true" if final else None, path, line, col, requirement.example,
                requirement.to_come)
