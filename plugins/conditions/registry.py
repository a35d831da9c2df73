"""A pure parser for the conditions registry (conditions.yaml) that keeps the line and
column of every entry so problems point into the file."""

from __future__ import annotations

from pathlib import Path

import yaml

from plugins.diagnostics import Finding, did_you_mean
from plugins.frontmatter.addresses import SLUG
from plugins.sources.document import FrontMatter, front_matter_of
from plugins.sources.yamldoc import (
    Position,
    SourceError,
    compose,
    mapping_pairs,
    node_position,
    values,
)

from .records import Condition, Group, Registry
from .settings import CONDITION_URL, UNTESTED_URL

RESERVED_SLUG = UNTESTED_URL.rstrip("/").rsplit("/", 1)[-1]
ENTRY_FIELDS = ("slug", "name", "group", "synonyms", "code", "summary", "in_short",
                "evidence_summary", "pubmed_query", "trials_query")
REQUIRED = ("slug", "name", "group", "summary")


def _text(node: yaml.Node | None) -> str | None:
    """A scalar's text, or None for a list, a mapping or an empty value."""
    if isinstance(node, yaml.ScalarNode) and not node.tag.endswith(":null") \
            and str(node.value).strip():
        return str(node.value).strip()
    return None


def parse_registry(text: str, path: Path | None = None,
                   url_pattern: str = CONDITION_URL) -> tuple[Registry, list[Finding]]:
    """The registry and every problem in it. Entries that lack a slug are left out."""
    findings: list[Finding] = []
    try:
        root = compose(text, "conditions registry", "conditions")
    except SourceError as err:
        return Registry(path), [err.finding]
    sections = {key: value for key, _, value in mapping_pairs(root)}
    if not isinstance(root, yaml.MappingNode) or not {"groups", "conditions"} <= sections.keys():
        return Registry(path, broken=True), [Finding.at(
            Position(1, 1), "conditions.bad-registry",
            "conditions registry must have 'groups:' and 'conditions:' lists",
            "see docs/front-matter.md for its format")]
    for key in ("groups", "conditions"):
        if not isinstance(sections[key], yaml.SequenceNode):
            return Registry(path, broken=True), [Finding.at(
                node_position(sections[key]), "conditions.bad-registry",
                f"'{key}' must be a list (each entry on a line starting with '- ')",
                "see the comments at the top of conditions.yaml for its format")]
    before = len(findings)
    groups = _parse_groups(sections.get("groups"), findings)
    groups_complete = len(findings) == before
    group_names = {g.slug: g.name for g in groups}
    accepted: list[tuple[yaml.Node, Condition]] = []
    first_line: dict[str, int] = {}
    aliases: dict[str, str] = {}
    entries = sections.get("conditions")
    dropped = False
    for entry in entries.value if isinstance(entries, yaml.SequenceNode) else []:
        condition = _parse_condition(entry, group_names if groups_complete else None,
                                     url_pattern, findings)
        if condition is None:
            dropped = True  # it may be the one a page names: no "unknown" for pages
            continue
        where = node_position(entry)
        if condition.slug in first_line:
            findings.append(Finding.at(where, "conditions.duplicate-slug",
                                    f"condition '{condition.slug}' is defined twice "
                                    f"(first on line {first_line[condition.slug]})",
                                    "merge the two entries, or give one another slug"))
            continue
        first_line[condition.slug] = where.line
        accepted.append((entry, condition))
    conditions = [condition for _, condition in accepted]
    # Slugs win over synonyms; a synonym naming two conditions is ambiguous.
    for condition in conditions:
        aliases[condition.slug.lower()] = condition.slug
    for entry, condition in accepted:
        node = {key: value for key, _, value in mapping_pairs(entry)}.get("synonyms")
        items = node.value if isinstance(node, yaml.SequenceNode) and condition.synonyms else []
        for item in items:
            synonym = str(item.value).strip()
            owner = aliases.setdefault(synonym.lower(), condition.slug)
            if owner != condition.slug:
                findings.append(Finding.at(node_position(item), "conditions.duplicate-synonym",
                                        f"synonym '{synonym}' of '{condition.slug}' already "
                                        f"names '{owner}'",
                                        "a name may lead to one condition only: remove it "
                                        "from one of the two entries"))
    review_key = next((key for name, key, _ in mapping_pairs(root) if name == "review"), None)
    review = _review_source(review_key, sections.get("review"), findings)
    return Registry(path, groups, conditions, aliases, broken=dropped,
                    review_source=review), findings


def _review_source(key: yaml.Node | None, node: yaml.Node | None,
                   findings: list[Finding]) -> FrontMatter | None:
    """The ``review:`` fields, as a page's front-matter would give them (the review plugin
    checks them as it checks a page's)."""
    if key is None or node is None:
        return None
    if not isinstance(node, yaml.MappingNode):
        findings.append(Finding.at(node_position(node), "conditions.bad-registry",
                                   "'review' must be a set of 'field: value' lines",
                                   "indent reviewed_by:, last_reviewed:, next_review: and "
                                   "audience: under it"))
        return None
    source = front_matter_of(node, values(node))
    source.end = node_position(key)  # a missing field is reported at review:
    return source


def _parse_groups(node: yaml.Node | None, findings: list[Finding]) -> list[Group]:
    groups: list[Group] = []
    for entry in node.value if isinstance(node, yaml.SequenceNode) else []:
        values = {key: value for key, _, value in mapping_pairs(entry)}
        slug, name = _text(values.get("slug")), _text(values.get("name"))
        if not slug or not name:
            findings.append(Finding.at(node_position(entry), "conditions.missing-field",
                                    "a group needs a 'slug' and a 'name'",
                                    "write it as {slug: chronic-pain, name: Chronic pain}"))
            continue
        if not SLUG.fullmatch(slug):
            findings.append(Finding.at(node_position(values["slug"]), "conditions.bad-slug",
                                    f"the group slug '{slug[:80]}' may hold only lower-case "
                                    "letters, digits and hyphens",
                                    "for example slug: chronic-pain"))
            continue
        if any(g.slug == slug for g in groups):
            findings.append(Finding.at(node_position(entry), "conditions.duplicate-group",
                                    f"group '{slug}' is defined twice",
                                    "remove one of the two"))
            continue
        groups.append(Group(slug, name))
    return groups


def _parse_condition(entry: yaml.Node, group_names: dict[str, str] | None, url_pattern: str,
                     findings: list[Finding]) -> Condition | None:
    """One entry; ``group_names`` None when a group was refused (so no group is known
    to be unknown)."""
    if not isinstance(entry, yaml.MappingNode):
        findings.append(Finding.at(node_position(entry), "conditions.bad-registry",
                                "each condition must be a set of 'field: value' lines",
                                "start it with '- slug: ...'"))
        return None
    values: dict[str, yaml.Node] = {}
    for key, key_node, value in mapping_pairs(entry):
        if key not in ENTRY_FIELDS:
            findings.append(Finding.at(node_position(key_node), "conditions.unknown-field",
                                    f"unknown field '{key}' in a condition",
                                    did_you_mean(key, ENTRY_FIELDS)
                                    or f"the fields are {', '.join(ENTRY_FIELDS)}"))
            continue
        values[key] = value
    text = {key: _text(values.get(key))
            for key in ("slug", "name", "group", "summary", "code", "in_short",
                        "evidence_summary", "pubmed_query", "trials_query")}
    label = f"condition '{text['slug']}'" if text["slug"] else "a condition"
    refused = set()
    for key, value in text.items():
        node = values.get(key)
        if node is None or node.tag.endswith((":str", ":null")):
            continue
        refused.add(key)
        kind = f"the value {value}" if value is not None else "a list" \
            if isinstance(node, yaml.SequenceNode) else "a mapping"
        findings.append(Finding.at(node_position(node), "conditions.bad-field",
                                f"'{key}' of {label} must be text, not {kind}",
                                f"write it on one line, in quotes: {key}: \"...\""))
    for key in REQUIRED:
        if not text[key] and key not in refused:
            findings.append(Finding.at(node_position(values.get(key, entry)),
                                    "conditions.missing-field", f"{label} has no '{key}'",
                                    f"add '{key}: ...' to the entry"))
    synonyms = _synonyms(values.get("synonyms"), label, findings)
    group = text["group"]
    known = group_names is not None and "group" not in refused
    group_names = group_names or {}
    if group and known and group not in group_names:
        findings.append(Finding.at(node_position(values["group"]), "conditions.unknown-group",
                                f"unknown group '{group}' in {label}",
                                did_you_mean(group, group_names)
                                or f"the groups are {', '.join(group_names)}"))
    if not text["slug"] or "slug" in refused:
        return None
    # The slug is a folder of the site: the same grammar as a page's slug, and not the
    # name of the untested conditions' page.
    if not SLUG.fullmatch(text["slug"]) or text["slug"] == RESERVED_SLUG:
        findings.append(Finding.at(
            node_position(values["slug"]), "conditions.bad-slug",
            f"the slug '{text['slug'][:80]}' " + (
                "is the address of the page for conditions without clinical trials"
                if text["slug"] == RESERVED_SLUG else
                "may hold only lower-case letters, digits and hyphens"),
            "for example slug: chronic-fatigue-syndrome"))
        return None
    # An entry with other problems is still kept, so that pages naming it do not
    # report a second, misleading "unknown condition"; the build fails anyway.
    return Condition(
        slug=text["slug"], name=text["name"] or text["slug"], group=group or "",
        group_name=group_names.get(group or "", group or ""),
        summary=" ".join((text["summary"] or "").split()),
        url=url_pattern.format(slug=text["slug"]), synonyms=synonyms, code=text["code"],
        in_short=" ".join(text["in_short"].split()) if text["in_short"] else None,
        evidence_summary=" ".join(text["evidence_summary"].split())
        if text["evidence_summary"] else None,
        pubmed_query=text["pubmed_query"], trials_query=text["trials_query"],
    )


def _synonyms(node: yaml.Node | None, label: str, findings: list[Finding]) -> tuple[str, ...]:
    if node is None:
        return ()
    if not isinstance(node, yaml.SequenceNode) or not all(
            isinstance(item, yaml.ScalarNode) for item in node.value):
        findings.append(Finding.at(node_position(node), "conditions.bad-field",
                                f"'synonyms' of {label} must be a list of names",
                                "write synonyms: [fibro, FMS]"))
        return ()
    return tuple(str(item.value).strip() for item in node.value if str(item.value).strip())


def load_registry(path: Path, url_pattern: str = CONDITION_URL) -> tuple[Registry, list[Finding]]:
    """The registry at ``path``; a missing file is an empty registry, not an error,
    so sites without conditions need no file (a page naming one is still an error)."""
    if not path.is_file():
        return Registry(path, missing=True), []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return Registry(path), [Finding.at(Position(1, 1), "conditions.bad-yaml",
                                        "conditions registry is not UTF-8", "save it as UTF-8")]
    return parse_registry(text, path, url_pattern)
