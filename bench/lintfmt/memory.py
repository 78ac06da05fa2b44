"""Peak memory of ``exilebib lint`` and ``exilebib fmt`` per MB of input, side by side with
bibtex-tidy (installed by ``run.py --install``).

Run by hand, never as a test::

    python bench/lintfmt/memory.py [--entries 10000 100000] [--field-mb 10]

Inputs (written to ``bench/results/lintfmt/``, ignored by git): the generated files of
``run.py`` with ``--entries`` entries each, one entry with a ``--field-mb`` MB value of
words, and the same size of braced words (``{x} {x} ...``). Each command runs once in a
subprocess; its peak resident set size comes from ``getrusage(RUSAGE_CHILDREN)`` through a
small wrapper, so the figure is the process's own high-water mark. Reported per input:
peak MB and the growth above start-up (``exilebib --version``; bibtex-tidy on a one-entry
file) per MB of input, the number the design aims to keep a small constant.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results" / "lintfmt"
TIDY = ROOT / "bench" / "results" / "tools" / "node_modules" / ".bin" / "bibtex-tidy"

#: Runs argv[1:] as a child and prints the child's peak RSS in KB (Linux reports KB).
_WRAPPER = """
import resource, subprocess, sys
stdin = open(sys.argv[1], "rb") if sys.argv[1] != "-" else subprocess.DEVNULL
subprocess.run(sys.argv[2:], stdin=stdin, stdout=subprocess.DEVNULL,
               stderr=subprocess.DEVNULL, check=False)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def peak_mb(command: list[str], stdin: Path | None = None) -> float:
    """The peak resident set size of ``command``, in MB."""
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, str(stdin or "-"), *command],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.strip()) / 1024


def _generator() -> object:
    spec = importlib.util.spec_from_file_location("lintfmt_run", Path(__file__).with_name("run.py"))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def inputs(entries: list[int], field_mb: int) -> list[tuple[str, Path]]:
    RESULTS.mkdir(parents=True, exist_ok=True)
    run = _generator()
    made: list[tuple[str, Path]] = []
    for count in entries:
        path = RESULTS / f"generated-{count}.bib"
        if not path.exists():
            path.write_text(run.generate(count), encoding="utf-8")  # type: ignore[attr-defined]
        made.append((f"{count:,} entries", path))
    size = field_mb * 1_000_000
    words = ("lorem ipsum dolor " * (size // 18 + 1))[:size]
    for label, value in (("words", words), ("braced words", "{x} " * (size // 4))):
        path = RESULTS / f"field-{field_mb}mb-{label.replace(' ', '-')}.bib"
        if not path.exists():
            path.write_text(
                "@misc{big, title = {T}, author = {A B}, year = 2000, note = {" + value + "}}\n",
                encoding="utf-8",
            )
        made.append((f"one {field_mb} MB value of {label}", path))
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--field-mb", type=int, default=10)
    args = parser.parse_args()
    python = sys.executable
    base = peak_mb([python, "-m", "exilebib", "--version"])
    tidy = os.environ.get("BIBTEX_TIDY") or (str(TIDY) if TIDY.exists() else None)
    RESULTS.mkdir(parents=True, exist_ok=True)
    tiny = RESULTS / "one-entry.bib"
    tiny.write_text("@misc{a, title = {T}}\n", encoding="utf-8")
    tidy_base = peak_mb([tidy], tiny) if tidy else 0.0
    print(f"start-up peak RSS: exilebib {base:.0f} MB, bibtex-tidy {tidy_base:.0f} MB")
    header = f"{'input':<32} {'MB':>6}  {'command':<12} {'peak MB':>8} {'growth/MB':>10}"
    print(header)
    print("-" * len(header))
    for label, path in inputs(args.entries, args.field_mb):
        size = path.stat().st_size / 1e6
        commands: list[tuple[str, list[str], Path | None]] = [
            ("lint", [python, "-m", "exilebib", "lint", "-f", "json", str(path)], None),
            ("fmt", [python, "-m", "exilebib", "fmt", str(path)], None),
        ]
        if tidy:  # bibtex-tidy 1.14 prints the result only when it reads stdin
            commands.append(("bibtex-tidy", [tidy], path))
        peaks: dict[str, float] = {}
        for name, command, stdin in commands:
            peak = peak_mb(command, stdin)
            peaks[name] = peak
            growth = (peak - (tidy_base if name == "bibtex-tidy" else base)) / size
            print(f"{label:<32} {size:6.1f}  {name:<12} {peak:8.0f} {growth:10.1f}")
        if "bibtex-tidy" in peaks:
            print(
                f"{'':<32} {'':>6}  ratio of peaks, bibtex-tidy / exilebib: "
                f"lint {peaks['bibtex-tidy'] / peaks['lint']:.2f}, "
                f"fmt {peaks['bibtex-tidy'] / peaks['fmt']:.2f}"
            )
    if not tidy:
        print("bibtex-tidy: skipped (not installed; python bench/lintfmt/run.py --install)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
