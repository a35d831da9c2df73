"""Site-wide YAML data files (pharmacy facts) for templates and other plugins."""

from .loader import SiteData, load_data_file
from .plugin import register

__all__ = ["SiteData", "load_data_file", "register"]
