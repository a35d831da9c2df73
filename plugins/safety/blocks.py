"""One safety block: a Markdown file under content/safety/ whose name is the block's.

    ---
    title: LDN and opioid medicines       # the callout's title
    audience: patients                   # patients, prescribers or both
    required_on:                         # the pages that must carry it (optional)
      articles: all                      # all, or a list of slugs
      pages: [send-a-prescription]       # all, or a list of slugs
    ---
    - **Do not take LDN if ...** [@naltrexonelabel2024]

A variant (``variant_of: opioids``) says the same for another audience and counts as the
block it varies wherever that one is required. Pure: parses the file and says what is
wrong; the plugin reports it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from plugins.citations.syntax import Citation, scan
from plugins.diagnostics import Finding, Severity, did_you_mean
from plugins.frontmatter.schema import AUDIENCES
from plugins.sources.document import SourceDocument, parse_source
from plugins.sources.yamldoc import SourceError

FIELDS = ("title", "audience", "variant_of", "required_on")
KINDS = ("articles", "pages")  # where a required_on rule looks, by folder of content/


@dataclass(frozen=True)
class Rule:
    """The pages of one kind that must carry a block: every one, or those slugs."""

    kind: str  # "articles" or "pages"
    every: bool
    slugs: tuple[str, ...] = ()

    def wants(self, kind: str, slug: str) -> bool:
        return kind == self.kind and (self.every or slug in self.slugs)


@dataclass(frozen=True)
class Block:
    name: str  # the file's name without .md
    doc: SourceDocument  # its text and the positions of every field
    title: str
    audience: str
    citations: tuple[Citation, ...]
    variant_of: str | None = None
    rules: tuple[Rule, ...] = ()

    @property
    def path(self) -> Path:
        return self.doc.path

    @property
    def body(self) -> str:
        return self.doc.body

    @property
    def satisfies(self) -> str:
        """The block a page carries when it carries this one."""
        return self.variant_of or self.name


def parse_block(path: Path, raw: bytes) -> tuple[Block | None, list[Finding]]:
    """The block in a file, or None when it cannot be used; every problem found."""
    try:
        doc = parse_source(path, raw)
    except SourceError as err:
        return None, [err.finding]
    front = doc.front_matter
    data = front.data
    findings: list[Finding] = [
        Finding.at(front.key_position(key), "safety.unknown-field",
                f"unknown field '{key}' in a safety block",
                did_you_mean(key, FIELDS) or "the fields are " + ", ".join(FIELDS))
        for key in data if key not in FIELDS]
    findings += [Finding.at(again, "safety.duplicate-field",
                         f"field '{key}' is given twice (first on line {first.line})",
                         "keep one of them") for key, first, again in front.duplicates]
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        findings.append(Finding.at(front.value_position("title"), "safety.bad-value",
                                "a safety block needs a title, the callout's heading",
                                "add a line such as 'title: LDN and opioid medicines'"))
        title = ""
    audience = data.get("audience", "patients")
    if audience not in AUDIENCES:
        findings.append(Finding.at(front.value_position("audience"), "safety.bad-value",
                                f"audience must be one of {', '.join(AUDIENCES)}",
                                did_you_mean(str(audience), AUDIENCES)
                                or "write audience: patients"))
    variant_of = data.get("variant_of")
    if variant_of is not None and (not isinstance(variant_of, str) or not variant_of.strip()):
        findings.append(Finding.at(front.value_position("variant_of"), "safety.bad-value",
                                "variant_of names one block", "write variant_of: opioids"))
        variant_of = None
    rules = _rules(data.get("required_on"), front.value_position("required_on"), findings)
    if rules and variant_of:
        findings.append(Finding.at(front.key_position("required_on"), "safety.bad-value",
                                "a variant cannot have required_on of its own",
                                f"put the pages in required_on of '{variant_of}'"))
    if not doc.body.strip():
        findings.append(Finding.at(front.end, "safety.empty-block", "this safety block has no text",
                                "write the statements below the front-matter"))
    citations, problems = scan(doc.body)
    # As before this change, every citation problem in a block is an error (a stray
    # punctuation mark, a warning on a page, included).
    findings += [replace(p, severity=Severity.ERROR) for p in doc.in_body(problems)]
    block = Block(path.stem, doc, title.strip(), str(audience), tuple(citations),
                  variant_of.strip() if variant_of else None, rules)
    return block, findings


def _rules(value: object, where: object, findings: list[Finding]) -> tuple[Rule, ...]:
    if value is None:
        return ()
    hint = "write, for example:  required_on: {articles: all, pages: [send-a-prescription]}"
    if not isinstance(value, dict):
        findings.append(Finding.at(where, "safety.bad-value",
                                "required_on must list articles: and pages:", hint))
        return ()
    rules = []
    for kind, slugs in value.items():
        if kind not in KINDS:
            findings.append(Finding.at(where, "safety.bad-value",
                                    f"required_on has '{kind}', which is not articles or pages",
                                    did_you_mean(str(kind), KINDS) or hint))
        elif slugs == "all":
            rules.append(Rule(kind, every=True))
        elif isinstance(slugs, list) and all(isinstance(s, str) and s for s in slugs):
            rules.append(Rule(kind, every=False, slugs=tuple(slugs)))
        else:
            findings.append(Finding.at(where, "safety.bad-value",
                                    f"required_on: {kind} must be 'all' or a list of slugs",
                                    hint))
    return tuple(rules)
