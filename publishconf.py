"""Production settings: pelicanconf.py plus what only production changes.

SITEURL and the optional custom domain come from the environment in CI:
    SITEURL=https://ldn.example.org SITE_CNAME=ldn.example.org invoke publish
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: F403 - production is local settings plus overrides

# An empty variable counts as unset: CI passes unset repository variables as "".
# A custom domain alone also sets SITEURL; plugins.deploy writes it into output/CNAME.
SITE_CNAME = os.environ.get("SITE_CNAME", "").strip().lower()
SITEURL = (os.environ.get("SITEURL", "").strip()
           or (f"https://{SITE_CNAME}" if SITE_CNAME else "https://ldn.example.org")).rstrip("/")
RELATIVE_URLS = False
PLUGINS = [*PLUGINS, "plugins.deploy"]  # noqa: F405 - pelicanconf's list, plus CNAME

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"

# Every fact pharmacy.yaml still marks PLACEHOLDER is listed (a warning each), so the
# pharmacy sees exactly what to supply.
SITE_DATA_LIST_UNKNOWN = True

# A retraction check older than INTEGRITY_MAX_AGE_DAYS (or never made) is a warning.
INTEGRITY_WARN_STALE = True

# Launching: once `invoke facts` says the site is ready, remove the "# " before the
# next line and push. A publish that is not ready then fails, listing what is missing,
# instead of publishing a preview.
# LAUNCH = True

# Production refuses what a preview only warns about.
DIAGNOSTICS_WARNINGS_AS_ERRORS = ["review.overdue"]
