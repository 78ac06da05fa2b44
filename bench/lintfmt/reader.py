"""Time the reader (``exilebib.bibtex.read_bibtex``, which every render runs) in-process on
the generated 10,000-entry file of ``run.py``; best of ``--repeat`` runs.

Run by hand, never as a test; compare two checkouts by pointing PYTHONPATH at their src::

    python bench/lintfmt/reader.py [--entries 10000] [--repeat 5]
    PYTHONPATH=../main/src python bench/lintfmt/reader.py
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

from exilebib import bibtex


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    spec = importlib.util.spec_from_file_location("lintfmt_run", Path(__file__).with_name("run.py"))
    assert spec is not None
    assert spec.loader is not None
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    text = run.generate(args.entries)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.bib"
        path.write_text(text, encoding="utf-8")
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            library = bibtex.read_bibtex(path)
            times.append(time.perf_counter() - start)
    print(
        f"read_bibtex ({bibtex.__file__}): {len(library)} entries, "
        f"{len(library.diagnostics)} diagnostics, best {min(times):.3f} s of {args.repeat}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
