"""Suppression comments: ``<!-- lint: allow claims.proven "quoting the FDA's wording" -->``.

One silences the named codes on its own line and on the next. A reason, in double
quotes, is required. Pure: the comments of a body, with offsets and what is wrong with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plugins.diagnostics import Finding
from plugins.sources import spans
from plugins.sources.spans import line_col

# A comment as plugins/sources/spans.py reads one, that starts with "lint:" and is closed.
LINT = re.compile(r"<!--\s*lint\s*:(?P<inner>.*?)--!?>", re.DOTALL)
ALLOW = re.compile(r"^\s*allow\s+(?P<codes>[a-z0-9_.,\s-]+?)\s*(?:\"(?P<reason>[^\"]*)\"|"
                   r"\u201c(?P<curly>[^\u201d]*)\u201d)?\s*$", re.IGNORECASE)


@dataclass
class Suppression:
    offset: int  # of the comment, in the body
    line: int  # 1-based line in the body
    codes: tuple[str, ...]
    reason: str
    used: set[str] = field(default_factory=set)

    def covers(self, line: int, code: str) -> bool:
        return code in self.codes and line in (self.line, self.line + 1)


def parse(body: str) -> tuple[list[Suppression], list[Finding]]:
    """The well-formed suppressions and the problems of the others."""
    found, problems = [], []
    comments = (s for s in spans.parse(body).inline if s.kind == "comment")
    for match in (LINT.fullmatch(body, s.start, s.end) for s in comments):
        if match is None:
            continue
        line = body.count("\n", 0, match.start()) + 1
        allow = ALLOW.match(match.group("inner"))
        if allow is None:
            problems.append(Finding.at(
                line_col(body, match.start()), "lint.bad-suppression",
                "this lint comment cannot be read",
                'write it as <!-- lint: allow claims.proven "why" -->'))
            continue
        codes = tuple(c for c in re.split(r"[\s,]+", allow.group("codes").lower()) if c)
        reason = (allow.group("reason") or allow.group("curly") or "").strip()
        if not reason:
            problems.append(Finding.at(
                line_col(body, match.start()), "lint.no-reason",
                f"a suppression of {', '.join(codes)} needs a reason",
                'add why, in double quotes: <!-- lint: allow '
                f'{codes[0] if codes else "claims.proven"} "quoting the label" -->'))
            continue
        found.append(Suppression(match.start(), line, codes, reason))
    return found, problems
