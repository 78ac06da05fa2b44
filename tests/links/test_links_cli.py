"""``exilebib links`` end to end: exit codes, the five report formats, config, archive."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from linkserver import LinkServer, connections, free_port, redirect, respond, slow

from exilebib.cli import main

# skip.example is always excluded: no test may ask a resolver about a real name.
SKIP = ["--exclude", r"skip\.example"]
FAST = ["--allow-private", "--timeout", "1", "--retries", "1", *SKIP]


@pytest.fixture
def bib(server: LinkServer, in_tmp: Path) -> Path:
    """Five entries: ok, a permanent redirect, a 404 cited twice, a 403 wall, an excluded URL."""
    server.route("/ok", respond(200))
    server.route("/old", redirect(301, "/ok"))
    server.route("/wall", respond(403))
    text = f"""@online{{good,
  title = {{Good}},
  url = {{{server.url("/ok")}}},
}}

@online{{moved,
  url = {{{server.url("/old")}}},
}}

@online{{dead,
  url = {{{server.url("/gone")}}},
}}

@misc{{dead-again,
  note = {{Also at \\url{{{server.url("/gone")}}}.}},
}}

@online{{walled,
  url = {{{server.url("/wall")}}},
}}

@online{{skipped,
  url = {{https://skip.example/page}},
}}
"""
    path = in_tmp / "refs.bib"
    path.write_text(text, encoding="utf-8")
    return path


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, ["links", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_text_report_groups_by_verdict_and_fails_on_broken(
    runner: CliRunner, bib: Path, server: LinkServer
) -> None:
    code, out, err = run(runner, str(bib), *FAST)
    assert code == 1
    assert err == ""  # no progress bar when stderr is not a terminal
    assert out.index("broken (1)") < out.index("blocked (1)") < out.index("redirected (1)")
    assert f"{bib}:11: dead (url)" in out
    assert f"{bib}:15: dead-again (note)" in out
    assert f"cite {server.url('/ok')}" in out
    assert "ok (1)" not in out
    assert "6 link(s)" not in out  # the 404 is one link cited twice
    assert "5 link(s): 1 broken, 1 blocked, 1 redirected, 1 ok, 1 excluded" in out
    assert len(server.hits("/gone")) == 1


def test_verbose_lists_ok_links(runner: CliRunner, bib: Path) -> None:
    _, out, _ = run(runner, str(bib), *FAST, "-v")
    assert "ok (1)" in out


def test_exit_zero_when_only_blocked_and_fail_on_chooses_more(
    runner: CliRunner, bib: Path, server: LinkServer
) -> None:
    server.route("/gone", respond(200))
    code, _, _ = run(runner, str(bib), *FAST)
    assert code == 0
    code, out, _ = run(runner, str(bib), *FAST, "--fail-on", "broken,blocked")
    assert code == 1
    assert "1 link(s) failed the check (--fail-on broken, blocked)" in out


def test_unknown_verdict_is_a_usage_error(runner: CliRunner, bib: Path) -> None:
    code, _, err = run(runner, str(bib), "--fail-on", "borken")
    assert code == 2
    assert "unknown verdict 'borken'" in err


def test_missing_sources_file_is_a_usage_error(runner: CliRunner, in_tmp: Path) -> None:
    code, _, err = run(runner, "missing.bib")
    assert code == 2
    assert "missing.bib: no such file" in err


def test_loopback_without_allow_private_is_excluded(runner: CliRunner, bib: Path) -> None:
    code, out, _ = run(runner, str(bib), *SKIP)
    assert code == 0
    assert "excluded (5)" in out
    assert "pass --allow-private" in out


def test_json_report(runner: CliRunner, bib: Path, server: LinkServer) -> None:
    code, out, _ = run(runner, str(bib), *FAST, "--format", "json")
    assert code == 1
    data = json.loads(out)
    by_url = {r["url"]: r for r in data["results"]}
    gone = by_url[server.url("/gone")]
    assert {
        "url",
        "status",
        "http_status",
        "final_url",
        "keys",
        "locations",
        "attempts",
        "detail",
    } <= set(gone)
    assert gone["status"] == "broken"
    assert gone["http_status"] == 404
    assert gone["keys"] == ["dead", "dead-again"]
    assert [(loc["file"], loc["line"]) for loc in gone["locations"]] == [
        (str(bib), 11),
        (str(bib), 15),
    ]
    moved = by_url[server.url("/old")]
    assert (moved["status"], moved["new_url"], moved["final_url"]) == (
        "redirected",
        server.url("/ok"),
        server.url("/ok"),
    )
    assert data["summary"]["counts"]["broken"] == 1
    assert data["summary"]["failed"] == 1
    assert data["summary"]["total"] == 5


def test_junit_report(runner: CliRunner, bib: Path) -> None:
    code, out, _ = run(runner, str(bib), *FAST, "-f", "junit")
    assert code == 1
    suite = ET.fromstring(out).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("5", "1", "1")
    failures = suite.findall("testcase/failure")
    assert [f.get("type") for f in failures] == ["broken"]
    assert "dead-again" in (failures[0].text or "")


def test_github_annotations_point_at_the_bib_lines(
    runner: CliRunner, bib: Path, server: LinkServer
) -> None:
    code, out, _ = run(runner, str(bib), *FAST, "-f", "github")
    assert code == 1
    lines = out.splitlines()
    prop_file = str(bib).replace(":", "%3A").replace(",", "%2C")
    assert (
        f"::error file={prop_file},line=11,title=broken link::{server.url('/gone')} (dead): 404 Not Found"
        in lines
    )
    assert any(line.startswith(f"::error file={prop_file},line=15,") for line in lines)
    assert any(
        line.startswith(f"::warning file={prop_file},line=19,title=blocked link") for line in lines
    )
    assert any(
        line.startswith(f"::warning file={prop_file},line=7,title=redirected link")
        for line in lines
    )
    assert lines[-1].startswith("5 link(s)")


def test_markdown_report(runner: CliRunner, bib: Path, server: LinkServer) -> None:
    code, _out, _ = run(runner, str(bib), *FAST, "-f", "markdown", "-o", "report.md")
    assert code == 1
    text = Path("report.md").read_text(encoding="utf-8")
    assert text.startswith("## Link check\n\n❌ 5 link(s)")
    assert "### broken (1)" in text
    assert (
        f"| <{server.url('/gone')}> | 404 Not Found | `dead` ({bib}:11)<br>`dead-again` ({bib}:15) |"
        in text
    )


def test_suggest_archive_uses_the_configured_api(
    runner: CliRunner, bib: Path, server: LinkServer, other_server: LinkServer
) -> None:
    snapshot = "http://web.archive.org/web/2020/http://x/gone"
    body = json.dumps(
        {"archived_snapshots": {"closest": {"available": True, "url": snapshot, "status": "200"}}}
    ).encode()
    api = other_server.route(
        "/wayback/available", respond(200, {"Content-Type": "application/json"}, body)
    )
    code, out, _ = run(
        runner, str(bib), *FAST, "--suggest-archive", "--archive-url", api, "-f", "json"
    )
    assert code == 1
    results = {r["url"]: r for r in json.loads(out)["results"]}
    assert results[server.url("/gone")]["archive_url"] == snapshot
    assert results[server.url("/wall")]["archive_url"] is None
    (asked,) = other_server.log  # one lookup: only broken links get one
    assert "url=http%3A%2F%2F127.0.0.1" in asked.path


def test_config_section_is_read(runner: CliRunner, bib: Path, in_tmp: Path) -> None:
    (in_tmp / "pyproject.toml").write_text(
        '[tool.exilebib]\nsources = "refs.bib"\n\n'
        "[tool.exilebib.links]\n"
        'allow-private = true\ntimeout = "1s"\nexclude = ["/gone$", "skip\\\\.example"]\nfail_on = ["blocked"]\n'
        'cache = true\ncache_path = "cache/links.json"\n',
        encoding="utf-8",
    )
    code, out, _ = run(runner)
    assert code == 1  # the 403 now fails, the 404 is excluded
    assert "excluded (2)" in out
    assert "broken" not in out
    assert (in_tmp / "cache" / "links.json").is_file()
    code, out, _ = run(runner, "-v")
    assert "cached (1)" in out  # the ok link; the permanent redirect stays one
    assert "redirected (1)" in out
    assert "; from the cache, checked " in out


def test_unknown_config_key_is_a_usage_error(runner: CliRunner, bib: Path, in_tmp: Path) -> None:
    (in_tmp / "pyproject.toml").write_text("[tool.exilebib.links]\ntimeot = 3\n", encoding="utf-8")
    code, _, err = run(runner, str(bib))
    assert code == 2
    assert "unknown key 'timeot'" in err


def test_corrupt_cache_warns_and_continues(runner: CliRunner, bib: Path, in_tmp: Path) -> None:
    cache = in_tmp / "c.json"
    cache.write_text("{broken", encoding="utf-8")
    code, _, err = run(runner, str(bib), *FAST, "--cache-file", str(cache))
    assert code == 1
    assert "warning" in err
    assert "corrupt" in err
    assert json.loads(cache.read_text())["format"] == 1


def test_progress_bar_when_asked(runner: CliRunner, bib: Path) -> None:
    _, out, err = run(runner, str(bib), *FAST, "--progress")
    assert "Checking links" in err
    assert "Checking links" not in out


def test_help_ends_with_examples(runner: CliRunner) -> None:
    result = runner.invoke(main, ["links", "--help"])
    assert "exilebib links --fail-on broken,transient" in result.output


# -- sources that do not read whole --------------------------------------------------------


@pytest.fixture
def broken_bib(server: LinkServer, in_tmp: Path) -> Path:
    """An entry whose title never closes (it does not parse), then one that reads fine."""
    server.route("/ok", respond(200))
    path = in_tmp / "b.bib"
    path.write_text(
        "@online{a,\n"
        "  title = {A,\n"
        f"  url = {{{server.url('/gone')}}},\n"
        "  date = {2020},\n"
        "}\n"
        "\n"
        "@online{b,\n"
        f"  url = {{{server.url('/ok')}}},\n"
        "}\n",
        encoding="utf-8",
    )
    return path


def test_a_source_that_does_not_parse_fails_after_the_readable_links_are_checked(
    runner: CliRunner, broken_bib: Path, server: LinkServer
) -> None:
    code, out, err = run(runner, broken_bib.name, "--allow-network", "127.0.0.1/32")
    assert code == 1
    assert "b.bib:2:11: error: entry 'a' does not parse" in err
    assert "[unbalanced-braces]" in err
    assert "1 link(s): 1 ok" in out  # b was still checked
    assert "1 error(s) reading the sources" in out
    assert len(server.hits("/ok")) == 1


def test_github_format_annotates_read_errors_like_lint(
    runner: CliRunner, broken_bib: Path
) -> None:
    code, out, _ = run(runner, broken_bib.name, "--allow-network", "127.0.0.1/32", "-f", "github")
    assert code == 1
    linted = runner.invoke(main, ["lint", broken_bib.name, "--format", "github"])
    lint_line = next(
        line for line in linted.stdout.splitlines() if "title=unbalanced-braces" in line
    )
    assert lint_line.startswith("::error file=b.bib,line=2,col=11,title=unbalanced-braces::")
    assert lint_line in out.splitlines()  # the same annotation, word for word


def test_json_and_junit_and_markdown_carry_read_errors(
    runner: CliRunner, broken_bib: Path
) -> None:
    allow = ["--allow-network", "127.0.0.1/32"]
    code, out, _ = run(runner, broken_bib.name, *allow, "-f", "json")
    assert code == 1
    data = json.loads(out)
    (diagnostic,) = data["diagnostics"]
    assert (diagnostic["path"], diagnostic["line"], diagnostic["column"]) == ("b.bib", 2, 11)
    assert (diagnostic["severity"], diagnostic["rule"], diagnostic["key"]) == (
        "error",
        "unbalanced-braces",
        "a",
    )
    assert data["summary"]["read_errors"] == 1
    assert data["summary"]["failed"] == 0  # no link failed; the exit code is the read error

    code, out, _ = run(runner, broken_bib.name, *allow, "-f", "junit")
    assert code == 1
    suite = ET.fromstring(out).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("errors")) == ("2", "1")
    error = suite.find("testcase/error")
    assert error is not None
    assert error.get("type") == "unbalanced-braces"

    code, out, _ = run(runner, broken_bib.name, *allow, "-f", "markdown")
    assert code == 1
    assert out.startswith("## Link check\n\n❌ 1 link(s): 1 ok")
    assert "| b.bib:2:11 | entry 'a' does not parse" in out


def test_csl_json_items_with_errors_fail_the_run(
    runner: CliRunner, server: LinkServer, in_tmp: Path
) -> None:
    url = server.route("/ok", respond(200))
    path = in_tmp / "j3.json"
    path.write_text(
        json.dumps(
            [
                {"id": "good", "type": "webpage", "URL": url},
                {"type": "webpage", "URL": server.url("/never")},
                "not an item",
            ],
            indent=1,
        ),
        encoding="utf-8",
    )
    code, out, err = run(runner, path.name, "--allow-network", "127.0.0.1/32", "-f", "github")
    assert code == 1
    assert "[csl-json-item]" in err
    annotations = [line for line in out.splitlines() if "title=csl-json-item" in line]
    assert len(annotations) == 2
    assert all(line.startswith("::error file=j3.json,line=") for line in annotations)
    assert "1 link(s): 1 ok" in out
    assert server.hits("/never") == []


def test_warnings_reading_the_sources_do_not_fail_the_run(
    runner: CliRunner, server: LinkServer, in_tmp: Path
) -> None:
    url = server.route("/ok", respond(200))
    path = in_tmp / "w.bib"
    path.write_text(f"@online{{a,\n  url = {{{url}}},\n  note = undefinedmacro,\n}}\n")
    code, out, err = run(runner, path.name, "--allow-network", "127.0.0.1/32", "-f", "github")
    assert code == 0
    assert "w.bib:3:10: warning:" in err
    assert any(
        line.startswith("::warning file=w.bib,line=3,col=10,title=undefined-macro::")
        for line in out.splitlines()
    )
    assert "reading the sources" not in out


# -- the cache keeps what a report needs ---------------------------------------------------


def test_a_cached_permanent_redirect_still_asks_for_the_new_url(
    runner: CliRunner, bib: Path, server: LinkServer, in_tmp: Path
) -> None:
    cache = ["--cache-file", "c/links.json"]
    first_code, first, _ = run(runner, str(bib), *FAST, *cache, "-f", "json")
    code, out, _ = run(runner, str(bib), *FAST, *cache, "-f", "json")
    assert (first_code, code) == (1, 1)
    assert len(server.hits("/old")) == 1  # the second run asked nothing about it
    before = {r["url"]: r for r in json.loads(first)["results"]}[server.url("/old")]
    moved = {r["url"]: r for r in json.loads(out)["results"]}[server.url("/old")]
    assert before["cached"] is False
    assert moved["cached"] is True
    assert moved["status"] == "redirected"
    for name in ("new_url", "final_url", "http_status", "redirects"):
        assert moved[name] == before[name], name
    assert moved["detail"].startswith(before["detail"] + "; from the cache, checked ")
    ok = {r["url"]: r for r in json.loads(out)["results"]}[server.url("/ok")]
    assert (ok["status"], ok["cached"]) == ("cached", True)
    assert json.loads(out)["summary"]["counts"]["cached"] == 1

    code, out, _ = run(runner, str(bib), *FAST, *cache)
    assert f"cite {server.url('/ok')}" in out
    code, out, _ = run(runner, str(bib), *FAST, *cache, "-f", "github")
    prop_file = str(bib).replace(":", "%3A").replace(",", "%2C")
    assert any(
        line.startswith(f"::warning file={prop_file},line=7,title=redirected link")
        and f"cite {server.url('/ok')}" in line
        for line in out.splitlines()
    )
    server.route("/gone", respond(200))
    code, out, _ = run(runner, str(bib), *FAST, *cache, "--fail-on", "redirected")
    assert code == 1
    assert "1 link(s) failed the check (--fail-on redirected)" in out
    assert len(server.hits("/old")) == 1


def test_allow_private_does_not_open_the_metadata_address(
    runner: CliRunner, server: LinkServer, in_tmp: Path
) -> None:
    server.route("/meta", redirect(301, "http://169.254.169.254/latest/meta-data/"))
    path = in_tmp / "m.bib"
    path.write_text(f"@online{{m,\n  url = {{{server.url('/meta')}}},\n}}\n", encoding="utf-8")
    with connections() as tried:
        code, out, _ = run(runner, path.name, *FAST)
    assert code == 1
    assert set(tried) == {"127.0.0.1"}
    assert "broken (1)" in out
    assert "refused even with --allow-private" in out
    assert "--allow-network CIDR" in out
    assert "pass --allow-private" not in out


# -- run-level notes: offline, and an archive that does not answer (issue 13) ------------


@pytest.fixture
def offline_bib(in_tmp: Path) -> Path:
    """Entries whose hosts never resolve (".invalid" is answered without a DNS server)."""
    path = in_tmp / "offline.bib"
    path.write_text(
        "@online{a,\n  url = {https://doi.invalid/10.1/x},\n}\n\n"
        "@online{b,\n  url = {https://commons.invalid/wiki/File:X.jpg},\n}\n",
        encoding="utf-8",
    )
    return path


def test_no_network_is_not_broken_in_any_report_format(
    runner: CliRunner, offline_bib: Path
) -> None:
    with connections() as tried:
        code, out, err = run(runner, offline_bib.name, *FAST)
    assert tried == []
    assert code == 0  # transient does not fail the run: CI on a machine without network
    assert "transient (2)" in out
    assert not any(line.startswith("broken (") for line in out.splitlines())
    assert "note: the machine looks offline" in out
    assert "check the network connection" in out
    assert "looks offline" not in err  # the text report on stdout says it already

    code, out, err = run(runner, offline_bib.name, *FAST, "-f", "json")
    data = json.loads(out)
    assert code == 0
    assert [r["status"] for r in data["results"]] == ["transient", "transient"]
    (note,) = data["notes"]
    assert note["kind"] == "offline"
    assert "looks offline" in note["message"]
    assert note["hint"]
    assert "warning: note: the machine looks offline" in err

    code, out, _ = run(runner, offline_bib.name, *FAST, "-f", "junit")
    suite = ET.fromstring(out).find("testsuite")
    assert suite is not None
    prop = suite.find("properties/property")
    assert prop is not None
    assert prop.get("name") == "note.offline"
    assert "looks offline" in (prop.get("value") or "")
    assert "looks offline" in (suite.findtext("system-err") or "")

    code, out, _ = run(runner, offline_bib.name, *FAST, "-f", "github")
    assert any(
        line.startswith("::warning title=links%3A offline::note: the machine looks offline")
        for line in out.splitlines()
    )

    code, out, _ = run(runner, offline_bib.name, *FAST, "-f", "markdown")
    assert "> ⚠️ note: the machine looks offline" in out


def test_suggest_archive_that_cannot_reach_the_archive_says_so(
    runner: CliRunner, bib: Path, server: LinkServer
) -> None:
    dead = f"http://127.0.0.1:{free_port()}/wayback/available"
    archive = ["--suggest-archive", "--archive-url", dead]
    code, out, err = run(runner, str(bib), *FAST, *archive, "-f", "json")
    assert code == 1
    data = json.loads(out)
    gone = {r["url"]: r for r in data["results"]}[server.url("/gone")]
    assert gone["archive_url"] is None
    assert gone["archive_note"] == (
        "no archived copy looked up: cannot reach the archive: connection failed"
    )
    (note,) = data["notes"]
    assert note["kind"] == "archive-unreachable"
    assert dead in note["message"]
    assert "1 of 1 lookup(s)" in note["message"]
    assert "--suggest-archive" in err

    code, out, _ = run(runner, str(bib), *FAST, *archive)
    assert "    no archived copy looked up: cannot reach the archive" in out
    assert f"note: --suggest-archive: 1 of 1 lookup(s) at {dead} failed" in out
    for name, marker in (
        ("github", "no archived copy looked up"),
        ("markdown", "— no archived copy looked up"),
        ("junit", "no archived copy looked up"),
    ):
        code, out, _ = run(runner, str(bib), *FAST, *archive, "-f", name)
        assert marker in out, name
        assert "--suggest-archive: 1 of 1 lookup(s)" in out, name


def test_suggest_archive_with_no_snapshot_is_no_note(
    runner: CliRunner, bib: Path, other_server: LinkServer
) -> None:
    body = json.dumps({"archived_snapshots": {}}).encode()
    api = other_server.route("/wayback/available", respond(200, {}, body))
    code, out, _ = run(runner, str(bib), *FAST, "--suggest-archive", "--archive-url", api)
    assert code == 1
    assert "archived copy" not in out
    assert "note:" not in out


def test_max_run_time_bounds_the_whole_run(
    runner: CliRunner, server: LinkServer, in_tmp: Path
) -> None:
    server.route("/hang", slow(5.0))
    path = in_tmp / "h.bib"
    path.write_text(f"@online{{h,\n  url = {{{server.url('/hang')}}},\n}}\n", encoding="utf-8")
    code, out, _ = run(runner, path.name, *FAST, "--timeout", "10", "--max-run-time", "0.5")
    assert code == 0
    assert "not finished within the run time limit of 0.5 s" in out
