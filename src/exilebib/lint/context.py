"""What every lint rule sees: the reader's view of the file plus the lint settings.

The scanned file, its entries and their suppression comments are the reader's
(:mod:`exilebib.structure.context`); lint adds only its settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from exilebib.bibtex import RawFile
from exilebib.lint.settings import LintSettings
from exilebib.structure.context import (
    SUPPRESS_COMMENT,
    EntryView,
    StructureContext,
    Suppression,
    ends_early,
)

__all__ = ["SUPPRESS_COMMENT", "EntryView", "LintContext", "Suppression", "ends_early"]


@dataclass
class LintContext(StructureContext):
    """One file under lint: the scan, its entries, its macros, the settings."""

    settings: LintSettings = field(default_factory=LintSettings)

    @classmethod
    def build_with(cls, path: str, raw: RawFile, settings: LintSettings) -> LintContext:
        context = cls.build(path, raw)
        context.settings = settings
        return context
