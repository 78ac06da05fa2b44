"""CSL 1.0.2 ``display`` and the bibliography option ``second-field-align``.

Spec (Formatting, Display): "The display attribute (similar the "display" property in CSS)
may be used to structure individual bibliographic entries into one or more text blocks. If
used, all rendering elements should be under the control of a display attribute. The
allowed values: "block" - block stretching from margin to margin. "left-margin" - block
starting at the left margin. If followed by a "right-inline" block, the "left-margin"
blocks of all bibliographic entries are set to a fixed width to accommodate the longest
content string found among these "left-margin" blocks. In the absence of a "right-inline"
block the "left-margin" block extends to the right margin. "right-inline" - block starting
to the right of a preceding "left-margin" block (behaves as "block" in the absence of such
a "left-margin" block). Extends to the right margin. "indent" - block indented to the right
by a standard amount. Extends to the right margin."

Spec (Bibliography-specific options, Whitespace): "second-field-align: If set, subsequent
lines of bibliographic entries are aligned along the second field. With "flush", the first
field is flush with the margin. With "margin", the first field is put in the margin, and
subsequent lines are aligned with the margin."

citeproc-py ignores both. As in citeproc-js, ``display`` acts on the layout's own rendering
elements (cs:choose is transparent) and wraps an element's output with its affixes; with
``second-field-align`` (and no ``display`` in the layout) the first element goes in the
left margin and the rest in a right-inline block, which also takes the layout's suffix (as
does the last block of a layout with ``display``). The blocks are markers of the engine's
markup (:mod:`exilebib.engine.markup`), serialised as citeproc-js's divs (HTML) or line
breaks and spaces (text); layouts without either are rendered as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from citeproc.model import Bibliography, Else, If, Layout
from citeproc.source import VariableError

from exilebib.engine.markup import DISPLAY_VALUES, Display, display_close, display_open
from exilebib.engine.rules.caches import ElementMemo, _children
from exilebib.engine.rules.punctuation_seams import WrapMethod, join, normalize_seam
from exilebib.engine.rules.render_state import current
from exilebib.engine.rules.targets import replace_direct
from exilebib.engine.types import Cite, Element, LayoutElement, Rendered, RenderingElement, RichText

#: ``Parent.render_children(self, item, delimiter="", **kwargs)`` (of cs:layout, cs:if, ...)
RenderChildrenMethod = Callable[..., Rendered]
#: a rendering element's output and its ``display``, in the order they render (the list
#: :class:`RenderState` holds while a cs:choose branch collects; it types the text as object)
Parts = list[tuple[object, str | None]]

#: layout -> None (no display in it) or whether it aligns the second field
_PLANS: ElementMemo[bool | None] = ElementMemo("display-plan")
_MISSING = object()


def _has_display(parent: Element) -> bool:
    """Whether a rendering element of ``parent`` (through cs:choose) has ``display``."""
    children: tuple[tuple[Element, bool], ...] = _children(parent)
    for child, is_choose in children:
        if is_choose:
            if any(_has_display(branch) for branch in child.iterchildren()):
                return True
        elif child.get("display") in DISPLAY_VALUES:
            return True
    return False


def _plan(layout: LayoutElement) -> bool | None:
    if _has_display(layout):
        return False
    parent = layout.getparent()
    if isinstance(parent, Bibliography) and parent.get("second-field-align"):
        return True
    return None


def _collect(parent: Element, item: Cite, delimiter: str, kwargs: dict[str, object],
             parts: Parts) -> None:
    """Render ``parent``'s rendering elements one by one into ``parts`` (text or None,
    display), entering the branch a cs:choose takes."""
    children: tuple[tuple[RenderingElement, bool], ...] = _children(parent)
    for child, is_choose in children:
        if is_choose:
            current().display_parts = parts
            try:
                child.render(item, delimiter=delimiter, **kwargs)
            except VariableError:
                pass
            finally:
                current().display_parts = None
            continue
        try:
            text = child.render(item, **kwargs)
        except VariableError:
            text = None
        parts.append((text, child.get("display")))


def _wrapped(text: RichText | str, kind: Display) -> RichText | str:
    return display_open(kind) + text + display_close(kind)


def _with_suffix(text: RichText | str, suffix: str) -> RichText | str:
    return text + normalize_seam(text, suffix) if suffix else text


@replace_direct(Layout, "render_children")
def layout_render_children(original: RenderChildrenMethod) -> RenderChildrenMethod:
    plans = _PLANS

    def render_children(self: LayoutElement, item: Cite, delimiter: str = "",
                        **kwargs: object) -> Rendered:
        plan = plans.get(self, _MISSING)
        if plan is _MISSING:
            plan = plans[self] = _plan(self)
        if plan is None:
            return original(self, item, delimiter, **kwargs)
        parts: Parts = []
        _collect(self, item, delimiter, kwargs, parts)
        # (what _collect put there: what each element rendered)
        rendered = cast("list[tuple[Rendered, str | None]]", parts)
        # in the bibliography the layout's suffix goes inside the last block
        suffix = "" if current().in_citation else self.get("suffix", "")
        if plan:
            first = rendered[0][0] if rendered else None
            rest = [text for text, _ in rendered[1:] if text]
            blocks: list[tuple[RichText | str, Display | None]] = []
            if first:
                blocks.append((first, Display.LEFT_MARGIN))
            if rest:
                blocks.append((join(rest, delimiter), Display.RIGHT_INLINE))
        else:
            blocks = [(text, DISPLAY_VALUES.get(display or "")) for text, display in rendered
                      if text]
        if not blocks:
            return None
        current().layout_suffix_done = bool(suffix)
        last_text, last_kind = blocks[-1]
        blocks[-1] = (_with_suffix(last_text, suffix), last_kind)
        out = [_wrapped(text, kind) if kind is not None else text for text, kind in blocks]
        return join(out, delimiter)

    return render_children


@replace_direct(Layout, "wrap")
def layout_wrap(original: WrapMethod) -> WrapMethod:
    """The layout's affixes, without the suffix that a display block already took."""

    def wrap(self: Element, string: Rendered) -> Rendered:
        if not current().layout_suffix_done or string is None:
            return original(self, string)
        current().layout_suffix_done = False
        prefix = self.get("prefix", "")
        return prefix + normalize_seam(prefix, string) if prefix else string

    return wrap


def _branch_render_children(original: RenderChildrenMethod) -> RenderChildrenMethod:
    """A cs:if/cs:else-if/cs:else branch taken by a cs:choose of a display layout: its
    rendering elements are the layout's, each collected on its own."""

    def render_children(self: Element, item: Cite, delimiter: str = "",
                        **kwargs: object) -> Rendered:
        parts = current().display_parts
        if parts is None:
            return original(self, item, delimiter, **kwargs)
        current().display_parts = None
        _collect(self, item, delimiter, kwargs, parts)
        return None

    return render_children


for _cls in (If, Else):
    replace_direct(_cls, "render_children")(_branch_render_children)
