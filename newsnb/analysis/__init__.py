"""The analysis core: pure functions from articles to tidy DataFrames and masks.

What was covered, by whom and when, and which records a view keeps.  Every
function takes the data first (see :mod:`~newsnb.analysis.inputs`) and returns
plain pandas values; nothing here draws, displays or imports a widget or a
cluster engine.

==========================  =====================================================
module                      what it holds
==========================  =====================================================
``inputs``                  what ``data`` may be; conversion of Arrow/polars tables
``engines``                 where the articles are: here, or with a plug-in engine
``periods``                 calendar periods in UTC: starts, ranges, labels, ``auto``
``counting``                the counting core (map, reduce, zero-fill) and :func:`coverage`
``pairs``                   :func:`cooccurrence`
``quiet``                   :func:`gaps`
``syndication``             :func:`stories`
``clusters``                the one frame of clusters that stories and reprints return
``reprints``                :func:`reprints`: near-duplicate texts by MinHash LSH (extra)
``lead_lag``                :func:`lead_lag`: who reports a story first, and the lags
``distribution``            :func:`histogram`
``filtering``               :func:`filter_articles` and the :class:`ArticleIndex`
``facets``                  facet counts that leave their own filter out
``tokens``                  the one tokenizer: words, terms (n-grams), shingles
``distinctive``             :func:`terms` (weighted log-odds) and the :class:`TermIndex`
``context``                 :func:`kwic` (keyword in context)
``volume``                  :func:`attention` (matches, total, share)
``representation``          :func:`mix` (over/under-representation index)
==========================  =====================================================

Examples
--------
>>> import pandas as pd
>>> from newsnb import analysis
>>> articles = pd.DataFrame({"topics": [["AI"], ["AI", "Cloud"]]})
>>> analysis.coverage(articles, by="topic")["count"].tolist()
[2, 1]
"""

from newsnb.analysis.context import kwic
from newsnb.analysis.counting import OTHER, coverage, resolve_freq
from newsnb.analysis.distinctive import TermIndex, terms
from newsnb.analysis.distribution import histogram
from newsnb.analysis.facets import Facets, facet_counts
from newsnb.analysis.filtering import ArticleIndex, filter_articles, parse_query
from newsnb.analysis.inputs import TOPIC, Data, articles_of, as_data, group_column
from newsnb.analysis.lead_lag import lead_lag
from newsnb.analysis.pairs import cooccurrence
from newsnb.analysis.quiet import gaps
from newsnb.analysis.representation import mix
from newsnb.analysis.reprints import reprints
from newsnb.analysis.syndication import stories
from newsnb.analysis.volume import attention

__all__ = [
    "OTHER",
    "TOPIC",
    "ArticleIndex",
    "Data",
    "Facets",
    "TermIndex",
    "articles_of",
    "as_data",
    "attention",
    "cooccurrence",
    "coverage",
    "facet_counts",
    "filter_articles",
    "gaps",
    "group_column",
    "histogram",
    "kwic",
    "lead_lag",
    "mix",
    "parse_query",
    "reprints",
    "resolve_freq",
    "stories",
    "terms",
]
