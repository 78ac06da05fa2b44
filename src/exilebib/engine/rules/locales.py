"""Where a style looks up terms, dates and options: its locale list (CSL 1.0.2, "Locale
Fallback").

The spec's order for an output locale such as ``de-AT``: the style's own ``cs:locale``
for the dialect (``de-AT``), then for the language (``de``), then the one without
``xml:lang``; then the locale files for the dialect, for the language's primary dialect
(``de-DE``), and last ``en-US``.

citeproc-py follows the same order but parses the locale files with its own parser, so their
elements would be citeproc-py's classes and not the engine's (the rules would not apply to
a localized date or a term). Here each locale file is parsed with the parser that parsed
the style, so the whole locale list is built from the engine's classes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import cast

from citeproc import LANGUAGE_NAMES, LOCALES_PATH, PRIMARY_DIALECTS
from citeproc.model import Style
from lxml import etree

from exilebib.engine.rules.targets import replace
from exilebib.engine.types import LocaleElement, StyleElement


def _in_style(style: StyleElement, language: str | None) -> list[LocaleElement]:
    # the expressions select cs:locale elements only
    if language:
        return cast("list[LocaleElement]",
                    list(style.xpath_search(f'./cs:locale[@xml:lang="{language}"]')))
    return cast("list[LocaleElement]", list(style.xpath_search("./cs:locale[not(@xml:lang)]")))


def locale_file(language: str) -> Path:
    """The locale file citeproc-py ships for ``language`` (a dialect such as en-US)."""
    return Path(LOCALES_PATH) / f"locales-{language}.xml"


@replace(Style, "set_locale_list")
def set_locale_list(original: Callable[[StyleElement, str, bool], None], self: StyleElement,
                    output_locale: str, validate: bool = True) -> None:
    language = output_locale.split("-")[0]
    locales: list[LocaleElement] = []
    for wanted in (output_locale, language, None):
        locales += _in_style(self, wanted)
    files: list[str] = []
    if output_locale in LANGUAGE_NAMES:
        files.append(output_locale)
    if language in PRIMARY_DIALECTS:
        files.append(PRIMARY_DIALECTS[language])
    files.append("en-US")
    parser = self.getroottree().parser
    for name in dict.fromkeys(files):  # each file once, in order
        try:
            tree = etree.parse(str(locale_file(name)), parser)
        except OSError:
            raise ValueError(f"'{name}' is not a known locale") from None
        # the style's parser builds a locale file from the engine's classes (a cs:locale)
        locales.append(cast("LocaleElement", tree.getroot()))
    self.locales = locales
    for locale in locales:
        locale.style = self
