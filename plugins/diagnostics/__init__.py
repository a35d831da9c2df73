"""Shared diagnostics: every content check reports through one Report per build."""

from .plugin import register
from .records import BuildFailedError, Diagnostic, Report, Severity, get_report
from .signals import collect
from .suggest import did_you_mean

__all__ = [
    "BuildFailedError",
    "Diagnostic",
    "Report",
    "Severity",
    "collect",
    "did_you_mean",
    "get_report",
    "register",
]
