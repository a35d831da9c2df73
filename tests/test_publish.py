"""The production build (publishconf.py): absolute URLs, the feed, no local address,
SITEURL and the custom domain from the environment, and the CNAME file."""

from __future__ import annotations

import re

import pytest

from conftest import build_site, shared_build
from plugins.deploy import normalize_domain

SITEURL = "https://example.org"
TEXT_SUFFIXES = {".html", ".xml", ".txt", ".json", ".js", ".css", ".svg", ""}
# Every href/src in a production page is absolute, or a fragment, mailto: or tel:.
LINK = re.compile(r'\s(?:href|src)="([^"]*)"')


@pytest.fixture(scope="module")
def production():
    with pytest.MonkeyPatch.context() as env:
        env.delenv("SITEURL", raising=False)
        env.delenv("SITE_CNAME", raising=False)
        result = shared_build("basic", settings_file="publishconf.py", SITEURL=SITEURL)
    assert result.ok, result.stdout + result.stderr
    return result


def text_files(result):
    return [path for path in sorted(result.output.rglob("*"))
            if path.is_file() and path.suffix in TEXT_SUFFIXES]


def test_every_link_in_every_page_is_absolute(production):
    pages = [path for path in text_files(production) if path.suffix == ".html"]
    assert len(pages) >= 2
    for page in pages:
        links = LINK.findall(page.read_text(encoding="utf-8"))
        assert links, page
        for link in links:
            assert link.startswith((f"{SITEURL}/", "#", "mailto:", "tel:", "https://")), \
                (page.name, link)
    home = production.html("")
    assert f'<link rel="canonical" href="{SITEURL}/"' in home
    assert f'href="{SITEURL}/first-article/"' in home


def test_the_atom_feed_is_there_with_absolute_links(production):
    feed = (production.output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert feed.startswith("<?xml")
    assert f'<link href="{SITEURL}/first-article/" rel="alternate"' in feed
    assert f"<id>{SITEURL}/" in feed


def test_the_sitemap_lists_absolute_urls(tmp_path):
    # Only a site that is ready to launch has a sitemap (tests/test_launch.py).
    ready = build_site(tmp_path, "basic", overlay="launch-ready",
                       settings_file="publishconf.py", SITEURL=SITEURL, LAUNCH=True)
    assert ready.ok, ready.stdout + ready.stderr
    sitemap = (ready.output / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert f"{SITEURL}/first-article/" in locations
    assert all(location.startswith(f"{SITEURL}/") for location in locations)


def test_no_local_address_anywhere_in_the_output(production):
    files = text_files(production)
    assert len(files) >= 5
    for path in files:
        text = path.read_text(encoding="utf-8").lower()
        for local in ("localhost", "127.0.0.1", "0.0.0.0"):  # noqa: S104 - searched for, not bound
            assert local not in text, f"{path.relative_to(production.output)} names {local}"


def test_no_cname_file_without_a_custom_domain(production):
    assert not (production.output / "CNAME").exists()


def test_a_custom_domain_writes_cname_and_sets_siteurl(tmp_path, monkeypatch):
    """SITE_CNAME alone (as deploy.yml passes repository variables) is enough."""
    monkeypatch.setenv("SITE_CNAME", "LDN.Example.com")
    monkeypatch.setenv("SITEURL", "")  # an unset repository variable arrives empty
    result = build_site(tmp_path, "basic", settings_file="publishconf.py")
    assert result.ok, result.stdout + result.stderr
    assert (result.output / "CNAME").read_text(encoding="utf-8") == "ldn.example.com\n"
    assert '<link rel="canonical" href="https://ldn.example.com/"' in result.html("")


def test_siteurl_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SITEURL", "https://preview.example.net/")
    monkeypatch.setenv("SITE_CNAME", "ldn.example.com")
    result = build_site(tmp_path, "basic", settings_file="publishconf.py")
    assert result.ok, result.stdout + result.stderr
    assert '<link rel="canonical" href="https://preview.example.net/"' in result.html("")
    assert (result.output / "CNAME").read_text(encoding="utf-8") == "ldn.example.com\n"


def test_a_bad_custom_domain_fails_the_build_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("SITEURL", SITEURL)
    monkeypatch.setenv("SITE_CNAME", "ldn example com")
    result = build_site(tmp_path, "basic", settings_file="publishconf.py")
    assert result.returncode == 1
    (line,) = [line for line in result.diagnostics if ": error: " in line]
    assert re.fullmatch(
        r"\S*publishconf\.py:\d+:1: error: SITE_CNAME 'ldn example com' is not a domain name; "
        r"set the environment variable to a bare host name such as ldn\.example\.org "
        r"\[deploy\.bad-cname\]", line)
    assert not result.output.exists()


@pytest.mark.parametrize(("value", "domain"), [
    ("", ""),
    ("  ", ""),
    ("ldn.example.org", "ldn.example.org"),
    ("LDN.Example.ORG\n", "ldn.example.org"),
    ("https://ldn.example.org/", "ldn.example.org"),
    ("www.ldn-pharmacy.co.uk", "www.ldn-pharmacy.co.uk"),
])
def test_normalize_domain(value, domain):
    assert normalize_domain(value) == domain


@pytest.mark.parametrize("value", [
    "ldn example org", "ldn.example.org/path", "localhost", "-bad.example.org", "a..b.org",
    "ldn.example.org:8080",
])
def test_normalize_domain_refuses_what_is_not_a_host_name(value):
    with pytest.raises(ValueError) as refused:  # noqa: PT011 - the message is checked below
        normalize_domain(value)
    assert str(refused.value) == value  # names what it refused, for the diagnostic


def test_publish_lists_every_unknown_fact_and_a_preview_does_not(production, tmp_path):
    facts = [line for line in production.diagnostics if line.endswith("[sitedata.unknown-fact]")]
    assert [line.split(": warning: ")[0] + " " + line.split(": warning: ")[1].split(" ")[0]
            for line in facts] == [
        "content/pharmacy.yaml:8:10 contact.phone",
        "content/pharmacy.yaml:9:10 contact.email",
        "content/pharmacy.yaml:10:12 contact.address",
        "content/pharmacy.yaml:11:10 contact.hours",
        "content/pharmacy.yaml:15:11 people.pharmacist.name",
    ]
    assert facts[0] == (
        "content/pharmacy.yaml:8:10: warning: contact.phone is not known yet (PLACEHOLDER: "
        "phone number); pages show it as to be confirmed, or leave it out; replace the value "
        "with the fact the pharmacy supplies, never a guess [sitedata.unknown-fact]")
    preview = build_site(tmp_path, "basic")
    assert preview.ok
    assert not [line for line in preview.diagnostics if "sitedata.unknown-fact" in line]
