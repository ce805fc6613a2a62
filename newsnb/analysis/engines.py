"""Where an aggregation finds the articles: in this process, or with a plug-in engine.

:func:`~newsnb.coverage`, :func:`~newsnb.cooccurrence` and :func:`~newsnb.gaps`
are map-reduce computations: a *count* step turns one frame of articles into
small counts, a *combine* step adds several of those up, and a *finish* step
(zero-fill, top, shares) makes the result.  An :class:`Articles` runs the first
two wherever the records are held: here, for a pandas frame
(:class:`InMemory`: one count over the whole frame), or on a cluster, for the
tables of an engine such as Dask, where only the counts travel back.

Engines plug in with :func:`register` (:mod:`newsnb.dask` does so when it is
imported), so the analysis core never imports one.  An engine that is not
imported yet (a Dask DataFrame built by the analyst's own code reaches
:func:`~newsnb.coverage`) is found the first time data of a type nobody knows
arrives: the engines the loading stack lists (:data:`newsnb.io.engines.ENGINES`,
the one list of engines) are imported then, and register themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias, TypeVar

import pandas as pd

from newsnb.io.engines import ENGINES, plugin

__all__ = [
    "Articles",
    "Combine",
    "Count",
    "Engine",
    "InMemory",
    "engine_for",
    "register",
]

T = TypeVar("T")
#: The map step: one part of the articles (and further arguments) to its counts.
Count: TypeAlias = Callable[..., T]
#: The reduce step: the counts of several parts to their sum.
Combine: TypeAlias = Callable[[list[T]], T]


class Articles(Protocol):
    """An articles table as an aggregation reads it, wherever its rows are."""

    @property
    def meta(self) -> pd.DataFrame:
        """The table's columns and dtypes (an engine may give an empty frame)."""
        ...

    def reduce(self, count: Count[T], combine: Combine[T], columns: Sequence[str], *args: Any) -> T:
        """``count(part, *args)`` for every part of the table, added up by ``combine``.

        ``columns`` are all that ``count`` reads: an engine sends only those.
        """
        ...

    def span(self, column: str) -> tuple[Any, Any, int]:
        """The smallest and the largest value of one column, and how many it holds (not missing)."""
        ...


class Engine(Protocol):
    """A plug-in that holds corpora elsewhere (on a cluster) and counts them there."""

    #: What the engine is called in messages (``"dask"``).
    name: str
    #: The advice for someone passing the engine's data to a function that needs
    #: the records in this process.
    in_memory: str

    def accepts(self, data: object) -> bool:
        """Whether ``data`` (a corpus or an articles table) is the engine's."""
        ...

    def articles(self, data: Any) -> Articles:
        """The articles table of ``data``."""
        ...


@dataclass(frozen=True)
class InMemory:
    """The articles of a pandas frame: one part, counted here.

    Examples
    --------
    >>> frame = pd.DataFrame({"n": [1, 2, 3]})
    >>> InMemory(frame).reduce(lambda part: len(part), sum, ["n"])
    3
    """

    frame: pd.DataFrame

    @property
    def meta(self) -> pd.DataFrame:
        """The frame itself."""
        return self.frame

    def reduce(self, count: Count[T], combine: Combine[T], columns: Sequence[str], *args: Any) -> T:
        """``count`` of the whole frame (one part: there is nothing to combine)."""
        return count(self.frame, *args)

    def span(self, column: str) -> tuple[Any, Any, int]:
        """The column's minimum, maximum and count of values."""
        values = self.frame[column]
        return values.min(), values.max(), int(values.count())


_ENGINES: list[Engine] = []
_discovered = False


def register(engine: Engine) -> Engine:
    """Make an engine's corpora and tables acceptable to every aggregation.

    Registering the same engine twice changes nothing.

    Examples
    --------
    >>> class Nothing:
    ...     name, in_memory = "nothing", "compute it first"
    ...     def accepts(self, data): return False
    ...     def articles(self, data): raise TypeError
    >>> engine = register(Nothing())
    >>> engine_for(object(), discover=False) is None
    True
    >>> _ENGINES.remove(engine)
    """
    if engine not in _ENGINES:
        _ENGINES.append(engine)
    return engine


def engine_for(data: object, *, discover: bool = True) -> Engine | None:
    """The engine that holds ``data``, or ``None``.

    Only registered engines are asked unless ``discover``: then, if none takes
    ``data``, the installed engines are loaded first (once per process, and
    only then: so pass ``discover=False`` for data that may well be newsnb's
    own, which needs no engine).

    Examples
    --------
    >>> engine_for(pd.DataFrame(), discover=False) is None
    True
    """
    found = _match(data)
    if found is None and discover and not _discovered:
        _discover()
        found = _match(data)
    return found


def _match(data: object) -> Engine | None:
    return next((engine for engine in _ENGINES if engine.accepts(data)), None)


def _discover() -> None:
    """Import the engines the loading stack knows (once per process): each registers itself."""
    global _discovered
    _discovered = True
    for name, module in ENGINES.items():
        if module is None:  # the core's own pandas engine
            continue
        try:
            plugin(name)
        except ImportError:  # its packages are not installed (the extra)
            continue
