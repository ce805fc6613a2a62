"""Charts of the text analyses: attention over time, distinguishing terms, the topic mix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from newsnb import analysis
from newsnb.analysis import Data, periods
from newsnb.analysis.distinctive import By
from newsnb.analysis.inputs import articles_table
from newsnb.analysis.volume import Queries, check_queries
from newsnb.errors import check_count
from newsnb.viz import style

__all__ = ["attention", "mix", "terms"]


def attention(
    data: Data,
    queries: Queries,
    freq: str | None = "auto",
    by: str | None = None,
    *,
    top: int = 6,
) -> go.Figure:
    """The share of all records that match each query, per period: one line per query.

    Plots :func:`newsnb.attention(data, queries, freq, by) <newsnb.analysis.attention>`;
    ``freq=None`` draws one bar per query (the share of the whole of ``data``).
    Hover shows the matching records and all records of the period.  With
    ``by="provider"`` (or another grouping) each of the ``top`` largest groups
    gets its own panel, its lines the share of *its* records (one shared scale,
    so the panels compare); with ``freq=None`` the bars of each query stand
    side by side per group.  With ``by``, ``freq="auto"`` suits the smallest
    panel drawn: a share of a handful of records jumps between 0 and 100%, so
    the period is the one :func:`newsnb.coverage` would pick for a tenth of that
    panel's records (about five records a bin, never under 60 bins over the
    span).  A query that matches no record keeps its line of
    zeros, named "(no match)"; when no query matches anything, or ``data`` has
    no record, the figure is empty and says why.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({
    ...     "title": ["AI act", "Cloud outage", "AI chips", "Budget"],
    ...     "excerpt": ["", "", "", "AI spending"],
    ...     "published_at": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-03-01", "2024-03-02"], utc=True),
    ...     "provider_name": ["A", "B", "A", "A"],
    ... })
    >>> fig = attention(articles, ["ai", "cloud"], freq="M")
    >>> [(t.name, t.y.tolist()) for t in fig.data]  # February published nothing: no share
    [('ai', [0.5, nan, 1.0]), ('cloud', [0.5, nan, 0.0])]
    >>> fig = attention(articles, "ai", freq=None, by="provider")
    >>> fig.data[0].x, fig.data[0].y.tolist()
    (('A', 'B'), [1.0, 0.0])
    >>> attention(articles, "xyz").layout.annotations[0].text
    "No record matches 'xyz'"
    """
    data = analysis.as_data(data)
    top = check_count(top, "top", what="groups to draw")
    if freq is not None:
        auto = by is not None and periods.check_freq(freq) == periods.AUTO
        freq = _panel_freq(data, by, top) if auto else style.need_freq(data, freq, "attention")
    labelled = check_queries(queries)
    table = analysis.attention(data, labelled, freq=freq, by=by)
    whose = f"each {style.what(by)}'s records" if by is not None else "records"
    title = f"Share of {whose} matching " + (
        f"each query, per {periods.FREQS[freq]}" if freq else "each query"
    )
    if table.empty:
        if not table.attrs.get("records"):
            return style.empty(title, style.no_records(data))
        if len(table.attrs.get("no_match", ())) == len(labelled):
            searched = " or ".join(repr(q) for q in labelled.values())
            matched = sum(table.attrs.get("matched", {}).values())
            lacking = " or ".join(
                w for w in ("date" if freq else "", style.what(by) if by else "") if w
            )
            message = (
                f"No record matching {searched} has a {lacking}"
                if matched
                else f"No record matches {searched}"
            )
            return style.empty(title, style.label_text(message))
        return style.empty(title, style.why_empty(data, table, by))
    no_match = set(table.attrs.get("no_match", ()))
    names = {q: style.label_text(q) + (" (no match)" if q in no_match else "") for q in labelled}
    of = (
        f"{style.what(by)} and period"
        if by is not None and freq
        else style.what(by)
        if by
        else "period"
    )
    subtitle = [f'matches / all records of the {of} (the search\'s syntax: words, "phrases")']
    if freq and table.attrs.get("missing_dates"):
        subtitle.append(f"{table.attrs['missing_dates']:,} records without a date are not shown")
    if by is not None:
        return _attention_by(table, names, by, freq, top, title, subtitle)
    fig = style.figure(title, style.join(*subtitle))
    hover = (
        "<b>%{fullData.name}</b><br>%{x}<br>%{y:.1%} of the records "
        "(%{customdata[0]:,} of %{customdata[1]:,})<extra></extra>"
    )
    for query, part in table.groupby("query", observed=True, sort=False):
        custom = np.column_stack([part["matches"], part["total"]])
        color = style.color_for(query, "query")
        if freq:
            x = style.naive_utc(part["period"])
            fig.add_scatter(x=x, y=part["share"].to_numpy(), name=names[str(query)],
                            mode="lines+markers" if len(x) <= 40 else "lines",
                            line={"color": color, "width": 2}, customdata=custom,
                            hovertemplate=hover)  # fmt: skip
        else:
            fig.add_bar(x=[style.label_text(query)], y=part["share"].to_numpy(),
                        name=names[str(query)], marker_color=color, customdata=custom,
                        hovertemplate=hover.replace("%{x}<br>", ""))  # fmt: skip
    fig.update_yaxes(tickformat=".0%", rangemode="tozero", title_text="Share of records")
    if freq:
        fig.update_layout(xaxis_title=style.period_axis(freq), hovermode="closest")
        style.time_axis(fig, style.naive_utc(table["period"].drop_duplicates()), freq)
    else:
        fig.update_layout(xaxis_title="Query", showlegend=False)
    return fig


def _panel_freq(data: Data, by: str | None, top: int) -> str:
    """``freq="auto"`` for per-group panels: the period that suits the smallest one drawn."""
    sizes = analysis.coverage(data, by=by)["count"].head(top)  # largest first, as the panels
    first, last, dated = articles_table(data).span("published_at")
    if not dated or not len(sizes):
        return style.need_freq(data, "auto", "attention")
    ends = periods.utc_values(pd.Series(pd.to_datetime([first, last], utc=True)))
    return periods.span_freq(ends[0], ends[1], max(int(sizes.min()) // 10, 1))


def _custom(part: pd.DataFrame, labels: list[str]) -> np.ndarray:
    """Each point's matches, total (numbers, for the hover's formats) and group label."""
    custom = np.empty((len(part), 3), dtype=object)
    custom[:, 0], custom[:, 1], custom[:, 2] = (
        part["matches"].tolist(),
        part["total"].tolist(),
        labels,
    )
    return custom


def _attention_by(
    table: pd.DataFrame,
    names: dict[str, str],
    by: str,
    freq: str | None,
    top: int,
    title: str,
    subtitle: list[str],
) -> go.Figure:
    """:func:`attention` per group: a panel of lines per group, or (no ``freq``) grouped bars."""
    totals = table.groupby(by, observed=True)["total"].max()  # a group's total, any query
    groups = [g for g in table[by].cat.categories if totals.get(g, 0) > 0]
    if len(groups) > top:
        subtitle = [
            *subtitle,
            f"the {top:,} {style.what(by)}s with the most records, of {len(groups):,}",
        ]
        groups = groups[:top]
    hover = (
        "<b>%{fullData.name}</b> · %{customdata[2]}<br>%{x}<br>%{y:.1%} of its records "
        "(%{customdata[0]:,} of %{customdata[1]:,})<extra></extra>"
    )
    shown = table[table[by].isin(groups)]
    if not freq:  # one bar per group and query, the queries side by side
        fig = style.figure(title, style.join(*subtitle), barmode="group")
        for query, part in shown.groupby("query", observed=True, sort=False):
            labels = style.names(part[by])
            fig.add_bar(x=labels, y=part["share"].to_numpy(), name=names[str(query)],
                        marker_color=style.color_for(query, "query"),
                        customdata=_custom(part, labels),
                        hovertemplate=hover.replace("<br>%{x}", ""))  # fmt: skip
        fig.update_yaxes(tickformat=".0%", rangemode="tozero", title_text="Share of its records")
        fig.update_layout(xaxis_title=style.what(by).capitalize())
        return fig
    cols = min(3, len(groups))
    rows = -(-len(groups) // cols)
    fig = make_subplots(
        rows=rows, cols=cols, shared_xaxes="all", shared_yaxes="all",
        subplot_titles=[style.label_text(g) for g in groups],
        horizontal_spacing=0.05, vertical_spacing=0.14 if rows > 1 else 0.0,
    )  # fmt: skip
    fig.update_layout(
        template=style.TEMPLATE, hovermode="closest", height=max(420, 150 + rows * 240),
        title={"text": title, "subtitle": {"text": style.join(*subtitle)}},
    )  # fmt: skip
    for i, group in enumerate(groups):
        label = style.label_text(group)
        for query, part in shown[shown[by] == group].groupby("query", observed=True, sort=False):
            x = style.naive_utc(part["period"])
            custom = _custom(part, [label] * len(part))
            fig.add_scatter(x=x, y=part["share"].to_numpy(), name=names[str(query)],
                            mode="lines+markers" if len(x) <= 40 else "lines",
                            line={"color": style.color_for(query, "query"), "width": 2},
                            legendgroup=str(query), showlegend=i == 0, customdata=custom,
                            hovertemplate=hover, row=i // cols + 1, col=i % cols + 1)  # fmt: skip
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    fig.update_yaxes(title_text="Share of its records", col=1)
    x = style.naive_utc(table["period"].drop_duplicates())
    for i in range(len(groups)):
        style.time_axis(fig, x, freq, axis=f"xaxis{i + 1}" if i else "xaxis")
    return fig


def terms(
    data: Data,
    by: By = "provider",
    *,
    groups: int = 6,
    top: int = 10,
    **options: Any,
) -> go.Figure:
    """The top distinguishing terms of each group: one panel of bars (z-scores) per group.

    Plots :func:`newsnb.terms(data, by, top=top, **options) <newsnb.analysis.terms>`
    for the ``groups`` largest groups.  A bar's length is the term's weighted
    log-odds z-score against the rest of the corpus (above about 2: clearly
    more often than the rest); hover shows its count, rate and log-odds.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({
    ...     "title": ["Rust is fast", "Rust ships", "Go is simple", "Go ships"],
    ...     "excerpt": ["", "", "", ""],
    ...     "provider_name": ["A", "A", "B", "B"],
    ... })
    >>> fig = terms(articles, min_count=1, ngrams=1, top=2)
    >>> [(t.name, list(t.y)) for t in fig.data]
    [('A', ['rust', 'fast']), ('B', ['go', 'simple'])]
    """
    data = analysis.as_data(data)
    groups = check_count(groups, "groups", what="panels to draw")
    table = analysis.terms(data, by=by, top=top, **options)
    column = table.attrs.get("by", "group")
    title = f"Distinguishing terms by {style.what(column)}" if column != "group" else (
        "Distinguishing terms of the selection"
    )  # fmt: skip
    if table.empty:
        return style.empty(title, style.no_records(data) if not len(analysis.articles_of(data))
                           else "No term is used often enough (lower min_count)")  # fmt: skip
    names = [g for g in table[column].cat.categories if (table[column] == g).any()][:groups]
    shown = [periods.labels(np.array([g], "datetime64[us]"), _freq(table))[0]
             if column == "period" else g for g in names]  # fmt: skip
    cols = min(3, len(names))
    rows = -(-len(names) // cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[style.label_text(s) for s in shown],
                        horizontal_spacing=0.12, vertical_spacing=0.12 if rows > 1 else 0.0)  # fmt: skip
    for i, (group, label) in enumerate(zip(names, shown)):
        part = table[table[column] == group]
        custom = np.column_stack([part["count"], part["rate"], part["log_odds"]])
        fig.add_bar(
            x=part["z"].to_numpy(), y=style.names(part["term"]), orientation="h",
            name=style.label_text(label), marker_color=style.color_for(label, column),
            customdata=custom, row=i // cols + 1, col=i % cols + 1,
            hovertemplate="<b>%{y}</b><br>z %{x:.1f}<br>%{customdata[0]:,} uses "
            "(%{customdata[1]:.2%} of the group's terms)<br>log-odds %{customdata[2]:.2f}"
            "<extra>%{fullData.name}</extra>",
        )  # fmt: skip
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(
        template=style.TEMPLATE,
        title={"text": title, "subtitle": {"text": "weighted log-odds z-score vs the rest of the "
               "corpus (Monroe et al. 2008); above 2: clearly more often"}},
        showlegend=False, height=max(380, 110 + rows * (40 + 22 * top)),
    )  # fmt: skip
    return fig


def _freq(table: pd.DataFrame) -> str:
    """The period of a ``terms(by="period")`` table, from the spacing of its periods."""
    starts = table["period"].drop_duplicates().sort_values()
    if len(starts) < 2:
        return "D"
    days = (starts.iloc[1] - starts.iloc[0]).days
    return (
        "D" if days < 7 else "W" if days < 28 else "M" if days < 90 else "Q" if days < 365 else "Y"
    )


def mix(data: Data, by: Sequence[str] = ("provider", "topic"), top: int = 15,
        min_records: int = 5) -> go.Figure:  # fmt: skip
    """Over- and under-representation: each provider's topic share over the corpus's, as a heatmap.

    Plots :func:`newsnb.mix(data, by, top=top, min_records=min_records)
    <newsnb.analysis.mix>`.  The colour diverges around 1 (the corpus's own
    mix) on a doubling scale: red cells get more than the corpus's share of
    attention, blue less, white as much; hover shows the index, the count and
    both shares.

    Examples
    --------
    >>> import pandas as pd
    >>> articles = pd.DataFrame({
    ...     "provider_name": ["A", "A", "A", "B"],
    ...     "topics": [["AI"], ["AI"], ["Cloud"], ["Cloud"]],
    ... })
    >>> fig = mix(articles, min_records=1)
    >>> fig.data[0].y, fig.data[0].customdata[..., 0].tolist()
    (('A', 'B'), [[1.3333333333333333, 0.6666666666666666], [0.0, 2.0]])
    """
    data = analysis.as_data(data)
    table = analysis.mix(data, by=by, top=top, min_records=min_records)
    row, col = by[0], by[1]
    title = f"Each {style.what(row)}'s {style.what(col)} mix against the corpus's"
    if table.empty:
        return style.empty(title, style.no_records(data) if not table.attrs["records"]
                           else f"No {style.what(row)} has {min_records:,} records or more")  # fmt: skip
    rows = list(table[row].cat.categories)
    cols = list(table[col].cat.categories)
    shape = (len(rows), len(cols))
    index = table["index"].to_numpy(dtype=float).reshape(shape)
    with np.errstate(divide="ignore"):
        z = np.clip(np.log2(index), -3, 3)  # 0 (never) shows as the darkest blue
    custom = np.stack(
        [index, table["count"].to_numpy().reshape(shape), table["share"].to_numpy().reshape(shape),
         table["corpus_share"].to_numpy().reshape(shape)], axis=-1,
    )  # fmt: skip
    fig = style.figure(
        title,
        f"share of the {style.what(row)}'s records / share of all records; "
        f"{style.what(row)}s with {min_records:,}+ records",
        height=max(400, 160 + 26 * len(rows)), width=max(600, 300 + 34 * len(cols)),
    )  # fmt: skip
    fig.add_heatmap(
        x=style.names(cols), y=style.names(rows), z=z, customdata=custom,
        colorscale="RdBu_r", zmid=0, zmin=-3, zmax=3,
        colorbar={"title": {"text": "Index"}, "tickvals": [-3, -2, -1, 0, 1, 2, 3],
                  "ticktext": ["⅛ or less", "¼", "½", "1", "2×", "4×", "8× or more"]},
        hovertemplate="<b>%{y}</b> · %{x}<br>index %{customdata[0]:.2f}<br>%{customdata[1]:,} "
        "records (%{customdata[2]:.1%} of its records; corpus %{customdata[3]:.1%})<extra></extra>",
    )  # fmt: skip
    fig.update_layout(
        xaxis_title=style.what(col).capitalize(), yaxis_title=style.what(row).capitalize()
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=-45)
    return fig
