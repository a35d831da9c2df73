"""Signal wiring: write output/CNAME at the end; SITE_CNAME is checked with the content
(a site check of plugins/pipeline/stages.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals

from plugins.diagnostics import Build

from .cname import normalize_domain

# SITE_CNAME comes from the environment through publishconf.py: point at that line.
SETTINGS_FILE = Path(__file__).resolve().parents[2] / "publishconf.py"


def setting_line(path: Path, name: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    return next((number for number, line in enumerate(lines, 1) if line.startswith(name)), 1)


def check_domain(pages: list[Any], generators: list[Any], build: Build) -> None:
    """A site check (plugins/pipeline/stages.py): SITE_CNAME is a domain name."""
    try:
        normalize_domain(build.settings.get("SITE_CNAME", ""))
    except ValueError as bad:
        build.report.error(SETTINGS_FILE, setting_line(SETTINGS_FILE, "SITE_CNAME"), 1,
                     "deploy.bad-cname", f"SITE_CNAME {str(bad)!r} is not a domain name",
                     hint="set the environment variable to a bare host name such as "
                          "ldn.example.org")


def write_cname(pelican: Any) -> None:
    domain = normalize_domain(pelican.settings.get("SITE_CNAME", ""))
    if domain:
        Path(pelican.output_path, "CNAME").write_text(domain + "\n", encoding="utf-8")


def register() -> None:
    signals.finalized.connect(write_cname)
