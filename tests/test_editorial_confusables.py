"""The claims lint's look-alike letters: the table the build reads is the installed
confusables data's, and reading it never loads that data."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT
from plugins.editorial.confusables import TABLE, dumps, from_library, latin_prototypes
from plugins.editorial.normalize import fold


def test_the_table_is_what_the_installed_library_gives():
    written = TABLE.read_text(encoding="utf-8")
    assert written == dumps(from_library()), (
        "plugins/editorial/data/confusables.tsv is out of date with confusable_homoglyphs: "
        "run `python -m plugins.editorial.confusables`")


def test_only_single_ascii_letters_or_digits_are_prototypes():
    data = {
        "\u0410": [{"c": "A", "n": "LATIN CAPITAL LETTER A"}],
        "\u0131": [{"c": "i", "n": "LATIN SMALL LETTER I"}],
        "\u217f": [{"c": "m", "n": ""}, {"c": "rn", "n": ""}],  # two ASCII spellings: one letter
        "\u2163": [{"c": "IV", "n": ""}],  # not one letter
        "\u00b7": [{"c": ".", "n": "FULL STOP"}],  # not a letter or digit
        "\u03b1": [{"c": "a", "n": ""}, {"c": "\u237a", "n": ""}],  # the one ASCII of two
        "\u0399": [{"c": "I", "n": ""}, {"c": "l", "n": ""}],  # two letters: ambiguous
        "m": [{"c": "rn", "n": ""}],  # ASCII is never folded
    }
    assert latin_prototypes(data) == {"\u0410": "A", "\u0131": "i", "\u217f": "m",
                                      "\u03b1": "a"}


def test_look_alike_letters_fold_to_latin():
    assert fold("FD\u0410-appr\u043eved").text == "FDA-approved"
    assert fold("\u0391LL \u0392ETTER").text == "ALL BETTER"


def test_the_build_never_imports_the_library():
    code = ("import sys; from plugins.editorial.normalize import fold; "
            "assert fold('FD\u0410').text == 'FDA'; "
            "print('confusable_homoglyphs' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "False"
