"""Reading grade of each content page: Flesch-Kincaid US grade, word count and audience.

    python bench/readability.py [CONTENT_DIR]      (default: content/)

A quick look without running the whole content check: the measuring is the editorial
plugin's (plugins/editorial/readability.py, what `invoke check` warns on and `invoke
report` shows). Exits 1 when a page for patients (`audience: patients` or `both`) is
above grade 8, the default READABILITY_MAX_GRADE.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plugins.editorial.readability import measure  # noqa: E402
from plugins.editorial.settings import EditorialSettings  # noqa: E402
from plugins.editorial.state import PATIENT_AUDIENCES  # noqa: E402

DEFAULT_MAX_GRADE = EditorialSettings.readability_max_grade
from plugins.sources.document import parse_source  # noqa: E402
from plugins.sources.yamldoc import SourceError  # noqa: E402


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path("content")
    # The safety blocks (content/safety/) are read on every page that places them.
    paths = [*sorted(root.glob("articles/*.md")), *sorted(root.glob("pages/*.md")),
             *sorted(root.glob("safety/*.md"))]
    over = []
    print(f"{'page':<42} {'grade':>5} {'words':>6}  audience")
    for path in paths:
        try:
            doc = parse_source(path, path.read_bytes())
        except SourceError as err:
            print(f"{path}: {err.finding.message}")
            over.append(path)
            continue
        measured = measure(doc.body)
        audience = str(doc.front_matter.data.get("audience", "?"))
        flag = ""
        if audience in PATIENT_AUDIENCES and measured.grade > DEFAULT_MAX_GRADE:
            flag = f"  over grade {DEFAULT_MAX_GRADE:g}"
            over.append(path)
        print(f"{path.relative_to(root).as_posix():<42} {measured.grade:>5.1f} "
              f"{measured.words:>6}  {audience}{flag}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
