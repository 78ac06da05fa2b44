"""Hostile records: whatever a service or a page sends, the new entry reads back as one
well-formed entry, is lint-clean, and says what the record said (never a traceback)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from exilebib.bibtex import read_bibtex
from exilebib.capture.entry import NewEntry, UnwritableEntry, build_entry, rich_text, visible
from exilebib.csl import convert
from exilebib.latex import to_plain
from exilebib.lint import lint_text

TODAY = dt.date(2026, 12, 2)
_NOCASE = re.compile(r'</?span(?: class="nocase")?>')
ARTICLE: dict[str, Any] = {
    "type": "article-journal",
    "author": [{"family": "Doe", "given": "Jan"}],
    "container-title": "Journal",
    "issued": {"date-parts": [[2020]]},
}


def written(item: dict[str, Any]) -> tuple[NewEntry, str, dict[str, Any]]:
    """The entry, its text, and what ``csl.py`` reads back from it; the text must read as
    one entry without a problem and be lint-clean."""
    entry = build_entry(item, today=TODAY, pattern="{author}{year}{title}", taken=())
    text = entry.text()
    library = read_bibtex(Path("new.bib"), text)
    assert not library.diagnostics, (text, library.diagnostics)
    assert len(library.sources) == 1, text
    problems = [
        str(d)
        for d in lint_text("new.bib", text).diagnostics
        if d.severity.value != "info" and d.rule != "missing-group"
    ]
    assert problems == [], text
    # titles as written (the render default turns English titles into sentence case)
    return entry, text, convert(library.sources[0], sentence_case=False).item


def plain(text: str) -> str:
    """``text`` as the entry should give it back: visible, white space collapsed, NFC,
    and TeX's ' and ` as the curly quotes it prints."""
    text = unicodedata.normalize("NFC", " ".join(visible(text).split()))
    return text.replace("'", "’").replace("`", "‘")


HOSTILE = [
    "A {weird} title}",
    "An {unclosed title",
    "}{ inside out {}",
    "50% of #hash and \\back @at ~tilde ^caret $dollar & amp _under",
    "Bad\x00control\x07chars\x1b[31m",
    "RTL \u202emark\u202c and \u200fLRM\u200e, soft\u00adhyphen, zero\u200bwidth",
    "Line one\nLine two\r\n@article{evil, title={x}}",
    "}\n@comment{",
    "\\emph{not markup} $x^2$",
    "He said \"hi\" ``quoted'' -- and --- dashes",
]


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_title_reads_back_as_itself(title) -> None:
    entry, _text, back = written({**ARTICLE, "title": title})
    assert entry.entry_type == "article"
    assert _NOCASE.sub("", back["title"]) == plain(title)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@example("{")
@example("}}{{")
@example("a\\")
@example("<B>")
@example("A=")
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60))
def test_any_title_container_and_name_give_a_well_formed_entry(text) -> None:
    if not plain(text):
        return
    item = {
        **ARTICLE,
        "title": text,
        "container-title": text,
        "author": [{"family": text, "given": text}],
    }
    if not to_plain(rich_text(text)).strip():
        with pytest.raises(UnwritableEntry, match="the record's title has no text"):
            written(item)
        return
    _entry, _text, back = written(item)
    if not re.search(r"[<&]", text):  # else it is rich text: markup and entities
        assert _NOCASE.sub("", back["title"]) == plain(text)


@pytest.mark.parametrize(
    "name",
    [
        {"family": "O}Brien", "given": "{Pat"},
        {"literal": "ACME, Inc. and Partners"},
        {"family": "and", "given": "Or"},
        {"family": "Name\u0000\u202e"},
        {"family": "{Team}"},
        {"family": "family=Doe", "given": "given=Jan"},  # not biblatex's extended format
        {"family": "Doe", "given": "Jan", "suffix": "Jr.", "non-dropping-particle": "de"},
    ],
)
def test_hostile_name_is_one_name(name) -> None:
    _entry, _text, back = written({**ARTICLE, "title": "T", "author": [name]})
    assert len(back["author"]) == 1


def test_ten_thousand_authors_and_an_enormous_title() -> None:
    authors = [{"family": f"Family{i}", "given": "Given"} for i in range(10_000)]
    title = "word " * 100_000
    entry, _text, back = written({**ARTICLE, "title": title, "author": authors})
    assert len(back["author"]) == 10_000
    assert entry.key == "family02020word"


@pytest.mark.parametrize(
    ("issued", "date"),
    [
        ({"date-parts": [["2020", "5", "1"]]}, "2020-05-01"),  # DataCite writes strings
        ({"date-parts": [[2020, 13, 40]]}, "2020"),  # no such month: the year stays
        ({"date-parts": [[2020, 2, 30]]}, "2020-02"),
        ({"date-parts": [[1938, 9], [1939, 2]]}, "1938-09/1939-02"),
        ({"raw": "1936-05"}, "1936-05"),
    ],
)
def test_csl_date_shapes(issued, date) -> None:
    entry, _text, _back = written({**ARTICLE, "title": "T", "issued": issued})
    assert entry.get("date") == date
    assert entry.key == f"doe{date[:4]}t"


@pytest.mark.parametrize(
    "issued",
    [
        None,
        {"date-parts": [[None]]},
        {"date-parts": [[]]},
        {"date-parts": "2020"},
        {"date-parts": [[99999]]},
        {"literal": "Spring 2020"},
        "2020-01-01",
    ],
)
def test_a_record_without_a_usable_date_is_a_misc_with_a_note(issued) -> None:
    item = {**ARTICLE, "title": "T", "issued": issued}
    entry, _text, back = written(item)
    assert entry.entry_type == "misc"
    assert entry.key == "doet"  # no "None", no "99999" in the key
    assert entry.note == "written as @misc: the record has no date, which an @article needs"
    assert back["title"] == "T"


def test_a_record_without_authors_is_a_misc_with_a_note() -> None:
    item = {**ARTICLE, "title": "Editorial", "author": [{"literal": ""}, None, "x"]}
    entry, _text, _back = written(item)
    assert (entry.entry_type, entry.note) == (
        "misc",
        "written as @misc: the record has no author, which an @article needs",
    )


def test_hostile_url_doi_and_numbers_are_written_valid_or_left_out() -> None:
    item = {
        **ARTICLE,
        "title": "T",
        "URL": "https://x.example/a b}c{d\\e%f#g\n@x",
        "DOI": "https://doi.org/10.1000/a}b",
        "ISSN": ["1234-5678", "1363-3554"],
        "ISBN": "978",
        "volume": "1}",
        "issue": "{2",
        "page": "1--}2{",
    }
    entry, _text, back = written(item)
    assert entry.get("url") == "https://x.example/a%20b%7Dc%7Bd%5Ce%25f#g%20@x"
    assert entry.get("doi") == "10.1000/a%7Db"
    assert entry.get("issn") == "1363-3554"  # the first valid one
    assert entry.get("isbn") is None
    assert back["volume"] == "1}"


def test_a_doi_that_is_no_doi_is_left_out() -> None:
    entry, _text, _back = written({**ARTICLE, "title": "T", "DOI": "not a doi"})
    assert entry.get("doi") is None


def test_an_entry_that_would_not_read_back_is_refused_not_written() -> None:
    entry = NewEntry("misc", "k", (("title", "a}b"),))
    with pytest.raises(UnwritableEntry):
        entry.text()


# --------------------------------------------- hostile answers, end to end through the CLI


def add_one(runner, bib: Path, identifier: str) -> tuple[str, str]:
    """Run ``add``; return the text it appended and stderr, after checking the whole file
    still reads without a problem and is lint-clean."""
    from click.testing import CliRunner

    from exilebib.cli import main

    assert isinstance(runner, CliRunner)
    before = bib.read_text(encoding="utf-8")
    result = runner.invoke(
        main,
        ["add", identifier, "--group", "secondary", "--allow-private"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    after = bib.read_text(encoding="utf-8")
    assert after.startswith(before)
    assert not read_bibtex(bib, after).diagnostics
    problems = [
        str(d) for d in lint_text(str(bib), after).diagnostics if d.severity.value != "info"
    ]
    assert problems == [], after
    return after[len(before) :], result.stderr


def _page(services, body: str) -> str:
    from addservices import HTML
    from linkserver import respond

    return services.route("/page", respond(200, HTML, body.encode()))


def _doi_answer(services, record: object) -> str:
    import json

    from addservices import CSL_JSON
    from linkserver import respond

    services.route("/doi/10.5061/dryad.x1", respond(200, CSL_JSON, json.dumps(record).encode()))
    return "10.5061/dryad.x1"


def test_jsonld_graph_with_lists_and_nested_values(runner, bib, env, services) -> None:
    url = _page(
        services,
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
        '{"@type": "WebSite", "name": "Site"},'
        '{"@type": ["Article", "Thing"], "headline": ["Head <b>line</b>"],'
        ' "author": [{"@type": "Person", "name": {"@value": "Ann Lee"}},'
        ' {"@id": "https://x.example/#a"}, "Bob Roe"],'
        ' "datePublished": {"@value": "2021-03-04T10:00:00Z"},'
        ' "publisher": {"@type": "Organization", "name": "Pub}", "logo": {"url": "x"}}}'
        "]}</script>",
    )
    added, _err = add_one(runner, bib, url)
    assert "  author       = {Lee, Ann and Roe, Bob},\n" in added
    assert "  title        = {Head line},\n" in added
    assert "  organization = {Pub\\textbraceright{}},\n" in added
    assert "  date         = {2021-03-04},\n" in added


def test_absurdly_nested_jsonld_falls_back_to_opengraph(runner, bib, env, services) -> None:
    nested = "[" * 5000 + "]" * 5000
    url = _page(
        services,
        f'<script type="application/ld+json">{nested}</script>'
        '<script type="application/ld+json">{"@type": {"x": 1}, "name": 42}</script>'
        '<meta property="og:title" content="From OpenGraph">',
    )
    added, _err = add_one(runner, bib, url)
    assert "  title        = {From {OpenGraph}},\n" in added


def test_malformed_html_gives_a_lint_clean_entry(runner, bib, env, services) -> None:
    url = _page(
        services,
        '<meta name="citation_title" content="Broken <i>page</i> {">'
        '<meta name="citation_author" content=""><meta name="citation_author" content="Doe, ">'
        '<meta name="citation_date" content="2020/99/99">'
        '<meta name="citation_journal_title" content="J">'
        '<![CDATA[ <script type="application/ld+json">{</scr <div <p',
    )
    added, err = add_one(runner, bib, url)
    assert added.startswith("\n@online{doebroken,\n")  # no date: not a complete @article
    assert "  title        = {Broken page \\textbraceleft{}},\n" in added
    assert "note: doebroken: written as @online: the record has no date" in err


def test_commons_artist_with_nested_html_links_and_a_script(runner, bib, env, services) -> None:
    import json

    from addservices import JSON
    from linkserver import respond

    artist = (
        '<div class="fn"><a href="//commons.wikimedia.org/wiki/User:Jo" title="User:Jo">'
        '<span lang="en">Jo <b>Smith</b></span></a></div><script>alert("x")</script>'
    )
    meta = {
        "Artist": {"value": artist},
        "ObjectName": {"value": "Study\u202e}"},
        "DateTimeOriginal": {"value": '<time datetime="1920-05-05">5 May 1920</time>'},
        "LicenseShortName": {"value": "CC0 <b>1.0</b>"},
    }
    page = {"title": "File:X.jpg", "imageinfo": [{"extmetadata": meta}]}
    body = json.dumps({"query": {"pages": [page]}}).encode()
    services.route("/w/api.php", respond(200, JSON, body))
    added, _err = add_one(runner, bib, "File:X.jpg")
    assert "  author       = {Smith, Jo},\n" in added
    assert "  title        = {Study\\textbraceright{}},\n" in added
    assert "  date         = {1920-05-05},\n" in added
    assert "  note         = {CC0 1.0},\n" in added


def test_datacite_record_with_literal_names_and_string_dates(runner, bib, env, services) -> None:
    doi = _doi_answer(
        services,
        {
            "type": "dataset",
            "title": "Data {set} of 2019",
            "author": [{"literal": "Consortium X"}, {"family": "Roe", "given": "R."}],
            "issued": {"date-parts": [["2019", "07"]]},
            "publisher": "Dryad",
            "DOI": "10.5061/DRYAD.X1",
            "URL": "https://datadryad.org/stash/dataset/doi:10.5061/dryad.x1",
        },
    )
    added, _err = add_one(runner, bib, doi)
    assert added.startswith("\n@dataset{consortium2019data,\n")
    assert "  author    = {{Consortium X} and Roe, R.},\n" in added
    assert "  date      = {2019-07},\n" in added
    assert "  doi       = {10.5061/DRYAD.X1},\n" in added


def test_doi_record_without_issued_is_a_misc_with_a_note(runner, bib, env, services) -> None:
    doi = _doi_answer(
        services,
        {
            "type": "article-journal",
            "title": "Undated",
            "author": [{"family": "Bianchi", "given": "Anna"}],
            "container-title": ["Rivista"],
        },
    )
    added, err = add_one(runner, bib, doi)
    assert added.startswith("\n@misc{bianchiundated,\n")
    assert (
        "exilebib: note: bianchiundated: written as @misc: the record has no date, which an "
        "@article needs"
    ) in err


def test_open_library_record_with_missing_fields(runner, bib, env, services) -> None:
    import json

    from addservices import JSON
    from linkserver import respond

    record = {
        "ISBN:9781781685600": {
            "title": "Only a title",
            "authors": [{"name": None}, "x", {"url": "https://openlibrary.org/a/1"}],
            "publishers": ["not an object"],
            "publish_date": "c. 19??",
            "number_of_pages": "many",
        }
    }
    services.route("/ol/api/books", respond(200, JSON, json.dumps(record).encode()))
    added, err = add_one(runner, bib, "isbn:9781781685600")
    assert added == (
        "\n@misc{only,\n  title    = {Only a title},\n  isbn     = {9781781685600},\n"
        "  keywords = {secondary},\n}\n"
    )
    assert "written as @misc: the record has no author or date" in err


def test_a_record_whose_title_is_only_markup_is_not_added(runner, bib, env, services) -> None:
    from click.testing import CliRunner

    from exilebib.cli import main

    assert isinstance(runner, CliRunner)
    doi = _doi_answer(services, {"type": "book", "title": "<i> </i>\u200b", "author": []})
    before = bib.read_bytes()
    result = runner.invoke(main, ["add", doi, "--allow-private"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stderr == f"exilebib: {doi}: not added: the record's title has no text\n"
    assert bib.read_bytes() == before


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        # an old page in Latin-1 that says so only in its <meta charset>
        ("text/html", '<meta charset="iso-8859-1"><meta name="dc.title" content="Café Möbius">'),
        # the same in an http-equiv meta
        (
            "text/html",
            '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
            '<meta name="dc.title" content="Café Möbius">',
        ),
        # no charset anywhere and not UTF-8: windows-1252, as browsers read it
        ("text/html", '<meta name="dc.title" content="Café Möbius">'),
        # a charset nobody knows in the header: the page's own meta is next
        (
            "text/html; charset=x-unknown",
            '<meta charset="latin1"><meta name="dc.title" content="Café Möbius">',
        ),
    ],
)
def test_a_latin_1_page_keeps_its_accents(runner, bib, env, services, content_type, body) -> None:
    from linkserver import respond

    url = services.route(
        "/old", respond(200, {"Content-Type": content_type}, body.encode("latin-1"))
    )
    added, _err = add_one(runner, bib, url)
    assert "  title        = {Café Möbius},\n" in added


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://x.example/a",
        "//x.example/a",
        "https://",
        "data:text/html,x",
        "http://[::1",
        "http://x.example:99999/",
    ],
)
def test_a_record_url_that_is_no_web_address_is_left_out(url) -> None:
    entry, _text, _back = written({"type": "webpage", "title": "T", "URL": url})
    assert entry.get("url") is None
    assert entry.entry_type == "misc"  # without a URL a web page is no @online


def test_a_doi_record_whose_title_is_a_number_is_a_reason(runner, bib, env, services) -> None:
    from click.testing import CliRunner

    from exilebib.cli import main

    assert isinstance(runner, CliRunner)
    doi = _doi_answer(services, {"type": "book", "title": 337000, "subtitle": "x"})
    result = runner.invoke(main, ["add", doi, "--allow-private"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stderr == f"exilebib: {doi}: not added: the DOI resolver's answer has no title\n"


class _Answering:
    """A fetcher that answers every request with one JSON body (the services' parsers
    are what is tested here; the CLI tests above run them over HTTP)."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def get(self, url: str, accept: str, *, partial_ok: bool = False) -> object:
        from exilebib.capture.fetch import Response

        return Response(url, 200, {"Content-Type": "application/json"}, self.body)


_KEYS = st.sampled_from(
    [
        "title", "subtitle", "type", "author", "editor", "issued", "date-parts", "family",
        "given", "literal", "container-title", "page", "DOI", "URL", "ISBN", "ISSN",
        "publisher", "query", "pages", "imageinfo", "extmetadata", "value", "Artist",
        "ObjectName", "DateTimeOriginal", "ISBN:9781781685600", "authors", "name",
        "publishers", "publish_date", "number_of_pages", "raw", "missing", "descriptionurl",
    ]
)  # fmt: skip
_LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(), st.text(max_size=12)
)
_JSON = st.recursive(
    _LEAF,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=6)),
    max_leaves=30,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=_JSON, service=st.sampled_from(["doi", "isbn", "commons"]))
def test_any_json_answer_is_an_entry_or_a_reason(data, service) -> None:
    import json

    from exilebib.capture.settings import CaptureSettings
    from exilebib.capture.sources import CaptureError, from_commons, from_doi, from_isbn

    fetcher: Any = _Answering(json.dumps(data).encode())
    chosen = CaptureSettings()
    read = {
        "doi": lambda: from_doi("10.1000/1", fetcher, chosen),
        "isbn": lambda: from_isbn("9781781685600", fetcher, chosen),
        "commons": lambda: from_commons("File:X.jpg", fetcher, chosen),
    }[service]
    try:
        item = read()
        entry = build_entry(item, today=TODAY, pattern="{author}{year}{title}", taken=())
        entry.text()
    except (CaptureError, UnwritableEntry):
        pass
