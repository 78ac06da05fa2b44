"""cs:choose: the branch an item takes, tested here rather than by each branch.

Not a CSL rule but the engine's speed: citeproc-py enters each branch of a cs:choose and
unwinds by an exception when its test fails (a Chicago entry goes through about 150 failing
branches). Here the tests of ``type`` are decided once per cs:choose and item type, the
``variable`` tests are looked up in the item, and the branch taken renders its children
directly.
"""

from __future__ import annotations

from typing import Any

from citeproc.model import Choose, ConditionFailed, If

from exilebib.engine.rules.caches import ElementMemo, _precheck
from exilebib.engine.rules.reach import render_children_skipping
from exilebib.engine.rules.render_state import current
from exilebib.engine.rules.targets import replace_direct

#: how a cs:choose tests a branch for items of one type (see choose_render)
_TAKE, _ANY, _ALL, _NONE, _ASK = range(5)
ChoosePlan = tuple[tuple[Any, int, tuple[str, ...]], ...]
_CHOOSE_PLANS: ElementMemo[dict[str | None, ChoosePlan]] = ElementMemo("choose-plan")


def _choose_plan(choose: Any, kind: str | None) -> ChoosePlan:
    """The branches of ``choose`` an item of type ``kind`` may take, each with the test
    left once its ``type`` test is decided: none (taken when reached), any/all/none of
    the variables present, or asking the branch itself (tests other than type and
    variable). Ends at the first branch taken whenever it is reached."""
    plan: list[tuple[Any, int, tuple[str, ...]]] = []
    for child in choose.iterchildren():
        check = _precheck(child)
        if check is None:
            if not isinstance(child, If):  # cs:else
                plan.append((child, _TAKE, ()))
                break
            plan.append((child, _ASK, ()))
            continue
        types, variables, match, typeset, single = check
        typed = bool(types) and kind in typeset
        if match == "any":
            if typed:
                plan.append((child, _TAKE, ()))
                break
            if variables:
                plan.append((child, _ANY, variables))
        elif match == "none":
            if typed:
                continue
            if not variables:
                plan.append((child, _TAKE, ()))
                break
            plan.append((child, _NONE, variables))
        else:
            if types and single != kind:
                continue
            if not variables:
                plan.append((child, _TAKE, ()))
                break
            plan.append((child, _ALL, variables))
    return tuple(plan)


@replace_direct(Choose, "render")
def choose_render(original: Any) -> Any:
    """cs:choose: the branches are tested here, from a plan per item type in which the
    ``type`` tests are already decided (:func:`_choose_plan`); citeproc-py enters each
    branch and unwinds by an exception (a Chicago entry goes through about 150 failing
    branches). The tests are those of ``caches``'s ``If._type`` and ``If._variable``,
    with cs:if's ``match`` (the element order test pins that no other rule overrides
    them). A branch whose tests are all here renders its children directly, as
    ``If.render`` and ``Else.render`` do once their tests pass (the order test pins that
    ``If.render`` has only the rule that adds ``disambiguate``, which such a branch
    lacks); any other branch renders as before. While neither a display layout collects
    its parts nor a cs:substitute looks for its first candidate, the branch taken renders
    as ``Parent.render_children`` renders it, without the frames of the two rules that
    wait for those (the order test pins them as the only rules there)."""
    plans = _CHOOSE_PLANS

    def render(self: Any, item: Any, context: Any = None, delimiter: str = "",
               **kwargs: Any) -> Any:
        state = current()
        reference = item.reference
        kind = dict.get(reference, "type")
        memo = self.__dict__
        by_kind = memo.get(plans.slot)
        if by_kind is None:
            by_kind = memo[plans.slot] = {}
        plan = by_kind.get(kind)
        if plan is None:
            plan = by_kind[kind] = _choose_plan(self, kind)
        for child, test, variables in plan:
            if test == _ASK:
                try:
                    return child.render(item, context=context, delimiter=delimiter, **kwargs)
                except ConditionFailed:
                    continue
            if test != _TAKE:
                if test == _ALL:
                    passed = True
                    for name in variables:
                        if not (("locator" in item) if name == "locator" else name in reference):
                            passed = False
                            break
                else:
                    hit = False
                    for name in variables:
                        if ("locator" in item) if name == "locator" else name in reference:
                            hit = True
                            break
                    passed = hit if test == _ANY else not hit
                if not passed:
                    continue
            if state.display_parts is None and not state.substitute_first:
                # display's and substitute's rules on a branch's render_children (the only
                # ones, the order test pins them) act only while these are set: without
                # them the branch renders as Parent.render_children renders it
                return render_children_skipping(child, item, delimiter, context=context,
                                                **kwargs)
            return child.render_children(item, context=context, delimiter=delimiter,
                                         **kwargs)
        return None

    return render
