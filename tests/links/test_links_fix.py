"""``links --fix``: permanent redirects and archived snapshots written back, nothing else."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from linkserver import LinkServer, redirect, respond

from exilebib.cli import main
from exilebib.links.fix import FixKind, fix_text
from exilebib.links.model import Citation, Hop, Link, LinkResult, Verdict
from exilebib.model import Location

TODAY = dt.date.today().isoformat()


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, ["links", *args, "--allow-private"], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _bib(server: LinkServer) -> str:
    return (
        "% kept as it is\n"
        "@online{moved,\n"
        "  title   = {Moved},\n"
        f"  url     = {{{server.url('/old')}}},\n"
        "  urldate = {2020-01-01},\n"
        "}\n"
        "\n"
        "@online{gone,\n"
        "  title = {Gone},\n"
        f'  url = "{server.url("/gone")}"\n'
        "}\n"
        "@online{fine, title = {Fine}, url = {" + server.url("/ok") + "}}\n"
    )


def _serve(server: LinkServer) -> None:
    server.route("/old", redirect(301, "/middle"))
    server.route("/middle", redirect(308, "/new"))
    server.route("/new", respond(200))
    server.route("/ok", respond(200))
    server.route("/gone", respond(404))
    snapshot = {
        "archived_snapshots": {
            "closest": {
                "available": True,
                "status": "200",
                "url": "http://web.archive.org/web/20200101000000/gone",
                "timestamp": "20200101000000",
            }
        }
    }
    server.route(
        "/wayback",
        respond(200, {"Content-Type": "application/json"}, json.dumps(snapshot).encode()),
    )


def test_fix_rewrites_permanent_redirects_only(runner, in_tmp, server) -> None:
    _serve(server)
    path = in_tmp / "sources.bib"
    original = _bib(server)
    path.write_text(original, encoding="utf-8")
    code, _out, err = run(runner, str(path), "--fix")
    assert code == 1  # /gone is still broken
    fixed = path.read_text(encoding="utf-8")
    assert fixed == original.replace(server.url("/old"), server.url("/new")).replace(
        "2020-01-01", TODAY
    )
    assert f"fixed moved: {server.url('/old')} moved to {server.url('/new')}" in err


def test_fix_with_archive_keeps_the_original_in_a_comment(runner, in_tmp, server) -> None:
    _serve(server)
    path = in_tmp / "sources.bib"
    path.write_text(_bib(server), encoding="utf-8")
    _code, _out, _err = run(
        runner, str(path), "--fix", "--suggest-archive", "--archive-url", server.url("/wayback")
    )
    fixed = path.read_text(encoding="utf-8")
    assert (
        f"% exilebib links --fix {TODAY}: url {server.url('/gone')} was broken (404 Not Found); "
        "it now cites the archived snapshot\n@online{gone,\n  title = {Gone},\n"
        '  url = "http://web.archive.org/web/20200101000000/gone",\n'
        f"  urldate = {{{TODAY}}}\n}}\n"
    ) in fixed


def test_dry_run_prints_a_diff_and_writes_nothing(runner, in_tmp, server) -> None:
    _serve(server)
    path = in_tmp / "sources.bib"
    path.write_text(_bib(server), encoding="utf-8")
    before = path.read_bytes()
    _code, out, err = run(runner, str(path), "--fix", "--dry-run", "-o", "report.txt")
    assert path.read_bytes() == before
    assert out.startswith(f"--- {path}\n+++ {path} (fixed)\n")
    assert f"-  url     = {{{server.url('/old')}}},\n" in out
    assert f"+  url     = {{{server.url('/new')}}},\n+  urldate = {{{TODAY}}},\n" in out
    assert "would fix moved" in err


def test_dry_run_without_fix_is_usage(runner, in_tmp) -> None:
    code, _, err = run(runner, "x.bib", "--dry-run")
    assert code == 2
    assert "--dry-run goes with --fix" in err


# ---------------------------------------------------------------- property: what changes


def _result(url: str, new_url: str) -> LinkResult:
    link = Link(url, (Citation("k", "url", Location("x.bib", 1)),))
    return LinkResult(
        link, Verdict.REDIRECTED, "moved", redirects=(Hop(301, new_url),), new_url=new_url
    )


_URL = st.sampled_from(["https://a.example/1", "https://b.example/x?y=1", "http://c.example/%41"])
_FIELD = st.sampled_from(
    ["title = {T}", "author = {A, B}", "note = {n}", "urldate = {2001-02-03}", "year = 1999"]
)


@st.composite
def _entry(draw: st.DrawFn, index: int) -> str:
    fields = draw(st.lists(_FIELD, max_size=3, unique=True))
    if draw(st.booleans()):
        url = draw(_URL)
        quoted = draw(st.booleans())
        fields.insert(
            draw(st.integers(0, len(fields))), f'url = "{url}"' if quoted else f"url = {{{url}}}"
        )
    pad = draw(st.sampled_from(["  ", "\t", ""]))
    joiner = draw(st.sampled_from([",\n" + pad, ", "]))
    trailing = draw(st.sampled_from(["", ","]))
    body = joiner.join(fields)
    return f"@misc{{k{index},\n{pad}{body}{trailing}\n}}" if body else f"@misc{{k{index},}}"


@st.composite
def _file(draw: st.DrawFn) -> str:
    count = draw(st.integers(0, 5))
    gaps = st.sampled_from(["\n", "\n\n", "\n% note\n", "\n  \n"])
    text = "".join(draw(_entry(i)) + draw(gaps) for i in range(count))
    return text.replace("\n", "\r\n") if draw(st.booleans()) else text


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(text=_file(), moved=st.sets(_URL))
def test_fix_changes_only_url_and_urldate_lines_of_the_named_entries(text, moved) -> None:
    results = [_result(url, url.replace("example", "example.net")) for url in moved]
    fixed = fix_text("x.bib", text, results, dt.date(2030, 1, 2))
    named = {fix.key for fix in fixed.fixes}
    assert all(fix.kind is FixKind.MOVED for fix in fixed.fixes)
    old_lines = text.splitlines()
    new_lines = fixed.text.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for line in old_lines[a1:a2] + new_lines[b1:b2]:
            # one-line entries carry their url on the @misc line itself
            assert re.search(r"\burl(date)? = ", line) or line.startswith("@misc{k"), line
    for line in new_lines:
        for url in moved:
            if url in line:  # every cited URL that moved is gone...
                assert re.search(r"\burl = ", line) is None, line
    # ...and each changed entry's urldate says today
    for key in named:
        block = fixed.text[fixed.text.index("@misc{" + key + ",") :]
        block = block[: block.index("}\n") if "}\n" in block else len(block)]
        assert "urldate = {2030-01-02}" in block or "urldate = {2030-01-02}" in fixed.text
    if not fixed.fixes:
        assert fixed.text == text
    # line breaks stay the file's own
    if "\r\n" in text:
        assert fixed.text.count("\n") == fixed.text.count("\r\n")


def test_fix_keeps_crlf_and_the_byte_order_mark(runner, in_tmp, server) -> None:
    _serve(server)
    path = in_tmp / "sources.bib"
    original = ("\ufeff" + _bib(server)).replace("\n", "\r\n").encode("utf-8")
    path.write_bytes(original)
    run(runner, str(path), "--fix")
    old = server.url("/old").encode()
    new = server.url("/new").encode()
    expected = original.replace(old, new).replace(b"2020-01-01", TODAY.encode())
    assert path.read_bytes() == expected


def test_broken_url_without_a_snapshot_is_left_alone(runner, in_tmp, server) -> None:
    _serve(server)
    server.route(
        "/wayback",
        respond(200, {"Content-Type": "application/json"}, b'{"archived_snapshots": {}}'),
    )
    path = in_tmp / "sources.bib"
    path.write_text(_bib(server), encoding="utf-8")
    run(runner, str(path), "--fix", "--suggest-archive", "--archive-url", server.url("/wayback"))
    fixed = path.read_text(encoding="utf-8")
    assert f'url = "{server.url("/gone")}"' in fixed
    assert "% exilebib links --fix" not in fixed
