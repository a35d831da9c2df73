"""The review has no Pelican signal of its own: its page stage is in stage.py, run by the
page pipeline (plugins/pipeline/stages.py)."""


def register() -> None:
    """Nothing to connect: listing the plugin in PLUGINS turns its stage on."""
