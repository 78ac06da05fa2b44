"""``exilebib add`` end to end: real CLI runs against the loopback services."""

from __future__ import annotations

import datetime as dt

import pytest
from addservices import DOI, HTML, JSON, fixture
from click.testing import CliRunner
from linkserver import respond

from exilebib.cli import main
from exilebib.lint import lint_text

TODAY = dt.date.today().isoformat()


def add(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, ["add", *args, "--allow-private"], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_doi_through_the_resolver_redirect(runner, bib, env, services) -> None:
    before = bib.read_bytes()
    code, _out, err = add(runner, DOI, "--group", "secondary")
    assert code == 0, err
    after = bib.read_bytes()
    assert after.startswith(before)
    added = after[len(before) :].decode()
    assert added.startswith("\n@article{lopez2019exile,\n")
    assert "  author       = {Lopez, Maria and McKay, John},\n" in added
    assert "{NKVD}" in added
    assert "\\emph{Bulletin of the Opposition}" in added
    assert "  journaltitle = {History Workshop Journal},\n" in added
    assert "  pages        = {145--167},\n" in added
    assert "  doi          = {10.1093/hwj/dbz001},\n" in added
    assert "url" not in added  # the resolver URL only repeats the DOI
    assert "added lopez2019exile" in err
    # content negotiation: the CSL-JSON media type was asked for, on every hop
    assert all(
        seen.headers["Accept"] == "application/vnd.citationstyles.csl+json" for seen in services.log
    )
    assert len(services.log) == 2


def test_isbn_from_open_library(runner, bib, env, services) -> None:
    code, out, err = add(runner, "isbn:978-1-78168-560-0", "--group", "secondary", "--dry-run")
    assert code == 0, err
    assert out.startswith("@book{deutscher2015prophet,\n")
    assert "  title     = {The prophet: the life of {Leon} {Trotsky}},\n" in out
    assert "  location  = {London},\n" in out
    assert "  publisher = {Verso},\n" in out
    assert "  isbn      = {9781781685600},\n" in out
    assert bib.read_text(encoding="utf-8").count("@") == 1  # --dry-run writes nothing
    query = services.log[0].path
    assert "bibkeys=ISBN%3A9781781685600" in query
    assert "jscmd=data" in query
    assert "format=json" in query


def test_commons_file_becomes_an_image_entry(runner, bib, env, services) -> None:
    url = "https://commons.wikimedia.org/wiki/File:Museo_Casa_de_Leon_Trotsky.jpg"
    code, out, err = add(runner, url, "--group", "images", "--dry-run")
    assert code == 0, err
    assert out == (
        "@image{tuason2011museo,\n"
        "  author       = {Tuason, Thayne},\n"
        "  title        = {Museo {Casa} de {Leon} {Trotsky} study},\n"
        "  organization = {{Wikimedia Commons}},\n"
        "  date         = {2011-12-29},\n"
        f"  url          = {{{url}}},\n"
        f"  urldate      = {{{TODAY}}},\n"
        "  note         = {CC BY-SA 3.0},\n"
        "  keywords     = {images},\n"
        "}\n"
    )
    query = services.log[0].path
    assert "prop=imageinfo" in query
    assert "iiprop=extmetadata%7Curl" in query


def test_commons_unknown_author_is_no_author(runner, bib, env, services) -> None:
    services.route("/w/api.php", respond(200, JSON, fixture("commons_unknown.json")))
    code, out, err = add(runner, "File:Trotsky_Portrait.jpg", "--group", "images", "--dry-run")
    assert code == 0, err
    assert "author" not in out
    assert "date" not in out.replace("urldate", "")  # "circa 1918" is no date
    assert out.startswith("@image{trotsky,\n")


def test_commons_missing_file_fails_on_one_line(runner, bib, env, services) -> None:
    services.route("/w/api.php", respond(200, JSON, fixture("commons_missing.json")))
    code, _out, err = add(runner, "File:No_such_picture.jpg")
    assert code == 1
    assert err.strip() == (
        "exilebib: File:No_such_picture.jpg: not added: Commons has no file File:No such picture.jpg"
    )


@pytest.mark.parametrize(
    ("page", "start", "expected"),
    [
        (
            "page_highwire.html",
            "@article{smith2021revolution,",
            [
                "  journaltitle = {Journal of Soviet Studies},",
                "  author       = {Smith, Anna and Weber, Karl},",
            ],
        ),
        (
            "page_jsonld.html",
            "@article{garza2020trotsky,",
            [
                "  entrysubtype = {newspaper},",
                "  journaltitle = {Daily Courier},",
                "  date         = {2020-08-21},",
            ],
        ),
        (
            "page_dc.html",
            "@online{trotsky1931letters,",
            ["  organization = {Marxists Internet Archive},"],
        ),
        (
            "page_og.html",
            "@online{2019visiting,",
            ["  organization = {Travel Notes},", "  date         = {2019-11-02},"],
        ),
    ],
)
def test_web_page_metadata(runner, bib, env, services, page, start, expected) -> None:
    url = services.route("/article", respond(200, HTML, fixture(page)))
    code, out, err = add(runner, url, "--group", "secondary", "--dry-run")
    assert code == 0, err
    assert out.startswith(start + "\n"), out
    for line in expected:
        assert line + "\n" in out, out
    assert f"  url          = {{{url}}},\n" in out
    assert f"  urldate      = {{{TODAY}}},\n" in out


def test_citation_doi_goes_through_the_doi_path(runner, bib, env, services) -> None:
    url = services.route("/landing", respond(200, HTML, fixture("page_doi.html")))
    code, out, err = add(runner, url, "--dry-run")
    assert code == 0, err
    assert out.startswith("@article{lopez2019exile,\n")


def test_page_without_metadata_fails(runner, bib, env, services) -> None:
    url = services.route("/plain", respond(200, HTML, fixture("page_nometa.html")))
    code, _out, err = add(runner, url)
    assert code == 1
    assert "not added: the page has no citation metadata" in err


def test_entries_are_lint_clean(runner, bib, env, services) -> None:
    services.route("/article", respond(200, HTML, fixture("page_highwire.html")))
    args = [
        DOI,
        "isbn:9781781685600",
        "File:Museo_Casa_de_Leon_Trotsky.jpg",
        services.url("/article"),
    ]
    code, _out, err = add(runner, *args, "--group", "secondary")
    assert code == 0, err
    assert "note:" not in err
    result = lint_text(str(bib), bib.read_text(encoding="utf-8"))
    assert [str(d) for d in result.diagnostics if d.severity.value != "info"] == []


def test_missing_group_is_a_note(runner, bib, env, services) -> None:
    code, _out, err = add(runner, DOI)
    assert code == 0
    assert "note:" in err
    assert "missing-group" in err


def test_render_prints_what_the_doi_record_says(runner, bib, env, services) -> None:
    add(runner, DOI, "--group", "secondary")
    result = runner.invoke(main, ["render", str(bib), "--style", "chicago"])
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert (
        "Lopez, Maria, and John McKay. “Exile and the Bulletin of the Opposition: Trotsky in "
        "Coyoacán and the NKVD.” History Workshop Journal 87, no. 2 (2019): 145–67. "
        "https://doi.org/10.1093/hwj/dbz001."
    ) in text
