"""CSL 1.0.2 ``cs:group`` suppression, decided by the variables the group actually called.

Spec (Rendering Elements, Group): "cs:group implicitly acts as a conditional: cs:group and
its child elements are suppressed if a) at least one rendering element in cs:group calls a
variable (either directly or via a macro), and b) all variables that are called are empty."
cs:choose is transparent: only the branch that is taken calls anything.

citeproc-py decides statically: a child that rendered anything counts as a rendered variable
when *any* of its branches or macro children could call one, so a cs:choose whose taken
branch prints the term "testimony of" next to an empty author keeps the group alive.
Here the variables are counted while rendering: every cs:text (variable), cs:number, cs:date
and cs:names reports to the innermost open group whether it was called and whether it
printed something; a nested group counts for its parent as one variable, printed if the
group is shown and empty if it is suppressed (citeproc-js's reading, which the test suite
fixes: a nested group printing only a term keeps its parent). As in citeproc-js, a macro
called by cs:text is an implicit group, so a macro printing a term beside an empty variable
prints nothing.

The counting is independent of how a cs:choose picks its branch, so ``caches``'s branch
pre-tests stay as they are; this module renders cs:group (``Group.render``).
"""

from __future__ import annotations

from typing import Any

from citeproc.model import Date, Group, Names, Number, Text
from citeproc.source import VariableError

from exilebib.engine.rules.caches import ElementMemo, has_plain_markup, plain_text, render_macro
from exilebib.engine.rules.reach import (
    ALWAYS,
    FACTS_SLOT,
    NEVER,
    STEPS_SLOT,
    facts,
    steps,
)
from exilebib.engine.rules.render_state import current
from exilebib.engine.rules.targets import replace_direct

#: Text element -> 0 (term/value: calls nothing), 1 (variable), 2 (macro), 3 (a variable
#: the processor generates)
_TEXT_KINDS: ElementMemo[int] = ElementMemo("text-kind")
#: variables the processor generates; they count only when they print something
_GENERATED = frozenset({"year-suffix"})
#: where the item holds each of them once generated
_GENERATED_KEYS = {"year-suffix": "year_suffix"}


def _text_kind(element: Any) -> int:
    """The element's kind, worked out and kept (text_render reads the memo itself)."""
    attrib = element.attrib
    if "variable" in attrib:
        kind = 3 if attrib["variable"] in _GENERATED_KEYS else 1
    elif "macro" in attrib:
        kind = 2
    else:
        kind = 0
    _TEXT_KINDS[element] = kind
    return kind


def _close(frame: list[bool], printed: bool) -> bool:
    """Whether a closed group is shown; its enclosing group counts it as one variable,
    empty if the group is suppressed, printed if it is shown (as citeproc-js does: a nested
    group printing only a term keeps its parent, a suppressed one does not)."""
    called, rendered = frame
    shown = printed and (not called or rendered)
    frames = current().groups
    if frames and (called or printed):
        parent = frames[-1]
        parent[0] = True
        if shown:
            parent[1] = True
    return shown


@replace_direct(Group, "render")
def group_render(original: Any) -> Any:
    """cs:group: ``markup(process(...))`` as citeproc-py's ``Group.render`` does, with the
    process inline (this is its replacement: nothing else overrides ``Group.process``, the
    element order test pins that), and no markup for a group without formatting or
    affixes, where it is the identity."""

    def render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        output = []
        delimiter = self.get("delimiter", "")
        frame = [False, False]
        frames = current().groups
        frames.append(frame)
        try:
            # the cite's facts and this group's steps read as reach.render_children_skipping
            # reads them, inline: a call here costs a frame per group rendered
            found = item.__dict__.get(FACTS_SLOT)
            if found is None:
                found = facts(item)
            answers = self.__dict__.get(STEPS_SLOT)
            todo = answers.get(found) if answers is not None else None
            if todo is None:
                todo = steps(self, found)
            state = None
            for child, is_choose, info in todo:
                # skip a child that prints nothing (see reach)
                if info is not None:
                    if state is None:
                        state = current()
                    if not (info.term and state.capitals.watch):
                        if info.effect == ALWAYS:
                            frame[0] = True
                            continue
                        if info.effect == NEVER or frame[0]:
                            continue
                try:
                    if is_choose:
                        text = child.render(item, context=context, delimiter=delimiter,
                                            **kwargs)
                    else:
                        text = child.render(item, context=context, **kwargs)
                    if text is not None:
                        output.append(text)
                except VariableError:
                    pass
        finally:
            frames.pop()
        if _close(frame, bool(output)):
            # (the delimiter's join gives a single item back as it is)
            text = output[0] if len(output) == 1 else self.join(output)
            if has_plain_markup(self):
                return text if text else None
            return self.markup(text)
        raise VariableError

    return render


@replace_direct(Text, "render")
def text_render(original: Any) -> Any:
    """cs:text reporting to its group (a macro opens a group of its own). It renders as
    citeproc-py's ``Text.render`` does, ``markup(*process(...))``, called here directly (the
    element order test pins that this is the only rule on ``Text.render``)."""

    kinds = _TEXT_KINDS.slot

    def render(self: Any, item: Any, *args: Any, **kwargs: Any) -> Any:
        kind = self.__dict__.get(kinds)
        if kind is None:
            kind = _text_kind(self)
        if kind == 0:
            return self.markup(*self.process(item, *args, **kwargs))
        if kind == 3:
            # a generated variable the item does not hold (most items have no year-suffix)
            # prints nothing and counts for no group: what rendering it would give, after
            # an exception through the whole Text._variable chain
            if _GENERATED_KEYS[self.get("variable")] not in item.reference:
                return None
            kind = 1
        frames = current().groups
        if kind == 1:
            if not frames:
                return self.markup(*self.process(item, *args, **kwargs))
            frame = frames[-1]
            try:
                text = self.markup(*self.process(item, *args, **kwargs))
            except VariableError:
                if self.get("variable") not in _GENERATED:
                    frame[0] = True
                raise
            if text:
                frame[0] = frame[1] = True
            elif self.get("variable") not in _GENERATED:
                frame[0] = True
            return text
        frame = [False, False]
        frames.append(frame)
        try:
            if not args and has_plain_markup(self):
                # what process and markup do for a macro whose cs:text has no formatting
                # (a Chicago entry calls about twenty macros): the macro's text as it is
                context = kwargs.get("context")
                text = plain_text(render_macro(self, item, self if context is None
                                               else context))
            else:
                text = self.markup(*self.process(item, *args, **kwargs))
        finally:
            frames.pop()
        return text if _close(frame, bool(text)) else None

    return render


def _leaf_render(original: Any) -> Any:
    """cs:number, cs:date and cs:names reporting to their group. They render as
    citeproc-py's ``render`` does, ``markup(process(...))``, called here directly (the
    element order test pins that this is the only rule on their ``render``)."""

    def render(self: Any, item: Any, *args: Any, **kwargs: Any) -> Any:
        frames = current().groups
        if not frames:
            return self.markup(self.process(item, *args, **kwargs))
        frame = frames[-1]
        frame[0] = True
        text = self.markup(self.process(item, *args, **kwargs))
        if text:
            frame[1] = True
        return text

    return render


for _cls in (Number, Date, Names):
    replace_direct(_cls, "render")(_leaf_render)
