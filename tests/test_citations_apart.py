"""citeproc-py in a child process (plugins/citations/apart.py): the same texts and
errors as in the build's own process, and a child that fails is an error, not a crash."""

from __future__ import annotations

import pytest

from plugins.citations import apart, engine
from plugins.citations.formatting import resolve_style

ITEMS = [
    {"id": "a", "type": "article-journal", "title": "One", "issued": {"date-parts": [[2020]]},
     "author": [{"family": "Smith", "given": "Jane"}], "container-title": "Pain"},
    {"id": "b", "type": "article-journal", "title": "Two", "author": ["Jason Csl"]},
]


def test_the_child_gives_what_the_engine_gives() -> None:
    style = str(resolve_style("ama")[0])
    here = engine.format_entries(style, ITEMS, numbered=True)
    there = apart.format_entries(style, ITEMS, numbered=True)
    assert there["a"] == here["a"]
    assert there["a"] == "Smith J. One. <i>Pain</i>. Published online 2020."
    # A built-in exception comes back as itself: the report names its class.
    assert type(there["b"]) is type(here["b"]) is TypeError
    assert str(there["b"]) == str(here["b"])


def test_an_exception_of_citeproc_comes_back_as_its_name_and_message() -> None:
    class VariableError(Exception):
        pass

    sent = engine.portable(VariableError("no such variable"))
    assert sent == ("VariableError", "no such variable")
    error = apart.stand_in(*sent)
    assert (type(error).__name__, str(error)) == ("VariableError", "no such variable")


def test_a_child_that_fails_is_an_error_naming_why(tmp_path) -> None:
    with pytest.raises(apart.FormattingProcessFailed,
                       match=r"child process failed \(exit 1\): .*missing\.csl"):
        apart.format_entries(str(tmp_path / "missing.csl"), ITEMS, numbered=True)
