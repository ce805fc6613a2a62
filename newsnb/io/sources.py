"""What a load reads: a source (folder, glob, file, file object, list) -> its files.

:func:`resolve` classifies a source once and lists its files, in a stable
order, as one :class:`Source` value: what kind of source it is, the folder the
files' ids are relative to, the :class:`FileRef` of every file (and of every
folder that could not be listed, with the reason), a label for display, and
whether some files came as open file objects.  Nothing here reads a file's
content except a file object's, which can be read only once.
"""

from __future__ import annotations

import errno
import fnmatch
import glob
import operator
import os
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal, NamedTuple, TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from newsnb.errors import SourceError
from newsnb.io.names import key, raw, shown

__all__ = ["FileRef", "Listing", "Source", "SourceLike", "folder_of", "resolve"]

#: What :func:`newsnb.load` accepts as its ``source``.
SourceLike: TypeAlias = (
    "str | os.PathLike[str] | IO[Any] | Iterable[str | os.PathLike[str] | IO[Any]]"
)
Kind = Literal["folder", "file", "glob", "files", "stream"]
_GLOB_MAGIC = set("*?[")


class FileRef(NamedTuple):
    """One file to load: where to read it and the stable id its record gets.

    ``article_id`` is the file's path relative to the source's root, with ``/``
    separators on every platform, so it is the same across runs, machines and
    copies of the folder, and unique even when two folders hold the same name.
    A name that is not valid UTF-8 keeps its exact bytes in ``path`` (for
    reading) and gets ``\\xNN`` escapes in ``article_id`` (see :mod:`newsnb.io.names`).
    """

    path: str
    article_id: str
    data: bytes | None = None  # already-read content (file objects)
    error: str | None = None  # why it cannot be read, known when it was found


@dataclass
class Listing:
    """Files as Arrow arrays, in corpus order: ``ids``, ``paths`` (the bytes on disk,
    ``large_binary``), ``shown`` (the ``path`` column: :func:`~newsnb.io.names.shown`),
    and their :class:`FileRef` objects, built only for the files that need them.

    A load handles a hundred thousand files as a few arrays: compared, stat-ed
    and read by path without a Python object per file.
    """

    ids: pa.Array
    paths: pa.Array
    shown: pa.Array
    _refs: Sequence[FileRef] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, refs: Sequence[FileRef]) -> Listing:
        """The listing of ``refs``."""
        paths = [r.path for r in refs]
        ids = pa.array([r.article_id for r in refs], pa.large_string())
        try:  # names that are text (nearly all): shown as they are, their UTF-8 on disk
            text = pa.array(paths, pa.large_string())
            return cls(ids, text.cast(pa.large_binary()), text, refs)
        except (UnicodeEncodeError, pa.ArrowException):  # some name is not UTF-8
            pass
        raws = pa.array([raw(p) for p in paths], pa.large_binary())
        return cls(ids, raws, pa.array([shown(p) for p in paths], pa.large_string()), refs)

    @classmethod
    def of_names(cls, ids: list[str], paths: list[str]) -> Listing:
        """The listing of files ``paths`` with ids ``ids`` (no :class:`FileRef` yet)."""
        id_array = pa.array(ids, pa.large_string())
        try:
            text = pa.array(paths, pa.large_string())
            return cls(id_array, text.cast(pa.large_binary()), text)
        except (UnicodeEncodeError, pa.ArrowException):
            pass
        raws = pa.array([raw(p) for p in paths], pa.large_binary())
        return cls(id_array, raws, pa.array([shown(p) for p in paths], pa.large_string()))

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, rows: np.ndarray) -> Listing:
        """The files at ``rows`` (positions in this listing)."""
        if len(rows) == len(self) and (not len(rows) or bool((rows == np.arange(len(rows))).all())):
            return self
        picks = pa.array(rows, pa.int64())
        refs = [self._refs[i] for i in rows] if self._refs is not None else None
        return Listing(self.ids.take(picks), self.paths.take(picks), self.shown.take(picks), refs)

    def unlisted(self) -> bool:
        """Whether some entry is a folder the walk could not list (its ref has an error)."""
        return self._refs is not None and any(ref.error is not None for ref in self._refs)

    def refs(self) -> Sequence[FileRef]:
        """The :class:`FileRef` of every file (built from the arrays if need be)."""
        if self._refs is None:
            self._refs = [
                FileRef(os.fsdecode(p), i)
                for p, i in zip(self.paths.to_pylist(), self.ids.to_pylist())
            ]
        return self._refs


@dataclass(frozen=True)
class Source:
    """A source, classified and listed (see :func:`resolve`).

    Attributes
    ----------
    kind : {"folder", "file", "glob", "files", "stream"}
        What the source named: a folder, one file, a glob pattern, a list of
        files (or file objects), or one open file object.
    root : str or None
        The absolute folder the ids are relative to, with a trailing
        separator; ``None`` for a file object.
    listing : Listing
        The files, in a stable order (a folder's sorted by id); ``refs`` is
        their :class:`FileRef` list.
    label : str
        The source for display.
    streams : bool
        Some files were given as open file objects (their bytes are in
        :attr:`FileRef.data`): such a load is neither cached nor sent to other
        processes.
    folders : tuple of str
        For a folder, every folder the walk listed, relative to ``root`` with
        ``/`` separators (``""`` is the root); empty for other sources.
    """

    kind: Kind
    root: str | None
    listing: Listing
    label: str
    streams: bool
    folders: tuple[str, ...] = ()

    @property
    def refs(self) -> Sequence[FileRef]:
        """The files as :class:`FileRef` objects (built on first use for a walked folder)."""
        return self.listing.refs()


def resolve(source: SourceLike, pattern: str = "*.md") -> Source:
    """Find the files a ``source`` names, in a stable order.

    Parameters
    ----------
    source
        A folder (every ``*.md`` below it, recursively; hidden folders such as
        ``.git`` or ``.ipynb_checkpoints`` are skipped, and links to folders
        are not followed), a glob pattern (``"news/**/*.md"``), one file, an
        open file object, or an iterable of those.  Explicit files are read
        whatever their extension.
    pattern : str
        Which file names a folder source takes (``fnmatch`` syntax).

    Returns
    -------
    Source
        The files (and the folders that could not be listed, with their
        ``error``), the folder their ids are relative to and a label.

    Raises
    ------
    SourceError
        The source names nothing that exists.

    Examples
    --------
    >>> found = resolve("../shared/corpora/seeds", pattern="*.txt")
    >>> found.kind, [r.article_id for r in found.refs]
    ('folder', ['000_0a11965b53a2d29e.txt', '004_8888327907d4a66b.txt'])
    """
    if hasattr(source, "read"):
        name = getattr(source, "name", "<stream>")
        listing = Listing.of([_from_stream(source, 0)])  # type: ignore[arg-type]
        return Source("stream", None, listing, shown(str(name)), True)
    if isinstance(source, (str, os.PathLike)):
        text = os.fspath(source)
        path = Path(text).expanduser()
        if path.is_dir():
            listing, folders = _walk(path, pattern)
            return Source("folder", _root(path), listing, shown(text), False, folders)
        if path.exists() or path.is_symlink():
            ref = FileRef(str(path), key(path.name))
            return Source("file", _root(path.parent), Listing.of([ref]), shown(text), False)
        if _GLOB_MAGIC & set(text):
            refs, root = _glob(text)
            return Source("glob", root, Listing.of(refs), shown(text), False)
        raise SourceError(
            f"{shown(text)}: no such file or folder; pass a folder of records, a glob such as "
            f"'news/**/*.md', a file, or a list of files"
        )
    if isinstance(source, Iterable):
        refs, root = _explicit(list(source))
        streams = any(ref.data is not None for ref in refs)
        return Source("files", root, Listing.of(refs), "a list of files", streams)
    raise SourceError(
        f"cannot load from {type(source).__name__}; pass a folder, a glob, a file path, "
        "a file object or a list of paths"
    )


def folder_of(source: object) -> tuple[str, str] | None:
    """(root, label) that :func:`resolve` gives ``source`` if it is a folder, without
    listing it; ``None`` for any other source.

    The loader starts reading a folder's cache with it while the folder is walked.
    """
    if not isinstance(source, (str, os.PathLike)):
        return None
    text = os.fspath(source)
    path = Path(text).expanduser()
    return (_root(path), shown(text)) if path.is_dir() else None


def _root(path: Path) -> str:
    """A folder's absolute path with a trailing separator: the base of the ids below it."""
    return os.path.join(os.path.abspath(path), "")


_BY_ID = operator.itemgetter(1)  # FileRef.article_id, without a lambda call per file


def _walk(root: Path, pattern: str) -> tuple[Listing, tuple[str, ...]]:
    ids: list[str] = []
    paths: list[str] = []
    unlisted_refs: list[FileRef] = []
    folders: list[str] = []
    others = 0
    # os.walk does not follow symlinked folders, so a symlink loop cannot trap it;
    # symlinked *files* are listed and read (a broken one becomes an errors row).
    top = str(root)
    match = re.compile(fnmatch.translate(pattern)).match

    def unlisted(exc: OSError) -> None:
        # a folder the walk could not list: an errors row, so the account stays complete
        folder = exc.filename if isinstance(exc.filename, str) else top
        relative = os.path.relpath(folder, top).replace(os.sep, "/")
        unlisted_refs.append(
            FileRef(folder, key(relative) + "/", error=_folder_reason(folder, exc))
        )

    for folder, dirs, files in os.walk(top, onerror=unlisted):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        # plain string joins: pathlib costs ~50 us a file, a lot at 100,000 files
        prefix = os.path.relpath(folder, top).replace(os.sep, "/") + "/"
        if prefix == "./":
            prefix = ""
        folders.append(prefix[:-1])
        base = folder + os.sep
        for name in files:
            if match(name):
                article_id = prefix + name
                if not article_id.isascii() or "\\" in article_id:
                    article_id = key(article_id)
                ids.append(article_id)
                paths.append(base + name)
            else:
                others += 1
    if not ids and not unlisted_refs and others:
        warnings.warn(
            f"{shown(top)}: no file matches {pattern!r} but {others} other file(s) are there; "
            "pass pattern='*.txt' (or another pattern) to load them",
            stacklevel=5,
        )
    if unlisted_refs:  # rare: FileRef objects for all, the errors among them
        refs = [FileRef(p, i) for p, i in zip(paths, ids)] + unlisted_refs
        refs.sort(key=_BY_ID)
        return Listing.of(refs), tuple(folders)
    listing = Listing.of_names(ids, paths)
    # sorted by id (Arrow sorts UTF-8 by bytes: by code point, as Python sorts text)
    return listing.take(pc.sort_indices(listing.ids).to_numpy()), tuple(folders)


def _folder_reason(folder: str, exc: OSError) -> str:
    if exc.errno == errno.ENAMETOOLONG:
        return (
            f"the folder's path is {len(folder):,} characters long, more than the system allows, "
            "so newsnb could not list it and the files in it were not loaded; move the corpus "
            "to a shorter path or shorten the folder names"
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return (
            "permission denied: newsnb cannot list this folder, so the files in it were not "
            "loaded; give it read and execute permission (chmod +rx)"
        )
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return (
            "the folder disappeared while loading (deleted or renamed after its parent was "
            "listed), so the files in it were not loaded; load again"
        )
    return (
        f"newsnb could not list this folder ({exc.strerror or exc}), so the files in it "
        "were not loaded"
    )


def _glob(pattern: str) -> tuple[list[FileRef], str | None]:
    matches = sorted(
        p for p in glob.glob(os.path.expanduser(pattern), recursive=True) if not os.path.isdir(p)
    )
    if not matches:
        raise SourceError(
            f"{shown(pattern)}: the glob matches no file; check the folder and the pattern"
        )
    return _explicit(matches)


def _explicit(items: list[Any]) -> tuple[list[FileRef], str | None]:
    paths = [Path(os.fspath(p)).expanduser() for p in items if not hasattr(p, "read")]
    base = Path(os.path.commonpath([p.absolute().parent for p in paths])) if paths else None
    refs, seen = [], set()
    for number, item in enumerate(items):
        if hasattr(item, "read"):
            ref = _from_stream(item, number)
        else:
            assert base is not None  # there is a path, so a common folder
            path = Path(os.fspath(item)).expanduser()
            ref = FileRef(str(path), key(path.absolute().relative_to(base).as_posix()))
        if ref.article_id in seen:  # the same file listed twice: one record, not two ids
            raise SourceError(f"{shown(ref.path)}: listed twice in the source; list each file once")
        seen.add(ref.article_id)
        refs.append(ref)
    return refs, None if base is None else _root(base)


def _from_stream(stream: IO[Any], number: int) -> FileRef:
    data = stream.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    name = getattr(stream, "name", None)
    label = shown(os.path.basename(name)) if isinstance(name, str) else f"<stream {number}>"
    return FileRef(label, label, data)
