"""Run every content check without writing a page: ``python -m plugins.diagnostics.check``.

It reads the content the way ``pelican content`` does, with the same settings and
plugins, then stops at the report, before any output is written."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

from .build import Build, StoppedAtReport


def read_site(settings_file: str,
              overrides: dict[str, object] | None = None) -> tuple[Build, bool]:
    """Read every source and run every check, writing nothing: the run's Build (its
    report and each plugin's state), and whether the report held an error. Every
    diagnostic has been printed.

    It is Pelican's own run (``Pelican.run()``: its generators, plugins' included, read
    the content, then the collect phase checks it), which ends once the report is
    printed (settle_report), because CHECK_ONLY is set (StoppedAtReport)."""
    # Nothing is rendered, so typogrify and Markdown in the summary would be work for
    # nothing: no check looks at HTML, and no diagnostic comes from either. The output
    # folder is never emptied, whatever the settings say.
    settings = read_settings(settings_file, override={
        **(overrides or {}), "CHECK_ONLY": True, "TYPOGRIFY": False, "FORMATTED_FIELDS": [],
        "DELETE_OUTPUT_DIRECTORY": False})
    pelican = Pelican(settings)
    if not {"plugins.diagnostics", "plugins.pipeline"} <= set(pelican.settings["PLUGINS"]):
        raise SystemExit(f"{settings_file}: plugins.diagnostics and plugins.pipeline must "
                         "be in PLUGINS, or nothing would stop the run before it writes")
    try:
        pelican.run()
    except StoppedAtReport as stopped:
        if stopped.failed:
            sys.stderr.write(f"{stopped.code}\n")
        return stopped.build, stopped.failed
    raise AssertionError("unreachable: the collect phase stops a CHECK_ONLY run")


def run_check(settings_file: str, overrides: dict[str, object] | None = None) -> int:
    """0 when the content has no errors; prints every diagnostic either way."""
    started = time.perf_counter()
    build, failed = read_site(settings_file, overrides)
    if failed:
        return 1
    report = build.report
    sys.stderr.write(
        f"content check passed: {report.summary()} "
        f"in {time.perf_counter() - started:.2f} s\n"
    )
    return 0


def arguments(description: str) -> argparse.ArgumentParser:
    """The command line of the check (and of the editorial report, which adds to it)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("-s", "--settings", default="pelicanconf.py", type=Path)
    parser.add_argument("path", nargs="?", help="content folder (default: the settings' PATH)")
    parser.add_argument("-e", "--extra-settings", nargs="*", default=[], metavar="KEY=JSON",
                        help="override settings, as for `pelican -e`")
    return parser


def overrides_of(args: argparse.Namespace) -> dict[str, object]:
    overrides: dict[str, object] = {}
    for item in args.extra_settings:
        key, _, value = item.partition("=")
        try:
            overrides[key] = json.loads(value)
        except json.JSONDecodeError:
            overrides[key] = value
    if args.path:
        overrides["PATH"] = str(Path(args.path).resolve())
    return overrides


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__.splitlines()[0]).parse_args(argv)
    return run_check(str(args.settings), overrides_of(args))


if __name__ == "__main__":
    sys.exit(main())
