"""The standalone report's stylesheet, its one script (filter and sort the records table),
and how a chart is embedded: plotly.js once, every ``<script`` with the page's nonce.
"""

from __future__ import annotations

import re
from typing import Any

from plotly.offline import get_plotlyjs

from newsnb.viz.html import escape

__all__ = ["CSS", "SEARCH_JS", "figure_html", "with_nonce"]


def with_nonce(html: str, nonce: str) -> str:
    """Every ``<script`` of ``html`` with the report's nonce (its policy runs no other)."""
    return re.sub(r"<script\b", f'<script nonce="{nonce}"', html)


def figure_html(figure: Any, name: str, heading: str, first: bool, *, cdn: bool, nonce: str) -> str:
    """One chart of the page; the ``first`` carries plotly.js (or its CDN tag)."""
    include: bool | str = ("cdn" if cdn else True) if first else False
    html = figure.to_html(
        full_html=False,
        include_plotlyjs=include,
        div_id=f"newsnb-chart-{name}",
        config={"displaylogo": False, "responsive": True},
    )
    if include is True:
        # the bundle holds no "<script"; only plotly's own tags around it get the nonce
        bundle = get_plotlyjs()
        head, found, tail = html.partition(bundle)
        html = with_nonce(head, nonce) + found + with_nonce(tail, nonce)
    else:
        html = with_nonce(html, nonce)
    # the figure carries its own title; the heading names it for screen readers
    return f'<figure class="chart" id="chart-{name}" aria-label="{escape(heading)}">{html}</figure>'


SEARCH_JS = """
(function () {
  var input = document.getElementById("newsnb-search");
  var count = document.getElementById("newsnb-count");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#newsnb-records tbody tr"));
  var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
  input.addEventListener("input", function () {
    var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var hit = words.every(function (w) { return texts[i].indexOf(w) >= 0; });
      rows[i].hidden = !hit;
      if (hit) { shown++; }
    }
    count.textContent = shown.toLocaleString() + " of " + rows.length.toLocaleString() + " rows";
  });
  // a click on a column heading sorts by it (numbers as numbers, empty cells last);
  // a second click reverses the order
  var body = document.querySelector("#newsnb-records tbody");
  var heads = document.querySelectorAll("#newsnb-records thead th");
  Array.prototype.forEach.call(heads, function (th, col) {
    th.tabIndex = 0;
    th.title = "Sort by this column";
    var sort = function () {
      var up = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      var keyed = rows.map(function (r, i) {
        var text = r.cells[col].textContent.trim(), num = Number(text.replace(/,/g, ""));
        return { row: r, i: i, text: text, num: text !== "" && isFinite(num) ? num : null };
      });
      keyed.sort(function (a, b) {
        if (a.text === "" || b.text === "") { return (a.text === "") - (b.text === "") || a.i - b.i; }
        var c = a.num !== null && b.num !== null ? a.num - b.num : a.text.localeCompare(b.text);
        return (up ? c : -c) || a.i - b.i;
      });
      keyed.forEach(function (k) { body.appendChild(k.row); });
    };
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
  });
})();
"""

CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
  color: #1f2933; background: #fff; }
header, main { max-width: 1200px; margin: 0 auto; padding: 0 1.5rem; }
header { padding-top: 1rem; border-bottom: 1px solid #e4e7eb; }
h1 { font-size: 1.6rem; margin: .5rem 0; } h2 { margin-top: 2rem; } h3 { margin: 1rem 0 .25rem; }
.meta { color: #616e7c; } nav { margin: .5rem 0 1rem; } a { color: #0b69a3; }
.stats { display: flex; flex-wrap: wrap; gap: .75rem; }
.stat { border: 1px solid #e4e7eb; border-radius: 6px; padding: .5rem .9rem; min-width: 7rem; }
.stat .value { font-size: 1.25rem; font-weight: 600; } .stat .label { color: #616e7c; }
figure.chart { margin: 1rem 0 2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #e4e7eb; }
th { background: #f5f7fa; position: sticky; top: 0; }
.records-wrap { max-height: 80vh; overflow: auto; border: 1px solid #e4e7eb; }
.records td:first-child, td time { white-space: nowrap; }
.excerpt { color: #616e7c; font-size: .9em; display: -webkit-box; -webkit-line-clamp: 2;
  -webkit-box-orient: vertical; overflow: hidden; }
#newsnb-search { font: inherit; padding: .35rem .5rem; width: min(30rem, 100%); }
.records th { cursor: pointer; user-select: none; }
.records th[aria-sort="ascending"]::after { content: " \\25B2"; }
.records th[aria-sort="descending"]::after { content: " \\25BC"; }
"""
