"""Evidence as data: study records, their labels, generated evidence tables and the
condition pages' summaries (see docs/evidence.md)."""


def register() -> None:
    # Imported here, not above: another plugin reads this one's settings (settings.py, a
    # leaf) without loading the plugin, whose modules import that other plugin in turn.
    from .plugin import register as connect  # noqa: PLC0415

    connect()

__all__ = ["register"]
