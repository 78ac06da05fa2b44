"""Safe output writes: a regular file holds either its old content or the new, never a mix.

What a path names decides how it is written:

- a regular file (or a path that does not exist yet): the new content goes to a temporary
  file in the same folder (so the final rename stays on one file system), is flushed and
  fsynced, takes the old file's permissions (and owner, where allowed), and replaces the
  old file with :func:`os.replace`, atomic on POSIX and Windows. If anything fails or the
  process dies before the rename, the old file is untouched; a failure inside this process
  also removes the temporary file.
- a symlink: the file it resolves to is replaced as above and the link is kept (renaming
  over the link would turn it into a copy and leave the real file stale). A dangling link
  creates the file it points to.
- anything else that exists (a FIFO, a character or block device such as ``/dev/null``, a
  socket): written into directly, without a rename. Replacing it would destroy it, and as
  root a rename over ``/dev/null`` succeeds.
- a folder: :class:`IsADirectoryError`, nothing written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

Data = str | bytes | Iterable[bytes]


def write_atomic(path: Path, data: Data, encoding: str = "utf-8") -> None:
    """Write ``data`` (text, bytes, or an iterable of byte chunks) to ``path`` safely.

    Raises :class:`OSError` when the folder is not writable, the disk is full or ``path``
    is a folder; a regular file is then unchanged.
    """
    try:
        status: os.stat_result | None = os.stat(path)  # follows symlinks
    except FileNotFoundError:
        status = None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if status is not None and not stat.S_ISREG(status.st_mode):
        # Opened through the name as given, so /dev/stdout and /dev/fd/N work too.
        _write_into(path, data, encoding)
        return
    target = Path(os.path.realpath(path)) if os.path.islink(path) else path
    _replace(target, data, encoding, status)


def _chunks(data: Data, encoding: str) -> Iterable[bytes]:
    if isinstance(data, str):
        return (data.encode(encoding),)
    if isinstance(data, bytes):
        return (data,)
    return data


def _write_into(path: Path, data: Data, encoding: str) -> None:
    """Write into an existing special file (no create, no truncate: it is not a file)."""
    descriptor = os.open(path, os.O_WRONLY)
    with os.fdopen(descriptor, "wb") as stream:
        for chunk in _chunks(data, encoding):
            stream.write(chunk)


def _replace(target: Path, data: Data, encoding: str, status: os.stat_result | None) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            for chunk in _chunks(data, encoding):
                stream.write(chunk)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(status))
        if status is not None and hasattr(os, "chown"):
            # Keep the owner when allowed (root rewriting someone's file); else it is ours.
            with contextlib.suppress(OSError):
                os.chown(temporary, status.st_uid, status.st_gid)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


def _mode_for(status: os.stat_result | None) -> int:
    """The old file's permissions, or what a new file would get (mkstemp's are 0600)."""
    if status is not None:
        return stat.S_IMODE(status.st_mode)
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
