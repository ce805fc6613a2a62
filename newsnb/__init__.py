"""newsnb: explore corpora of news records in JupyterLab.

>>> import newsnb
>>> corpus = newsnb.sample(500)          # or newsnb.load("path/to/records")
>>> corpus.articles.columns[:3].tolist()
['title', 'excerpt', 'published_at']
>>> newsnb.coverage(corpus, by="type")["type"].tolist()
['article', 'video']

``__all__`` lists the public functions and classes; the chart functions are in
the :mod:`newsnb.charts` namespace.  Everything but the loader is imported on
first use, so ``import newsnb`` stays fast in scripts and worker processes,
and loading, aggregating and charting never import the widget stack (the
Explorer's) or Dask (an engine that plugs in: ``load(..., engine="dask")``).
"""

from __future__ import annotations

import importlib
from typing import Any

from newsnb.corpus import Corpus
from newsnb.errors import (
    CacheWarning,
    MissingExtraError,
    NewsnbError,
    RecordError,
    SourceError,
)
from newsnb.io.loader import load, load_text

__version__ = "0.1.0"

# public name -> module that defines it, imported lazily on first access
# (no module is named like a public function: `newsnb.sample` is a function,
# its module is `newsnb.synthetic`)
_LAZY = {
    "Criteria": "newsnb.criteria",
    "Explorer": "newsnb.app.explorer",
    "card": "newsnb.viz.html",
    "cooccurrence": "newsnb.analysis",
    "coverage": "newsnb.analysis",
    "filter_articles": "newsnb.analysis",
    "gaps": "newsnb.analysis",
    "histogram": "newsnb.analysis",
    "read_parquet": "newsnb.io.parquet",
    "read_selection": "newsnb.export",
    "report": "newsnb.viz.reporting",
    "sample": "newsnb.synthetic",
    "stories": "newsnb.analysis",
    "to_parquet": "newsnb.io.parquet",
    "write_sample": "newsnb.synthetic",
    # issue 15, part B: reprints found by their text, who breaks the news
    "lead_lag": "newsnb.analysis",
    "reprints": "newsnb.analysis",
}
# public names that need an extra (`pip install "newsnb[dask]"`): resolvable, but
# kept out of __all__ so that `from newsnb import *` works without the extra
_EXTRAS = {"DaskCorpus": "newsnb.dask"}
# namespaces: newsnb.charts.timeline(...), newsnb.analysis.ArticleIndex
_MODULES = {"analysis": "newsnb.analysis", "charts": "newsnb.viz.charts"}

__all__ = [
    "CacheWarning",
    "Corpus",
    "Criteria",
    "Explorer",
    "MissingExtraError",
    "NewsnbError",
    "RecordError",
    "SourceError",
    "card",
    "cooccurrence",
    "coverage",
    "filter_articles",
    "gaps",
    "histogram",
    "lead_lag",
    "load",
    "load_text",
    "read_parquet",
    "read_selection",
    "report",
    "reprints",
    "sample",
    "stories",
    "to_parquet",
    "write_sample",
]


# -- issue 15, text (attention, terms, kwic, mix): kept in one block for the merge ---------------
_TEXT = {"attention": "newsnb.analysis", "kwic": "newsnb.analysis", "mix": "newsnb.analysis",
         "terms": "newsnb.analysis"}  # fmt: skip
_LAZY.update(_TEXT)
__all__ = sorted([*__all__, *_TEXT])
# -- end of issue 15, text ---------------------------------------------------------------------


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        value = importlib.import_module(_MODULES[name])
    elif name in _LAZY or name in _EXTRAS:
        value = getattr(importlib.import_module({**_LAZY, **_EXTRAS}[name]), name)
    else:
        raise AttributeError(f"module 'newsnb' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | set(_EXTRAS) | set(_MODULES))
