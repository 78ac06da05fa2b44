"""Issue 11's requirements one by one, as a user meets them: duplicates however the
identifier is written, exit codes with identifiers mixed, nothing written on failure, the
atomic write, the file's own line breaks, --dry-run's output, --to, key patterns, and the
render round trip for each kind of identifier. Real CLI runs against the loopback services."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from addservices import DOI, HTML, fixture
from click.testing import CliRunner
from linkserver import respond

from exilebib.capture.identifiers import isbn13, normalise_url
from exilebib.cli import main

ISBN_10 = "1-78168-560-6"  # the ISBN-10 of the fixture's ISBN-13, 978-1-78168-560-0


def add(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, ["add", *args, "--allow-private"], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _with(bib: Path, entry: str) -> bytes:
    bib.write_text(bib.read_text(encoding="utf-8") + "\n" + entry, encoding="utf-8")
    return bib.read_bytes()


# ------------------------------------------------------------------------ duplicates


@pytest.mark.parametrize(
    "written",
    [
        "doi = {10.1093/HWJ/DBZ001}",
        "doi = {https://dx.doi.org/10.1093/hwj/dbz001}",
        "doi = {https://www.doi.org/10.1093/hwj/dbz001}",
        "doi = {doi:10.1093/hwj/dbz001}",
        "doi = {DOI: 10.1093/hwj/dbz001}",
        "url = {https://doi.org/10.1093/HWJ/dbz001}",  # the DOI's link, in url
    ],
)
@pytest.mark.parametrize("typed", [DOI, f"doi:{DOI.upper()}", f"https://www.doi.org/{DOI}"])
def test_duplicate_doi_however_it_is_written(runner, bib, env, services, written, typed) -> None:
    before = _with(bib, f"@misc{{hwj,\n  title = {{Exile}},\n  {written},\n}}\n")
    code, _, err = add(runner, typed)
    assert code == 1
    assert (
        err.strip()
        == f"exilebib: {typed}: already in refs/sources.bib as hwj (same DOI); not added"
    )
    assert services.log == []  # known before asking
    assert bib.read_bytes() == before


def test_duplicate_doi_with_a_bibtex_escape(runner, bib, env, services) -> None:
    _with(bib, "@misc{esc,\n  title = {E},\n  doi = {10.1000/a\\_b},\n}\n")
    code, _, err = add(runner, "10.1000/a_b")
    assert code == 1
    assert "as esc (same DOI)" in err


@pytest.mark.parametrize(
    ("in_file", "typed"), [(ISBN_10, "isbn:9781781685600"), ("978-1-78168-560-0", ISBN_10)]
)
def test_isbn_10_and_isbn_13_of_one_book_are_duplicates(
    runner, bib, env, services, in_file, typed
) -> None:
    assert isbn13(ISBN_10) == "9781781685600"
    _with(bib, f"@book{{prophet,\n  title = {{P}},\n  isbn = {{{in_file}}},\n}}\n")
    code, _, err = add(runner, typed)
    assert code == 1
    assert "as prophet (same ISBN)" in err
    assert services.log == []


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://www.example.org:443/page/#top", "http://example.org/page"),
        ("http://EXAMPLE.org:80/a%20b", "https://example.org/a b/"),
        ("https://example.org/a\\_b?x=1", "https://example.org/a_b?x=1"),
    ],
)
def test_url_normalisation(one, other) -> None:
    assert normalise_url(one) == normalise_url(other)


def test_url_normalisation_keeps_what_names_another_page() -> None:
    assert normalise_url("https://example.org/a?x=1") != normalise_url("https://example.org/a?x=2")
    assert normalise_url("https://example.org/A") != normalise_url("https://example.org/a")
    assert normalise_url("https://example.org:8443/a") != normalise_url("https://example.org/a")


def test_duplicate_url_found_before_asking(runner, bib, env, services) -> None:
    url = services.url("/page")
    _with(bib, f"@online{{page,\n  title = {{P}},\n  url = {{{url}/#top}},\n}}\n")
    code, _, err = add(runner, url.replace("http://", "HTTP://"))
    assert code == 1
    assert "as page (same URL)" in err
    assert services.log == []


# ------------------------------------------------------------- exit codes and writing


def test_exit_codes_with_identifiers_mixed(runner, bib, env, services) -> None:
    code, _, err = add(runner, DOI, "isbn:9781781685600", "--group", "secondary")
    assert code == 0, err
    # one new, one already there, one unknown: 1, and the new one is added
    services.route("/doi/10.1000/182", respond(404))
    code, _, err = add(runner, DOI, "10.1000/182", "File:Museo_Casa_de_Leon_Trotsky.jpg")
    assert code == 1
    assert "already in" in err
    assert "not added: the DOI resolver does not know it" in err
    assert "added tuason2011museo" in err
    # a malformed one among good ones: 2, nothing asked, nothing written
    before = bib.read_bytes()
    asked = len(services.log)
    code, _, err = add(runner, "10.1000/182", "isbn:978-1-78168-560-1")
    assert code == 2
    assert (len(services.log), bib.read_bytes()) == (asked, before)


def test_nothing_is_written_when_nothing_could_be_added(runner, bib, env, services) -> None:
    services.route("/doi/10.1000/182", respond(404))
    before = (bib.read_bytes(), bib.stat().st_mtime_ns)
    code, _, _err = add(runner, "10.1000/182")
    assert code == 1
    assert (bib.read_bytes(), bib.stat().st_mtime_ns) == before


def test_a_failed_write_leaves_the_file_as_it_was(runner, bib, env, services, monkeypatch) -> None:
    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("exilebib.atomic.os.replace", full)
    before = bib.read_bytes()
    code, _, err = add(runner, DOI)
    assert code == 2
    assert "refs/sources.bib: cannot write it: No space left on device" in err
    assert bib.read_bytes() == before
    assert sorted(p.name for p in bib.parent.iterdir()) == ["sources.bib"]  # no temp file left


def test_a_crlf_file_with_a_byte_order_mark_keeps_both(runner, bib, env, services) -> None:
    original = ("\ufeff" + bib.read_text(encoding="utf-8")).replace("\n", "\r\n").encode()
    bib.write_bytes(original)
    code, _, err = add(runner, DOI, "--group", "secondary")
    assert code == 0, err
    after = bib.read_bytes()
    assert after.startswith(original)
    added = after[len(original) :]
    assert added.startswith(b"\r\n@article{lopez2019exile,\r\n")
    assert added.count(b"\n") == added.count(b"\r\n")
    assert after.count("\ufeff".encode()) == 1


def test_an_entry_appended_to_a_file_without_a_final_line_break(runner, bib, env, services) -> None:
    original = bib.read_bytes().rstrip(b"\n")
    bib.write_bytes(original)
    code, _, err = add(runner, DOI, "--group", "secondary")
    assert code == 0, err
    after = bib.read_bytes()
    assert after.startswith(original + b"\n\n@article{lopez2019exile,\n")
    assert after.endswith(b"}\n")


def test_to_a_file_that_does_not_exist_yet(runner, in_tmp, env, services) -> None:
    code, out, err = add(runner, DOI, "--to", "refs/new.bib")
    assert code == 2
    assert "refs/new.bib: no such folder to create the sources file in" in err
    assert not Path("refs").exists()
    code, out, err = add(runner, DOI, "--to", "new.bib", "--dry-run")
    assert code == 0, err
    assert out.startswith("@article{lopez2019exile,")
    assert not Path("new.bib").exists()  # --dry-run creates nothing either


def test_dry_run_prints_the_entries_alone_as_they_would_be_appended(
    runner, bib, env, services
) -> None:
    before = bib.read_bytes()
    code, out, err = add(runner, DOI, "isbn:9781781685600", "--group", "secondary", "--dry-run")
    assert code == 0, err
    assert bib.read_bytes() == before
    assert out.startswith("@article{lopez2019exile,\n")
    assert "}\n\n@book{deutscher2015prophet,\n" in out  # one blank line between them
    assert out.endswith("}\n")
    assert "added" not in err  # nothing was


def test_dry_run_with_a_failure_exits_1(runner, bib, env, services) -> None:
    services.route("/doi/10.1000/182", respond(404))
    code, out, _err = add(runner, DOI, "10.1000/182", "--dry-run")
    assert code == 1
    assert out.startswith("@article{lopez2019exile,")


# -------------------------------------------------------------------------- key pattern


def test_key_pattern_from_the_config(runner, bib, env, services) -> None:
    Path("pyproject.toml").write_text(
        '[tool.exilebib.add]\nkey-pattern = "{title}:{author}.{year}"\n', encoding="utf-8"
    )
    code, out, err = add(runner, DOI, "isbn:9781781685600", "--dry-run")
    assert code == 0, err
    assert out.startswith("@article{exile:lopez.2019,\n")
    assert "@book{prophet:deutscher.2015,\n" in out


@pytest.mark.parametrize("pattern", ["{isbn}", "no placeholder", "{author} {year}", "{author}%"])
def test_a_bad_key_pattern_is_usage(runner, bib, env, services, pattern) -> None:
    Path("pyproject.toml").write_text(
        f'[tool.exilebib.add]\nkey-pattern = "{pattern}"\n', encoding="utf-8"
    )
    code, _, err = add(runner, DOI)
    assert code == 2
    assert "key-pattern" in err
    assert services.log == []


# ------------------------------------------------------- render round trip, each kind


def _render(runner: CliRunner, bib: Path) -> str:
    result = runner.invoke(main, ["render", str(bib), "--style", "chicago"])
    assert result.exit_code == 0, result.stderr
    return " ".join(result.stdout.split())


def test_render_of_an_added_isbn_prints_the_book(runner, bib, env, services) -> None:
    bib.write_text("", encoding="utf-8")
    add(runner, "isbn:9781781685600", "--group", "secondary")
    assert "Deutscher, Isaac. The Prophet: The Life of Leon Trotsky. Verso, 2015." in (
        _render(runner, bib)
    )


def test_render_of_an_added_commons_file_prints_the_image(runner, bib, env, services) -> None:
    bib.write_text("", encoding="utf-8")
    add(runner, "File:Museo_Casa_de_Leon_Trotsky.jpg", "--group", "images")
    text = _render(runner, bib)
    assert "Tuason, Thayne. “Museo Casa de Leon Trotsky Study.”" in text or (
        "Tuason, Thayne. Museo Casa de Leon Trotsky Study." in text
    ), text
    assert "Wikimedia Commons" in text
    assert "https://commons.wikimedia.org/wiki/File:Museo_Casa_de_Leon_Trotsky.jpg" in text


def test_render_of_an_added_web_page_prints_the_article(runner, bib, env, services) -> None:
    bib.write_text("", encoding="utf-8")
    url = services.route("/article", respond(200, HTML, fixture("page_highwire.html")))
    add(runner, url, "--group", "secondary")
    text = _render(runner, bib)
    assert "Smith, Anna, and Karl Weber." in text, text
    assert "Journal of Soviet Studies" in text


# ------------------------------------------------------------------- as an attacker


def test_an_edit_saved_while_add_was_asking_is_not_overwritten(runner, bib, env, services) -> None:
    body = fixture("crossref.json")
    answer = respond(200, {"Content-Type": "application/vnd.citationstyles.csl+json"}, body)

    def edit_then_answer(handler) -> None:
        bib.write_text(bib.read_text(encoding="utf-8") + "% saved in the editor\n", "utf-8")
        answer(handler)

    services.route(f"/crossref/works/{DOI}/transform", edit_then_answer)
    code, _, err = add(runner, DOI)
    assert code == 2
    assert "refs/sources.bib: changed while add was asking; nothing written, run it again" in err
    assert bib.read_text(encoding="utf-8").endswith("}\n% saved in the editor\n")


def test_a_page_whose_citation_doi_is_no_doi_is_read_for_its_own_metadata(
    runner, bib, env, services
) -> None:
    page = fixture("page_highwire.html").replace(
        b"<head>", b'<head><meta name="citation_doi" content="https://evil.example/x">', 1
    )
    assert b"evil.example" in page
    url = services.route("/article", respond(200, HTML, page))
    code, out, err = add(runner, url, "--dry-run")
    assert code == 0, err
    assert out.startswith("@article{smith2021revolution,")
    assert [seen.path for seen in services.log] == ["/article"]  # no resolver asked


@pytest.mark.parametrize(
    "typed",
    [
        "https://commons.wikimedia.org/w/index.php?title=File:Museo_Casa_de_Leon_Trotsky.jpg",
        "https://commons.wikimedia.org/w/index.php?title=File%3AMuseo_Casa_de_Leon_Trotsky.jpg&action=history",
        "https://commons.m.wikimedia.org/wiki/File:Museo_Casa_de_Leon_Trotsky.jpg?uselang=de",
    ],
)
def test_commons_file_pages_in_their_other_forms(typed) -> None:
    from exilebib.capture.identifiers import Kind, parse_identifier

    found = parse_identifier(typed)
    assert (found.kind, found.value) == (Kind.COMMONS, "File:Museo Casa de Leon Trotsky.jpg")


def test_an_empty_group_adds_no_empty_keywords(runner, bib, env, services) -> None:
    code, out, _err = add(runner, DOI, "--group", "", "--group", " ", "--dry-run")
    assert code == 0
    assert "keywords" not in out
