"""The theme's CSS minified in the output: no comments, no needless whitespace."""

from .minify import minify_css
from .plugin import register

__all__ = ["minify_css", "register"]
