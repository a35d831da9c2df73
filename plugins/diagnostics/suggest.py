"""Did-you-mean suggestions for misspelt keys, slugs and field names."""

from __future__ import annotations

from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate most like ``word``, or None if nothing is close enough."""
    # Imported here: a build asks only when something is misspelt, and difflib (with
    # heapq) is a millisecond of every build's start otherwise.
    import difflib  # noqa: PLC0415

    pool = list(dict.fromkeys(candidates))
    lowered = {c.lower(): c for c in pool}
    matches = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=cutoff)
    return lowered[matches[0]] if matches else None


def did_you_mean(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """``"did you mean 'x'?"`` for the closest candidate, or None."""
    match = closest(word, candidates, cutoff)
    return f"did you mean '{match}'?" if match else None
