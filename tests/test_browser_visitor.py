"""A visitor's controls in a real Chromium at 390 and 1280 px (issue 28): the phone menu
and its keyboard behaviour, the header's Tab order, citation and back-link hit areas, the
reference list, the glossary and print."""

from __future__ import annotations

from itertools import pairwise

import pytest

from site_under_test import built_site

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 390, "desktop": 1280}


@pytest.fixture(scope="module")
def site():
    return built_site()


# ---- The phone menu ---------------------------------------------------------------------

@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_phone_menu_holds_the_pages_patients_need(open_page, javascript):
    page = open_page("", WIDTHS["phone"], javascript=javascript)
    nav = page.get_by_role("navigation", name="Main")
    assert not nav.is_visible()
    page.locator("details.menu > summary").click()
    assert nav.is_visible()
    for name, href in (("Side effects", "/ldn-side-effects/"), ("Getting LDN", "/how-to-get-ldn/"),
                       ("About LDN", "/what-is-ldn/"), ("Conditions", "/conditions/")):
        link = nav.get_by_role("link", name=name, exact=True)
        assert link.is_visible(), name
        assert link.get_attribute("href") == href
    nav.get_by_role("link", name="Getting LDN", exact=True).click()
    page.wait_for_url("**/how-to-get-ldn/")


@pytest.mark.parametrize("width", [320, 390, 700, 1000])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_menu_button_stays_where_it_was_tapped(open_page, width, javascript):
    """Opening the menu opens the list below the wordmark; the button does not move, so a
    second tap at the same spot closes it."""
    page = open_page("ldn-fibromyalgia/", width, javascript=javascript)
    summary = page.locator("details.menu > summary")
    closed = summary.bounding_box()
    page.mouse.click(closed["x"] + closed["width"] / 2, closed["y"] + closed["height"] / 2)
    assert page.get_by_role("navigation", name="Main").is_visible()
    assert summary.bounding_box() == closed
    page.mouse.click(closed["x"] + closed["width"] / 2, closed["y"] + closed["height"] / 2)
    assert not page.get_by_role("navigation", name="Main").is_visible()


def test_escape_closes_the_phone_menu_and_focus_returns_to_its_button(open_page):
    page = open_page("ldn-fibromyalgia/", WIDTHS["phone"])
    summary = page.locator("details.menu > summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("details.menu").evaluate("d => d.open")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "About LDN"
    page.keyboard.press("Escape")
    assert not page.locator("details.menu").evaluate("d => d.open")
    assert page.evaluate("document.activeElement === document.querySelector('.menu > summary')")
    assert not page.get_by_role("navigation", name="Main").is_visible()
    # Escape outside an open menu leaves the menu alone (and closes nothing else of ours).
    page.keyboard.press("Escape")
    assert not page.locator("details.menu").evaluate("d => d.open")


# ---- The header's Tab order -------------------------------------------------------------

def header_tab_stops(page) -> list[dict]:
    """Each control the Tab key reaches in the header, in order, with its box."""
    page.locator("body").focus()
    stops = []
    for _ in range(20):
        page.keyboard.press("Tab")
        stop = page.evaluate("""() => { const e = document.activeElement;
            if (!e.closest('.site-header')) return null;
            const r = e.getBoundingClientRect();
            return {name: (e.getAttribute('aria-label') || e.textContent || e.id).trim(),
                    top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }""")
        if stop is None:
            if stops:
                break
            continue  # the skip link comes first
        stops.append(stop)
    return stops


@pytest.mark.parametrize("width", [*WIDTHS.values(), 700, 1024],
                         ids=[*WIDTHS.keys(), "tablet", "laptop"])
def test_the_header_tab_order_follows_the_visual_order(open_page, width):
    page = open_page("ldn-dosing/", width)
    stops = header_tab_stops(page)
    names = [stop["name"] for stop in stops]
    assert "Send a prescription" in names
    assert names[-1] == "Search"  # the search button ends the header
    for before, after in pairwise(stops):
        same_row = after["top"] < before["bottom"] and before["top"] < after["bottom"]
        if same_row:
            assert after["left"] >= before["right"] - 1, (before, after)
        else:
            assert after["top"] >= before["bottom"] - 1, (before, after)


# ---- The reference list -----------------------------------------------------------------

BARE_ADDRESSES = """() => {
  const found = [];
  for (const list of document.querySelectorAll('.reference-list')) {
    const walk = document.createTreeWalker(list, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const bare = /(https?:\\/\\/|www\\.)/.test(n.data) && !n.parentElement.closest('a');
      if (bare) found.push(n.data);
    }
  }
  return found; }"""


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_references_read_like_a_journal_and_every_address_is_a_link(open_page, width):
    page = open_page("references/", width)
    entries = page.locator(".reference-list > li .ref-text").all_inner_texts()
    assert len(entries) > 20
    assert not [text for text in entries if "No authors listed" in text]
    assert page.evaluate(BARE_ADDRESSES) == []
    label = page.locator("#ref-naltrexonelabel2024")
    assert label.locator(".ref-text").inner_text().startswith(
        "Naltrexone hydrochloride tablet, film coated: prescribing information. DailyMed")
    link = label.locator('.ref-text a[href^="https://dailymed.nlm.nih.gov/"]')
    assert link.inner_text() == link.get_attribute("href")
    assert page.locator("#ref-fda2007pregabalin .ref-text").inner_text().startswith(
        "U.S. Food and Drug Administration. FDA approves")


# ---- Hit areas (WCAG 2.2, 2.5.8: at least 24 x 24 CSS px) --------------------------------

SMALL_TARGETS = """(selector) => {
  const small = [];
  for (const a of document.querySelectorAll(selector)) {
    a.scrollIntoView({block: 'center'});
    const r = a.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
    // Every corner of a 24 px square centred on the link hits the link itself.
    const corners = [[-11.5, -11.5], [11.5, -11.5], [-11.5, 11.5], [11.5, 11.5]];
    const missed = corners.filter(([dx, dy]) =>
      document.elementFromPoint(x + dx, y + dy)?.closest('a') !== a);
    if (missed.length) small.push(`${a.textContent} -> ${a.getAttribute('href')}: ${missed}`);
  }
  return small; }"""
LINE_HEIGHTS = """() => [...document.querySelectorAll('.prose p')]
  .filter(p => p.querySelector('.citation'))
  .map(p => p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight))"""


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("url", ["ldn-fibromyalgia/", "ldn-dosing/"])
def test_every_citation_and_back_link_has_a_24_px_hit_area(open_page, url, width):
    page = open_page(url, width)
    assert page.locator(".citation a").count() > 20
    assert page.evaluate(SMALL_TARGETS, ".citation a") == []
    assert page.locator(".references a[href^='#cite-']").count() > 20
    assert page.evaluate(SMALL_TARGETS, ".references a[href^='#cite-']") == []
    # Lines keep their height: a paragraph with citations is a whole number of lines.
    for lines in page.evaluate(LINE_HEIGHTS):
        assert abs(lines - round(lines)) < 0.05, lines


def test_on_this_page_shows_that_it_opens_and_whether_it_is_open(open_page):
    page = open_page("ldn-fibromyalgia/", WIDTHS["phone"])
    summary = page.locator(".toc summary")
    sign = "s => getComputedStyle(s, '::after').content"
    assert summary.evaluate(sign).startswith('"\u25be"')  # closed: it opens downwards
    summary.click()
    assert page.locator(".toc details").evaluate("d => d.open")
    assert summary.evaluate(sign).startswith('"\u25b4"')


# ---- The new and restructured pages pass axe, light and dark ------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_axe_finds_nothing_on_getting_ldn_and_the_glossary(browse, width, scheme):
    from axe_playwright_python.sync_playwright import Axe  # noqa: PLC0415

    failures = []
    for url, page in browse(["how-to-get-ldn/", "glossary/"], width, scheme=scheme):
        options = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
        failures += [f"{url}: {v['id']} {[n['target'] for n in v['nodes'][:3]]}"
                     for v in Axe().run(page, options=options).response["violations"]]
    assert not failures, "\n".join(failures)


# ---- Print ------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["ldn-dosing/", "how-to-get-ldn/", "conditions/fibromyalgia/"])
def test_a_printed_page_carries_its_address_and_review_date_at_the_foot(open_page, url):
    page = open_page(url, WIDTHS["desktop"])
    foot = page.locator(".print-foot")
    assert not foot.is_visible()  # on screen the header and the review line say it
    page.emulate_media(media="print")
    assert foot.is_visible()
    text = foot.inner_text()
    assert text.startswith(f"/{url}")
    review = page.locator(".review time").first.inner_text()
    assert text.endswith(f"reviewed {review}")
    # Fixed: Chromium repeats it at the foot of every printed page.
    assert foot.evaluate("e => getComputedStyle(e).position") == "fixed"


def test_the_home_page_names_the_site_once_in_its_title(open_page):
    page = open_page("", WIDTHS["desktop"])
    assert page.title() == "Low-dose naltrexone: what the evidence says"


def test_the_research_table_caption_is_not_squeezed_on_a_phone(open_page):
    page = open_page("ldn-research/", WIDTHS["phone"])
    caption = page.locator("table.ev caption").first
    box, table = caption.bounding_box(), page.locator("table.ev").first.bounding_box()
    assert box["width"] >= table["width"] - 1  # the caption spans the table's width
    assert box["height"] < 80  # two lines at most, not a word a line


def test_no_line_of_the_conditions_list_starts_with_a_comma(open_page):
    page = open_page("ldn-dosing/", WIDTHS["phone"])
    starts = page.evaluate("""() => { const p = document.querySelector('.condition-links');
      const r = document.createRange(), out = [];
      const walk = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        const i = n.data.indexOf(','); if (i < 0) continue;
        r.setStart(n, i); r.setEnd(n, i + 1);
        const comma = r.getBoundingClientRect(), prev = n.previousSibling.getBoundingClientRect();
        out.push(comma.top - prev.bottom < 0); }  // on the line of the link before it
      return out; }""")
    assert starts
    assert all(starts), starts
