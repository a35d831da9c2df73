"""The build's launch readiness (readiness.py), made once; with LAUNCH on, every missing
fact is an error, so a production build can never fall back to a preview unnoticed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from plugins.conditions.stage import registry_of
from plugins.diagnostics import Build, Finding
from plugins.pipeline.page import Page, enabled, pages_of

from .loader import load_site_data
from .readiness import LaunchInputs, Readiness, assess, note_page
from .settings import SiteDataSettings, site_data_settings

CONTEXT = "READINESS"  # what the templates ask: READINESS.ready, READINESS.still_to_come


def launch_inputs(build: Build) -> LaunchInputs:
    """What every page read tells readiness (asked once they all are: the site checks)."""
    inputs = LaunchInputs()
    for page in build.state(pages_of).values():
        if page.reviewer is not None:
            inputs.reviewers.setdefault(page.reviewer, None)  # in the order first named
        if page.privacy is not None:
            inputs.privacy = (Path(page.path), page.privacy)
    # The condition pages' reviewer (conditions.yaml's review:) must be named too.
    if "plugins.conditions" in build.state(enabled):
        registry = build.state(registry_of)
        if registry.review_source is not None and registry.path is not None:
            note_page(inputs, registry.path, registry.review_source)
    return inputs


def readiness(build: Build) -> Readiness:
    """Made on first use, in the collect phase, once every source has been read."""
    data = build.state(load_site_data)
    # Without PHARMACY in SITE_DATA, the facts are missing from the file it names by default.
    path = data.paths.get("PHARMACY") or (
        Path(build.settings["PATH"]) / SiteDataSettings().site_data["PHARMACY"])
    return assess(data.values.get("PHARMACY"), path, build.state(launch_inputs))


def note_source(page: Page, build: Build) -> list[Finding]:
    """The page stage: a reviewer it names, or the privacy page's front-matter."""
    inputs = LaunchInputs()
    note_page(inputs, page.source.path, page.source.front_matter)
    for reviewer in inputs.reviewers:
        page.reviewer = sys.intern(reviewer)  # kept for every page, and mostly the same
    if inputs.privacy is not None:
        page.privacy = inputs.privacy[1]
    return []


def check_launch(pages: list[Page], generators: list[Any], build: Build) -> None:
    """READINESS for the templates; with LAUNCH on, one located error per missing fact."""
    record = build.state(readiness)
    for generator in generators:
        generator.context[CONTEXT] = record
    if not build.state(site_data_settings).launch or record.ready:
        return
    report = build.report
    located = {(report.relpath(fact.path), fact.line, fact.col) for fact in record.missing}
    # The same place's "not known yet" warning would only repeat the error.
    report.discard(lambda d: d.code == "sitedata.unknown-fact"
                   and (d.path, d.line, d.col) in located)
    for fact in record.missing:
        report.error(fact.path, fact.line, fact.col, "sitedata.not-ready",
                     f"not ready to launch: {fact.key} is missing ({fact.what})",
                     hint=f"write it here once the pharmacy supplies it, e.g. {fact.example}"
                          " (`invoke facts` lists every fact), or leave LAUNCH off in "
                          "publishconf.py to publish a preview")
