"""The theme's CSS minified in the output, and its scripts without comments or
indentation."""

from .minify import minify_css
from .minify_js import minify_js
from .plugin import register

__all__ = ["minify_css", "minify_js", "register"]
