"""Differential check: random items rendered by exilebib and by citeproc-js.

Runs where node and tools/oracle/node_modules are present (``scripts/test`` runs ``npm ci``
in tools/oracle). A few hundred seeded random items (tools/oracle/items.py) and citation
clusters go through both engines for every (style, locale) of the golden matrix, citeproc-js
in one node process. The test fails only when exilebib crashes or when the share of agreeing
cases (entries, citations and the order of the entries, text format, normalised as in
golden_cases.py) falls below the committed floor in differential_floor.txt. Raise the floor when the engine gets better.
Every disagreement is written to a JSON report whose path the test prints.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from golden_cases import GOLDEN_DIR, cluster_requests, engine_for, load_tool, normalise, oracle

items_module = load_tool("items")

ITEM_COUNT = 300
CLUSTER_COUNT = 60
FLOOR_FILE = GOLDEN_DIR / "differential_floor.txt"
#: filled by the test, printed by conftest.py
SUMMARY: list[str] = []


def read_floor() -> float:
    return float(FLOOR_FILE.read_text(encoding="utf-8").split()[0])


@pytest.mark.oracle
def test_exilebib_agrees_with_citeproc_js_on_random_items(tmp_path: Path) -> None:
    reason = oracle.unavailable_reason()
    if reason:
        pytest.skip(f"differential check needs citeproc-js: {reason}")
    items = items_module.generate_items(ITEM_COUNT)
    clusters = items_module.generate_clusters(items, CLUSTER_COUNT)
    jobs = [oracle.job(items, style, locale, clusters, ["text"]) for style, locale in oracle.MATRIX]
    answers = oracle.render_batch(jobs)

    disagreements = []
    agree = total = 0
    per_style = []
    for (style, locale), answer in zip(oracle.MATRIX, answers, strict=True):
        engine = engine_for(style, locale)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # citeproc-py's warnings are not judged here
            bib = engine.bibliography(items, "text")
            cites = engine.citations(items, cluster_requests(clusters), "text")
        assert not bib.failed, f"{style}: exilebib failed on {bib.failed[:3]}"
        expected = {i: normalise(t, "text") for i, t in answer["bibliography"]["text"]}
        actual = {e.id: normalise(e.text, "text") for e in bib.entries}
        pairs = [
            (str(item["id"]), expected.get(str(item["id"])), actual.get(str(item["id"])))
            for item in items
        ]
        # the bibliography's order is one case: the ids in citeproc-js's order and in ours
        js_order = " ".join(i for i, _ in answer["bibliography"]["text"])
        pairs.append(("order", js_order, " ".join(e.id for e in bib.entries)))
        pairs += [
            (f"citation-{n + 1}", normalise(js, "text"), normalise(py, "text"))
            for n, (js, py) in enumerate(zip(answer["citations"]["text"], cites, strict=True))
        ]
        style_agree = sum(js == py for _, js, py in pairs)
        agree += style_agree
        total += len(pairs)
        per_style.append(f"{style} {locale}: {style_agree}/{len(pairs)}")
        disagreements += [
            {"style": style, "locale": locale, "id": case_id, "citeproc_js": js, "exilebib": py}
            for case_id, js, py in pairs
            if js != py
        ]

    rate = agree / total
    report = tmp_path / "differential-report.json"
    report.write_text(
        json.dumps(
            {"rate": rate, "per_style": per_style, "disagreements": disagreements},
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    floor = read_floor()
    SUMMARY.append(
        f"agreement {agree}/{total} = {rate:.1%} (floor {floor:.1%}); "
        + "; ".join(per_style)
        + f"; report: {report}"
    )
    assert rate >= floor, (
        f"agreement with citeproc-js fell to {agree}/{total} = {rate:.1%}, below the floor "
        f"{floor:.1%} in {FLOOR_FILE.name}; {'; '.join(per_style)}; disagreements: {report}"
    )
