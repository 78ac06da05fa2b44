"""exilebib doc's citations agree with citeproc-js (golden files of tests/doc/golden, made
by ``python tests/doc/doc_golden.py``), after the golden tests' documented normalisation."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from doc_golden import ESSAYS, MATRIX, composed, golden_path, inputs_digest, oracle


def _golden_cases() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "golden" / "golden_cases.py"
    spec = importlib.util.spec_from_file_location("exilebib_golden_cases_doc", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


normalise = _golden_cases().normalise
KNOWN = {
    tuple(case[:4])
    for case in json.loads((Path(__file__).with_name("known_differences.json")).read_text())[
        "cases"
    ]
}
COMBINATIONS = [(essay, style, locale) for essay in ESSAYS for style, locale in MATRIX]


@pytest.mark.parametrize(("essay", "style", "locale"), COMBINATIONS)
def test_golden_file_is_current(essay: str, style: str, locale: str) -> None:
    golden = json.loads(golden_path(essay, style, locale).read_text(encoding="utf-8"))
    doc = composed(essay, style, locale)
    assert golden["inputs_sha256"] == inputs_digest(doc), (
        "the essay's clusters or items changed: run `python tests/doc/doc_golden.py`"
    )
    assert golden["style_sha256"] == oracle.sha256(oracle.style_path(style))


@pytest.mark.parametrize(("essay", "style", "locale"), COMBINATIONS)
def test_every_citation_agrees_with_citeproc_js(essay: str, style: str, locale: str) -> None:
    golden = json.loads(golden_path(essay, style, locale).read_text(encoding="utf-8"))
    doc = composed(essay, style, locale)
    expected = [normalise(text, "html") for text in golden["citations"]]
    actual = [normalise(text, "html") for text in doc.rendered]
    differing = [
        f"  citation {n}:\n    citeproc-js: {e!r}\n    exilebib:    {a!r}"
        for n, (e, a) in enumerate(zip(expected, actual, strict=True), 1)
        if e != a and (essay, style, locale, n) not in KNOWN
    ]
    assert not differing, "\n".join(differing)
    fixed = [
        n for n, (e, a) in enumerate(zip(expected, actual, strict=True), 1)
        if e == a and (essay, style, locale, n) in KNOWN
    ]
    assert not fixed, f"listed in known_differences.json but now agree: citations {fixed}"
    authors = [normalise(text, "html") for text in golden["author_only"]]
    assert [normalise(text, "html") for text in doc.author_rendered] == authors
