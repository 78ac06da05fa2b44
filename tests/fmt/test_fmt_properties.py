"""Property tests: on generated .bib files, fmt keeps everything and is idempotent.

The generator writes what hand-edited files contain: ``%`` comments and free text between
blocks, ``@comment`` and ``@preamble``, ``@string`` macros and references to them (and to
month macros), ``#`` concatenation, quoted and braced values with nested braces, bare
numbers, URLs with ``%xx``, ``_``, ``~`` and ``#``, multi-line values, any field-name case,
and untidy spacing.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exilebib.bibtex import ValueKind, read_bibtex, read_raw
from exilebib.fmt import FmtSettings, format_bibtex

_TEXT = st.text(
    alphabet=st.sampled_from([*"abcXYZ019 .,;:-'!?&$^_~/äéŠ–", "\n"]), max_size=12
)


@st.composite
def _balanced(draw: st.DrawFn, depth: int = 0) -> str:
    latex = st.sampled_from(["{}", "\\'{e}", '{\\"o}', "\\textit{x}", "\\%", "10\\,\\%"])
    pieces = draw(st.lists(st.one_of(_TEXT, latex), max_size=4))
    if depth < 2 and draw(st.booleans()):
        pieces.append("{" + draw(_balanced(depth + 1)) + "}")
    return "".join(pieces)


_URL = st.builds(
    lambda path, query: "https://example.org/" + path + query,
    st.lists(st.sampled_from([*"abcXYZ_~-./", "%20", "%D0%9B", "(1)"]), max_size=12).map("".join),
    st.sampled_from(["", "?a=1&b=%2F", "#frag", "?q=x%20y#top"]),
)


@st.composite
def _value(draw: st.DrawFn, macros: list[str]) -> str:
    def part() -> str:
        kind = draw(st.sampled_from(["braced", "quoted", "number", "macro", "url"]))
        if kind == "braced":
            return "{" + draw(_balanced()) + "}"
        if kind == "quoted":
            return '"' + draw(_balanced()).replace('"', "") + '"'
        if kind == "number":
            return str(draw(st.integers(0, 3000)))
        if kind == "url":
            return "{" + draw(_URL) + "}"
        return draw(st.sampled_from([*macros, "aug", "DEC"]))

    parts = [part() for _ in range(draw(st.integers(1, 3)))]
    joiners = [draw(st.sampled_from([" # ", "#", "  #\n   "])) for _ in parts[1:]]
    out = parts[0]
    for joiner, item in zip(joiners, parts[1:], strict=True):
        out += joiner + item
    return out


_NAMES = ["title", "author", "year", "url", "note", "publisher", "month", "keywords", "x-y"]


@st.composite
def bib_files(draw: st.DrawFn) -> str:
    macros = draw(st.lists(st.sampled_from(["wmc", "hi", "Pub", "s1"]), unique=True, max_size=3))
    out: list[str] = []
    if draw(st.booleans()):
        out.append("% " + draw(_TEXT).replace("\n", " ") + "\n\n")
    for name in macros:
        out.append(f"@string{{{name} = {{{draw(_TEXT)}}}}}\n")
    if draw(st.booleans()):
        out.append('@preamble{"\\newcommand{\\x}{y}"}\n')
    keys = draw(
        st.lists(
            st.text(alphabet="abcdefxyz0123456789-_:", min_size=1, max_size=8),
            unique_by=str.casefold,
            max_size=6,
        )
    )
    for key in keys:
        gap = draw(st.sampled_from(["\n", "\n\n\n", "\n% a comment  \n", "\njunk text\n", " "]))
        if draw(st.booleans()):
            gap += "@comment{" + draw(_TEXT).replace("}", "").replace("{", "") + "}\n"
        out.append(gap)
        names = draw(st.lists(st.sampled_from(_NAMES), unique=True, max_size=5))
        fields = []
        for name in names:
            shown = draw(st.sampled_from([name, name.upper(), name.capitalize()]))
            spacing = draw(st.sampled_from(["=", " = ", "   =  "]))
            fields.append(f"{shown}{spacing}{draw(_value(macros))}")
        separator = draw(st.sampled_from([",\n  ", ", ", ",\n\t"]))
        trailing = draw(st.sampled_from(["", ",", ",\n"]))
        entry_type = draw(st.sampled_from(["book", "Online", "MISC", "image"]))
        body = separator.join(fields)
        out.append(f"@{entry_type}{{{key},\n  {body}{trailing}\n}}" if fields else f"@misc{{{key},}}")
    out.append(draw(st.sampled_from(["", "\n", "\n\n% end\n"])))
    return "".join(out)


def _snapshot(path: Path) -> tuple[object, ...]:
    library = read_bibtex(path)
    entries = [
        (s.key, s.entry_type, [(f.name, f.value) for f in s.fields]) for s in library.sources
    ]
    return entries, library.strings, [(d.rule, d.message) for d in library.diagnostics]


def _macro_structure(text: str) -> list[list[list[tuple[str, str]]]]:
    """Per entry and field: each part, literal content or macro name (macros stay macros)."""
    out = []
    for block in read_raw(text).blocks:
        if block.entry is None:
            continue
        fields = []
        for item in block.entry.fields:
            parts = []
            for part in item.parts:
                if part.kind is ValueKind.MACRO:
                    parts.append(("macro", part.text))
                elif part.kind is ValueKind.NUMBER:
                    parts.append(("literal", part.text))
                else:
                    parts.append(("literal", part.text[1:-1]))
            fields.append(parts)
        out.append(fields)
    return out


def _comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("%")]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=bib_files(), sort=st.booleans())
def test_fmt_keeps_every_key_field_value_macro_and_comment(
    tmp_path_factory: object, text: str, sort: bool
) -> None:
    options = FmtSettings(sort=sort)
    result = format_bibtex(text, options)
    assert result.text is not None, result.problems
    formatted = result.text
    assert format_bibtex(formatted, options).text == formatted  # idempotent

    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        before, after = Path(folder) / "before.bib", Path(folder) / "after.bib"
        before.write_text(text, encoding="utf-8")
        after.write_text(formatted, encoding="utf-8")
        old, new = _snapshot(before), _snapshot(after)
    if sort:
        assert sorted(map(repr, old[0])) == sorted(map(repr, new[0]))  # type: ignore[call-overload]
        assert old[1:] == new[1:] or sorted(map(repr, old[2])) == sorted(map(repr, new[2]))  # type: ignore[call-overload]
    else:
        assert old == new
        assert _macro_structure(text) == _macro_structure(formatted)
    assert sorted(_comments(text)) == sorted(_comments(formatted))
