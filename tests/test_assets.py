"""plugins/assets: the theme's CSS and scripts minified (rcssmin, rjsmin) in a real build,
with every string, template literal and line of behaviour kept."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from rcssmin import cssmin
from rjsmin import jsmin

from conftest import ROOT
from site_under_test import built_site

THEME_CSS = sorted((ROOT / "theme" / "static" / "css").glob("*.css"))
THEME_JS = sorted((ROOT / "theme" / "static" / "js").glob("*.js"))
STRING = r'"(?:[^"\\]|\\.)*"'


def test_the_build_writes_the_theme_css_minified_keeping_every_string() -> None:
    output = built_site().output / "theme" / "css"
    for path in THEME_CSS:
        source = path.read_text(encoding="utf-8")
        small = (output / path.name).read_text(encoding="utf-8")
        assert small == cssmin(source), path.name
        assert "/*" not in small
        assert len(small) < 0.85 * len(source)
        # content: ", " and "\25BE" as written; calc() keeps the spaces around "+".
        without_comments = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
        assert re.findall(STRING, small) == re.findall(STRING, without_comments), path.name
        assert re.findall(r"calc\([^)]*\)", small) == [
            re.sub(r"\s*,\s*", ",", " ".join(c.split()))
            for c in re.findall(r"calc\([^)]*\)", without_comments)]


def test_the_build_writes_the_theme_scripts_minified() -> None:
    output = built_site().output / "theme" / "js"
    for path in THEME_JS:
        source = path.read_text(encoding="utf-8")
        small = (output / path.name).read_text(encoding="utf-8")
        assert small == jsmin(source), path.name
        assert len(small) < 0.8 * len(source)
        # A template literal's text is the page's text: kept exactly.
        assert re.findall(r"`[^`]*`", small) == re.findall(r"`[^`]*`", re.sub(
            r"/\*.*?\*/", "", source, flags=re.S)), path.name


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to parse the scripts")
@pytest.mark.parametrize("path", THEME_JS, ids=lambda p: p.name)
def test_each_minified_script_still_parses(path, tmp_path) -> None:
    small = tmp_path / path.name
    small.write_text(jsmin(path.read_text(encoding="utf-8")), encoding="utf-8")
    done = subprocess.run(["node", "--check", str(small)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
