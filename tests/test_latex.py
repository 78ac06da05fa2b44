"""LaTeX → CSL rich text: accents, symbols, markup, and braces as case protection."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from exilebib.cli import main
from exilebib.latex import problems, to_csl_text, to_plain


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        (r"R{\"u}hle", "Rühle"),
        (r"\'Ecole", "École"),
        (r"\v{S}ebesta", "Šebesta"),
        (r"Stra{\ss}e", "Straße"),
        (r"\c{c}a", "ça"),
        (r"\i", "ı"),
        (r"na\"{\i}ve", "naïve"),
        (r"Grosset \& Dunlap", "Grosset & Dunlap"),
        ("1929--1940", "1929–1940"),
        ("a---b", "a—b"),
        ("``quoted''", "“quoted”"),
        ("Vol.~2", "Vol.\u00a02"),
        (r"50\%", "50%"),
    ],
)
def test_special_characters_become_unicode(latex: str, expected: str) -> None:
    assert to_plain(latex) == expected


def test_top_level_braces_protect_case() -> None:
    assert to_csl_text("The {NASA} Story") == 'The <span class="nocase">NASA</span> Story'


def test_accent_group_is_not_case_protection() -> None:
    assert to_csl_text(r"{\'E}tudes") == "Études"


def test_nested_braces_protect_once() -> None:
    assert to_csl_text("{A {B} C}") == '<span class="nocase">A B C</span>'


def test_markup_commands_become_csl_rich_text() -> None:
    assert to_csl_text(r"\emph{Nature} and \textbf{bold} \textsc{Caps}") == (
        '<i>Nature</i> and <b>bold</b> <span style="font-variant:small-caps;">Caps</span>'
    )


def test_old_style_switch_inside_group() -> None:
    # A group that starts with a command is a "special character" to BibTeX: no protection.
    assert to_csl_text(r"{\it Italic} text") == "<i>Italic</i> text"


def test_names_and_places_drop_braces_without_protection() -> None:
    assert to_csl_text("{Wikimedia Commons}", protect_case=False) == "Wikimedia Commons"


def test_plain_values_pass_through_unchanged() -> None:
    value = "https://example.org/a_b%20c"
    assert to_csl_text(value) is value


def test_unknown_command_keeps_its_argument() -> None:
    assert to_plain(r"\foo{kept} text") == "kept text"


def test_whitespace_runs_read_as_one_space_as_in_bibtex() -> None:
    assert to_csl_text("A long\n    title\tacross  lines") == "A long title across lines"


def test_text_symbols() -> None:
    assert to_plain(r"back\textbackslash{}slash a\textasciitilde{}b") == "back\\slash a~b"


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        (r"The $\alpha$ particle", "The α particle"),
        (r"$\beta$-decay and $\Omega$", "β-decay and Ω"),
        (r"$x^2$ and $H_2O$", "x<sup>2</sup> and H<sub>2</sub>O"),
        (r"$E = mc^{2}$", "E = mc<sup>2</sup>"),
        (r"$\mathrm{CO}_2$ at $10^{-3}$", "CO<sub>2</sub> at 10<sup>-3</sup>"),
        (r"costs $5", "costs $5"),
    ],
)
def test_inline_math_becomes_text(latex: str, expected: str) -> None:
    assert to_csl_text(latex) == expected


def test_csquotes_become_quotes_the_engine_localises() -> None:
    assert to_csl_text(r"On \enquote{Exile} and \enquote{the \enquote{Fourth}}") == (
        "On \u201cExile\u201d and \u201cthe \u201cFourth\u201d\u201d"
    )


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        (r"\mkbibquote{Intention}", "“Intention”"),
        (r"\mkbibemph{Word}", "<i>Word</i>"),
        (r"\mkbibitalic{Word}", "<i>Word</i>"),
        (r"\mkbibbold{Word}", "<b>Word</b>"),
        (r"\mkbibacro{NASA}", '<span style="font-variant:small-caps;">NASA</span>'),
        (r"\textsc{mcxcviii}", '<span style="font-variant:small-caps;">mcxcviii</span>'),
        (r"\enquote{outer}", "“outer”"),
        (r"\enquote*{inner}", "‘inner’"),
        (r"\mkbibparens{1999}", "(1999)"),
        (r"\mkbibbrackets{sic}", "[sic]"),
        (r"and\slash or", "and/or"),
        (r"methodology\hyphen independent", "methodology-independent"),
        (r"\protect\TeX book", "TeXbook"),
        (r"{\noopsort{b}}Title", "Title"),
    ],
)
def test_biblatex_formatting_commands_become_rich_text(latex: str, expected: str) -> None:
    # biblatex manual §4.10.4 (formatting commands) and csquotes' \enquote / \enquote*
    assert to_csl_text(latex, protect_case=False) == expected


def test_an_unknown_command_keeps_its_argument_and_is_reported() -> None:
    assert to_plain(r"A \unknownmacro{x} B") == "A x B"
    assert [(p.rule, p.detail) for p in problems(r"A \unknownmacro{x} \other B")] == [
        ("latex-command", r"\unknownmacro"),
        ("latex-command", r"\other"),
    ]
    assert problems(r"\emph{known} \'e") == ()


def test_render_and_lint_report_an_unknown_command_at_the_field_in_the_same_words(
    tmp_path: Path,
) -> None:
    path = tmp_path / "unknown.bib"
    path.write_text(
        "@book{a,\n  author = {Doe, Jo},\n  title = {A \\unknownmacro{x} Title},\n"
        "  publisher = {P},\n  year = {2000},\n}\n",
        encoding="utf-8",
    )
    message = (
        "entry 'a': title uses the LaTeX command \\unknownmacro, which exilebib does not "
        "know; its argument is printed without it"
    )
    rendered = CliRunner().invoke(main, ["render", str(path), "--group-by", "none"])
    assert rendered.exit_code == 0
    assert f"{path}:3: warning: {message} [latex-command]" in rendered.stderr
    assert "A x Title" in rendered.stdout
    linted = CliRunner().invoke(main, ["lint", str(path)])
    assert f"{path}:3:11: warning: {message} [latex-command]" in linted.stdout
