"""exilebib reads biblatex-examples.bib as pandoc does, or differs only as the ratchet says.

pandoc (``pandoc -f biblatex -t csljson``) and exilebib (``render -f csl-json --group-by
none``) read biblatex's own example database; every core variable of every entry is compared
(see pandoc_cases.py). A difference is allowed only when ``pandoc_known_differences.json``
lists it with its reason; the test fails when an unlisted difference appears and when a
listed one disappears (remove it from the list: the ratchet only tightens). The agreement is
printed at the end of the run. ``python tests/pandoc/pandoc_cases.py`` prints every
difference; ``--update`` rewrites the list.
"""

from __future__ import annotations

import pytest
from pandoc_cases import (
    UNEXPLAINED,
    compare,
    load_known,
    read_exilebib,
    read_pandoc,
    summary,
    unavailable_reason,
)

#: filled by the test, printed by conftest.py
SUMMARY: list[str] = []


def test_exilebib_reads_biblatex_examples_as_pandoc_does_or_as_listed() -> None:
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"the pandoc differential needs pandoc and ../shared: {reason}")
    pandoc = read_pandoc()
    differing, tally = compare(pandoc, read_exilebib())
    known = load_known()
    SUMMARY[:] = summary(pandoc, differing, tally, known)
    new = sorted(set(differing) - set(known))
    gone = sorted(set(known) - set(differing))
    assert not new, f"differences from pandoc not in the ratchet (explain or fix): {new}"
    assert not gone, f"listed differences that are gone (remove them from the list): {gone}"
    assert not [case for case, why in known.items() if why == UNEXPLAINED]
