"""CSL 1.0.2 variable ``citation-label``: the label an item is cited by ("Asth00", "RoNo78").

Spec (Appendix IV, variables): "citation-label: label identifying the item in in-text
citations of label styles (e.g. "Ferr78"). May be assigned by the CSL processor based on
item metadata". citeproc-js assigns it to an item whose data has none, from the family
names of its authors (particles left out) and the last two digits of its year, after the
pattern ``Aaaa00:AaAa00:AaAA00:AAAA00``: one author gives four letters of the family name,
two authors two letters each, three authors two letters then one each, four or more one
letter of each of the first four ("DEFG26"). citeproc-py prints nothing.

A cite that renders its citation-label carries the implicit year-suffix on the label
("Asth00a", "[RoNo78b]"), not on its date, as in citeproc-js.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from citeproc.model import Text

from exilebib.engine.rules.render_state import current
from exilebib.engine.rules.targets import replace_direct
from exilebib.engine.types import Cite, Element, VariableMethod, VariableValue

#: letters taken from each author's family name, by the number of authors (1, 2, 3, 4+)
TRIGRAPH: tuple[tuple[int, ...], ...] = ((4,), (2, 2), (2, 1, 1), (1, 1, 1, 1))
#: the name variables a label is made from, in order of preference
LABEL_NAMES = ("author", "editor", "translator")


def generated_label(item: Mapping[str, object]) -> str | None:
    """The citation-label citeproc-js assigns to the CSL-JSON ``item`` (None: no names).

    The item is JSON as given, unchecked: a value may have any shape; names that are not
    objects are skipped."""
    for variable in LABEL_NAMES:
        value = item.get(variable) or ()
        names = ([n for n in value if isinstance(n, Mapping)] if isinstance(value, Iterable)
                 else [])
        families = [str(n.get("family") or n.get("literal") or "") for n in names]
        families = [f for f in families if f]
        if families:
            break
    else:
        return None
    widths = TRIGRAPH[min(len(families), len(TRIGRAPH)) - 1]
    letters = "".join(family[:width] for family, width in zip(families, widths, strict=False))
    return letters + _year(item.get("issued"))


def _year(issued: object) -> str:
    if isinstance(issued, Mapping):
        parts = issued.get("date-parts") or [[]]
        if parts and parts[0]:
            return str(parts[0][0])[-2:]
    return ""


@replace_direct(Text, "_variable")
def label_takes_year_suffix(original: VariableMethod) -> VariableMethod:
    def _variable(self: Element, item: Cite, context: Element) -> VariableValue | None:
        value = original(self, item, context)
        # (an int is a citation-number, never a label)
        if value is None or isinstance(value, int) or self.get("variable") != "citation-label":
            return value
        state = current()
        if state.sorting or state.disambiguation.explicit_year_suffix or state.year_suffix_done:
            return value
        suffix = item.reference.get("year_suffix")
        if suffix:
            state.year_suffix_done = True
            return value + suffix
        return value

    return _variable
