"""The Dask engine (the ``newsnb[dask]`` extra): corpora past one machine's memory.

``newsnb.load(source, engine="dask")`` gives a :class:`DaskCorpus`, whose tables
are Dask DataFrames parsed on the workers by the loader's own record parser
(:mod:`newsnb.dask.corpus`); importing this package registers the engine
(:mod:`newsnb.dask.engine`) that lets :func:`newsnb.coverage`,
:func:`newsnb.cooccurrence` and :func:`newsnb.gaps` count it on the cluster.
The analysis core never imports it: the engine plugs in.
"""

from newsnb.dask.corpus import DEFAULT_FILES_PER_PARTITION, DaskCorpus, is_dask, load, table_meta
from newsnb.dask.engine import cooccurrence, coverage, engine, gaps

__all__ = [
    "DEFAULT_FILES_PER_PARTITION",
    "DaskCorpus",
    "cooccurrence",
    "coverage",
    "engine",
    "gaps",
    "is_dask",
    "load",
    "table_meta",
]
