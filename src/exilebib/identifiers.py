"""The one reading of identifier fields: DOI, ISBN, ISSN and URL.

``csl`` (what render prints), ``links.collect`` (what links checks) and ``lint`` (what it
accepts) read these fields through the functions here, so they agree about a file: a URL
written ``\\url{https://a.org/x\\_y}`` is ``https://a.org/x_y`` for all three (lint still
says how to write it plainly), and a DOI written as a doi.org URL or ``doi:...`` is the
bare DOI.
"""

from __future__ import annotations

import re
from urllib.parse import quote

#: where a DOI resolves
DOI_RESOLVER = "https://doi.org/"
#: what people write in front of a DOI (a resolver URL or ``doi:``)
DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi\.org/|doi:\s*)", re.IGNORECASE)
#: a DOI: directory indicator 10, a registrant code, a slash and a suffix
DOI_FORM = re.compile(r"10\.\d{4,9}/\S+")
#: the characters a BibTeX URL may escape for LaTeX (the reader keeps the backslash)
_LATEX_ESCAPE = re.compile(r"\\([%_&#$~])")
_URL_WRAPPER = re.compile(r"^\\url\{(.*)\}$", re.DOTALL)
#: ISBNs and ISSNs of one field are separated by commas, semicolons, spaces or "and"
LIST_SEPARATORS = re.compile(r"[\s,;]+(?:and\s+)?")


def unescape(text: str) -> str:
    """``text`` without LaTeX's escapes of URL characters (``\\_`` → ``_``)."""
    return _LATEX_ESCAPE.sub(r"\1", text.strip())


def url_of(value: str) -> str:
    """The URL a ``url`` field (or ``howpublished = {\\url{...}}``) means."""
    text = value.strip()
    match = _URL_WRAPPER.match(text)
    return unescape(match.group(1) if match else text)


def bare_doi(value: str) -> str:
    """The DOI a ``doi`` field means, without resolver prefix (``10.1000/xyz``)."""
    return DOI_PREFIX.sub("", unescape(value)).strip()


def doi_url(value: str) -> str:
    """The resolver URL of a DOI written bare, as ``doi:...`` or as a doi.org URL."""
    return DOI_RESOLVER + quote(bare_doi(value), safe="/:;()")


def isbn_problem(isbn: str) -> str | None:
    """Why ``isbn`` is not a valid ISBN-10 or ISBN-13, or ``None``."""
    digits = re.sub(r"[\s-]", "", isbn).upper()
    if len(digits) == 10 and re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return None if total % 11 == 0 else "its check digit is wrong"
    if len(digits) == 13 and digits.isdigit():
        total = sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(digits))
        return None if total % 10 == 0 else "its check digit is wrong"
    return "an ISBN has 10 or 13 digits"


def issn_problem(issn: str) -> str | None:
    """Why ``issn`` is not a valid ISSN (NNNN-NNNC), or ``None``."""
    digits = issn.strip().upper()
    if not re.fullmatch(r"\d{4}-?\d{3}[\dX]", digits):
        return "an ISSN is eight digits, written NNNN-NNNN"
    digits = digits.replace("-", "")
    total = sum((8 - i) * int(c) for i, c in enumerate(digits[:7]))
    check = (11 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    return None if digits[7] == expected else "its check digit is wrong"
