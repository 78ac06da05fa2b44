"""Which parts of a style can print anything for an item: subtrees that cannot are skipped.

Not a CSL rule but the engine's speed. A Chicago entry walks about 65 rendering elements,
most of which print nothing because the variables they read are absent from the item; each
walk costs a dozen Python frames. What an element may read is fixed by the style, so it is
worked out per element, item type and set of present variables among those its cs:choose
elements test (:func:`reach`, remembered on the element like the lookups of :mod:`.caches`):
with the type and those variables known, every cs:if that tests only ``type`` and
``variable`` is decided, as ``choose.choose_render`` decides it. A parent skips a child when
the analysis proves it prints nothing and none of the keys it may print is present.

"Prints nothing" must be exact, which CSL's group suppression (:mod:`.group_suppression`)
makes subtle. A child that prints nothing still tells its enclosing cs:group (or the implicit
group of a macro) whether it *called* a variable, and that decides whether the group's terms
print; so each element also carries its effect on that flag when it prints nothing: always
set (a cs:text variable, cs:number, cs:date, cs:names), never set (terms), or "it depends on
the branch a cs:choose takes". A skipped child sets the flag where it always would; one whose
effect depends on the branch is skipped only where the flag is already set (or no group is
open, so nothing reads it). A cs:group or macro prints nothing when none of its rendering
elements can print (all variables absent, no terms), or when it surely calls a variable,
none of its variables is present and none of its nested groups can show: then it is
suppressed whatever terms and labels it holds.

Never skipped: anything that reads a variable the processor makes (citation-number,
year-suffix, first-reference-note-number, citation-label; a cs:if testing one stays
undecided), and, while a citation watches for its leading term (:mod:`.citation_layout`
records the first term rendered, even inside a group that ends suppressed), anything holding
a cs:text term. cs:label prints its term even for an absent variable, so it counts as a term.
The locator is the cite's own key among the present ones.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from citeproc.model import (
    Choose,
    Date,
    Else,
    Group,
    If,
    Label,
    Names,
    Number,
    Parent,
    Substitute,
    Text,
)
from citeproc.source import VariableError

from exilebib.engine.rules.caches import ElementMemo, _precheck
from exilebib.engine.rules.punctuation_seams import join
from exilebib.engine.rules.render_state import current
from exilebib.engine.rules.targets import replace_direct
from exilebib.engine.types import ItemFacts

#: effects on the enclosing group's "a variable was called" flag of an element printing
#: nothing
NEVER, ALWAYS, DEPENDS = 0, 1, 2

#: variables the processor makes (or writes into the item as it renders): never skipped,
#: never decided on
_SPECIAL = frozenset({
    "citation-number", "year-suffix", "first-reference-note-number", "citation-label",
})
#: analyses kept per element (one per item type and tested variables present); an element
#: whose items vary more than this is rendered without asking
_MAX_ANALYSES = 256


class Reach(NamedTuple):
    """What the analysis knows of one rendering element, for one item type and one set of
    present variables among those its cs:choose elements test.

    ``keys``: the reference keys whose presence may let it print (None: never skip it);
    ``silent``: it prints nothing when none of them is present; ``effect``: its effect on
    the enclosing group's flag then; ``loose``: it may print without a variable (a term, a
    label), which its group's suppression discards; ``term``: a cs:text term is inside.
    """

    keys: frozenset[str] | None
    silent: bool
    effect: int
    loose: bool
    term: bool


_UNKNOWN = Reach(None, False, DEPENDS, False, True)
_REACH: ElementMemo[Reach] = ElementMemo("reach")
_TESTED: ElementMemo[frozenset[str]] = ElementMemo("reach-tested")
#: per parent: (child, is a cs:choose, the variables the child's cs:choose elements test)
Plan = tuple[tuple[Any, bool, frozenset[str]], ...]
_PLANS: ElementMemo[Plan] = ElementMemo("reach-plan")
_FACTS = "exilebib:reach-facts"
_SHARED_KEYS = "exilebib:reach-keys"
#: how an element is analysed: the item type, and which of the variables tested inside it
#: are present
Mode = tuple[str | None, frozenset[str]]


def _keys(variable: str) -> set[str]:
    """The keys a variable is read from (its short form too: form="short")."""
    keys = {variable, variable.replace("-", "_"), f"{variable}-short",
            f"{variable}_short".replace("-", "_")}
    if variable.startswith("page"):  # citeproc-py reads page-first from page
        keys.add("page")
    return keys


def _decidable(variables: tuple[str, ...]) -> bool:
    return not any(v.replace("_", "-") in _SPECIAL for v in variables)


def _tested(element: Any, visiting: set[int]) -> frozenset[str]:
    """The variables (as the item's keys) that cs:if elements inside ``element``, or in
    the macros it calls, test with the plain tests of ``choose.choose_render``."""
    found = _TESTED.get(element)
    if found is not None:
        return found
    if id(element) in visiting:
        return frozenset()
    visiting.add(id(element))
    tested: set[str] = set()
    if isinstance(element, If):
        check = _precheck(element)
        if check is not None and _decidable(check[1]):
            tested.update(check[1])
    elif isinstance(element, Text) and "macro" in element.attrib:
        macro = element.get_macro(element.attrib["macro"])
        if macro is not None:
            tested |= _tested(macro, visiting)
    for child in element.iterchildren():
        tested |= _tested(child, visiting)
    visiting.discard(id(element))
    found = _TESTED[element] = frozenset(tested)
    return found


def _sequence(effects: list[int]) -> int:
    """The effect of elements that all render, one after the other."""
    if ALWAYS in effects:
        return ALWAYS
    return NEVER if all(e == NEVER for e in effects) else DEPENDS


def _alternatives(effects: list[int]) -> int:
    """The effect of one of several branches."""
    if all(e == ALWAYS for e in effects):
        return ALWAYS
    return NEVER if all(e == NEVER for e in effects) else DEPENDS


def _branches(choose: Any, mode: Mode) -> tuple[list[Any], bool]:
    """The branches of a cs:choose an item may take (the tests of
    ``choose.choose_render``, decided by the mode's type and present variables; other
    tests left open), and whether it surely takes one of them."""
    kind, present = mode
    out = []
    for branch in choose.iterchildren():
        check = _precheck(branch)
        if check is None:  # cs:else, or tests other than type and variable
            out.append(branch)
            if isinstance(branch, Else):
                return out, True
            continue
        types, variables, match, typeset, single = check
        if not _decidable(variables):
            out.append(branch)
            continue
        typed = bool(types) and kind in typeset
        if match == "any":
            passes = typed or any(v in present for v in variables)
        elif match == "none":
            passes = not typed and not any(v in present for v in variables)
        else:
            passes = ((not types or (single is not None and single == kind))
                      and all(v in present for v in variables))
        if passes:
            out.append(branch)
            return out, True
    return out, False


class _Content(NamedTuple):
    """What a list of rendering elements in one group frame (through cs:choose) may do."""

    keys: frozenset[str] | None
    quiet: bool  # every element that is no term or label prints nothing
    effect: int
    loose: bool
    term: bool


_OPAQUE = _Content(None, False, DEPENDS, True, True)


def _content(children: list[Any], mode: Mode, visiting: set[int]) -> _Content:
    keys: set[str] = set()
    quiet, loose, term = True, False, False
    effects: list[int] = []
    for child in children:
        if isinstance(child, Choose):
            taken, sure = _branches(child, mode)
            branches = [_content(list(branch.iterchildren()), mode, visiting)
                        for branch in taken]
            if any(b.keys is None for b in branches):
                return _OPAQUE
            for b in branches:
                keys |= b.keys or frozenset()
            quiet = quiet and all(b.quiet for b in branches)
            loose = loose or any(b.loose for b in branches)
            term = term or any(b.term for b in branches)
            alternatives = [b.effect for b in branches]
            if not sure:
                alternatives.append(NEVER)  # no branch taken
            effects.append(_alternatives(alternatives))
            continue
        found = _reach(child, mode, visiting)
        if found.keys is None:
            return _OPAQUE
        keys |= found.keys
        term = term or found.term
        if found.loose:
            loose = True
        elif not found.silent:
            quiet = False
        effects.append(found.effect if found.silent or found.loose else DEPENDS)
    return _Content(frozenset(keys), quiet, _sequence(effects), loose, term)


def _frame(children: list[Any], mode: Mode, visiting: set[int]) -> Reach:
    """A cs:group, or a macro called by cs:text (an implicit group)."""
    content = _content(children, mode, visiting)
    if content.keys is None:
        return _UNKNOWN
    # nothing but terms could print, and they go with the group when it surely called a
    # variable and printed none
    silent = content.quiet and (not content.loose or content.effect == ALWAYS)
    return Reach(content.keys, silent, content.effect, False, content.term)


def _reach(element: Any, mode: Mode, visiting: set[int]) -> Reach:
    kind, present = mode
    mode = (kind, present & _tested(element, set()))
    found = _REACH.get((element, *mode))
    if found is not None:
        return found
    if id(element) in visiting:  # a macro calling itself: leave it to the renderer
        return _UNKNOWN
    visiting.add(id(element))
    try:
        found = _analyse(element, mode, visiting)
    finally:
        visiting.discard(id(element))
    # the same sets of keys recur across an element's analyses and the style's macros:
    # one copy each, kept by the style (a Chicago style holds thousands of analyses)
    memo = element.get_root().__dict__
    shared = memo.get(_SHARED_KEYS)
    if shared is None:
        shared = memo[_SHARED_KEYS] = {}
    if found.keys:
        found = found._replace(keys=shared.setdefault(found.keys, found.keys))
    _REACH[(element, kind, shared.setdefault(mode[1], mode[1]))] = found
    return found


def _analyse(element: Any, mode: Mode, visiting: set[int]) -> Reach:
    attrib = element.attrib
    if isinstance(element, Text):
        if "variable" in attrib:
            variable = attrib["variable"]
            if variable in _SPECIAL:
                return _UNKNOWN
            return Reach(frozenset(_keys(variable)), True, ALWAYS, False, False)
        if "macro" in attrib:
            macro = element.get_macro(attrib["macro"])
            if macro is None:
                return _UNKNOWN
            return _frame(list(macro.iterchildren()), mode, visiting)
        if "term" in attrib:
            return Reach(frozenset(), False, NEVER, True, True)
        if "value" in attrib:
            return Reach(frozenset(), False, NEVER, True, False)
        return _UNKNOWN
    if isinstance(element, (Number, Date)):
        variable = attrib.get("variable")
        if not variable or variable in _SPECIAL:
            return _UNKNOWN
        return Reach(frozenset(_keys(variable)), True, ALWAYS, False, False)
    if isinstance(element, Names):
        roles = attrib.get("variable", "").split()
        if not roles or _SPECIAL.intersection(roles):
            return _UNKNOWN
        keys = {key for role in roles for key in _keys(role)}
        silent, term = True, False
        for child in element.iterchildren():
            if isinstance(child, Substitute):
                content = _content(list(child.iterchildren()), mode, visiting)
                if content.keys is None:
                    return _UNKNOWN
                keys |= content.keys
                # the first child that prints anything is the names' output
                silent = content.quiet and not content.loose
                term = content.term
        return Reach(frozenset(keys), silent, ALWAYS, False, term)
    if isinstance(element, Label):
        return Reach(frozenset(), False, NEVER, True, False)
    if isinstance(element, Group):
        return _frame(list(element.iterchildren()), mode, visiting)
    if isinstance(element, Choose):
        content = _content([element], mode, visiting)
        if content.keys is None:
            return _UNKNOWN
        return Reach(content.keys, content.quiet and not content.loose, content.effect,
                     False, content.term)
    return _UNKNOWN


def reach(element: Any, kind: str | None, present: frozenset[str]) -> Reach:
    """What ``element`` may print for an item of type ``kind`` whose reference (and cite)
    has the keys ``present`` (worked out once per element, type and present variables
    among those tested inside; :data:`_MAX_ANALYSES` at most per element)."""
    tested = _tested(element, set())
    answers = element.__dict__.get(_REACH.slot)
    if answers is not None:
        known: Reach | None = answers.get((kind, present & tested))
        if known is not None:
            return known
        if len(answers) >= _MAX_ANALYSES:
            return _UNKNOWN
    return _reach(element, (kind, present), set())


def plan(parent: Any) -> Plan:
    """``parent``'s children, each with whether it is a cs:choose and the variables its
    cs:choose elements test."""
    found = _PLANS.get(parent)
    if found is None:
        found = _PLANS[parent] = tuple(
            (child, isinstance(child, Choose), _tested(child, set()))
            for child in parent.iterchildren())
    return found


def facts(item: Any) -> ItemFacts:
    """The item's type and the keys present for a cite (its reference's and its locator),
    remembered on the cite, and on the reference for its cites without a locator. A render
    adds or removes no key but the year-suffix's, which no analysis decides on or counts
    among its keys (:data:`_SPECIAL`). The pair is one object per distinct pair, kept by
    the style (``RenderState.item_facts``, at most :data:`_MAX_FACTS` pairs): the memos
    keyed by it (:func:`steps`) find it by identity, without building a key or comparing
    one (a pair past the limit is compared by value, as any key)."""
    found: ItemFacts | None = item.__dict__.get(_FACTS)
    if found is None:
        reference = item.reference
        if "locator" in item:
            found = _interned((reference.get("type"), frozenset((*reference, "locator"))))
        else:  # the reference's own, worked out once for all its cites
            found = reference.__dict__.get(_FACTS)
            if found is None:
                found = reference.__dict__[_FACTS] = _interned(
                    (reference.get("type"), frozenset(reference)))
        item.__dict__[_FACTS] = found
    return found


#: distinct (type, present keys) pairs a style keeps (a long-lived engine meets many)
_MAX_FACTS = 4096


def _interned(pair: ItemFacts) -> ItemFacts:
    table = current().item_facts
    found = table.get(pair)
    if found is None:
        if len(table) >= _MAX_FACTS:
            return pair
        found = table[pair] = pair
    return found


def skippable(child: Any, tested: frozenset[str], kind: str | None,
              present: frozenset[str]) -> Reach | None:
    """The analysis of ``child`` for the item if it proves the child prints nothing,
    else None."""
    answers = child.__dict__.get(_REACH.slot)
    found = answers.get((kind, present & tested)) if answers is not None else None
    if found is None:
        found = reach(child, kind, present)
    keys = found.keys
    if keys is not None and found.silent and keys.isdisjoint(present):
        return found
    return None


#: per parent and item: (child, is a cs:choose, the child's analysis if it proves the
#: child prints nothing, else None)
Steps = tuple[tuple[Any, bool, Reach | None], ...]
_STEPS: ElementMemo[Steps] = ElementMemo("reach-steps")
#: where a parent keeps its steps and a cite its facts, for the render loops that read them
#: without a call (:func:`steps` and :func:`facts` fill them)
STEPS_SLOT = _STEPS.slot
FACTS_SLOT = _FACTS


def steps(parent: Any, item_facts: ItemFacts) -> Steps:
    """``parent``'s children with what :func:`skippable` says of each for an item of the
    type and with the keys present of ``item_facts``, worked out once per parent and such
    pair (items of one type mostly share their fields: 5,000 generated items have 191
    such sets) instead of once per child and item; :data:`_MAX_ANALYSES` pairs at most.
    Kept under the pair itself (see :func:`facts`)."""
    memo = parent.__dict__
    answers: dict[ItemFacts, Steps] | None = memo.get(_STEPS.slot)
    found = answers.get(item_facts) if answers is not None else None
    if found is None:
        kind, present = item_facts
        found = tuple((child, is_choose, skippable(child, tested, kind, present))
                      for child, is_choose, tested in plan(parent))
        if answers is None:
            answers = memo[_STEPS.slot] = {}
        if len(answers) < _MAX_ANALYSES:
            answers[item_facts] = found
    return found


def render_children_skipping(self: Any, item: Any, delimiter: str = "", **kwargs: Any) -> Any:
    """The children rendered in order, skipping those the analysis shows print nothing
    for the item (with their effect on the enclosing group)."""
    output = []
    found = item.__dict__.get(_FACTS)
    if found is None:
        found = facts(item)
    answers = self.__dict__.get(STEPS_SLOT)
    todo = answers.get(found) if answers is not None else None
    if todo is None:
        todo = steps(self, found)
    state = None
    for child, is_choose, info in todo:
        if info is not None:
            if state is None:
                state = current()
            if not (info.term and state.capitals.watch):
                frames = state.groups
                effect = info.effect
                if effect == ALWAYS:
                    if frames:
                        frames[-1][0] = True
                    continue
                if effect == NEVER or not frames or frames[-1][0]:
                    continue
        try:
            if is_choose:
                text = child.render(item, delimiter=delimiter, **kwargs)
            else:
                text = child.render(item, **kwargs)
            if text is not None:
                output.append(text)
        except VariableError:
            pass
    if output:
        # (join gives a single item back as it is)
        return output[0] if len(output) == 1 else join(output, delimiter)
    return None


@replace_direct(Parent, "render_children")
def render_children(original: Any) -> Any:
    """:func:`render_children_skipping` for every parent element."""
    return render_children_skipping
