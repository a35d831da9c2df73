"""A plugin whose register() raises, as a buggy plugin would."""


def register() -> None:
    raise RuntimeError("this plugin is broken on purpose")
