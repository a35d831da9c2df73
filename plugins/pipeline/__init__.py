"""The page pipeline: every Markdown source read once into a ``Page``, its stages run in
the order stages.py states, its pieces rendered after typogrify, then the site checks."""

from .page import Page, SiteCheck, Stage, enabled, pages_of


def register() -> None:
    # Imported here, not above: the stages import every plugin, and those import this
    # package's records (page.py), so the package itself must load without them.
    from .plugin import register as connect  # noqa: PLC0415

    connect()


__all__ = ["Page", "SiteCheck", "Stage", "enabled", "pages_of", "register"]
