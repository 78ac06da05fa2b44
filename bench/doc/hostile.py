"""Hostile-essay benchmark: ``exilebib doc`` vs ``pandoc --citeproc`` on essays built to
find quadratic work in reading Markdown (unclosed HTML comments, runs of ``](``, unclosed
fences of falling length, unclosed ``[`` and ``^[``, thousands of the author's notes each
citing). Each essay goes through each tool in its own process (Markdown out, Harvard), and
the CPU seconds are printed side by side with the ratio pandoc / exilebib.

Usage (from the repository root; pandoc from the pypandoc-binary wheel of the test extras)::

    .venv/bin/python bench/doc/hostile.py
    .venv/bin/python bench/doc/hostile.py --scale 2

The sizes double with ``--scale 2``: a time that quadruples is quadratic.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO / "refs" / "sources.bib"
CITE = "[@trotsky1960mylife]"


def _notes(n: int) -> str:
    body = " ".join(f"Claim {i}.[^n{i}]" for i in range(n))
    notes = "\n".join(f"[^n{i}]: Note {i} [@trotsky1960mylife, p. {i % 500 + 1}]."
                      for i in range(n))
    return f"# Essay\n\n{body}\n\n{notes}\n"


#: name -> essay of a given scale (1 = the base size)
ESSAYS: dict[str, Callable[[int], str]] = {
    "unclosed comments": lambda s: f"x {CITE} " + "<!-- " * 40_000 * s + "\n",
    "runs of ](": lambda s: f"x {CITE} " + "](" * 100_000 * s + "\n",
    "falling fences": lambda s: f"x {CITE}\n\n"
    + "".join("`" * k + "a\n" for k in range(1_500 * s, 3, -1)),
    "unclosed [ and ^[": lambda s: "x " + "[ " * 50_000 * s + "\n\n" + "^[ " * 50_000 * s
    + f" {CITE}\n",
    "3,000 author notes": lambda s: _notes(3_000 * s),
}


def _pandoc() -> str:
    import pypandoc  # type: ignore[import-untyped]

    return str(pypandoc.get_pandoc_path())


def cpu_seconds(command: list[str], limit: float) -> float | None:
    """The child's user + system CPU time, its output discarded; None if it ran longer
    than ``limit`` seconds (it is stopped)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=limit, check=False)
    except subprocess.TimeoutExpired:
        return None
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _shown(seconds: float | None, limit: float) -> str:
    return f"{seconds:.2f}s" if seconds is not None else f">{limit:.0f}s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--limit", type=float, default=120.0, help="seconds per run")
    args = parser.parse_args(argv)
    pandoc = _pandoc()
    from exilebib.styles import resolve_style

    style = resolve_style("harvard").path
    print(f"{'essay':<22} {'KB':>6} {'exilebib':>9} {'pandoc':>8} {'pandoc/exilebib':>16}")
    with tempfile.TemporaryDirectory(prefix="exilebib-doc-hostile-") as folder:
        for name, make in ESSAYS.items():
            essay = Path(folder) / "essay.md"
            essay.write_text(make(args.scale), encoding="utf-8")
            ours = cpu_seconds([sys.executable, "-m", "exilebib", "doc", str(essay), str(SOURCES),
                                "--style", str(style), "-o", str(Path(folder) / "out.md")],
                               args.limit)
            theirs = cpu_seconds([pandoc, str(essay), "--citeproc", "--csl", str(style),
                                  "--bibliography", str(SOURCES), "-t", "markdown",
                                  "-o", str(Path(folder) / "pandoc.md")], args.limit)
            size = essay.stat().st_size // 1024
            ratio = f"{theirs / ours:.2f}" if ours and theirs else "-"
            print(f"{name:<22} {size:>6} {_shown(ours, args.limit):>9} "
                  f"{_shown(theirs, args.limit):>8} {ratio:>16}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
