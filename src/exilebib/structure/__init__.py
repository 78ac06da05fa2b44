"""What the reader says about a ``.bib`` file's structure, as located diagnostics.

The rules every command shares (:data:`READER_RULES`: blocks that do not parse, braces,
the swallowed comma, keys, repeated fields, macros that cannot be resolved) live here, in
the reading layer: :func:`exilebib.bibtex.read_bibtex` reports them on every read, so
``render``, ``links`` and ``fmt`` name a broken block with the same id, message and
location as ``exilebib lint``, which registers these rules with its own. A
``% exilebib: disable=`` comment right above an entry (:mod:`exilebib.structure.context`)
switches a rule off for that entry here as in lint.

Dependencies go one way: this package is built on the raw layer of :mod:`exilebib.bibtex`
and on :mod:`exilebib.errors`/:mod:`exilebib.model`; :mod:`exilebib.lint` imports it, never
the other way round (``tests/test_layers.py`` checks that no module outside ``lint/`` and
``cli/`` imports ``exilebib.lint``).
"""

from __future__ import annotations

from exilebib.bibtex import RawFile
from exilebib.errors import Diagnostic, Severity
from exilebib.model import Location
from exilebib.structure import macros, syntax
from exilebib.structure.context import StructureContext
from exilebib.structure.rules import Finding

__all__ = [
    "READER_RULES",
    "locate",
    "order_in_file",
    "reader_diagnostics",
    "structural_diagnostics",
    "suppressed",
]

#: The rules the reader (:func:`exilebib.bibtex.read_bibtex`, so ``render`` and ``links``)
#: reports too: everything about the file's structure, and macros it cannot resolve.
READER_RULES = frozenset(
    {
        syntax.SYNTAX_ERROR.id,
        syntax.UNBALANCED_BRACES.id,
        syntax.MISSING_COMMA.id,
        syntax.DUPLICATE_KEY.id,
        syntax.DUPLICATE_KEY_CASE.id,
        syntax.DUPLICATE_FIELD.id,
        syntax.EMPTY_KEY.id,
        syntax.KEY_SYNTAX.id,
        macros.UNDEFINED_MACRO.id,
        macros.MACRO_TOO_LONG.id,
    }
)

_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def locate(context: StructureContext, finding: Finding, severity: Severity) -> Diagnostic:
    """A finding as a diagnostic located in the file (``severity``: the one configured)."""
    if finding.location is not None:
        location = finding.location
    else:
        line, column = context.position(finding.offset if finding.offset is not None else 0)
        location = Location(context.path, line, column)
    return Diagnostic(
        severity,
        finding.rule.id,
        finding.message,
        location,
        key=finding.key,
        hint=finding.hint,
    )


def suppressed(finding: Finding) -> bool:
    """Whether the ``% exilebib: disable=`` comment above the finding's entry names its rule."""
    entry = finding.entry
    return bool(entry and entry.suppression and finding.rule.id in entry.suppression.rules)


def order_in_file(item: Diagnostic) -> tuple[int, int, int, str]:
    """The order diagnostics of one file are listed in: by place, errors first, by id."""
    return (
        item.location.line,
        item.location.column or 0,
        _SEVERITY_ORDER[item.severity],
        item.rule,
    )


def _structural_findings(context: StructureContext) -> list[Finding]:
    return [*syntax.structure(context), *syntax.keys_and_fields(context)]


def structural_diagnostics(shown: str, raw: RawFile) -> list[Diagnostic]:
    """Only the structure rules (syntax, braces, commas, keys, repeated fields), unfiltered.

    ``fmt`` asks these before it rewrites a file: any error here means the file did not
    parse whole.
    """
    context = StructureContext.build(shown, raw)
    return [
        locate(context, finding, finding.rule.severity)
        for finding in _structural_findings(context)
    ]


def reader_diagnostics(shown: str, raw: RawFile) -> list[Diagnostic]:
    """What ``exilebib lint`` (default settings) reports under :data:`READER_RULES`.

    The reader calls this, so ``render`` and ``lint`` name the same problems with the same
    ids, messages and locations. A ``% exilebib: disable=`` comment above an entry applies;
    the ``[tool.exilebib.lint]`` config does not (the reader has no config).
    """
    context = StructureContext.build(shown, raw)
    findings = _structural_findings(context)
    findings += macros.macros(context)
    diagnostics = [
        locate(context, finding, finding.rule.severity)
        for finding in findings
        if not suppressed(finding)
    ]
    diagnostics.sort(key=order_in_file)
    return diagnostics
