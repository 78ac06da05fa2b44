"""Every command, fed mutated ``.bib`` and CSL-JSON files, ends with a report, never a crash.

The seeds are the essay's sources, the lint and fmt fixtures and the CSL-JSON corpora of
the engine tests; hypothesis mutates them (truncation, inserted braces, quotes, ``#`` and ``@``, byte
flips, deep nesting, huge values, wrongly typed JSON values) and runs one command on the
result through click's runner: the exit code is 0, 1 or 2, and neither "internal error"
nor a traceback ever shows. ``links`` runs with every URL excluded, so nothing is fetched.

The default run is small and deterministic (CI); the long run is marked ``slow`` and runs
when ``EXILEBIB_FUZZ_EXAMPLES`` says how many examples to try::

    EXILEBIB_FUZZ_EXAMPLES=3000 python -m pytest tests/test_fuzz_commands.py -m slow
"""

from __future__ import annotations

import functools
import json
import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exilebib.cli import main

REPO = Path(__file__).resolve().parents[1]
ESSAY_BIB = REPO / "refs" / "sources.bib"
_BIB_SEEDS = sorted(
    [
        ESSAY_BIB,
        *(REPO / "tests" / "lint" / "fixtures").glob("*.bib"),
        REPO / "tests" / "fmt" / "fixtures" / "messy.bib",
    ]
)
#: Text that breaks BibTeX where it lands.
_INSERTS = ["{", "}", '"', "#", "@", ",", "=", "\\", "%", "@string{", "@book{", "\n", "~", "$"]
_VALUE_START = re.compile(r"\b(?:title|author|note|journaltitle)\s*=\s*\{", re.IGNORECASE)
_KEY = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s{}()]+)\s*,")

#: One command each example runs; ``{key}`` is a key of the file (for ``cite``).
_COMMANDS: list[list[str]] = [
    ["lint"],
    ["lint", "-f", "json"],
    ["fmt"],
    ["fmt", "--check"],
    ["render"],
    ["render", "-f", "html"],
    ["render", "-f", "markdown"],
    ["render", "-f", "rtf"],
    ["render", "-f", "csl-json"],
    ["render", "-s", "chicago-author-date"],
    ["render", "-s", "harvard"],
    ["cite", "{key}"],
    ["cite", "{key}", "-s", "harvard", "-f", "html"],
    ["links", "--exclude", ".", "--no-cache", "-f", "json"],
]
#: Commands that read only BibTeX (lint and fmt say a CSL-JSON file is not theirs).
_BIB_ONLY = {"lint", "fmt"}


_JSON_SEEDS = [REPO / "tests" / "corpus" / "essay.json", REPO / "tests" / "corpus" / "corpus.json"]


@functools.cache
def _csl_json_seed(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@st.composite
def _mutated_bib(draw: st.DrawFn, max_depth: int) -> bytes:
    text = draw(st.sampled_from(_BIB_SEEDS)).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["truncate", "insert", "flip", "nest", "huge", "repeat"]))
        if kind == "truncate":
            text = text[:at]
        elif kind == "insert":
            text = text[:at] + draw(st.sampled_from(_INSERTS)) + text[at:]
        elif kind == "flip":
            text = text[:at] + draw(st.characters()) + text[at + 1 :]
        elif kind == "nest":
            values = [match.end() for match in _VALUE_START.finditer(text)]
            if values and draw(st.booleans()):  # inside a value that gets rendered
                at = draw(st.sampled_from(values))
            depth = draw(st.integers(1, 40) | st.integers(max_depth // 2, max_depth))
            opener = draw(st.sampled_from(["{", "\\emph{", "{\\em ", "\\textbf{{"]))
            text = text[:at] + opener * depth + "x" + "}" * depth + text[at:]
        elif kind == "huge":
            size = draw(st.integers(1_000, 200_000))
            text = text[:at] + draw(st.sampled_from("x {}\\#@")) * size + text[at:]
        else:
            block = text[at : at + draw(st.integers(1, 300))]
            text = text[:at] + block * draw(st.integers(2, 50)) + text[at:]
    data = text.encode("utf-8")
    if data and draw(st.booleans()):  # a byte flip may leave the text not UTF-8
        index = draw(st.integers(0, len(data) - 1))
        data = data[:index] + bytes([draw(st.integers(0, 255))]) + data[index + 1 :]
    return data


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["family", "given", "literal", "date-parts", "raw", "season", "x"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@st.composite
def _mutated_csl_json(draw: st.DrawFn) -> bytes:
    items: list[Any] = json.loads(_csl_json_seed(draw(st.sampled_from(_JSON_SEEDS))))
    for _ in range(draw(st.integers(1, 4))):
        if not items:
            break
        index = draw(st.integers(0, len(items) - 1))
        item = items[index]
        kind = draw(st.sampled_from(["retype", "drop", "replace", "truncate"]))
        if kind == "retype" and isinstance(item, dict) and item:
            name = draw(st.sampled_from(sorted(item)))
            item[name] = draw(_JSON_VALUES)
        elif kind == "drop" and isinstance(item, dict) and item:
            item.pop(draw(st.sampled_from(sorted(item))))
        elif kind == "replace":
            items[index] = draw(_JSON_VALUES)
        elif kind == "truncate":
            text = json.dumps(items)
            return text[: draw(st.integers(0, len(text)))].encode()
    return json.dumps(items).encode()


def _key(data: bytes) -> str:
    """A key to cite: one of the file's entries or items, else one that is not there."""
    text = data.decode("utf-8", errors="replace")
    found = _KEY.search(text) or re.search(r'"id"\s*:\s*"([^"]+)"', text)
    return found.group(1) if found else "nokey"


def _run(data: bytes, suffix: str, command: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"sources{suffix}"
        path.write_bytes(data)
        args = [arg.replace("{key}", _key(data)) for arg in command]
        if command[0] == "cite":
            args.insert(2, str(path))
        else:
            args.insert(1, str(path))
        cwd = Path.cwd()
        os.chdir(folder)  # no project config around it
        try:
            result = CliRunner().invoke(main, args)
        finally:
            os.chdir(cwd)
    output = result.output
    assert result.exit_code in (0, 1, 2), (args, output, result.exception)
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "internal error" not in output, (args, output)
    assert "Traceback" not in output, (args, output)


_COMMAND = st.sampled_from(_COMMANDS)
_QUICK = settings(
    max_examples=100,
    deadline=timedelta(seconds=20),
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@_QUICK
@given(data=_mutated_bib(max_depth=40), command=_COMMAND)
def test_mutated_bibtex_never_crashes_a_command(data: bytes, command: list[str]) -> None:
    _run(data, ".bib", command)


@_QUICK
@given(data=_mutated_csl_json(), command=_COMMAND.filter(lambda c: c[0] not in _BIB_ONLY))
def test_mutated_csl_json_never_crashes_a_command(data: bytes, command: list[str]) -> None:
    _run(data, ".json", command)


_LONG_EXAMPLES = int(os.environ.get("EXILEBIB_FUZZ_EXAMPLES", "0") or 0)
_LONG = settings(
    max_examples=max(_LONG_EXAMPLES, 1),
    deadline=timedelta(seconds=60),
    database=None,
    suppress_health_check=list(HealthCheck),
)
_long_run = pytest.mark.skipif(
    not _LONG_EXAMPLES, reason="set EXILEBIB_FUZZ_EXAMPLES=N for the long fuzzing run"
)


@pytest.mark.slow
@_long_run
@_LONG
@given(data=_mutated_bib(max_depth=1_000), command=_COMMAND)
def test_mutated_bibtex_never_crashes_a_command_long_run(data: bytes, command: list[str]) -> None:
    _run(data, ".bib", command)


@pytest.mark.slow
@_long_run
@_LONG
@given(data=_mutated_csl_json(), command=_COMMAND.filter(lambda c: c[0] not in _BIB_ONLY))
def test_mutated_csl_json_never_crashes_a_command_long_run(data: bytes, command: list[str]) -> None:
    _run(data, ".json", command)
