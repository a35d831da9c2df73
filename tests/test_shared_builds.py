"""The test run's shared builds (conftest.shared_build, build_once) are read-only: a test that
changes one fails, naming it, instead of silently changing what later tests read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import BuildResult, build_once


def test_a_shared_build_is_made_once_and_a_change_to_it_fails_the_next_asker() -> None:
    made = []

    def make(root: Path) -> BuildResult:
        made.append(root)
        (root / "output").mkdir()
        (root / "output" / "index.html").write_text("first", encoding="utf-8")
        return BuildResult(0, "built", "", root, root / "output")

    first = build_once("guard-check", make)
    again = build_once("guard-check", make)
    assert len(made) <= 1  # made by this worker, or already by another one
    assert again == first
    assert (first.output / "index.html").read_text(encoding="utf-8") == "first"

    page = first.output / "index.html"
    before = page.stat()
    page.write_text("other", encoding="utf-8")  # same size: the time gives it away
    try:
        with pytest.raises(pytest.fail.Exception, match="a test changed the shared build "
                                                        r"guard-check-\w+ .*'output/index.html'"):
            build_once("guard-check", make)
    finally:  # as it was, so that the end of the run finds it unchanged
        page.write_text("first", encoding="utf-8")
        os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert build_once("guard-check", make) == first
