"""The theme's CSS and scripts minified in the output, by rcssmin and rjsmin."""

from .plugin import register

__all__ = ["register"]
