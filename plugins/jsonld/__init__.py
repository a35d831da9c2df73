"""JSON-LD (MedicalWebPage, Pharmacy, BreadcrumbList) and breadcrumb trails for the theme."""

from .graph import Crumb, page_graph, pharmacy_node, trail
from .plugin import register

__all__ = ["Crumb", "page_graph", "pharmacy_node", "register", "trail"]
