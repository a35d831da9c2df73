"""The front-matter schema has no Pelican signal of its own: its page stage and site
check are in stage.py, run by the page pipeline (plugins/pipeline/stages.py)."""


def register() -> None:
    """Nothing to connect: listing the plugin in PLUGINS turns its stage on."""
