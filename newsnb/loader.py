"""Read a folder (or glob, file, list of files) of records into a :class:`Corpus`.

This is the I/O shell around the pure parser (:mod:`newsnb.records`): it finds
the files, reads their bytes, turns every failure into an ``errors`` row, and
hands the parsed records to :class:`newsnb.tables.TableBuilder`.
"""

from __future__ import annotations

import errno
import fnmatch
import glob
import io
import os
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from newsnb.corpus import Corpus
from newsnb.errors import RecordError, SourceError
from newsnb.records import parse_record
from newsnb.tables import TableBuilder

__all__ = ["DEFAULT_MAX_FILE_SIZE", "FileRef", "load", "resolve"]

#: Files larger than this (bytes) are listed in ``errors`` instead of parsed.
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024

Source = str | os.PathLike | IO[Any] | Iterable[str | os.PathLike | IO[Any]]
_GLOB_MAGIC = set("*?[")


@dataclass(frozen=True)
class FileRef:
    """One file to load: where to read it and the stable id its record gets.

    ``article_id`` is the file's path relative to the source's root, with ``/``
    separators on every platform, so it is the same across runs, machines and
    copies of the folder, and unique even when two folders hold the same name.
    """

    path: str
    article_id: str
    data: bytes | None = None  # already-read content (file objects)


def resolve(source: Source, pattern: str = "*.md") -> tuple[list[FileRef], str]:
    """Find the files a ``source`` names, in a stable order.

    Parameters
    ----------
    source
        A folder (every ``*.md`` below it, recursively; hidden folders such as
        ``.git`` or ``.ipynb_checkpoints`` are skipped), a glob pattern
        (``"news/**/*.md"``), one file, an open file object, or an iterable of
        those.  Explicit files are read whatever their extension.
    pattern : str
        Which file names a folder source takes (``fnmatch`` syntax).

    Returns
    -------
    (list of FileRef, str)
        The files and a label of the source for display.

    Raises
    ------
    SourceError
        The source names nothing that exists.

    Examples
    --------
    >>> refs, label = resolve("../shared/corpora/seeds", pattern="*.txt")
    >>> [r.article_id for r in refs]
    ['000_0a11965b53a2d29e.txt', '004_8888327907d4a66b.txt']
    """
    if hasattr(source, "read"):
        return [_from_stream(source, 0)], getattr(source, "name", "<stream>")  # type: ignore[arg-type]
    if isinstance(source, (str, os.PathLike)):
        text = os.fspath(source)
        path = Path(text).expanduser()
        if path.is_dir():
            return _walk(path, pattern), text
        if path.exists() or path.is_symlink():
            return [FileRef(str(path), path.name)], text
        if _GLOB_MAGIC & set(text):
            return _glob(text), text
        raise SourceError(
            f"{text}: no such file or folder; pass a folder of records, a glob such as "
            f"'news/**/*.md', a file, or a list of files"
        )
    if isinstance(source, Iterable):
        return _explicit(list(source)), "a list of files"
    raise SourceError(
        f"cannot load from {type(source).__name__}; pass a folder, a glob, a file path, "
        "a file object or a list of paths"
    )


def _walk(root: Path, pattern: str) -> list[FileRef]:
    refs, others = [], 0
    # os.walk does not follow symlinked folders, so a symlink loop cannot trap it;
    # symlinked *files* are listed and read (a broken one becomes an errors row).
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if fnmatch.fnmatch(name, pattern):
                full = Path(folder, name)
                refs.append(FileRef(str(full), full.relative_to(root).as_posix()))
            else:
                others += 1
    if not refs and others:
        warnings.warn(
            f"{root}: no file matches {pattern!r} but {others} other file(s) are there; "
            "pass pattern='*.txt' (or another pattern) to load them",
            stacklevel=4,
        )
    refs.sort(key=lambda r: r.article_id)
    return refs


def _glob(pattern: str) -> list[FileRef]:
    matches = sorted(
        p for p in glob.glob(os.path.expanduser(pattern), recursive=True) if not os.path.isdir(p)
    )
    if not matches:
        raise SourceError(f"{pattern}: the glob matches no file; check the folder and the pattern")
    return _explicit(matches)


def _explicit(items: list[Any]) -> list[FileRef]:
    paths = [Path(os.fspath(p)).expanduser() for p in items if not hasattr(p, "read")]
    root = Path(os.path.commonpath([p.absolute().parent for p in paths])) if paths else Path()
    refs, seen = [], set()
    for number, item in enumerate(items):
        if hasattr(item, "read"):
            ref = _from_stream(item, number)
        else:
            path = Path(os.fspath(item)).expanduser()
            ref = FileRef(str(path), path.absolute().relative_to(root).as_posix())
        if ref.article_id in seen:  # the same file listed twice: one record, not two ids
            raise SourceError(f"{ref.path}: listed twice in the source; list each file once")
        seen.add(ref.article_id)
        refs.append(ref)
    return refs


def _from_stream(stream: IO[Any], number: int) -> FileRef:
    data = stream.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    name = getattr(stream, "name", None)
    label = os.path.basename(name) if isinstance(name, str) else f"<stream {number}>"
    return FileRef(label, label, data)


def read_bytes(ref: FileRef, max_file_size: int = DEFAULT_MAX_FILE_SIZE) -> bytes:
    """Read one file's bytes, turning every OS failure into a :class:`RecordError`."""
    if ref.data is not None:
        data = ref.data
    else:
        try:
            with open(ref.path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size > max_file_size:
                    raise RecordError(ref.path, _too_big(size, max_file_size))
                # Read one byte past the limit: a file that grew after the stat
                # is still caught without reading all of it.
                data = handle.read(max_file_size + 1)
        except RecordError:
            raise
        except OSError as exc:
            raise RecordError(ref.path, _os_reason(ref.path, exc)) from None
    if len(data) > max_file_size:
        raise RecordError(ref.path, _too_big(len(data), max_file_size))
    return data


def _too_big(size: int, limit: int) -> str:
    return (
        f"the file is {size / 1e6:.1f} MB, over the {limit / 1e6:.1f} MB limit for one record; "
        "raise it with load(..., max_file_size=...) if the file is genuine"
    )


def _os_reason(path: str, exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            return f"broken symbolic link: it points to {os.readlink(path)!r}, which does not exist"
        return "the file disappeared while loading (deleted or renamed after the folder was listed); load again"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop: the link points (through other links) back to itself; remove it"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied: newsnb cannot read the file; give it read permission (chmod +r)"
    if exc.errno == errno.EISDIR:
        return "this is a folder, not a file"
    return f"could not read the file: {exc.strerror or exc}"


def parse_refs(
    refs: Iterable[FileRef], max_file_size: int = DEFAULT_MAX_FILE_SIZE, strict: bool = False
) -> TableBuilder:
    """Read and parse files into a :class:`TableBuilder` (one worker's job)."""
    builder = TableBuilder()
    for ref in refs:
        try:
            record = parse_record(read_bytes(ref, max_file_size), ref.path)
        except RecordError as exc:
            if strict:
                raise
            builder.add_error(ref.path, exc.reason, exc.line)
            continue
        builder.add(ref.article_id, ref.path, record)
    return builder


def load(
    source: Source,
    *,
    strict: bool = False,
    pattern: str = "*.md",
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
) -> Corpus:
    """Load records into a :class:`~newsnb.Corpus`.

    Parameters
    ----------
    source
        A folder (every ``*.md`` below it, recursively, in path order), a glob
        pattern, one file, an open file object, or an iterable of paths (read
        whatever their extension).
    strict : bool
        Raise :class:`newsnb.RecordError` on the first file that is not a valid
        record, instead of listing it in ``corpus.errors``.
    pattern : str
        File names a folder source takes, ``"*.md"`` by default.
    max_file_size : int
        Files larger than this many bytes are listed in ``errors`` unparsed.

    Returns
    -------
    Corpus
        Every file found is either a row of ``articles`` or a row of ``errors``.

    Raises
    ------
    SourceError
        ``source`` names nothing that exists.
    RecordError
        With ``strict=True``, for the first bad file (its path and line).

    Examples
    --------
    >>> import newsnb
    >>> corpus = newsnb.load("../shared/corpora/powerapps-news")
    >>> len(corpus), len(corpus.errors)
    (674, 0)
    """
    refs, label = resolve(source, pattern)
    builder = parse_refs(refs, max_file_size, strict)
    return Corpus.from_frames(builder.frames(), source=label)


def load_text(text: str, name: str = "<text>") -> Corpus:
    """Load one record from a string (handy in tests and notebooks).

    Examples
    --------
    >>> load_text("---\\ntitle: Hello\\n---\\n").articles["title"].tolist()
    ['Hello']
    """
    stream = io.BytesIO(text.encode("utf-8"))
    stream.name = name  # type: ignore[attr-defined]
    return load(stream)
