"""The newsnb exception family: one base class and a few specific subclasses."""

from __future__ import annotations


class NewsnbError(Exception):
    """Base class of every error newsnb raises on purpose."""


class RecordError(NewsnbError, ValueError):
    """A file could not be read as a record (raised by ``load(..., strict=True)``).

    Attributes
    ----------
    path : str
        The file, as given to or found by the loader.
    line : int or None
        1-based line of the problem in the file, when known.
    reason : str
        What is wrong and how to fix it, without the path.
    """

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        self.path = str(path)
        self.reason = reason
        self.line = line
        super().__init__(f"{self.path}: {reason}")

    def __reduce__(self) -> tuple[type, tuple[str, str, int | None]]:
        # Raised in worker processes (the parallel loader, Dask): keep it picklable.
        return (type(self), (self.path, self.reason, self.line))


class SourceError(NewsnbError, FileNotFoundError):
    """The ``source`` given to :func:`newsnb.load` names nothing readable."""


class CacheWarning(UserWarning):
    """The load cache could not be used; the load went on without it."""
