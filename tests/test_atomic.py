"""Output writes: an interrupted write leaves the old file; links, FIFOs and devices survive."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
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


# ------------------------------------------------------------------ what the path is
#
# An output path need not be a regular file: `-o` may name a symlink into another folder, a
# FIFO another process reads, or /dev/null. Renaming a temporary over any of those would
# destroy it (a root CI container would lose /dev/null), so only regular files are replaced.


def test_a_symlink_is_kept_and_its_target_rewritten(tmp_path: Path) -> None:
    real = tmp_path / "real" / "refs.bib"
    real.parent.mkdir()
    real.write_bytes(OLD)
    link = tmp_path / "refs.bib"
    link.symlink_to(Path("real") / "refs.bib")
    write_atomic(link, "@misc{new}\n")
    assert link.is_symlink()
    assert os.readlink(link) == str(Path("real") / "refs.bib")
    assert real.read_bytes() == b"@misc{new}\n"
    assert sorted(path.name for path in real.parent.iterdir()) == ["refs.bib"]


def test_a_chain_of_symlinks_and_a_dangling_one(tmp_path: Path) -> None:
    real = tmp_path / "real.bib"
    real.write_bytes(OLD)
    (tmp_path / "middle.bib").symlink_to("real.bib")
    (tmp_path / "outer.bib").symlink_to("middle.bib")
    write_atomic(tmp_path / "outer.bib", b"new\n")
    assert real.read_bytes() == b"new\n"
    assert (tmp_path / "outer.bib").is_symlink()
    assert (tmp_path / "middle.bib").is_symlink()
    # A link to a file that does not exist yet: the file is created where the link points.
    (tmp_path / "dangling.bib").symlink_to("created.bib")
    write_atomic(tmp_path / "dangling.bib", b"made\n")
    assert (tmp_path / "dangling.bib").is_symlink()
    assert (tmp_path / "created.bib").read_bytes() == b"made\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_a_fifo_is_written_into_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as stream:
            received.append(stream.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        write_atomic(fifo, "@misc{new}\n")
    finally:
        reader.join(timeout=10)
        if reader.is_alive():  # the FIFO was replaced: release the reader that waits on it
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            reader.join(timeout=10)
    assert received == [b"@misc{new}\n"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert [path.name for path in tmp_path.iterdir()] == ["out.fifo"]


def _null_device_clone(folder: Path) -> Path:
    """A character device with /dev/null's numbers, made in ``folder`` (root only)."""
    null = os.stat("/dev/null")
    clone = folder / "null"
    os.mknod(clone, stat.S_IFCHR | 0o666, null.st_rdev)
    return clone


_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.mark.skipif(not _ROOT, reason="making a device node needs root")
def test_a_character_device_is_written_into_not_replaced(tmp_path: Path) -> None:
    clone = _null_device_clone(tmp_path)
    write_atomic(clone, "x")
    assert stat.S_ISCHR(clone.lstat().st_mode)
    assert [path.name for path in tmp_path.iterdir()] == ["null"]


@pytest.mark.skipif(
    not (Path("/dev/null").exists() and os.access("/dev/null", os.W_OK) and _ROOT),
    reason="/dev/null is only at risk when root can replace it",
)
def test_dev_null_stays_a_character_device(tmp_path: Path) -> None:
    # Try a private copy of /dev/null first, so a regression fails here without breaking
    # the machine's real /dev/null.
    clone = _null_device_clone(tmp_path)
    write_atomic(clone, "x")
    assert stat.S_ISCHR(clone.lstat().st_mode), "would have replaced /dev/null"
    write_atomic(Path("/dev/null"), "x")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_a_directory_is_an_error_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(IsADirectoryError):
        write_atomic(folder, "x")
    assert folder.is_dir()
    assert not any(folder.iterdir())
    assert [path.name for path in tmp_path.iterdir()] == ["out"]


def test_render_output_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from exilebib.cli import main

    bib = tmp_path / "refs.bib"
    bib.write_text("@book{a,\n  author = {Doe, Jane},\n  title = {T},\n  year = {2000},\n}\n")
    real = tmp_path / "bibliography.md"
    real.write_text("old\n")
    link = tmp_path / "out.md"
    link.symlink_to("bibliography.md")
    result = CliRunner().invoke(main, ["render", str(bib), "-o", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert "Doe" in real.read_text()
