"""Name parts written inside ``family`` and ``given`` (CSL-JSON names, as citeproc-js reads them).

CSL 1.0.2 ("Name-part Order") knows five parts of a personal name: given, family, dropping
and non-dropping particle, suffix. Data often carries the particles and the suffix inside
the family or given name ("van Gogh", "Alexander von", "John, III"); citeproc-js (the
reference processor) splits them out unless the name says ``"parse-names": false``, and
the style then sorts and demotes them as particles ("van Gogh" files under G). citeproc-py
keeps them where they are. Here, before citeproc-py reads the items:

* a family name in double quotes is taken as it is, quotes removed (``"\\"Van Dyke\\""``);
* a family name's leading lowercase words are its non-dropping particle ("van der Vlist":
  "van der" + "Vlist"), and so is a lowercase prefix ending in an apostrophe or a hyphen
  ("d’Aubignac", "al-One"), provided a capitalised family name remains;
* a given name's trailing particle words ("Alexander von") are its dropping particle;
* a given name's part after a comma is the suffix ("John, III"); after ",!" the suffix is
  printed after a comma ("John,! Jr." gives "John Doe, Jr.", ``comma-suffix``).

Parts the name already gives are never overwritten.

A particle that ends in an apostrophe or a hyphen ("d’", "al-") is printed against the name
that follows it ("John d’Jones", "al-Aswānī"), where citeproc-py puts a space; when the
particle is demoted after the given name ("One, Alan al-") it stays a word of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, cast

from citeproc.model import Name

from exilebib.engine.rules.item_data import Name as NameData
from exilebib.engine.rules.name_list import name_options
from exilebib.engine.rules.render_state import current
from exilebib.engine.rules.targets import replace_direct
from exilebib.engine.types import Cite, Element, NameElement, Rendered

#: words that are particles at the end of a given name (lowercase; citeproc-js's own list is
#: longer, these are the ones of the major European naming traditions)
GIVEN_PARTICLES = frozenset({
    "a", "af", "al", "auf", "d'", "d’", "da", "das", "de", "degli", "dei", "del", "dela",
    "della", "delle", "dello", "den", "der", "des", "di", "do", "dos", "du", "el", "il", "la",
    "las", "le", "les", "lo", "los", "te", "ten", "ter", "van", "vander", "von", "y", "zu",
    "zum", "zur",
})
#: a lowercase prefix joined to the family name by an apostrophe or a hyphen ("d’", "al-")
_JOINED_PARTICLE = re.compile(r"^([a-z]{1,3}['’\-])(?=[A-Z])")


def parse_name(name: dict[str, Any]) -> None:
    """Split the particles and suffix written inside ``name``'s family and given names."""
    if "literal" in name or name.get("parse-names") in (False, "false"):
        return
    family = name.get("family")
    if isinstance(family, str) and len(family) > 1 and family[0] == family[-1] == '"':
        name["family"] = family[1:-1]
    elif isinstance(family, str) and "non-dropping-particle" not in name:
        particle, rest = _family_particle(family)
        if particle:
            name["non-dropping-particle"], name["family"] = particle, rest
    given = name.get("given")
    if not isinstance(given, str):
        return
    if "," in given and "suffix" not in name:
        given, _, suffix = given.partition(",")
        if suffix.startswith("!"):
            suffix = suffix[1:]
            name["comma-suffix"] = True
        if suffix.strip():
            name["suffix"] = suffix.strip()
        given = given.strip()
    if "dropping-particle" not in name:
        words = given.split()
        cut = len(words)
        while cut > 1 and words[cut - 1] in GIVEN_PARTICLES:
            cut -= 1
        if cut < len(words):
            name["dropping-particle"] = " ".join(words[cut:])
            given = " ".join(words[:cut])
    name["given"] = given


def _family_particle(family: str) -> tuple[str, str]:
    """(particle, family name) for a family name that starts with a particle, else ("", "")."""
    words = family.split(" ")
    cut = 0
    while cut < len(words) - 1 and words[cut][:1].islower():
        cut += 1
    rest = " ".join(words[cut:])
    joined = _JOINED_PARTICLE.match(rest)
    if joined:
        particle = " ".join([*words[:cut], joined.group(1)])
        return particle, rest[joined.end():]
    if cut and rest[:1].isupper():
        particle = " ".join(words[:cut])
        # "de' Frinkle": a particle written apart from the name keeps its space, even one
        # that ends in an apostrophe (citeproc-js prints "de’ Frinkle", not "de’Frinkle")
        return (f"{particle} " if particle.endswith(_JOINERS) else particle), rest
    return "", ""


_JOINERS = ("'", "\u2019", "-")


def _joins(particle: object) -> bool:
    return isinstance(particle, str) and particle.endswith(_JOINERS)


def _displayed(name: Any, inverted: bool, demoted: bool, short: bool) -> Any:
    """``name`` with a joining particle written into the family name it is printed against
    (None when nothing changes)."""
    if "literal" in name:
        return None
    _given, family, dropping, non_dropping, _suffix = name.parts()
    if not family:
        return None
    parts = dict(name)
    if non_dropping and (short or not (inverted and demoted)):
        if not _joins(non_dropping):
            return None
        parts["family"] = non_dropping + family
        del parts["non-dropping-particle"]
    elif dropping and not non_dropping and not inverted and not short and _joins(dropping):
        parts["family"] = dropping + family
        del parts["dropping-particle"]
    else:
        return None
    return NameData(**parts)


def _has_joining_particle(names: list[dict[str, object]]) -> bool:
    # most names have no particle: two key tests each
    for name in names:
        if isinstance(name, dict) and (
                ("non-dropping-particle" in name and _joins(name.get("non-dropping-particle")))
                or ("dropping-particle" in name and _joins(name.get("dropping-particle")))):
            return True
    return False


@replace_direct(Name, "process")
def joined_particles(original: Callable[..., Rendered]) -> Callable[..., Rendered]:
    # a direct rule: every name list goes through it, and few have such a particle
    def process(self: NameElement, item: Cite, variable: str, context: Element | None = None,
                sort_options: Mapping[str, object] | None = None) -> Rendered:
        reference = item.reference
        names = reference.get(variable)
        if (not isinstance(names, list) or not _has_joining_particle(names)
                or current().sorting):
            return original(self, item, variable, context, sort_options)
        options = name_options(self, context, sort_options)
        order = options.sort_order
        short = options.form == "short"
        demoted = options.demote_option == "display-and-sort"
        shown = []
        for index, name in enumerate(names):
            inverted = order == "all" or (order == "first" and index == 0)
            shown.append(_displayed(name, inverted, demoted, short) or name)
        fields = cast("dict[str, object]", reference)  # a Reference is a dict
        dict.__setitem__(fields, variable, shown)
        try:
            return original(self, item, variable, context, sort_options)
        finally:
            dict.__setitem__(fields, variable, names)

    return process
