"""The engines a load or a Parquet read can run on, imported only when asked for.

The pandas engine is the core itself.  Any other engine is a plug-in module
that provides ``load(source, **options)`` and the Parquet hooks its corpus
type needs; the core names it here, as text, and imports it on first use, so
nothing in the core imports a plug-in (nor its packages) until a caller asks
for ``engine="dask"``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["ENGINES", "plugin"]

#: engine name -> the module that implements it (``None``: the core itself)
ENGINES: dict[str, str | None] = {"pandas": None, "dask": "newsnb.dask"}


def plugin(engine: str) -> ModuleType | None:
    """The module of ``engine`` (``None`` for the core's own pandas engine).

    Raises
    ------
    ValueError
        ``engine`` is not one of :data:`ENGINES`.

    Examples
    --------
    >>> plugin("pandas") is None
    True
    >>> plugin("polars")
    Traceback (most recent call last):
    ...
    ValueError: engine='polars' is not known; use 'pandas' or 'dask'
    """
    if engine not in ENGINES:
        known = " or ".join(repr(name) for name in ENGINES)
        raise ValueError(f"engine={engine!r} is not known; use {known}")
    name = ENGINES[engine]
    return None if name is None else importlib.import_module(name)
