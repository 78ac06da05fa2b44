"""What the sources file already has (keys, DOIs, ISBNs, URLs) and the text that appends
new entries to it, leaving every byte before them as it was."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from exilebib.bibtex import read_bibtex, read_raw
from exilebib.capture.identifiers import isbn13, normalise_doi, normalise_url
from exilebib.errors import Diagnostic
from exilebib.fmt import REFUSING_RULES, Convention
from exilebib.links.collect import urls_in_text
from exilebib.structure import structural_diagnostics


@dataclass(frozen=True, slots=True)
class Existing:
    """The file's keys and identifiers, each identifier → the first key that has it."""

    keys: tuple[str, ...] = ()
    dois: dict[str, str] = field(default_factory=dict)
    isbns: dict[str, str] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)

    def with_entry(self, key: str, doi: str | None, isbn: str | None, url: str | None) -> Existing:
        dois, isbns, urls = dict(self.dois), dict(self.isbns), dict(self.urls)
        _remember(dois, normalise_doi(doi) if doi else None, key)
        _remember(isbns, isbn13(isbn) if isbn else None, key)
        _remember(urls, normalise_url(url) if url else None, key)
        return Existing((*self.keys, key), dois, isbns, urls)

    def find(self, doi: str | None, isbn: str | None, url: str | None) -> tuple[str, str] | None:
        """``(key, what)`` of an entry with one of these identifiers, if there is one."""
        checks = (
            ("DOI", self.dois, normalise_doi(doi) if doi else None),
            ("ISBN", self.isbns, isbn13(isbn) if isbn else None),
            ("URL", self.urls, normalise_url(url) if url else None),
        )
        for what, known, value in checks:
            if value and value in known:
                return known[value], what
        return None


def _remember(table: dict[str, str], value: str | None, key: str) -> None:
    if value:
        table.setdefault(value, key)


def existing(path: Path, text: str) -> Existing:
    """The identifiers of every entry of the BibTeX ``text`` (macros resolved)."""
    found = Existing()
    for source in read_bibtex(path, text).sources:
        isbns = (source.get("isbn") or "").replace(";", ",").split(",")
        url = source.get("url")
        found = found.with_entry(source.key, source.get("doi"), isbns[0] if isbns else None, url)
        if url and normalise_doi(url):  # a url that is a DOI's resolver link cites the DOI
            found = found.with_entry(source.key, url, None, None)
        for extra in isbns[1:]:
            found = found.with_entry(source.key, None, extra, None)
        for mentioned in urls_in_text(source.get("howpublished") or ""):
            found = found.with_entry(source.key, None, None, mentioned)
    # every key, also of blocks the reader set aside, so a new key never repeats one
    keys = [block.entry.key for block in read_raw(text).blocks if block.entry and block.entry.key]
    return Existing(tuple(dict.fromkeys([*found.keys, *keys])), found.dois, found.isbns, found.urls)


def refusals(shown: str, text: str) -> tuple[Diagnostic, ...]:
    """Why text appended to this file could be read as part of a broken block (an entry
    left open swallows what follows): the problems ``fmt`` also refuses to work on."""
    raw = read_raw(Convention.of(text).strip(text))
    return tuple(d for d in structural_diagnostics(shown, raw) if d.rule in REFUSING_RULES)


def addition(text: str, blocks: Iterable[str]) -> str:
    """What to append to ``text``: the blocks, one blank line apart and from what is
    there, in the file's line-break convention, ending with a line break."""
    convention = Convention.of(text)
    body = convention.strip(text)
    joined = "\n\n".join(blocks) + "\n"
    if not body.strip("\ufeff") or body.endswith("\n\n"):
        lead = ""
    elif body.endswith("\n"):
        lead = "\n"
    else:
        lead = "\n\n"
    return (lead + joined).replace("\n", convention.newline)
