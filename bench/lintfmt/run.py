"""Time ``exilebib lint`` and ``exilebib fmt`` on a generated 10,000-entry file, side by side
with bibtex-tidy (npm, a formatter with duplicate checks) and biber's data-model validation.

Run by hand, never as a test::

    python bench/lintfmt/run.py --install        # once: bibtex-tidy into bench/results/tools
    python bench/lintfmt/run.py [--entries 10000] [--repeat 3]

Everything it writes goes to ``bench/results/lintfmt/`` (ignored by git). Peers that are not
installed are reported as skipped. Times are wall clock, best of ``--repeat`` runs, of the
whole command (interpreter start-up included), so the ratios are what a user waits for.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results" / "lintfmt"
TOOLS = ROOT / "bench" / "results" / "tools"
TIDY_VERSION = "1.14.0"

WORDS = (
    "revolution", "exile", "history", "trial", "letters", "diary", "prophet", "armed",
    "unarmed", "outcast", "commission", "inquiry", "life", "death", "stalin", "lenin",
    "mexico", "moscow", "fourth", "international", "archive", "photograph",
)  # fmt: skip
TYPES = ("book", "article", "online", "image", "misc", "incollection")


def generate(count: int, seed: int = 1940) -> str:
    """A .bib file of ``count`` entries with the features the essay's file uses, and more."""
    rng = random.Random(seed)
    out = [
        "% Generated for bench/lintfmt/run.py\n",
        "@string{wmc = {Wikimedia Commons}}\n",
        "@string{np = {New Park Publications}}\n\n",
    ]
    for index in range(count):
        entry_type = TYPES[index % len(TYPES)]
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 8))).capitalize()
        fields = [
            ("author", f"{{Author{index}, Given and Other{index % 97}, Name}}"),
            ("title", f"{{{title} {{Trotsky}}}}"),
            ("date", f"{{{1900 + index % 120}-{1 + index % 12:02d}}}"),
            ("keywords", "{" + ("images", "primary", "secondary")[index % 3] + "}"),
        ]
        if entry_type == "article":
            fields.append(("journaltitle", "{Fourth International}"))
            fields.append(("volume", f"{{{index % 30}}}"))
        if entry_type in ("incollection",):
            fields.append(("booktitle", "{Collected Writings}"))
        if entry_type in ("online", "image", "misc"):
            fields.append(("url", f"{{https://example.org/wiki/File:%D0%9B_{index}_a~b.jpg}}"))
            fields.append(("urldate", "{2024-12-18}"))
        if entry_type == "image":
            fields.append(("organization", "wmc"))
        if entry_type == "book":
            fields.append(("publisher", '"Pub " # np'))
            fields.append(("isbn", "{978-0-306-40615-7}"))
        if index % 50 == 0:
            fields.append(("note", "{A note with a % sign and {nested {braces}}}"))
        body = ",\n".join(f"  {name} = {value}" for name, value in fields)
        out.append(f"@{entry_type}{{key{index},\n{body}\n}}\n\n")
    return "".join(out)


def best_of(command: list[str], repeat: int, cwd: Path, stdin: Path | None = None) -> float:
    times = []
    for _ in range(repeat):
        with open(stdin or os.devnull, "rb") as given:
            start = time.perf_counter()
            subprocess.run(
                command,
                cwd=cwd,
                stdin=given,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
            times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--install", action="store_true", help="npm-install bibtex-tidy first")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.install:
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund",
             f"bibtex-tidy@{TIDY_VERSION}"],
            check=True,
        )  # fmt: skip
    source = RESULTS / f"generated-{args.entries}.bib"
    source.write_text(generate(args.entries), encoding="utf-8")
    size = source.stat().st_size / 1e6
    print(f"{args.entries} entries, {size:.1f} MB: {source.relative_to(ROOT)}")
    python = sys.executable
    rows: list[tuple[str, float | None]] = []
    work = Path(tempfile.mkdtemp(prefix="lintfmt-"))

    def measure(
        label: str,
        command: list[str] | None,
        stdin: Path | None = None,
        cwd: Path = work,
        repeat: int = args.repeat,
    ) -> float | None:
        seconds = best_of(command, repeat, cwd, stdin) if command else None
        rows.append((label, seconds))
        shown = f"{seconds:7.2f} s" if seconds is not None else "skipped (not installed)"
        print(f"  {label:<50} {shown}")
        return seconds

    lint = measure("exilebib lint --format json", [python, "-m", "exilebib", "lint",
                   "--format", "json", str(source)])  # fmt: skip
    fmt = measure("exilebib fmt (to stdout)", [python, "-m", "exilebib", "fmt", str(source)])
    copy = work / "inplace.bib"
    shutil.copy(source, copy)
    measure("exilebib fmt --in-place", [python, "-m", "exilebib", "fmt", "-i", str(copy)])
    tidy_bin = TOOLS / "node_modules" / ".bin" / "bibtex-tidy"
    tidy_path = os.environ.get("BIBTEX_TIDY") or (str(tidy_bin) if tidy_bin.exists() else None)
    # bibtex-tidy 1.14 prints the result only when it reads stdin (given a file it rewrites it).
    tidy = measure(
        f"bibtex-tidy {TIDY_VERSION} (defaults, stdin to stdout)",
        [tidy_path] if tidy_path else None,
        stdin=source,
    )
    biber_path = shutil.which("biber")
    # biber takes about a minute here: measured once.
    biber = measure(
        "biber 2.x --tool --validate-datamodel (1 run)",
        [biber_path, "--tool", "--validate-datamodel", "--output-directory", str(work),
         source.name] if biber_path else None,
        cwd=source.parent,
        repeat=1,
    )  # fmt: skip
    print("ratios (peer time / exilebib time; > 1 means exilebib is faster):")
    if tidy and fmt:
        print(f"  fmt  vs bibtex-tidy:          {tidy / fmt:5.2f}")
    if tidy and lint:
        print(f"  lint vs bibtex-tidy:          {tidy / lint:5.2f}")
    if biber and lint:
        print(f"  lint vs biber validation:     {biber / lint:5.2f}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
