"""exilebib's public Python API: what ``from exilebib import ...`` gives, and that it works."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

import exilebib
from exilebib import (
    Bibliography,
    CiteCluster,
    CiteRequest,
    Engine,
    Library,
    UsageError,
    Verdict,
    check_links,
    csl_items,
    read_sources,
)
from exilebib.links import LinkSettings

REPO = Path(__file__).resolve().parents[1]
ESSAY = REPO / "refs" / "sources.bib"


def test_every_exported_name_is_in_all_and_importable() -> None:
    for name in exilebib.__all__:
        assert getattr(exilebib, name) is not None, name
    assert set(dir(exilebib)) == set(exilebib.__all__)
    assert set(exilebib.__all__) == {"__version__", *exilebib._EXPORTS}


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        exilebib.NoSuchThing  # type: ignore[attr-defined]  # noqa: B018


def test_importing_exilebib_loads_no_engine_and_no_http_client() -> None:
    code = ("import sys, exilebib; "
            "print(sorted(m for m in ('citeproc', 'lxml', 'requests') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_read_sources_renders_through_a_preset() -> None:
    library = read_sources(ESSAY)
    assert isinstance(library, Library)
    items = csl_items(library)
    bib = Engine("chicago").bibliography(items)
    assert isinstance(bib, Bibliography)
    assert bib.failed == ()
    assert {entry.id for entry in bib.entries} | set(bib.empty) == {i["id"] for i in items}
    assert all(entry.text for entry in bib.entries)


def test_engine_takes_a_preset_a_style_id_or_a_path() -> None:
    items = csl_items(read_sources(ESSAY))[:3]
    by_preset = Engine("harvard").bibliography(items, "html")
    by_id = Engine("harvard-cite-them-right", "en-GB").bibliography(items, "html")
    by_path = Engine(Path(Engine("harvard").style_path), "en-GB").bibliography(items, "html")
    assert by_preset == by_id == by_path


def test_an_unknown_style_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown style"):
        Engine("no-such-style-anywhere")


def test_citations_in_a_note_style() -> None:
    items = csl_items(read_sources(ESSAY))
    first = str(items[0]["id"])
    notes = Engine("chicago").citations(
        items, [CiteCluster((CiteRequest(first, "12"),), 1),
                CiteCluster((CiteRequest(first, "13"),), 2)])
    assert len(notes) == 2
    assert "12" in notes[0]
    assert notes[1] != notes[0]


def test_one_engine_from_several_threads() -> None:
    """The contract the API documents (tests/engine/test_threads.py tests it harder)."""
    items = csl_items(read_sources(ESSAY))
    engine = Engine("chicago")
    expected = engine.bibliography(items)
    results: list[Bibliography] = []

    def work() -> None:
        results.append(engine.bibliography(items))

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 3


class _Ok(BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:  # http.server's naming
        self.send_response(200)
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_check_links_checks_the_urls_of_a_library(server: str, tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text("@misc{page,\n  title = {A page},\n  url = {" + server + "/page},\n}\n",
                   encoding="utf-8")
    settings = LinkSettings(allow_private=True)
    results = check_links(read_sources(bib), settings)
    assert [(r.link.url, r.verdict) for r in results] == [(f"{server}/page", Verdict.OK)]


def test_the_python_example_in_docs_engine_runs(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    import re

    text = (REPO / "docs" / "engine.md").read_text(encoding="utf-8")
    match = re.search(r"```python\n(.*?)```", text, re.S)
    assert match is not None
    monkeypatch.chdir(REPO)
    namespace: dict[str, object] = {}
    exec(match.group(1), namespace)  # the documented example, as written
    assert "Deutscher" in capsys.readouterr().out
    assert namespace["notes"] == [
        "Isaac Deutscher, The Prophet Outcast: Trotsky 1929–1940 (Oxford University Press, "
        "1963), 401."]
