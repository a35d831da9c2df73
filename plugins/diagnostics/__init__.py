"""Shared diagnostics: every content check reports through one Report per build."""

from .build import BUILD, Build, build_of
from .plugin import register
from .records import BuildFailedError, Finding, Report, Severity
from .signals import collect
from .suggest import did_you_mean

__all__ = [
    "BUILD",
    "Build",
    "BuildFailedError",
    "Finding",
    "Report",
    "Severity",
    "build_of",
    "collect",
    "did_you_mean",
    "register",
]
