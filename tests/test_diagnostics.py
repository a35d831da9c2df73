"""The shared report: one line per problem, sorted, and errors Pelican only logs made fatal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from conftest import ROOT, build_site
from plugins.diagnostics import BuildFailedError, Report, Severity, did_you_mean

CORE_PLUGINS = ["plugins.diagnostics", "plugins.pipeline", "plugins.sources", "plugins.sitedata"]


def test_diagnostics_print_sorted_one_line_each_and_fail_once(tmp_path):
    report = Report(root=tmp_path)
    report.warning(tmp_path / "content/b.md", 3, 1, "review.overdue", "review is overdue")
    report.error(tmp_path / "content/a.md", 14, 22, "citations.unknown-key",
                 "unknown citation key 'parkitny2071'", hint="did you mean 'parkitny2017'?")
    report.error(tmp_path / "content/a.md", 2, 1, "x.multi", "a message\nover two lines")
    stream = io.StringIO()
    with pytest.raises(BuildFailedError) as failed:
        report.flush(stream)
    assert stream.getvalue().splitlines() == [
        "content/a.md:2:1: error: a message over two lines [x.multi]",
        "content/a.md:14:22: error: unknown citation key 'parkitny2071'; "
        "did you mean 'parkitny2017'? [citations.unknown-key]",
        "content/b.md:3:1: warning: review is overdue [review.overdue]",
        "content check: 2 errors, 1 warning",
    ]
    assert failed.value.code.startswith("content check failed with 2 errors, 1 warning")


def test_warnings_alone_do_not_fail_and_listed_codes_are_upgraded(tmp_path):
    report = Report(root=tmp_path)
    report.warning(tmp_path / "a.md", 1, 1, "review.overdue", "overdue")
    report.flush(io.StringIO())  # a warning does not fail the build
    strict = Report(root=tmp_path, warnings_as_errors=frozenset({"review.overdue"}))
    assert strict.warning(tmp_path / "a.md", 1, 1, "review.overdue", "x").severity is Severity.ERROR


def test_paths_outside_the_root_stay_relative(tmp_path):
    report = Report(root=tmp_path / "site")
    assert report.relpath(tmp_path / "shared" / "ldn.bib") == "../shared/ldn.bib"


def test_the_same_problem_is_reported_once(tmp_path):
    report = Report(root=tmp_path)
    for _ in range(2):
        report.error(tmp_path / "a.md", 1, 1, "x.y", "same")
    assert len(report.diagnostics) == 1


@pytest.mark.parametrize(("word", "expected"), [
    ("parkitny2071", "did you mean 'parkitny2017'?"),
    ("Condtions", "did you mean 'conditions'?"),
    ("zzzzzz", None),
])
def test_did_you_mean(word, expected):
    assert did_you_mean(word, ["parkitny2017", "conditions", "younger2009"]) == expected


def test_a_page_pelican_would_silently_skip_fails_the_build(site):
    result = site("pelican-errors")
    assert result.returncode == 1
    assert (
        "content/articles/no-date.md:1:1: error: Skipping content/articles/no-date.md: could not "
        "find information about 'date'; Pelican reported this itself; fix the file or setting it "
        "names [pelican.error]"
    ) in result.diagnostics
    assert not result.output.exists()


def test_a_plugin_whose_register_raises_fails_the_build(site):
    result = site("basic", PLUGIN_PATHS=[str(ROOT / "tests" / "plugins")],
                  PLUGINS=[*CORE_PLUGINS, "broken_register"])
    assert result.returncode == 1
    assert result.diagnostics == [
        "pelicanconf.py:1:1: error: Cannot register plugin `broken_register`; Pelican reported "
        "this itself; fix the file or setting it names [pelican.error]"
    ]
    assert not Path(result.output).exists()


def test_the_check_is_pelicans_run_stopped_at_the_report(tmp_path):
    """`invoke check` is ``Pelican.run()``, which the collect phase ends once the report
    is printed: nothing is written, and the last output is kept even when the settings
    would empty the folder first."""
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("the last good build", encoding="utf-8")
    result = build_site(tmp_path, "basic", command="check", OUTPUT_PATH=str(output),
                        DELETE_OUTPUT_DIRECTORY=True)
    assert result.returncode == 0, result.stderr
    assert "content check passed: 0 errors, 0 warnings" in result.stderr
    assert "Done: Processed" not in result.stdout + result.stderr  # the run did not go on
    assert [path.name for path in output.iterdir()] == ["index.html"]
    assert (output / "index.html").read_text(encoding="utf-8") == "the last good build"
