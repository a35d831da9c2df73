"""The custom domain from SITE_CNAME, as the one line a CNAME file holds."""

from __future__ import annotations

import re

# A host name: dot-separated labels of letters, digits and inner hyphens.
HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def normalize_domain(value: str) -> str:
    """'https://LDN.Example.org/' -> 'ldn.example.org'; '' when no domain is set.

    Raises ValueError for anything that is not a host name, so the caller can report it.
    """
    domain = value.strip().lower().removeprefix("https://").removeprefix("http://").rstrip("/")
    if domain and not HOSTNAME.match(domain):
        raise ValueError(domain)
    return domain
