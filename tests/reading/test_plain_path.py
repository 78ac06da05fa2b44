"""The plain path of the reader (bibtex._plain_blocks) reads a file exactly as the
bibtexparser path does, or leaves it to that path.

A plainly well-formed file is split by the scanner alone, so that ``exilebib lint`` on it
need not import bibtexparser (issue 12, start-up). Every file here is read both ways and
the two :class:`~exilebib.bibtex.RawFile` must be equal: the repository's ``.bib`` files,
the biblatex example file in ``../shared``, every BibTeX text written in a test, generated
files, and the same files with characters the two readers could read differently put in.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exilebib.bibtex import RawFile, _line_starts, _plain_blocks, _read_split, read_raw

REPO = Path(__file__).resolve().parents[2]
SHARED_BIB = REPO.parent / "shared" / "data" / "biblatex-examples.bib"


def _split_by_bibtexparser(text: str) -> RawFile:
    return _read_split(text, _line_starts(text))


def _assert_read_alike(text: str) -> None:
    assert read_raw(text) == _split_by_bibtexparser(text), text[:400]


def _repository_bib_files() -> list[Path]:
    return sorted(
        path
        for folder in ("refs", "tests")
        for path in (REPO / folder).rglob("*.bib")
    )


@cache
def _texts_written_in_tests() -> tuple[str, ...]:
    """Every string constant in the tests that looks like BibTeX (an ``@`` and a brace)."""
    found: set[str] = set()
    for path in sorted((REPO / "tests").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, str) and "@" in value and ("{" in value or "(" in value):
                found.add(value)
    return tuple(sorted(found))


@pytest.mark.parametrize("path", _repository_bib_files(), ids=lambda path: path.name)
def test_every_bib_file_of_the_repository_is_read_alike(path: Path) -> None:
    _assert_read_alike(path.read_text(encoding="utf-8"))


def test_the_biblatex_examples_are_read_alike() -> None:
    if not SHARED_BIB.is_file():
        pytest.skip(f"{SHARED_BIB} is absent (a clone without ../shared beside it)")
    _assert_read_alike(SHARED_BIB.read_text(encoding="utf-8"))


def test_every_bibtex_text_written_in_the_tests_is_read_alike() -> None:
    texts = _texts_written_in_tests()
    assert len(texts) > 200  # the scan found the tests' BibTeX
    for text in texts:
        _assert_read_alike(text)


def test_the_essay_takes_the_plain_path() -> None:
    """The file pre-commit lints on every commit: read without bibtexparser."""
    text = (REPO / "refs" / "sources.bib").read_text(encoding="utf-8")
    blocks = _plain_blocks(text)
    assert blocks is not None
    assert len(blocks) == text.count("\n@")


PLAIN = "% a comment\n@book{key,\n  title = {A {B} c},\n  year = 1990,\n  month = aug # {~1},\n}\n"


@pytest.mark.parametrize(
    "text",
    [
        PLAIN,
        "@book{key}\n",
        "@book{key,}\n",
        "@ book{key, title = {x}}\n",  # no block to either: '@' must touch the type
        "text before @misc{a, note = \"a {b} c\"} and after\n",
        '@misc{a, title = {G{\\"o}del, \\, = "x"}}\n',
    ],
)
def test_plain_files_take_the_plain_path(text: str) -> None:
    assert _plain_blocks(text) is not None
    _assert_read_alike(text)


@pytest.mark.parametrize(
    "text",
    [
        "@string{wmc = {W. M. C.}}\n" + PLAIN,
        "@comment{x}\n" + PLAIN,
        PLAIN + "@Comment{jabref-meta: databaseType:biblatex;}\n",
        "@commentary{x, title = {y}}\n",  # bibtexparser reads any @comment... as a comment
        "@preamble{\"x\"}\n" + PLAIN,
        "@book(key, title = {x})\n",
        "@bóok{key, title = {x}}\n",
        "@book{key, title = {x}}\n@book{key, title = {y}}\n",
        "@book{key, title = {x}}\n@book{KEY, title = {y}}\n",
        "@book{key, title = {x}, Title = {y}}\n",
        "@book{key,, title = {x}}\n",
        "@book{key, title = {x} year = 1990}\n",
        "@book{key, title = {a \\{ b \\}}}\n",
        '@book{key, title = "a \\" b"}\n',
        '@book{key, title = "a {"} b"}\n',
        "@book{key, month = \\x}\n",
        "@book{key, title = {x\n@misc{other, title = {y}}\n",
        "@book{key, title = {LeQua @ {CLEF}}}\n",
        "@book{, title = {x}}\n",
        "@book{title = {x}}\n",
        "@book{key, title = {x}\n",
    ],
)
def test_other_files_are_left_to_bibtexparser(text: str) -> None:
    assert _plain_blocks(text) is None
    _assert_read_alike(text)


_NAMES = ("title", "author", "year", "month", "url", "note", "Title")
_VALUE = st.one_of(
    st.sampled_from(["{A}", "{A {B} c}", '"q"', '"a {b} c"', "1990", "aug", "x # {y}", "{}"]),
    st.text(alphabet='ab {}"\\,=@#%()\n', max_size=10).map(lambda text: "{" + text + "}"),
)


@st.composite
def _bib_texts(draw: st.DrawFn) -> str:
    pieces = []
    for index in range(draw(st.integers(0, 4))):
        head = draw(st.sampled_from(["@book{", "@misc{", "@Online{", "@string{", "@comment{"]))
        key = draw(st.sampled_from([f"k{index}", "k0", " k ", "a b", ""]))
        fields = [
            f"{draw(st.sampled_from(_NAMES))}{draw(st.sampled_from(['=', ' = ']))}"
            f"{draw(_VALUE)}"
            for _ in range(draw(st.integers(0, 3)))
        ]
        separator = draw(st.sampled_from([",\n  ", ", ", ",,"]))
        trailing = draw(st.sampled_from(["", ",", ",\n"]))
        body = separator.join([key, *fields]) + trailing
        pieces.append(draw(st.sampled_from(["\n", "\n\n", "\n% x @misc{\n", " junk "])))
        pieces.append(head + body + "}")
    text = "".join(pieces) + "\n"
    # and a few characters the two readers could read differently, anywhere
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(list('{}"\\,=@#(\n'))) + text[at:]
    return text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_bib_texts())
def test_generated_files_are_read_alike(text: str) -> None:
    _assert_read_alike(text)
