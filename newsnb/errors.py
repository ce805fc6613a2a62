"""The newsnb exception family (one base class, a few subclasses), and the check of counts."""

from __future__ import annotations

import contextlib
import operator
from typing import Any, Literal, overload


class NewsnbError(Exception):
    """Base class of every error newsnb raises on purpose.

    Examples
    --------
    >>> import newsnb
    >>> try:
    ...     newsnb.load("no/such/folder")
    ... except newsnb.NewsnbError as exc:
    ...     print(type(exc).__name__)
    SourceError
    """


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

    Examples
    --------
    >>> import io, newsnb
    >>> stream = io.BytesIO(b"title: no front matter")
    >>> try:
    ...     newsnb.load(stream, strict=True)
    ... except newsnb.RecordError as exc:
    ...     print(exc.path, "|", exc.reason[:40])
    <stream 0> | no front matter: the file does not start
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
    """The ``source`` given to :func:`newsnb.load` names nothing readable.

    Examples
    --------
    >>> import newsnb
    >>> newsnb.load("news/2030-*.md")
    Traceback (most recent call last):
    ...
    newsnb.errors.SourceError: news/2030-*.md: the glob matches no file; ...
    """


class MissingExtraError(NewsnbError, ImportError):
    """A part of newsnb needs an optional package that is not installed; the message
    says which extra to install (``pip install "newsnb[reprints]"``).

    Examples
    --------
    >>> issubclass(MissingExtraError, ImportError)
    True
    """


class CacheWarning(UserWarning):
    """The load cache could not be used; the load went on without it.

    Examples
    --------
    >>> import warnings, newsnb
    >>> warnings.simplefilter("error", newsnb.CacheWarning)  # a script that must not go on
    >>> warnings.resetwarnings()
    """


@overload
def check_count(
    value: Any,
    name: str,
    *,
    minimum: int = 1,
    what: str | None = None,
    optional: Literal[False] = False,
) -> int: ...
@overload
def check_count(
    value: Any, name: str, *, minimum: int = 1, what: str | None = None, optional: bool
) -> int | None: ...
def check_count(
    value: Any,
    name: str,
    *,
    minimum: int = 1,
    what: str | None = None,
    optional: bool = False,
) -> int | None:
    """``value`` as an ``int`` if it is a whole number of at least ``minimum``.

    Every count an argument gives (``top``, ``bins``, ``files_per_partition``,
    ``n``, ...) is checked here, so each refusal reads the same way: it names
    the argument, the value and what to pass.  ``optional`` lets ``None`` through.

    Raises
    ------
    ValueError
        ``value`` is not such a number (a ``bool`` or a float is not one).

    Examples
    --------
    >>> check_count(3, "top")
    3
    >>> check_count(0, "top", what="the groups to keep", optional=True)
    Traceback (most recent call last):
    ...
    ValueError: top must be a whole number >= 1 (the groups to keep), or None; not top=0
    """
    if value is None and optional:
        return None
    number = None
    if not isinstance(value, bool):
        with contextlib.suppress(TypeError):  # int and NumPy integers; not floats or text
            number = operator.index(value)
    if number is None or number < minimum:
        detail = f" ({what})" if what else ""
        none = ", or None" if optional else ""
        raise ValueError(
            f"{name} must be a whole number >= {minimum}{detail}{none}; not {name}={value!r}"
        )
    return number
