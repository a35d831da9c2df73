"""Reading grade of each content page: Flesch-Kincaid US grade, word count and audience.

    python bench/readability.py [CONTENT_DIR]      (default: content/)

The text measured is the page's prose: front-matter, tables, code (fenced and inline),
HTML tags and citation markup (`[@key]`) are left out; a Markdown link counts as its text.
Patient pages should be at or below grade 8. Exits 1 when a page for patients
(`audience: patients` or `both`) is above grade 8.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import textstat
import yaml

LIMIT = 8.0
FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
FENCE = re.compile(r"^(```|~~~).*?^\1\s*$", re.DOTALL | re.MULTILINE)
CITATION = re.compile(r"\s*\[(?:[^\[\]]*?;\s*)?(?:see\s+|e\.g\.\s+)?@[^\[\]]*\]")
LINK = re.compile(r"!?\[([^\[\]]*)\]\([^)]*\)")
INLINE_CODE = re.compile(r"`[^`]*`")
TAG = re.compile(r"<[^>]+>")
ATTRS = re.compile(r"\s*\{[:#.][^}]*\}")  # attribute lists: {: .class} or {#id}
MARKUP = re.compile(r"[*_]{1,3}|^#{1,6}\s*|^\s*(?:[-+*]|\d+\.)\s+|^>\s?", re.MULTILINE)


def split(source: str) -> tuple[dict, str]:
    match = FRONT.match(source)
    if not match:
        return {}, source
    return yaml.safe_load(match.group(1)) or {}, source[match.end():]


def prose(body: str) -> str:
    """The page's running text, without the markup that is not read as words."""
    body = FENCE.sub("", body)
    body = "\n".join(line for line in body.splitlines() if not line.lstrip().startswith("|"))
    body = CITATION.sub("", body)
    body = LINK.sub(r"\1", body)
    body = INLINE_CODE.sub("", body)
    body = TAG.sub("", body)
    body = ATTRS.sub("", body)
    body = MARKUP.sub("", body)
    # A heading or list item without a full stop is still a sentence of its own.
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    return "\n".join(line if line[-1] in ".!?:" else line + "." for line in lines)


def measure(path: Path) -> tuple[float, int, str]:
    meta, body = split(path.read_text(encoding="utf-8"))
    text = prose(body)
    return textstat.flesch_kincaid_grade(text), textstat.lexicon_count(text), \
        str(meta.get("audience", "?"))


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path("content")
    paths = sorted(root.glob("articles/*.md")) + sorted(root.glob("pages/*.md"))
    over = []
    print(f"{'page':<42} {'grade':>5} {'words':>6}  audience")
    for path in paths:
        grade, words, audience = measure(path)
        flag = ""
        if audience in {"patients", "both"} and grade > LIMIT:
            flag = "  over grade 8"
            over.append(path)
        print(f"{path.relative_to(root).as_posix():<42} {grade:>5.1f} {words:>6}  {audience}{flag}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
