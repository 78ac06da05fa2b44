"""What ``add`` does when a service fails, an identifier is malformed or already there."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from addservices import CSL_JSON, DOI, HTML, JSON, fixture
from click.testing import CliRunner
from linkserver import endless_body, respond, sequence, slow

from exilebib.cli import main


def add(runner: CliRunner, *args: str, private: bool = True) -> tuple[int, str, str]:
    extra = ["--allow-private"] if private else []
    result = runner.invoke(main, ["add", *args, *extra], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_malformed_identifiers_exit_2_before_any_request(runner, bib, env, services) -> None:
    before = bib.read_bytes()
    for bad in ("isbn:978-1-78168-560-1", "9781781685601", "doi:10.abc/x", "not-an-id"):
        code, _, err = add(runner, DOI, bad)
        assert code == 2, bad
        assert bad in err
    assert services.log == []
    assert bib.read_bytes() == before


def test_404_is_one_line_and_the_others_are_still_added(runner, bib, env, services) -> None:
    before = bib.read_bytes()
    code, _, err = add(runner, "10.1000/missing", DOI, "--group", "secondary")
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == (
        "exilebib: 10.1000/missing: not added: the DOI resolver does not know it (404 Not Found)"
    )
    assert "added lopez2019exile" in err
    assert bib.read_bytes().startswith(before)
    assert b"@article{lopez2019exile," in bib.read_bytes()


def test_429_waits_for_retry_after_then_succeeds(runner, bib, env, services) -> None:
    body = fixture("crossref.json")
    services.route(
        f"/crossref/works/{DOI}/transform",
        sequence(respond(429, {"Retry-After": "1"}), respond(200, CSL_JSON, body)),
    )
    started = time.monotonic()
    code, _, err = add(runner, DOI, "--dry-run")
    assert code == 0, err
    assert time.monotonic() - started >= 1.0  # it honoured the server's wait
    hits = services.hits(f"/crossref/works/{DOI}/transform")
    assert len(hits) == 2
    assert hits[1].at - hits[0].at >= 1.0


def test_429_that_never_ends_is_reported(runner, bib, env, services) -> None:
    services.route("/ol/api/books", respond(429, {"Retry-After": "0"}))
    code, _, err = add(runner, "isbn:9781781685600")
    assert code == 1
    assert "not added: Open Library answered 429 Too Many Requests" in err


def test_slow_server_times_out(runner, bib, env, services) -> None:
    Path("pyproject.toml").write_text(
        "[tool.exilebib.links]\ntimeout = 0.5\ndeadline = 2\ntimeout-retries = 0\n",
        encoding="utf-8",
    )
    services.route("/ol/api/books", slow(3, respond(200, JSON, fixture("openlibrary.json"))))
    code, _, err = add(runner, "isbn:9781781685600")
    assert code == 1
    assert "not added: Open Library: timed out" in err


def test_malformed_json(runner, bib, env, services) -> None:
    services.route("/w/api.php", respond(200, JSON, b'{"query": {"pages": [{"title": '))
    code, _, err = add(runner, "File:X.jpg")
    assert code == 1
    assert "not added: Commons answered with malformed JSON" in err


def test_a_50_mb_json_body_is_cut_off_not_read(runner, bib, env, services) -> None:
    services.route("/ol/api/books", endless_body())
    code, _, err = add(runner, "isbn:9781781685600")
    assert code == 1
    assert "not added: Open Library: the answer is larger than 4,194,304 bytes" in err
    assert getattr(services, "body_sent", 0) < 50 * 1024 * 1024


def test_a_50_mb_page_is_read_up_to_the_limit(runner, bib, env, services) -> None:
    head = fixture("page_og.html").replace(b"</head>", b"")
    chunk = b"<p>" + b"x" * 65_000 + b"</p>"

    def behave(handler) -> None:  # type: ignore[no-untyped-def]
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(head) + 800 * len(chunk)))
        handler.end_headers()
        try:
            handler.wfile.write(head)
            for _ in range(800):  # 52 MB
                handler.wfile.write(chunk)
        except OSError:
            pass
        handler.close_connection = True

    url = services.route("/huge", behave)
    code, out, err = add(runner, url, "--dry-run", "--group", "secondary")
    assert code == 0, err
    assert "Visiting the Museo" in out


def test_private_addresses_are_refused_without_allow_private(runner, bib, env, services) -> None:
    code, _, err = add(runner, DOI, private=False)
    assert code == 1
    assert "refused: 127.0.0.1 is a non-public address (pass --allow-private" in err
    assert services.log == []


def test_duplicate_doi_names_the_existing_key(runner, bib, env, services) -> None:
    bib.write_text(
        bib.read_text(encoding="utf-8")
        + "\n@article{hwj,\n  author = {Lopez, Maria},\n  title = {Exile},\n"
        "  journaltitle = {HWJ},\n  date = {2019},\n  doi = {https://doi.org/10.1093/HWJ/DBZ001},\n}\n",
        encoding="utf-8",
    )
    before = bib.read_bytes()
    code, _, err = add(runner, f"doi:{DOI}")
    assert code == 1
    assert err.strip() == (
        f"exilebib: doi:{DOI}: already in refs/sources.bib as hwj (same DOI); not added"
    )
    assert services.log == []  # known before asking
    assert bib.read_bytes() == before


def test_duplicate_found_after_fetching(runner, bib, env, services) -> None:
    """A page whose citation_doi is already cited is the same work."""
    add(runner, DOI)
    url = services.route("/landing", respond(200, HTML, fixture("page_doi.html")))
    code, _, err = add(runner, url)
    assert code == 1
    assert "already in refs/sources.bib as lopez2019exile (same DOI)" in err


def test_same_identifier_twice_in_one_call(runner, bib, env, services) -> None:
    code, _, err = add(runner, DOI, f"https://doi.org/{DOI}", "--group", "secondary")
    assert code == 1
    assert bib.read_text(encoding="utf-8").count("@article{") == 1
    assert "as lopez2019exile (same DOI)" in err


def test_duplicate_commons_url_matches_percent_encoded(runner, bib, env, services) -> None:
    bib.write_text(
        "@image{casa,\n  title = {Casa},\n  url = {https://commons.wikimedia.org/wiki/"
        "File:Museo%20Casa_de_Leon_Trotsky.jpg},\n}\n",
        encoding="utf-8",
    )
    code, _, err = add(runner, "File:Museo Casa de Leon Trotsky.jpg")
    assert code == 1
    assert "as casa (same URL)" in err


def test_keys_are_made_unique(runner, bib, env, services) -> None:
    bib.write_text("@misc{lopez2019exile,\n  title = {Other},\n}\n", encoding="utf-8")
    _code, _, err = add(runner, DOI)
    assert "added lopez2019exilea" in err


def test_key_option_and_pattern(runner, bib, env, services) -> None:
    code, out, _ = add(runner, DOI, "--key", "hwj-exile", "--dry-run")
    assert out.startswith("@article{hwj-exile,")
    code, _, _err = add(runner, DOI, "isbn:9781781685600", "--key", "x")
    assert code == 2
    Path("pyproject.toml").write_text(
        '[tool.exilebib.add]\nkey-pattern = "{author}-{year}"\n', encoding="utf-8"
    )
    code, out, _ = add(runner, DOI, "--dry-run")
    assert out.startswith("@article{lopez-2019,")


def test_unparsable_sources_file_is_not_appended_to(runner, bib, env, services) -> None:
    bib.write_text("@book{open,\n  title = {Never closed},\n", encoding="utf-8")
    code, _, err = add(runner, DOI)
    assert code == 2
    assert "does not parse whole" in err
    assert services.log == []


def test_a_new_file_is_created(runner, in_tmp, env, services) -> None:
    code, _, err = add(runner, DOI, "--to", "new.bib", "--group", "secondary")
    assert code == 0, err
    assert Path("new.bib").read_text(encoding="utf-8").startswith("@article{lopez2019exile,\n")


def test_redirect_to_cloud_metadata_is_refused_even_with_allow_private(
    runner, bib, env, services
) -> None:
    from linkserver import redirect

    services.route(f"/doi/{DOI}", redirect(302, "http://169.254.169.254/latest/meta-data/"))
    code, _, err = add(runner, DOI)
    assert code == 1
    assert "refused: 169.254.169.254 is a link-local address" in err


def test_endpoint_settings_and_environment(in_tmp, monkeypatch) -> None:
    from exilebib.capture.settings import capture_settings
    from exilebib.errors import UsageError

    table = {"doi-resolver": "https://mirror.example/doi/", "key-pattern": "{author}-{title}"}
    chosen = capture_settings(table, "pyproject.toml", environ={})
    assert chosen.doi_resolver == "https://mirror.example/doi"
    assert chosen.key_pattern == "{author}-{title}"
    chosen = capture_settings(table, "x", environ={"EXILEBIB_DOI_RESOLVER": "http://127.0.0.1:9"})
    assert chosen.doi_resolver == "http://127.0.0.1:9"
    for bad in ({"doi-resolver": "ftp://x"}, {"key-pattern": "{isbn}"}, {"colour": "red"}):
        with pytest.raises(UsageError):
            capture_settings(bad, "x", environ={})


def test_answers_of_the_wrong_shape_are_failures_not_crashes(runner, bib, env, services) -> None:
    bodies = [
        b"[]",
        b'"text"',
        b'{"query": []}',
        b'{"query": {"pages": [{"title": "File:X.jpg", "imageinfo": {"a": 1}}]}}',
        b'{"ISBN:9781781685600": {"title": ["list"]}}',
        b'{"title": {"a": 1}, "type": "book"}',
        b"[" * 100_000 + b"]" * 100_000,
    ]
    for body in bodies:
        services.route(f"/crossref/works/{DOI}/transform", respond(200, CSL_JSON, body))
        services.route("/ol/api/books", respond(200, JSON, body))
        services.route("/w/api.php", respond(200, JSON, body))
        page = b'<script type="application/ld+json">' + body + b"</script>"
        url = services.route("/page", respond(200, HTML, page))
        for identifier in (DOI, "isbn:9781781685600", "File:X.jpg", url):
            code, _, err = add(runner, identifier)
            assert code == 1, (identifier, body[:40], err)
            assert "internal error" not in err
            assert err.count("\n") == 1, err


def test_unknown_isbn(runner, bib, env, services) -> None:
    services.route("/ol/api/books", respond(200, JSON, b"{}"))
    code, _, err = add(runner, "isbn:9781781685600")
    assert code == 1
    assert err.strip() == (
        "exilebib: isbn:9781781685600: not added: Open Library has no book with this ISBN"
    )


def test_web_page_behind_permanent_redirects(runner, bib, env, services) -> None:
    from linkserver import redirect

    services.route("/old", redirect(301, "/middle"))
    services.route("/middle", redirect(308, "/article"))
    services.route("/article", respond(200, HTML, fixture("page_og.html")))
    code, out, err = add(runner, services.url("/old"), "--dry-run", "--group", "secondary")
    assert code == 0, err
    assert "Visiting the Museo" in out
    assert f"url          = {{{services.url('/article')}}}," in out  # cited where it moved
    services.route("/temporary", redirect(302, "/article"))
    _, out, _ = add(runner, services.url("/temporary"), "--dry-run")
    assert f"url          = {{{services.url('/temporary')}}}," in out
    code, _, err = add(runner, services.url("/gone"))
    assert code == 1
    assert "not added: the page does not exist (404 Not Found)" in err


def test_a_trickling_server_is_cut_off_at_the_timeout(runner, bib, env, services) -> None:
    Path("pyproject.toml").write_text(
        "[tool.exilebib.links]\ntimeout = 1\ndeadline = 3\ntimeout-retries = 0\n",
        encoding="utf-8",
    )

    sent = []

    def trickle(handler) -> None:  # type: ignore[no-untyped-def]
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        try:
            for _ in range(40):  # a byte every 0.2 s: each read succeeds, the whole never ends
                handler.wfile.write(b" ")
                handler.wfile.flush()
                sent.append(1)
                time.sleep(0.2)
        except OSError:
            pass

    services.route("/ol/api/books", trickle)
    code, _, err = add(runner, "isbn:9781781685600")
    assert code == 1
    assert "not added: Open Library: timed out" in err
    assert len(sent) < 40  # cut off, not read to the end
