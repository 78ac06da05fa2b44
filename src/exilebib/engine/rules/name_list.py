"""How a cs:name prints a list of names: each name's parts, and the joins between names.

CSL 1.0.2 ("Name-part Order", "Name-part Formatting", the cs:name attributes) as citeproc-js
(the reference processor) applies it. citeproc-py's ``Name.process`` is replaced (only
``form="count"`` still goes to it); what differs from citeproc-py:

* **Each part is formatted on its own.** A ``cs:name-part name="family"``'s formatting and
  text-case apply to the family name and the non-dropping particle, ``name="given"``'s to
  the given name and the dropping particle; the affixes of the family part enclose the
  particles before it and, for a name not inverted, the suffix ("(de La Fontaine III)"),
  those of the given part enclose the particles demoted after it. citeproc-py formatted the
  particles with the family name as one string.
* **Names not written in a Latin-like script** ("romanesque", citeproc-js's word: Latin,
  Greek, Cyrillic, Hebrew, Arabic, Thai): a family name without such letters is printed
  family name first, without a space ("我妻栄"); with a given name in Latin letters, or
  for an item in Japanese or Chinese, family name first with a space.
* **A given name alone** ("Banksy") is never initialized: initials stand for given names
  beside a family name.
* **comma-suffix**: a name that asks for it prints ", Jr." (``"comma-suffix": true``).
* **The short form** prints neither the dropping particle nor the suffix.
* **Joins** (citeproc-js's rules): the "and" term, and the "et al." term, take spaces
  around them only when the term starts with a Latin-like letter (Hebrew "ו", Chinese
  "等" attach to the names); ``delimiter-precedes-last="after-inverted-name"`` and
  ``delimiter-precedes-et-al="after-inverted-name"`` are supported; with
  ``et-al-use-last`` the ellipsis follows the delimiter only after two or more names;
  the inherited ``name-delimiter`` separates names joined by "and" too; before the "and"
  that precedes an organisation (a literal name) come ", " or " " whatever cs:name's
  ``delimiter-precedes-last`` says.
* **et-al-min without et-al-use-first** truncates nothing.
* **form="count"** counts the names shown (those before "et al."), summed over the
  variables of the cs:names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from citeproc.model import Name, Names
from citeproc.source import VariableError
from citeproc.string import join as _citeproc_join

from exilebib.engine.rules import implicit_name
from exilebib.engine.rules.initialize import initialized
from exilebib.engine.rules.render_state import current
from exilebib.engine.rules.targets import replace_direct
from exilebib.engine.types import Cite, Element, NameElement, NameValue, Rendered, RichText

#: letters citeproc-js counts as "romanesque" (names in these scripts print given name
#: first, with spaces): Latin, Latin-1 and Latin Extended-A, Greek, Cyrillic, Hebrew
#: (without U+05D5 vav, the conjunction "and"), Arabic, Thai, Greek Extended, and the
#: joiners and direction marks written inside such names
_LETTERS = ("a-zA-Z\u0e01-\u0e5b\u00c0-\u017f\u0370-\u03ff\u0400-\u052f\u0590-\u05d4"
            "\u05d6-\u05ff\u1f00-\u1fff\u0600-\u06ff\u200c\u200d\u200e\u0218-\u021b"
            "\u202a-\u202e")
_HAS_ROMANESQUE = re.compile(f"[-0-9{_LETTERS}]")
_STARTS_ROMANESQUE = re.compile(f"^[&{_LETTERS}]")
#: an item in these languages prints even Latin-script names family name first
_FAMILY_FIRST_LANGUAGES = ("ja", "zh")
#: a particle ending so is printed against the name that follows it ("d’Aubignac"; a
#: particle that keeps its own space, "de’ ", needs no other)
_JOINING_ENDS = ("'", "\u02bc", "\u2019", "-")
_NDP_JOINING_ENDS = (*_JOINING_ENDS, " ")
#: given names printed after a comma even with another sort-separator ("Byron, Lord")
_TITLES = ("Lord", "Lady")
_ELLIPSIS = "\u2026"
_NAME_PART = "{http://purl.org/net/xbiblio/csl}name-part"
_LABEL = "{http://purl.org/net/xbiblio/csl}label"
_EDITOR_TRANSLATOR = {"editor", "translator"}
_ET_AL = "./following-sibling::cs:et-al[1]"
_LAYOUT_PARENT = "./ancestor::*[self::cs:citation or self::cs:bibliography][1]"
_USE_FIRST = ("et-al-use-first", "et-al-subsequent-use-first")


class _NamePart(Protocol):
    """``cs:name-part`` (``citeproc.model.Name_Part``): what a name part's text goes
    through."""

    def case(self, text: str) -> str: ...
    def format(self, string: str) -> str: ...
    def wrap(self, string: str) -> str: ...


class _Part:
    """The formatting of one ``cs:name-part`` (or none)."""

    def __init__(self, element: _NamePart | None) -> None:
        self.element = element

    def decorate(self, text: str | None) -> str | None:
        """Formatting and text-case, for the part and the particles that go with it."""
        if not text or self.element is None:
            return text or None
        return self.element.format(self.element.case(text))

    def affix(self, text: str | None) -> str | None:
        if not text or self.element is None:
            return text or None
        return self.element.wrap(text)


#: citeproc-py's join (untyped): the texts with the delimiter between them, seams normalised
join: Callable[..., Rendered] = _citeproc_join


def _joined(parts: tuple[str | None, ...], separator: str) -> str | None:
    present = [part for part in parts if part]
    return separator.join(present) if present else None


def romanesque(family: str, given: str | None, language: str | None) -> int:
    """0: the family name has no Latin-like letter; 1: it has none but the given name
    starts with one, or the item is in Japanese or Chinese; 2: a Latin-like name."""
    if not _HAS_ROMANESQUE.search(family.replace('"', "")):
        return 1 if given and _STARTS_ROMANESQUE.match(given) else 0
    if language and language[:2].lower() in _FAMILY_FIRST_LANGUAGES:
        return 1
    return 2


#: where a cs:name keeps the options it was resolved to (see :func:`name_options`)
_RESOLVED = "exilebib:name-options-resolved"


@dataclass(frozen=True, slots=True)
class NameOptions:
    """The options a cs:name prints one list of names with: what ``Name.get_option``
    answers (every rule on it included) for one context and render state, asked once."""

    form: str | None
    initialize_with: str | None
    sort_order: str | None
    sort_separator: str
    #: demote-non-dropping-particle as asked, and as printing reads it (default filled in)
    demote_option: str | None
    demote: str
    delimiter: str
    and_: str | None
    before_last: str
    before_et_al: str
    et_al_min: int
    use_first: int
    use_last: bool
    #: et-al-use-first is set where the cs:name inherits it from (see _use_first_set)
    use_first_set: bool
    #: initialize="false": given names stay whole, initials present take the mark
    keep_given: bool
    initialize_with_hyphen: bool
    family: _Part
    given: _Part
    #: names printed with these options: (the name's parts, inverted, the item's language)
    #: -> its text (see :func:`_rendered_name`)
    printed: dict[tuple[object, ...], str | None] = field(
        default_factory=dict, compare=False, repr=False)


def _resolve(name: NameElement, context: Element | None,
             sort_options: Mapping[str, object] | None) -> NameOptions:
    def option(key: str) -> Any:
        return name.get_option(key, context, sort_options)

    sort_separator = option("sort-separator")
    delimiter = option("delimiter")
    demote = option("demote-non-dropping-particle")
    parts = {part.get("name"): cast(_NamePart, part)
             for part in name.iterchildren(_NAME_PART)}
    return NameOptions(
        form=option("form"),
        initialize_with=option("initialize-with"),
        sort_order=option("name-as-sort-order"),
        sort_separator=", " if sort_separator is None else sort_separator,
        demote_option=demote,
        demote=str(demote or "display-and-sort"),
        delimiter=", " if delimiter is None else delimiter,
        and_=option("and"),
        before_last=option("delimiter-precedes-last") or "contextual",
        before_et_al=option("delimiter-precedes-et-al") or "contextual",
        et_al_min=option("et-al-min"),
        use_first=option("et-al-use-first"),
        use_last=option("et-al-use-last"),
        use_first_set=_use_first_set(name, context, sort_options),
        # initialize.py's options: no rule changes them by state or sort key
        keep_given=str(name.get_option("initialize", context)).lower() == "false",
        initialize_with_hyphen=bool(name.get_option("initialize-with-hyphen", context)),
        family=_Part(parts.get("family")),
        given=_Part(parts.get("given")),
    )


class SortOptions(dict[str, object]):
    """The name options a macro sort key gives its names (see sort_keys), made once per
    cs:key and never changed, with the frozen form :func:`name_options` keys them by."""

    __slots__ = ("frozen",)

    def __init__(self, options: Mapping[str, object]) -> None:
        super().__init__(options)
        self.frozen = frozenset(options.items())


def name_options(name: NameElement, context: Element | None = None,
                 sort_options: Mapping[str, object] | None = None) -> NameOptions:
    """``name``'s options for ``context`` in the current render state, resolved once per
    element, context and state (a sort key's options: per their values) and kept on the
    element, as :mod:`.caches` keeps what the style makes constant."""
    if sort_options:
        key: tuple[object, ...] = (context, sort_options.frozen
                                   if type(sort_options) is SortOptions
                                   else frozenset(sort_options.items()))
    else:
        key = (context, current().name_option_key())
    memo = name.__dict__
    resolved: dict[tuple[object, ...], NameOptions] | None = memo.get(_RESOLVED)
    if resolved is None:
        resolved = memo[_RESOLVED] = {}
    options = resolved.get(key)
    if options is None:
        options = resolved[key] = _resolve(name, context, sort_options)
    return options


#: names kept per NameOptions (a style renders many bibliographies with one record)
_MAX_NAMES = 4096


def _rendered_name(element: NameElement, name: Any, inverted: bool, options: NameOptions,
                   context: Element | None, language: str | None) -> str | None:
    """:func:`render_name`, kept per options record and name: a name's text depends on the
    cs:name, the context and the render state only through the options (resolved per those,
    see :func:`name_options`), and bibliographies repeat names (an author's works, an
    editor's volumes, the initials of a given name)."""
    try:
        key = (*name.items(), inverted, language)
        found = options.printed.get(key, _UNSEEN)
    except TypeError:  # a name part that is not a plain value: printed as it is
        return render_name(element, name, inverted, options, context, language)
    if found is _UNSEEN:
        found = render_name(element, name, inverted, options, context, language)
        if len(options.printed) < _MAX_NAMES:
            options.printed[key] = found
    return cast("str | None", found)


_UNSEEN = object()


def render_name(element: NameElement, name: Any, inverted: bool, options: NameOptions,
                context: Element | None, language: str | None) -> str | None:
    # name: citeproc-py's Name, a dict of name parts (NameValue describes only parts())
    """One name as ``element`` (a cs:name) prints it."""
    if "literal" in name:
        return options.family.affix(options.family.decorate(name["literal"]))
    given, family, dropping, non_dropping, suffix = name.parts()
    if options.form == "short":
        given = None
    elif given and family and options.initialize_with is not None:
        given = initialized(element, given, options.initialize_with, context,
                            options.keep_given, options.initialize_with_hyphen)
    if options.form == "short":  # the family name alone (with its particle)
        dropping = suffix = None
    family_part, given_part = options.family, options.given
    if family:
        order = romanesque(str(family), str(given) if given else None, language)
        if order == 0:
            return _joined((family_part.decorate(non_dropping), family_part.decorate(family),
                            given_part.decorate(given)), "")
        if order == 1 or name.get("static-ordering"):
            merged = _joined((family_part.decorate(non_dropping),
                              family_part.decorate(family)), " ")
            return _joined((merged, given_part.decorate(given)), " ")
    if inverted:
        return _inverted(given, family, dropping, non_dropping, suffix, options)
    if dropping and family and not non_dropping and str(dropping).endswith(_JOINING_ENDS):
        family, dropping = f"{dropping}{family}", None
    ndp = family_part.decorate(non_dropping)
    if non_dropping and str(non_dropping).endswith(_NDP_JOINING_ENDS):
        second = _joined((given_part.decorate(dropping),
                          _joined((ndp, family_part.decorate(family)), "")), " ")
    else:
        second = _joined((given_part.decorate(dropping), ndp, family_part.decorate(family)),
                         " ")
    second = _joined((second, suffix), ", " if name.get("comma-suffix") else " ")
    return _joined((given_part.affix(given_part.decorate(given)), family_part.affix(second)),
                   " ")


def _inverted(given: str | None, family: str | None, dropping: str | None,
              non_dropping: str | None, suffix: str | None,
              options: NameOptions) -> str | None:
    family_part, given_part = options.family, options.given
    separator = ", " if given in _TITLES else options.sort_separator
    if options.demote in ("display-and-sort", "always"):
        second = _joined((given_part.decorate(given), given_part.decorate(dropping)), " ")
        if isinstance(non_dropping, str) and non_dropping.endswith(" "):  # "de’ " demoted
            non_dropping = type(non_dropping)(non_dropping.rstrip())
        second = _joined((second, family_part.decorate(non_dropping)), " ")
        first = family_part.decorate(family)
    else:
        joins = non_dropping and str(non_dropping).endswith(_NDP_JOINING_ENDS)
        first = _joined((family_part.decorate(non_dropping), family_part.decorate(family)),
                        "" if joins else " ")
        second = _joined((given_part.decorate(given), given_part.decorate(dropping)), " ")
    merged = _joined((family_part.affix(first), given_part.affix(second)), separator)
    return _joined((merged, suffix), separator)


def _starts_romanesque(term: object) -> bool:
    return bool(_STARTS_ROMANESQUE.match(re.sub(r"<[^>]*>", "", str(term))))


def _et_al_term(element: NameElement) -> RichText:
    found = element.xpath_search(_ET_AL)
    term = found[0].get("term", "et-al") if found else "et-al"
    return element.get_single_term(name=term)


def join_with_et_al(element: Any, shown: list[tuple[str, bool]], options: NameOptions
                    ) -> Rendered:
    # element: a cs:name (Name.et_al is not in NameElement yet)
    text = join([text for text, _ in shown], options.delimiter)
    et_al = element.et_al()
    if not et_al:
        return text
    single, multiple = " ", options.delimiter
    if options.before_et_al == "always":
        single = options.delimiter
    elif options.before_et_al == "never":
        multiple = " "
    elif options.before_et_al == "after-inverted-name":
        single, multiple = options.delimiter, " "
    connector = multiple if len(shown) > 1 else single
    if connector == " " and not _starts_romanesque(_et_al_term(element)):
        connector = ""
    combined: Rendered = (text or "") + connector + et_al  # shown texts are never empty
    return combined


def join_with_and(element: NameElement, shown: list[tuple[str, bool]], options: NameOptions,
                  institution_last: bool) -> Rendered:
    texts = [text for text, _ in shown]
    if len(texts) < 2:
        return join(texts)
    term: RichText | str
    if options.and_ == "text":
        term = element.get_single_term(name="and")
    elif options.and_ == "symbol":
        term = element.preformat("&")
    else:
        return join(texts, options.delimiter)
    if _starts_romanesque(term):
        single, multiple, after = " ", options.delimiter, " "
    else:
        single = multiple = after = ""
    rule = options.before_last
    if institution_last:  # an organisation's "and": cs:name's delimiter options do not apply
        multiple = ", " if multiple else multiple
    elif rule == "always":
        single = options.delimiter
    elif rule == "never":
        multiple = " " if multiple else multiple
    elif rule == "after-inverted-name":
        single = options.delimiter if single else single
        multiple = " " if multiple else multiple
    before = multiple if len(texts) > 2 else single
    if rule == "after-inverted-name" and shown[-2][1]:
        before = options.delimiter
    head = join(texts[:-1], options.delimiter)
    return join([head, texts[-1]], f"{before}{term}{after}")


def join_with_ellipsis(shown: list[tuple[str, bool]], options: NameOptions) -> Rendered:
    texts = [text for text, _ in shown]
    if len(texts) < 2:
        return join(texts)
    before = options.delimiter if len(texts) > 2 else " "
    if options.before_last == "after-inverted-name" and shown[-2][1]:
        before = options.delimiter
    return join([join(texts[:-1], options.delimiter), texts[-1]], f"{before}{_ELLIPSIS} ")


def _use_first_set(element: NameElement, context: Element | None,
                   sort_options: Mapping[str, object] | None) -> bool:
    """Whether ``et-al-use-first`` is set where ``element`` inherits it from: without it
    citeproc-js truncates no list (citeproc-py assumed 1), so a bibliography that sets
    only et-al-min shows every name."""
    if sort_options and "et-al-use-first" in sort_options:
        return True
    holders = [element, element.get_root(),
               *(context if context is not None else element).xpath_search(_LAYOUT_PARENT)]
    return any(option in holder.attrib for holder in holders for option in _USE_FIRST)


@replace_direct(Name, "process")
def name_list(original: object) -> Callable[..., Rendered | int]:
    """Replaces citeproc-py's ``Name.process`` (a direct rule: one frame per name list)."""
    return _name_list


def _name_list(self: NameElement, item: Cite, variable: str, context: Element | None = None,
               sort_options: Mapping[str, object] | None = None) -> Rendered | int:
    # Name.process, and every rule on it, takes the context and the sort key's options
    # only: names_process passes nothing else (a keyword argument costs a dict per rule)
    options = name_options(self, context, sort_options)
    # citeproc-py's Names, dicts of name parts (NameValue describes only parts())
    names: list[Any] = list(cast("list[Any]", item.reference.get(variable, [])))
    et_al_min = options.et_al_min
    use_first = options.use_first
    truncated = bool(len(names) > 1 and et_al_min and len(names) >= et_al_min
                     and options.use_first_set)
    use_last = bool(truncated and options.use_last and use_first <= et_al_min - 2)
    if truncated:
        names = [*names[:use_first], names[-1]] if use_last else names[:use_first]
    if options.form == "count":  # the number of names the long form would show
        return len(names)
    language = item.reference.get("language")
    shown: list[tuple[str, bool]] = []
    for index, name in enumerate(names):
        inverted = "literal" not in name and (
            options.sort_order == "all" or (options.sort_order == "first" and index == 0))
        text = _rendered_name(self, name, inverted, options, context,
                              str(language) if language else None)
        if text:
            shown.append((text, inverted))
    if not shown:
        return join([])
    if use_last:
        return join_with_ellipsis(shown, options)
    if truncated:
        return join_with_et_al(self, shown, options)
    return join_with_and(self, shown, options, "literal" in names[-1])


#: a cs:names's cs:name, its cs:label, whether the label comes first and whether the name
#: may have form="count" (fixed by the style once implicit_name has given the cs:names its
#: cs:name)
_CHILDREN = "exilebib:names-children"


def _children(holder: Element) -> tuple[Any, Any, bool, bool]:
    """``holder``'s cs:name and cs:label (citeproc-py's Name and Label: render, process and
    markup are not in their protocols yet), whether the label comes first, and whether the
    name may count (its own ``form``, or ``name-form`` where it may inherit it: no rule
    makes a name count otherwise)."""
    children: tuple[Any, Any, bool, bool] | None = holder.__dict__.get(_CHILDREN)
    if children is None:
        name = implicit_name.name_of(holder)
        label = holder.find(_LABEL)
        first = next(holder.iterchildren(), None)
        form = name.get("form")
        root = holder.get_root()
        may_count = form == "count" or (form is None and any(
            element.get("name-form") == "count" for element in (root, *root.iterchildren())))
        children = holder.__dict__[_CHILDREN] = (
            name, label, label is not None and label is first, may_count)
    return children


@replace_direct(Names, "process")
def names_process(original: object) -> Callable[..., Rendered]:
    """cs:names: each variable's names as its cs:name prints them (the names of the
    enclosing cs:names where a cs:substitute's bare cs:names inherits them), with its
    cs:label before or after them, joined by the ``names-delimiter``; none present: the
    cs:substitute. Replaces citeproc-py's method (the same steps, the children looked up
    once per element). ``form="count"``: one number for all the variables (CSL 1.0.2: "the
    total number of names that would otherwise be rendered"); citeproc-py printed each
    variable's count side by side ("32" for 3 authors and 2 editors)."""

    # self: citeproc-py's Names (join, substitute, get_parent_delimiter: no protocol yet)
    def process(self: Any, item: Cite, names_context: Element | None = None,
                context: Element | None = None, **kwargs: object) -> Rendered:
        if context is None:
            context = self
        # the one keyword Name.process takes besides the context (see _name_list)
        sort_options = cast("Mapping[str, object] | None", kwargs.get("sort_options"))
        name, label, label_first, may_count = _children(
            self if names_context is None else names_context)
        reference = item.reference
        variables = self.get("variable")
        if variables is None:  # citeproc-py failed on it too (the entry fails)
            raise AttributeError("cs:names without a variable")
        roles = variables.split()
        ed_trans = False
        if len(roles) == 2 and set(roles) == _EDITOR_TRANSLATOR:
            # citeproc-py's: one list with the "editortranslator" label when both are the same
            try:
                ed_trans = bool(reference["editor"] == reference["translator"]
                                and self.get_term("editortranslator").getchildren())
            except VariableError:
                ed_trans = False
            if ed_trans:
                roles = ["editor"]
        if may_count and name_options(name, context).form == "count":
            present = [role for role in roles if role in reference]
            if present:
                total: int = sum(name.process(item, role, context, sort_options) or 0
                                 for role in present)
                return name.markup(total) if total else None
        output: list[Any] = []
        for role in roles:
            if role not in reference:
                continue
            # Name.render without its frame (no rule overrides it: the order test)
            text = name.markup(name.process(item, role, context, sort_options))
            if label is not None:
                try:
                    listed = cast("list[NameValue]", reference[role])
                    shown = label.render(item, "editortranslator" if ed_trans else role,
                                         len(listed) > 1, **kwargs)
                except AttributeError:  # as citeproc-py: a label that fails is left out
                    shown = None
                if shown is not None:
                    text = shown + text if label_first else text + shown
            output.append(text)
        if output:
            if all(isinstance(text, int) for text in output):
                total = sum(output)
                return str(total) if total > 0 else None
            joined: Rendered = self.join(output, self.get_parent_delimiter(context))
            return joined
        substitute = self.substitute()
        if substitute is None:
            raise VariableError
        substituted: Rendered = substitute.render(item, context=context, **kwargs)
        return substituted

    return process
