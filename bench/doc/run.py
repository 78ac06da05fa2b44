"""Essay benchmark: ``exilebib doc`` vs ``pandoc --citeproc`` on the same generated essay.

A seeded essay of 10,000 words with 300 citations (single cites, locators, several sources
in one citation, prefixes, suppressed authors, authors in the text, citations inside the
author's own footnotes) over 500 entries (CSL-JSON from tools/oracle/items.py), finished
as Markdown by each tool in its own process with the same style file, so wall time and
peak memory (the child's max RSS from wait4) cover the whole run: start-up, reading, style
parsing, every citation and the bibliography. Each tool runs ``--repeat`` times; the median
is reported, with the ratio pandoc / exilebib (above 1: exilebib is faster).

Usage (from the repository root; pandoc from the pypandoc-binary wheel of the test extras)::

    .venv/bin/python bench/doc/run.py
    .venv/bin/python bench/doc/run.py --style harvard-cite-them-right --locale en-GB

Results are printed and saved under bench/results/ (git-ignored).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[2]
RESULTS_DIR = REPO / "bench" / "results"
#: Filler words for the essay's prose (the benchmark measures citations, not wording).
WORDS = (
    "exile", "revolution", "letter", "island", "asylum", "trial", "commission", "border",
    "treaty", "government", "secretary", "manuscript", "archive", "newspaper", "pressure",
    "history", "biography", "winter", "house", "garden", "the", "of", "and", "in", "to", "a",
    "was", "his", "their", "with", "for", "on", "by", "as", "from", "that", "which",
)


def _tool(name: str) -> ModuleType:
    path = REPO / "tools" / "oracle" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"exilebib_oracle_{name}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


oracle = _tool("oracle")
items_module = _tool("items")


def _citation(rng: random.Random, ids: list[str]) -> str:
    """One citation in one of the forms an author writes."""
    key = rng.choice(ids)
    form = rng.random()
    if form < 0.35:
        return f"[@{key}, p. {rng.randint(1, 400)}]"
    if form < 0.55:
        return f"[@{key}]"
    if form < 0.70:
        others = "; ".join(f"@{k}" for k in rng.sample(ids, 2))
        return f"[see @{key}, pp. {rng.randint(1, 90)}-{rng.randint(91, 99)}; {others}]"
    if form < 0.80:
        return f"[-@{key}, chap. {rng.randint(1, 20)}]"
    if form < 0.92:
        return f"@{key} [p. {rng.randint(1, 400)}]"
    return f"[@{key}, {rng.randint(1, 300)}, emphasis added]"


def make_essay(words: int, citations: int, ids: list[str], seed: int) -> str:
    """Paragraphs of filler prose with ``citations`` citations spread evenly, a few of them
    inside the author's own footnotes, under section headings."""
    rng = random.Random(seed)
    every = max(1, words // citations)
    parts: list[str] = ["---\ntitle: A generated essay\n---\n\n# Introduction\n\n"]
    notes: list[str] = []
    placed = 0
    for index in range(1, words + 1):
        parts.append(rng.choice(WORDS))
        if index % every == 0 and placed < citations:
            placed += 1
            if placed % 25 == 0:  # the author's own footnote, citing inside it
                label = f"n{placed}"
                parts.append(f"[^{label}]")
                notes.append(f"[^{label}]: Compare {_citation(rng, ids)} on this point.")
            else:
                parts.append(" " + _citation(rng, ids))
        if index % 120 == 0:
            parts.append(".\n\n" if index % 1200 else f".\n\n# Section {index // 1200}\n\n")
        else:
            parts.append(" ")
    parts.append(".\n\n# Bibliography\n\n")
    parts.append("\n\n".join(notes) + "\n")
    return "".join(parts)


def measure(command: list[str]) -> tuple[float, float, float]:
    """Run ``command``; return wall seconds, CPU seconds (user + system) and peak RSS in MB.
    CPU time is the steadier figure on a shared machine."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: warnings about generated data, still a full run
        tail = errors.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise RuntimeError(f"{command[0]} failed ({code}): " + " | ".join(tail))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def pandoc_path() -> str:
    import pypandoc  # the test extras' pypandoc-binary ships the pandoc binary

    return str(pypandoc.get_pandoc_path())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--citations", type=int, default=300)
    parser.add_argument("--entries", type=int, default=500)
    parser.add_argument("--style", default="chicago-notes-bibliography")
    parser.add_argument("--locale", default="en-US")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1940)
    args = parser.parse_args(argv)
    pandoc = pandoc_path()
    style = oracle.style_path(args.style)
    with tempfile.TemporaryDirectory(prefix="exilebib-doc-bench-") as folder:
        work = Path(folder)
        items = items_module.generate_items(args.entries, seed=args.seed)
        ids = [str(item["id"]) for item in items]
        sources = work / "sources.json"
        sources.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        essay = work / "essay.md"
        essay.write_text(make_essay(args.words, args.citations, ids, args.seed), "utf-8")
        commands = {
            "exilebib": [
                sys.executable, "-m", "exilebib", "doc", str(essay), str(sources),
                "--style", str(style), "--locale", args.locale, "-f", "markdown",
                "-o", str(work / "exilebib.md"),
            ],
            "pandoc": [
                pandoc, str(essay), "--citeproc", "--csl", str(style),
                "--bibliography", str(sources), "-M", f"lang={args.locale}",
                "-t", "markdown", "-o", str(work / "pandoc.md"),
            ],
        }
        results: dict[str, Any] = {}
        for tool, command in commands.items():
            runs = [measure(command) for _ in range(args.repeat)]
            results[tool] = {
                "wall_s": statistics.median(r[0] for r in runs),
                "cpu_s": statistics.median(r[1] for r in runs),
                "peak_rss_mb": max(r[2] for r in runs),
                "runs": runs,
            }
        text = (work / "exilebib.md").read_text(encoding="utf-8")
        notes = sum(1 for line in text.splitlines() if line.startswith("[^"))
    ratio = results["pandoc"]["wall_s"] / results["exilebib"]["wall_s"]
    cpu_ratio = results["pandoc"]["cpu_s"] / results["exilebib"]["cpu_s"]
    print(f"{args.words} words, {args.citations} citations, {args.entries} entries, "
          f"{args.style} {args.locale}, median of {args.repeat} runs")
    print(f"{'tool':<10} {'wall':>8} {'CPU':>8} {'peak RSS':>10}")
    for tool, result in results.items():
        print(f"{tool:<10} {result['wall_s']:>7.2f}s {result['cpu_s']:>7.2f}s "
              f"{result['peak_rss_mb']:>8.0f}MB")
    print(f"pandoc / exilebib: wall {ratio:.2f}, CPU {cpu_ratio:.2f} "
          f"(exilebib wrote {notes} note lines)")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    saved = RESULTS_DIR / f"doc-{args.style}-{int(time.time())}.json"
    saved.write_text(json.dumps(
        {"args": vars(args), "results": results, "ratio": ratio, "cpu_ratio": cpu_ratio}
    ))
    return 0


if __name__ == "__main__":
    sys.exit(main())
