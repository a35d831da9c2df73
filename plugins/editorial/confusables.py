"""The claims lint's look-alike letters: each non-ASCII character whose Unicode
confusables prototype (UTS #39, as packaged by confusable_homoglyphs) is one ASCII letter
or digit, and that letter.

The build reads the table from ``data/confusables.tsv`` (about 1,300 characters, 10 KB).
Importing the library loads its whole 0.9 MB JSON file as Python objects: 6 MB that the
build would keep to the end, a tenth of the real site's peak memory.
tests/test_editorial_confusables.py checks that the file is what the installed library
gives; after upgrading the library, write it again with
``python -m plugins.editorial.confusables``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

TABLE = Path(__file__).with_name("data") / "confusables.tsv"
HEADER = ("# Made by `python -m plugins.editorial.confusables` from confusable_homoglyphs'\n"
          "# confusables data (Unicode UTS #39): code point, then its ASCII prototype.\n")


def latin_prototypes(data: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, str]:
    """Each non-ASCII character of the library's data whose prototype is one ASCII letter
    or digit, and that letter."""
    table = {}
    for char, homoglyphs in data.items():
        if len(char) != 1 or char.isascii():
            continue
        ascii_ones = {h["c"] for h in homoglyphs if h["c"].isascii() and h["c"].isalnum()
                      and len(h["c"]) == 1}
        if len(ascii_ones) == 1:
            table[char] = ascii_ones.pop()
    return table


def from_library() -> dict[str, str]:
    from confusable_homoglyphs.confusables import confusables_data  # noqa: PLC0415 - 6 MB

    return latin_prototypes(confusables_data)


def dumps(table: Mapping[str, str]) -> str:
    return HEADER + "".join(f"{ord(char):04X}\t{latin}\n"
                            for char, latin in sorted(table.items()))


@functools.cache
def confusables() -> dict[str, str]:
    """The table, read once a process."""
    table = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, latin = line.split("\t")
            table[chr(int(code, 16))] = latin
    return table


if __name__ == "__main__":
    TABLE.write_text(dumps(from_library()), encoding="utf-8")
