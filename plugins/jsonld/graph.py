"""Pure builders: schema.org dicts from content objects and the pharmacy facts.

Everything is read with getattr and a default, so a page that another plugin has not
decorated (no review, no references, no conditions) still gets valid JSON-LD.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from markupsafe import Markup

from plugins.sitedata.facts import known

NO_TITLES: Mapping[str, str] = {}


class Crumb(NamedTuple):
    name: str
    href: str


def absolute(siteurl: str, url: str) -> str:
    return f"{siteurl}/{url}"


def plain(text: object) -> str:
    """Visible text of a title or summary that may hold typogrify's markup."""
    # Titles are HTML that Pelican and typogrify produced; striptags only reads it.
    return " ".join(Markup(str(text or "")).striptags().split())  # noqa: S704


def trail(obj: Any, siteurl: str, menu: Iterable[tuple[str, str]],
          titles: Mapping[str, str]) -> list[Crumb]:
    """Home, then each parent folder of the object's URL, then the object itself.

    A generator may set ``obj.breadcrumbs`` (a list of (name, url)) to override the trail.
    """
    if obj is None or not hasattr(obj, "url"):
        return []
    given = getattr(obj, "breadcrumbs", None)
    if given:
        return [Crumb(name, absolute(siteurl, url)) for name, url in given]
    url = obj.url or ""
    if not url.strip("/"):
        return []
    menu_names = {u: label for label, u in menu}  # a page's own title comes first
    parts = url.strip("/").split("/")
    crumbs = [Crumb("Home", f"{siteurl}/")]
    for depth in range(1, len(parts)):
        parent = "/".join(parts[:depth]) + "/"
        name = titles.get(parent) or menu_names.get(
            parent, parts[depth - 1].replace("-", " ").capitalize())
        crumbs.append(Crumb(name, absolute(siteurl, parent)))
    crumbs.append(Crumb(own_title(obj, titles), absolute(siteurl, url)))
    return crumbs


def own_title(obj: Any, titles: Mapping[str, str]) -> str:
    """The object's title as text: from ``titles`` (each page's by its URL, made once a
    build) when it is there, else worked out."""
    title = titles.get(getattr(obj, "url", None))
    return plain(getattr(obj, "title", "")) if title is None else title


def works(references: Any) -> Iterable[Any]:
    """A reference list's entries (each with ``key`` and ``jsonld``): a ReferenceList's
    without a view of each (``entries()``), any other list as it is."""
    if not references:
        return ()
    entries = getattr(references, "entries", None)
    return references if entries is None else entries()


def breadcrumb_list(crumbs: Sequence[Crumb]) -> dict[str, Any]:
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": c.name, "item": c.href}
            for i, c in enumerate(crumbs, start=1)
        ],
    }


def pharmacy_node(pharmacy: Mapping[str, Any], siteurl: str) -> dict[str, Any]:
    """The site's publisher, with only the facts the pharmacy has confirmed."""
    contact = pharmacy.get("contact") or {}
    states = pharmacy.get("ships_to_names") or pharmacy.get("ships_to") or []
    node: dict[str, Any] = {
        "@type": "Pharmacy",
        "@id": f"{siteurl}/#pharmacy",
        "name": pharmacy.get("name", ""),
        "url": f"{siteurl}/",
        # Plain names (schema.org allows Text): a State object per state cost 180 bytes a page.
        "areaServed": list(states),
    }
    if known(pharmacy.get("short_name")):
        node["alternateName"] = pharmacy["short_name"]
    if known(pharmacy.get("state")):
        node["address"] = {"@type": "PostalAddress", "addressRegion": pharmacy["state"],
                           "addressCountry": "US"}
        if known(contact.get("address")):
            node["address"]["streetAddress"] = contact["address"]
    for key, prop in (("phone", "telephone"), ("email", "email")):
        if known(contact.get(key)):
            node[prop] = contact[key]
    return node


def condition_node(record: Any, siteurl: str, *, synonyms: bool = True) -> dict[str, Any]:
    """A MedicalCondition; ``synonyms=False`` leaves out alternateName (see medical_web_page)."""
    node: dict[str, Any] = {"@type": "MedicalCondition", "name": getattr(record, "name", "")}
    url = getattr(record, "url", None)
    if url is not None:
        node["url"] = absolute(siteurl, url)
    names = getattr(record, "synonyms", None) if synonyms else None
    if names:
        node["alternateName"] = list(names)
    code = getattr(record, "code", None)
    if code:
        node["code"] = {"@type": "MedicalCode", "codeValue": code, "codingSystem": "ICD-10"}
    return node


def iso(value: object) -> str | None:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return None


# What identifies a cited work; author lists and identifier tables stay on /references/,
# so that a page citing thirty studies does not carry thirty bibliographies in its head.
WORK_KEYS = ("@type", "@id", "name", "headline", "datePublished", "sameAs")


def compact_work(work: Mapping[str, Any],
                 study: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The work, named as briefly as it can be; with ``study`` (its study record's
    schema.org facts, from plugins/evidence), the work is typed as the study it reports
    (MedicalTrial, MedicalStudy), with its design and conditions."""
    if str(work.get("@id", "")).startswith("https://doi.org/"):
        # A DOI names the work by itself (doi.org returns its metadata), and its title and
        # year are in the reference list on the page: no second copy of thirty in the head.
        compact = {"@type": work.get("@type", "CreativeWork"), "@id": work["@id"]}
    else:
        compact = {key: work[key] for key in WORK_KEYS if key in work}
        if compact.get("sameAs") == compact.get("@id"):
            compact.pop("sameAs", None)
    if study:
        compact = {**compact, **study}
    return compact


AUDIENCES = {"patients": ["Patient"], "prescribers": ["Clinician"],
             "both": ["Patient", "Clinician"]}


def person_node(person: Any, pharmacy_id: str, profile: str | None) -> dict[str, Any] | None:
    """A Person, only once pharmacy.yaml knows a real name; None until then.

    ``profile`` is the absolute URL of the people page, where the person's entry is.
    """
    if person is None or not known(getattr(person, "name", None)):
        return None
    node: dict[str, Any] = {"@type": "Person", "name": person.name}
    for attribute, prop in (("credentials", "honorificSuffix"), ("role", "jobTitle")):
        if known(getattr(person, attribute, None)):
            node[prop] = getattr(person, attribute)
    if profile:
        node["url"] = f"{profile}#{person.anchor}"
    node["worksFor"] = {"@id": pharmacy_id}
    return node


def medical_web_page(obj: Any, siteurl: str, pharmacy_id: str,
                     people_url: str | None = None,
                     studies: Callable[[str], Mapping[str, Any] | None] | None = None,
                     titles: Mapping[str, str] = NO_TITLES) -> dict[str, Any]:
    """MedicalWebPage from the attributes the citations, conditions and review plugins set;
    ``studies`` gives a cited work's study facts (plugins/evidence), if it has a record;
    ``titles`` each page's title as text, by URL."""
    url = absolute(siteurl, getattr(obj, "url", ""))
    node: dict[str, Any] = {
        "@type": "MedicalWebPage",
        "@id": f"{url}#page",
        "url": url,
        "name": own_title(obj, titles),
        "inLanguage": "en-US",
        "publisher": {"@id": pharmacy_id},
    }
    summary = plain(getattr(obj, "summary", ""))
    if summary:
        node["description"] = summary
    conditions = getattr(obj, "condition_records", None) or []
    if conditions:
        # A condition's synonyms are on its own page; an article names each condition by
        # name, URL and code, so that one about six conditions does not repeat six lists.
        own = getattr(obj, "url", None)
        node["about"] = [condition_node(record, siteurl,
                                        synonyms=getattr(record, "url", None) == own)
                         for record in conditions]
    cited = [*works(getattr(obj, "references", None)),
             *works(getattr(obj, "further_reading", None))]
    if cited:
        study = studies or _no_study
        node["citation"] = [compact_work(reference.jsonld, study(getattr(reference, "key", "")))
                            for reference in cited]
    review = getattr(obj, "review", None)
    reviewed = iso(getattr(review, "last_reviewed", None) or getattr(obj, "last_reviewed", None))
    if reviewed:
        node["lastReviewed"] = reviewed
    profile = absolute(siteurl, people_url) if people_url is not None else None
    reviewer = person_node(getattr(review, "reviewer", None), pharmacy_id, profile)
    if reviewer:  # no reviewer is named until a real person is
        node["reviewedBy"] = reviewer
    writer = person_node(getattr(review, "writer", None), pharmacy_id, profile)
    if writer:  # otherwise the publisher, the pharmacy, stands for the author
        node["author"] = writer
    audience = getattr(review, "audience", None) or getattr(obj, "audience", None)
    if audience in AUDIENCES:
        node["audience"] = [{"@type": "MedicalAudience", "audienceType": kind}
                            for kind in AUDIENCES[audience]]
    return node


def _no_study(key: str) -> None:
    return None


def publisher_node(pharmacy: Mapping[str, Any], siteurl: str,
                   kind: str = "Organization") -> dict[str, Any]:
    """The pharmacy by name only: a preview's publisher (never a business to contact), or
    on an article of a launched site a reference to the full node of the other pages."""
    return {"@type": kind, "@id": f"{siteurl}/#pharmacy",
            "name": pharmacy.get("name", ""), "url": f"{siteurl}/"}


def page_graph(obj: Any, crumbs: Sequence[Crumb], pharmacy: Mapping[str, Any] | None,
               siteurl: str, people_url: str | None = None,
               studies: Callable[[str], Mapping[str, Any] | None] | None = None,
               *, launched: bool = True, titles: Mapping[str, str] = NO_TITLES,
               ) -> dict[str, Any]:
    """One @graph: the pharmacy, the page (MedicalWebPage for articles) and its breadcrumbs.

    Until the site is ``launched`` (ready, plugins/sitedata/readiness.py) the pharmacy is
    only the page's publisher, an Organization with a name, and not a Pharmacy with its
    address, area served and contact points. Once launched, those are on every page but
    the articles, which name the Pharmacy by the same @id."""
    graph: list[dict[str, Any]] = []
    pharmacy_id = f"{siteurl}/#pharmacy"
    medical = obj is not None and hasattr(obj, "url") and (
        type(obj).__name__ == "Article" or getattr(obj, "medical", False))
    if pharmacy:
        if not launched:
            graph.append(publisher_node(pharmacy, siteurl))
        elif medical:
            # Its address, area and contact points are on every other page under the same
            # @id: repeating them on each article cost the heaviest one its weight budget.
            graph.append(publisher_node(pharmacy, siteurl, "Pharmacy"))
        else:
            graph.append(pharmacy_node(pharmacy, siteurl))
    if obj is not None and hasattr(obj, "url"):
        if medical:
            graph.append(medical_web_page(obj, siteurl, pharmacy_id, people_url, studies,
                                          titles))
        else:
            graph.append({"@type": "WebPage", "@id": absolute(siteurl, obj.url) + "#page",
                          "url": absolute(siteurl, obj.url),
                          "name": own_title(obj, titles),
                          "publisher": {"@id": pharmacy_id}})
    if len(crumbs) > 1:
        graph.append(breadcrumb_list(crumbs))
    return {"@context": "https://schema.org", "@graph": graph}


def script_tag(data: Mapping[str, Any]) -> Markup:
    """A JSON-LD data block; '<', '>' and '&' escaped so no text can close the script."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # Safe: every character that could end the script element is escaped above.
    return Markup(f'<script type="application/ld+json">{text}</script>')  # noqa: S704

