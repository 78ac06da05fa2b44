"""Structure: blocks that do not parse, braces, the swallowed comma, keys and repeated fields.

bibtexparser recovers from most of these without a word (a missing comma makes it read the
next field into the value; a repeated field makes it drop the entry), so the checks here
work from the scanner's findings (:mod:`exilebib.bibtex` raw layer), not from its result.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from exilebib.bibtex import BlockKind, Failure, ProblemKind, RawBlock, RawProblem
from exilebib.errors import Severity
from exilebib.structure.context import StructureContext, ends_early
from exilebib.structure.rules import Finding, Rule

SYNTAX_ERROR = Rule(
    "syntax-error", Severity.ERROR, "syntax", "a block that does not parse (every one is reported)"
)
UNBALANCED_BRACES = Rule(
    "unbalanced-braces", Severity.ERROR, "syntax", "a '{' never closed or a '}' closing nothing"
)
MISSING_COMMA = Rule(
    "missing-comma",
    Severity.ERROR,
    "syntax",
    "no comma between two fields (bibtexparser silently reads the next field into the value)",
)
DUPLICATE_KEY = Rule("duplicate-key", Severity.ERROR, "syntax", "two entries with the same key")
DUPLICATE_KEY_CASE = Rule(
    "duplicate-key-case", Severity.WARNING, "syntax", "two keys equal but for letter case"
)
DUPLICATE_FIELD = Rule(
    "duplicate-field", Severity.ERROR, "syntax", "a field given twice in one entry (any case)"
)
EMPTY_KEY = Rule(
    "empty-key",
    Severity.ERROR,
    "syntax",
    "an entry with no key (render and links leave it out: nothing can cite it)",
)
KEY_SYNTAX = Rule(
    "key-syntax",
    Severity.ERROR,
    "syntax",
    "a key with spaces or , { } ( ) = # % \" ' \\ ~ (kept under the key as written)",
)

_BAD_KEY_CHARS = re.compile(r"[\s,{}()=#%\"'\\~]")
_SWALLOWED = re.compile(r",\s*[A-Za-z][\w-]*\s*=")
_GAP_SYNTAX = re.compile(r"[{}=]")
_FIELD_START = re.compile(r"([^\s=,{}()\"#%']+)\s*=")


def _label(key: str | None) -> str:
    return f"entry '{key}'" if key else "block"


def _brace_balance(raw: str) -> int:
    return raw.count("{") - raw.count("}")


def _broken_block(context: StructureContext, block: RawBlock) -> Iterator[Finding]:
    entry = block.entry
    key = entry.key if entry and entry.entry_type.lower() != "string" else None
    fatal = next((p for p in entry.problems if p.fatal), None) if entry else None
    balance = _brace_balance(block.raw)
    label = _label(key)
    if balance or (fatal and fatal.kind is ProblemKind.UNCLOSED_BRACE):
        # Point at the value that swallowed what follows it, where the missing '}' belongs.
        offset = fatal.offset if fatal else block.start
        field_name = fatal.field if fatal else None
        if entry and not (fatal and fatal.kind is ProblemKind.UNCLOSED_BRACE):
            for item in entry.fields:
                if _SWALLOWED.search(item.value):
                    offset, field_name = item.value_start, item.name
                    break
        if balance > 0:
            what = f"{balance} '{{' more than '}}'" if balance > 1 else "one '{' more than '}'"
        elif balance < 0:
            what = f"{-balance} '}}' more than '{{'" if balance < -1 else "one '}' more than '{'"
        else:
            what = "a '{' that is never closed"
        swallowed = field_name is not None and (
            fatal is None or fatal.kind is ProblemKind.UNCLOSED_BRACE or offset != fatal.offset
        )
        where = f" in the value of '{field_name}'" if swallowed else ""
        detail = f": {fatal.detail}" if fatal and not swallowed else ""
        yield Finding(
            UNBALANCED_BRACES,
            f"{label} does not parse: unbalanced braces{where} ({what} in the block){detail}",
            "close every '{' in the value where it belongs; the entries after it are kept",
            key=key,
            offset=offset,
        )
        return
    if fatal is not None:
        yield Finding(
            SYNTAX_ERROR,
            f"{label} does not parse: {fatal.detail}",
            "check the quotes, the '=' after every field name and the comma after every value",
            key=key,
            offset=fatal.offset,
        )
        return
    reason = block.reason or "bibtexparser could not read it"
    yield Finding(
        SYNTAX_ERROR,
        f"{label} does not parse: {reason}",
        "check the braces and quotes, and the comma after every field",
        key=key,
        offset=block.start,
    )


def _problems(context: StructureContext, block: RawBlock) -> Iterator[Finding]:
    """Mistakes in a block bibtexparser accepted (it reads them wrongly, without a word)."""
    entry = block.entry
    assert entry is not None
    key = entry.key or None
    fatal: RawProblem | None = None
    for problem in entry.problems:
        if problem.kind is ProblemKind.MISSING_COMMA:
            following = _FIELD_START.match(context.raw.text, problem.offset)
            name = following.group(1) if following else "the next field"
            yield Finding(
                MISSING_COMMA,
                f"{_label(key)}: no comma between the value of '{problem.field}' and "
                f"'{name}'; BibTeX skips the rest of the entry and bibtexparser-based tools read "
                f"'{name} = ...' into the {problem.field}",
                f"add a comma after the value of '{problem.field}'",
                key=key,
                offset=problem.offset,
            )
        elif problem.kind is ProblemKind.STRAY_BRACE:
            yield Finding(
                UNBALANCED_BRACES,
                f"{_label(key)}: unbalanced braces in the value of '{problem.field}' "
                "(a '}' closes no '{')",
                "remove the stray '}' or add the '{' it belongs to",
                key=key,
                offset=problem.offset,
            )
        elif problem.fatal:
            fatal = problem
    if fatal is not None:
        yield Finding(
            SYNTAX_ERROR,
            f"{_label(key)} does not parse: {fatal.detail}",
            "check the quotes, the '=' after every field name and the comma after every value",
            key=key,
            offset=fatal.offset,
        )


def _gap_text(context: StructureContext) -> Iterator[Finding]:
    """Lines between blocks with braces or '=' are usually the tail of a broken entry."""
    text = context.raw.text
    previous_end = 0
    previous: RawBlock | None = None
    for block in (*context.raw.blocks, None):
        end = block.start if block is not None else len(text)
        gap = text[previous_end:end]
        if not _GAP_SYNTAX.search(gap):
            previous, previous_end = block, block.end if block else 0
            continue
        if previous is not None and previous.entry is not None and ends_early(gap):
            key = previous.entry.key or None
            after_comma = gap[gap.index(",") + 1 :]
            line = context.position(previous_end + len(gap) - len(after_comma.lstrip()))[0]
            yield Finding(
                UNBALANCED_BRACES,
                f"{_label(key)}: this '}}' closes the entry early; the fields from line "
                f"{line} on are outside any entry and BibTeX ignores them",
                "remove the extra '}' (each value needs exactly one pair of outer braces)",
                key=key,
                offset=previous_end - 1,
            )
            previous, previous_end = block, block.end if block else 0
            continue
        if block is not None:
            previous, previous_end = block, block.end
        offset = end - len(gap)
        for text_line in gap.split("\n"):
            stripped = text_line.strip()
            if stripped and not stripped.startswith("%") and _GAP_SYNTAX.search(stripped):
                where = offset + text_line.index(stripped[0])
                line_no = context.position(where)[0]
                if _brace_balance(stripped) < 0:
                    yield Finding(
                        UNBALANCED_BRACES,
                        f"text outside any entry at line {line_no} has a '}}' that closes "
                        "nothing; an extra '}' above probably ended an entry too early",
                        "remove the extra '}' so the text is part of its entry again",
                        offset=where,
                    )
                else:
                    yield Finding(
                        SYNTAX_ERROR,
                        f"text outside any entry at line {line_no} looks like BibTeX; "
                        "BibTeX ignores it",
                        "move it into its entry, or start the line with '%' to keep it as a "
                        "comment",
                        offset=where,
                    )
                break
            offset += len(text_line) + 1


def structure(context: StructureContext) -> Iterator[Finding]:
    """Blocks that do not parse, scanner problems, stray text between blocks."""
    for block in context.raw.blocks:
        if block.kind is BlockKind.FAILED and block.failure is Failure.SYNTAX:
            yield from _broken_block(context, block)
        elif block.entry is not None and block.entry.problems:
            yield from _problems(context, block)
    yield from _gap_text(context)


def keys_and_fields(context: StructureContext) -> Iterator[Finding]:
    """Key syntax, repeated keys (exact and by case), repeated fields (by case)."""
    first: dict[str, int] = {}
    folded: dict[str, tuple[str, int]] = {}
    for entry in context.entries:
        raw = entry.raw
        key = raw.key
        line = context.position(raw.key_start)[0]
        if not key:
            yield Finding(
                EMPTY_KEY,
                f"the @{raw.entry_type} entry at line {line} has no key",
                "add a key after the '{', e.g. @book{author2024word, ...",
                offset=raw.key_start,
                entry=entry,
            )
        elif _BAD_KEY_CHARS.search(key):
            bad = _BAD_KEY_CHARS.search(key)
            assert bad is not None
            shown = "a space" if bad.group().isspace() else f"'{bad.group()}'"
            yield Finding(
                KEY_SYNTAX,
                f"entry key '{key}' contains {shown}, which BibTeX and biber do not accept in keys",
                "use letters, digits and - _ : . / only",
                key=key,
                offset=raw.key_start + bad.start(),
                entry=entry,
            )
        if key:
            if key in first:
                yield Finding(
                    DUPLICATE_KEY,
                    f"entry key '{key}' is used again (first at line {first[key]})",
                    "give one of the entries another key, or merge them",
                    key=key,
                    offset=raw.key_start,
                    entry=entry,
                )
            else:
                first[key] = line
                other = folded.get(key.casefold())
                if other is not None:
                    yield Finding(
                        DUPLICATE_KEY_CASE,
                        f"entry key '{key}' differs only in case from '{other[0]}' (line "
                        f"{other[1]}); BibTeX treats them as the same key",
                        "rename one of them so the keys differ in more than case",
                        key=key,
                        offset=raw.key_start,
                        entry=entry,
                    )
                else:
                    folded[key.casefold()] = (key, line)
        seen: dict[str, int] = {}  #: name → offset of its first occurrence
        for item in raw.fields:
            name = item.name.lower()
            if name in seen:
                first_line = context.position(seen[name])[0]
                yield Finding(
                    DUPLICATE_FIELD,
                    f"{_label(key)} has the field '{name}' twice (first at line {first_line}); "
                    "BibTeX uses the first, bibtexparser drops the whole entry",
                    f"keep one '{name}' and delete the other",
                    key=key or None,
                    offset=item.name_start,
                    entry=entry,
                )
            else:
                seen[name] = item.name_start
