"""What an analyst waits for: the Explorer in JupyterLab 4 and Debian's Chromium.

Run:  .venv/bin/python benchmarks/explorer_browser.py [--runs 5] [--corpus PATH ...]

For each corpus (the real powerapps-news corpus, the two seed records, a
100,000-record sample corpus, and any ``--corpus`` folder) a notebook loads
the corpus in its first cell (not timed) and shows ``newsnb.Explorer(corpus)``
in its second.  Each run opens the notebook in a new page and measures, in the
page's own clock (``performance.now()``, polled every animation frame):

- first display: from running the Explorer's cell to the Explorer drawn, the
  count on screen and every chart drawn at its box's size;
- bar click -> count: from the mouse-down on the second topic bar to the new
  count on screen; -> charts: to every chart redrawn for it;
- facet pick -> count / charts: the same for ticking a provider in its list.

It also loads the two plotly.js bundles side by side in a blank page (the
plotly package's full one and the basic one the Explorer sends) and times
importing the module, evaluating plotly.js and drawing a first bar chart:
the reason the Explorer sends the basic bundle.

Widget-state bytes are summed over every widget one Explorer creates
(``len(json.dumps(w.get_state()))``), and the growth of a saved notebook with
one Explorer is measured by executing it with nbclient (which stores the
widget state as JupyterLab's "save widget state" does) with and without the
Explorer cell.  Medians of the runs; wall time (a browser and a kernel: CPU
time of one process would not say what the analyst waits for), with the load
average printed, since the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests"))

from _common import machine  # noqa: E402

TARGETS = {"small": 2.0, "large": 4.0, "state_mb": 6.0, "count_ms": 300.0, "charts_ms": 1000.0}

# Run the Explorer's cell and resolve, in the page's clock, when it is drawn.
_FIRST_DISPLAY = """
async (cell) => {
  const panel = window.jupyterapp.shell.currentWidget;
  panel.content.activeCellIndex = cell;
  const drawn = () => {
    const root = document.querySelector('.newsnb-explorer');
    if (!root || root.dataset.charts === undefined) return false;
    const count = root.querySelector('.newsnb-count');
    if (!count || !/ of [\\d,]+ records/.test(count.textContent)) return false;
    return [...root.querySelectorAll('.nx-chart')].every(c => {
      const svg = c.querySelector('svg.main-svg');
      const box = c.querySelector('.nx-plot').getBoundingClientRect().width;
      return svg && Math.abs(svg.getBoundingClientRect().width - box) <= 3;
    });
  };
  const start = performance.now();
  window.jupyterapp.commands.execute('notebook:run-cell');
  return await new Promise(resolve => {
    const poll = () => drawn() ? resolve(performance.now() - start) : requestAnimationFrame(poll);
    requestAnimationFrame(poll);
  });
}
"""
# Arm a timer on the next mousedown; resolve with [to count, to charts] in ms.
_ARM = """
() => {
  const root = document.querySelector('.newsnb-explorer');
  const count = root.querySelector('.newsnb-count');
  window.__newsnbTiming = new Promise(resolve => {
    let start = null, counted = null;
    const before = count.textContent, charts = root.dataset.charts;
    document.addEventListener('mousedown', () => { start = performance.now(); }, {capture: true, once: true});
    const poll = () => {
      if (start !== null && counted === null && count.textContent !== before) counted = performance.now() - start;
      if (counted !== null && root.dataset.charts !== charts) resolve([counted, performance.now() - start]);
      else requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  });
}
"""


_BUNDLE = """
async (code) => {
  const src = "export function load() { const module = {exports: {}}; "
    + "const exports = module.exports; const define = undefined;\\n" + code
    + "\\n;return module.exports; }";
  const url = URL.createObjectURL(new Blob([src], {type: "text/javascript"}));
  const t0 = performance.now();
  const m = await import(url);
  const t1 = performance.now();
  const P = m.load();
  const t2 = performance.now();
  await P.newPlot("g", [{type: "bar", x: [3, 1, 2], y: ["a", "b", "c"], orientation: "h"}],
                  {width: 600, height: 300});
  return [t1 - t0, t2 - t1, performance.now() - t2];
}
"""


def bundles(browser: Any, runs: int) -> dict[str, list[list[float]]]:
    """Import / evaluate / first-plot times of the full and the basic plotly.js bundle."""
    import plotly

    from newsnb.app import view

    texts = {
        "full (plotly package)": (
            Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
        ).read_text(),
        "basic (sent)": view.plotly_js(),
    }
    out: dict[str, list[list[float]]] = {name: [] for name in texts}
    for _ in range(runs):
        for name, code in texts.items():  # alternate, so both see the same load
            page = browser.new_page()
            page.set_content("<div id='g' style='width:600px'></div>")
            out[name].append(page.evaluate(_BUNDLE, code))
            page.close()
    return out


def widget_state_bytes(corpus: Any) -> tuple[int, int]:
    """Bytes of widget state one Explorer creates, and how many widgets."""
    import ipywidgets

    import newsnb

    instances = ipywidgets.widgets.widget._instances
    before = set(instances)
    newsnb.Explorer(corpus)
    made = [w for k, w in instances.items() if k not in before]
    return sum(len(json.dumps(w.get_state())) for w in made), len(made)


def notebook_growth(load: str, folder: Path) -> int:
    """Bytes a saved notebook gains from one Explorer (widget state stored, as nbclient does)."""
    import nbformat
    from _lab import write_notebook
    from nbclient import NotebookClient

    sizes = []
    for cells in ((load,), (load, "newsnb.Explorer(corpus)")):
        path = write_notebook(folder / f"growth-{len(cells)}.ipynb", *cells)
        notebook = nbformat.read(path, as_version=4)
        NotebookClient(
            notebook, timeout=600, kernel_name="python3", store_widget_state=True
        ).execute()
        sizes.append(len(nbformat.writes(notebook).encode("utf-8")))
    return sizes[1] - sizes[0]


def measure(server: Any, browser: Any, name: str, runs: int) -> dict[str, list[float]]:
    from _lab import open_notebook, run_cell

    out: dict[str, list[float]] = {
        k: [] for k in ("first", "bar_count", "bar_charts", "pick_count", "pick_charts")
    }
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1440, "height": 1300})
        page = context.new_page()
        try:
            open_notebook(page, server, name, timeout=300_000)
            run_cell(page, 0)  # load the corpus (not timed)
            page.wait_for_function(
                """() => { const p = window.jupyterapp.shell.currentWidget;
                  const c = p.content.widgets[0];
                  return c.model.executionCount !== null
                    && p.sessionContext.session.kernel.status === 'idle'; }""",
                timeout=600_000,
            )
            out["first"].append(page.evaluate(_FIRST_DISPLAY, 1))
            root = page.locator(".newsnb-explorer")
            page.wait_for_function(
                "el => el.dataset.charts !== undefined", arg=root.element_handle()
            )
            names = json.loads(
                root.locator(".nx-chart[data-chart=topics]").get_attribute("data-names") or "[]"
            )
            for kind, target in (
                ("bar", root.locator(".nx-chart[data-chart=topics] .point path").nth(1)),
                ("pick", root.locator(".newsnb-providers .nx-choice").nth(1)),
            ):
                if kind == "bar" and len(names) < 2:
                    continue
                for _again in range(2):  # pick, then undo: both are clicks an analyst makes
                    page.evaluate(_ARM)
                    box = target.bounding_box()
                    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
                    counted, charts = page.evaluate("() => window.__newsnbTiming")
                    out[f"{kind}_count"].append(counted)
                    out[f"{kind}_charts"].append(charts)
        finally:
            context.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", action="append", default=[], type=Path, metavar="PATH")
    parser.add_argument(
        "--sample", type=int, default=100_000, help="records of the sample (0: none)"
    )
    args = parser.parse_args()

    from _lab import CHROMIUM, CHROMIUM_ARGS, jupyter, write_notebook
    from playwright.sync_api import sync_playwright

    import newsnb

    shared = REPO.parent / "shared" / "corpora"
    real, seeds = shared / "powerapps-news", shared / "seeds"
    # (label, the notebook's load line, the same load here)
    corpora: list[tuple[str, str, Any]] = [
        ("powerapps-news", f"newsnb.load({str(real)!r})", lambda: newsnb.load(real)),
        (
            "seeds",
            f"newsnb.load({str(seeds)!r}, pattern='*.txt')",
            lambda: newsnb.load(seeds, pattern="*.txt"),
        ),
    ]
    if args.sample:
        from explorer import sample_corpus

        sample_corpus(args.sample)  # written once as Parquet under benchmarks/data
        parquet = HERE / "data" / f"explorer-sample-{args.sample}.parquet"
        corpora.append(
            (
                f"sample {args.sample:,}",
                f"newsnb.read_parquet({str(parquet)!r})",
                lambda: newsnb.read_parquet(parquet),
            )
        )
    for folder in args.corpus:
        path = folder.resolve()
        corpora.append(
            (folder.name, f"newsnb.load({str(path)!r})", lambda path=path: newsnb.load(path))
        )

    print(f"Explorer in the browser: JupyterLab 4 + Chromium, {args.runs} runs; {machine()}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="newsnb-bench-") as tmp:
        root, state = Path(tmp, "root"), Path(tmp, "state")
        root.mkdir()
        state.mkdir()
        for i, (_label, load, _loader) in enumerate(corpora):
            write_notebook(
                root / f"c{i}.ipynb", f"import newsnb\ncorpus = {load}", "newsnb.Explorer(corpus)"
            )
        with jupyter("lab", root, state) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            try:
                loaded = bundles(browser, args.runs)
                for i, (label, load, loader) in enumerate(corpora):
                    started = time.perf_counter()
                    corpus = loader()
                    n = len(corpus)
                    state_bytes, widgets = widget_state_bytes(corpus)
                    growth = notebook_growth(f"import newsnb\ncorpus = {load}", Path(tmp))
                    timings = measure(server, browser, f"c{i}.ipynb", args.runs)
                    med = {
                        k: statistics.median(v) if v else float("nan") for k, v in timings.items()
                    }
                    rows.append((label, n, state_bytes, widgets, growth, med))
                    print(
                        f"  {label}: {n:,} records, done in {time.perf_counter() - started:.0f} s; "
                        f"load average {os.getloadavg()[0]:.1f}",
                        flush=True,
                    )
            finally:
                browser.close()

    print(
        f"\n  {'corpus':<16} {'records':>8} {'first display':>13} {'widget state':>12} "
        f"{'notebook +':>10} {'bar->count':>10} {'bar->charts':>11} "
        f"{'pick->count':>11} {'pick->charts':>12}"
    )
    for label, n, state_bytes, _widgets, growth, med in rows:
        print(
            f"  {label:<16} {n:>8,} {med['first'] / 1000:>12.2f}s {state_bytes / 1e6:>10.2f}MB "
            f"{growth / 1e6:>8.2f}MB {med['bar_count']:>8.0f}ms {med['bar_charts']:>9.0f}ms "
            f"{med['pick_count']:>9.0f}ms {med['pick_charts']:>10.0f}ms"
        )
    print(
        f"\n  {'plotly.js bundle':<22} {'MB':>5} {'import':>8} {'evaluate':>9} {'first plot':>10}"
    )
    import plotly

    from newsnb.app import view

    full = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    sizes = {
        "full (plotly package)": full.stat().st_size,
        "basic (sent)": len(view.plotly_js().encode("utf-8")),
    }
    for name, times in loaded.items():
        med = [statistics.median(t[k] for t in times) for k in range(3)]
        print(
            f"  {name:<22} {sizes[name] / 1e6:>5.1f} {med[0]:>6.0f}ms {med[1]:>7.0f}ms "
            f"{med[2]:>8.0f}ms"
        )
    print(
        f"\n  widgets per Explorer: {sorted({r[3] for r in rows})}; medians of {args.runs} runs "
        f"(clicks: {2 * args.runs} each); load average now {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores"
    )
    print(
        f"  targets: first display < {TARGETS['small']:.0f} s (small corpora), "
        f"< {TARGETS['large']:.0f} s (100k); widget state < {TARGETS['state_mb']:.0f} MB; "
        f"click -> count < {TARGETS['count_ms']:.0f} ms; -> charts < {TARGETS['charts_ms']:.0f} ms"
    )


if __name__ == "__main__":
    main()
