"""The Explorer's one front-end widget: an anywidget of newsnb's own.

:class:`ExplorerView` carries the payload parts as synced traits and passes
the analyst's intents (custom messages from the browser) to a handler.  Its
ES module is ``static/explorer.js`` with plotly.js put in front of it, so
plotly.js reaches the browser once per Explorer (as the widget's ``_esm``),
whatever the number of charts: the previous Explorer sent one 4.8 MB copy
per chart.  anywidget runs in JupyterLab, Notebook 7, Voila, VS Code and
Colab alike, and there is no extension to build or fetch from a CDN.

The plotly.js sent is plotly's own *basic* bundle (bar, scatter, pie:
everything the Explorer draws), ``static/plotly-basic.min.js``, of the same
plotly.js version as the installed plotly package (a test checks it): 1.2 MB
that Chromium evaluates in about 0.3 s, where the full 4.8 MB bundle in the
plotly package takes about 1 s (see the README).  Without the file, the full
bundle of the plotly package is used.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import anywidget
import traitlets as t

__all__ = ["ExplorerView", "front_end"]

_STATIC = resources.files("newsnb.app") / "static"


BASIC = "plotly-basic.min.js"
_GLOBAL = "window.Plotly = Plotly;"


@functools.cache
def plotly_js() -> str:
    """plotly.js for the page: plotly's basic bundle, else the plotly package's full one.

    Read once per process.
    """
    basic = _STATIC / BASIC
    if basic.is_file():
        return basic.read_text(encoding="utf-8")
    import plotly

    return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(
        encoding="utf-8"
    )


def plotly_version(bundle: str) -> str:
    """The version in a plotly.js bundle's banner (``plotly.js (basic - minified) v4.1.1``).

    Examples
    --------
    >>> plotly_version("/**\\n* plotly.js v4.1.1\\n*/")
    '4.1.1'
    """
    match = re.search(r"plotly\.js[^\n]*? v(\d+\.\d+\.\d+)", bundle[:400])
    if match is None:
        raise ValueError("not a plotly.js bundle: no 'plotly.js ... vX.Y.Z' banner at its top")
    return match[1]


@functools.cache
def front_end() -> str:
    """The ES module: a loader of plotly.js (a UMD bundle), then the Explorer's code.

    plotly.js is evaluated just after the module loads, in a task of its own
    (anywidget gives a module 2 s to initialise, and a page may restore several
    Explorers at once), while the kernel is still computing what to draw; and
    only once per page: later Explorers reuse it.  The bundle sees a local ``module`` (so it returns
    itself through ``module.exports``) and no AMD ``define``, so it behaves the
    same whether or not the page has RequireJS.
    """
    bundle = plotly_js()
    key = json.dumps(f"__newsnb_plotly_{plotly_version(bundle)}")
    # the bundle ends by setting window.Plotly: another plotly.js of the page (a full one, of
    # another version) must not be replaced by ours, so that line is left out
    tail = bundle.rfind(_GLOBAL)
    if tail > len(bundle) - 200:
        bundle = bundle[:tail] + bundle[tail + len(_GLOBAL) :]
    loader = (
        "function newsnbPlotly() {\n"
        f"  if (globalThis[{key}]) return globalThis[{key}];\n"
        "  const module = { exports: {} };\n"
        "  const exports = module.exports;\n"
        "  const define = undefined;\n"
        f"{bundle}\n"
        f"  ;globalThis[{key}] = module.exports;\n"
        "  return module.exports;\n"
        "}\n"
    )
    return loader + (_STATIC / "explorer.js").read_text(encoding="utf-8")


@functools.cache
def styles() -> str:
    """The Explorer's CSS."""
    return (_STATIC / "explorer.css").read_text(encoding="utf-8")


class ExplorerView(anywidget.AnyWidget):
    """The Explorer's widget: every part of the page as a trait, intents as messages.

    Parameters
    ----------
    on_intent : callable
        Called with each message the page sends (a dict with a ``type``).
    **parts
        Initial values of the traits (``meta``, ``status``, ...).
    """

    # placeholders, so that anywidget makes them synced traits; the content is given per
    # instance (reading plotly.js waits until an Explorer is made)
    _esm = ""
    _css = ""

    meta = t.Dict().tag(sync=True)
    status = t.Dict().tag(sync=True)
    facets = t.Dict().tag(sync=True)
    controls = t.Dict().tag(sync=True)
    table = t.Dict().tag(sync=True)
    charts = t.Dict().tag(sync=True)
    inspector = t.Dict().tag(sync=True)
    terms = t.Dict().tag(sync=True)  # the selection's distinctive terms (issue 15)

    def __init__(self, on_intent: Callable[[dict[str, Any]], None], **parts: Any) -> None:
        super().__init__(_esm=front_end(), _css=styles(), **parts)
        self._on_intent = on_intent
        self.on_msg(self._received)

    def _received(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and isinstance(content.get("type"), str):
            self._on_intent(content)
