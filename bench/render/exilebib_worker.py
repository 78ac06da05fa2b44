"""The measured exilebib process of ``bench/render/run.py``.

It does what a program using exilebib does, and nothing of the harness: imports the engine,
reads the CSL-JSON items, renders the bibliography as text with the style file it is given,
and prints the counts and its own time (from before the import) as JSON.

    python bench/render/exilebib_worker.py ITEMS.json STYLE.csl LOCALE
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from pathlib import Path


def main(items_path: str, style_path: str, locale: str) -> int:
    start = time.perf_counter()
    from exilebib.engine import Engine

    items = json.loads(Path(items_path).read_text(encoding="utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bib = Engine(Path(style_path), locale).bibliography(items, "text")
    inner = time.perf_counter() - start
    json.dump({"items": len(items), "rendered": len(bib.entries), "empty": len(bib.empty),
               "failed": len(bib.failed), "inner_s": inner}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
