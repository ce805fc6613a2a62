"""newsnb: explore corpora of news records in JupyterLab.

>>> import newsnb
>>> corpus = newsnb.sample(500)          # or newsnb.load("path/to/records")
>>> corpus.articles.columns[:3].tolist()
['title', 'excerpt', 'published_at']

The heavier parts (plotly charts, ipywidgets, the Dask backend) are imported on
first use, so ``import newsnb`` stays fast in scripts and worker processes.
"""

from __future__ import annotations

import importlib
from typing import Any

from newsnb.corpus import Corpus
from newsnb.errors import CacheWarning, NewsnbError, RecordError, SourceError
from newsnb.loader import load, load_text

__version__ = "0.1.0"

# public name -> module that defines it, imported lazily on first access
# (modules are named so that none shadows a public function: `newsnb.sample`
# is a function, its module is `newsnb.synthetic`)
_LAZY = {
    "sample": "newsnb.synthetic",
    "write_sample": "newsnb.synthetic",
    "coverage": "newsnb.analysis",
    "cooccurrence": "newsnb.analysis",
    "gaps": "newsnb.analysis",
    "stories": "newsnb.analysis",
    "Criteria": "newsnb.criteria",
    "filter_articles": "newsnb.analysis",
    "Explorer": "newsnb.app.explorer",
    "read_selection": "newsnb.export",
    "card": "newsnb.viz.html",
    "report": "newsnb.viz.reporting",
    "to_parquet": "newsnb.parquet",
    "read_parquet": "newsnb.parquet",
}
# namespaces of functions, imported on first access: newsnb.charts.timeline(...)
_MODULES = {"charts": "newsnb.viz.charts"}

__all__ = [
    "CacheWarning",
    "Corpus",
    "NewsnbError",
    "RecordError",
    "SourceError",
    "load",
    "load_text",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        value = importlib.import_module(_MODULES[name])
    elif name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    else:
        raise AttributeError(f"module 'newsnb' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
