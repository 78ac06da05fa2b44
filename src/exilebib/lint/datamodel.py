"""Entry types and their required fields, after biblatex's data model (``blx-dm.def``).

One row per type. A requirement is a tuple of alternatives (``("date", "year")``: one of
them). Departures from biblatex, on purpose, for an essay's sources:

- ``online``: a creator is one of author, editor *or organization* (web pages often name
  only the site), and the date may be the access date (``urldate``).
- ``misc``: a creator may be an organization; the date may be missing (undated documents).
- ``image``/``artwork`` (biblatex "unsupported" types, which biber accepts without rules):
  a title and one of url, organization, publisher; no creator or date is demanded, since
  image archives often give neither.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from exilebib.errors import Severity
from exilebib.lint.context import LintContext
from exilebib.lint.rules import Finding, check, rule

UNKNOWN_TYPE = rule(
    "unknown-type", Severity.WARNING, "datamodel", "an entry type neither BibTeX nor biblatex knows"
)
REQUIRED_FIELD = rule(
    "required-field", Severity.ERROR, "datamodel", "a field the entry type requires is missing"
)

Requirement = tuple[str, ...]

_DATE: Requirement = ("date", "year")
_CREATOR: Requirement = ("author", "editor")

#: Required fields per entry type (biblatex data model, with the departures above).
REQUIRED: Mapping[str, tuple[Requirement, ...]] = {
    "article": (("author",), ("title",), ("journaltitle", "journal"), _DATE),
    "book": (("author",), ("title",), _DATE),
    "mvbook": (("author",), ("title",), _DATE),
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


@check
def entry_types(context: LintContext) -> Iterator[Finding]:
    """Unknown types and missing required fields."""
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
        for requirement in requirements:
            if not any(entry.has(name) for name in requirement):
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
