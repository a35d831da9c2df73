"""Signal wiring: the data files go into the run's context, where templates read them,
with the people of pharmacy.yaml as ready records (PEOPLE), the `known` test, and the
launch readiness (READINESS), which also gates the sitemap (plugins/sitemap). The page
stage and the launch check are in launch.py (plugins/pipeline/stages.py runs them)."""

from __future__ import annotations

from typing import Any

from pelican import signals

from plugins.diagnostics import build_of

from .facts import known
from .loader import load_site_data
from .people import site_people


def add_to_context(generator: Any) -> None:
    build = build_of(generator.context, generator.settings)
    generator.context.update(build.state(load_site_data).values)
    generator.context["PEOPLE"] = build.state(site_people)
    # `{% if PHARMACY.contact.phone is known %}`: the same one test as the plugins use.
    generator.env.tests["known"] = known


def register() -> None:
    signals.generator_init.connect(add_to_context)
