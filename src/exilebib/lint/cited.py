"""``--cited FILE``: keys cited in documents (see :mod:`exilebib.citekeys`) against the
entries of the sources: cited keys with no entry, and entries never cited.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from exilebib.errors import Severity
from exilebib.lint.context import LintContext
from exilebib.lint.rules import Finding, rule
from exilebib.model import Location

if TYPE_CHECKING:  # exilebib.citekeys is imported by lint only when --cited names files
    from exilebib.citekeys import CitedKeys

CITED_MISSING = rule(
    "cited-missing", Severity.ERROR, "cited", "a key cited in --cited FILE with no entry"
)
UNCITED_ENTRY = rule(
    "uncited-entry", Severity.WARNING, "cited", "an entry never cited in the --cited files"
)

def check_citations(
    contexts: Sequence[LintContext], cited: Sequence[CitedKeys]
) -> Iterator[Finding]:
    """Cited keys with no entry in any of the files; entries that no file cites."""
    keys: dict[str, str] = {}
    folded: dict[str, str] = {}
    for context in contexts:
        for entry in context.entries:
            if entry.key:
                keys.setdefault(entry.key, entry.key)
                folded.setdefault(entry.key.casefold(), entry.key)
    used: set[str] = set()
    everything = any(keys_.everything for keys_ in cited)
    for keys_ in cited:
        for citation in keys_.citations:
            used.add(citation.key)
            if citation.key in keys:
                continue
            near = folded.get(citation.key.casefold())
            hint = (
                f"the key is spelled '{near}' in the sources; keys are case-sensitive"
                if near
                else "add an entry with this key, or correct the citation"
            )
            yield Finding(
                CITED_MISSING,
                f"'{citation.key}' is cited but no entry has that key",
                hint,
                key=citation.key,
                location=citation.location,
            )
    if everything:
        return
    files = ", ".join(keys_.path for keys_ in cited)
    for context in contexts:
        for entry in context.entries:
            if entry.key and entry.key not in used:
                line, column = context.position(entry.raw.key_start)
                yield Finding(
                    UNCITED_ENTRY,
                    f"{entry.label} is never cited in {files}",
                    "cite it, or remove it if the bibliography should list only cited works",
                    key=entry.key,
                    location=Location(context.path, line, column),
                    entry=entry,
                )
