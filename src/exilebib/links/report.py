"""Link results as text, JSON, JUnit XML, GitHub workflow annotations or Markdown.

Each formatter takes the results and a :class:`ReportOptions` and returns a string; the CLI
prints it. Every problem names the URL, the verdict, the citing entry keys and the
``file:line`` of each citing field. Problems reading the sources (a block that does not
parse, a CSL-JSON item without an id) travel in :attr:`ReportOptions.diagnostics`; the
machine formats carry them in the shape ``exilebib lint`` gives them.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from exilebib.errors import Diagnostic, Severity
from exilebib.links.model import VERDICT_ORDER, LinkResult, RunNote, Verdict
from exilebib.links.settings import DEFAULT_FAIL_ON
from exilebib.lint import LintResult
from exilebib.lint.report import format_github, format_json

#: Verdicts the text and Markdown reports list one by one even without ``--verbose``.
ATTENTION: frozenset[Verdict] = frozenset(
    {Verdict.BROKEN, Verdict.TRANSIENT, Verdict.BLOCKED, Verdict.REDIRECTED, Verdict.EXCLUDED}
)


@dataclass(frozen=True, slots=True)
class ReportOptions:
    fail_on: tuple[Verdict, ...] = DEFAULT_FAIL_ON
    verbose: bool = False  #: list ok and cached links too
    elapsed: float | None = None  #: seconds the run took
    #: What reading the sources reported (warnings and errors); an error fails the run.
    diagnostics: tuple[Diagnostic, ...] = ()
    #: Run-level findings (the machine looks offline, the archive did not answer).
    notes: tuple[RunNote, ...] = ()

    @property
    def read_errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity is Severity.ERROR)


def failed(results: Sequence[LinkResult], options: ReportOptions) -> bool:
    """Whether the run fails: a verdict in ``fail_on``, or a source that did not read whole."""
    return bool(options.read_errors) or any(r.verdict in options.fail_on for r in results)


def _read_errors_line(options: ReportOptions) -> str | None:
    count = len(options.read_errors)
    if not count:
        return None
    return (
        f"{count} error(s) reading the sources: the links of an entry that did not read "
        "were not checked; fix them and run again"
    )


def note_line(note: RunNote) -> str:
    """One run-level note as a line: what happened, then what to do."""
    return f"note: {note.message} ({note.hint})"


def counts(results: Sequence[LinkResult]) -> dict[Verdict, int]:
    """How many results have each verdict, in report order (zeros included)."""
    found = dict.fromkeys(VERDICT_ORDER, 0)
    for result in results:
        found[result.verdict] += 1
    return found


def failing(results: Sequence[LinkResult], fail_on: Sequence[Verdict]) -> list[LinkResult]:
    return [result for result in results if result.verdict in fail_on]


def _grouped(results: Sequence[LinkResult]) -> list[tuple[Verdict, list[LinkResult]]]:
    return [
        (verdict, [r for r in results if r.verdict is verdict])
        for verdict in VERDICT_ORDER
        if any(r.verdict is verdict for r in results)
    ]


def _summary_line(results: Sequence[LinkResult], options: ReportOptions) -> str:
    parts = [f"{n} {verdict.value}" for verdict, n in counts(results).items() if n]
    text = f"{len(results)} link(s): {', '.join(parts) if parts else 'none'}"
    if options.elapsed is not None:
        text += f" in {options.elapsed:.1f} s"
    return text


# -- text ------------------------------------------------------------------------------


def render_text(results: Sequence[LinkResult], options: ReportOptions) -> str:
    lines: list[str] = []
    for verdict, group in _grouped(results):
        if verdict not in ATTENTION and not options.verbose:
            continue
        lines.append(f"{verdict.value} ({len(group)})")
        for result in group:
            lines.append(f"  {result.url}")
            lines.append(f"    {result.detail}")
            if result.archive_url:
                lines.append(f"    archived copy: {result.archive_url}")
            if result.archive_note:
                lines.append(f"    {result.archive_note}")
            for citation in result.link.citations:
                lines.append(f"    {citation.location}: {citation.key} ({citation.field})")
        lines.append("")
    lines.extend(note_line(note) for note in options.notes)
    lines.append(_summary_line(results, options))
    bad = failing(results, options.fail_on)
    if bad:
        names = ", ".join(verdict.value for verdict in options.fail_on)
        lines.append(f"{len(bad)} link(s) failed the check (--fail-on {names})")
    errors = _read_errors_line(options)
    if errors:
        lines.append(errors + " (listed on stderr)")
    return "\n".join(lines) + "\n"


# -- JSON ------------------------------------------------------------------------------


def result_record(result: LinkResult) -> dict[str, object]:
    """One result as plain JSON data (the shape ``--format json`` documents)."""
    return {
        "url": result.url,
        "status": result.verdict.value,
        "http_status": result.http_status,
        "final_url": result.final_url,
        "new_url": result.new_url,
        "redirects": [{"status": hop.status, "url": hop.url} for hop in result.redirects],
        "keys": list(result.link.keys),
        "locations": [
            {
                "file": c.location.path,
                "line": c.location.line,
                "key": c.key,
                "field": c.field,
            }
            for c in result.link.citations
        ],
        "attempts": result.attempts,
        "elapsed": result.elapsed,
        "detail": result.detail,
        "archive_url": result.archive_url,
        "archive_note": result.archive_note,
        "cached": result.cached,
    }


def render_json(results: Sequence[LinkResult], options: ReportOptions) -> str:
    bad = failing(results, options.fail_on)
    data = {
        "results": [result_record(result) for result in results],
        "summary": {
            "total": len(results),
            "counts": {verdict.value: n for verdict, n in counts(results).items()},
            "fail_on": [verdict.value for verdict in options.fail_on],
            "failed": len(bad),
            "read_errors": len(options.read_errors),
            "elapsed": options.elapsed,
        },
        # The records `exilebib lint -f json` writes (path, line, column, severity, rule, ...).
        "diagnostics": json.loads(format_json(LintResult(options.diagnostics)))["diagnostics"],
        "notes": [
            {"kind": note.kind.value, "message": note.message, "hint": note.hint}
            for note in options.notes
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# -- JUnit XML -------------------------------------------------------------------------


def render_junit(results: Sequence[LinkResult], options: ReportOptions) -> str:
    """One test case per URL; verdicts in ``fail_on`` fail, excluded ones are skipped;
    one erroring test case per error reading the sources."""
    read_errors = options.read_errors
    suite = ET.Element(
        "testsuite",
        name="exilebib links",
        tests=str(len(results) + len(read_errors)),
        failures=str(len(failing(results, options.fail_on))),
        errors=str(len(read_errors)),
        skipped=str(sum(r.verdict is Verdict.EXCLUDED for r in results)),
        time=f"{options.elapsed or 0.0:.3f}",
    )
    if options.notes:
        properties = ET.SubElement(suite, "properties")
        for note in options.notes:
            ET.SubElement(
                properties, "property", name=f"note.{note.kind.value}", value=note_line(note)
            )
    for result in results:
        first = result.link.citations[0].location if result.link.citations else None
        case = ET.SubElement(
            suite,
            "testcase",
            classname=first.path if first else "links",
            name=result.url,
            time=f"{result.elapsed:.3f}",
        )
        if first is not None:
            case.set("file", first.path)
            case.set("line", str(first.line))
        where = "\n".join(f"{c.location}: {c.key} ({c.field})" for c in result.link.citations)
        if result.archive_note:
            where += f"\n{result.archive_note}"
        if result.verdict in options.fail_on:
            failure = ET.SubElement(
                case, "failure", type=result.verdict.value, message=result.detail
            )
            failure.text = where
        elif result.verdict is Verdict.EXCLUDED:
            ET.SubElement(case, "skipped", message=result.detail)
        else:
            ET.SubElement(case, "system-out").text = f"{result.verdict.value}: {result.detail}"
    if options.notes:
        ET.SubElement(suite, "system-err").text = "\n".join(map(note_line, options.notes))
    for diagnostic in read_errors:
        place = diagnostic.location
        case = ET.SubElement(
            suite,
            "testcase",
            classname=place.path,
            name=f"reading {place.path}:{place.line}",
            file=place.path,
            line=str(place.line),
        )
        error = ET.SubElement(case, "error", type=diagnostic.rule, message=diagnostic.message)
        error.text = str(diagnostic)
    root = ET.Element("testsuites", name="exilebib")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


# -- GitHub workflow annotations -------------------------------------------------------


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(results: Sequence[LinkResult], options: ReportOptions) -> str:
    """``::error``/``::warning`` commands on each citing ``.bib`` line, then a summary.

    Problems reading the sources come first, as ``exilebib lint -f github`` writes them.
    """
    lines = format_github(LintResult(options.diagnostics)).splitlines()
    for result in results:
        if result.verdict in options.fail_on:
            level = "error"
        elif result.verdict in (Verdict.TRANSIENT, Verdict.BLOCKED) or (
            result.verdict is Verdict.REDIRECTED and result.new_url
        ):
            level = "warning"
        else:
            continue
        title = f"{result.verdict.value} link"
        for citation in result.link.citations:
            message = f"{result.url} ({citation.key}): {result.detail}"
            if result.archive_url:
                message += f"; archived copy: {result.archive_url}"
            if result.archive_note:
                message += f"; {result.archive_note}"
            props = (
                f"file={_escape_property(citation.location.path)},"
                f"line={citation.location.line},title={_escape_property(title)}"
            )
            lines.append(f"::{level} {props}::{_escape_data(message)}")
    for note in options.notes:
        title = _escape_property(f"links: {note.kind.value}")
        lines.append(f"::warning title={title}::{_escape_data(note_line(note))}")
    lines.append(_summary_line(results, options))
    errors = _read_errors_line(options)
    if errors:
        lines.append(errors)
    return "\n".join(lines) + "\n"


# -- Markdown --------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(results: Sequence[LinkResult], options: ReportOptions) -> str:
    """A heading, the summary, and a table per verdict that needs attention (PR comments)."""
    mark = "❌" if failed(results, options) else "✅"
    lines = ["## Link check", "", f"{mark} {_summary_line(results, options)}", ""]
    for note in options.notes:
        lines += [f"> ⚠️ {_cell(note_line(note))}", ""]
    errors = _read_errors_line(options)
    if errors:
        lines += [f"{errors}:", ""]
        lines += ["| Where | Problem |", "|---|---|"]
        for diagnostic in options.read_errors:
            problem = f"{diagnostic.message} [{diagnostic.rule}]"
            lines.append(f"| {_cell(str(diagnostic.location))} | {_cell(problem)} |")
        lines.append("")
    for verdict, group in _grouped(results):
        if verdict not in ATTENTION and not options.verbose:
            continue
        lines += [f"### {verdict.value} ({len(group)})", ""]
        lines += ["| Link | Detail | Cited by |", "|---|---|---|"]
        for result in group:
            detail = result.detail
            if result.archive_url:
                detail += f" — [archived copy]({result.archive_url})"
            if result.archive_note:
                detail += f" — {result.archive_note}"
            cited = "<br>".join(f"`{c.key}` ({c.location})" for c in result.link.citations)
            lines.append(f"| <{_cell(result.url)}> | {_cell(detail)} | {_cell(cited)} |")
        lines.append("")
    return "\n".join(lines)


Formatter = Callable[[Sequence[LinkResult], ReportOptions], str]

#: ``--format`` name -> formatter.
FORMATTERS: Mapping[str, Formatter] = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "github": render_github,
    "markdown": render_markdown,
}
