"""Golden files for ``exilebib doc``: every citation of the test essays as citeproc-js
renders it, given the same CSL-JSON items and the same clusters in the same order (note
index = note number, 0 in running text), with the prefixes, suffixes and author options
exilebib read from the Markdown. Author-in-text cites are a second sequence of author-only
cites, as exilebib renders them.

Regenerate (needs node and ``npm ci`` in tools/oracle) from the repository root::

    python tests/doc/doc_golden.py
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

from exilebib.document.compose import Composed, compose
from exilebib.document.essay import read_essay
from exilebib.document.locators import locator_labels
from exilebib.engine import CiteCluster
from exilebib.sources import load_library
from exilebib.styles import resolve_style

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FIXTURES = HERE / "fixtures"
GOLDEN = HERE / "golden"
SOURCES = REPO / "refs" / "sources.bib"
#: The test essays: the cited essay and the cases (ibid, locators, affixes, ...).
ESSAYS = ("essay", "cases")


def load_oracle() -> ModuleType:
    path = REPO / "tools" / "oracle" / "oracle.py"
    spec = importlib.util.spec_from_file_location("exilebib_oracle_doc", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


oracle = load_oracle()
#: The oracle's (style, locale) pairs, and a note style that uses "Ibid." (CMOS 16th), so
#: that ibid and ibid-with-locator are decided across a document too.
MATRIX: tuple[tuple[str, str], ...] = (
    *oracle.MATRIX,
    ("chicago-notes-bibliography-16th-edition", "en-US"),
)


def composed(essay: str, style: str, locale: str) -> Composed:
    resolved = resolve_style(style, locale)
    parsed = read_essay(FIXTURES / f"{essay}.md", locator_labels(resolved.locale))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compose(parsed, load_library(SOURCES), resolved, None)


def cluster_json(cluster: CiteCluster) -> dict[str, Any]:
    cites = []
    for cite in cluster.cites:
        data: dict[str, Any] = {"id": cite.id}
        if cite.locator:
            data["locator"], data["label"] = cite.locator, cite.label
        for name, value in (("prefix", cite.prefix), ("suffix", cite.suffix),
                            ("suppress-author", cite.suppress_author),
                            ("author-only", cite.author_only)):
            if value:
                data[name] = value
        cites.append(data)
    return {"cites": cites, "note": cluster.note_number or 0}


def golden_path(essay: str, style: str, locale: str) -> Path:
    return GOLDEN / f"{essay}__{style}__{locale}.json"


def inputs_digest(doc: Composed) -> str:
    """What the golden file depends on: the items and every cluster asked for."""
    data = {
        "items": list(doc.bibliography.items),
        "clusters": [cluster_json(c) for c in doc.requests],
        "author": [cluster_json(c) for c in doc.author_requests],
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def regenerate() -> list[Path]:
    jobs, targets = [], []
    for essay in ESSAYS:
        for style, locale in MATRIX:
            doc = composed(essay, style, locale)
            for clusters in (doc.requests, doc.author_requests):
                job = oracle.job(doc.bibliography.items, style, locale, [], ["html"])
                job["clusters"] = [cluster_json(c) for c in clusters]
                jobs.append(job)
            targets.append((essay, style, locale, doc))
    answers = oracle.render_batch(jobs)
    written = []
    for index, (essay, style, locale, doc) in enumerate(targets):
        main, author = answers[2 * index], answers[2 * index + 1]
        record = {
            "essay": essay,
            "style": style,
            "locale": locale,
            "inputs_sha256": inputs_digest(doc),
            "style_sha256": oracle.sha256(oracle.style_path(style)),
            "processor": main["processor"],
            "citations": main["citations"]["html"],
            "author_only": author["citations"]["html"] if doc.author_requests else [],
        }
        path = golden_path(essay, style, locale)
        path.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in regenerate():
        print(written_path.relative_to(REPO))
    sys.exit(0)
