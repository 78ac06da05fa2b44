"""Lint output formats, one function each behind :data:`FORMATS`; they return text.

- ``text``: ``file:line:col: severity: message [rule]``, then the line with a caret under
  the column and the hint (the errorformat editors read, plus context for people).
- ``json``: ``{"diagnostics": [{path, line, column, severity, rule, key, message, hint}],
  "summary": {"error": n, "warning": n, "info": n}}``.
- ``github``: GitHub Actions workflow commands (``::error file=...,line=...::message``),
  which show up as annotations on the pull request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from exilebib.errors import Diagnostic, Severity
from exilebib.lint import LintResult

#: Lines longer than this are shown as a window around the caret.
CONTEXT_WIDTH = 100


class _Lines:
    """Lines of the linted texts, split once per file and only when asked for."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        self.texts = texts
        self.split: dict[str, list[str]] = {}

    def get(self, path: str, line: int) -> str | None:
        if path not in self.split:
            text = self.texts.get(path)
            if text is None:
                return None
            self.split[path] = text.splitlines()
        lines = self.split[path]
        return lines[line - 1] if 0 < line <= len(lines) else None


def _excerpt(line: str, column: int) -> tuple[str, int]:
    """The part of ``line`` to show and the caret's 1-based column in it."""
    # A tab is shown as one space, so columns stay as counted. Only the window shown is
    # copied: copying the whole line per diagnostic was quadratic on a long broken line.
    if len(line) <= CONTEXT_WIDTH:
        return line.replace("\t", " "), column
    start = max(0, min(column - CONTEXT_WIDTH // 2, len(line) - CONTEXT_WIDTH))
    shown = line[start : start + CONTEXT_WIDTH].replace("\t", " ")
    prefix = "..." if start else ""
    suffix = "..." if start + CONTEXT_WIDTH < len(line) else ""
    return prefix + shown + suffix, column - start + len(prefix)


def format_text(result: LintResult) -> str:
    lines = _Lines(result.texts)
    out: list[str] = []
    for item in result.diagnostics:
        location = item.location
        column = location.column if location.column is not None else 1
        out.append(
            f"{location.path}:{location.line}:{column}: {item.severity.value}: "
            f"{item.message} [{item.rule}]"
        )
        source = lines.get(location.path, location.line)
        if source is not None and location.column is not None and source.strip():
            shown, caret = _excerpt(source, location.column)
            gutter = str(location.line)
            out.append(f"  {gutter} | {shown}")
            out.append(f"  {' ' * len(gutter)} | {' ' * (caret - 1)}^")
        if item.hint:
            out.append(f"  hint: {item.hint}")
    return "\n".join(out) + ("\n" if out else "")


def _as_json(item: Diagnostic) -> dict[str, object]:
    return {
        "path": item.location.path,
        "line": item.location.line,
        "column": item.location.column,
        "severity": item.severity.value,
        "rule": item.rule,
        "key": item.key,
        "message": item.message,
        "hint": item.hint,
    }


def format_json(result: LintResult) -> str:
    import json  # only for this format: lint's start-up is paid on every commit

    document = {
        "diagnostics": [_as_json(item) for item in result.diagnostics],
        "summary": {level.value: result.count(level) for level in Severity},
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(result: LintResult) -> str:
    out: list[str] = []
    for item in result.diagnostics:
        location = item.location
        properties = [f"file={_escape_property(location.path)}", f"line={location.line}"]
        if location.column is not None:
            properties.append(f"col={location.column}")
        properties.append(f"title={_escape_property(item.rule)}")
        message = item.message + (f" (hint: {item.hint})" if item.hint else "")
        out.append(
            f"::{_GITHUB_LEVEL[item.severity]} {','.join(properties)}::{_escape_data(message)}"
        )
    return "\n".join(out) + ("\n" if out else "")


#: Output formats by name (the ``--format`` choices).
FORMATS: Mapping[str, Callable[[LintResult], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
}


def summary(result: LintResult, files: int) -> str:
    """``2 errors, 1 warning, 0 infos in 1 file``."""


    def plural(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    return (
        f"{plural(result.count(Severity.ERROR), 'error')}, "
        f"{plural(result.count(Severity.WARNING), 'warning')}, "
        f"{plural(result.count(Severity.INFO), 'info')} in {plural(files, 'file')}"
    )
