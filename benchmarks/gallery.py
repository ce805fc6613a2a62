"""Render the README gallery: one PNG per chart of :mod:`newsnb.charts`.

    .venv/bin/python benchmarks/gallery.py [--out docs/gallery] [--records 3000] [--real]

Uses ``newsnb.sample(n, seed=0)`` (or, with ``--real`` or while the sample
corpus does not exist, the real corpus in ../shared/corpora/powerapps-news).
PNGs are rendered by kaleido with Debian's Chromium; the figures' backgrounds
are transparent, so they are drawn here on white for the README (pass
``--dark`` to check them on JupyterLab's dark background).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import plotly.io as pio

import newsnb
from newsnb import charts

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "corpora" / "powerapps-news"


def corpus(records: int, real: bool) -> newsnb.Corpus:
    return newsnb.load(REAL) if real else newsnb.sample(records, seed=0)


def figures(data: newsnb.Corpus) -> dict[str, object]:
    return {
        "topics": charts.topics(data, top=12),
        "providers": charts.providers(data, top=12),
        "timeline": charts.timeline(data, freq="W"),
        "timeline-by-topic": charts.timeline(data, by="topic", freq="M", top=6),
        "heatmap": charts.heatmap(data, by="topic", freq="M", top=12),
        "cooccurrence": charts.cooccurrence(data, top=12),
        "provider-share": charts.provider_share(data, freq="Q", top=8),
        "gaps": charts.gaps(data, by="provider", freq="M", top=12),
        "quality": charts.quality(data),
        "stories": charts.stories(data, top=10),
    }


def text_figures(data: newsnb.Corpus) -> dict[str, object]:
    """The text charts (issue 15)."""
    return {
        "attention": charts.attention(data, ["chatbot", '"data centre"', "quantum"], freq="M"),
        "terms": charts.terms(data, by="provider", groups=6, top=8),
        "mix": charts.mix(data, top=12),
    }


def timing_figures(records: int, real: bool) -> dict[str, object]:
    """The charts of reprints and who breaks the news (issue 15), on the sample with
    planted reprints (``reprints=0.1``)."""
    data = newsnb.load(REAL) if real else newsnb.sample(records, seed=0, reprints=0.1)
    stories = newsnb.stories(data, text=True)
    return {
        "reprints": charts.reprints(data, top=10),
        "lead-lag": charts.lead_lag(data, stories, min_stories=3 if real else 5),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "gallery")
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--real", action="store_true", help="chart the real corpus")
    parser.add_argument("--dark", action="store_true", help="draw on a dark background")
    parser.add_argument(
        "--only", choices=["coverage", "text", "timing"], help="render one group of charts"
    )
    args = parser.parse_args()
    os.environ.setdefault("BROWSER_PATH", "/usr/bin/chromium")  # kaleido's Chrome
    args.out.mkdir(parents=True, exist_ok=True)
    background, ink = ("#111111", "#b0b0b0") if args.dark else ("white", None)
    data = corpus(args.records, args.real)
    figs = {
        **(figures(data) if args.only in (None, "coverage") else {}),
        **(text_figures(data) if args.only in (None, "text") else {}),
        **(timing_figures(args.records, args.real) if args.only in (None, "timing") else {}),
    }
    for fig in figs.values():
        fig.update_layout(paper_bgcolor=background, plot_bgcolor=background)  # type: ignore[attr-defined]
        if ink:
            fig.update_layout(font_color=ink)  # type: ignore[attr-defined]
    paths = [args.out / f"{name}.png" for name in figs]
    pio.write_images(list(figs.values()), paths, width=900, height=None, scale=1)
    for path in paths:
        print(path)


if __name__ == "__main__":
    main()
