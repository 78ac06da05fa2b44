"""Render benchmark: exilebib vs citeproc-js vs pandoc on the same generated bibliography.

One run per engine and size, each in its own process, so wall time, CPU time (the child's
user + system time from wait4: steadier than wall time on a shared machine) and peak memory
(the child's max RSS from wait4) cover everything the engine does: start-up, style and locale
parsing, sorting and rendering. The items come from tools/oracle/items.py (seeded), the
style and locale files are the ones exilebib uses. exilebib runs in
``bench/render/exilebib_worker.py``, which imports nothing of this harness (the process
holds exilebib's work only, as pandoc's does). citeproc-js also reports its own timing
from inside node (style load and makeBibliography). Pandoc runs ``--citeproc`` with the same
style file and the items as a CSL-JSON bibliography (``nocite: @*``); it uses its built-in
locales, so only ``lang`` is passed.

Usage (from the repository root; pandoc from pypandoc-binary in a bench-only venv)::

    python3 -m venv /tmp/bench-venv && /tmp/bench-venv/bin/pip install pypandoc-binary
    PANDOC=$(/tmp/bench-venv/bin/python -c 'import pypandoc; print(pypandoc.get_pandoc_path())')
    .venv/bin/python bench/render/run.py --entries 1000 10000 --pandoc "$PANDOC"

Before timing, exilebib's modules are compiled to bytecode (``compileall``, into the
git-ignored ``__pycache__``), as an installed package has them (pip compiles a wheel's
modules) and as Python keeps them after a first run: where ``PYTHONDONTWRITEBYTECODE`` is
set, every run would compile the sources again, about 40 ms no user pays.

Results are printed as a table and saved under bench/results/ (git-ignored).
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[2]
RESULTS_DIR = REPO / "bench" / "results"
DEFAULT_STYLE = "harvard-cite-them-right"
DEFAULT_LOCALE = "en-GB"
ENGINES = ("exilebib", "citeproc-js", "pandoc")
WORKER = Path(__file__).with_name("exilebib_worker.py")


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


@dataclass(frozen=True)
class Measurement:
    engine: str
    entries: int
    wall_s: float
    peak_rss_mb: float
    rendered: int  # entries the engine printed (a sanity check, not a score)
    inner_s: float | None = None  # time measured inside the process, where available
    note: str = ""
    cpu_s: float = 0.0  # the child's user + system CPU time


def measure(command: list[str], stdout_path: Path) -> tuple[float, float, float]:
    """Run ``command``; return wall seconds, peak RSS in MB and CPU seconds (user + system)."""
    start = time.perf_counter()
    with stdout_path.open("wb") as stdout:
        process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE)
        assert process.stderr is not None
        # read stderr before waiting, so a chatty child cannot block on a full pipe
        errors = process.stderr.read()
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = errors.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise RuntimeError(f"{command[0]} failed ({process.returncode}): " + " | ".join(tail))
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def run_exilebib(items_path: Path, style: str, locale: str, work: Path) -> Measurement:
    out = work / "exilebib.json"
    # the measured process runs the worker alone: none of this harness's imports
    command = [sys.executable, str(WORKER), str(items_path), str(oracle.style_path(style)),
               locale]
    wall, rss, cpu = measure(command, out)
    result = json.loads(out.read_text(encoding="utf-8"))
    return Measurement(
        "exilebib",
        result["items"],
        wall,
        rss,
        result["rendered"],
        result["inner_s"],
        f"failed {result['failed']}, empty {result['empty']}" if result["failed"] else "",
        cpu,
    )


def run_citeproc_js(items_path: Path, style: str, locale: str, work: Path) -> Measurement:
    items = json.loads(items_path.read_text(encoding="utf-8"))
    request = work / "request.json"
    request.write_text(json.dumps(oracle.job(items, style, locale, (), ["text"])), "utf-8")
    out = work / "citeproc-js.json"
    wall, rss, cpu = measure(["node", str(oracle.RENDER_JS), str(request)], out)
    answer = json.loads(out.read_text(encoding="utf-8"))
    timing = answer["timing_ms"]
    inner = (timing["text_load"] + timing["text_bibliography"]) / 1000
    return Measurement(
        "citeproc-js",
        len(items),
        wall,
        rss,
        len(answer["bibliography"]["text"]),
        inner,
        f"style load {timing['text_load'] / 1000:.2f} s inside node",
        cpu,
    )


def run_pandoc(pandoc: str, items_path: Path, style: str, locale: str, work: Path) -> Measurement:
    document = work / "nocite.md"
    document.write_text("---\nnocite: |\n  @*\n---\n", encoding="utf-8")
    out = work / "pandoc.txt"
    command = [
        pandoc,
        str(document),
        "--citeproc",
        "--csl",
        str(oracle.style_path(style)),
        "--bibliography",
        str(items_path),
        "-M",
        f"lang={locale}",
        "-t",
        "plain",
        "--wrap=none",
    ]
    wall, rss, cpu = measure(command, out)
    text = out.read_text(encoding="utf-8")
    rendered = sum(1 for block in text.split("\n\n") if block.strip())
    items = json.loads(items_path.read_text(encoding="utf-8"))
    return Measurement("pandoc", len(items), wall, rss, rendered, None, _pandoc_version(pandoc),
                       cpu)


def _pandoc_version(pandoc: str) -> str:
    done = subprocess.run([pandoc, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.splitlines()[0] if done.stdout else ""


def table(measurements: list[Measurement]) -> list[str]:
    base = {m.entries: m for m in measurements if m.engine == "exilebib"}
    lines = [
        "| entries | engine | wall s | CPU s | inner s | peak RSS MB | time vs exilebib "
        "| CPU vs exilebib | memory vs exilebib | printed | note |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for m in measurements:
        ref = base.get(m.entries)
        time_ratio = f"{m.wall_s / ref.wall_s:.2f}" if ref else "-"
        cpu_ratio = f"{m.cpu_s / ref.cpu_s:.2f}" if ref and ref.cpu_s else "-"
        mem_ratio = f"{m.peak_rss_mb / ref.peak_rss_mb:.2f}" if ref else "-"
        inner = f"{m.inner_s:.2f}" if m.inner_s is not None else "-"
        lines.append(
            f"| {m.entries} | {m.engine} | {m.wall_s:.2f} | {m.cpu_s:.2f} | {inner} "
            f"| {m.peak_rss_mb:.0f} | {time_ratio} | {cpu_ratio} | {mem_ratio} | {m.rendered} "
            f"| {m.note} |"
        )
    return lines


def _compile_exilebib() -> None:
    """exilebib's bytecode written where Python looks for it (see the module docstring)."""
    spec = importlib.util.find_spec("exilebib")
    assert spec is not None
    assert spec.submodule_search_locations is not None
    for location in spec.submodule_search_locations:
        compileall.compile_dir(location, quiet=1)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(
        prog="bench/render/run.py",
        description="Time exilebib, citeproc-js and pandoc rendering one generated bibliography.",
        epilog="Example: .venv/bin/python bench/render/run.py --entries 1000 --pandoc PANDOC",
    )
    parser.add_argument("--entries", type=int, nargs="+", default=[1000])
    parser.add_argument("--style", default=DEFAULT_STYLE)
    parser.add_argument("--locale", default=DEFAULT_LOCALE)
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--pandoc", help="the pandoc binary (3.x, e.g. from pypandoc-binary)")
    parser.add_argument("--seed", type=int, default=1937)
    args = parser.parse_args(argv)
    engines = list(args.engines)
    if "pandoc" in engines and not args.pandoc:
        print("no --pandoc given: pandoc is skipped (see the module docstring)", file=sys.stderr)
        engines.remove("pandoc")
    if "citeproc-js" in engines and oracle.unavailable_reason():
        print(f"citeproc-js skipped: {oracle.unavailable_reason()}", file=sys.stderr)
        engines.remove("citeproc-js")

    if "exilebib" in engines:
        _compile_exilebib()
    measurements: list[Measurement] = []
    for count in args.entries:
        with tempfile.TemporaryDirectory(prefix="exilebib-bench-") as tmp:
            work = Path(tmp)
            items_path = work / "items.json"
            items = items_module.generate_items(count, seed=args.seed)
            items_path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
            for engine in engines:
                if engine == "exilebib":
                    m = run_exilebib(items_path, args.style, args.locale, work)
                elif engine == "citeproc-js":
                    m = run_citeproc_js(items_path, args.style, args.locale, work)
                else:
                    m = run_pandoc(args.pandoc, items_path, args.style, args.locale, work)
                measurements.append(m)
                print(
                    f"{count:>6} {m.engine:<12} {m.wall_s:8.2f} s {m.cpu_s:8.2f} s CPU "
                    f"{m.peak_rss_mb:8.0f} MB",
                    file=sys.stderr,
                )
    print(f"style {args.style}, locale {args.locale}, seed {args.seed}, one run each\n")
    for line in table(measurements):
        print(line)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    record: dict[str, Any] = {
        "style": args.style,
        "locale": args.locale,
        "seed": args.seed,
        "measurements": [asdict(m) for m in measurements],
    }
    out = RESULTS_DIR / f"render-{stamp}.json"
    out.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print(f"\nsaved {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
