"""CSL 1.0.2 ``subsequent-author-substitute`` and ``subsequent-author-substitute-rule``.

Spec (Bibliography-specific options, Reference Grouping): "subsequent-author-substitute: If
set, the value of this attribute replaces names in a bibliographic entry that also occur in
the preceding entry. The exact method of substitution depends on the value of the
subsequent-author-substitute-rule attribute. Substitution is limited to the first cs:names
element rendered." The rules: "complete-all" (default) - "when all rendered names of the
name variable match those in the preceding bibliographic entry, the value of
subsequent-author-substitute replaces the entire name list (including punctuation and terms
like "et al" and "and"), except for the affixes set on the cs:names element";
"complete-each" - "requires a complete match like complete-all, but now the value of
subsequent-author-substitute substitutes for each rendered name"; "partial-each" - "when one
or more rendered names in the name variable match those in the preceding bibliographic
entry, the value of subsequent-author-substitute substitutes for each matching name.
Matching starts with the first name, and continues up to the first mismatch";
"partial-first" - "as partial-each, but substitution is limited to the first name of the
name variable".

citeproc-py ignores the option. Here, as in citeproc-js, the names compared are the
entry's first rendered cs:names (a substitute included): the names it shows (after et-al
truncation), by their parts, or the text of a substituting cs:text. A match renders the
cs:names again with the substitute string in place of the names (complete-all keeps the
label, complete-each and the partial rules keep delimiters and "and"), so the cs:names
element's affixes and formatting stay. An entry without names leaves the comparison to the
next entry. The preceding entry is the preceding one of the same list: :class:`Engine`
starts a fresh comparison for each bibliography and, when told the sections of a grouped
bibliography, for each section.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import cast

from citeproc.model import Name, Names

from exilebib.engine.markup import strip_markers
from exilebib.engine.rules.item_data import Name as NameData
from exilebib.engine.rules.name_list import NameOptions, name_options
from exilebib.engine.rules.render_state import AuthorSubstitution, RenderState, current
from exilebib.engine.rules.targets import replace_direct
from exilebib.engine.types import Cite, Element, NameElement, NameValue, Rendered, StyleFile

RULES = ("complete-all", "complete-each", "partial-each", "partial-first")
DEFAULT_RULE = "complete-all"

def start(style: StyleFile) -> None:
    """Before the entries of one bibliography, rendered in order (by the current render):
    no entry precedes the first one (of each section)."""
    state = current().author_substitution = AuthorSubstitution()
    bibliography = style.root.bibliography
    if bibliography is None:  # no bibliography: no entries to compare
        return
    substitute = bibliography.get("subsequent-author-substitute")
    rule = bibliography.get("subsequent-author-substitute-rule", DEFAULT_RULE)
    if substitute is not None:
        state.active = (substitute, rule if rule in RULES else DEFAULT_RULE)


def enter_section(section: object) -> None:
    """The next entries belong to ``section`` (entries compare within their section)."""
    current().author_substitution.section = section


def shown_names(name: NameElement, names: list[NameValue], context: Element | None,
                sort_options: Mapping[str, object] | None) -> list[NameValue]:
    """The names a cs:name shows of ``names`` (citeproc-py's et-al truncation)."""
    return shown_with(name_options(name, context, sort_options), names)


def shown_with(options: NameOptions, names: list[NameValue]) -> list[NameValue]:
    """:func:`shown_names` for the cs:name's options already resolved."""
    et_al_min = options.et_al_min
    if len(names) > 1 and et_al_min and len(names) >= et_al_min:
        use_first = options.use_first
        if options.use_last and use_first <= et_al_min - 2:
            return [*names[:use_first], names[-1]]
        return names[:use_first]
    return list(names)


def _key(name: NameValue) -> str:
    return "".join(str(part) for part in name.parts() if part)


@replace_direct(Name, "process")
def name_process(original: Callable[..., Rendered]) -> Callable[..., Rendered]:
    # a direct rule: every name list goes through it, and few while it captures or replaces
    def process(self: NameElement, item: Cite, variable: str, context: Element | None = None,
                sort_options: Mapping[str, object] | None = None) -> Rendered:
        state = current().author_substitution
        if state.capture is None and state.replace is None:
            return original(self, item, variable, context, sort_options)
        return _captured(original, state, self, item, variable, context, sort_options)

    return process


def _captured(original: Callable[..., Rendered], state: AuthorSubstitution,
              self: NameElement, item: Cite, variable: str, context: Element | None,
              sort_options: Mapping[str, object] | None) -> Rendered:
    """A name list of the entry's first cs:names: its names shown noted (comparing), or
    the substitute in their place (rendering again)."""
    capture = state.capture
    if capture is not None:
        # a name variable holds a list of names
        names = cast("list[NameValue]", item.reference.get(variable, []))
        capture.append((variable, shown_names(self, names, context, sort_options)))
    replacement = state.replace
    if replacement is None or variable not in replacement:
        return original(self, item, variable, context, sort_options)
    instead = replacement[variable]
    if isinstance(instead, str):  # complete-all: the whole list
        return self.preformat(instead)
    reference = cast("dict[str, object]", item.reference)  # a Reference is a dict
    listed = reference[variable]
    dict.__setitem__(reference, variable, instead)
    try:
        return original(self, item, variable, context, sort_options)
    finally:
        dict.__setitem__(reference, variable, listed)


def _replacements(captured: list[tuple[str, list[NameValue]]], previous: tuple[str, ...],
                  substitute: str, rule: str) -> dict[str, str | list[NameValue]] | None:
    """What each name list shows instead (None: no substitution)."""
    keys = [_key(name) for _, shown in captured for name in shown]
    if rule in ("complete-all", "complete-each"):
        if tuple(keys) != previous:
            return None
        if rule == "complete-all":
            return {variable: substitute for variable, _ in captured}
        return {variable: [NameData(literal=substitute)] * len(shown)
                for variable, shown in captured}
    matched = 0
    while matched < len(keys) and matched < len(previous) and keys[matched] == previous[matched]:
        matched += 1
    if rule == "partial-first":
        matched = min(matched, 1)
    if not matched:
        return None
    out: dict[str, str | list[NameValue]] = {}
    position = 0
    for variable, shown in captured:
        names = list(shown)
        for index in range(len(names)):
            if position < matched:
                names[index] = NameData(literal=substitute)
            position += 1
        out[variable] = names
    return out


@replace_direct(Names, "process")
def names_process(original: Callable[..., Rendered]) -> Callable[..., Rendered]:
    # a direct rule: every cs:names goes through it, and few are an entry's first
    def process(self: Element, item: Cite, *args: object, **kwargs: object) -> Rendered:
        render = current()
        state = render.author_substitution
        # substitute.py (later in elements.RULE_ORDER) wraps this rule: it has counted
        # this cs:names in names_depth, and counts it in names_rendered once it returns
        if (state.active is None or render.names_rendered or render.names_depth != 1
                or render.sorting or render.in_citation or state.capture is not None
                or state.replace is not None):
            return original(self, item, *args, **kwargs)
        return _first_names(original, render, state.active, self, item, args, kwargs)

    return process


def _first_names(original: Callable[..., Rendered], render: RenderState,
                 active: tuple[str, str], self: Element, item: Cite,
                 args: tuple[object, ...], kwargs: dict[str, object]) -> Rendered:
    """The entry's first cs:names, compared with the preceding entry's and rendered again
    with the substitute where they match."""
    state = render.author_substitution
    substitute, rule = active
    suppressed = set(render.suppressed)
    captured: list[tuple[str, list[NameValue]]] = []
    state.capture = captured
    try:
        text = original(self, item, *args, **kwargs)
    finally:
        state.capture = None
    if not text:
        return text
    section = state.section
    previous = state.previous.get(section)
    if captured:
        key: tuple[str, ...] = tuple(_key(name) for _, shown in captured for name in shown)
    else:  # a cs:text substituted for the names
        key = ("", strip_markers(str(text)))
    if not key:
        return text
    state.previous[section] = key
    if previous is None:
        return text
    if not captured:
        return self.preformat(substitute) if key == previous else text
    replacement = _replacements(captured, previous, substitute, rule)
    if replacement is None:
        return text
    # render again with the substitute in place of the names, from the same state
    render.suppressed = suppressed
    state.replace = replacement
    try:
        return original(self, item, *args, **kwargs)
    finally:
        state.replace = None
