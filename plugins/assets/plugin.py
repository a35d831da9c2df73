"""Signal wiring: once the build is written, minify the theme's CSS and shrink its
scripts in the output.

Only the copies in the output change; theme/static/ keeps its comments. The result
depends on the file's text alone, so builds stay byte-reproducible.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals

from .minify import minify_css
from .minify_js import minify_js


def minify_theme_css(pelican: Any) -> None:
    folder = Path(pelican.output_path) / pelican.settings.get("THEME_STATIC_DIR", "theme")
    for pattern, shrink in (("*.css", minify_css), ("*.js", minify_js)):
        for path in sorted(folder.rglob(pattern)):
            text = path.read_text(encoding="utf-8")
            small = shrink(text)
            if small != text:
                path.write_text(small, encoding="utf-8", newline="")


def register() -> None:
    signals.finalized.connect(minify_theme_css)
