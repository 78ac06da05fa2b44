"""The records a structure rule is made of: a :class:`Rule` and the :class:`Finding` of it.

Rules are data: a stable id, a default severity, the family that implements it and a
one-line summary. The reader's rules are defined in this package; ``exilebib lint``
registers them with its own (:mod:`exilebib.lint.rules`), so both name a problem alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from exilebib.errors import Severity
from exilebib.model import Location

if TYPE_CHECKING:
    from exilebib.structure.context import EntryView


@dataclass(frozen=True, slots=True)
class Rule:
    """A lint rule: ``id`` never changes once released; ``severity`` is the default."""

    id: str
    severity: Severity
    family: str  #: the module that implements it (``syntax``, ``dates``, ...)
    summary: str  #: what the rule checks, one line, for ``--list-rules`` and the README


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule firing. Located by ``offset`` into the linted text, or by ``location``.

    ``entry`` is the entry the finding is about (its suppression comment applies).
    """

    rule: Rule
    message: str
    hint: str
    key: str | None = None
    offset: int | None = None
    location: Location | None = None
    entry: EntryView | None = None
