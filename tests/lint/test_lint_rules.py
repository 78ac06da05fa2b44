"""Every lint rule fires on its own fixture, at the exact place, with the exact message.

Each fixture in ``fixtures/`` is named after the one rule it shows; every other rule stays
quiet on it, so a rule that starts firing where it should not fails here too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from exilebib.lint import RULES, lint_text

FIXTURES = Path(__file__).parent / "fixtures"

Row = tuple[str, int, int, str | None, str]

#: fixture stem → the diagnostics it must produce: (rule, line, column, key, message).
EXPECTED: dict[str, list[Row]] = {
    'concatenation': [
        ('concatenation', 5, 18, 'concat', "entry 'concat': the value of 'organization' is joined with '#' from 2 parts"),
    ],
    'crossref-missing': [
        ('crossref-missing', 4, 15, 'trotsky1937chapter', "entry 'trotsky1937chapter': crossref 'dewey1938report' names no entry in this file"),
    ],
    'date-format': [
        ('date-format', 4, 15, 'dates', "entry 'dates': date '2010-13' is not a valid date: month 13 does not exist"),
        ('date-format', 5, 15, 'dates', "entry 'dates': origdate '1936--1937' is not a valid date: not in the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ('date-format', 7, 15, 'dates', "entry 'dates': urldate '2024-02-30' is not a valid date: 2024-02-30 is not a day of the calendar"),
    ],
    'doi-format': [
        ('doi-format', 6, 19, 'prefixed', "entry 'prefixed': the doi field holds 'https://doi.org/10.1000/xyz123'; styles add the https://doi.org/ prefix themselves"),
        ('doi-format', 15, 19, 'malformed', "entry 'malformed': doi '10.abc/xyz123' is not a DOI (10.NNNN/suffix)"),
    ],
    'duplicate-doi': [
        ('duplicate-doi', 14, 15, 'second', "entry 'second' has the DOI 10.1000/abc123 of entry 'first' (line 6)"),
    ],
    'duplicate-field': [
        ('duplicate-field', 5, 3, 'twice', "entry 'twice' has the field 'title' twice (first at line 3); BibTeX uses the first, bibtexparser drops the whole entry"),
    ],
    'duplicate-key-case': [
        ('duplicate-key-case', 8, 7, 'Trotsky1930', "entry key 'Trotsky1930' differs only in case from 'trotsky1930' (line 1); BibTeX treats them as the same key"),
    ],
    'duplicate-key': [
        ('duplicate-key', 8, 7, 'trotsky1930', "entry key 'trotsky1930' is used again (first at line 1)"),
    ],
    'duplicate-url': [
        ('duplicate-url', 14, 15, 'second', "entry 'second' has the url of entry 'first' (line 5), after normalisation"),
    ],
    'edition-format': [
        ('edition-format', 5, 14, 'edition', "entry 'edition': edition 'Vol. 2, No. 7 edition' looks like a volume or issue, not an edition"),
    ],
    'latex-command': [
        ('latex-command', 3, 14, 'macro', "entry 'macro': title uses the LaTeX command \\unknownmacro, which exilebib does not know; its argument is printed without it"),
    ],
    'latex-depth': [
        ('latex-depth', 3, 14, 'deep', "entry 'deep': title nests groups or commands more than 100 deep; the deeper text is printed without its markup"),
    ],
    'localisation-key': [
        ('localisation-key', 4, 14, 'widget', "entry 'widget': type 'patentxx' looks like a biblatex localisation key that exilebib does not know; it is printed as written"),
    ],
    'invisible-char': [
        ('invisible-char', 3, 18, 'invisible', "entry 'invisible' contains a zero-width space (U+200B), invisible in most editors"),
    ],
    'isbn-checksum': [
        ('isbn-checksum', 5, 34, 'isbn', "entry 'isbn': ISBN 978-0-306-40615-8 is invalid: its check digit is wrong"),
    ],
    'issn-checksum': [
        ('issn-checksum', 6, 19, 'issn', "entry 'issn': ISSN 0317-8472 is invalid: its check digit is wrong"),
    ],
    'empty-key': [
        ('empty-key', 1, 7, None, 'the @book entry at line 1 has no key'),
    ],
    'key-syntax': [
        ('key-syntax', 1, 14, 'trotsky my life', "entry key 'trotsky my life' contains a space, which BibTeX and biber do not accept in keys"),
    ],
    'macro-too-long': [
        ('concatenation', 3, 14, None, "@string: the value of 'm1' is joined with '#' from 10 parts"),
        ('concatenation', 4, 14, None, "@string: the value of 'm2' is joined with '#' from 10 parts"),
        ('concatenation', 5, 14, None, "@string: the value of 'm3' is joined with '#' from 10 parts"),
        ('concatenation', 6, 14, None, "@string: the value of 'm4' is joined with '#' from 10 parts"),
        ('concatenation', 7, 14, None, "@string: the value of 'm5' is joined with '#' from 10 parts"),
        ('macro-too-long', 11, 15, 'tenfold', "entry 'tenfold': 'title' uses the @string macro 'm5'; the value would expand to more than 1,000,000 characters, so 'm5' is kept as written"),
    ],
    'missing-comma': [
        ('missing-comma', 4, 3, 'comma1', "entry 'comma1': no comma between the value of 'title' and 'date'; BibTeX skips the rest of the entry and bibtexparser-based tools read 'date = ...' into the title"),
    ],
    'missing-group': [
        ('missing-group', 5, 14, 'nogroup', "entry 'nogroup' is in no group: it has keywords {tertiary, memoir}, none of images, primary, secondary"),
    ],
    'no-entries': [
        ('no-entries', 1, 1, None, 'the file has no entries (only comments, @string or @preamble blocks)'),
    ],
    'month-format': [
        ('month-format', 5, 15, 'months', "entry 'months': month 'Augst' is not a month"),
    ],
    'name-corporate': [
        ('name-corporate', 2, 33, 'corporate', "entry 'corporate': author 'Hoover Institution' looks like an organisation; BibTeX will split it into first and last names"),
    ],
    'name-format': [
        ('name-format', 2, 32, 'names', "entry 'names': author has an empty name (name 2 of 3: a doubled or trailing 'and')"),
    ],
    'name-others': [
        ('name-others', 2, 15, 'others', "entry 'others': 'others' is name 1 of 2 in author; it means 'et al.' only at the end"),
    ],
    'required-field': [
        ('required-field', 1, 1, 'trotsky1941stalin', "entry 'trotsky1941stalin' (@article) has no 'journaltitle' or 'journal'"),
    ],
    'suppression-unknown-rule': [
        ('suppression-unknown-rule', 1, 1, 'suppressed', "entry 'suppressed': the disable comment names 'no-such-rule', which is no rule"),
    ],
    'syntax-error': [
        ('syntax-error', 3, 3, 'broken1', "entry 'broken1' does not parse: expected ',' or '}' after the value of 'author'"),
        ('syntax-error', 10, 14, 'broken2', 'entry \'broken2\' does not parse: this \'"\' is never closed'),
    ],
    'title-capitals': [
        ('title-capitals', 3, 46, 'acronym', "entry 'acronym': title has capitals not protected by braces: USSR"),
        ('title-capitals', 10, 45, 'sentence', "entry 'sentence': title has capitals not protected by braces: Leon, Trotsky, Mexico"),
    ],
    'unbalanced-braces': [
        ('unbalanced-braces', 3, 14, 'brace1', "entry 'brace1' does not parse: unbalanced braces in the value of 'title' (one '{' more than '}' in the block)"),
        ('unbalanced-braces', 10, 17, 'brace2', "entry 'brace2': unbalanced braces in the value of 'title' (a '}' closes no '{')"),
        ('unbalanced-braces', 17, 23, 'brace3', "entry 'brace3': this '}' closes the entry early; the fields from line 18 on are outside any entry and BibTeX ignores them"),
    ],
    'undefined-macro': [
        ('undefined-macro', 4, 15, 'macro', "entry 'macro': 'publisher' uses the @string macro 'scribner', which is not defined before it; it is defined only later, at line 9"),
    ],
    'unicode-nfc': [
        ('unicode-nfc', 2, 16, 'nfc', "entry 'nfc' has decomposed characters (a letter followed by a combining accent); searches and sorting treat them as different letters"),
    ],
    'unknown-type': [
        ('unknown-type', 1, 2, 'kahlo', "entry 'kahlo' has the type @photo, which BibTeX and biblatex do not define; styles will treat it as @misc"),
    ],
    'url-format': [
        ('url-format', 5, 15, 'noscheme', "entry 'noscheme': the url is malformed: it does not start with http:// or https://"),
        ('url-format', 14, 54, 'escaped', "entry 'escaped': the url is malformed: it contains the LaTeX escape '\\_'; url fields are verbatim, write '_'"),
    ],
    'urldate-missing': [
        ('urldate-missing', 3, 3, 'undated', "entry 'undated' has a url but neither a date nor an access date (urldate); an undated web source is dated by when it was read"),
    ],
    'urldate-recommended': [
        ('urldate-recommended', 5, 3, 'patenaude2010exile', "entry 'patenaude2010exile' is a web page without an access date (urldate); Harvard (Cite Them Right) prints one for every web page, Chicago only for undated ones"),
    ],
    'year-format': [
        ('year-format', 4, 15, 'years', "entry 'years': year '1930--1931' is not a four-digit year"),
    ],

}


def _lint(name: str) -> list[Row]:
    path = FIXTURES / f"{name}.bib"
    result = lint_text(path.name, path.read_text(encoding="utf-8"))
    return [
        (item.rule, item.location.line, item.location.column or 0, item.key, item.message)
        for item in result.diagnostics
    ]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_gives_exactly_its_diagnostics(name: str) -> None:
    assert _lint(name) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_diagnostic_has_a_hint(name: str) -> None:
    path = FIXTURES / f"{name}.bib"
    for item in lint_text(path.name, path.read_text(encoding="utf-8")).diagnostics:
        assert item.hint, item


def test_every_rule_has_a_fixture() -> None:
    covered = {row[0] for rows in EXPECTED.values() for row in rows}
    # The two citation rules need --cited and are covered by test_lint_cli.py.
    assert set(RULES) - covered == {"cited-missing", "uncited-entry"}
    assert all((FIXTURES / f"{rule_id}.bib").is_file() for rule_id in covered)
