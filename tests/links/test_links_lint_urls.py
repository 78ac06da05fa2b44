"""lint's url-format rule on URLs that do not parse (issue 13): a finding, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from exilebib.cli import main
from exilebib.lint.links import normalise_url, url_problem

MALFORMED = ["http://[::1", "http://[zz]/", "http://a]/", "https://example.org:99999/"]


@pytest.mark.parametrize("url", MALFORMED)
def test_a_url_that_does_not_parse_is_a_problem_not_an_error(url: str) -> None:
    problem = url_problem(url)
    assert problem is not None
    assert problem[0].startswith("it is not a valid URL (")
    assert normalise_url(url)  # and compared for duplicates without raising


def test_lint_reports_malformed_urls_as_url_format_findings(
    runner: CliRunner, in_tmp: Path
) -> None:
    entries = [
        f"@online{{k{n},\n  title = {{T}},\n  url = {{{url}}},\n}}\n"
        for n, url in enumerate([*MALFORMED, MALFORMED[0]])  # the last one twice
    ]
    path = in_tmp / "bad.bib"
    path.write_text("\n".join(entries), encoding="utf-8")
    result = runner.invoke(main, ["lint", path.name, "-f", "json"])
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output
    found = json.loads(result.stdout)["diagnostics"]
    url_format = [d for d in found if d["rule"] == "url-format"]
    assert [d["key"] for d in url_format] == ["k0", "k1", "k2", "k3", "k4"]
    assert all("is not a valid URL" in d["message"] for d in url_format)
    assert [d["key"] for d in found if d["rule"] == "duplicate-url"] == ["k4"]
