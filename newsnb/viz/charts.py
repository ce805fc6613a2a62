"""Plotly charts of coverage: each takes the data first and returns a ``go.Figure``.

Every chart draws the numbers of one aggregation in :mod:`newsnb.analysis`
(and nothing else), so ``coverage(...)`` and ``timeline(...)`` always agree.
Nothing here displays a figure: return it from a cell, or call ``.show()``.

Conventions shared by all charts:

- Colours are stable per group: :func:`color_for` gives a topic or provider
  the same colour in every chart; ``"other"`` is always grey.
- Record text (topics, providers, titles) is escaped for plotly's label markup
  before plotly sees it (:func:`label_text`: plotly renders tags such as
  ``<b>`` and ``<br>`` and a few entities in labels, so ``&``, ``<`` and ``>``
  are escaped and nothing else).  On bar charts the category axis holds the
  escaped group names and ``customdata[0]`` of each point holds the raw name;
  ``html.unescape(label)`` gives it back too.
- The ``newsnb`` template has transparent backgrounds and mid-grey ink, so
  figures read in JupyterLab's light and dark themes alike.
- An empty corpus or filter gives an empty figure that says so, not an error.
- ``data`` is what the aggregations take (see :mod:`newsnb.analysis.inputs`): a
  polars or pyarrow articles table is converted once, as the chart starts.
"""

from newsnb.viz.bars import providers, quality, reprints, stories, topics
from newsnb.viz.matrices import cooccurrence, heatmap
from newsnb.viz.scatter import lead_lag
from newsnb.viz.style import OTHER_COLOR, PALETTE, TEMPLATE, color_for, label_text
from newsnb.viz.text import attention, mix, terms
from newsnb.viz.timelines import gaps, provider_share, timeline

__all__ = [
    "OTHER_COLOR",
    "PALETTE",
    "TEMPLATE",
    "attention",
    "color_for",
    "cooccurrence",
    "gaps",
    "heatmap",
    "label_text",
    "lead_lag",
    "mix",
    "provider_share",
    "providers",
    "quality",
    "reprints",
    "stories",
    "terms",
    "timeline",
    "topics",
]
