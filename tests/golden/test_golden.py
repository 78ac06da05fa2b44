"""Golden tests: exilebib's bibliographies and citations against citeproc-js's.

The golden files (``tests/golden/CORPUS/STYLE__LOCALE.json``) are made by citeproc-js with
``python tools/oracle/oracle.py regenerate``; these tests need only Python. Every case
(an entry, the entry order, a citation) must agree after the normalisation documented in
``golden_cases.py``, unless it is listed in ``known_differences.json``. The list is a
ratchet: a listed case that now agrees fails too, so the list only shrinks. Rewrite it
with ``python tests/golden/update_known.py``.
"""

from __future__ import annotations

import json

import pytest
from golden_cases import (
    FORMATS,
    Case,
    Combination,
    combinations,
    compare,
    load_known,
    stale_reason,
)

COMBINATIONS = combinations()
KNOWN = load_known()
#: filled by the tests, printed by conftest.py at the end of the run
RESULTS: dict[tuple[str, str], list[Case]] = {}


def _show(case: Case) -> str:
    return f"  {case.id}\n    citeproc-js: {case.expected!r}\n    exilebib:    {case.actual!r}"


def test_there_are_golden_files() -> None:
    assert COMBINATIONS, "no golden files: run `python tools/oracle/oracle.py regenerate`"


@pytest.mark.parametrize("combo", COMBINATIONS, ids=lambda c: c.label)
def test_golden_file_is_current(combo: Combination) -> None:
    golden = json.loads(combo.path.read_text(encoding="utf-8"))
    reason = stale_reason(combo, golden)
    assert reason is None, f"{reason}: run `python tools/oracle/oracle.py regenerate`"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("combo", COMBINATIONS, ids=lambda c: c.label)
def test_agrees_with_citeproc_js(combo: Combination, fmt: str) -> None:
    cases = compare(combo, fmt)
    RESULTS[(combo.label, fmt)] = cases
    differing = {case.key: case for case in cases if not case.agrees}
    listed = {key for key in KNOWN if key[:4] == (combo.corpus, combo.style, combo.locale, fmt)}
    unexpected = [case for key, case in differing.items() if key not in listed]
    fixed = sorted(key[4] for key in listed - set(differing))
    message = []
    if unexpected:
        message.append(f"{len(unexpected)} case(s) differ from citeproc-js and are not listed:")
        message.extend(_show(case) for case in unexpected)
    if fixed:
        message.append(
            f"{len(fixed)} listed case(s) now agree; remove them from known_differences.json "
            f"(python tests/golden/update_known.py): {', '.join(fixed)}"
        )
    assert not message, "\n".join(message)
