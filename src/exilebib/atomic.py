"""Atomic file writes: the file holds either its old content or the new, never a mix.

The new content goes to a temporary file in the same folder (so the final rename stays on
one file system), is flushed and fsynced, takes the old file's permissions, and replaces
the old file with :func:`os.replace`, which is atomic on POSIX and Windows. If anything
fails or the process dies before the rename, the old file is untouched; a failure inside
this process also removes the temporary file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_atomic(path: Path, data: str | bytes | Iterable[bytes], encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``data`` (text, bytes, or an iterable of byte chunks) atomically.

    Raises :class:`OSError` when the folder is not writable or the disk is full; the old
    file is then unchanged.
    """
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            if isinstance(data, str):
                stream.write(data.encode(encoding))
            elif isinstance(data, bytes):
                stream.write(data)
            else:
                for chunk in data:
                    stream.write(chunk)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


def _mode_for(path: Path) -> int:
    """The old file's permissions, or what a new file would get (mkstemp's are 0600)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX only; elsewhere a folder cannot be opened)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
