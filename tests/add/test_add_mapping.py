"""The reverse mapping: an item → entry → ``csl.convert`` gives the item's metadata back;
identifiers; and the append, whose removal gives back the original bytes (property test)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from addservices import fixture
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from exilebib.bibtex import read_bibtex
from exilebib.capture.append import addition, existing
from exilebib.capture.entry import build_entry, escape, rich_text
from exilebib.capture.identifiers import Kind, normalise_url, parse_identifier
from exilebib.csl import convert
from exilebib.errors import UsageError

TODAY = dt.date(2026, 12, 2)
_NOCASE = re.compile(r'</?span(?: class="nocase")?>')

ITEMS: list[dict[str, Any]] = [
    {
        "type": "article-journal",
        "title": "Exile and the <i>Bulletin</i>: Trotsky & the NKVD in 50% of cases",
        "author": [{"family": "Lopez", "given": "Maria"}, {"family": "McKay", "given": "John"}],
        "container-title": "History Workshop Journal",
        "issued": {"date-parts": [[2019, 6, 1]]},
        "volume": "87",
        "issue": "2",
        "page": "145-167",
        "DOI": "10.1093/hwj/dbz001",
        "ISSN": "1363-3554",
        "language": "en",
    },
    {
        "type": "book",
        "title": "The prophet: the life of Leon Trotsky",
        "author": [{"family": "Deutscher", "given": "Isaac"}],
        "publisher": "Verso",
        "publisher-place": "London",
        "issued": {"date-parts": [[2015]]},
        "ISBN": "9781781685600",
        "number-of-pages": "1568",
        "edition": "2",
    },
    {
        "type": "chapter",
        "title": "On the Fourth International",
        "author": [{"family": "Gogh", "given": "Vincent", "dropping-particle": "van"}],
        "editor": [{"literal": "Marxists Internet Archive"}],
        "container-title": "Collected Writings",
        "collection-title": "Writings",
        "publisher": "Pathfinder",
        "issued": {"date-parts": [[1938, 9], [1939, 2]]},
    },
    {
        "type": "graphic",
        "title": "Trotsky Portrait",
        "publisher": "Wikimedia Commons",
        "URL": "https://commons.wikimedia.org/wiki/File:Trotsky_Portrait.jpg",
        "note": "Public domain",
    },
    {
        "type": "webpage",
        "title": "Visiting the Museo Casa de León Trotsky",
        "container-title": "Travel Notes",
        "URL": "https://travel.example/museo_casa?x=1&y=%20",
        "issued": {"date-parts": [[2019, 11, 2]]},
    },
    {
        "type": "thesis",
        "title": "Exile politics",
        "author": [{"family": "Ng", "given": "Li", "suffix": "Jr."}],
        "publisher": "University of Leeds",
        "genre": "PhD thesis",
        "issued": {"date-parts": [[2001]]},
    },
]

#: Variables the round trip compares (what a bibliography prints).
COMPARED = (
    "type", "title", "author", "editor", "container-title", "collection-title", "issued",
    "volume", "issue", "page", "DOI", "URL", "ISBN", "ISSN", "publisher", "publisher-place",
    "note", "number-of-pages", "edition", "genre", "language",
)  # fmt: skip


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        # TeX prints ' and ` as curly quotes (latex.py reads them so, as pandoc does)
        return _NOCASE.sub("", value).replace("’", "'").replace("‘", "`")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _back(item: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    entry = build_entry(item, today=TODAY, pattern="{author}{year}{title}", taken=())
    path = tmp_path / "one.bib"
    text = entry.text()
    library = read_bibtex(path, text)
    assert not library.diagnostics, library.diagnostics
    # titles as written: the round trip is about the mapping; English titles' conversion to
    # sentence case (the render default) is tested in tests/reading
    return convert(library.sources[0], sentence_case=False).item


@pytest.mark.parametrize("item", ITEMS, ids=[item["type"] for item in ITEMS])
def test_render_of_the_new_entry_gives_back_the_metadata(item, tmp_path) -> None:
    back = _back(item, tmp_path)
    for variable in COMPARED:
        if variable in item:
            assert _plain(back.get(variable)) == _plain(item[variable]), variable
    if "URL" in item:
        assert back["accessed"] == {"date-parts": [[2026, 12, 2]]}


def test_crossref_record_round_trips(tmp_path) -> None:
    from exilebib.capture.sources import CSL_KEPT

    record = json.loads(fixture("crossref.json"))
    item = {k: v for k, v in record.items() if k in CSL_KEPT}
    item["ISSN"] = item["ISSN"][0]
    del item["URL"]
    back = _back(item, tmp_path)
    assert _plain(back["title"]) == _plain(record["title"])
    assert back["author"] == [
        {"family": "Lopez", "given": "Maria"},
        {"family": "McKay", "given": "John"},
    ]
    assert back["container-title"] == "History Workshop Journal"
    assert back["page"] == "145-167"


@example("a -- b ``c'' d---e")
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40))
def test_escaped_text_reads_back_as_itself(text) -> None:
    import unicodedata

    from exilebib.capture.entry import visible
    from exilebib.latex import to_csl_text

    expected = unicodedata.normalize("NFC", " ".join(visible(text).split()))
    # TeX prints a single ' and ` as curly quotes (latex.py reads them so, as pandoc does)
    expected = expected.replace("'", "’").replace("`", "‘")
    assert to_csl_text(escape(text)) == expected


def test_rich_text_keeps_markup() -> None:
    assert rich_text('A <i>b</i> and <span class="nocase">iPhone</span> <b>c</b>') == (
        "A \\emph{b} and {iPhone} \\textbf{c}"
    )
    assert rich_text("<jats:p>x &amp; y</jats:p>") == "x \\& y"


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("10.1093/hwj/dbz001", Kind.DOI, "10.1093/hwj/dbz001"),
        ("doi:10.1093/HWJ/dbz001", Kind.DOI, "10.1093/hwj/dbz001"),
        ("https://doi.org/10.1093/hwj/dbz001", Kind.DOI, "10.1093/hwj/dbz001"),
        ("isbn:0-19-928367-2", Kind.ISBN, "9780199283675"),
        ("978-1-78168-560-0", Kind.ISBN, "9781781685600"),
        ("File:Trotsky_Portrait.jpg", Kind.COMMONS, "File:Trotsky Portrait.jpg"),
        (
            "https://commons.wikimedia.org/wiki/File:Trotsky_%26_Khalo.jpg",
            Kind.COMMONS,
            "File:Trotsky & Khalo.jpg",
        ),
        ("https://example.org/page", Kind.WEB, "https://example.org/page"),
    ],
)
def test_identifiers(text, kind, value) -> None:
    found = parse_identifier(text)
    assert (found.kind, found.value) == (kind, value)


@pytest.mark.parametrize(
    "text", ["isbn:0-19-928367-6", "1234567890", "doi:10.x/y", "ftp://x/y", ""]
)
def test_malformed_identifiers(text) -> None:
    with pytest.raises(UsageError):
        parse_identifier(text)


def test_url_normalisation_matches_the_essays_encoded_urls(essay_bib) -> None:
    known = existing(essay_bib, essay_bib.read_text(encoding="utf-8"))
    typed = "https://commons.wikimedia.org/wiki/File:Trotsky_&_Khalo.jpg"
    assert known.find(None, None, typed) == ("trotsky-natalia-kahlo", "URL")
    assert normalise_url("http://www.Example.org/a/") == normalise_url("https://example.org/a")


# ------------------------------------------------------------------ property: append

_ENTRY = st.builds(
    lambda key, title: f"@misc{{{key},\n  title = {{{title}}},\n}}",
    st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True),
    st.text(alphabet="abc XYZ%#&", max_size=12).map(lambda t: t.replace("\\", "")),
)
_GAP = st.sampled_from(["", "\n", "\n\n", "% a comment\n", "  \n\n\n", "\r\n", "% x"])
_FILE = st.builds(
    lambda bom, parts, crlf: ("\ufeff" if bom else "") + ("\r\n" if crlf else "\n").join(parts),
    st.booleans(),
    st.lists(st.one_of(_ENTRY, _GAP), max_size=6),
    st.booleans(),
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(original=_FILE)
def test_add_then_removing_the_block_gives_back_the_original_bytes(original, tmp_path) -> None:
    item = {
        "type": "book",
        "title": "The Prophet",
        "author": [{"family": "Deutscher", "given": "I."}],
        "issued": {"date-parts": [[1954]]},
    }
    known = existing(tmp_path / "x.bib", original)
    entry = build_entry(item, today=TODAY, pattern="{author}{year}", taken=known.keys)
    extra = addition(original, [entry.text()])
    new = original.encode() + extra.encode()
    assert new[: len(original.encode())] == original.encode()
    # the added block is the new entry, whole, read as its own entry
    library = read_bibtex(tmp_path / "x.bib", new.decode())
    assert library.sources[-1].key == entry.key
    assert (
        library.sources[-1].get("title") == "The {Prophet}"
        or library.sources[-1].get("title") == "The Prophet"
    )
    assert len(library.sources) == len(read_bibtex(tmp_path / "x.bib", original).sources) + 1
    # and in the file's own line-break convention
    if "\r\n" in original and original.count("\r\n") * 2 >= original.count("\n"):
        assert "\n" not in extra.replace("\r\n", "")
