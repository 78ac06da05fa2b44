"""CSL 1.0.2 ``cs:substitute`` (in cs:names).

Spec: "Substituted variables are suppressed in the rest of the output to prevent
duplication", and "A shorthand version of cs:names without child elements, which inherits
the attributes values set on the cs:name and cs:et-al child elements of the original
cs:names element, may also be used" (citeproc-js extends the inheritance to the parent's
cs:label, as the specification's example of editors in place of authors needs).

citeproc-py suppresses only a substituting cs:text/cs:names's *own* variable, not the
variables rendered inside a substituting macro or cs:choose (so an image's title appears
twice), and only direct cs:names children inherit the parent's cs:name and cs:label. Here
every variable rendered while a substitute child renders is recorded and suppressed for
the rest of the entry, and every cs:names below cs:substitute without a cs:name inherits.

Which element substitutes: "the first non-empty rendering element" — cs:choose is not a
rendering element but a way to pick them, so the elements of the branch it takes are each
a candidate in turn (citeproc-js wraps every top-level element of a substitute in its own
test, choose branches included). Chicago's ``<choose><if ...><names variable="editor"/>
<names variable="translator"/></if></choose>`` substitutes the editor alone, where
citeproc-py printed "Abara, Selim, ed.Eastwood, Ulla, trans.".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, cast

from citeproc.model import Choose, Date, Else, If, Names, Number, Substitute, Text
from citeproc.source import VariableError

from exilebib.engine.rules.caches import ElementMemo
from exilebib.engine.rules.render_state import RenderState, current
from exilebib.engine.rules.targets import replace, replace_direct
from exilebib.engine.types import Cite, Element, Rendered, VariableMethod, VariableValue

_INHERIT: ElementMemo[Element | None] = ElementMemo("inherited-names")
_NAME_TAG = "{http://purl.org/net/xbiblio/csl}name"


def _inherited_names(names: Element) -> Element | None:
    """The cs:names whose cs:name/cs:label a substitute's bare cs:names uses, or None (a
    cs:names with its own cs:name, or none and outside cs:substitute). Fixed by the style:
    only a cs:names outside cs:substitute is given a cs:name later (implicit_name)."""
    found: Element | bool | None = _INHERIT.get(names, False)
    if found is False:
        found = None
        if names.find(_NAME_TAG) is None:
            holders = names.xpath_search("ancestor::cs:substitute[1]/parent::cs:names[1]")
            found = holders[0] if holders else None
        _INHERIT[names] = found
    return cast("Element | None", found)


@replace(Substitute, "render")
def render(original: Callable[..., Rendered], self: Element, item: Cite,
           context: Element | None = None, **kwargs: object) -> Rendered:
    state = current()
    # the children are rendering elements (citeproc-py's: render is in no protocol yet)
    for child in cast("Iterator[Any]", self.iterchildren()):
        state.capture.append(set())
        state.substitute_first = isinstance(child, Choose)
        try:
            text: Rendered = child.render(item, context=context, **kwargs)
        except VariableError:
            text = None
        finally:
            state.substitute_first = False
            captured = state.capture.pop()
        if text:
            state.suppressed |= captured
            if state.capture:
                state.capture[-1] |= captured
            return text
    return None


def first_candidate(original: Callable[..., Rendered]) -> Callable[..., Rendered]:
    """A branch of a cs:choose that is a child of cs:substitute: its first non-empty
    element (a nested cs:choose passes the test on to its own branch). Every other branch
    renders as before, at the cost of one test (a direct replacement: branches are hot)."""

    def render_children(self: Element, item: Cite, delimiter: str = "",
                        **kwargs: object) -> Rendered:
        state = current()
        if not state.substitute_first:
            return original(self, item, delimiter, **kwargs)
        for child in cast("Iterator[Any]", self.iterchildren()):  # as above
            nested = isinstance(child, Choose)
            state.substitute_first = nested
            try:
                text: Rendered
                if nested:
                    text = child.render(item, delimiter=delimiter, **kwargs)
                else:
                    text = child.render(item, **kwargs)
            except VariableError:
                text = None
            finally:
                state.substitute_first = True
            if text:
                return text
        return None

    return render_children


for _branch in (If, Else):
    replace_direct(_branch, "render_children")(first_candidate)


@replace_direct(Names, "process")
def names_process(original: Callable[..., Rendered]) -> Callable[..., Rendered]:
    # a direct rule: every cs:names goes through it
    def process(self: Element, item: Cite, names_context: Element | None = None,
                context: Element | None = None, **kwargs: object) -> Rendered:
        if names_context is None:
            names_context = _inherited_names(self)
        state = current()
        variables = self.get("variable", "")
        roles = variables.split()
        kept = [role for role in roles if not state.is_suppressed(role)]
        if len(kept) != len(roles):
            self.attrib["variable"] = " ".join(kept)
        state.names_depth += 1
        try:
            text = original(self, item, names_context=names_context, context=context,
                            **kwargs)
        finally:
            state.names_depth -= 1
            if len(kept) != len(roles):
                self.attrib["variable"] = variables
        if text and state.names_depth == 0 and not state.sorting:
            state.names_rendered += 1
            if state.names_rendered == 1:
                state.first_names = str(text)
                state.first_names_text = text
                if state.suppress_author:  # cite option suppress-author, or collapsing
                    return None
        if text:
            reference = item.reference
            for role in kept:
                if role.replace("-", "_") in reference:
                    state.record(role)
        return text

    return process


def _suppressed(state: RenderState, variable: str) -> bool:
    return bool(state.suppressed) and variable.replace("_", "-") in state.suppressed


@replace_direct(Text, "_variable")
def text_variable(original: VariableMethod) -> VariableMethod:
    def _variable(self: Element, item: Cite, context: Element) -> VariableValue | None:
        variable = self.get("variable", "")
        state = current()
        if state.suppressed and _suppressed(state, variable):
            return None
        text = original(self, item, context)
        if text and state.capture:
            state.record(variable)
        return text

    return _variable


# direct rules (one frame each): every cs:number and cs:date goes through them


@replace_direct(Number, "process")
def number_process(original: Callable[..., Rendered]) -> Callable[..., Rendered]:
    def process(self: Element, item: Cite, context: Element | None = None,
                **kwargs: object) -> Rendered:
        variable = self.get("variable", "")
        state = current()
        if state.suppressed and _suppressed(state, variable):
            return None
        text = original(self, item, context, **kwargs)
        if text and state.capture:
            state.record(variable)
        return text

    return process


@replace_direct(Date, "process")
def date_process(original: Callable[..., Rendered]) -> Callable[..., Rendered]:
    def process(self: Element, item: Cite, variable: str | None = None,
                show_parts: object = None, context: Element | None = None,
                **kwargs: object) -> Rendered:
        name = variable if variable is not None else self.get("variable")
        state = current()
        if name and state.suppressed and _suppressed(state, name):
            return None
        text = original(self, item, variable, show_parts, context, **kwargs)
        if text and name and state.capture:
            state.record(name)
        return text

    return process
