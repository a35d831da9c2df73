"""The claims lint: phrases a regulator would flag, found sentence by sentence. Pure.

The rules are data (rules.py); this module only applies them: it reads the prose a
page shows (text.prose: no code, quotations or reference lists), folded as a reader reads
it (normalize.fold: "F.D.A.", "FDA&#8209;approved" and a Cyrillic U+0410 all read "FDA"),
splits it into sentences, and reports each rule at most once per sentence, at the phrase
(its place in the source, not in the folded text), unless the rule's negation, citation
or hedge clears it, or a suppression comment silences it.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable, Mapping

from plugins.citations.syntax import Citation, scan
from plugins.diagnostics import Finding, Severity
from plugins.sources.spans import Spans, holds, line_col

from . import suppress
from .normalize import fold, hidden_characters
from .rules import CODES, RULES, Rule
from .sentences import Sentence, blocks, split
from .text import prose, without_code_only

# The raw-HTML, attribute-list, sanitiser and static-file codes: never silenced.
UNSUPPRESSIBLE = ("html.", "static.")

NEGATION = re.compile(r"\b(?:not|no|never|nor|neither|none|cannot|without)\b|n't\b",
                      re.IGNORECASE)
# Commas are no break: "never stop, delay or replace" negates all three.
CLAUSE_BREAK = re.compile(r"[;:()\u2014]|\s[-\u2013]\s|\b(?:but|while|whereas|although|"
                          r"though|however|yet)\b", re.IGNORECASE)


def negated(sentence: str, start: int) -> bool:
    """A negation in the clause that leads up to ``start``: "is not FDA-approved"."""
    before = sentence[:start]
    breaks = list(CLAUSE_BREAK.finditer(before))
    clause = before[breaks[-1].end():] if breaks else before
    return NEGATION.search(clause) is not None


def _applies(rule: Rule, sentence: Sentence, cited: bool) -> bool:
    """Whether the sentence is one the rule is about, before looking at the phrase."""
    if not all(about.search(sentence.text) for about in rule.about):
        return False
    if rule.unless is not None and rule.unless.search(sentence.text):
        return False
    if rule.cleared_by_citation and cited:
        return False
    return not (rule.negation == "sentence" and NEGATION.search(sentence.text))


def _hit(rule: Rule, sentence: Sentence, following: Sentence | None,
         clauses: str, is_cited: Callable[[Sentence], bool]) -> int | None:
    """Where in the sentence the rule fires, or None. ``clauses`` is the sentence with
    its em dashes, which end a clause, as written."""
    match = rule.pattern.search(sentence.text)
    if match is None:
        return None
    cited = is_cited(sentence) or (following is not None and is_cited(following))
    if not _applies(rule, sentence, cited):
        return None
    while match is not None and rule.negation == "clause" and \
            negated(clauses, match.start()):
        match = rule.pattern.search(sentence.text, match.end())
    if match is None or (rule.hedge is not None and cited and rule.hedge.search(sentence.text)):
        return None
    return match.start()


@functools.cache
def _trigger_kinds(triggers: tuple[tuple[str, ...], ...]
                   ) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Every rule's triggers (``triggers``: each rule's), once each: those without
    whitespace, and those with some, each with its longest word."""
    every = sorted({trigger for rule_triggers in triggers for trigger in rule_triggers})
    return (tuple(t for t in every if t.split() == [t]),
            tuple((t, max(t.split(), key=len)) for t in every if t.split() != [t]))


def _matched_blocks(text: str, rules: Iterable[Rule]
                    ) -> tuple[list[tuple[int, str]], dict[int, list[Rule]]]:
    """The text's blocks, and for each block (by index) in which a rule's phrase occurs,
    those rules.

    Only the rules whose trigger is in the text at all are searched (most pages have
    few), and only the blocks they match in will be split into sentences; a text in which
    no rule matches (most) is not split into blocks either."""
    lower = text.lower()
    # A trigger without whitespace occurs in the text only inside one whitespace-separated
    # word, so it is looked for in the page's distinct words: a tenth of the text to scan.
    vocabulary = " ".join(set(lower.split()))
    rules = tuple(rules)
    # Each trigger looked for once, whichever rules share it, in one loop: a text's
    # title and summary are linted as well, and most of their cost was this test.
    words, phrases = _trigger_kinds(tuple(rule.triggers for rule in rules))
    present = {t for t in words if t in vocabulary}
    # A phrase in the text has its longest word in one of the text's: only then is the
    # whole text searched (a tenth of the cost for most phrases, which most texts lack).
    present.update(t for t, word in phrases if word in vocabulary and t in lower)
    found: list[tuple[Rule, int]] = []
    for rule in rules:
        if rule.triggers and present.isdisjoint(rule.triggers):
            continue
        found += ((rule, start) for start in match_starts(rule, text, lower))
    if not found:
        return [], {}
    spans = blocks(text)
    starts = [start for start, _ in spans]
    matched: dict[int, list[Rule]] = {}
    for rule, start in found:
        index = bisect.bisect_right(starts, start) - 1
        if index >= 0 and all(r is not rule for r in matched.setdefault(index, [])):
            matched[index].append(rule)
    return spans, matched


def match_starts(rule: Rule, text: str, lower: str) -> list[int]:
    """Where each match of ``rule.pattern.finditer(text)`` starts; ``lower`` is
    ``text.lower()``.

    re tries a pattern that starts with ``\\b`` and ignores case at every offset (30 ns a
    character: a whole page for each rule whose trigger it holds). In an ASCII text, re
    matches a letter without case only to itself in either case, and ``lower`` has each
    letter lower-cased in its place, so a match can only start where ``lower`` holds one
    of the rule's ``starts``: those places are found by str.find (in C), and the pattern
    is tried at each in turn, from the end of the last match on, as finditer does. Any
    other text is searched as before (re takes U+017F for "s" and U+212A for "k")."""
    if not rule.starts or not text.isascii():
        return [match.start() for match in rule.pattern.finditer(text)]
    places = set()
    for start in rule.starts:
        at = lower.find(start)
        while at >= 0:
            places.add(at)
            at = lower.find(start, at + 1)
    found: list[int] = []
    end = 0
    for at in sorted(places):
        if at >= end and (match := rule.pattern.match(text, at)) is not None:
            found.append(at)
            end = match.end()  # never empty: every match starts with one of ``starts``
    return found


def _bad_codes(body: str, allowed: Iterable[suppress.Suppression]) -> list[Finding]:
    """A suppression naming a code it cannot silence."""
    hits = []
    for suppression in allowed:
        where = line_col(body, suppression.offset)
        for code in suppression.codes:
            if code.startswith(UNSUPPRESSIBLE):
                hits.append(Finding.at(where, "lint.unknown-code",
                                f"'{code}' cannot be silenced: a suppression comment "
                                "applies to claims lint codes only",
                                "fix the HTML or the file the error names; what keeps "
                                "visitors safe cannot be switched off"))
            elif code not in CODES:
                hits.append(Finding.at(where, "lint.unknown-code",
                                       f"'{code}' is not a claims lint code",
                                       "use one of " + ", ".join(CODES)))
    return hits


def lint_claims(body: str, rules: Iterable[Rule] = RULES,
                severities: Mapping[str, str] | None = None,
                code_free: str | None = None,
                citations: Iterable[Citation] | None = None,
                parsed: Spans | None = None) -> list[Finding]:
    """Every claim in a Markdown body, suppressions applied, and every problem with the
    suppressions themselves (no reason, an unknown code, one that silences nothing).
    ``code_free`` is ``text.without_code(body)``, ``citations`` the body's citations
    (``syntax.scan``) and ``parsed`` its spans, when the caller has them (the page's)."""
    severities = severities or {}
    allowed, problems = ([], []) if not holds(body, "<!--") else \
        suppress.parse(without_code_only(body, parsed))
    hits = problems + _bad_codes(body, allowed)
    hits += [Finding.at(line_col(body, offset), "claims.hidden-text",
                        f"the text holds an invisible character ({name}) that can make it "
                        "read otherwise than it is written, or hide words from this check",
                        "delete it (retype the sentence if you cannot see it)")
             for offset, name in hidden_characters(body)]
    folded = fold(prose(body, code_free))
    text = folded.text
    # Where the citations start in the body, by the citations' own grammar.
    if citations is None:
        citations = scan(body).citations if "@" in body else ()
    cites = [citation.start for citation in citations]

    def is_cited(sentence: Sentence) -> bool:
        start = folded.source(sentence.start)
        index = bisect.bisect_left(cites, start)
        return index < len(cites) and \
            cites[index] < folded.source(sentence.start + len(sentence.text))

    spans, matched = _matched_blocks(text, rules)
    for index in sorted(matched):
        pieces = split(*spans[index])
        for position, sentence in enumerate(pieces):
            following = pieces[position + 1] if position + 1 < len(pieces) else None
            clauses = folded.clauses[sentence.start:sentence.start + len(sentence.text)]
            for rule in matched[index]:
                at = _hit(rule, sentence, following, clauses, is_cited)
                if at is None:
                    continue
                offset = folded.source(sentence.start + at)
                line = body.count("\n", 0, offset) + 1
                silenced = [s for s in allowed if s.covers(line, rule.code)]
                for suppression in silenced:
                    suppression.used.add(rule.code)
                if not silenced:
                    severity = Severity(severities.get(rule.code, rule.severity))
                    hits.append(Finding.at(line_col(body, offset), rule.code, rule.message,
                                           rule.fix, severity))
    for suppression in allowed:
        for code in suppression.codes:
            if code in CODES and code not in suppression.used:
                hits.append(Finding.at(line_col(body, suppression.offset),
                                       "lint.unused-suppression",
                                       f"this suppression of {code} silences nothing",
                                       "remove it, or move it to the line before the claim",
                                       Severity.WARNING))
    return sorted(hits)
