"""Shared diagnostics: every content check reports through one Report per build."""

from .build import BUILD, Build, build_of
from .plugin import register, settle_report
from .records import BuildFailedError, Finding, Report, Severity
from .suggest import did_you_mean

__all__ = [
    "BUILD",
    "Build",
    "BuildFailedError",
    "Finding",
    "Report",
    "Severity",
    "build_of",
    "did_you_mean",
    "register",
    "settle_report",
]
