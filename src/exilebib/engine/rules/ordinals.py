"""CSL 1.0.2 "Ordinal Suffixes": which ``ordinal-NN`` term a number takes, with gender.

* ``ordinal-00`` to ``ordinal-09`` match a number's last digit and ``ordinal-10`` to
  ``ordinal-99`` its last two digits, unless ``match`` says ``last-digit``,
  ``last-two-digits`` or ``whole-number``; a whole-number match beats a last-two-digits
  match, which beats a last-digit match; the ``ordinal`` term is the default suffix.
* A locale (file or ``cs:locale`` in the style) that defines the ``ordinal`` term replaces
  every ordinal term of the locales below it, so fr-FR's "ᵉ" set does not inherit en-US's
  "st"/"nd"/"rd"; which numbers have their own term is read from that locale. A locale
  without ``ordinal`` (CSL 1.0) uses ``ordinal-01`` to ``ordinal-04`` as first, second,
  third and other.
* ``limit-day-ordinals-to-day-1`` comes from the first locale that sets it (citeproc-py
  took the default "false" from any locale with ``cs:style-options``, so French styles with
  their own options printed "2ᵉ octobre").
* A number variable takes the gender of the term of the same name (``edition`` is
  feminine in French: "1ʳᵉ éd."); a day takes its month's gender. A gendered ordinal term
  (``gender-form``) serves that gender; when the gendered match is missing the default
  suffix is used.

citeproc-py takes ``ordinal-NN`` terms from any locale in the fallback chain (a style
defining "ordinal-01" for French got English "3rd"), ignores ``match`` on terms that are
not zero-padded and ignores gender. Everything here follows citeproc-js.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from citeproc.model import Date_Part, Number

from exilebib.engine.rules.caches import ElementMemo
from exilebib.engine.rules.targets import replace_direct
from exilebib.engine.types import (
    DatePartElement,
    DatePartMethod,
    DatePartText,
    DateValue,
    Element,
    NumberElement,
    RichText,
)

_CSL = "{http://purl.org/net/xbiblio/csl}"
_TERMS = f"{_CSL}terms"
_TERM = f"{_CSL}term"
_SINGLE = f"{_CSL}single"
_OPTIONS = f"{_CSL}style-options"
_MATCHES = ("whole-number", "last-two-digits", "last-digit")
_NEUTER = "neuter"
#: parsed style trees the table cache holds at most before it starts over


@dataclass(slots=True)
class OrdinalTable:
    """A style's ordinal terms as its locales combine them."""

    #: term name -> gender ("neuter" for none) -> text, from the visible locales
    terms: dict[str, dict[str, str]] = field(default_factory=dict)
    #: match kind -> number stub ("1", "11") -> gender -> term name; None: CSL 1.0 terms
    matches: dict[str, dict[str, dict[str, str]]] | None = None
    #: term name -> gender attribute (noun genders, from every locale)
    genders: dict[str, str] = field(default_factory=dict)
    #: locale option limit-day-ordinals-to-day-1, from the first locale that sets it
    limit_day_ordinals: bool = False

    def term(self, name: str, gender: str | None) -> str | None:
        forms = self.terms.get(name)
        if not forms:
            return None
        if gender and gender in forms:
            return forms[gender]
        if _NEUTER in forms:
            return forms[_NEUTER]
        # a term given only in gendered forms stands in for the default (feminine first)
        return forms.get("feminine", forms.get("masculine"))

    def suffix(self, number: int, gender: str | None) -> str:
        text = str(number)
        if self.matches is None:
            return self._legacy_suffix(number, gender)
        suffix = self.term("ordinal", gender) or ""
        for wanted in ((gender, _NEUTER) if gender else (_NEUTER,)):
            for match, key in zip(_MATCHES, (text, text[-2:], text[-1:]), strict=True):
                names = self.matches[match].get(key)
                if names and wanted in names:
                    suffix = self.term(names[wanted], gender) or ""
                    break
            if suffix:  # as citeproc-js: the default suffix ends the search too
                break
        return suffix

    def _legacy_suffix(self, number: int, gender: str | None) -> str:
        index = 4 if 10 <= number % 100 < 20 else {1: 1, 2: 2, 3: 3}.get(number % 10, 4)
        return self.term(f"ordinal-{index:02}", gender) or ""


def _own_terms(locale: Element) -> list[Element]:
    terms = locale.find(_TERMS)
    return [] if terms is None else list(terms.iterchildren(_TERM))


def _text(term: Element) -> str:
    single = term.find(_SINGLE)
    return str((single if single is not None else term).text or "")


def build_table(locales: Sequence[Element]) -> OrdinalTable:
    """Combine the ordinal terms of ``locales`` (highest priority first)."""
    table = OrdinalTable()
    layers = [_own_terms(locale) for locale in locales]
    base = next(
        (i for i, terms in enumerate(layers) if any(t.get("name") == "ordinal" for t in terms)),
        None,
    )
    visible = layers if base is None else layers[: base + 1]
    for terms in reversed(visible):  # lower priority first; higher ones overwrite
        for term in terms:
            name = str(term.get("name"))
            if name.startswith("ordinal") and term.get("form") in (None, "long"):
                table.terms.setdefault(name, {})[term.get("gender-form") or _NEUTER] = _text(term)
    for terms in reversed(layers):
        for term in terms:
            name = str(term.get("name"))
            if term.get("gender"):
                table.genders[name] = str(term.get("gender"))
            if name.startswith("long-ordinal-") and term.get("form") in (None, "long"):
                table.terms.setdefault(name, {})[term.get("gender-form") or _NEUTER] = _text(term)
    for locale in locales:
        options = locale.find(_OPTIONS)
        limit = None if options is None else options.get("limit-day-ordinals-to-day-1")
        if limit is not None:
            table.limit_day_ordinals = limit.lower() == "true"
            break
    if base is not None:
        matches: dict[str, dict[str, dict[str, str]]] = {m: {} for m in _MATCHES}
        for term in layers[base]:
            name = str(term.get("name"))
            if not name.startswith("ordinal-") or term.get("form") not in (None, "long"):
                continue
            stub = name[len("ordinal-"):]
            match = term.get("match") or ("last-digit" if stub[:1] == "0" else "last-two-digits")
            if stub[:1] == "0":
                stub = stub[1:]
            if match in matches:
                matches[match].setdefault(stub, {})[term.get("gender-form") or _NEUTER] = name
        table.matches = matches
    return table


#: ``Number.format_number(self, number)``
FormatNumberMethod = Callable[[NumberElement, str], "RichText | str"]

_TABLES: ElementMemo[OrdinalTable] = ElementMemo("ordinal-table")


def table_for(element: Element) -> OrdinalTable:
    """The ordinal table of ``element``'s style, built once per parsed style."""
    root = element.get_root()
    table = _TABLES.get(root)
    if table is None:
        locales = getattr(root, "locales", None)
        table = build_table(list(locales) if locales is not None else [root])
        _TABLES[root] = table
    return table


def ordinal(element: Element, number: int, gender: str | None) -> str:
    """``number`` with its ordinal suffix, as ``element``'s style and locale give it."""
    return str(number) + str(element.preformat(table_for(element).suffix(number, gender)))


def long_ordinal(element: Element, number: int, gender: str | None) -> str:
    """The long-ordinal term of ``number`` ("first"), else its ordinal ("11th")."""
    text = table_for(element).term(f"long-ordinal-{number:02}", gender)
    if text:
        return str(element.preformat(text))
    return ordinal(element, number, gender)


@replace_direct(Number, "format_number")
def gendered_ordinals(original: FormatNumberMethod) -> FormatNumberMethod:
    def format_number(self: NumberElement, number: str) -> RichText | str:
        form = self.get("form")
        if form != "ordinal" and form != "long-ordinal":
            return original(self, number)
        try:
            value = int(number)
        except ValueError:
            return number
        gender = table_for(self).genders.get(str(self.get("variable")))
        if form == "ordinal":
            return ordinal(self, value, gender)
        return long_ordinal(self, value, gender)

    return format_number


@replace_direct(Date_Part, "process")
def day_ordinals(original: DatePartMethod) -> DatePartMethod:
    def process(self: DatePartElement, date: DateValue, context: Element | None = None
                ) -> DatePartText:
        text = original(self, date, context)
        # citeproc-py made an ordinal day (numeric days stay ints, limit-day-ordinals too)
        if (text is None or isinstance(text, int) or self.get("form") != "ordinal"
                or self.get("name") != "day"):
            return text
        element = context if context is not None else self
        table = table_for(element)
        day = int(date.day)
        if day > 1 and table.limit_day_ordinals:
            return date.day
        try:
            month = f"month-{int(date.month):02}"
        except Exception:  # a season or no month: no gender
            month = ""
        return ordinal(element, day, table.genders.get(month))

    return process
