"""Start-up benchmark: ``exilebib --help`` and ``exilebib lint`` on the essay's sources,
each against ``python -c "import click"`` (the floor for any click program), side by side.

By default the commands run interleaved: each round runs every command once (after warm-up
rounds), so a change of load on a shared machine hits all of them alike; the report gives
each command's median wall time and median CPU time (user + system of the child) and
their ratios to the click floor. CPU time moves less than wall time when other processes
compete for the cores. With ``--hyperfine`` (``apt-get install hyperfine``) hyperfine times
each command in turn instead and only wall time is reported. The target is a ratio of at
most 2.0 for both commands. The commands run with bytecode caching on, as an installed
program does.

Usage (from the repository root)::

    .venv/bin/python bench/startup/run.py [--runs 30] [--hyperfine]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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


def _hyperfine(runs: int) -> list[tuple[float, float | None]]:
    with tempfile.TemporaryDirectory() as work:
        export = Path(work) / "startup.json"
        command = ["hyperfine", "--shell=none", f"--warmup={WARMUP}", f"--runs={runs}",
                   f"--export-json={export}", "--ignore-failure", "--style=none"]
        command += [subprocess.list2cmdline(argv) for _, argv in COMMANDS]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=REPO, env=ENV)
        results = json.loads(export.read_text(encoding="utf-8"))["results"]
    return [(float(result["median"]), None) for result in results]


def _once(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, of the child) of one run of ``argv``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO,
                   check=False, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _interleaved(runs: int) -> list[tuple[float, float | None]]:
    walls: list[list[float]] = [[] for _ in COMMANDS]
    cpus: list[list[float]] = [[] for _ in COMMANDS]
    for round_index in range(WARMUP + runs):
        for index, (_, argv) in enumerate(COMMANDS):
            wall, cpu = _once(argv)
            if round_index >= WARMUP:
                walls[index].append(wall)
                cpus[index].append(cpu)
    return [(statistics.median(wall), statistics.median(cpu))
            for wall, cpu in zip(walls, cpus, strict=True)]


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench/startup/run.py", description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--hyperfine", action="store_true",
                        help="time with hyperfine, one command after the other (wall only)")
    args = parser.parse_args()
    if args.hyperfine and not shutil.which("hyperfine"):
        parser.error("hyperfine is not installed (apt-get install hyperfine)")
    tool = "hyperfine" if args.hyperfine else "interleaved runs"
    medians = _hyperfine(args.runs) if args.hyperfine else _interleaved(args.runs)
    floor_wall, floor_cpu = medians[0]
    print(f"start-up, median of {args.runs} runs ({tool}); ratio to {COMMANDS[0][0]}")
    for (label, _), (wall, cpu) in zip(COMMANDS, medians, strict=True):
        line = f"  {label:28} wall {1000 * wall:7.1f} ms  {wall / floor_wall:5.2f}x"
        if cpu is not None and floor_cpu:
            line += f"   cpu {1000 * cpu:7.1f} ms  {cpu / floor_cpu:5.2f}x"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
