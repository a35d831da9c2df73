"""Retraction checks have no Pelican signal of their own: their page stage and site check
are in stage.py, run by the page pipeline (plugins/pipeline/stages.py); `invoke audit`
(audit.py) writes the data file the build reads."""


def register() -> None:
    """Nothing to connect: listing the plugin in PLUGINS turns its stage on."""
