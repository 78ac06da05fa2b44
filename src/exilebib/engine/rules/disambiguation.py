"""CSL 1.0.2 "Disambiguation": add-names, add-givenname, ``disambiguate="true"``,
add-year-suffix, in that order.

Spec: "A cite is ambiguous when it matches multiple bibliographic entries"; the methods are
tried in turn on the cites that are still ambiguous: ``disambiguate-add-names`` shows more
names (raising et-al-use-first) as far as that separates them; ``disambiguate-add-givenname``
adds given names name by name, as citeproc-js does (each name's initials first when the
style initializes, then its full given name; a name that tells no cite apart stays as it
was); then the
``disambiguate="true"`` condition is set for those still ambiguous; finally
``disambiguate-add-year-suffix`` gives them "a", "b", ... "following the order of the
bibliographic entries". A year-suffix is printed by ``<text variable="year-suffix"/>``
or, when the style does not call it, after the first year the cite renders. Expanded names
and given names apply to citations only; year-suffixes also print in the bibliography.

``givenname-disambiguation-rule`` other than the default "by-cite" makes given names a
global matter: "ambiguous names in all cites are disambiguated" — a name is ambiguous when
another person with the same family name (and particle) appears in a cite anywhere; it gets
its initials (with ``initialize-with``) or, if the initials are shared too, its full given
name ("-with-initials" rules stop at initials), whether or not its cite is ambiguous;
"primary-name" rules only expand the first name of each cite. Each name is expanded on its
own ("(H. Xu and Yamada 1902)" when only Xu is shared), so the by-cite step is skipped.

citeproc-py 0.11.1 implements none of this (Swain 2014; Swain 2014 where citeproc-js gives
Swain 2014a; Swain 2014b).
"""

from __future__ import annotations

import string
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from citeproc import NAMES, Citation
from citeproc.model import Date, Date_Part, If, Name

from exilebib.engine.markup import strip_markers
from exilebib.engine.rules.author_substitute import shown_with
from exilebib.engine.rules.caches import matches
from exilebib.engine.rules.initialize import initials
from exilebib.engine.rules.item_data import Name as NameData
from exilebib.engine.rules.name_list import name_options
from exilebib.engine.rules.render_state import (
    Disambiguation,
    DisambiguationState,
    current,
)
from exilebib.engine.rules.targets import replace_direct
from exilebib.engine.types import (
    Bibliography,
    Cite,
    DateElement,
    DatePartElement,
    DateValue,
    Element,
    LayoutElement,
    NameElement,
    NameValue,
    Rendered,
    StyleElement,
)

#: what a trial cite records of each name list it shows (see Disambiguation.capture)
Shown = list[tuple[str, list[NameValue], bool]]


def _suffix(index: int) -> str:
    letters = string.ascii_lowercase
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = letters[rest] + out
    return out


def _option(citation: Element, name: str) -> bool:
    return str(citation.get(name, "false")).lower() == "true"


def _key(bib: Bibliography, layout: LayoutElement, item_key: str) -> str:
    from exilebib.engine.rules.citation_layout import render_cite

    cite = bib.item_class(item_key)
    reference = bib.source.get(item_key)
    if reference is not None:
        # what its reference property finds through the citation (caches.reference keeps
        # it there too)
        cite.__dict__["reference"] = reference
    citation = Citation([cite])
    citation.bibliography = bib
    cite["position"] = "subsequent"
    cite["ibid"] = None
    current().in_citation = True
    try:
        text = render_cite(layout, cite)
    except Exception:  # an item the citation cannot render is not ambiguous with others
        return f"\0{item_key}"
    finally:
        current().in_citation = False
        # a cite and its citation refer to each other: without this, each trial cite was
        # left to the garbage collector (32,600 objects for 5,000 entries)
        citation.cites = []
    return strip_markers(str(text)) if text is not None else f"\0{item_key}"




def _floor(style: StyleElement, options: tuple[str, str], default: int, unreadable: int) -> int:
    """The smallest value the style gives ``options`` anywhere (``default`` if it gives
    none, ``unreadable`` if one is not a number)."""
    values = [default]
    for element in style.iter():
        for option in options:
            value = element.get(option) if hasattr(element, "get") else None
            if value is not None:
                try:
                    values.append(int(value))
                except ValueError:
                    return unreadable
    return min(values)


def _use_first_floor(style: StyleElement) -> int:
    return _floor(style, ("et-al-use-first", "et-al-subsequent-use-first"), 1, 0)


def _et_al_min_floor(style: StyleElement) -> int:
    """The smallest et-al-min of the style: a cite with fewer names never abbreviates them,
    whatever et-al-use-first says (no et-al-min: names are never abbreviated)."""
    return _floor(style, ("et-al-min", "et-al-subsequent-min"), 2**31, 0)


def _state(bib: Bibliography, key: str) -> DisambiguationState:
    """What ``key``'s trial cite depends on now. Names raised past the item's own count
    render like its count, names raised to no more than the style shows render as not
    raised: such states are one."""
    decided = current().disambiguation
    names = decided.names.get(key)
    if names is not None:
        names = min(names, _name_count(bib, key))
        if names <= decided.use_first_floor:
            names = None
    return (key, names, decided.givenname.get(key), key in decided.condition,
            decided.level_state.get(key, ()))


def _cached_key(bib: Bibliography, layout: LayoutElement, key: str) -> str:
    """``_key``, rendered once per item and state (the steps below re-test the same items
    under states they were already rendered in); the name lists it shows are kept too."""
    decided = current().disambiguation
    state = _state(bib, key)
    text = decided.rendered.get(state)
    if text is None:
        outer, decided.capture = decided.capture, []
        try:
            text = decided.rendered[state] = _key(bib, layout, key)
            decided.shown[state] = decided.capture
        finally:
            decided.capture = outer
    return text


def _set_levels(key: str, variable: str, levels: list[int] | None) -> None:
    """Show the names of ``key``'s ``variable`` at ``levels`` (None: as the style has it)."""
    decided = current().disambiguation
    by_variable = dict(decided.level_state.get(key, ()))
    if levels and any(levels):
        decided.name_levels[(key, variable)] = levels
        by_variable[variable] = tuple(levels)
    else:
        decided.name_levels.pop((key, variable), None)
        by_variable.pop(variable, None)
    if by_variable:
        decided.level_state[key] = tuple(sorted(by_variable.items()))
    else:
        decided.level_state.pop(key, None)


def _groups(bib: Bibliography, layout: LayoutElement, keys: list[str]) -> list[list[str]]:
    by_text: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        by_text[_cached_key(bib, layout, key)].append(key)
    return [group for group in by_text.values() if len(group) > 1]


def _name_count(bib: Bibliography, key: str) -> int:
    reference = bib.source[key]
    return max((len(v) for _k, v in reference.items() if isinstance(v, list)), default=0)


def _same_names(bib: Bibliography, group: list[str]) -> bool:
    """Whether every item of ``group`` has the same names (then neither more names nor
    given names can tell them apart, and trying is wasted rendering)."""
    def names(key: str) -> list[tuple[str, list[list[tuple[str, object]]]]]:
        reference = bib.source[key]
        return sorted((k, [sorted(n.items()) for n in v]) for k, v in reference.items()
                      if k in NAMES and isinstance(v, list))
    first = names(group[0])
    return all(names(key) == first for key in group[1:])


def run(bib: Bibliography, *, citations: bool = True) -> None:
    """Decide disambiguation for every registered item of ``bib``.

    For a bibliography alone (``citations=False``) only year-suffixes matter (names, given
    names and the ``disambiguate`` condition act in citations only), so a style without
    ``disambiguate-add-year-suffix`` skips the work.
    """
    decided = current().disambiguation = Disambiguation(
        use_first_floor=_use_first_floor(bib.style.root))
    try:
        _run(bib, citations)
    finally:
        decided.rendered.clear()
        decided.shown.clear()


def _run(bib: Bibliography, citations: bool = True) -> None:
    decided = current().disambiguation
    style = bib.style.root
    citation = style.citation
    if citation is None:
        return
    layout = citation.layout
    decided.explicit_year_suffix = bool(
        style.xpath_search(".//cs:text[@variable='year-suffix']")
    )
    add_names = _option(citation, "disambiguate-add-names")
    add_given = _option(citation, "disambiguate-add-givenname")
    add_year = _option(citation, "disambiguate-add-year-suffix")
    uses_condition = bool(style.xpath_search(".//cs:*[@disambiguate='true']"))
    if not (add_names or add_given or add_year or uses_condition):
        return
    if not citations and not add_year:
        return
    keys = [item.key for item in bib.items]
    ambiguous = _groups(bib, layout, keys)
    hopeless = [g for g in ambiguous if _same_names(bib, g)]
    ambiguous = [g for g in ambiguous if not _same_names(bib, g)]
    if add_names and ambiguous:
        # a cite with no more names than the style always shows, and too few for et-al,
        # shows them all whatever names are added: its names can only be raised to counts
        # that render as not raised (see _state) and change no et-al option, so a group of
        # such cites is left as it is, without trial cites
        fixed = min(decided.use_first_floor, _et_al_min_floor(style) - 1)
        for group in ambiguous:
            if max(_name_count(bib, key) for key in group) > fixed:
                _add_names(bib, layout, group, add_given)
        ambiguous = _groups(bib, layout, [k for g in ambiguous for k in g])
    rule = str(citation.get("givenname-disambiguation-rule", "by-cite")).lower()
    if add_given and rule in GLOBAL_RULES:
        primary_only, top = GLOBAL_RULES[rule]
        _global_given_names(bib, layout, keys, primary_only, top)
        ambiguous = _groups(bib, layout, [k for g in ambiguous for k in g])
    elif add_given and ambiguous:
        before = [k for g in ambiguous for k in g]
        for group in ambiguous:
            _add_given_names(bib, layout, group)
        ambiguous = _groups(bib, layout, before)
    ambiguous += hopeless
    if uses_condition and ambiguous:
        for group in ambiguous:
            decided.condition.update(group)
        ambiguous = _groups(bib, layout, [k for g in ambiguous for k in g])
    if add_year and ambiguous:
        order = {key: index for index, key in enumerate(keys)}
        for group in ambiguous:
            for index, key in enumerate(sorted(group, key=order.__getitem__)):
                bib.source[key]["year_suffix"] = _suffix(index)


def _add_names(bib: Bibliography, layout: LayoutElement, group: list[str], add_given: bool) -> None:
    """disambiguate-add-names for one group of ambiguous cites: names are added one by one
    to the cites still ambiguous; a cite told apart keeps the names it had then, and the
    rest keep the last count that told any cite apart (none: the style's et-al). With
    add-givenname too, a count counts as telling cites apart if it does so once given names
    are added (citeproc-js: "Smith, Brown & J. Jones" beside "Smith, Brown & A. Jones")."""
    decided = current().disambiguation
    most = max(_name_count(bib, key) for key in group)
    pending = list(group)
    useful = 0
    for count in range(1, most + 1):
        for key in pending:
            decided.names[key] = count
            if add_given:
                decided.givenname[key] = 2
        try:
            still = {k for g in _groups(bib, layout, pending) for k in g}
        finally:
            if add_given:
                for key in pending:
                    decided.givenname.pop(key, None)
        if len(still) < len(pending):
            useful = count
        pending = [key for key in pending if key in still]
        if not pending:
            return
    for key in pending:
        if useful:
            decided.names[key] = useful
        else:  # more names did not help: keep the style's et-al
            decided.names.pop(key, None)


def _add_given_names(bib: Bibliography, layout: LayoutElement, group: list[str]) -> None:
    """disambiguate-add-givenname with the "by-cite" rule for one group of ambiguous cites,
    name by name as citeproc-js does: each name the cites show, in order, is tried with
    its initials and then its full given name on the cites still ambiguous; a step is kept
    when it tells some of them apart, else undone ("A. Asthma, Brandon Bronchitis" beside
    "A. Asthma, Biff Bronchitis": the shared first name stays as the style has it)."""
    decided = current().disambiguation
    texts = {key: _cached_key(bib, layout, key) for key in group}
    # the n-th name each cite shows, whichever variable it comes from ("Mwangi (ed.)" and
    # "Mwangi (trans.)" are expanded together)
    slots: dict[str, list[tuple[str, int]]] = {
        key: [(variable, i) for variable, names, _initializes
              in decided.shown.get(_state(bib, key), ()) for i in range(len(names))]
        for key in group}
    pending = list(group)
    for position in range(max(len(names) for names in slots.values())):
        for level in (1, 2):
            members = [key for key in pending if len(slots[key]) > position]
            if not members:
                break
            distinct = len({texts[key] for key in pending})
            saved = {key: decided.name_levels.get((key, slots[key][position][0]))
                     for key in members}
            for key in members:
                variable, index = slots[key][position]
                levels = list(saved[key] or [0] * len(_names(bib.source[key].get(variable))))
                if index < len(levels):
                    levels[index] = level
                _set_levels(key, variable, levels)
            trial = {key: _cached_key(bib, layout, key) for key in pending}
            if len(set(trial.values())) <= distinct:  # told nothing apart: undone
                for key in members:
                    _set_levels(key, slots[key][position][0], saved[key])
                continue
            texts.update(trial)
            counts: dict[str, int] = defaultdict(int)
            for text in trial.values():
                counts[text] += 1
            pending = [key for key in pending if counts[trial[key]] > 1]
            if not pending:
                return


#: givenname-disambiguation-rule -> (only the first name of a cite, highest level)
GLOBAL_RULES: dict[str, tuple[bool, int]] = {
    "all-names": (False, 2),
    "all-names-with-initials": (False, 1),
    "primary-name": (True, 2),
    "primary-name-with-initials": (True, 1),
}

def _names(value: object) -> list[NameValue]:
    """A name variable's value as a list of names (none when the item lacks it)."""
    return value if isinstance(value, list) else []


def _person_key(name: NameValue, particle_in_family: bool) -> str | None:
    """The family name a personal name is filed under; None for institutions. A
    non-dropping particle belongs to it only where the style never demotes particles
    ("dos Santos" is not "Santos" then; with Chicago's demoting, "de Zielinski" and
    "Zielinski" may be the same name, as citeproc-js files them)."""
    if "literal" in name:
        return None
    given, family, _dropping, non_dropping, _suffix = name.parts()
    if not given or not family:
        return None
    if particle_in_family and non_dropping:
        return f"{non_dropping} {family}"
    return str(family)


def _same_person(given: str) -> str:
    """A given name as identity: "J. J." and "J.J." are one person."""
    return "".join(str(given).replace(".", " ").split())


def _global_given_names(bib: Bibliography, layout: LayoutElement, keys: list[str],
                        primary_only: bool, top: int) -> None:
    # the name lists each cite shows as it stands (most were rendered in this state
    # already, by the first pass)
    decided = current().disambiguation
    captured: dict[str, Shown] = {}
    for key in keys:
        _cached_key(bib, layout, key)
        captured[key] = decided.shown[_state(bib, key)]
    # who is who: by the names that can be expanded (with primary-name rules, the first
    # name of each cite; a co-author sharing the family name is no ambiguity there, as in
    # citeproc-js); a given name written with other spacing or periods is the same person
    demote = str(bib.style.root.get("demote-non-dropping-particle", "display-and-sort"))
    particle_in_family = demote.lower() == "never"
    persons: dict[str, dict[str, str]] = defaultdict(dict)  # family -> {identity: given}
    for lists in captured.values():
        candidates = [name for _variable, shown, _initializes in lists for name in shown]
        for name in candidates[:1] if primary_only else candidates:
            person = _person_key(name, particle_in_family)
            if person is not None:
                given = str(name.parts()[0])
                persons[person].setdefault(_same_person(given), given)
    # the initials of each given name, and of the persons sharing a family name with
    # each person, are worked out once (a common family name is shared by hundreds)
    initials_cache: dict[str, str] = {}
    counted: dict[str, Counter[str]] = {}  # family -> how many persons have each initials
    others_cache: dict[tuple[str, str], set[str] | None] = {}

    def initials_of(given: str) -> str:
        found = initials_cache.get(given)
        if found is None:
            found = initials_cache[given] = initials(given, ".")
        return found

    def others_initials(person: str, identity: str) -> set[str] | None:
        """The initials of the other persons filed under ``person``; None if none."""
        if (person, identity) in others_cache:
            return others_cache[(person, identity)]
        same = persons[person]
        found: set[str] | None
        if len(same) < 2:
            found = None
        else:
            counts = counted.get(person)
            if counts is None:
                counts = counted[person] = Counter(map(initials_of, same.values()))
            own = initials_of(same[identity])
            found = {mark for mark, n in counts.items() if n - (mark == own) > 0}
        others_cache[(person, identity)] = found
        return found

    for key, lists in captured.items():
        first = True
        for variable, shown, initializes in lists:
            levels = []
            for name in shown:
                person = _person_key(name, particle_in_family)
                level = 0
                if person is not None and (first or not primary_only):
                    given = str(name.parts()[0])
                    identity = _same_person(given)
                    initials_of_others = others_initials(person, identity)
                    if initials_of_others is not None:
                        mine = initials_of(given)
                        shared = mine in initials_of_others
                        if not shared or not initializes:
                            level = 1  # initials, or the long form's full given name
                        elif top >= 2:
                            level = 2
                        elif len(initials_of_others) > 1 or mine not in initials_of_others:
                            level = 1  # initials still tell it from some of the others
                        else:  # initials every other one shares tell nobody apart
                            level = 0
                first = False
                levels.append(level)
            if any(levels):
                _set_levels(key, variable, levels)


def _expanded(element: NameElement, name: NameValue, level: int, form: str,
              mark: str | None, context: Element | None) -> NameValue:
    """``name`` as the long form of ``element`` must get it to show it at ``level``."""
    if "literal" in name:
        return name
    given, family, dropping, non_dropping, suffix = name.parts()
    expanded: NameValue
    if level == 0 and form == "short":
        expanded = NameData(**{k: v for k, v in (("family", family),
                                                 ("non-dropping-particle", non_dropping)) if v})
        return expanded
    if given and mark is not None and level < 2:
        given = element.initialize(given, mark, context)
    parts = (("given", given), ("family", family), ("dropping-particle", dropping),
             ("non-dropping-particle", non_dropping), ("suffix", suffix))
    expanded = NameData(**{k: v for k, v in parts if v})
    return expanded


@replace_direct(Name, "process")
def name_levels(original: Callable[..., Rendered]) -> Callable[..., Rendered]:
    """Global given-name disambiguation: record the names a cite shows, and render each
    name at its own level. In the bibliography, a name its cite needed in full is full
    there too (as citeproc-js prints "Smith, John (1990)" beside "Smith, Jane (1990)" in
    Cite Them Right, whose list otherwise gives initials)."""

    def process(self: NameElement, item: Cite, variable: str, context: Element | None = None,
                sort_options: Mapping[str, object] | None = None) -> Rendered:
        state = current()
        decided = state.disambiguation
        if sort_options or decided.expanding or state.sorting:
            return original(self, item, variable, context, sort_options)
        levels: list[int] | None
        if state.in_citation:
            capture = decided.capture
            if capture is not None:
                options = name_options(self, context)  # (no sort options here)
                capture.append((variable, shown_with(options, _names(item.reference.get(
                    variable))), options.initialize_with is not None))
            levels = decided.name_levels.get((item.key, variable))
        elif decided.givenname.get(item.key, 0) >= 2:
            levels = [2] * len(_names(item.reference.get(variable)))
        else:
            levels = decided.name_levels.get((item.key, variable))
            if levels is not None and 2 not in levels:
                levels = None
        if not levels:
            return original(self, item, variable, context, sort_options)
        form = str(self.get_option("form", context))
        if form == "count":
            return original(self, item, variable, context, sort_options)
        mark = self.get_option("initialize-with", context)
        # set without the reference's own __setitem__, as the source left the names
        reference = cast("dict[str, object]", item.reference)
        held = reference[variable]
        expanded = [_expanded(self, name, levels[i] if i < len(levels) else 0, form, mark, context)
                    for i, name in enumerate(_names(held))]
        dict.__setitem__(reference, variable, expanded)
        decided.expanding = True
        try:
            return original(self, item, variable, context, sort_options)
        finally:
            decided.expanding = False
            dict.__setitem__(reference, variable, held)

    return process


_USE_FIRST = frozenset({"et-al-use-first", "et-al-subsequent-use-first"})
_ET_AL_MIN = frozenset({"et-al-min", "et-al-subsequent-min"})


@replace_direct(Name, "get_option")
def name_option(original: Callable[..., Any]) -> Callable[..., Any]:
    def get_option(self: NameElement, name: str, context: Element | None = None,
                   sort_options: Mapping[str, object] | None = None) -> Any:
        # citeproc-py's option value: an int for the et-al counts, a str, a bool or None
        value = original(self, name, context, sort_options)
        if sort_options:
            return value
        state = current()
        decided = state.disambiguation
        if decided.expanding:  # names pre-expanded by name_levels
            if name == "form":
                return "long"
            if name == "initialize-with":
                return None
        key = state.item_key
        if not state.in_citation or key is None:
            return value
        raised = decided.names.get(key)
        if raised is not None:
            if name in _USE_FIRST:
                return max(int(value), raised)
            if name in _ET_AL_MIN and value:
                # names added up to the whole list leave nothing for "et al." to stand for
                return max(int(value), raised + 1)
        level = decided.givenname.get(key)
        if level:
            if name == "form":
                return "long"
            if name == "initialize-with" and level >= 2:
                return None
        return value

    return get_option


@replace_direct(If, "render")
def if_render(original: Callable[..., Rendered]) -> Callable[..., Rendered]:
    """cs:if/cs:else-if with the ``disambiguate`` test counted among the others, so that
    ``match`` ("all", "any", "none") applies to it as to every test."""
    from citeproc.model import ConditionFailed

    # self: citeproc-py's If, whose tests (_type, _variable, ...) types.py does not describe
    def render(self: Any, item: Cite, context: Element | None = None, delimiter: str = "",
               **kwargs: object) -> Rendered:
        if "disambiguate" not in self.attrib:
            return original(self, item, context=context, delimiter=delimiter, **kwargs)
        state = current()
        disambiguated = state.in_citation and item.key in state.disambiguation.condition
        results = [disambiguated == (self.get("disambiguate") == "true")]
        if "type" in self.attrib:
            results += self._type(item)
        if "variable" in self.attrib:
            results += self._variable(item)
        if "is-numeric" in self.attrib:
            results += self._is_numeric(item)
        if "is-uncertain-date" in self.attrib:
            results += self._is_uncertain_date(item)
        if "locator" in self.attrib:
            results += self._locator(item)
        if "position" in self.attrib:
            results += self._position(item, context)
        if not matches(results, self.get("match")):
            raise ConditionFailed
        rendered: Rendered = self.render_children(item, context=context, delimiter=delimiter,
                                                  **kwargs)
        return rendered

    return render


@replace_direct(Date, "process")
def year_suffix_after_date(original: Callable[..., Rendered]) -> Callable[..., Rendered]:
    """The implicit year-suffix goes with the first date the cite renders, right after its
    year date-part and dressed like it ("(1986a)"; a year part with affixes "[1986]" gives
    "[1986][a]", as citeproc-js prints it); a date that renders no year part (a literal
    date) gets it at its end."""

    def process(self: DateElement, item: Cite, variable: str | None = None,
                show_parts: Sequence[str] | None = None, context: Element | None = None,
                **kwargs: object) -> Rendered:
        state = current()
        if (state.sorting or state.disambiguation.explicit_year_suffix
                or state.year_suffix_done or self.is_locale_date()):
            return original(self, item, variable, show_parts, context, **kwargs)
        suffix = item.reference.get("year_suffix")
        if not suffix:
            return original(self, item, variable, show_parts, context, **kwargs)
        state.year_suffix_pending = suffix
        try:
            text = original(self, item, variable, show_parts, context, **kwargs)
        finally:
            pending, state.year_suffix_pending = state.year_suffix_pending, None
        if text is None:
            return None
        state.year_suffix_done = True
        return text + suffix if pending else text

    return process


@replace_direct(Date_Part, "render")
def year_suffix_on_year(original: Callable[[DatePartElement, DateValue, Element | None],
                                           Rendered]
                        ) -> Callable[[DatePartElement, DateValue, Element | None], Rendered]:
    def render(self: DatePartElement, date: DateValue, context: Element | None = None
               ) -> Rendered:
        text = original(self, date, context)
        state = current()
        suffix = state.year_suffix_pending
        if text is not None and suffix and self.get("name") == "year":
            marked = self.markup(suffix)
            if marked is not None:  # a suffix is never empty
                state.year_suffix_pending = None
                return text + marked
        return text

    return render
