"""`invoke facts`: every fact a launch needs (and the optional ones), known or missing,
where to write it and an example, then a one-line verdict.

It reads the content as `invoke check` does (``python -m plugins.sitedata.checklist``), so
it shows exactly the readiness a build computes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from pelican.settings import read_settings

from plugins.diagnostics.check import arguments, overrides_of, read_site
from plugins.diagnostics.settings import read_declared

from .launch import readiness
from .readiness import Fact, Readiness
from .settings import SiteDataSettings

PREVIEW = "banner, noindex, no sitemap"


def fact_lines(fact: Fact, relpath: str) -> list[str]:
    mark = "[x] known  " if fact.known else "[ ] missing"
    value = fact.value if fact.value is None or len(fact.value) <= 60 else fact.value[:59] + "…"
    head = f"  {mark}  {fact.key}: {fact.what}" + (f" = {value}" if fact.known else "")
    place = f"{relpath}:{fact.line}:{fact.col}"
    return [head, f"               {place}" + ("" if fact.known else f"   e.g. {fact.example}")]


def verdict(record: Readiness, launch: bool) -> str:
    if record.ready:
        then = ("LAUNCH is on in publishconf.py: `invoke publish` builds the launched site"
                if launch else "set LAUNCH = True in publishconf.py and push to launch")
        return f"Verdict: READY to launch: every required fact is known; {then}."
    missing = record.missing
    then = ("LAUNCH is on in publishconf.py, so `invoke publish` fails until they are"
            if launch else f"until then every page is a preview ({PREVIEW})")
    return (f"Verdict: NOT READY to launch: {len(missing)} required "
            f"fact{'s' * (len(missing) != 1)} missing ({', '.join(f.key for f in missing)}); "
            f"{then}.")


def render(record: Readiness, relpath: Callable[[Path], str], launch: bool) -> str:
    lines = ["Facts the site needs before it launches (edit the file:line shown; "
             "never write a guess)", "",
             "Required: every page is a preview until each one is known"]
    for fact in record.facts:
        if fact.required:
            lines += fact_lines(fact, relpath(fact.path))
    lines += ["", "Optional: each is shown once known and left out until then"]
    for fact in record.facts:
        if not fact.required:
            lines += fact_lines(fact, relpath(fact.path))
    return "\n".join([*lines, "", verdict(record, launch)]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--publish-settings", default=None, type=Path,
                        help="where LAUNCH is read (default: publishconf.py beside -s)")
    args = parser.parse_args(argv)
    overrides = {**overrides_of(args), "LAUNCH": False, "SITE_DATA_LIST_UNKNOWN": False}
    build, _failed = read_site(str(args.settings), overrides)
    publish = args.publish_settings or Path(args.settings).resolve().with_name("publishconf.py")
    launch = publish.is_file() and bool(read_declared(SiteDataSettings,
                                                      read_settings(str(publish))).launch)
    record = build.state(readiness)
    sys.stdout.write(render(record, build.report.relpath, launch))
    return 0 if record.ready else 1


if __name__ == "__main__":
    sys.exit(main())
