"""``{static}`` and ``{attach}`` links that point outside content/.

Pelican publishes the file such a link names, wherever it is: ``[x]({static}/../.env)``
would copy a file from outside the content folder into the site. The collect phase
refuses every such file (plugins/editorial/plugin.py); this finds the link in the
Markdown, so the error points at it. Pure: text in, findings out.
"""

from __future__ import annotations

import posixpath
import re
from typing import NamedTuple
from urllib.parse import urlparse

# Pelican's INTRASITE_LINK_REGEX, `{what}` or `|what|`, for the two kinds that copy files.
LINK = re.compile(r"[{|](?P<what>static|attach)[|}](?P<path>[^\s\"'<>)\]]*)")


class OutsideLink(NamedTuple):
    offset: int  # in the body
    text: str  # as written, e.g. {static}/../secret.txt
    target: str  # relative to the content folder, e.g. ../secret.txt


def may_link(body: str) -> bool:
    """Whether ``body`` can hold such a link at all: most cannot, and re would try LINK's
    first character at every offset (0.02 ms a page)."""
    return "{" in body or "|" in body


def outside_links(body: str, folder: str) -> list[OutsideLink]:
    """Each link in ``body`` (a page in ``folder``, relative to content/) whose file is
    outside content/, resolved as Pelican resolves it."""
    found: list[OutsideLink] = []
    if not may_link(body):
        return found
    for match in LINK.finditer(body):
        path = urlparse(match["path"]).path.replace("%20", " ")
        joined = path[1:] if path.startswith("/") else posixpath.join(folder, path)
        target = posixpath.normpath(joined) if joined else "."
        if target == ".." or target.startswith("../") or target.startswith("/"):
            found.append(OutsideLink(match.start(), match.group(0), target))
    return found
