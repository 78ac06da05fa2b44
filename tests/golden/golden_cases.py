"""Comparison of exilebib's rendering with the citeproc-js golden files.

Shared by ``test_golden.py`` and ``update_known.py``. A *case* is one comparable unit of
output, keyed by (corpus, style, locale, format, id):

* ``id`` = an item id: that item's bibliography entry. An item citeproc-js omits (no printed
  form) must also be absent from exilebib's ``entries`` (exilebib reports it in ``empty``).
* ``id`` = ``#order``: the order of the entries both engines print.
* ``id`` = ``citation-N``: the N-th citation cluster (note N in a note style).

Normalisation before comparing (the only one; everything else must match exactly):

1. runs of ASCII whitespace become one space, and leading/trailing whitespace is dropped
   (citeproc-js and citeproc-py lay out entry markup differently); no-break spaces are kept;
2. HTML only: character references are written one way. citeproc-js escapes ``&``, ``<`` and
   ``>`` as ``&#38;``, ``&#60;``, ``&#62;``, citeproc-py as ``&amp;``, ``&lt;``, ``&gt;``; both
   become the named form, and a reference to any other character becomes the character.
   citeproc-js also writes two spaces in text as a no-break space and a space; that pair
   becomes one space.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from exilebib.engine import CiteRequest, Engine

REPO = Path(__file__).resolve().parents[2]
GOLDEN_DIR = REPO / "tests" / "golden"
KNOWN_FILE = GOLDEN_DIR / "known_differences.json"
FORMATS = ("text", "html")
ORDER_ID = "#order"


def load_tool(name: str) -> ModuleType:
    """A module of tools/oracle/ (a folder of scripts, not a package)."""
    path = REPO / "tools" / "oracle" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"exilebib_oracle_{name}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


oracle = load_tool("oracle")

_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")
_CHARREF = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_KEEP_ESCAPED = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _charref(match: re.Match[str]) -> str:
    char = html.unescape(match.group(0))
    if char == match.group(0):  # not a reference html knows: leave it alone
        return char
    return _KEEP_ESCAPED.get(char, char)


def normalise(text: str, fmt: str) -> str:
    """The documented normalisation (see the module docstring)."""
    if fmt == "html":
        text = _CHARREF.sub(_charref, text).replace("\u00a0 ", " ")
    return _WHITESPACE.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class Case:
    corpus: str
    style: str
    locale: str
    format: str
    id: str
    expected: Any  # citeproc-js (normalised); None = no printed form
    actual: Any  # exilebib (normalised); None = rendered nothing

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.corpus, self.style, self.locale, self.format, self.id)

    @property
    def agrees(self) -> bool:
        return bool(self.expected == self.actual)


@dataclass(frozen=True, slots=True)
class Combination:
    """One golden file: a corpus rendered with one (style, locale)."""

    corpus: str
    style: str
    locale: str

    @property
    def path(self) -> Path:
        return Path(oracle.golden_path(self.corpus, self.style, self.locale))

    @property
    def label(self) -> str:
        return f"{self.corpus}/{self.style}__{self.locale}"


def combinations() -> list[Combination]:
    """Every golden file that exists, for every corpus and every (style, locale)."""
    found = []
    for corpus in oracle.corpora():
        for style, locale in oracle.MATRIX:
            combo = Combination(corpus, style, locale)
            if combo.path.is_file():
                found.append(combo)
    return found


def stale_reason(combo: Combination, golden: Mapping[str, Any]) -> str | None:
    """Why a golden file no longer matches its inputs, or None."""
    checks = {
        "corpus": (golden.get("corpus_sha256"), oracle.corpus_sha256(combo.corpus)),
        "style file": (golden.get("style_sha256"), oracle.sha256(oracle.style_path(combo.style))),
        "locale file": (
            golden.get("locale_sha256"),
            oracle.sha256(oracle.locale_path(combo.locale)),
        ),
    }
    changed = [name for name, (recorded, now) in checks.items() if recorded != now]
    if changed:
        return f"the {' and '.join(changed)} changed since {combo.path.name} was made"
    return None


@cache
def engine_for(style: str, locale: str) -> Engine:
    return Engine(Path(oracle.style_path(style)), locale)


def cluster_requests(clusters: Sequence[Sequence[Mapping[str, Any]]]) -> list[list[CiteRequest]]:
    return [
        [
            CiteRequest(str(cite["id"]), cite.get("locator"), cite.get("label") or "page")
            for cite in cluster
        ]
        for cluster in clusters
    ]


def compare(combo: Combination, fmt: str) -> list[Case]:
    """Every case of one golden file in one format, rendered now by exilebib."""
    golden = json.loads(combo.path.read_text(encoding="utf-8"))
    items, clusters = oracle.load_corpus(combo.corpus)
    engine = engine_for(combo.style, combo.locale)

    def case(case_id: str, expected: Any, actual: Any) -> Case:
        return Case(combo.corpus, combo.style, combo.locale, fmt, case_id, expected, actual)

    cases: list[Case] = []
    expected_entries = {
        entry_id: normalise(text, fmt) for entry_id, text in golden["bibliography"][fmt]
    }
    actual_entries: dict[str, Any] = {}
    actual_order: list[str] | None = None
    try:
        with warnings.catch_warnings():
            # citeproc-py warns about CSL variables it does not know; what it then renders
            # is what these tests judge (pytest turns warnings into errors).
            warnings.simplefilter("ignore")
            bib = engine.bibliography(items, fmt)  # type: ignore[arg-type]
        actual_entries = {entry.id: normalise(entry.text, fmt) for entry in bib.entries}
        actual_order = [entry.id for entry in bib.entries]
        for failed_id, reason in bib.failed:
            actual_entries[failed_id] = f"<exilebib failed: {reason}>"
    except Exception as exc:  # the whole bibliography failing is a difference, not a crash
        actual_entries = {
            str(item["id"]): f"<exilebib failed: {type(exc).__name__}: {exc}>" for item in items
        }
    for item in items:
        item_id = str(item["id"])
        cases.append(case(item_id, expected_entries.get(item_id), actual_entries.get(item_id)))
    if actual_order is None:  # no bibliography at all: the order cannot agree
        cases.append(case(ORDER_ID, [i for i, _ in golden["bibliography"][fmt]], None))
    else:
        both = set(expected_entries) & set(actual_order)
        expected_order = [i for i, _ in golden["bibliography"][fmt] if i in both]
        cases.append(case(ORDER_ID, expected_order, [i for i in actual_order if i in both]))

    expected_cites = [normalise(text, fmt) for text in golden["citations"][fmt]]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rendered = engine.citations(items, cluster_requests(clusters), fmt)  # type: ignore[arg-type]
        actual_cites: list[Any] = [normalise(text, fmt) for text in rendered]
    except Exception as exc:
        actual_cites = [f"<exilebib failed: {type(exc).__name__}: {exc}>"] * len(clusters)
    for index, expected in enumerate(expected_cites):
        actual = actual_cites[index] if index < len(actual_cites) else None
        cases.append(case(f"citation-{index + 1}", expected, actual))
    return cases


# -- known differences -----------------------------------------------------------------------


def load_known(path: Path = KNOWN_FILE) -> dict[tuple[str, str, str, str, str], str]:
    """The ratchet: every case known to differ, with the reason."""
    if not path.is_file():
        return {}
    rows = json.loads(path.read_text(encoding="utf-8"))
    return {
        (row["corpus"], row["style"], row["locale"], row["format"], row["id"]): row["reason"]
        for row in rows
    }


def write_known(
    known: Mapping[tuple[str, str, str, str, str], str], path: Path = KNOWN_FILE
) -> None:
    rows = [
        {"corpus": c, "style": s, "locale": loc, "format": f, "id": i, "reason": reason}
        for (c, s, loc, f, i), reason in sorted(known.items())
    ]
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


_INITIAL = re.compile(r"\b[A-Z]\.(?:-?[A-Z]\.)*(?=[ ,])")
_RANGE = re.compile(r"\b\d+[\u2013-]\d+\b")
_YEAR_SUFFIX = re.compile(r"\b\d{4}[a-z]\b")
_TAGS = re.compile(r"<[^>]+>")
_CHUNK = re.compile(r"[()\[\],.;:]\s*|\s+[\u2018\u2019\u201c\u201d]|^[\u2018\u201c]")


def _repeats(text: str) -> set[str]:
    chunks = [chunk.strip() for chunk in _CHUNK.split(_TAGS.sub("", text))]
    return {chunk for chunk in chunks if len(chunk) >= 8 and chunks.count(chunk) > 1}


def _reordered(e: str, a: str) -> bool:
    cites_e, cites_a = e.strip("()").split("; "), a.strip("()").split("; ")
    return len(cites_e) > 1 and sorted(cites_e) == sorted(cites_a) and cites_e != cites_a


#: (test, reason) pairs: a guess at the spec clause behind a difference. They only seed the
#: reason of a new entry in known_differences.json; edit the file to be exact.
_CLASSIFIERS: tuple[tuple[Callable[[str, str], bool], str], ...] = (
    (
        lambda e, a: len(_INITIAL.findall(a)) > len(_INITIAL.findall(e)),
        'initialize="false" on cs:name is ignored (CSL 1.0.2, Name attributes: initialize)',
    ),
    (
        lambda e, a: bool(re.search(r"[.,]\u201d", e)) and bool(re.search(r"\u201d[.,]", a)),
        "punctuation-in-quote is not applied (CSL 1.0.2, Locale options: punctuation-in-quote)",
    ),
    (
        lambda e, a: "\u2018" in e and "\u2018" not in a,
        "nested quotes are not flip-flopped (CSL 1.0.2, Appendix: quotes and flip-flop)",
    ),
    (
        lambda e, a: (" Edition" in a and " Edition" not in e) or a.count(". ") > e.count(". ") + 1,
        "a label or term is printed for an empty variable (CSL 1.0.2, cs:label)",
    ),
    (
        lambda e, a: bool(_YEAR_SUFFIX.search(e)) and not _YEAR_SUFFIX.search(a),
        "no year-suffix disambiguation (CSL 1.0.2, Disambiguation: disambiguate-add-year-suffix)",
    ),
    (
        lambda e, a: set(_RANGE.findall(e)) != set(_RANGE.findall(a)),
        "page-range-format / number ranges (CSL 1.0.2, Appendix V: Page Range Formats)",
    ),
    (
        lambda e, a: bool(_repeats(a) - _repeats(e)),
        "a substituted variable is printed again (CSL 1.0.2, cs:substitute: substituted "
        "variables are suppressed in the rest of the output)",
    ),
    (
        lambda e, a: "-. " in a,
        "hyphenated given names are initialised wrongly (CSL 1.0.2, Name attributes: "
        "initialize-with-hyphen)",
    ),
    (
        lambda e, a: '"' in a and "\u201c" in e,
        "quotes in a field are not localised and flip-flopped (CSL 1.0.2, Appendix: quotes)",
    ),
    (
        lambda e, a: "\u2019" in e.replace("\u2018", "") and "'" in a,
        "straight apostrophe where citeproc-js prints \u2019 (citeproc-js apostrophe handling)",
    ),
    (
        lambda e, a: (
            bool(re.search(r"\(\d{4}[a-z]?\)|, \d{4}[a-z]?[,)]", e))
            and not re.search(r"\(\d{4}[a-z]?\)|, \d{4}[a-z]?[,)]", a)
        ),
        "a date (range) is not rendered (CSL 1.0.2, Date ranges / cs:date)",
    ),
    (
        lambda e, a: bool(re.search(r"\bpp\. ", e)) and bool(re.search(r"\bp\. [^ ]+[\u2013-]", a)),
        "label plural for a range (CSL 1.0.2, cs:label plural)",
    ),
    (
        lambda e, a: (
            bool(re.search(r"\b(chap|sec|sect|ch|para|fig|vol)\. ", e))
            and not re.search(r"\b(chap|sec|sect|ch|para|fig|vol)\. ", a)
        ),
        "locator label missing (CSL 1.0.2, cs:label variable=locator)",
    ),
    (
        lambda e, a: (
            bool(re.search(r"\b[A-Z]\. [A-Z][a-z]+,? \d{4}", e))
            and not re.search(r"\b[A-Z]\. [A-Z][a-z]+,? \d{4}", a)
        ),
        "no given-name disambiguation (CSL 1.0.2, Disambiguation: disambiguate-add-givenname)",
    ),
    (
        _reordered,
        "cites are reordered though cs:citation has no cs:sort (CSL 1.0.2, Sorting)",
    ),
    (
        lambda e, a: "&amp;" in e and bool(re.search(r"&(?![a-z]+;|#)", a)),
        "'&' is not escaped in HTML output (the html formatter must escape text)",
    ),
    (
        lambda e, a: _TAGS.sub("", e) == _TAGS.sub("", a),
        "HTML markup differs (font-style / quotes in the html formatter)",
    ),
)


def classify(case: Case) -> str:
    """A first guess at why a case differs (the reason of a new known difference)."""
    expected, actual = case.expected, case.actual
    if case.id == ORDER_ID:
        return (
            "bibliography sort order (CSL 1.0.2, Sorting: keys from plain text, names in sort "
            "order, demote-non-dropping-particle)"
        )
    if isinstance(actual, str) and actual.startswith("<exilebib failed"):
        return f"exilebib raised while rendering: {actual[len('<exilebib failed: ') : -1]}"
    if expected is None:
        return "citeproc-js prints nothing for this item (no printed form); exilebib does"
    if actual is None:
        return "exilebib prints nothing where citeproc-js prints an entry"
    reasons = [reason for test, reason in _CLASSIFIERS if test(expected, actual)]
    if case.id.startswith("citation-") and not reasons:
        reasons.append(
            "citation layout: disambiguation, cite grouping/collapsing or cite order "
            "(CSL 1.0.2, Citation-specific options)"
        )
    return "; ".join(reasons) or "unclassified: compare the golden file with exilebib's output"


def agreement(cases: Sequence[Case]) -> dict[str, tuple[int, int]]:
    """(agreeing, total) for entries, order and citations."""
    kinds = {"entries": [], "order": [], "citations": []}  # type: dict[str, list[bool]]
    for case in cases:
        kind = (
            "order"
            if case.id == ORDER_ID
            else "citations"
            if case.id.startswith("citation-")
            else "entries"
        )
        kinds[kind].append(case.agrees)
    return {kind: (sum(flags), len(flags)) for kind, flags in kinds.items()}


def agreement_table(results: Mapping[tuple[str, str], Sequence[Case]]) -> list[str]:
    """Lines of a table: agreement per golden file and format."""
    lines = [
        f"{'corpus/style__locale':<50} {'fmt':<5} {'entries':>10} {'order':>7} {'citations':>10}"
    ]
    for (label, fmt), cases in sorted(results.items()):
        rates = agreement(cases)
        entries, order, cites = rates["entries"], rates["order"], rates["citations"]
        lines.append(
            f"{label:<50} {fmt:<5} {entries[0]:>4}/{entries[1]:<5} "
            f"{'same' if order[0] == order[1] else 'differs':>7} {cites[0]:>4}/{cites[1]:<5}"
        )
    return lines
