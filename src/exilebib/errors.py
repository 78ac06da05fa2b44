"""Exceptions, diagnostics and exit codes.

Outcomes are data: a malformed entry or a dead link is a :class:`Diagnostic` (or a result
record) returned with the rest. Only broken preconditions raise, all from
:class:`ExilebibError`:

- :class:`UsageError`: the user asked for something that does not exist or cannot work
  (unknown style or locale, bad option value, bad config). Exit code 2.
- :class:`InputError`: a file could not be read or is not what it claims to be
  (missing, unreadable, not UTF-8, JSON that is not CSL-JSON). Exit code 2.
- :class:`RenderError`: the rendering engine failed on the whole input. Exit code 2.

Every exception carries a message that says what is wrong and how to fix it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from exilebib.model import Location


class ExitCode(enum.IntEnum):
    """The CLI's exit codes, one meaning each."""

    OK = 0  #: nothing to report
    FINDINGS = 1  #: the command ran and found problems (broken links, lint errors)
    USAGE = 2  #: bad usage, bad config, unreadable input: nothing was done


class Severity(enum.Enum):
    """How much a diagnostic matters."""

    ERROR = "error"  #: the entry or file is wrong; output will be wrong or missing
    WARNING = "warning"  #: probably wrong; output may be poorer than intended
    INFO = "info"  #: a choice exilebib made for you, worth knowing


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about the input, located at a 1-based ``file:line``."""

    severity: Severity
    rule: str  #: stable id, e.g. ``syntax-error``
    message: str  #: what is wrong, naming the entry key where there is one
    location: Location
    key: str | None = None
    hint: str | None = None  #: how to fix it

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity.value}: {self.message} [{self.rule}]"
        if self.hint:
            text += f" ({self.hint})"
        return text


class ExilebibError(Exception):
    """Base of every error exilebib raises on purpose."""

    exit_code: ExitCode = ExitCode.USAGE


class UsageError(ExilebibError):
    """The request cannot be carried out as asked (unknown style, bad option, bad config)."""


class InputError(ExilebibError):
    """An input file is missing, unreadable, or not in the format it claims."""


class RenderError(ExilebibError):
    """The CSL engine failed on the input as a whole."""
