"""Run the CSL processor test suite's human-readable fixtures through :class:`Engine`.

A fixture (``processor-tests/humans/*.txt``) has sections ``>>== NAME ==>> ... <<== NAME ==<<``:
MODE (citation or bibliography), RESULT, CSL, INPUT and optionally CITATION-ITEMS (clusters
of cites), CITATIONS (citeproc-js ``processCitationCluster`` calls) and BIBENTRIES/BIBSECTION.

How the runner reads them (the same choices as the oracle harness described in
``docs/research/csl-oracle.md``):

* bibliography mode renders every INPUT item, as HTML, inside the ``csl-bib-body`` div;
* citation mode renders, with the items they cite, CITATIONS (the document as the last
  call states it: its citations before and after, with their note numbers, around the one
  it adds; each citation in its latest version; the ``..[n]``/``>>[n]`` markers dropped),
  else each CITATION-ITEMS cluster on its own line, else one citation of every INPUT item;
* expected and actual text are compared after collapsing whitespace, dropping whitespace
  between tags and writing ``&#38;`` as ``&amp;``.

Fixtures with BIBENTRIES or BIBSECTION (none in the current suite) are reported as failing.
42 fixtures give items without the ``type`` that CSL-JSON requires (their subject is dates
or names, not types); the runner gives those items ``type: "article"``, because
:class:`Engine` rejects an item without a type with a clear error (tested in
``tests/engine/test_rules.py``) where citeproc-js is lenient.

``python -m exilebib.engine.testsuite [DIR] [--no-fixes] [--compare] [--failures FILE]``
prints the pass rate overall and per area (the file-name prefix).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict, cast

from exilebib.engine import CiteCluster, CiteRequest, Engine

_SECTION = re.compile(r">>=+\s*([A-Z-]+)\s*=+>>\n?(.*?)\n?<<=+\s*\1\s*=+<<", re.S)
_MARKER = re.compile(r"^(?:\.\.|>>)\[\d+\]\s?", re.M)
_BETWEEN_TAGS = re.compile(r">\s+<")
_SPACES = re.compile(r"\s+")

#: a CSL-JSON object of a fixture (an item, a cite), values as JSON gives them
JsonObject = dict[str, object]


class CitationProperties(TypedDict, total=False):
    #: the footnote the citation is in (0 or absent: in the text)
    noteIndex: int


class CitationJson(TypedDict, total=False):
    """A citation of a CITATIONS call, as citeproc-js's ``processCitationCluster`` takes it."""

    citationID: str
    citationItems: list[JsonObject]
    properties: CitationProperties


#: a citation before or after the one a call adds: ``[citationID, noteIndex]``
Neighbour = Sequence[str | int]


@dataclass(frozen=True, slots=True)
class Fixture:
    name: str
    mode: str
    result: str
    csl: str
    items: list[JsonObject]
    citation_items: list[list[JsonObject]] | None
    #: citeproc-js processCitationCluster calls, ``[citation, before, after]``, as JSON
    #: (read the way citeproc-js's harness reads them, without checking shapes)
    citations: list[list[object]] | None
    unsupported: str | None

    @property
    def area(self) -> str:
        return self.name.split("_", 1)[0]


@dataclass(frozen=True, slots=True)
class Outcome:
    name: str
    passed: bool
    expected: str
    actual: str


def parse_fixture(path: Path) -> Fixture:
    """Read one fixture file."""
    text = path.read_text(encoding="utf-8")
    sections = {m.group(1): m.group(2) for m in _SECTION.finditer(text)}
    unsupported = None
    for name in ("BIBENTRIES", "BIBSECTION"):
        if name in sections:
            unsupported = f"{name} is not supported by the runner"
    return Fixture(
        name=path.stem,
        mode=sections.get("MODE", "").strip(),
        result=sections.get("RESULT", ""),
        csl=sections.get("CSL", ""),
        items=json.loads(sections.get("INPUT", "[]")),
        citation_items=json.loads(sections["CITATION-ITEMS"])
        if "CITATION-ITEMS" in sections
        else None,
        citations=json.loads(sections["CITATIONS"]) if "CITATIONS" in sections else None,
        unsupported=unsupported,
    )


def normalise(text: str) -> str:
    """Whitespace- and entity-insensitive form used to compare outputs."""
    text = _MARKER.sub("", text.strip())
    text = text.replace("&#38;", "&amp;").replace("&#60;", "&lt;").replace("&#62;", "&gt;")
    text = _BETWEEN_TAGS.sub("><", text)
    return _SPACES.sub(" ", text).strip()


def _cite(data: Mapping[str, object]) -> CiteRequest:
    locator = data.get("locator")
    return CiteRequest(
        id=str(data["id"]),
        locator=str(locator) if locator not in (None, "") else None,
        label=str(data.get("label") or "page"),
        prefix=str(data.get("prefix") or ""),
        suffix=str(data.get("suffix") or ""),
        suppress_author=bool(data.get("suppress-author")),
        author_only=bool(data.get("author-only")),
    )


def _clusters_from_citations(calls: Sequence[Sequence[object]]) -> list[CiteCluster]:
    """The final document of a sequence of processCitationCluster calls.

    As in citeproc-js, each call states the whole document: the citations before it and
    after it (``[citationID, noteIndex]`` pairs, whose note numbers replace the ones the
    citations had) around the citation it adds or edits; citations it does not list are
    no longer in the document.
    """
    latest: dict[str, CitationJson] = {}
    document: list[tuple[str, str | int | None]] = []  # (citationID, noteIndex as given)
    for number, call in enumerate(calls):
        # the shapes citeproc-js's harness reads, unchecked (as it reads them)
        citation = cast("CitationJson", call[0])
        pre = cast("list[Neighbour]", call[1])
        post = cast("list[Neighbour]", call[2]) if len(call) > 2 else []
        cid = str(citation.get("citationID", f"CITATION-{number}"))
        latest[cid] = citation
        note: str | int | None = (citation.get("properties") or {}).get("noteIndex")
        document = [
            *((str(p[0]), p[1]) for p in pre), (cid, note), *((str(p[0]), p[1]) for p in post)
        ]
    clusters = []
    for cid, note in document:
        cites = tuple(_cite(c) for c in latest[cid].get("citationItems", []))
        clusters.append(CiteCluster(cites, int(note) if note else None))
    return clusters


def _locale(csl: str) -> str | None:
    match = re.search(r"<style\b[^>]*\bdefault-locale=\"([^\"]+)\"", csl)
    return match.group(1) if match else None


MISSING_TYPE = "article"


def fixture_items(fixture: Fixture) -> list[JsonObject]:
    """The fixture's items as citeproc-js's test harness hands them over: an item without an
    ``id`` gets ``ITEM-n`` (n its position, from 1); where two items share an id, the later
    one replaces the earlier (the harness keeps items in a table by id)."""
    by_id: dict[str, JsonObject] = {}
    for number, item in enumerate(fixture.items, start=1):
        if not item.get("type"):
            item = {**item, "type": MISSING_TYPE}
        if item.get("id") in (None, ""):
            item = {**item, "id": f"ITEM-{number}"}
        by_id.pop(str(item["id"]), None)
        by_id[str(item["id"])] = item
    return list(by_id.values())


def render_fixture(fixture: Fixture, *, fixes: bool) -> str:
    """What the engine prints for the fixture, in the fixture's RESULT layout."""
    if fixture.unsupported:
        raise ValueError(fixture.unsupported)
    engine = Engine.from_xml(fixture.csl, _locale(fixture.csl), fixes=fixes)
    items = fixture_items(fixture)
    if fixture.mode == "bibliography":
        bib = engine.bibliography(items, "html")
        entries = "".join(f'<div class="csl-entry">{e.text}</div>' for e in bib.entries)
        return f'<div class="csl-bib-body">{entries}</div>'
    clusters: list[CiteCluster]
    if fixture.citations is not None:
        clusters = _clusters_from_citations(fixture.citations)
    elif fixture.citation_items is not None:
        clusters = [
            CiteCluster(tuple(_cite(c) for c in cluster), index + 1)
            for index, cluster in enumerate(fixture.citation_items)
        ]
    else:
        clusters = [CiteCluster(tuple(CiteRequest(str(i["id"])) for i in items), 1)]
    # citeproc-js's harness registers the items the citations cite, not every INPUT item
    # (an uncited item takes no year-suffix)
    cited = {cite.id for cluster in clusters for cite in cluster.cites}
    items = [item for item in items if str(item["id"]) in cited]
    return "\n".join(engine.citations(items, clusters, "html"))


def run_fixture(path: Path, *, fixes: bool = True) -> Outcome:
    fixture = parse_fixture(path)
    expected = normalise(fixture.result)
    try:
        actual = normalise(render_fixture(fixture, fixes=fixes))
    except Exception as exc:  # a crash is a failure like any other
        actual = f"!! {type(exc).__name__}: {exc}"
    return Outcome(fixture.name, expected == actual, expected, actual)


def fixture_paths(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.txt"))


def run_all(directory: Path, *, fixes: bool = True) -> list[Outcome]:
    return [run_fixture(path, fixes=fixes) for path in fixture_paths(directory)]


def rates(outcomes: Iterable[Outcome]) -> dict[str, tuple[int, int]]:
    """``{area: (passed, total)}`` plus ``"all"``."""
    passed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for outcome in outcomes:
        area = outcome.name.split("_", 1)[0]
        for key in (area, "all"):
            total[key] += 1
            passed[key] += outcome.passed
    return {key: (passed[key], total[key]) for key in sorted(total)}


def default_directory() -> Path:
    return Path(__file__).resolve().parents[3] / ".." / "shared" / "csl-test-suite" / "humans"


def _pct(passed: int, total: int) -> str:
    return f"{passed}/{total} ({100 * passed / total:.1f}%)" if total else "0/0"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("directory", nargs="?", type=Path, default=default_directory())
    parser.add_argument("--no-fixes", action="store_true", help="citeproc-py alone")
    parser.add_argument(
        "--compare", action="store_true", help="both columns: citeproc-py alone and with fixes"
    )
    parser.add_argument("--failures", type=Path, help="write failing fixture names here")
    parser.add_argument("--show", help="print expected/actual for fixtures matching this")
    args = parser.parse_args(argv)
    if not args.directory.is_dir():
        print(f"no test-suite folder at {args.directory}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    columns: list[tuple[str, list[Outcome]]] = []
    if args.compare or args.no_fixes:
        columns.append(("citeproc-py", run_all(args.directory, fixes=False)))
    if not args.no_fixes:
        columns.append(("exilebib", run_all(args.directory, fixes=True)))
    tables = [(title, rates(outcomes)) for title, outcomes in columns]
    areas = list(tables[0][1])
    areas.remove("all")
    print(f"{'area':<14}" + "".join(f"{title:>22}" for title, _ in tables))
    for area in ["all", *areas]:
        print(f"{area:<14}" + "".join(f"{_pct(*table[area]):>22}" for _, table in tables))
    print(f"({time.perf_counter() - started:.1f} s)")
    last = columns[-1][1]
    if args.failures:
        names = [o.name for o in last if not o.passed]
        args.failures.write_text("".join(f"{n}\n" for n in names), encoding="utf-8")
    if args.show:
        for outcome in last:
            if args.show in outcome.name and not outcome.passed:
                print(f"--- {outcome.name}\n  expected: {outcome.expected}\n"
                      f"  actual:   {outcome.actual}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
