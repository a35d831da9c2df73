"""Run every content check without writing a page: ``python -m plugins.diagnostics.check``.

It reads the content the way ``pelican content`` does, with the same settings and
plugins, then stops at the report, before any output is written."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from pelican import Pelican, signals
from pelican.settings import read_settings

from .build import Build, build_of
from .records import BuildFailedError


def read_site(settings_file: str,
              overrides: dict[str, object] | None = None) -> tuple[Build, bool]:
    """Read every source and run every check, writing nothing: the run's Build (its
    report and each plugin's state), and whether the report held an error. Every
    diagnostic has been printed."""
    # Nothing is rendered, so typogrify and Markdown in the summary would be work for
    # nothing: no check looks at HTML, and no diagnostic comes from either.
    settings = read_settings(settings_file, override={
        **(overrides or {}), "CHECK_ONLY": True, "TYPOGRIFY": False, "FORMATTED_FIELDS": []})
    pelican = Pelican(settings)
    context = settings.copy()
    context.update(generated_content={}, static_links=set(), static_content={},
                   localsiteurl=settings["SITEURL"])
    generators = [
        cls(context=context, settings=settings, path=pelican.path, theme=pelican.theme,
            output_path=pelican.output_path)
        for cls in pelican._get_generator_classes()  # Pelican's own list, plugins' included
    ]
    for generator in generators:
        if hasattr(generator, "generate_context"):
            generator.generate_context()
    failed = False
    try:
        signals.all_generators_finalized.send(generators)
    except BuildFailedError as failure:
        sys.stderr.write(f"{failure.code}\n")
        failed = True
    return build_of(context, settings), failed


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
