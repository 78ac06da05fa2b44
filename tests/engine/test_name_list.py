"""How a cs:name prints its names (:mod:`exilebib.engine.rules.name_list`).

The expected strings are citeproc-js 1.4.61's output for the same style and items (checked
with tools/oracle); the CSL test suite covers the rest (Asian names, comma-suffix,
after-inverted-name, name-part formatting of particles).
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from citeproc import model

from exilebib.engine import Engine
from exilebib.engine.rules.name_list import name_options, romanesque
from exilebib.engine.rules.render_state import RenderState, rendering


def _names(name_attributes: str, *authors: dict[str, Any], **item: Any) -> str:
    engine = Engine.from_xml(f"""<style xmlns="http://purl.org/net/xbiblio/csl"
      class="in-text" version="1.0">
      <info><id>x</id><title>x</title><updated>2024-01-01T00:00:00+00:00</updated></info>
      <citation><layout><text variable="title"/></layout></citation>
      <bibliography><layout><names variable="author"><name {name_attributes}/></names>
      </layout></bibliography></style>""", "en-US")
    entry = {"id": "a", "type": "book", "title": "T", "author": list(authors), **item}
    return engine.bibliography([entry], "text").entries[0].text


def test_family_name_in_chinese_with_latin_given_name_comes_first_with_a_space() -> None:
    assert _names("", {"family": "王", "given": "Wei"}) == "王 Wei"


def test_item_in_japanese_prints_latin_names_family_first() -> None:
    assert _names("", {"family": "Tanaka", "given": "Taro"}, language="ja") == "Tanaka Taro"


def test_romanesque_levels() -> None:
    assert romanesque("我妻", "栄", None) == 0
    assert romanesque("王", "Wei", None) == 1
    assert romanesque("Tanaka", "Taro", "ja-JP") == 1
    assert romanesque("Doe", "John", "en") == 2


def test_et_al_use_last_after_one_name_takes_no_delimiter() -> None:
    people = [{"family": f"N{i}", "given": "A"} for i in range(5)]
    options = 'et-al-min="3" et-al-use-first="1" et-al-use-last="true"'
    assert _names(options, *people) == "A N0 … A N4"


def test_and_before_an_organisation_ignores_delimiter_precedes_last() -> None:
    text = _names('and="text" delimiter-precedes-last="never"',
                  {"literal": "Acme Corp"}, {"family": "Doe", "given": "John"},
                  {"literal": "Widget Inc"})
    assert text == "Acme Corp, John Doe, and Widget Inc"


def test_family_name_alone_keeps_its_suffix() -> None:
    assert _names("", {"family": "Doe", "suffix": "Jr."}) == "Doe Jr."


def test_count_is_the_number_of_names_shown_summed_over_variables() -> None:
    people = [{"family": f"N{i}", "given": "A"} for i in range(3)]
    options = 'form="count" et-al-min="4" et-al-use-first="1"'
    assert _names(options, *people) == "3"  # no "et al." below et-al-min: all three
    engine = Engine.from_xml("""<style xmlns="http://purl.org/net/xbiblio/csl"
      class="in-text" version="1.0">
      <info><id>x</id><title>x</title><updated>2024-01-01T00:00:00+00:00</updated></info>
      <citation><layout><text variable="title"/></layout></citation>
      <bibliography><layout><names variable="author editor"><name form="count"/></names>
      </layout></bibliography></style>""", "en-US")
    entry = {"id": "a", "type": "book", "title": "T", "author": people, "editor": people[:2]}
    assert engine.bibliography([entry], "text").entries[0].text == "5"


def test_et_al_min_without_et_al_use_first_truncates_nothing() -> None:
    people = [{"family": f"N{i}", "given": "A"} for i in range(3)]
    assert _names('et-al-min="3"', *people) == "A N0, A N1, A N2"
    assert _names('et-al-min="3" et-al-use-first="1"', *people) == "A N0 et al."


def test_markup_around_a_given_name_stays_around_its_initial() -> None:
    from exilebib.engine.markup import Kind, close_marker, open_marker
    from exilebib.engine.rules.initialize import initials, normalise_initials

    bold, unbold = open_marker(Kind.BOLD), close_marker(Kind.BOLD)
    assert initials(f"{bold}John{unbold} Quiggly", ". ") == f"{bold}J.{unbold} Q."
    assert initials(f"{bold}John{unbold}-Quiggly", ". ") == f"{bold}J.{unbold}-Q."
    assert normalise_initials(f"{bold}J{unbold} Q", ". ") == f"{bold}J.{unbold} Q."


def test_term_written_empty_over_several_lines_prints_nothing() -> None:
    engine = Engine.from_xml("""<style xmlns="http://purl.org/net/xbiblio/csl"
      class="in-text" version="1.0">
      <info><id>x</id><title>x</title><updated>2024-01-01T00:00:00+00:00</updated></info>
      <locale><terms><term name="and others">
      </term></terms></locale>
      <citation><layout><text variable="title"/></layout></citation>
      <bibliography><layout><names variable="author" suffix=". ">
      <name et-al-min="2" et-al-use-first="1"/><et-al term="and others"/></names>
      <text variable="title"/></layout></bibliography></style>""", "en-US")
    people = [{"family": "Doe", "given": "J."}, {"family": "Roe", "given": "R."}]
    entry = {"id": "a", "type": "book", "title": "Title", "author": people}
    assert engine.bibliography([entry], "text").entries[0].text == "J. Doe. Title"


def test_particle_written_apart_keeps_its_space_even_after_an_apostrophe() -> None:
    frinkle = {"family": "de' Frinkle", "given": "Bevis"}
    assert _names("", frinkle) == "Bevis de’ Frinkle"
    assert _names('name-as-sort-order="all"', frinkle) == "Frinkle, Bevis de’"
    assert _names("", {"family": "d'Wander", "given": "W."}) == "W. d’Wander"


_OPTIONS = {
    "form": "form", "initialize_with": "initialize-with", "sort_order": "name-as-sort-order",
    "demote_option": "demote-non-dropping-particle", "and_": "and",
    "et_al_min": "et-al-min", "use_first": "et-al-use-first", "use_last": "et-al-use-last",
    "initialize_with_hyphen": "initialize-with-hyphen",
}


@pytest.mark.parametrize("style", ["harvard-cite-them-right", "chicago-notes-bibliography",
                                   "apa", "chicago-author-date"])
def test_resolved_name_options_are_what_get_option_answers_in_every_state(style: str) -> None:
    """name_options keeps a cs:name's options per render state: each state must give what
    the rules on Name.get_option give (subsequent cites, names and given names added by
    disambiguation, names pre-expanded, a sort key's options)."""
    engine = Engine(style)
    root = engine._style.root
    names = [e for e in root.iter() if isinstance(e, model.Name)]
    assert names
    contexts = [root.citation.layout, root.bibliography.layout]
    sort_keys = [None, {"name-as-sort-order": "all", "and": None, "et-al-min": "3",
                        "et-al-use-first": "1"}]
    for in_citation, subsequent, raised, level, expanding in itertools.product(
            (False, True), (False, True), (None, 4), (None, 1, 2), (False, True)):
        state = RenderState()
        state.in_citation, state.subsequent, state.item_key = in_citation, subsequent, "k"
        if raised is not None:
            state.disambiguation.names["k"] = raised
        if level is not None:
            state.disambiguation.givenname["k"] = level
        state.disambiguation.expanding = expanding
        with rendering(state):
            for name, context, sort_options in itertools.product(names, contexts, sort_keys):
                resolved = name_options(name, context, sort_options)
                for field, option in _OPTIONS.items():
                    asked = name.get_option(option, context, sort_options)
                    assert getattr(resolved, field) == asked, (field, name.attrib)


def test_name_part_protocol_describes_citeproc_name_part() -> None:
    """name_list's _NamePart names the methods of citeproc-py's Name_Part it calls."""
    import inspect

    from exilebib.engine.rules.name_list import _NamePart

    for method in ("case", "format", "wrap"):
        ours = list(inspect.signature(getattr(_NamePart, method)).parameters)
        theirs = list(inspect.signature(getattr(model.Name_Part, method)).parameters)
        assert theirs[:len(ours)] == ours, method


def test_a_remembered_name_prints_by_each_items_language() -> None:
    """Names are remembered per options record, name and item language: the same name in a
    Japanese item prints family name first without a comma, in an English one with it, in
    whichever order the items come."""
    engine = Engine("harvard-cite-them-right", "en-GB")
    smith = [{"family": "Smith", "given": "John"}]
    items = [{"id": "ja", "type": "book", "title": "A", "author": smith, "language": "ja"},
             {"id": "en", "type": "book", "title": "B", "author": smith}]
    for order in (items, items[::-1]):
        texts = {entry.id: entry.text for entry in engine.bibliography(order).entries}
        assert texts["ja"].startswith("Smith J. ")
        assert texts["en"].startswith("Smith, J. ")
