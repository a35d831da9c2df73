"""The sanitiser has no Pelican signal of its own: it is the last site check (stage.py),
run by the page pipeline (plugins/pipeline/stages.py)."""


def register() -> None:
    """Nothing to connect: listing the plugin in PLUGINS turns its check on."""
