"""An interrupted write leaves the old file: in-process failures and killed processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from exilebib.atomic import write_atomic

OLD = b"@misc{old,\n  title = {Old},\n}\n"


def test_a_write_that_fails_midway_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    target.write_bytes(OLD)

    def chunks() -> Iterator[bytes]:
        yield b"@misc{new,\n"
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, chunks())
    assert target.read_bytes() == OLD
    assert [path.name for path in tmp_path.iterdir()] == ["refs.bib"]


def test_a_write_keeps_permissions_and_replaces_the_content(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    target.write_bytes(OLD)
    target.chmod(0o604)
    write_atomic(target, "@misc{new}\n")
    assert target.read_bytes() == b"@misc{new}\n"
    assert target.stat().st_mode & 0o777 == 0o604


_KILLED_WRITER = """
import sys, time
from pathlib import Path
from exilebib.atomic import write_atomic

def chunks():
    yield b"@misc{new,\\n"
    print("half written", flush=True)
    time.sleep(60)
    yield b"}\\n"

write_atomic(Path(sys.argv[1]), chunks())
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_a_process_killed_mid_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    target.write_bytes(OLD)
    writer = subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(target)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None
    assert writer.stdout.readline() == "half written\n"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    writer.stdout.close()
    assert target.read_bytes() == OLD
    # The half-written temporary is left beside it (nothing could clean up after SIGKILL),
    # under a hidden name that no tool mistakes for the file.
    leftovers = [path.name for path in tmp_path.iterdir() if path.name != "refs.bib"]
    assert len(leftovers) == 1
    assert leftovers[0].startswith(".refs.bib.")
    assert leftovers[0].endswith(".tmp")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_fmt_in_place_killed_at_any_moment_leaves_old_or_new(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    entries = "".join(
        f'@Misc{{k{i}, Title = "Title {i}", url={{https://x.org/{i}%20a}}}}\n' for i in range(3000)
    )
    target.write_text(entries, encoding="utf-8")
    for delay in (0.2, 0.6, 1.0):
        before = target.read_bytes()
        process = subprocess.Popen(
            [sys.executable, "-m", "exilebib", "fmt", "-i", str(target)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.kill()
        process.wait()
        after = target.read_bytes()
        assert after == before or after.startswith(b"@misc{k0,\n  title = {Title 0},\n")
        if after != before:
            assert after.endswith(b"@misc{k2999,\n  title = {Title 2999},\n  url   = "
                                  b"{https://x.org/2999%20a},\n}\n")  # fmt: skip
