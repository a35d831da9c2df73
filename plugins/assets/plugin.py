"""Signal wiring: once the build is written, minify the theme's CSS (rcssmin) and its
scripts (rjsmin) in the output.

Only the copies in the output change; theme/static/ keeps its comments. The result
depends on the file's text alone, so builds stay byte-reproducible.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican import signals
from rcssmin import cssmin
from rjsmin import jsmin


def minify_theme_css(pelican: Any) -> None:
    folder = Path(pelican.output_path) / pelican.settings.get("THEME_STATIC_DIR", "theme")
    for pattern, shrink in (("*.css", cssmin), ("*.js", jsmin)):
        for path in sorted(folder.rglob(pattern)):
            text = path.read_text(encoding="utf-8")
            small = shrink(text)
            if small != text:
                path.write_text(small, encoding="utf-8", newline="")


def register() -> None:
    signals.finalized.connect(minify_theme_css)
