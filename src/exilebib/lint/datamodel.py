"""Entry types and their required fields, after biblatex's data model (``blx-dm.def``).

One row per type. A requirement is a tuple of alternatives (``("date", "year")``: one of
them). A field counts when the entry has it or inherits it through ``crossref`` (biblatex's
inheritance table, :mod:`exilebib.crossref`). Departures from biblatex, on purpose, for an
essay's sources:

- ``book``/``mvbook``: an editor may stand in for the author. biblatex's manual calls its
  required fields "not strictly required" (section 2.3.2) and its styles name an edited
  book by its editor; Zotero exports an edited volume as ``@book`` with editors only.

- ``online``: a creator is one of author, editor *or organization* (web pages often name
  only the site), and the date may be the access date (``urldate``).
- ``misc``: a creator may be an organization; the date may be missing (undated documents).
- ``image``/``artwork`` (biblatex "unsupported" types, which biber accepts without rules):
  a title and one of url, organization, publisher; no creator or date is demanded, since
  image archives often give neither.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from exilebib.crossref import inherited_names
from exilebib.errors import Severity
from exilebib.lint.context import EntryView, LintContext
from exilebib.lint.rules import Finding, check, rule

UNKNOWN_TYPE = rule(
    "unknown-type", Severity.WARNING, "datamodel", "an entry type neither BibTeX nor biblatex knows"
)
REQUIRED_FIELD = rule(
    "required-field",
    Severity.ERROR,
    "datamodel",
    "a field the entry type requires is missing (fields a crossref parent supplies count)",
)
CROSSREF_MISSING = rule(
    "crossref-missing", Severity.ERROR, "datamodel", "a crossref naming no entry of the file"
)

Requirement = tuple[str, ...]

_DATE: Requirement = ("date", "year")
_CREATOR: Requirement = ("author", "editor")

#: Required fields per entry type (biblatex data model, with the departures above).
REQUIRED: Mapping[str, tuple[Requirement, ...]] = {
    "article": (("author",), ("title",), ("journaltitle", "journal"), _DATE),
    "book": (_CREATOR, ("title",), _DATE),
    "mvbook": (_CREATOR, ("title",), _DATE),
    "inbook": (("author",), ("title",), ("booktitle",), _DATE),
    "bookinbook": (("author",), ("title",), ("booktitle",), _DATE),
    "suppbook": (("author",), ("title",), ("booktitle",), _DATE),
    "booklet": (_CREATOR, ("title",), _DATE),
    "collection": (("editor",), ("title",), _DATE),
    "mvcollection": (("editor",), ("title",), _DATE),
    "incollection": (("author",), ("title",), ("booktitle",), _DATE),
    "suppcollection": (("author",), ("title",), ("booktitle",), _DATE),
    "dataset": (_CREATOR, ("title",), _DATE),
    "manual": (_CREATOR, ("title",), _DATE),
    "misc": (("title",),),
    "online": (
        ("author", "editor", "organization"),
        ("title",),
        ("date", "year", "urldate"),
        ("url", "doi", "eprint"),
    ),
    "patent": (("author",), ("title",), ("number",), _DATE),
    "periodical": (("editor",), ("title",), _DATE),
    "suppperiodical": (("author",), ("title",), ("journaltitle", "journal"), _DATE),
    "proceedings": (("title",), _DATE),
    "mvproceedings": (("title",), _DATE),
    "inproceedings": (("author",), ("title",), ("booktitle",), _DATE),
    "reference": (("editor",), ("title",), _DATE),
    "mvreference": (("editor",), ("title",), _DATE),
    "inreference": (("author",), ("title",), ("booktitle",), _DATE),
    "report": (("author",), ("title",), ("type",), ("institution",), _DATE),
    "software": (("title",),),
    "thesis": (("author",), ("title",), ("type",), ("institution", "school"), _DATE),
    "unpublished": (("author",), ("title",), _DATE),
    "set": (),
    "xdata": (),
    # BibTeX types biblatex treats as aliases.
    "conference": (("author",), ("title",), ("booktitle",), _DATE),
    "electronic": (("title",), ("url", "doi", "eprint")),
    "www": (("title",), ("url", "doi", "eprint")),
    "mastersthesis": (("author",), ("title",), ("institution", "school"), _DATE),
    "phdthesis": (("author",), ("title",), ("institution", "school"), _DATE),
    "techreport": (("author",), ("title",), ("institution",), _DATE),
    # biblatex's "unsupported" types: accepted by biber without rules; exilebib asks little.
    "image": (("title",), ("url", "organization", "publisher")),
    "artwork": (("title",), ("url", "organization", "publisher")),
    "audio": (("title",),),
    "bibnote": (),
    "commentary": (("title",),),
    "jurisdiction": (("title",),),
    "legislation": (("title",),),
    "legal": (("title",),),
    "letter": (("title",),),
    "movie": (("title",),),
    "music": (("title",),),
    "performance": (("title",),),
    "review": (("title",),),
    "standard": (("title",),),
    "video": (("title",),),
    **{f"custom{letter}": () for letter in "abcdef"},
}

#: Types that are the web page itself (the URL is the source, not a copy of it).
ONLINE_TYPES = frozenset({"online", "electronic", "www"})


class _Inheritance:
    """The field names each entry has or inherits through ``crossref``, computed once."""

    def __init__(self, entries: list[EntryView]) -> None:
        self.by_key: dict[str, EntryView] = {}
        for entry in entries:
            if entry.key:
                self.by_key.setdefault(entry.key, entry)
        self.known: dict[int, frozenset[str]] = {}

    def parent(self, entry: EntryView) -> EntryView | None:
        target = (entry.get("crossref") or "").strip()
        return self.by_key.get(target) if target else None

    def names(self, entry: EntryView) -> frozenset[str]:
        """What ``entry`` has or inherits; the chain is walked with a loop, not recursion,
        so its length has no limit (issue 13: 1,000 links overflowed the stack)."""
        chain = [entry]
        on_chain = {id(entry)}
        current = entry
        while id(current) not in self.known:
            parent = self.parent(current)
            if parent is None:
                break
            if id(parent) in on_chain:  # a cycle: the entries on it keep their own fields
                start = chain.index(parent)
                for member in chain[start:]:
                    self.known[id(member)] = self._own(member)
                chain = chain[: start + 1]  # the entries before the cycle inherit from it
                break
            chain.append(parent)
            on_chain.add(id(parent))
            current = parent
        top = chain[-1]
        found = self.known.setdefault(id(top), self._own(top))
        for child, parent in zip(reversed(chain[:-1]), reversed(chain[1:]), strict=True):
            own = self._own(child)
            inherited = inherited_names(parent.entry_type, child.entry_type, found, own)
            found = self.known[id(child)] = own | frozenset(inherited)
        return self.known[id(entry)]

    @staticmethod
    def _own(entry: EntryView) -> frozenset[str]:
        return frozenset(name for name in entry.by_name if entry.has(name))


@check
def crossrefs(context: LintContext) -> Iterator[Finding]:
    """A crossref must name an entry of the file (biber would drop the inheritance)."""
    inheritance = _Inheritance(context.entries)
    folded = {key.casefold(): key for key in inheritance.by_key}
    for entry in context.entries:
        target = (entry.get("crossref") or "").strip()
        if not target or target in inheritance.by_key:
            continue
        item = entry.by_name["crossref"]
        near = folded.get(target.casefold())
        yield Finding(
            CROSSREF_MISSING,
            f"{entry.label}: crossref '{target}' names no entry in this file",
            f"keys are case-sensitive: write crossref = {{{near}}}"
            if near
            else "add the parent entry to the file, or correct the key",
            key=entry.key or None,
            offset=item.value_start,
            entry=entry,
        )


@check
def entry_types(context: LintContext) -> Iterator[Finding]:
    """Unknown types and missing required fields (inherited ones count)."""
    inheritance = _Inheritance(context.entries)
    for entry in context.entries:
        entry_type = entry.entry_type
        requirements = REQUIRED.get(entry_type)
        if requirements is None:
            yield Finding(
                UNKNOWN_TYPE,
                f"{entry.label} has the type @{entry.raw.entry_type}, which BibTeX and "
                "biblatex do not define; styles will treat it as @misc",
                "use a standard type such as @book, @article, @online, @image or @misc",
                key=entry.key or None,
                offset=entry.raw.type_start,
                entry=entry,
            )
            continue
        present = inheritance.names(entry)
        for requirement in requirements:
            if not any(name in present for name in requirement):
                wanted = " or ".join(f"'{name}'" for name in requirement)
                yield Finding(
                    REQUIRED_FIELD,
                    f"{entry.label} (@{entry_type}) has no {wanted}",
                    f"add {requirement[0]} = {{...}} to the entry"
                    + (f" (or {' or '.join(requirement[1:])})" if len(requirement) > 1 else ""),
                    key=entry.key or None,
                    offset=entry.raw.type_start - 1,
                    entry=entry,
                )
