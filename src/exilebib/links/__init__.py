"""Link checking: collect the URLs a bibliography cites, check them, cache, report.

The package returns data and never prints: :func:`collect_links` gives :class:`Link`
records, :func:`check_links` gives :class:`LinkResult` records with a :class:`Verdict`,
and :mod:`exilebib.links.report` turns those into text, JSON, JUnit, GitHub annotations
or Markdown for the CLI to print.
"""

from exilebib.links.cache import LinkCache
from exilebib.links.check import LinkChecker, check_links
from exilebib.links.collect import collect_links
from exilebib.links.model import Citation, Hop, Link, LinkResult, Verdict
from exilebib.links.settings import LinkSettings, settings_from_mapping

__all__ = [
    "Citation",
    "Hop",
    "Link",
    "LinkCache",
    "LinkChecker",
    "LinkResult",
    "LinkSettings",
    "Verdict",
    "check_links",
    "collect_links",
    "settings_from_mapping",
]
