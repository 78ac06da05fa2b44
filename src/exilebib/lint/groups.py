"""Groups: every entry names one of the configured groups in ``keywords``.

The bibliography is printed in titled sections (Images, Primary, Secondary by default), one
per group; an entry in no group would be printed in none.
"""

from __future__ import annotations

from collections.abc import Iterator

from exilebib.errors import Severity
from exilebib.lint.context import LintContext
from exilebib.lint.rules import Finding, check, rule

MISSING_GROUP = rule(
    "missing-group",
    Severity.WARNING,
    "groups",
    "an entry whose keywords name none of the groups (images, primary, secondary by default)",
)


def keywords_of(value: str) -> list[str]:
    """The words of a ``keywords`` field (comma- or semicolon-separated), lower-cased."""
    return [word.strip().lower() for word in value.replace(";", ",").split(",") if word.strip()]


@check
def groups(context: LintContext) -> Iterator[Finding]:
    """Entries with no group keyword."""
    wanted = {group.lower() for group in context.settings.groups}
    if not wanted:
        return
    listed = ", ".join(context.settings.groups)
    for entry in context.entries:
        words = keywords_of(entry.get("keywords") or "")
        if wanted.intersection(words):
            continue
        item = entry.by_name.get("keywords")
        has = f"keywords {{{', '.join(words)}}}" if words else "no keywords"
        yield Finding(
            MISSING_GROUP,
            f"{entry.label} is in no group: it has {has}, none of {listed}",
            f"add keywords = {{{context.settings.groups[0]}}} (or another of {listed})",
            key=entry.key or None,
            offset=item.value_start if item else entry.raw.type_start - 1,
            entry=entry,
        )
