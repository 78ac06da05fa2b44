"""``exilebib lint``: rules over the raw ``.bib`` text, returned as located diagnostics.

Each family of rules is a module of this package (``syntax``, ``datamodel``, ``dates``,
``links``, ``identifiers``, ``names``, ``text``, ``macros``, ``groups``, ``cited``) that
registers its rules in :data:`exilebib.lint.rules.RULES`. The rules about a file's structure
(:data:`READER_RULES`) and the per-entry suppression comments belong to the reader
(:mod:`exilebib.structure`), which reports them on every read; ``syntax`` and ``macros``
register them here with lint's own. The engine here scans each file
once (:func:`exilebib.bibtex.read_raw`), runs every family, locates the findings, applies
the configured severities and drops what is switched off, for the whole run or per entry
with a comment right above it::

    % exilebib: disable=urldate-recommended, title-capitals
    @online{key, ...}

Nothing here prints; :mod:`exilebib.cli.lint` does. Dependencies go one way: lint imports
the reading layer (:mod:`exilebib.bibtex`, :mod:`exilebib.structure`), and nothing outside
``lint/`` and ``cli/`` imports lint but the commands built on it (``tests/test_layers.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from exilebib.bibtex import NotUtf8Error, read_raw, read_text
from exilebib.errors import Diagnostic, InputError, Severity
from exilebib.lint import (  # noqa: F401  (importing a family registers its rules)
    datamodel,
    dates,
    groups,
    identifiers,
    links,
    macros,
    names,
    syntax,
    text,
)
from exilebib.lint.cited import check_citations
from exilebib.lint.context import LintContext
from exilebib.lint.rules import CHECKS, RULES, Finding, Rule, rule
from exilebib.lint.settings import LintSettings, lint_settings
from exilebib.model import Location
from exilebib.sources import is_csl_json
from exilebib.structure import READER_RULES, locate, order_in_file, suppressed

if TYPE_CHECKING:  # exilebib.citekeys (and the locator terms it reads) only for --cited
    from exilebib.citekeys import CitedKeys

__all__ = [
    "NOT_BIBTEX",
    "READER_RULES",
    "READ_ERROR",
    "RULES",
    "LintResult",
    "LintSettings",
    "Rule",
    "is_csl_json",
    "lint_paths",
    "lint_settings",
    "lint_text",
]

UNKNOWN_RULE = rule(
    "suppression-unknown-rule",
    Severity.WARNING,
    "engine",
    "a '% exilebib: disable=' comment naming a rule that does not exist",
)

#: The id of the diagnostic for a file lint could not read (missing, a directory, no
#: permission, not UTF-8). It is no rule: it cannot be switched off, and it makes the run
#: exit 2 (I/O) rather than 1, while the other files are still linted.
READ_ERROR = "read-error"
#: The id of the diagnostic for a CSL-JSON file (which ``render`` accepts as sources):
#: lint checks BibTeX only, so it says so rather than report JSON as BibTeX syntax errors.
NOT_BIBTEX = "not-bibtex"
#: Diagnostics that say a file was not linted at all.
FILE_ERRORS = frozenset({READ_ERROR, NOT_BIBTEX})


@dataclass(frozen=True)
class LintResult:
    """Every diagnostic of a run, in file order, and the texts they point into."""

    diagnostics: tuple[Diagnostic, ...]
    texts: dict[str, str] = field(default_factory=dict)  #: path as shown → text

    def count(self, severity: Severity) -> int:
        return sum(1 for item in self.diagnostics if item.severity is severity)

    @property
    def unreadable(self) -> bool:
        """Whether some file could not be linted at all (see :data:`FILE_ERRORS`)."""
        return any(item.rule in FILE_ERRORS for item in self.diagnostics)

    def failed(self, strict: bool = False) -> bool:
        """Whether the run found an error (or, with ``strict``, a warning)."""
        failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
        return any(item.severity in failing for item in self.diagnostics)


def _locate(context: LintContext, finding: Finding, settings: LintSettings) -> Diagnostic:
    return locate(context, finding, settings.severity.get(finding.rule.id, finding.rule.severity))


def _kept(finding: Finding, settings: LintSettings) -> bool:
    return finding.rule.id not in settings.disable and not suppressed(finding)


def _suppression_findings(context: LintContext) -> Iterable[Finding]:
    for entry in context.entries:
        if entry.suppression is None:
            continue
        for rule_id in sorted(entry.suppression.rules - RULES.keys()):
            yield Finding(
                UNKNOWN_RULE,
                f"{entry.label}: the disable comment names '{rule_id}', which is no rule",
                "correct the id; `exilebib lint --list-rules` lists them",
                key=entry.key or None,
                offset=entry.suppression.offset,
                entry=entry,
            )


def _run(context: LintContext) -> list[Finding]:
    findings: list[Finding] = []
    for run_check in CHECKS:
        findings.extend(run_check(context))
    findings.extend(_suppression_findings(context))
    return findings


def lint_text(shown: str, content: str, settings: LintSettings | None = None) -> LintResult:
    """Lint one ``.bib`` text; ``shown`` is the path used in locations."""
    return _lint([(shown, content)], (), settings or LintSettings())


def _not_bibtex(path: Path) -> Diagnostic:
    return Diagnostic(
        Severity.ERROR,
        NOT_BIBTEX,
        "this is a CSL-JSON file; exilebib lint checks BibTeX (.bib) files only",
        Location(str(path), 1, 1),
        hint=f"`exilebib render {path}` reports problems in its items",
    )


def _read_error(path: Path, exc: InputError) -> Diagnostic:
    """A file that could not be read, as a diagnostic located in it (at the bad byte for
    text that is not UTF-8, else at its first line); the message says how to fix it."""
    if isinstance(exc, NotUtf8Error):
        location, message = exc.location, exc.reason
    else:
        location, message = Location(str(path), 1), str(exc).removeprefix(f"{path}: ")
    return Diagnostic(Severity.ERROR, READ_ERROR, message, location)


def lint_paths(
    paths: Sequence[Path], settings: LintSettings, cited: Sequence[Path] = ()
) -> LintResult:
    """Lint ``.bib`` files (and, with ``cited``, compare them with what the texts cite).

    A file that cannot be read becomes a :data:`READ_ERROR` diagnostic, a CSL-JSON file a
    :data:`NOT_BIBTEX` one, and the others are linted all the same; a ``cited`` document
    that cannot be read raises :class:`~exilebib.errors.InputError` (its citations would be
    missing from the check).
    """
    sources: list[tuple[str, str | Diagnostic]] = []
    for path in paths:
        try:
            content = read_text(path)
        except InputError as exc:
            sources.append((str(path), _read_error(path, exc)))
            continue
        sources.append((str(path), _not_bibtex(path) if is_csl_json(path, content) else content))
    cited_texts: list[tuple[str, str, bool]] = []
    if cited:
        from exilebib.citekeys import LATEX_SUFFIXES, read_document

        cited_texts = [
            (str(path), read_document(path), path.suffix.lower() in LATEX_SUFFIXES)
            for path in cited
        ]
    return _lint(sources, cited_texts, settings)


def _lint(
    sources: Sequence[tuple[str, str | Diagnostic]],
    cited_texts: Sequence[tuple[str, str, bool]],
    settings: LintSettings,
) -> LintResult:
    contexts: list[LintContext] = []
    diagnostics: list[Diagnostic] = []
    texts: dict[str, str] = {}
    order: dict[str, int] = {}
    for shown, content in sources:
        order.setdefault(shown, len(order))
        if isinstance(content, Diagnostic):  # not read: nothing else to say about it
            diagnostics.append(content)
            continue
        context = LintContext.build_with(shown, read_raw(content), settings)
        contexts.append(context)
        texts[shown] = content
        diagnostics.extend(
            _locate(context, finding, settings)
            for finding in _run(context)
            if _kept(finding, settings)
        )
    if cited_texts and contexts:
        from exilebib.citekeys import scan_citations

        cited: list[CitedKeys] = []
        for shown, content, latex in cited_texts:
            order.setdefault(shown, len(order))
            cited.append(scan_citations(shown, content, latex))
            texts[shown] = content
        diagnostics.extend(
            _locate(contexts[0], finding, settings)
            for finding in check_citations(contexts, cited)
            if _kept(finding, settings)
        )
    diagnostics.sort(
        key=lambda item: (order.get(item.location.path, len(order)), *order_in_file(item))
    )
    return LintResult(tuple(diagnostics), texts)

