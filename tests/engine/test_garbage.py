"""A render frees what it makes as it goes: no cites left for the garbage collector.

Objects in reference cycles are freed only by the collector, whose passes cost time in
proportion to every object alive (a 5,000-entry bibliography left 32,600 of them, one
trial cite and its citation per disambiguation step)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from citeproc.source import Citation, CitationItem

from exilebib.engine import Engine


@pytest.fixture
def saved_garbage() -> Iterator[list[object]]:
    """The objects in cycles that the block leaves unreachable (the collector keeps them
    in ``gc.garbage`` instead of freeing them)."""
    gc.collect()
    flags = gc.get_debug()
    gc.set_debug(flags | gc.DEBUG_SAVEALL)
    try:
        yield gc.garbage
    finally:
        gc.set_debug(flags)
        gc.garbage.clear()


def test_disambiguation_leaves_no_cites_for_the_collector(saved_garbage: list[object]) -> None:
    # same author and year: the trial cites collide and take year-suffixes
    items = [{"id": f"w{n}", "type": "book", "title": f"Work {n}",
              "author": [{"family": "Woolf", "given": "Virginia"}],
              "issued": {"date-parts": [[1929]]}} for n in range(20)]
    bibliography = Engine("harvard-cite-them-right", "en-GB").bibliography(items)
    assert bibliography.entries[0].text.startswith("Woolf, V. (1929a)")
    del bibliography
    gc.collect()
    left = [o for o in saved_garbage if isinstance(o, (Citation, CitationItem))]
    # at most the registration's citation and its cites (one cycle per render)
    assert len(left) <= 1 + len(items), f"{len(left)} cites and citations left"
