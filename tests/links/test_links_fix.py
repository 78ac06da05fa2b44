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


# ----------------------------------------------- --dry-run: the diff alone, ready to apply


def _patched(path, diff: str) -> bytes:
    """The file after ``patch -p0`` applied ``diff`` to a copy of it."""
    import shutil
    import subprocess

    import pytest

    tool = shutil.which("patch")
    if tool is None:
        pytest.skip("needs patch(1) to apply the diff")
    copy = path.parent / "copy"
    copy.mkdir()
    (copy / path.name).write_bytes(path.read_bytes())
    done = subprocess.run(
        [tool, "-p0", "--quiet", "--binary"], input=diff.encode(), cwd=copy, capture_output=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return (copy / path.name).read_bytes()


def test_dry_run_diff_alone_on_stdout_report_on_stderr(runner, in_tmp, server) -> None:
    _serve(server)
    path = in_tmp / "sources.bib"
    path.write_text(_bib(server), encoding="utf-8")
    _code, out, err = run(runner, "sources.bib", "--fix", "--dry-run")
    assert out.startswith("--- sources.bib\n+++ sources.bib (fixed)\n@@ ")
    assert all(line[:1] in "-+@ \\" for line in out.splitlines()), out  # nothing but the diff
    assert "404 Not Found" in err  # the report went to stderr
    assert "would fix moved" in err
    patched = _patched(path, out)
    _code, _out, _err = run(runner, "sources.bib", "--fix")
    assert patched == path.read_bytes()  # the diff is exactly what --fix writes


def test_dry_run_diff_of_a_file_without_a_final_line_break_applies(runner, in_tmp, server) -> None:
    _serve(server)
    path = in_tmp / "sources.bib"
    text = "@online{moved, title = {Moved}, url = {" + server.url("/old") + "}}"
    path.write_text(text, encoding="utf-8")
    _code, out, _err = run(runner, "sources.bib", "--fix", "--dry-run")
    assert out.endswith("\n\\ No newline at end of file\n")
    patched = _patched(path, out)
    run(runner, "sources.bib", "--fix")
    assert patched == path.read_bytes()
    assert not patched.endswith(b"\n")


def test_dry_run_diff_of_a_crlf_file_applies(runner, in_tmp, server) -> None:
    _serve(server)
    path = in_tmp / "sources.bib"
    path.write_bytes(_bib(server).replace("\n", "\r\n").encode())
    result = runner.invoke(main, ["links", "sources.bib", "--fix", "--dry-run", "--allow-private"])
    out = result.stdout_bytes.decode()  # .stdout would turn CRLF into LF
    assert "-  url     = {" + server.url("/old") + "},\r\n" in out
    patched = _patched(path, out)
    run(runner, "sources.bib", "--fix")
    assert patched == path.read_bytes()


def test_archive_comment_of_a_url_with_an_at_sign_starts_no_entry() -> None:
    from exilebib.bibtex import read_raw

    url = "https://medium.com/@someone/post"
    text = "@online{m,\n  title = {M},\n  url = {" + url + "},\n}\n"
    link = Link(url, (Citation("m", "url", Location("x.bib", 1)),))
    result = LinkResult(
        link,
        Verdict.BROKEN,
        "404 Not\nFound @x",
        archive_url=f"http://web.archive.org/web/2020/{url}",
    )
    fixed = fix_text("x.bib", text, [result], dt.date(2030, 1, 2), archive=True)
    comment = fixed.text.splitlines()[0]
    assert comment == (
        "% exilebib links --fix 2030-01-02: url https://medium.com/%40someone/post was broken "
        "(404 Not Found %40x); it now cites the archived snapshot"
    )
    assert fixed.text.count("@") == 1 + 1  # the entry's own, and the one in its url
    assert [block.kind.value for block in read_raw(fixed.text).blocks] == ["entry"]


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(tail=st.text(max_size=30), quoted=st.booleans())
def test_any_url_a_server_sends_keeps_the_entry_whole(tail, quoted) -> None:
    """A redirect's Location and an archive's answer are the server's to choose: braces,
    a backslash, quotes, line breaks or an @ in them never end the entry or start one."""
    from pathlib import Path

    from exilebib.bibtex import read_bibtex, read_raw

    old = "https://old.example/"
    value = f'"{old}"' if quoted else f"{{{old}}}"
    text = f"@online{{m,\n  title = {{M}},\n  url = {value},\n  note = {{n}},\n}}\n"
    fixed = fix_text(
        "x.bib", text, [_result(old, "https://x.example/" + tail)], dt.date(2030, 1, 2)
    )
    assert [block.kind.value for block in read_raw(fixed.text).blocks] == ["entry"]
    library = read_bibtex(Path("x.bib"), fixed.text)
    assert not library.diagnostics
    (source,) = library.sources
    assert (source.get("title"), source.get("note"), source.get("urldate")) == (
        "M",
        "n",
        "2030-01-02",
    )
    lines = [line for line in fixed.text.splitlines() if not line.startswith("  urldate = ")]
    assert lines[3:] == text.splitlines()[3:]  # only the url line changed (and urldate added)
