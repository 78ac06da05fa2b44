"""The cache: successes only, expiry, corruption, atomic writes, Ctrl-C keeps results."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from linkserver import LinkServer, fast_settings, redirect, respond, slow

from exilebib.links.cache import LinkCache
from exilebib.links.check import LinkChecker
from exilebib.links.model import Citation, Link, Verdict
from exilebib.model import Location


def link(url: str) -> Link:
    return Link(url, (Citation("k", "url", Location("refs.bib", 1)),))


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_successes_are_cached_failures_are_not(server: LinkServer, tmp_path: Path) -> None:
    ok = server.route("/ok", respond(200))
    gone = server.route("/gone", respond(404))
    path = tmp_path / "cache" / "links.json"
    cache = LinkCache.load(path, 3600)
    LinkChecker(fast_settings(), cache=cache).check([link(ok), link(gone)])
    cache.save()
    saved = json.loads(path.read_text())
    assert list(saved["entries"]) == [ok]

    again = LinkCache.load(path, 3600)
    results = LinkChecker(fast_settings(), cache=again).check([link(ok), link(gone)])
    assert [r.verdict for r in results] == [Verdict.CACHED, Verdict.BROKEN]
    assert results[0].http_status == 200
    assert "ok when checked" in results[0].detail
    assert len(server.hits("/ok")) == 1  # the cached URL was not asked again
    assert len(server.hits("/gone")) == 2


def test_entries_expire(server: LinkServer, tmp_path: Path) -> None:
    ok = server.route("/ok", respond(200))
    path = tmp_path / "links.json"
    clock = Clock()
    cache = LinkCache.load(path, 60, clock=clock)
    LinkChecker(fast_settings(), cache=cache).check([link(ok)])
    cache.save()
    clock.now += 30
    fresh = LinkCache.load(path, 60, clock=clock)
    assert fresh.get(ok, "private") is not None  # learnt under --allow-private
    assert fresh.get(ok) is None  # not for a run with the public policy
    clock.now += 31
    assert fresh.get(ok, "private") is None
    stale = LinkCache.load(path, 60, clock=clock)
    assert len(stale) == 0
    result = LinkChecker(fast_settings(), cache=stale).check([link(ok)])[0]
    assert result.verdict is Verdict.OK
    assert len(server.hits("/ok")) == 2


def test_a_url_that_fails_now_leaves_the_cache(server: LinkServer, tmp_path: Path) -> None:
    path = tmp_path / "links.json"
    url = server.route("/flip", respond(200))
    cache = LinkCache.load(path, 3600)
    LinkChecker(fast_settings(), cache=cache).check([link(url)])
    cache.save()
    cache = LinkCache.load(path, 0)  # max age 0: everything is checked again
    server.route("/flip", respond(404))
    LinkChecker(fast_settings(), cache=cache).check([link(url)])
    cache.save()
    assert json.loads(path.read_text())["entries"] == {}


def test_corrupt_cache_is_a_warning(tmp_path: Path, server: LinkServer) -> None:
    path = tmp_path / "links.json"
    for junk in ("{not json", '{"format": 99, "entries": {}}', "[]", "\xff"):
        path.write_text(junk, encoding="latin-1")
        cache = LinkCache.load(path, 3600)
        assert cache.warning is not None
        assert len(cache) == 0
    url = server.route("/ok", respond(200))
    LinkChecker(fast_settings(), cache=cache).check([link(url)])
    cache.save()
    assert list(json.loads(path.read_text())["entries"]) == [url]


def test_malformed_entries_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "links.json"
    entries = {
        "https://a.example/": {"verdict": "ok", "checked_at": time.time()},
        "https://b.example/": {"verdict": "broken", "checked_at": time.time()},
        "https://c.example/": {"verdict": "ok"},
        "https://d.example/": "ok",
    }
    path.write_text(json.dumps({"format": 1, "entries": entries}))
    cache = LinkCache.load(path, 3600)
    assert cache.warning is not None
    assert "dropped 3 malformed link cache entries" in cache.warning
    assert len(cache) == 1


def test_save_is_atomic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "links.json"
    path.write_text("old")
    cache = LinkCache.load(path, 3600)
    cache.save()
    assert json.loads(path.read_text()) == {"entries": {}, "format": 1}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["links.json"]


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_keeps_what_was_learnt(server: LinkServer, tmp_path: Path) -> None:
    fast = server.route("/fast", respond(200))
    server.route("/hang", slow(30.0))
    bib = tmp_path / "refs.bib"
    bib.write_text(
        f"@online{{a, url = {{{fast}}}}}\n@online{{b, url = {{{server.url('/hang')}}}}}\n"
    )
    cache_file = tmp_path / "cache.json"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "exilebib",
            "links",
            str(bib),
            "--allow-private",
            "--timeout",
            "60",
            "--cache-file",
            str(cache_file),
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # A test run started in the background by a shell ignores SIGINT, and so would the
        # child (Python then installs no KeyboardInterrupt handler): give it the default.
        preexec_fn=_default_sigint,
    )
    # Generous: on a loaded machine the child's start alone can take many seconds, and a
    # SIGINT sent before it checks anything would test something else.
    deadline = time.monotonic() + 120
    while not server.hits("/hang") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.hits("/hang"), "the child never asked for /hang"
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    try:
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
        process.communicate()
    assert process.returncode == 130, stderr
    assert b"interrupted" in stderr
    assert list(json.loads(cache_file.read_text())["entries"]) == [fast]


def test_a_redirect_from_the_cache_keeps_its_verdict_and_still_expires(
    server: LinkServer, tmp_path: Path
) -> None:
    old = server.route("/old", redirect(301, "/new"))
    new = server.route("/new", respond(200))
    path = tmp_path / "links.json"
    clock = Clock()
    cache = LinkCache.load(path, 60, clock=clock)
    (fresh,) = LinkChecker(fast_settings(), cache=cache).check([link(old)])
    cache.save()
    assert (fresh.verdict, fresh.new_url, fresh.cached) == (Verdict.REDIRECTED, new, False)

    clock.now += 40
    cache = LinkCache.load(path, 60, clock=clock)
    (again,) = LinkChecker(fast_settings(), cache=cache).check([link(old)])
    assert (again.verdict, again.new_url, again.final_url) == (Verdict.REDIRECTED, new, new)
    assert again.redirects == fresh.redirects
    assert again.http_status == 200
    assert again.cached
    assert again.detail == f"{fresh.detail}; from the cache, checked 40 s ago"
    assert not cache.changed  # reading it from the cache does not make it younger
    cache.save()
    assert len(server.hits("/old")) == 1

    clock.now += 30  # 70 s after it was learnt: expired, asked again
    cache = LinkCache.load(path, 60, clock=clock)
    (checked,) = LinkChecker(fast_settings(), cache=cache).check([link(old)])
    assert not checked.cached
    assert len(server.hits("/old")) == 2


def test_a_redirect_cached_by_an_older_version_still_names_the_new_url(tmp_path: Path) -> None:
    path = tmp_path / "links.json"
    entry = {
        "verdict": "redirected",
        "checked_at": time.time(),
        "http_status": 200,
        "final_url": "http://127.0.0.1:9/new",
        "new_url": "http://127.0.0.1:9/new",
    }
    path.write_text(json.dumps({"format": 1, "entries": {"http://127.0.0.1:9/old": entry}}))
    cache = LinkCache.load(path, 3600)
    (result,) = LinkChecker(fast_settings(), cache=cache).check([link("http://127.0.0.1:9/old")])
    assert result.verdict is Verdict.REDIRECTED
    assert result.new_url == "http://127.0.0.1:9/new"
    assert "(cite http://127.0.0.1:9/new)" in result.detail
    assert "from the cache" in result.detail


def test_a_result_learnt_with_allow_private_is_not_reused_without_it(
    server: LinkServer, tmp_path: Path
) -> None:
    ok = server.route("/ok", respond(200))
    path = tmp_path / "links.json"
    cache = LinkCache.load(path, 3600)
    LinkChecker(fast_settings(), cache=cache).check([link(ok)])
    cache.save()
    public = LinkChecker(fast_settings(allow_private=False), cache=LinkCache.load(path, 3600))
    result = public.check([link(ok)])[0]
    assert result.verdict is Verdict.EXCLUDED  # a cited loopback URL, as without a cache
    assert "non-public address" in result.detail
    again = LinkChecker(fast_settings(), cache=LinkCache.load(path, 3600)).check([link(ok)])[0]
    assert again.verdict is Verdict.CACHED
    assert len(server.hits("/ok")) == 1


# -- a corrupt cache is a warning, never a crash or junk in a report (issue 13) ------------


def _cache_file(path: Path, text: str) -> Path:
    path.write_text('{"format": 1, "entries": {"http://127.0.0.1:9/x": ' + text + "}}")
    return path


GOOD = '"verdict": "ok", "http_status": 200, "final_url": "http://127.0.0.1:9/x"'


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ('{"verdict": "ok", "checked_at": 1' + "0" * 400 + "}", "checked_at is out of range"),
        ('{"verdict": "ok", "checked_at": Infinity}', "not a time in the past"),
        ('{"verdict": "ok", "checked_at": NaN}', "not a time in the past"),
        ('{"verdict": "ok", "checked_at": -Infinity}', "not a time in the past"),
        ('{"verdict": "ok", "checked_at": 99999999999}', "not a time in the past"),
        ('{"verdict": "ok", "checked_at": true}', "checked_at is not a number"),
        ('{"verdict": "ok", "checked_at": "1000000"}', "checked_at is not a number"),
        ('{"verdict": ["ok"], "checked_at": 1000000}', "verdict"),
        ('{"verdict": "broken", "checked_at": 1000000}', "verdict"),
        ('{"verdict": "ok", "checked_at": 1000000, "http_status": "200"}', "http_status"),
        ('{"verdict": "ok", "checked_at": 1000000, "http_status": 99999}', "http_status"),
        ('{"verdict": "ok", "checked_at": 1000000, "http_status": true}', "http_status"),
        ('{"verdict": "ok", "checked_at": 1000000, "final_url": 5}', "final_url is not text"),
        ('{"verdict": "ok", "checked_at": 1000000, "new_url": {"a": 1}}', "new_url"),
        ('{"verdict": "ok", "checked_at": 1000000, "detail": [1]}', "detail is not text"),
        ('{"verdict": "ok", "checked_at": 1000000, "policy": 0}', "policy is not text"),
        ('{"verdict": "ok", "checked_at": 1000000, "redirects": [1]}', "redirects"),
        ('{"verdict": "ok", "checked_at": 1000000, "redirects": "x"}', "redirects"),
        ('{"verdict": "ok", "checked_at": 1000000, "redirects": [{"status": 200}]}', "redirects"),
        ("[[[[1]]]]", "not an object"),
    ],
)
def test_a_cache_entry_with_an_odd_field_is_dropped_with_a_warning(
    tmp_path: Path, entry: str, why: str, server: LinkServer
) -> None:
    clock = Clock()
    path = _cache_file(tmp_path / "links.json", entry)
    cache = LinkCache.load(path, 3600, clock=clock)
    assert cache.warning is not None
    assert "dropped 1 malformed link cache entry" in cache.warning
    assert why in cache.warning
    assert len(cache) == 0
    assert cache.get("http://127.0.0.1:9/x") is None
    # and the run goes on: the URL is checked again, the new cache file is clean
    url = server.route("/ok", respond(200))
    LinkChecker(fast_settings(), cache=cache).check([link(url)])
    cache.save()
    assert list(json.loads(path.read_text())["entries"]) == [url]


def test_a_deeply_nested_cache_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "links.json"
    path.write_text('{"format": 1, "entries": ' + "[" * 100_000 + "]" * 100_000 + "}")
    cache = LinkCache.load(path, 3600)
    assert cache.warning is not None
    assert "corrupt (nested too deeply)" in cache.warning
    assert len(cache) == 0


def test_a_valid_cache_entry_of_every_field_is_kept(tmp_path: Path) -> None:
    clock = Clock()
    path = _cache_file(
        tmp_path / "links.json",
        "{"
        + GOOD
        + ', "checked_at": 999000, "new_url": null, "detail": "200 OK", "policy": "public",'
        + ' "redirects": [{"status": 301, "url": "http://127.0.0.1:9/y"}]}',
    )
    cache = LinkCache.load(path, 3600, clock=clock)
    assert cache.warning is None
    entry = cache.get("http://127.0.0.1:9/x")
    assert entry is not None
    assert (entry.http_status, entry.detail, entry.redirects[0].status) == (200, "200 OK", 301)


def test_the_cli_warns_about_a_corrupt_cache_and_checks_on(
    tmp_path: Path, server: LinkServer
) -> None:
    url = server.route("/ok", respond(200))
    bib = tmp_path / "refs.bib"
    bib.write_text(f"@online{{a, url = {{{url}}}}}\n")
    cache = tmp_path / "links.json"
    cache.write_text(
        '{"format": 1, "entries": {"'
        + url
        + '": {"verdict": "ok", "checked_at": 1'
        + "0" * 400
        + "}}}"
    )
    done = subprocess.run(
        [
            *(sys.executable, "-m", "exilebib", "links", str(bib), "--allow-private"),
            *("--cache-file", str(cache), "--timeout", "2"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "internal error" not in done.stderr + done.stdout
    assert "dropped 1 malformed link cache entry" in done.stderr
    assert "1 ok" in done.stdout


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and the infinities included (json writes them as NaN, Infinity)
    | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
entry_fields = st.fixed_dictionaries(
    {},
    optional={
        "verdict": st.sampled_from(["ok", "redirected", "broken"]) | json_values,
        "checked_at": st.floats() | st.integers() | json_values,
        "http_status": st.integers(0, 1000) | json_values,
        "final_url": st.text(max_size=10) | json_values,
        "new_url": json_values,
        "detail": json_values,
        "policy": st.sampled_from(["public", "private"]) | json_values,
        "redirects": st.lists(
            st.fixed_dictionaries({"status": st.integers(200, 400), "url": st.text(max_size=5)})
        )
        | json_values,
    },
)


@settings(max_examples=100, deadline=None)
@given(entries=st.dictionaries(st.text(max_size=8), entry_fields | json_values, max_size=4))
@example(entries={"u": {"verdict": "ok", "checked_at": math.inf}})
@example(entries={"u": {"verdict": "ok", "checked_at": 10**400}})
@example(entries={"u": {"verdict": "ok", "checked_at": 1e300}})
@example(entries={"u": {"verdict": "redirected", "checked_at": 999_999, "redirects": [1]}})
@example(entries={"u": {"verdict": "ok", "checked_at": 999_999, "http_status": "200"}})
def test_any_cache_file_loads_and_every_kept_entry_is_well_typed(
    entries: dict[str, object],
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "links.json"
        path.write_text(json.dumps({"format": 1, "entries": entries}))
        clock = Clock()
        cache = LinkCache.load(path, 3600, clock=clock)
        for url in entries:
            entry = cache.get(url, "private")
            if entry is None:
                continue
            assert entry.verdict in (Verdict.OK, Verdict.REDIRECTED)
            assert math.isfinite(entry.checked_at)
            assert clock.now - 3600 <= entry.checked_at <= clock.now + 3600
            assert entry.http_status is None or type(entry.http_status) is int
            for text in (entry.final_url, entry.new_url, entry.detail):
                assert text is None or isinstance(text, str)
            for hop in entry.redirects:
                assert type(hop.status) is int
                assert isinstance(hop.url, str)
            assert entry.age_text()
        cache.save()  # and what is kept can be written back
