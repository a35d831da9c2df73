"""Signal wiring: data files go into the template context before anything is read."""

from __future__ import annotations

from typing import Any

from pelican import signals

from plugins.diagnostics import get_report

from .loader import load_site_data


def add_to_context(pelican: Any) -> None:
    data = load_site_data(pelican.settings, get_report(pelican.settings))
    pelican.settings.update(data.values)


def register() -> None:
    signals.initialized.connect(add_to_context)
