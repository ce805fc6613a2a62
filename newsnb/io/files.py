"""Reading one file safely: regular files only, a size limit, a reason for every failure.

:func:`read` returns a file's bytes with its :data:`STAMPS` (size, mtime,
ctime, inode, from the open descriptor, so they agree with the bytes) and the
time it was read; every OS failure becomes a :class:`~newsnb.errors.RecordError`
whose reason says what happened and what to do.  A named pipe, socket or
device is refused before it is opened (opening a pipe blocks until a writer
comes).  :func:`digest` is the content hash the cache checks racily-clean
files against.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import time

import numpy as np
import pyarrow as pa

from newsnb.errors import RecordError
from newsnb.io.names import shown
from newsnb.io.sources import FileRef

__all__ = [
    "DEFAULT_MAX_FILE_SIZE",
    "MANIFEST",
    "RACY_NS",
    "STAMPS",
    "Stamps",
    "digest",
    "file_digest",
    "file_stamps",
    "read",
    "stats",
]

#: Files larger than this (bytes) are listed in ``errors`` instead of parsed.
DEFAULT_MAX_FILE_SIZE = 10_000_000
#: What the cache's manifest keeps of a file to tell whether it changed.
STAMPS = ("size", "mtime_ns", "ctime_ns", "ino")
#: The coarsest file-system clock tick (FAT: 2 s): a file changed less than this
#: before it was read may change again unseen by its stamps ("racily clean").
RACY_NS = 2_000_000_000
#: One row per loaded file: its id, path (the bytes on disk, :func:`newsnb.io.names.raw`),
#: :data:`STAMPS` and read time as it was read, and its content digest where
#: the stamps alone may not prove it unchanged later (else null).
MANIFEST = pa.schema(
    [
        ("article_id", pa.large_string()),
        ("path", pa.large_binary()),
        *((name, pa.int64()) for name in STAMPS),
        ("read_ns", pa.int64()),
        ("digest", pa.large_string()),
    ]
)
Stamps = tuple[int, int, int, int]
_NO_STAMPS: Stamps = (0, 0, 0, 0)


def file_stamps(info: os.stat_result) -> Stamps:
    """A file's :data:`STAMPS` from its ``stat``: (size, mtime_ns, ctime_ns, inode)."""
    ino = info.st_ino
    # inode numbers are unsigned 64-bit; the manifest stores them as int64
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, ino - (1 << 64) if ino >> 63 else ino


def stats(refs: list[FileRef]) -> tuple[list[str], np.ndarray]:
    """(paths, stamps) of ``refs`` now: one row of :data:`STAMPS` each, -1 where a file
    cannot be stat-ed (its read will say why)."""
    paths = [r.path for r in refs]
    stamps = []
    stat_, missing = os.stat, (-1, -1, -1, -1)
    for path in paths:
        try:
            stamps.append(file_stamps(stat_(path)))
        except OSError:
            stamps.append(missing)
    return paths, np.array(stamps, np.int64).reshape(len(paths), 4)


def read(ref: FileRef, max_file_size: int) -> tuple[bytes, Stamps, int]:
    """(bytes, stamps, read_ns) of a file: its :data:`STAMPS` from the open handle, so
    they agree with the bytes, and the time just before it was read.

    Raises
    ------
    RecordError
        The file cannot be read (the reason says why), is not a regular file,
        or is larger than ``max_file_size``.
    """
    if ref.data is not None:
        data, stamps, read_ns = ref.data, _NO_STAMPS, 0
    else:
        try:
            read_ns = time.time_ns()
            fd, info = _open_regular(ref.path)
            try:
                stamps = file_stamps(info)
                if stamps[0] > max_file_size:
                    raise RecordError(ref.path, _too_big(stamps[0], max_file_size))
                data = _read_all(fd, stamps[0], max_file_size)
            finally:
                os.close(fd)
        except RecordError:
            raise
        except OSError as exc:
            raise RecordError(ref.path, _os_reason(ref.path, exc)) from None
    if len(data) > max_file_size:
        raise RecordError(ref.path, _too_big(len(data), max_file_size))
    return data, stamps, read_ns


def _read_all(fd: int, size: int, limit: int) -> bytes:
    """The bytes of an open file, read straight from its descriptor (no file object:
    ~6 us a file less), asking for what fstat said plus one, to notice a file that
    grew since, and then on to ``limit`` + 1 at the most."""
    data = os.read(fd, size + 1)
    if len(data) <= size:  # the usual case: one more read to see the end
        chunk = os.read(fd, size + 1 - len(data)) if len(data) < size else b""
        if not chunk:
            return data
        data += chunk
    parts = [data]
    total = len(data)
    while total <= limit:
        chunk = os.read(fd, min(1 << 20, limit + 1 - total))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)


# A named pipe blocks open() until a writer comes (forever, in a corpus folder),
# and opening a device can have effects of its own: only regular files are opened.
_NOT_REGULAR = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}
# O_NONBLOCK: should a pipe replace the file between the stat and the open, the
# open still returns at once (and the fstat below refuses it).
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def _open_regular(path: str) -> tuple[int, os.stat_result]:
    """A descriptor of a regular file open for reading, and its ``fstat``; a
    :class:`RecordError` for anything else (checked before it is opened, and again
    once open).  The caller closes the descriptor."""
    _check_regular(path, os.stat(path).st_mode)
    fd = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        _check_regular(path, info.st_mode)
    except BaseException:
        os.close(fd)
        raise
    return fd, info


def _check_regular(path: str, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise RecordError(path, "this is a folder, not a file")
    kind = _NOT_REGULAR.get(stat.S_IFMT(mode), "not a file of any known kind")
    if os.path.islink(path):
        kind = f"a symbolic link to {kind}"
    raise RecordError(
        path,
        f"not a regular file: {kind}; newsnb reads only regular files, so it was not opened "
        "(move it out of the folder, or load with a pattern that leaves it out)",
    )


def _too_big(size: int, limit: int) -> str:
    return (
        f"the file is {size / 1e6:.1f} MB, over the {limit / 1e6:.1f} MB limit for one record; "
        "raise it with load(..., max_file_size=...) if the file is genuine"
    )


def _os_reason(path: str, exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            target = shown(os.readlink(path))
            return f"broken symbolic link: it points to {target!r}, which does not exist"
        return "the file disappeared while loading (deleted or renamed after the folder was listed); load again"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop: the link points (through other links) back to itself; remove it"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied: newsnb cannot read the file; give it read permission (chmod +r)"
    if exc.errno == errno.EISDIR:
        return "this is a folder, not a file"
    if exc.errno == errno.ENAMETOOLONG:
        return (
            f"the path is {len(path):,} characters long, more than the system allows; move the "
            "corpus to a shorter path or shorten the names"
        )
    return f"could not read the file: {exc.strerror or exc}"


def digest(data: bytes) -> str:
    """The content hash the cache keeps of a file (BLAKE2b, 128 bits, hex)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def file_digest(path: str) -> str | None:
    """:func:`digest` of a file's bytes now, or ``None`` if it cannot be read."""
    try:
        fd, info = _open_regular(path)
        try:
            return digest(_read_all(fd, info.st_size, max(info.st_size, 1 << 40)))
        finally:
            os.close(fd)
    except (OSError, RecordError):
        return None
