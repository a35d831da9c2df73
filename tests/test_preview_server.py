"""The preview's server without a browser: a first build that fails still shows its
problems (on a stand-in page with the preview's script), the script is added to pages as
they are sent and never written into the build, and nothing outside the build is served."""

from __future__ import annotations

import http.client
import urllib.parse

from preview_server import INJECTED_PREFIX, preview_fixture, running_preview

from plugins.preview.__main__ import Watcher

ARTICLE = "articles/what-is-ldn.md"
GOOD = "Naltrexone blocks opioid receptors."
BROKEN = "Naltrexone blocks opioid receptors [@nosuchkey]."


def status_and_body(base: str, path: str) -> tuple[int, str]:
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        connection.request("GET", path)  # as sent: http.client keeps the dots
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def test_a_failed_first_build_shows_its_problems_then_the_site(tmp_path):
    content = preview_fixture(tmp_path)
    source = content / ARTICLE
    source.write_text(source.read_text().replace(GOOD, BROKEN))
    with running_preview(tmp_path) as preview:
        state = preview.state("/what-is-ldn/")
        assert not state["ok"]
        assert state["folder"] is None
        assert [line for line in state["errors"] if "[citations.unknown-key]" in line]
        status, html = status_and_body(preview.base, "/what-is-ldn/")
        assert status == 503
        assert "No good build yet" in html
        assert INJECTED_PREFIX in html  # so the dialog lists the problems
        assert f'data-digest="{state["digest"]}"' in html  # and it does not reload in a loop

        source.write_text(source.read_text().replace(BROKEN, GOOD))
        preview.settle(state["generation"])
        state = preview.state("/what-is-ldn/")
        assert state["ok"]
        status, html = status_and_body(preview.base, "/what-is-ldn/")
        assert status == 200
        assert html.count(INJECTED_PREFIX) == 1
        assert html.index(INJECTED_PREFIX) < html.index("</head>")
        written = (tmp_path / state["folder"] / "what-is-ldn" / "index.html").read_text()
        assert "__preview__" not in written
        assert f'data-digest="{state["digest"]}"' in html

        status, _ = status_and_body(preview.base, "/../../../etc/passwd")
        assert status == 404
        status, html = status_and_body(preview.base, "/no-such-page/")
        assert status == 404
        assert INJECTED_PREFIX in html  # the site's 404 page, with the script
        status, _ = status_and_body(preview.base, "/__preview__/nothing")
        assert status == 404


def test_the_saved_files_problems_come_first_each_as_the_terminal_prints_it(tmp_path):
    from plugins.diagnostics import Report  # noqa: PLC0415
    from plugins.preview.session import _lines  # noqa: PLC0415

    report = Report(root=tmp_path)
    report.error(tmp_path / "content/articles/a.md", 3, 1, "x.one", "first problem", hint="fix")
    report.warning(tmp_path / "content/articles/b.md", 9, 2, "x.two", "a warning")
    report.error(tmp_path / "content/articles/b.md", 7, 5, "x.three", "saved file's problem")
    errors, warnings = _lines(report, ("content/articles/b.md",))
    assert errors == (
        "content/articles/b.md:7:5: error: saved file's problem [x.three]",
        "content/articles/a.md:3:1: error: first problem; fix [x.one]",
    )
    assert warnings == ("content/articles/b.md:9:2: warning: a warning [x.two]",)
    assert _lines(report, ())[0][0].startswith("content/articles/a.md:3:1:")


def test_the_watcher_is_watching_before_it_returns_and_merges_saves_made_meanwhile(tmp_path):
    """The preview arms its watcher before the first build: a save made during that build,
    or just after the server starts, is never lost (it was, when the watch began after)."""
    first, second = tmp_path / "first.md", tmp_path / "second.md"
    watcher = Watcher([tmp_path])
    watcher.start_watching()
    try:
        first.write_text("saved at once")  # no wait: watching began before start_watching returned
        second.write_text("saved next")
        changed: set = set()
        for _batch in range(2):  # two saves may come in one batch or two
            changed |= watcher.next_changes(timeout=10)
            if len(changed) == 2:
                break
        assert changed == {first, second}
    finally:
        watcher.stopped.set()
        watcher.join(timeout=10)
    assert not watcher.is_alive()
