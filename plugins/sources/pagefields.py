"""Keep each page's fields few: every metadata field becomes an attribute of the page.

Pelican copies every metadata field onto its Article or Page object. CPython shares one
table of attribute names among all instances of a class, so that each page stores only
its values, but only while the class has fewer than 30 names: past that, every page gets
a whole dict of its own (see docs/performance.md). Pelican itself sets about
twenty. So a plugin that turns front-matter fields into a record (the review, the
conditions) drops the fields the record replaces.
"""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from typing import Any


def drop_fields(metadata: MutableMapping[str, Any], names: Iterable[str]) -> None:
    """Remove fields a record now carries; the checks read the front-matter, not these."""
    for name in names:
        metadata.pop(name, None)
