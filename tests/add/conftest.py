"""Fixtures for ``add``: one loopback server playing the DOI resolver, Crossref, Open
Library, the Commons API and web pages, serving recorded answers in each service's format
(files in fixtures/, written from the services' documentation). Nothing leaves 127.0.0.1."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "links"))

from addservices import CSL_JSON, DOI, JSON, fixture
from linkserver import LinkServer, redirect, respond


@pytest.fixture
def services() -> Iterator[LinkServer]:
    """The server with each service's usual answers; tests add or replace routes."""
    server = LinkServer("127.0.0.1")
    # doi.org answers content negotiation with a redirect to the registration agency
    server.route(f"/doi/{DOI}", redirect(302, f"/crossref/works/{DOI}/transform"))
    server.route(
        f"/crossref/works/{DOI}/transform", respond(200, CSL_JSON, fixture("crossref.json"))
    )
    server.route("/ol/api/books", respond(200, JSON, fixture("openlibrary.json")))
    server.route("/w/api.php", respond(200, JSON, fixture("commons.json")))
    yield server
    server.close()


@pytest.fixture
def env(services: LinkServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The endpoint variables pointing at :func:`services`, set for the test."""
    values = {
        "EXILEBIB_DOI_RESOLVER": services.url("/doi"),
        "EXILEBIB_OPENLIBRARY": services.url("/ol"),
        "EXILEBIB_COMMONS_API": services.url("/w/api.php"),
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


EXISTING = """% The essay's sources.

@book{deutscher-prophet-armed,
  author    = {Deutscher, Isaac},
  title     = {The Prophet Armed},
  publisher = {Oxford University Press},
  date      = {1954},
  keywords  = {secondary},
}
"""


@pytest.fixture
def bib(in_tmp: Path) -> Path:
    """refs/sources.bib in an empty project folder (with fast retry settings)."""
    (in_tmp / "refs").mkdir()
    path = in_tmp / "refs" / "sources.bib"
    path.write_text(EXISTING, encoding="utf-8")
    (in_tmp / "pyproject.toml").write_text(
        "[tool.exilebib.links]\ntimeout = 2\ndeadline = 6\nbackoff = 0.05\n", encoding="utf-8"
    )
    return path
