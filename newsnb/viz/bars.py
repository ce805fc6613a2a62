"""Bar charts of groups: topics, providers, stories, reprints, and the quality and heat
distributions."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from newsnb import analysis
from newsnb.analysis import OTHER, Data
from newsnb.errors import check_count
from newsnb.viz import style

__all__ = ["providers", "quality", "reprints", "stories", "topics"]


def _group_bars(
    by: str,
    counts: pd.Series,
    groups: pd.Series,
    share: np.ndarray,
    of: str,
    title: str,
    subtitle: str,
    axis: str,
) -> go.Figure:
    raw = style.raw(groups)
    text = [f"{s:.1%}" for s in share]  # one label per bar
    fig = style.figure(title, subtitle, height=max(320, 60 + 28 * len(raw)))
    fig.add_bar(
        x=counts.to_numpy(),
        y=style.names(raw),
        orientation="h",
        marker_color=[style.color_for(g, by) for g in raw],
        text=text,
        textposition="outside",
        cliponaxis=False,
        customdata=np.column_stack([raw, share]),
        hovertemplate=f"<b>%{{y}}</b><br>%{{x:,}} records (%{{customdata[1]:.1%}} of {of})<extra></extra>",
    )
    fig.update_layout(
        xaxis_title="Records", yaxis_title=axis, yaxis_autorange="reversed", showlegend=False
    )
    style.whole_ticks(fig, float(counts.max()))
    return fig


def topics(data: Data, top: int = 15) -> go.Figure:
    """Bar chart of the most frequent topics, labelled with their share of records.

    A record with several topics counts under each of them, so the shares can
    add up to more than 100%.  Plots :func:`newsnb.coverage(data, by="topic")
    <newsnb.analysis.coverage>` (its first ``top`` rows).

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({
    ...     "published_at": pd.to_datetime(["2024-01-01", "2024-01-20", "2024-03-05"], utc=True),
    ...     "provider_name": ["Wire", "Daily", "Wire"],
    ...     "topics": [["AI", "Cloud"], ["AI"], ["Cloud"]],
    ... })
    >>> fig = topics(articles)
    >>> fig.data[0].y, fig.data[0].x.tolist(), fig.data[0].text
    (('AI', 'Cloud'), [2, 2], ('66.7%', '66.7%'))
    """
    data = analysis.as_data(data)
    title = "Records per topic"
    counts = analysis.coverage(data, by="topic")
    n = len(analysis.articles_of(data))
    if counts.empty:
        return style.empty(
            title, style.no_records(data) if n == 0 else "None of these records has a topic"
        )
    shown = counts.head(check_count(top, "top", what="the bars to show"))
    if len(shown) < len(counts):
        title += f" (top {len(shown)} of {len(counts):,})"
    share = shown["count"].to_numpy() / n
    subtitle = style.join(
        f"Share of the {n:,} records; a record counts under each of its topics",
        style.left_out(counts, "topic"),
    )
    return _group_bars(
        "topic", shown["count"], shown["topic"], share, "records", title, subtitle, "Topic"
    )


def providers(data: Data, top: int = 15) -> go.Figure:
    """Bar chart of the providers with most records; the rest summed as ``"other"``.

    Plots :func:`newsnb.coverage(data, by="provider", top=top, normalize=True)
    <newsnb.analysis.coverage>`.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({
    ...     "published_at": pd.to_datetime(["2024-01-01", "2024-01-20", "2024-03-05"], utc=True),
    ...     "provider_name": ["Wire", "Daily", "Wire"],
    ...     "topics": [["AI", "Cloud"], ["AI"], ["Cloud"]],
    ... })
    >>> fig = providers(articles, top=1)
    >>> fig.data[0].y, fig.data[0].x.tolist()
    (('Wire', 'other'), [2, 1])
    """
    data = analysis.as_data(data)
    title = "Records per provider"
    counts = analysis.coverage(data, by="provider", top=top, normalize=True)
    if counts.empty:
        return style.empty(title, style.no_records(data))
    if counts["provider"].iloc[-1] == OTHER or str(counts["provider"].iloc[-1]).startswith(
        f"{OTHER} ("
    ):
        title += f" (top {len(counts) - 1}, the rest as other)"
    subtitle = style.join(
        f"{int(counts['count'].sum()):,} records", style.left_out(counts, "provider")
    )
    return _group_bars(
        "provider",
        counts["count"],
        counts["provider"],
        counts["share"].to_numpy(),
        "records",
        title,
        subtitle,
        "Provider",
    )


def quality(data: Data, bins: int = 30) -> go.Figure:
    """Distributions of the records' ``quality`` and ``heat`` scores, side by side.

    Plots :func:`newsnb.analysis.histogram` of each column (whole-number bins).

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({"quality": pd.array([10, 12, 40], dtype="Int64"),
    ...                          "heat": pd.array([5, None, 7], dtype="Int64")})
    >>> fig = quality(articles, bins=2)
    >>> [(trace.name, trace.y.tolist()) for trace in fig.data]
    [('quality', [2, 1]), ('heat', [1, 1])]
    """
    data = analysis.as_data(data)
    title = "Distribution of quality and heat"
    articles = analysis.articles_of(data)
    columns = [c for c in ("quality", "heat") if c in articles.columns]
    hists = {c: analysis.histogram(articles, c, bins=bins) for c in columns}
    if not any(len(h) for h in hists.values()):
        message = (
            style.no_records(data)
            if len(articles) == 0
            else "These records have no quality or heat score"
        )
        return style.empty(title, message)
    notes = [
        f"{h.attrs['missing']:,} records without {c}"
        for c, h in hists.items()
        if h.attrs["missing"]
    ]
    fig = make_subplots(rows=1, cols=len(columns), subplot_titles=[c.capitalize() for c in columns])
    fig.update_layout(
        template=style.TEMPLATE,
        title={"text": title, "subtitle": {"text": style.join(*notes)}},
        showlegend=False,
        bargap=0.05,
    )
    for i, (column, hist) in enumerate(hists.items(), start=1):
        left, right = hist["left"].to_numpy(), hist["right"].to_numpy()
        integer = pd.api.types.is_integer_dtype(hist["left"].dtype)
        upper = right - 1 if integer else right
        fig.add_bar(
            name=column,
            x=(left + right) / 2,
            y=hist["count"].to_numpy(),
            width=right - left,
            marker_color=style.PALETTE[i - 1],
            customdata=np.column_stack([left, upper]),
            hovertemplate=f"{column} %{{customdata[0]}} to %{{customdata[1]}}<br>%{{y:,}} records<extra></extra>",
            row=1,
            col=i,
        )
        fig.update_xaxes(title_text=column.capitalize(), row=1, col=i)
        fig.update_yaxes(title_text="Records" if i == 1 else None, row=1, col=i)
    return fig


def _short(text: Any, limit: int = 70) -> str:
    value = "" if text is None or pd.isna(text) else str(text)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def stories(data: Data, top: int = 15, text: bool | pd.DataFrame = False) -> go.Figure:
    """The largest stories: records linked by related URLs or the same title across providers.

    Plots :func:`newsnb.stories(data, text=text) <newsnb.analysis.stories>`
    (its first ``top`` rows): bar length is the number of records, the label
    the number of providers.  ``customdata[0]`` of each bar is the story number.
    ``text`` is ``stories``': ``True`` finds the reprints by their text, a frame
    :func:`newsnb.reprints` returned folds in those clusters without finding them again.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({
    ...     "title": ["Chipmaker opens a new plant", "Chipmaker opens a new plant!", "Other"],
    ...     "provider_name": ["Wire", "Daily", "Wire"],
    ...     "published_at": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"], utc=True),
    ... })
    >>> fig = stories(articles)
    >>> fig.data[0].y, fig.data[0].x.tolist()
    (('#1 Chipmaker opens a new plant',), [2])
    """
    data = analysis.as_data(data)
    found = analysis.stories(data, text=text)
    subtitle = "Records listing the same related URL or each other, or with one title from several providers"
    if isinstance(text, pd.DataFrame) or text is True:
        subtitle = "Records with near-duplicate texts, " + subtitle[0].lower() + subtitle[1:]
    return _cluster_bars(
        data, found, top, "Largest stories", subtitle, "No story links two records here"
    )


#: How each kind of link reads in a hover label.
_VIA = {"text": "near-duplicate text", "title": "same title", "url": "related URLs"}


def _cluster_bars(
    data: Data,
    found: pd.DataFrame,
    top: int,
    title: str,
    subtitle: str,
    none: str,
    axis: str = "Records in the story",
) -> go.Figure:
    """Horizontal bars of the largest clusters of :func:`stories` or :func:`reprints`."""
    if found.empty:
        message = style.no_records(data) if len(analysis.articles_of(data)) == 0 else none
        return style.empty(title, message)
    shown = found.head(check_count(top, "top", what="the bars to show"))
    if len(shown) < len(found):
        title += f" (top {len(shown)} of {len(found):,})"
    labels = [
        f"#{s} {style.label_text(_short(t, 60))}" for s, t in zip(shown["story"], shown["title"])
    ]
    providers = [style.label_text(_short(", ".join(map(str, p)), 120)) for p in shown["providers"]]
    if "via" in shown.columns:
        via = [" and ".join(_VIA[v] for v in vs) for vs in shown["via"]]
    else:  # reprints: the similarity of their texts
        via = [f"near-duplicate text (similarity {s:.2f})" for s in shown["similarity"]]
    first = pd.DatetimeIndex(shown["first_seen"]).strftime("%Y-%m-%d %H:%M UTC")
    last = pd.DatetimeIndex(shown["last_seen"]).strftime("%Y-%m-%d %H:%M UTC")
    fig = style.figure(title, subtitle, height=max(320, 60 + 30 * len(shown)))
    fig.add_bar(
        x=shown["size"].to_numpy(),
        y=labels,
        orientation="h",
        marker_color=style.PALETTE[0],
        text=[f"{n} provider{'s' if n != 1 else ''}" for n in shown["n_providers"]],
        textposition="outside",
        cliponaxis=False,
        customdata=np.column_stack([shown["story"].to_numpy(), providers, first, last, via]),
        hovertemplate=(
            "<b>%{y}</b><br>%{x:,} records from %{customdata[1]}"
            "<br>first seen %{customdata[2]}<br>last seen %{customdata[3]}"
            "<br>linked by %{customdata[4]}<extra></extra>"
        ),
    )
    fig.update_layout(xaxis_title=axis, yaxis_title=None, showlegend=False)
    style.whole_ticks(fig, float(shown["size"].max()))
    fig.update_yaxes(autorange="reversed")
    return fig


def reprints(
    data: Data, top: int = 15, clusters: pd.DataFrame | None = None, **options: Any
) -> go.Figure:
    """The largest clusters of reprints found by their text (:func:`newsnb.reprints`).

    ``options`` go to :func:`newsnb.reprints` (``threshold``, ``fields``,
    ...); or pass ``clusters``, a frame it returned for ``data``, to draw those
    without finding them again.  Bar length is the number of records, the label
    the number of providers; the hover gives the providers, the first and last
    record and the texts' mean similarity.  ``customdata[0]`` of each bar is the
    cluster number.  Needs the ``newsnb[reprints]`` extra (unless ``clusters`` is given).

    Examples
    --------
    >>> import pandas as pd
    >>> text = "The city council voted on Tuesday to approve a budget of 4 million for schools"
    >>> articles = pd.DataFrame({
    ...     "title": ["Council approves budget", "Local schools win big"],
    ...     "excerpt": [text, text],
    ...     "provider_name": ["Wire", "Daily"],
    ...     "published_at": pd.to_datetime(["2024-01-01", "2024-01-02"], utc=True),
    ... })
    >>> fig = reprints(articles)
    >>> fig.data[0].y, fig.data[0].x.tolist()
    (('#1 Council approves budget',), [2])
    """
    data = analysis.as_data(data)
    if clusters is not None and options:
        raise ValueError(
            f"charts.reprints got clusters and {sorted(options)}: the options are for finding "
            "the clusters; pass them to newsnb.reprints(...) and its frame as clusters="
        )
    found = analysis.reprints(data, **options) if clusters is None else clusters
    return _cluster_bars(
        data,
        found,
        top,
        "Largest reprint clusters",
        "Records whose title and excerpt are near-duplicates (MinHash LSH over word 3-shingles)",
        "No two records have near-duplicate texts here",
        "Records in the cluster",
    )
