"""The sitemap's XML, every value escaped. Pure but for the one file it writes."""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple
from urllib.request import pathname2url
from xml.sax.saxutils import escape

from pelican import contents

from .settings import SitemapSettings

HEADER = """<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
xsi:schemaLocation="http://www.sitemaps.org/schemas/sitemap/0.9 http://www.sitemaps.org/schemas/sitemap/0.9/sitemap.xsd"
xmlns:xhtml="http://www.w3.org/1999/xhtml"
xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
"""
URL = """
<url>
<loc>{loc}</loc>
<lastmod>{lastmod}</lastmod>
<changefreq>{changefreq}</changefreq>
<priority>{priority}</priority>
</url>
"""
FOOTER = """
</urlset>
"""
INDEX = re.compile(r"(?:^|(?<=/))index.html$")


class PageEntry(NamedTuple):
    path: str  # the file written
    obj: Any  # the article or page, or None (another generator's page)


def lastmod(date: datetime.datetime) -> str:
    """W3C datetime, as pelican-sitemap wrote it."""
    if date.tzinfo:
        zone = date.strftime("%z")
        zone = zone[:-2] + ":" + zone[-2:]
    else:
        zone = "-00:00"
    return date.strftime("%Y-%m-%dT%H:%M:%S") + zone


def _kind(obj: Any) -> str:
    if isinstance(obj, contents.Article):
        return "articles"
    return "pages" if isinstance(obj, contents.Page) else "indexes"


def write_sitemap(output: Path, pages: Iterable[PageEntry], config: Mapping[str, Any],
                  siteurl: str, now: datetime.datetime | None = None) -> Path:
    """sitemap.xml under ``output``, as ``config`` (SITEMAP) says, over its defaults."""
    default = SitemapSettings().sitemap
    excluded = config.get("exclude", default["exclude"])
    changefreqs = {**default["changefreqs"], **config.get("changefreqs", {})}
    priorities = {**default["priorities"], **config.get("priorities", {})}
    now = now or datetime.datetime.now()  # as pelican-sitemap: a page without a date
    rows = []
    for entry in pages:
        obj = entry.obj
        url = str(obj.url) if obj is not None else pathname2url(
            os.path.relpath(entry.path, output))
        url = INDEX.sub("", url)
        hidden = obj is not None and getattr(obj, "status", "published") != "published"
        if hidden or any(re.search(pattern, url) for pattern in excluded):
            continue
        kind = _kind(obj)
        date = getattr(obj, "modified", None) or getattr(obj, "date", None) or now
        rows.append((url, URL.format(
            loc=escape(f"{siteurl}/{url}"), lastmod=escape(lastmod(date)),
            changefreq=escape(str(changefreqs[kind])), priority=escape(str(priorities[kind])))))
    rows.sort(key=lambda row: row[0])
    path = output / "sitemap.xml"
    path.write_text(HEADER + "".join(row for _, row in rows) + FOOTER, encoding="utf-8")
    return path
