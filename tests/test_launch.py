"""Launch readiness (plugins/sitedata/readiness.py): until pharmacy.yaml holds every fact a
launch needs, every page is a preview; once it does, nothing but the preview marks
changes; LAUNCH = True makes a publish that is not ready fail; `invoke facts`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from test_tasks import copy_project, invoke, snapshot

from conftest import FIXTURES, ROOT, BuildResult, build_once, run_build, shared_build, soup
from plugins.sitedata.readiness import LaunchInputs, assess, note_page
from plugins.sources.document import parse_source

SITEURL = "https://ldn.example.org"
BANNER_START = "Preview: this site is not open yet. "
NOINDEX = '<meta name="robots" content="noindex">'


def html_pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def banner(path: Path) -> str | None:
    found = soup(path).select(
        "section.preview")
    assert len(found) <= 1, path
    return " ".join(found[0].get_text().split()) if found else None


def known_site(root: Path, edits: dict[str, tuple[str, str]] | None = None) -> Path:
    """theme-site with every fact known (theme-site-known), then {file: (old, new)} edits."""
    shutil.copytree(FIXTURES / "theme-site", root / "content")
    shutil.copytree(FIXTURES / "theme-site-known", root / "content", dirs_exist_ok=True)
    for name, (old, new) in (edits or {}).items():
        path = root / "content" / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (path, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
    return root


# ---- The record, from the data -------------------------------------------------------------

def readiness_of(tmp_path: Path, yaml_text: str, privacy: str | None = "final: true\n"):
    import yaml  # noqa: PLC0415

    data_file = tmp_path / "pharmacy.yaml"
    data_file.write_text(yaml_text, encoding="utf-8")
    inputs = LaunchInputs()
    if privacy is not None:
        page = tmp_path / "pages" / "privacy.md"
        page.parent.mkdir(exist_ok=True)
        page.write_text(f"---\ntitle: Privacy\nreviewed_by: pharmacist\n{privacy}---\nText.\n",
                        encoding="utf-8")
        note_page(inputs, page, parse_source(page, page.read_bytes()).front_matter)
    return assess(yaml.safe_load(yaml_text), data_file, inputs)


READY = """\
contact:
  phone: "(517) 555-0100"
  email: "PLACEHOLDER: email"
  address: "1 Example Street, Lansing, MI 48900"
prescription_channels: [E-prescribing]
dosage_forms: [Capsules]
people:
  pharmacist:
    name: Jane Example
    credentials: PharmD
    licence_state: Michigan
"""


def test_a_phone_or_an_email_is_enough_and_every_other_required_fact_is_needed(tmp_path):
    record = readiness_of(tmp_path, READY)
    assert record.ready
    assert record.still_to_come == ""
    phone_or_email = record.facts[0]
    assert (phone_or_email.key, phone_or_email.known, phone_or_email.value) == (
        "contact.phone or contact.email", True, "(517) 555-0100")
    no_contact = readiness_of(tmp_path, READY.replace('"(517) 555-0100"', '"PLACEHOLDER: x"'))
    assert [(f.key, f.line, f.col) for f in no_contact.missing] == [
        ("contact.phone or contact.email", 2, 10)]
    assert no_contact.still_to_come == "Still to come: our contact details."


def test_each_missing_fact_is_located_where_it_is_written_or_would_be(tmp_path):
    text = READY.replace("  address: \"1 Example Street, Lansing, MI 48900\"\n", "").replace(
        "dosage_forms: [Capsules]", "dosage_forms: [Capsules, \"PLACEHOLDER: more\"]").replace(
        "    credentials: PharmD\n", "")
    record = readiness_of(tmp_path, text, privacy="final: false\n")
    assert [(f.key, f.path.name, f.line, f.col) for f in record.missing] == [
        ("contact.address", "pharmacy.yaml", 2, 3),  # no address: key: where contact's start
        ("dosage_forms", "pharmacy.yaml", 5, 15),  # a list with a PLACEHOLDER is not known
        ("people.pharmacist.credentials", "pharmacy.yaml", 8, 5),  # the person's entry
        ("final (privacy notice)", "privacy.md", 4, 8),
    ]
    assert record.still_to_come == (
        "Still to come: our address, list of LDN forms, reviewing pharmacist\u2019s "
        "credentials and final privacy notice.")
    assert record.reviewers_named  # a name without credentials is still a name
    unnamed = readiness_of(tmp_path, READY.replace("name: Jane Example", 'name: "PLACEHOLDER"')
                           .replace("credentials: PharmD", 'credentials: "PLACEHOLDER"'))
    assert len(unnamed.missing) == 2
    assert unnamed.still_to_come == "Still to come: our reviewing pharmacist\u2019s name."


def test_a_privacy_notice_without_the_flag_or_no_notice_at_all_is_not_final(tmp_path):
    no_flag = readiness_of(tmp_path, READY, privacy="")
    (missing,) = no_flag.missing
    assert (missing.path.name, missing.line, missing.example) == ("privacy.md", 4, "final: true")
    elsewhere = tmp_path / "no-notice"
    elsewhere.mkdir()
    (none,) = readiness_of(elsewhere, READY, privacy=None).missing
    assert none.path.as_posix().endswith("pages/privacy.md")


# ---- The real data: not ready, so a preview ----------------------------------------------

@pytest.fixture(scope="module")
def real_preview():
    def make(root: Path) -> BuildResult:
        shutil.copytree(ROOT / "content", root / "content")
        return run_build(root, settings_file="publishconf.py", SITEURL=SITEURL)
    result = build_once("real-content-published", make)
    assert result.ok, result.stdout + result.stderr
    return result


def test_every_page_of_the_real_site_is_a_noindexed_preview_with_the_banner(real_preview):
    pages = html_pages(real_preview.output)
    assert len(pages) > 20
    texts = {banner(page) for page in pages}
    (text,) = texts  # the same banner on every page
    assert text.startswith(BANNER_START)
    # True to what is missing now: the real data has no phone, email or reviewer's name.
    assert "contact details" in text
    assert "reviewing pharmacist\u2019s name" in text
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert html.count(NOINDEX) == 1, page
        assert '"@type":"Pharmacy"' not in html, page
        assert '"telephone"' not in html, page
    assert "Every article reviewed by" not in real_preview.html("")


def test_the_real_preview_disallows_crawlers_and_has_no_sitemap(real_preview):
    assert (real_preview.output / "robots.txt").read_text().split() == [
        "User-agent:", "*", "Disallow:", "/"]
    assert not (real_preview.output / "sitemap.xml").exists()


# ---- A complete fictional fixture: ready -----------------------------------------------

@pytest.fixture(scope="module")
def ready():
    result = shared_build("theme-site", overlay="theme-site-known",
                          settings_file="publishconf.py", SITEURL=SITEURL, LAUNCH=True)
    assert result.ok, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def almost():
    """The same site with one fact missing: the privacy notice is not final."""
    def make(root: Path) -> BuildResult:
        known_site(root, {"pages/privacy.md": ("final: true", "final: false")})
        return run_build(root, settings_file="publishconf.py", SITEURL=SITEURL)
    result = build_once("theme-site-known-almost", make)
    assert result.ok, result.stdout + result.stderr
    return result


def test_a_ready_site_has_no_banner_no_noindex_and_a_sitemap(ready):
    for page in html_pages(ready.output):
        assert banner(page) is None, page
        html = page.read_text(encoding="utf-8")
        assert (NOINDEX in html) == (page.name == "404.html"), page  # the 404 page never
    assert (ready.output / "robots.txt").read_text().split() == [
        "User-agent:", "*", "Allow:", "/", "Sitemap:", f"{SITEURL}/sitemap.xml"]
    sitemap = (ready.output / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{SITEURL}/what-is-ldn/</loc>" in sitemap
    assert "Every article reviewed by a licensed pharmacist" in ready.html("")


def test_the_banner_names_exactly_what_is_missing(almost):
    assert {banner(page) for page in html_pages(almost.output)} == {
        BANNER_START + "Still to come: our final privacy notice."}


def without_preview_marks(html: str) -> str:
    html = re.sub(r'<section class="preview".*?</section>\n?', "", html)
    html = html.replace(NOINDEX, "")
    return re.sub(r'<script type="application/ld\+json">.*?</script>', "", html)


def test_once_ready_nothing_but_the_preview_marks_changes(ready, almost):
    """Banner, noindex, robots.txt, the sitemap and the publisher's JSON-LD: nothing else."""
    def pages(result):
        return {p.relative_to(result.output).as_posix(): p.read_text(encoding="utf-8")
                for p in html_pages(result.output)}
    launched, preview = pages(ready), pages(almost)
    assert launched.keys() == preview.keys()
    for name, html in launched.items():
        assert without_preview_marks(html) == without_preview_marks(preview[name]), name
    assert without_preview_marks(preview["index.html"]) != preview["index.html"]


def test_the_trust_strip_promises_a_pharmacist_review_only_with_a_named_reviewer(tmp_path):
    root = known_site(tmp_path, {"pharmacy.yaml": ("name: Jane Example",
                                                   'name: "PLACEHOLDER: name"')})
    result = run_build(root, SITEURL=SITEURL)
    assert result.ok, result.stdout + result.stderr
    assert "Every article reviewed by" not in result.html("")
    assert banner(result.output / "index.html") == (
        BANNER_START + "Still to come: our reviewing pharmacist\u2019s name.")


def test_the_condition_pages_reviewer_must_be_named_too(tmp_path):
    """conditions.yaml's review: names a reviewer whose name is still a placeholder: the
    site is not ready, though every page's reviewer is named."""
    root = known_site(tmp_path, {"pharmacy.yaml": ("people:\n", "people:\n  checker:\n"
                                                   "    role: Licensed pharmacist\n"
                                                   '    name: "PLACEHOLDER: name"\n')})
    registry = root / "content" / "conditions.yaml"
    registry.write_text("review:\n  reviewed_by: checker\n  last_reviewed: 2026-11-01\n"
                        "  next_review: 2027-05-01\n  audience: both\n"
                        + registry.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_build(root, SITEURL=SITEURL, REVIEW_TODAY="2026-12-01")
    assert result.ok, result.stdout + result.stderr
    assert banner(result.output / "conditions" / "index.html") == (
        BANNER_START + "Still to come: our reviewing pharmacist\u2019s name.")


# ---- LAUNCH = True: a publish that is not ready fails ---------------------------------------

@pytest.fixture(scope="module")
def launch_project(tmp_path_factory):
    """A project copy with every fact known and LAUNCH = True, as the README says to set it."""
    project = copy_project(tmp_path_factory.mktemp("launch") / "site", "theme-site")
    shutil.copytree(FIXTURES / "theme-site-known", project / "content", dirs_exist_ok=True)
    conf = project / "publishconf.py"
    text = conf.read_text(encoding="utf-8")
    assert "\n# LAUNCH = True\n" in text
    conf.write_text(text.replace("\n# LAUNCH = True\n", "\nLAUNCH = True\n"), encoding="utf-8")
    return project


def test_launch_on_a_ready_site_publishes_and_a_missing_fact_fails_it_untouched(launch_project):
    env = {"SITEURL": SITEURL, "SITE_CNAME": ""}
    first = invoke(launch_project, "publish", env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    before = snapshot(launch_project / "output")
    assert "sitemap.xml" in before
    data = launch_project / "content" / "pharmacy.yaml"
    good = data.read_text(encoding="utf-8")
    data.write_text(good.replace('address: "1 Example Street, Lansing, MI 48900"',
                                 'address: "PLACEHOLDER: street address"'), encoding="utf-8")
    try:
        failed = invoke(launch_project, "publish", env=env)
    finally:
        data.write_text(good, encoding="utf-8")
    assert failed.returncode == 1
    line = next(n for n, text in enumerate(good.splitlines(), 1) if "address:" in text)
    errors = [text for text in (failed.stdout + failed.stderr).splitlines() if ": error: " in text]
    assert errors == [
        f"content/pharmacy.yaml:{line}:12: error: not ready to launch: contact.address is "
        "missing (the pharmacy's street address); write it here once the pharmacy supplies it, "
        'e.g. address: "1 Example Street, Lansing, MI 48900" (`invoke facts` lists every '
        "fact), or leave LAUNCH off in publishconf.py to publish a preview "
        "[sitedata.not-ready]"]
    assert "Traceback" not in failed.stdout + failed.stderr
    assert snapshot(launch_project / "output") == before


# ---- invoke facts -----------------------------------------------------------------------------

def test_invoke_facts_lists_every_fact_where_to_write_it_and_the_verdict(launch_project):
    ready_run = invoke(launch_project, "facts")
    assert ready_run.returncode == 0, ready_run.stdout + ready_run.stderr
    assert ready_run.stdout.splitlines()[-1] == (
        "Verdict: READY to launch: every required fact is known; LAUNCH is on in "
        "publishconf.py: `invoke publish` builds the launched site.")
    assert "  [x] known    contact.address: the pharmacy's street address = 1 Example Street, " \
        "Lansing, MI 48900" in ready_run.stdout.splitlines()

    privacy = launch_project / "content" / "pages" / "privacy.md"
    good = privacy.read_text(encoding="utf-8")
    privacy.write_text(good.replace("final: true", "final: false"), encoding="utf-8")
    try:
        run = invoke(launch_project, "facts")
    finally:
        privacy.write_text(good, encoding="utf-8")
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    flag = next(n for n, text in enumerate(good.splitlines(), 1) if text.startswith("final:"))
    at = lines.index("  [ ] missing  final (privacy notice): a final privacy notice (the "
                     "pharmacy has confirmed it)")
    assert lines[at + 1] == f"               content/pages/privacy.md:{flag}:8   e.g. final: true"
    assert lines[-1] == (
        "Verdict: NOT READY to launch: 1 required fact missing (final (privacy notice)); "
        "LAUNCH is on in publishconf.py, so `invoke publish` fails until they are.")
    # Required first, then optional, each fact once.
    assert lines.index("Required: every page is a preview until each one is known") < at < \
        lines.index("Optional: each is shown once known and left out until then")
    assert sum(line.startswith("  [") for line in lines) == 17


def test_invoke_facts_on_the_real_data_says_not_ready_and_why(tmp_path):
    project = copy_project(tmp_path / "site", "basic")
    shutil.rmtree(project / "content")
    shutil.copytree(ROOT / "content", project / "content")
    run = invoke(project, "facts")
    assert run.returncode == 1
    verdict = run.stdout.splitlines()[-1]
    assert verdict.startswith("Verdict: NOT READY to launch: ")
    assert "people.pharmacist.name" in verdict
    assert verdict.endswith("until then every page is a preview (banner, noindex, no sitemap).")
    assert "content/pharmacy.yaml:" in run.stdout


def test_a_plain_preview_build_is_not_failed_by_missing_facts():
    result = shared_build("theme-site")
    assert result.ok
    assert not [line for line in result.diagnostics if "sitedata.not-ready" in line]


@pytest.mark.parametrize("value", ["PLACEHOLDER: price not yet provided",
                                   "placeholder: price", "Price: Placeholder"])
def test_a_placeholder_in_any_case_is_never_a_known_fact(value):
    from plugins.sitedata.facts import known  # noqa: PLC0415
    from plugins.sitedata.loader import unknown_facts  # noqa: PLC0415
    from plugins.sources.yamldoc import compose  # noqa: PLC0415

    assert not known(value)
    root = compose(f'price: "{value}"\n', "pharmacy.yaml", "sitedata")
    assert [fact.key for fact in unknown_facts(root)] == ["price"]
