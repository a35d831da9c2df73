"""Production settings: pelicanconf.py plus what only production changes.

SITEURL and the optional custom domain come from the environment in CI:
    SITEURL=https://ldn.example.org SITE_CNAME=ldn.example.org invoke publish
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: F403 - production is local settings plus overrides

SITEURL = os.environ.get("SITEURL", "https://ldn.example.org").rstrip("/")
SITE_CNAME = os.environ.get("SITE_CNAME", "")
RELATIVE_URLS = False

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"

# Production refuses what a preview only warns about.
DIAGNOSTICS_WARNINGS_AS_ERRORS = ["review.overdue"]
