"""Escaped HTML for everything newsnb shows: summaries, cards, tables.

Every string that came from a record passes through :func:`escape` before it
reaches HTML, and only ``http``/``https`` URLs become links or image sources
(:func:`safe_url`).  Nothing in this module inserts record text raw.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

__all__ = ["escape", "link", "safe_url", "summary_html"]


def escape(value: Any) -> str:
    """HTML-escape any value (``None`` and missing values become ``""``).

    Examples
    --------
    >>> escape("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    """
    if value is None or (not isinstance(value, (list, dict, tuple)) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def safe_url(url: Any) -> str | None:
    """Return ``url`` if it is an absolute ``http``/``https`` URL, else ``None``.

    ``javascript:``, ``data:``, relative and malformed URLs are refused, so
    they can never become a link or an image source.

    Examples
    --------
    >>> safe_url("https://example.org/a"), safe_url("javascript:alert(1)")
    ('https://example.org/a', None)
    """
    if not isinstance(url, str):
        return None
    candidate = url.strip()
    if any(ch in candidate for ch in "\x00\n\r\t") or not candidate:
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return candidate


def link(url: Any, text: Any = None) -> str:
    """An ``<a>`` element for a safe URL, or the escaped text alone.

    Examples
    --------
    >>> link("javascript:alert(1)", "click")
    'click'
    """
    label = escape(url if text is None else text)
    href = safe_url(url)
    if href is None:
        return label
    return f'<a href="{escape(href)}" target="_blank" rel="noopener noreferrer">{label}</a>'


def summary_html(summary: dict[str, Any]) -> str:
    """A small HTML table of :meth:`newsnb.Corpus.summary` (all values escaped)."""
    rows = "".join(
        f"<tr><th style='text-align:left'>{escape(key)}</th><td style='text-align:left'>{escape(_fmt(value))}</td></tr>"
        for key, value in summary.items()
    )
    return f"<table class='newsnb-summary'><caption style='text-align:left'><b>newsnb.Corpus</b></caption>{rows}</table>"


def _fmt(value: Any) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)
