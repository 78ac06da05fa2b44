"""exilebib's reading of biblatex-examples.bib compared with pandoc's, variable by variable.

Shared by ``test_pandoc_differential.py`` and usable as a script (from the repository root)::

    python tests/pandoc/pandoc_cases.py            # print the agreement and every difference
    python tests/pandoc/pandoc_cases.py --update   # rewrite the ratchet, keeping the reasons

pandoc (the ``pypandoc-binary`` wheel, a test-only dependency) reads the file with
``pandoc -f biblatex -t csljson``; exilebib with ``exilebib render FILE -f csl-json
--group-by none``. Only the core variables of :data:`CORE` are compared, plus every name
role; a *case* is one (entry id, variable) pair whose two values differ. The ratchet,
``pandoc_known_differences.json``, lists each case that remains with the reason exilebib's
value is the right one (from biblatex's documentation). A new ``reason`` is written as
:data:`UNEXPLAINED`, which the test refuses.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from exilebib.cli import main as cli_main

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO.parent / "shared" / "data" / "biblatex-examples.bib"
KNOWN_FILE = Path(__file__).resolve().parent / "pandoc_known_differences.json"
UNEXPLAINED = "UNEXPLAINED: say why exilebib is right, or fix it"

#: the core variables the issue names (name roles are found by their value's shape)
CORE: tuple[str, ...] = (
    "type", "title", "container-title", "collection-title", "collection-number",
    "volume-title", "issued", "original-date", "publisher", "publisher-place", "volume",
    "issue", "page", "number", "edition", "genre", "URL", "DOI", "ISBN", "note",
)  # fmt: skip

#: every CSL name variable (CSL 1.0.2, appendix IV)
NAME_VARIABLES: frozenset[str] = frozenset(
    {
        "author", "chair", "collection-editor", "compiler", "composer", "container-author",
        "contributor", "curator", "director", "editor", "editorial-director",
        "executive-producer", "guest", "host", "illustrator", "interviewer", "narrator",
        "organizer", "original-author", "performer", "producer", "recipient",
        "reviewed-author", "script-writer", "series-creator", "translator",
    }
)  # fmt: skip

Case = tuple[str, str]  #: (entry id, variable)


def pandoc_path() -> str | None:
    """The pandoc binary of the pypandoc-binary wheel, or ``None`` when it is absent."""
    try:
        import pypandoc  # type: ignore[import-untyped,unused-ignore]

        path = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return None
    return str(path) if path else None


def unavailable_reason() -> str | None:
    if not EXAMPLES.is_file():
        return f"{EXAMPLES} is absent (../shared is not checked out beside the repository)"
    if pandoc_path() is None:
        return "pandoc is absent (pip install pypandoc-binary, part of the 'test' extra)"
    return None


def read_pandoc(path: Path = EXAMPLES) -> dict[str, dict[str, Any]]:
    pandoc = pandoc_path()
    assert pandoc is not None
    result = subprocess.run(
        [pandoc, "-f", "biblatex", "-t", "csljson", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return {str(item["id"]): item for item in json.loads(result.stdout)}


def read_exilebib(path: Path = EXAMPLES) -> dict[str, dict[str, Any]]:
    result = CliRunner().invoke(
        cli_main, ["render", str(path), "-f", "csl-json", "--group-by", "none"]
    )
    assert result.exit_code in (0, 1), result.output
    return {str(item["id"]): item for item in json.loads(result.stdout)}


_NOCASE = re.compile(r'<span class="nocase">|<span[^>]*>|</span>')


def _without_nocase(text: str) -> str:
    """``text`` without its ``nocase`` spans (their content kept): pandoc uses braces as
    case protection while it converts a title, then writes the text without them, where
    exilebib keeps them for the style's own text-case."""
    out: list[str] = []
    stack: list[bool] = []
    last = 0
    for match in _NOCASE.finditer(text):
        out.append(text[last : match.start()])
        last = match.end()
        tag = match.group(0)
        if tag == "</span>":
            if stack and not stack.pop():
                out.append(tag)
        else:
            nocase = tag == '<span class="nocase">'
            stack.append(nocase)
            if not nocase:
                out.append(tag)
    out.append(text[last:])
    return "".join(out)


def _normal(value: Any) -> Any:
    """Values as compared: date parts as integers (pandoc may write them as strings), text
    without case-protection spans (see :func:`_without_nocase`) and with escaped hyphens
    as hyphens."""
    if isinstance(value, str):
        # "99\-02": citeproc-js's escape for a hyphen that is no range, the same number
        return _without_nocase(value).replace("\\-", "-")
    if isinstance(value, dict) and "date-parts" in value:
        value = dict(value)
        value["date-parts"] = [[int(part) for part in parts] for parts in value["date-parts"]]
    return value


def variables(pandoc: dict[str, Any], exilebib: dict[str, Any]) -> list[str]:
    names = {
        key
        for item in (pandoc, exilebib)
        for key, value in item.items()
        if key in NAME_VARIABLES or (isinstance(value, list) and key not in CORE)
    }
    return [*CORE, *sorted(names)]


def compare(
    pandoc: dict[str, dict[str, Any]], exilebib: dict[str, dict[str, Any]]
) -> tuple[dict[Case, tuple[Any, Any]], dict[str, list[int]]]:
    """The differing cases with (pandoc, exilebib) values, and per variable [same, total]."""
    differing: dict[Case, tuple[Any, Any]] = {}
    tally: dict[str, list[int]] = {}
    for key in sorted(set(pandoc) | set(exilebib)):
        ours, theirs = exilebib.get(key, {}), pandoc.get(key, {})
        for variable in variables(theirs, ours):
            a, b = _normal(theirs.get(variable)), _normal(ours.get(variable))
            if a is None and b is None:
                continue
            counts = tally.setdefault(variable, [0, 0])
            counts[1] += 1
            if a == b:
                counts[0] += 1
            else:
                differing[(key, variable)] = (a, b)
    return differing, tally


def load_known() -> dict[Case, str]:
    data = json.loads(KNOWN_FILE.read_text(encoding="utf-8"))
    return {
        (key, variable): reason
        for key, by_variable in data.items()
        for variable, reason in by_variable.items()
    }


def write_known(known: dict[Case, str]) -> None:
    data: dict[str, dict[str, str]] = {}
    for (key, variable), reason in sorted(known.items()):
        data.setdefault(key, {})[variable] = reason
    KNOWN_FILE.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")


def summary(
    pandoc: dict[str, dict[str, Any]],
    differing: dict[Case, tuple[Any, Any]],
    tally: dict[str, list[int]],
    known: dict[Case, str],
) -> list[str]:
    """The agreement as printed lines: whole entries, then each variable."""
    keys = set(pandoc)
    unequal = {key for key, _ in differing}
    unexplained = {key for key, variable in differing if (key, variable) not in known}
    lines = [
        f"entries with every core variable equal to pandoc's: {len(keys - unequal)}/{len(keys)}",
        f"entries equal or differing only as listed in {KNOWN_FILE.name}: "
        f"{len(keys - unexplained)}/{len(keys)}",
    ]
    lines += [
        f"  {variable}: {same}/{total}"
        for variable, (same, total) in sorted(tally.items())
        if same != total
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tests/pandoc/pandoc_cases.py",
        description="Compare exilebib's and pandoc's reading of biblatex-examples.bib.",
        epilog="Example: python tests/pandoc/pandoc_cases.py --update",
    )
    parser.add_argument("--update", action="store_true", help="rewrite the ratchet file")
    args = parser.parse_args(argv)
    reason = unavailable_reason()
    if reason:
        print(reason, file=sys.stderr)
        return 2
    pandoc = read_pandoc()
    differing, tally = compare(pandoc, read_exilebib())
    known = load_known() if KNOWN_FILE.exists() else {}
    for (key, variable), (a, b) in sorted(differing.items()):
        mark = " " if (key, variable) in known else "*"
        print(f"{mark} {key} {variable}\n    pandoc:   {json.dumps(a, ensure_ascii=False)}")
        print(f"    exilebib: {json.dumps(b, ensure_ascii=False)}")
    for line in summary(pandoc, differing, tally, known):
        print(line)
    if args.update:
        write_known({case: known.get(case, UNEXPLAINED) for case in differing})
        print(f"wrote {KNOWN_FILE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main())
