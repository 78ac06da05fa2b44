"""biblatex's ``crossref`` inheritance: which fields a child entry takes from its parent.

The table is biblatex's default data inheritance (manual, appendix "Default Crossref
Setup"; biber applies it): every field of the parent is inherited under its own name
unless the child has that field already (``override=false``) or it is one of
:data:`NEVER_INHERITED`; for some pairs of types, a parent field goes to another name
instead (a collection's ``title`` is the ``booktitle`` of an article in it). A source
field that a pair renames is not also inherited under its own name, except where the
table maps it to itself too (a book's ``author`` is both ``author`` and ``bookauthor`` of
a chapter).

``lint`` uses :func:`inherited_names` to know what a child gets, ``render`` uses
:func:`resolve` (through :func:`inherit`) to add it; both read the same table.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace

from exilebib.errors import Diagnostic, Severity
from exilebib.model import Field, Source

#: Fields biblatex never passes from a parent to a child.
NEVER_INHERITED = frozenset(
    {
        "ids", "crossref", "xref", "entryset", "entrysubtype", "execute", "label", "options",
        "presort", "related", "relatedoptions", "relatedstring", "relatedtype", "shorthand",
        "shorthandintro", "sortkey",
    }
)  # fmt: skip


def _titles(prefix: str) -> tuple[tuple[str, str], ...]:
    return tuple((name, prefix + name) for name in ("title", "subtitle", "titleaddon"))


_TITLE_AS_MAIN = _titles("main")
_TITLE_AS_BOOK = _titles("book")
_BOOK_PARTS = frozenset({"inbook", "bookinbook", "suppbook"})

#: (parent types, child types, (parent field, child field) pairs): the renaming rules.
RENAMES: tuple[tuple[frozenset[str], frozenset[str], tuple[tuple[str, str], ...]], ...] = (
    (
        frozenset({"mvbook", "book"}),
        _BOOK_PARTS,
        (("author", "author"), ("author", "bookauthor")),
    ),
    (frozenset({"mvbook"}), _BOOK_PARTS | {"book"}, _TITLE_AS_MAIN),
    (
        frozenset({"mvcollection"}),
        frozenset({"collection", "incollection", "suppcollection"}),
        _TITLE_AS_MAIN,
    ),
    (frozenset({"mvproceedings"}), frozenset({"proceedings", "inproceedings"}), _TITLE_AS_MAIN),
    (frozenset({"mvreference"}), frozenset({"reference", "inreference"}), _TITLE_AS_MAIN),
    (frozenset({"book"}), _BOOK_PARTS, _TITLE_AS_BOOK),
    (frozenset({"collection"}), frozenset({"incollection", "suppcollection"}), _TITLE_AS_BOOK),
    (frozenset({"reference"}), frozenset({"inreference"}), _TITLE_AS_BOOK),
    (frozenset({"proceedings"}), frozenset({"inproceedings"}), _TITLE_AS_BOOK),
    (
        frozenset({"periodical"}),
        frozenset({"article", "suppperiodical"}),
        (("title", "journaltitle"), ("subtitle", "journalsubtitle")),
    ),
)

#: BibTeX type names and the biblatex types biber maps them to before inheriting.
TYPE_ALIASES: Mapping[str, str] = {
    "conference": "inproceedings",
    "electronic": "online",
    "www": "online",
    "mastersthesis": "thesis",
    "phdthesis": "thesis",
    "techreport": "report",
}


def renames(parent_type: str, child_type: str) -> tuple[tuple[str, str], ...]:
    """The (parent field, child field) renaming rules for this pair of types."""
    parent_type = TYPE_ALIASES.get(parent_type.lower(), parent_type.lower())
    child_type = TYPE_ALIASES.get(child_type.lower(), child_type.lower())
    return tuple(
        pair
        for parents, children, pairs in RENAMES
        if parent_type in parents and child_type in children
        for pair in pairs
    )


def inherited_names(
    parent_type: str, child_type: str, parent_fields: Iterable[str], child_fields: Collection[str]
) -> dict[str, str]:
    """``{child field: parent field}`` for every field the child would inherit.

    ``parent_fields`` are the names the parent has (lower-case); fields the child already
    has (``child_fields``) are never overridden.
    """
    available = list(dict.fromkeys(parent_fields))
    given = set(available)
    found: dict[str, str] = {}
    renamed: set[str] = set()
    for source, target in renames(parent_type, child_type):
        if source not in given:
            continue
        renamed.add(source)
        if target not in child_fields and target not in found:
            found[target] = source
    for name in available:
        if name in renamed or name in NEVER_INHERITED:
            continue
        if name not in child_fields and name not in found:
            found[name] = name
    return found


def inherit(child: Source, parent: Source) -> Source:
    """A copy of ``child`` with the fields it inherits from ``parent`` added after its own.

    Each added field keeps the parent's value, raw text and location (so a diagnostic
    about it points where the value is written), under the child's field name.
    ``child.fields`` come first and are unchanged; nothing the child has is overridden.
    Follow a chain by inheriting into the parent first: ``inherit(c, inherit(p, g))``.
    """
    own = {item.name for item in child.fields}
    by_name: dict[str, Field] = {}
    for item in parent.fields:
        by_name.setdefault(item.name, item)
    names = inherited_names(parent.entry_type, child.entry_type, by_name, own)
    added = tuple(replace(by_name[source], name=target) for target, source in names.items())
    return replace(child, fields=child.fields + added)


def resolve(sources: Sequence[Source]) -> list[Source]:
    """Every source with what its ``crossref`` chain supplies, in the same order.

    A crossref names a key exactly, as biber reads it (``lint`` reports one that names
    nothing, or differs only in case). An entry whose chain loops (biber stops on that)
    keeps its own fields only, so a loop never makes a parent inherit its child's author.
    Only the first entry of a key is a parent; CSL-JSON sources have no crossref.
    A chain is walked with a loop, never by recursion, so its length has no limit (issue
    13: a chain of 1,000 entries overflowed Python's stack and lost the bibliography).
    """
    by_key: dict[str, Source] = {}
    for source in sources:
        by_key.setdefault(source.key, source)
    done: dict[str, Source] = {}

    def parent_of(source: Source) -> Source | None:
        target = (source.get("crossref") or "").strip() if source.csl is None else ""
        return by_key.get(target) if target else None

    def resolved(source: Source) -> Source:
        chain = [source]
        on_chain = {source.key}
        current = source
        while current.key not in done:
            parent = parent_of(current)
            if parent is None:
                break
            if parent.key in on_chain:
                return source  # a loop: the entry keeps its own fields
            chain.append(parent)
            on_chain.add(parent.key)
            current = parent
        result = done.setdefault(chain[-1].key, chain[-1])
        for child in reversed(chain[:-1]):
            result = done[child.key] = inherit(child, result)
        return result

    inherited = [
        resolved(source) if by_key[source.key] is source else source for source in sources
    ]
    return [relate(source, by_key) for source in inherited]


#: ``relatedtype`` → (field of the related entry, field it fills in the entry), for the
#: relations CSL can carry: the related entry is the original publication (biblatex manual
#: §3.4, "Related Entries": origpubin "originally published in", reprintof "reprint of",
#: translationof "translation of"). Other types (``multivolume``...) print nothing in CSL.
RELATED_FIELDS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "origpubin": (
        ("date", "origdate"), ("year", "origyear"), ("publisher", "origpublisher"),
        ("location", "origlocation"), ("address", "origlocation"),
    ),
    "reprintof": (
        ("title", "origtitle"), ("date", "origdate"), ("year", "origyear"),
        ("publisher", "origpublisher"), ("location", "origlocation"),
        ("address", "origlocation"),
    ),
    "translationof": (
        ("title", "origtitle"), ("date", "origdate"), ("year", "origyear"),
        ("publisher", "origpublisher"), ("location", "origlocation"),
        ("address", "origlocation"),
    ),
}  # fmt: skip


def relate(source: Source, by_key: Mapping[str, Source]) -> Source:
    """``source`` with what its ``related`` entry supplies for its ``relatedtype`` (the
    first related key that names an entry; the entry's own fields win)."""
    if source.csl is not None:
        return source
    pairs = RELATED_FIELDS.get((source.get("relatedtype") or "").strip().lower())
    keys = [key.strip() for key in (source.get("related") or "").split(",") if key.strip()]
    related = next((by_key[key] for key in keys if key in by_key), None)
    if not pairs or related is None or related is source:
        return source
    own = {item.name for item in source.fields}
    added: dict[str, Field] = {}
    for parent_name, name in pairs:
        item = related.field(parent_name)
        if item is not None and name not in own and name not in added:
            added[name] = replace(item, name=name)
    if "origdate" in added or "origdate" in own:
        added.pop("origyear", None)
    return replace(source, fields=source.fields + tuple(added.values()))


def problems(sources: Sequence[Source]) -> list[Diagnostic]:
    """Warnings for crossrefs that inherit nothing: a key no entry has, or a chain that
    comes back to itself (``lint`` reports the first as an error; ``render`` warns, since
    the child still renders, only without what the parent would have given it)."""
    by_key = {source.key: source for source in reversed(sources)}
    found: list[Diagnostic] = []
    for source in sources:
        target = (source.get("crossref") or "").strip() if source.csl is None else ""
        if not target:
            continue
        where = (source.field("crossref") or source).location
        if target not in by_key:
            found.append(Diagnostic(
                Severity.WARNING, "crossref-missing",
                f"entry '{source.key}': crossref '{target}' names no entry; it renders "
                "without what the parent would give it", where, key=source.key,
                hint="add the parent entry, or correct the key (keys are case-sensitive)",
            ))
            continue
        seen = {source.key}
        current = by_key[target]
        while True:
            if current.key in seen:
                found.append(Diagnostic(
                    Severity.WARNING, "crossref-loop",
                    f"entry '{source.key}': its crossref chain comes back to "
                    f"'{current.key}'; it renders with its own fields only", where,
                    key=source.key, hint="remove the crossref that points back",
                ))
                break
            seen.add(current.key)
            following = (current.get("crossref") or "").strip()
            if not following or following not in by_key:
                break
            current = by_key[following]
    return found
