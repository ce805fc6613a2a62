"""What analysts look at: plotly charts, escaped HTML, and the standalone report.

============  ==============================================================
module        what it holds
============  ==============================================================
``charts``    the public chart functions (``newsnb.charts``), one per analysis
``style``     what every chart shares: colours, template, label escaping, axes
``bars``      topics, providers, stories, quality and heat
``timelines`` records over time, provider shares, coverage gaps
``matrices``  topic x period heatmap, topic co-occurrence
``html``      the HTML renderer: escaping, safe links, record cards
``reporting`` the standalone HTML report (``newsnb.report``)
============  ==============================================================

Everything here draws what :mod:`newsnb.analysis` computes and returns it
(a figure, a string); nothing displays it.
"""
