"""Site-wide YAML data files (pharmacy facts, people) for templates and other plugins."""

from .loader import SiteData, load_data_file
from .people import Person, people_of
from .plugin import register

__all__ = ["Person", "SiteData", "load_data_file", "people_of", "register"]
