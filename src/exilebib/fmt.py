"""``exilebib fmt``: rewrite a ``.bib`` file in one layout without changing what it says.

What changes: indentation, ``=`` alignment, the space around ``#``, the delimiters of
literal values (``"x"`` and ``1975`` become ``{x}`` and ``{1975}``), the case of entry types
and field names (both case-insensitive in BibTeX), trailing whitespace and runs of blank
lines between blocks, and, when asked, the order of fields and of entries.

What never changes: every entry, key, field and value (value text is copied byte for byte,
inside its new delimiters, so URLs with ``%`` or ``~`` survive), every ``%`` comment and
free text between blocks, ``@comment`` and ``@preamble`` blocks (copied as they are),
``@string`` definitions and every reference to them (a macro stays a macro), and ``#``
concatenation. An entry whose key was used before is formatted like any other (lint
reports the repetition; skipping it would let ``--check`` pass on an unformatted file).
Formatting is idempotent.

It refuses (returns no text) when the file does not parse whole: a block bibtexparser
gave up on, a missing comma, unbalanced braces, text between entries that looks like a
broken entry, a field given twice, or an entry without a key. Those are the lint rules in
:data:`REFUSING_RULES`, reported as diagnostics naming the block.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from exilebib.bibtex import BlockKind, Failure, RawBlock, RawField, RawFile, ValueKind, read_raw
from exilebib.config import Settings
from exilebib.errors import Diagnostic, UsageError
from exilebib.lint import structural_diagnostics

#: The indentation of fields unless configured.
DEFAULT_INDENT = "  "
#: Lint rules whose findings mean the file did not parse whole: fmt will not rewrite it.
REFUSING_RULES = frozenset(
    {"syntax-error", "unbalanced-braces", "missing-comma", "duplicate-field", "empty-key"}
)

# bibtexparser does not count an escaped brace (\{ or \}) where BibTeX does; such a value
# reads the same in both only inside its quotes, so it keeps them.
_ESCAPED_BRACE = re.compile(r"\\[{}]")
_FMT_KEYS = frozenset({"indent", "align", "field-order", "sort", "trailing-comma"})


@dataclass(frozen=True, slots=True)
class FmtSettings:
    """The layout ``fmt`` writes."""

    indent: str = DEFAULT_INDENT  #: before every field
    align: bool = True  #: pad field names so the ``=`` line up within an entry
    field_order: tuple[str, ...] = ()  #: these fields first, in this order; others after
    sort: bool = False  #: sort entries by key (case-insensitive)
    trailing_comma: bool = True  #: a comma after the last field too


@dataclass(frozen=True, slots=True)
class FmtResult:
    """The formatted text, or ``None`` and the reasons it was refused."""

    text: str | None
    problems: tuple[Diagnostic, ...] = ()

    @property
    def refused(self) -> bool:
        return self.text is None


def fmt_settings(config: Settings) -> FmtSettings:
    """The ``[tool.exilebib.fmt]`` table of the project config as :class:`FmtSettings`."""
    table: dict[str, Any] = config.section("fmt")
    where = config.where(sub="fmt")
    unknown = sorted(set(table) - _FMT_KEYS)
    if unknown:
        raise UsageError(
            f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(_FMT_KEYS))})"
        )
    defaults = FmtSettings()
    indent = parse_indent(table.get("indent", defaults.indent), f"{where} indent")
    flags: dict[str, bool] = {}
    for name in ("align", "sort", "trailing-comma"):
        value = table.get(name, getattr(defaults, name.replace("-", "_")))
        if not isinstance(value, bool):
            raise UsageError(f"{where} {name} must be true or false")
        flags[name] = value
    order = table.get("field-order", [])
    if not isinstance(order, list) or not all(isinstance(item, str) for item in order):
        raise UsageError(f'{where} field-order must be a list of field names, e.g. ["title"]')
    return FmtSettings(
        indent=indent,
        align=flags["align"],
        field_order=tuple(name.lower() for name in order),
        sort=flags["sort"],
        trailing_comma=flags["trailing-comma"],
    )


def parse_indent(value: object, name: str) -> str:
    """``2`` → two spaces, ``"tab"`` → a tab, a string of spaces/tabs → itself.

    ``name`` is how the message names the setting: ``--indent``, or the config file's
    ``[tool.exilebib.fmt] indent``.
    """
    if isinstance(value, bool):
        raise UsageError(f"{name} must be a number of spaces or 'tab'")
    if isinstance(value, int) and 0 <= value <= 16:
        return " " * value
    if value == "tab":
        return "\t"
    if isinstance(value, str) and value.isdigit() and int(value) <= 16:
        return " " * int(value)
    if isinstance(value, str) and value and not value.strip(" \t"):
        return value
    raise UsageError(f"{name} must be a number of spaces (0-16) or 'tab', not {value!r}")


def format_value(item: RawField) -> str:
    """The value with ``{}`` around literals, macros bare, parts joined by `` # ``."""
    parts: list[str] = []
    for part in item.parts:
        if part.kind is ValueKind.QUOTED and not _ESCAPED_BRACE.search(part.text):
            parts.append("{" + part.text[1:-1] + "}")
        elif part.kind is ValueKind.NUMBER:
            parts.append("{" + part.text + "}")
        else:
            parts.append(part.text)
    return " # ".join(parts)


def _ordered(fields: Sequence[RawField], order: Sequence[str]) -> list[RawField]:
    if not order:
        return list(fields)
    rank = {name: index for index, name in enumerate(order)}
    indexed = sorted(
        enumerate(fields), key=lambda pair: (rank.get(pair[1].name.lower(), len(rank)), pair[0])
    )
    return [item for _, item in indexed]


def _is_entry(block: RawBlock) -> bool:
    """An entry, including one bibtexparser set aside because its key was used before
    (a complete entry all the same: lint reports the repetition, fmt formats both)."""
    return block.kind is BlockKind.ENTRY or block.failure is Failure.DUPLICATE_KEY


def format_block(block: RawBlock, settings: FmtSettings) -> str:
    """One block in the house layout (``@comment``/``@preamble`` as written)."""
    entry = block.entry
    if block.kind is BlockKind.STRING and entry is not None and entry.fields:
        definition = entry.fields[0]
        return f"@string{{{definition.name} = {format_value(definition)}}}"
    if not _is_entry(block) or entry is None:
        return block.raw
    fields = _ordered(entry.fields, settings.field_order)
    width = max((len(item.name) for item in fields), default=0) if settings.align else 0
    lines = [f"@{entry.entry_type.lower()}{{{entry.key},"]
    for index, item in enumerate(fields):
        comma = "," if settings.trailing_comma or index < len(fields) - 1 else ""
        name = item.name.lower().ljust(width)
        lines.append(f"{settings.indent}{name} = {format_value(item)}{comma}")
    lines.append("}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- layout


@dataclass(frozen=True, slots=True)
class _Unit:
    """A block with the text around it: ``lead`` (whole lines above it, since the previous
    block's line) and ``tail`` (text after it on its last line)."""

    lead: str | None  #: ``None`` for the first block (its lead is the file's head)
    block: RawBlock
    tail: str


def _split(raw: RawFile) -> tuple[str, list[_Unit], str]:
    """The file as head text, blocks with their surrounding text, and trailing text."""
    text = raw.text
    blocks = raw.blocks
    if not blocks:
        return text, [], ""
    head = text[: blocks[0].start]
    units: list[_Unit] = []
    lead: str | None = None
    for index, block in enumerate(blocks):
        following = blocks[index + 1].start if index + 1 < len(blocks) else len(text)
        gap = text[block.end : following]
        tail, newline, rest = gap.partition("\n")
        units.append(_Unit(lead, block, tail))
        lead = rest if newline else ""
    return head, units, lead or ""


def _lines(text: str, before_block: bool) -> tuple[list[str], bool, bool]:
    """Whole lines of ``text``, trimmed, blank runs collapsed; and blank edges."""
    lines = text.split("\n")
    if before_block:
        prefix = lines.pop()  # the text before the block on the block's own line
        if prefix.strip():
            lines.append(prefix)
    lines = [line.rstrip() for line in lines]
    blank_before = bool(lines) and lines[0] == ""
    blank_after = bool(lines) and lines[-1] == ""
    body: list[str] = []
    for line in lines:
        if line or (body and body[-1]):
            body.append(line)
    while body and not body[-1]:
        body.pop()
    return body, blank_before, blank_after


def _separator(lead: str, previous: RawBlock, following: RawBlock) -> str:
    body, blank_before, blank_after = _lines(lead, before_block=True)
    if body:
        return (
            "\n" + ("\n" if blank_before else "") + "\n".join(body) + "\n"
            + ("\n" if blank_after else "")
        )  # fmt: skip
    # Consecutive @string lines may stay together; any other blocks get one blank line.
    compact = previous.kind is BlockKind.STRING and following.kind is BlockKind.STRING
    return "\n" if compact and lead.count("\n") == 0 else "\n\n"


def _render(head: str, units: Sequence[_Unit], trailer: str, settings: FmtSettings) -> str:
    out: list[str] = []
    body, _, blank_after = _lines(head, before_block=bool(units))
    if body:
        out.append("\n".join(body) + "\n" + ("\n" if blank_after and units else ""))
    previous: RawBlock | None = None
    for unit in units:
        if previous is not None:
            out.append(_separator(unit.lead or "", previous, unit.block))
        out.append(format_block(unit.block, settings) + unit.tail.rstrip())
        previous = unit.block
    if units:
        body, blank_before, _ = _lines(trailer, before_block=False)
        out.append("\n")
        if body:
            out.append(("\n" if blank_before else "") + "\n".join(body) + "\n")
    return "".join(out)


def _sorted_units(head: str, units: Sequence[_Unit]) -> tuple[str, list[_Unit]]:
    """Non-entry blocks first (in file order), then entries by key; comments travel with
    the block below them, except the file's head, which stays on top."""
    if not units:
        return head, []
    first, *rest = units
    units = [_Unit("", first.block, first.tail), *rest]
    others = [unit for unit in units if not _is_entry(unit.block)]
    entries = [unit for unit in units if _is_entry(unit.block)]
    entries.sort(key=lambda unit: (unit.block.entry.key if unit.block.entry else "").casefold())
    ordered = others + entries
    # The first block's own comments join the head, which is rendered above it.
    lead = ordered[0].lead or ""
    if lead:
        head += ("\n" if head and not head.endswith("\n") else "") + lead
    return head, [_Unit(None, ordered[0].block, ordered[0].tail), *ordered[1:]]


@dataclass(frozen=True, slots=True)
class Convention:
    """How a file writes line breaks and whether it starts with a byte order mark.

    ``fmt`` keeps both: a Windows user's CRLF file stays CRLF (a rewrite to LF would show
    every line as changed), and a BOM that some editor or exporter wrote stays.
    """

    newline: str = "\n"
    bom: bool = False

    @classmethod
    def of(cls, text: str) -> Convention:
        """The convention of ``text``: CRLF when most of its line breaks are CRLF."""
        crlf = text.count("\r\n")
        return cls("\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n", text[:1] == BOM)

    def strip(self, text: str) -> str:
        """``text`` without its BOM and with LF line breaks, as the formatter works."""
        text = text[1:] if self.bom else text
        return text.replace("\r\n", "\n") if self.newline == "\r\n" else text

    def apply(self, text: str) -> str:
        """Formatted ``text`` (LF) written in this convention."""
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        return BOM + text if self.bom else text


#: The byte order mark as text (a file read as plain UTF-8 starts with it).
BOM = "\ufeff"


def format_bibtex(text: str, settings: FmtSettings | None = None, shown: str = "-") -> FmtResult:
    """Format ``text``; refuse (with located diagnostics) if it does not parse whole.

    The result keeps ``text``'s line breaks (CRLF or LF) and its byte order mark, if any.
    """
    settings = settings or FmtSettings()
    convention = Convention.of(text)
    text = convention.strip(text)
    raw = read_raw(text)
    problems = tuple(
        sorted(
            (item for item in structural_diagnostics(shown, raw) if item.rule in REFUSING_RULES),
            key=lambda item: (item.location.line, item.location.column or 0),
        )
    )
    if problems:
        return FmtResult(None, problems)
    head, units, trailer = _split(raw)
    if settings.sort:
        head, units = _sorted_units(head, units)
    return FmtResult(convention.apply(_render(head, units, trailer, settings)))
