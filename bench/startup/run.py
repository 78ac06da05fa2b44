"""Start-up benchmark: ``exilebib --help`` and ``exilebib lint`` on the essay's sources,
each against ``python -c "import click"`` (the floor for any click program), side by side.

Runs hyperfine when it is installed (``apt-get install hyperfine``), else times repeated
runs itself (median wall time of N runs after warm-up). Prints each command's time and its
ratio to the click floor; the target is at most 2.0 for both commands. The commands run
with bytecode caching on, as an installed program does.

Usage (from the repository root)::

    .venv/bin/python bench/startup/run.py [--runs 30]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
EXILEBIB = str(BIN / "exilebib")
ESSAY = str(REPO / "refs" / "sources.bib")

#: (label, command); the first is the floor the others are compared with
COMMANDS: tuple[tuple[str, list[str]], ...] = (
    ("python -c 'import click'", [sys.executable, "-c", "import click"]),
    ("exilebib --help", [EXILEBIB, "--help"]),
    ("exilebib lint essay", [EXILEBIB, "lint", ESSAY]),
)
WARMUP = 3
#: as an installed program runs: Python may keep the bytecode it compiles (some shells set
#: PYTHONDONTWRITEBYTECODE, which makes every run compile every module again)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _hyperfine(runs: int) -> list[float]:
    with tempfile.TemporaryDirectory() as work:
        export = Path(work) / "startup.json"
        command = ["hyperfine", "--shell=none", f"--warmup={WARMUP}", f"--runs={runs}",
                   f"--export-json={export}", "--ignore-failure", "--style=none"]
        command += [subprocess.list2cmdline(argv) for _, argv in COMMANDS]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=REPO, env=ENV)
        results = json.loads(export.read_text(encoding="utf-8"))["results"]
    return [float(result["median"]) for result in results]


def _repeated(runs: int) -> list[float]:
    medians = []
    for _, argv in COMMANDS:
        times = []
        for index in range(WARMUP + runs):
            start = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           cwd=REPO, check=False, env=ENV)
            if index >= WARMUP:
                times.append(time.perf_counter() - start)
        medians.append(statistics.median(times))
    return medians


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/startup/run.py", description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    tool = "hyperfine" if shutil.which("hyperfine") else "repeated runs"
    medians = _hyperfine(args.runs) if tool == "hyperfine" else _repeated(args.runs)
    floor = medians[0]
    print(f"start-up, median of {args.runs} runs ({tool}); ratio to {COMMANDS[0][0]}")
    for (label, _), seconds in zip(COMMANDS, medians, strict=True):
        print(f"  {label:28} {1000 * seconds:7.1f} ms  {seconds / floor:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
