"""Add rel="noopener" to <a> tags whose href leaves the site. A pure function."""

from __future__ import annotations

import re
from typing import BinaryIO
from urllib.parse import urlsplit

# Only anchors with an absolute href and no rel="… noopener …" yet: the regex engine
# skips in-site links and finished ones, most of a page, without a Python call each.
# The href is looked at first: an in-site link (most of them: citations, back-links,
# navigation) then fails in one pass, without the rel check scanning it again.
A_TAG = re.compile(r"""<a\s(?=[^>]*?href\s*=\s*["']?\s*https?:)"""
                   r"""(?![^>]*\srel\s*=\s*["'][^"'>]*\bnoopener\b)[^>]*>""", re.IGNORECASE)
# The same pattern on the file's bytes: a page with no candidate is never decoded.
A_TAG_BYTES = re.compile(A_TAG.pattern.encode("ascii"), re.IGNORECASE)
HREF = re.compile(r"""\shref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
REL = re.compile(r"""\srel\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def is_external(href: str, own_host: str) -> bool:
    parts = urlsplit(href.strip())
    return parts.scheme in {"http", "https"} and parts.netloc.lower() != own_host


def _fix(tag: str, own_host: str) -> str:
    href = HREF.search(tag)
    if href is None or not is_external(href.group(1) or href.group(2) or "", own_host):
        return tag
    rel = REL.search(tag)
    if rel is None:
        return tag[:-1].rstrip("/").rstrip() + ' rel="noopener">'
    values = (rel.group(1) or rel.group(2) or "").split()
    if "noopener" in values:
        return tag
    merged = " ".join([*values, "noopener"])
    return tag[: rel.start()] + f' rel="{merged}"' + tag[rel.end():]


def has_candidates(data: bytes) -> bool:
    """Whether the UTF-8 ``data`` has an absolute link without noopener (maybe in-site)."""
    return A_TAG_BYTES.search(data) is not None


def file_has_candidates(stream: BinaryIO, chunk: int = 1 << 16) -> bool:
    """``has_candidates`` on a file read a chunk at a time, for pages of any size.

    The chunk is small: a read allocates its whole size even for a 20 KB page, and the
    chunk, the text carried over and the slice searched are all in memory at once.

    A candidate holds no ">" but its last character, so text cut just after a ">"
    never splits one: each chunk is checked up to its last ">", the rest carried over.
    """
    carried = b""
    while block := stream.read(chunk):
        data = carried + block
        cut = data.rfind(b">") + 1
        if cut and has_candidates(data[:cut]):
            return True
        carried = data[cut:]
    return has_candidates(carried)


def add_noopener(html: str, siteurl: str = "") -> str:
    """The same HTML, with rel="noopener" on links to hosts other than SITEURL's."""
    own_host = urlsplit(siteurl).netloc.lower()
    return A_TAG.sub(lambda match: _fix(match.group(0), own_host), html)
