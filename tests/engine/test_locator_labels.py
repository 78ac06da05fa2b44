"""A locator written with its own label (:mod:`exilebib.engine.rules.locator_labels`); the
expected texts are citeproc-js 1.4.61's (tools/oracle)."""

from __future__ import annotations

from exilebib.engine import CiteCluster, CiteRequest, Engine
from exilebib.engine.rules.label_plural import is_plural
from exilebib.engine.rules.locator_labels import locator_label


def _known(_label: str) -> bool:
    return True


def test_page_locator_with_a_label_abbreviation_takes_that_label() -> None:
    assert locator_label("page", "vol. 1, fol. 186", "book", _known) == ("volume", "1, fol. 186")
    assert locator_label("page", "pp. 3-5", "book", _known) == ("page", "3-5")


def test_other_labels_legal_types_and_unknown_abbreviations_stay() -> None:
    assert locator_label("chapter", "vol. 1", "book", _known) == ("chapter", "vol. 1")
    assert locator_label("page", "vol. 1", "legislation", _known) == ("page", "vol. 1")
    assert locator_label("page", "xyz. 4", "book", _known) == ("page", "xyz. 4")
    assert locator_label("page", "vol.3", "book", _known) == ("page", "vol.3")
    assert locator_label("page", "vol. 1", "book", lambda _: False) == ("page", "vol. 1")


def test_a_value_is_plural_only_up_to_the_next_label_in_it() -> None:
    assert not is_plural("1, fol. 186, 8 April 1544", "locator")
    assert is_plural("367–368, fig. 333", "locator")


def test_chicago_prints_the_locators_own_label() -> None:
    engine = Engine("chicago-notes-bibliography", "en-US")
    item = {"id": "a", "type": "book", "title": "Title", "author": [{"family": "Doe",
            "given": "J."}], "issued": {"date-parts": [[2000]]}}
    clusters = [CiteCluster((CiteRequest("a", "ch. 3"),), 1),
                CiteCluster((CiteRequest("a", "pp. 3-5"),), 2)]
    assert engine.citations([item], clusters, "text")[1:] == ["Doe, Title, 3–5."]
    assert engine.citations([item], clusters[:1], "text")[0].endswith(", chap. 3.")
