"""Rewrites tests/golden/known_differences.json from exilebib's current output.

Usage (from the repository root)::

    python tests/golden/update_known.py          # rewrite the list, print agreement
    python tests/golden/update_known.py --check  # only print agreement and what would change

Cases that still differ keep the reason already written for them; new ones get a guessed
reason (see ``golden_cases.classify``) that should be checked by hand; cases that now agree
are dropped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from golden_cases import (
    FORMATS,
    KNOWN_FILE,
    Case,
    agreement_table,
    classify,
    combinations,
    compare,
    load_known,
    write_known,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tests/golden/update_known.py",
        description="Rewrite the ratchet of known differences from citeproc-js.",
        epilog="Example: python tests/golden/update_known.py --check",
    )
    parser.add_argument("--check", action="store_true", help="report only, write nothing")
    args = parser.parse_args(argv)
    old = load_known()
    new: dict[tuple[str, str, str, str, str], str] = {}
    results: dict[tuple[str, str], list[Case]] = {}
    for combo in combinations():
        for fmt in FORMATS:
            cases = compare(combo, fmt)
            results[(combo.label, fmt)] = cases
            for case in cases:
                if not case.agrees:
                    new[case.key] = old.get(case.key) or classify(case)
    for line in agreement_table(results):
        print(line)
    added, removed = set(new) - set(old), set(old) - set(new)
    print(f"known differences: {len(old)} -> {len(new)} (+{len(added)} -{len(removed)})")
    if not args.check:
        write_known(new)
        print(f"wrote {KNOWN_FILE.relative_to(KNOWN_FILE.parents[2])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
