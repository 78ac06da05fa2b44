"""Where ``add`` asks, and how it names new entries: ``[tool.exilebib.add]``.

Each endpoint is a setting so tests and mirrors can point elsewhere; an environment
variable overrides the config file (a CI job can redirect one run without editing it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from exilebib.errors import UsageError

DEFAULT_DOI_RESOLVER = "https://doi.org"
DEFAULT_OPENLIBRARY = "https://openlibrary.org"
DEFAULT_COMMONS_API = "https://commons.wikimedia.org/w/api.php"
#: author + year + first significant title word, e.g. ``deutscher1954prophet``.
DEFAULT_KEY_PATTERN = "{author}{year}{title}"
#: Bytes of one answer read at most: a CSL-JSON record with its reference list is far
#: smaller; a web page's metadata sits in its head, well before this.
DEFAULT_MAX_DOCUMENT = 4 * 1024 * 1024

#: Config key → (field, environment variable overriding it).
ENDPOINTS: Mapping[str, tuple[str, str]] = {
    "doi-resolver": ("doi_resolver", "EXILEBIB_DOI_RESOLVER"),
    "openlibrary": ("openlibrary", "EXILEBIB_OPENLIBRARY"),
    "commons-api": ("commons_api", "EXILEBIB_COMMONS_API"),
}
#: The placeholders a key pattern may use.
KEY_PARTS: frozenset[str] = frozenset({"author", "year", "title"})
_KEYS = frozenset(ENDPOINTS) | {"key-pattern", "max-document"}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True, slots=True)
class CaptureSettings:
    doi_resolver: str = DEFAULT_DOI_RESOLVER
    openlibrary: str = DEFAULT_OPENLIBRARY
    commons_api: str = DEFAULT_COMMONS_API
    key_pattern: str = DEFAULT_KEY_PATTERN
    max_document: int = DEFAULT_MAX_DOCUMENT


def check_key_pattern(pattern: str, where: str) -> str:
    names = _PLACEHOLDER.findall(pattern)
    unknown = sorted(set(names) - KEY_PARTS)
    if unknown or not names:
        raise UsageError(
            f"{where}: key-pattern {pattern!r} must use one or more of "
            "{author}, {year}, {title} (and nothing else in braces)"
        )
    literal = _PLACEHOLDER.sub("", pattern)
    if re.search(r"[^A-Za-z0-9_:.-]", literal):
        raise UsageError(
            f"{where}: key-pattern {pattern!r} may add only letters, digits and - _ : ."
        )
    return pattern


def capture_settings(
    table: Mapping[str, object], where: str, environ: Mapping[str, str] | None = None
) -> CaptureSettings:
    """Settings from a ``[tool.exilebib.add]`` table, then the environment; ``where`` names
    the table in messages (``pyproject.toml: [tool.exilebib.add]``)."""
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise UsageError(
            f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(_KEYS))})"
        )
    values: dict[str, object] = {}
    env = os.environ if environ is None else environ
    for key, (name, variable) in ENDPOINTS.items():
        value = env.get(variable) or table.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not re.match(r"https?://[^/\s]+", value):
            shown = f"${variable}" if env.get(variable) else f"{where} {key}"
            raise UsageError(f"{shown} must be an http(s) URL, not {value!r}")
        values[name] = value.rstrip("/") if name != "commons_api" else value
    pattern = table.get("key-pattern")
    if pattern is not None:
        if not isinstance(pattern, str):
            raise UsageError(f"{where} key-pattern must be a string")
        values["key_pattern"] = check_key_pattern(pattern, where)
    limit = table.get("max-document")
    if limit is not None:
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1024:
            raise UsageError(f"{where} max-document must be a number of bytes (at least 1024)")
        values["max_document"] = limit
    return CaptureSettings(**values)  # type: ignore[arg-type]
