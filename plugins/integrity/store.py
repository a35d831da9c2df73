"""Writing the integrity data file: deterministic text, replaced in one step."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from .data import IntegrityData, Notice

HEADER = """\
# Written by `invoke audit` (docs/integrity.md): what Crossref and PubMed say of each
# cited work with a DOI or PMID (retractions, corrections, expressions of concern), and
# what has been published since each condition's pages were last reviewed.
# Edit only `acknowledged: "reason"` under a work: the audit keeps it, and rewrites the rest.
"""

# What a YAML file may not hold as it is, even inside quotes (YAML 1.1's printable set;
# JSON already escapes what is below U+0020), nor take for a line break or a byte-order
# mark: written as \\uXXXX, which YAML's double-quoted scalars read back.
NOT_AS_IS = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _q(value: str) -> str:
    """A YAML scalar that reads back as this exact text: a JSON string (JSON's escapes are
    YAML's), with what YAML cannot hold as it is escaped too."""
    return NOT_AS_IS.sub(lambda m: f"\\u{ord(m.group()):04x}",
                         json.dumps(value, ensure_ascii=False))


def _notice_lines(notice: Notice) -> list[str]:
    lines = [f"      - type: {notice.type}"]
    lines += [f"        {name}: {_q(value)}" for name, value in
              (("doi", notice.doi), ("pmid", notice.pmid), ("date", notice.date),
               ("source", notice.source)) if value]
    return lines


def dump(data: IntegrityData) -> str:
    """The file's text: deterministic, works and conditions in key order, so an unchanged
    result is an unchanged file and a change is a small diff."""
    out = [HEADER.rstrip("\n"), "works:" if data.works else "works: {}"]
    for key in sorted(data.works):
        work = data.works[key]
        out.append(f"  {_q(key)}:")
        out += [f"    {name}: {_q(value)}" for name, value in
                (("doi", work.doi), ("pmid", work.pmid)) if value]
        out.append(f"    status: {work.status}")
        out.append(f"    checked: {_q(work.checked)}")
        if work.notices:
            out.append("    notices:")
            for notice in sorted(work.notices, key=lambda n: (n.date, n.type, n.doi, n.pmid)):
                out += _notice_lines(notice)
        if work.acknowledged is not None:
            out.append(f"    acknowledged: {_q(work.acknowledged)}")
    out.append("new_evidence:" if data.searches else "new_evidence: {}")
    for slug in sorted(data.searches):
        search = data.searches[slug]
        out.append(f"  {_q(slug)}:")
        out += [f"    {name}: {_q(value)}" for name, value in
                (("since", search.since), ("checked", search.checked),
                 ("pubmed_query", search.pubmed_query), ("trials_query", search.trials_query))]
        out.append("    articles:" if search.articles else "    articles: []")
        for a in sorted(search.articles, key=lambda a: (a.added, a.pmid), reverse=True):
            out.append(f"      - pmid: {_q(a.pmid)}")
            out += [f"        {name}: {_q(value)}" for name, value in
                    (("title", a.title), ("year", a.year), ("added", a.added)) if value]
        out.append("    trials:" if search.trials else "    trials: []")
        for t in sorted(search.trials, key=lambda t: (t.updated, t.nct), reverse=True):
            out.append(f"      - nct: {_q(t.nct)}")
            out += [f"        {name}: {_q(value)}" for name, value in
                    (("title", t.title), ("status", t.status), ("updated", t.updated),
                     ("previous_status", t.previous_status)) if value]
            if t.has_results:
                out.append("        has_results: true")
    return "\n".join(out) + "\n"


def write_atomically(path: Path, text: str) -> bool:
    """Replace the file with ``text`` in one step (a temporary file renamed over it), only
    if the text differs; whether it was written. A failure leaves the file as it was."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        temporary.chmod(path.stat().st_mode & 0o777 if path.exists() else 0o644)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return True
