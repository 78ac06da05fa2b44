"""Groups: every entry names one of the configured groups in ``keywords``.

The bibliography is printed in titled sections (Images, Primary, Secondary by default), one
per group; an entry in no group lands in a final "Other" section.

The default groups are one essay's convention, not everyone's: unless the user configured
``groups``, a file is checked only when it follows the convention, that is when at least one
of its entries carries a group keyword (``render`` applies the same rule to its sections).
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


def _suggestion(context: LintContext) -> str:
    """The group to suggest: the one most entries of the file are in (they show what the
    file is about), else the first configured group."""
    counts = dict.fromkeys((group.lower() for group in context.settings.groups), 0)
    for entry in context.entries:
        for word in set(keywords_of(entry.get("keywords") or "")):
            if word in counts:
                counts[word] += 1
    best = max(counts, key=lambda group: counts[group])  # the first of equals
    return next(group for group in context.settings.groups if group.lower() == best)


@check
def groups(context: LintContext) -> Iterator[Finding]:
    """Entries with no group keyword."""
    wanted = {group.lower() for group in context.settings.groups}
    if not wanted:
        return
    if not context.settings.groups_set and not any(
        wanted.intersection(keywords_of(entry.get("keywords") or ""))
        for entry in context.entries
    ):
        return  # the file does not use the default groups: nothing to be missing
    listed = ", ".join(context.settings.groups)
    suggested = _suggestion(context)
    for entry in context.entries:
        words = keywords_of(entry.get("keywords") or "")
        if wanted.intersection(words):
            continue
        item = entry.by_name.get("keywords")
        has = f"keywords {{{', '.join(words)}}}" if words else "no keywords"
        hint = (
            f"add a group to its keywords, e.g. keywords = {{{', '.join([*words, suggested])}}}"
            if words
            else f"add keywords = {{{suggested}}}"
        )
        yield Finding(
            MISSING_GROUP,
            f"{entry.label} is in no group: it has {has}, none of {listed}",
            f"{hint} (one of: {listed})",
            key=entry.key or None,
            offset=item.value_start if item else entry.raw.type_start - 1,
            entry=entry,
        )
