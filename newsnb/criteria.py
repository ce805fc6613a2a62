"""What to keep: the one value that says which records a view of the corpus shows.

A :class:`Criteria` is frozen and hashable.  The Explorer's state holds one,
:func:`newsnb.filter_articles` and :meth:`newsnb.analysis.filtering.ArticleIndex.mask`
take one, the command line's ``--since/--until/--topic/--provider`` and
:func:`newsnb.report` build one, and ``to_json`` / ``from_json`` carry one
between sessions, so a view of the corpus can be saved, shared and
reproduced in code.  This module is the only place that lists the criteria.

Semantics:

- ``start`` / ``end``: inclusive bounds on ``published_at`` (UTC).  A date
  covers its whole day; a datetime is an exact instant (naive means UTC).
  Records without a date are dropped as soon as either bound is set.
- ``topics`` with ``topic_mode="any"`` keeps records having at least one of the
  topics; ``"all"`` keeps those having every one of them.
- ``providers``, ``types``: any of these names.
- ``published``: ``True`` / ``False``; records with an unknown flag are dropped.
- ``quality``, ``heat``: ``(low, high)`` inclusive, either side may be ``None``.
  Records with no score for a range that is set are kept while
  ``include_unscored`` is true (the default) and dropped otherwise.
- ``text``: every term must occur, case-insensitively, in the title or the
  excerpt; ``"quoted phrases"`` are one term.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeAlias

__all__ = [
    "FACETS",
    "Criteria",
    "Moment",
    "Names",
    "Span",
    "check_names",
    "instant",
    "unknown_names",
]

#: The criteria one facet sets, by facet name (``without(facet)`` clears them).
FACETS: dict[str, tuple[str, ...]] = {
    "dates": ("start", "end"),
    "topics": ("topics",),
    "providers": ("providers",),
    "types": ("types",),
    "published": ("published",),
    "quality": ("quality",),
    "heat": ("heat",),
    "text": ("text",),
}
#: Other spellings accepted as keywords (``filter_articles(type="video")``).
ALIASES = {"type": "types"}
#: What a date bound may be given as: a date (its whole day), a datetime (an
#: instant; naive means UTC), or an ISO 8601 string of either.
Moment: TypeAlias = dt.date | dt.datetime | str
#: What names (topics, providers, types) may be given as: one, several, or none.
Names: TypeAlias = str | Iterable[str] | None
#: A score range, inclusive: (low, high), either side ``None`` (open).
Span: TypeAlias = tuple[float | None, float | None]
_DATE_ONLY = re.compile(r"^\s*\d{4}-\d{2}-\d{2}\s*$")
_MODES = ("any", "all")


def _names(value: Any, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    try:
        items = list(value)
    except TypeError:
        raise ValueError(
            f"Criteria: {name}={value!r} is not a name or a list of names; "
            f"pass e.g. {name}=['a', 'b']"
        ) from None
    return tuple(dict.fromkeys(str(v) for v in items if v is not None and str(v) != ""))


def _flag(value: Any) -> bool | None:
    """``value`` as a bool if it is one (Python's or NumPy's), else ``None``."""
    if isinstance(value, bool):
        return value
    kind = getattr(getattr(value, "dtype", None), "kind", None)
    return bool(value) if kind == "b" and getattr(value, "ndim", 1) == 0 else None


def _moment(value: Any, name: str) -> dt.date | dt.datetime | None:
    """A bound: a ``date`` (a whole day) or an aware UTC ``datetime`` (an instant)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        return value
    elif isinstance(value, str) and _DATE_ONLY.match(value):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            moment = None
    else:
        moment = None
    if moment is None:
        import pandas as pd  # only for the many spellings a timestamp can have

        try:
            stamp: pd.Timestamp | None = pd.Timestamp(value)
        except (TypeError, ValueError):
            stamp = None
        if stamp is None or pd.isna(stamp):
            raise ValueError(
                f"Criteria: {name}={value!r} is not a date; pass a date, a datetime "
                "or an ISO string such as '2024-01-31'"
            )
        moment = stamp.to_pydatetime()
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def instant(value: dt.date | dt.datetime, *, end: bool) -> dt.datetime:
    """Where a bound falls on the time line; an end date reaches the next midnight.

    Examples
    --------
    >>> instant(dt.date(2024, 1, 31), end=True)
    datetime.datetime(2024, 2, 1, 0, 0, tzinfo=datetime.timezone.utc)
    """
    if isinstance(value, dt.datetime):
        return value
    day = dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)
    return day + dt.timedelta(days=1) if end else day


def _score_range(value: Any, name: str) -> tuple[float | None, float | None] | None:
    if value is None:
        return None
    try:
        lo, hi = value
    except (TypeError, ValueError):
        raise ValueError(
            f"Criteria: {name}={value!r} is not a (low, high) pair; "
            f"pass e.g. {name}=(50, 100) or {name}=(50, None)"
        ) from None

    def number(side: Any) -> float | None:
        if side is None:
            return None
        if isinstance(side, bool) or not isinstance(side, (int, float)):
            try:
                side = float(side)
            except (TypeError, ValueError):
                raise ValueError(
                    f"Criteria: {name}={value!r}: {side!r} is not a number; "
                    f"pass e.g. {name}=(50, None)"
                ) from None
        if isinstance(side, float) and math.isnan(side):
            return None
        return int(side) if float(side).is_integer() else float(side)

    lo, hi = number(lo), number(hi)
    if lo is None and hi is None:
        return None
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"Criteria: {name}=({lo}, {hi}): low is above high; swap them")
    return (lo, hi)


@dataclasses.dataclass(frozen=True, init=False)
class Criteria:
    """Which records to keep: dates, topics, providers, types, published, scores, text.

    Frozen and hashable; the constructor normalises what it is given (a name
    becomes a one-name tuple, ``"2024-01-31"`` a date, naive datetimes UTC) and
    raises ``ValueError`` naming the bad value and what to pass instead.
    ``Criteria()`` keeps everything.

    Parameters
    ----------
    start, end : date, datetime or str, optional
        Inclusive bounds on ``published_at`` (UTC); a date covers its whole day.
    topics : str or list of str
        Topic names; ``topic_mode="any"`` (default) needs one of them, ``"all"`` every one.
    providers, types : str or list of str
        Provider names and record types to keep (any of).
    published : bool, optional
        Keep only published (``True``) or unpublished (``False``) records.
    quality, heat : (low, high), optional
        Inclusive score ranges; ``None`` on either side leaves it open.
    include_unscored : bool
        Keep records that have no score for a range that is set (default ``True``).
    text : str
        Search over title and excerpt: every word must occur, ``"quoted phrases"`` whole.

    Examples
    --------
    >>> c = Criteria(topics="AI", start="2024-01-01", quality=(50, None))
    >>> c.topics, c.start
    (('AI',), datetime.date(2024, 1, 1))
    >>> c.describe()
    ['dates: 2024-01-01 to …', 'topics: AI', 'quality: 50–…']
    >>> Criteria.from_json(c.to_json()) == c
    True
    """

    # the normalised values; __init__ takes the many spellings (see Moment, Names)
    start: dt.date | dt.datetime | None = None
    end: dt.date | dt.datetime | None = None
    topics: tuple[str, ...] = ()
    topic_mode: str = "any"
    providers: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    published: bool | None = None
    quality: Span | None = None
    heat: Span | None = None
    include_unscored: bool = True
    text: str = ""

    def __init__(
        self,
        start: Moment | None = None,
        end: Moment | None = None,
        topics: Names = (),
        topic_mode: str = "any",
        providers: Names = (),
        types: Names = (),
        published: bool | None = None,
        quality: Sequence[float | None] | None = None,
        heat: Sequence[float | None] | None = None,
        include_unscored: bool = True,
        text: str | None = "",
    ) -> None:
        put = object.__setattr__
        first, last = _moment(start, "start"), _moment(end, "end")
        if (
            first is not None
            and last is not None
            and instant(first, end=False) >= instant(last, end=True)
        ):
            raise ValueError(f"Criteria: start={first} is after end={last}; swap them")
        put(self, "start", first)
        put(self, "end", last)
        for name, value in (("topics", topics), ("providers", providers), ("types", types)):
            put(self, name, _names(value, name))
        if topic_mode not in _MODES:
            raise ValueError(f"Criteria: topic_mode={topic_mode!r}; use 'any' or 'all'")
        put(self, "topic_mode", topic_mode)
        if published is not None:
            flag = _flag(published)
            if flag is None:
                raise ValueError(f"Criteria: published={published!r}; use True, False or None")
            published = flag
        put(self, "published", published)
        put(self, "quality", _score_range(quality, "quality"))
        put(self, "heat", _score_range(heat, "heat"))
        unscored = _flag(include_unscored)
        if unscored is None:
            raise ValueError(f"Criteria: include_unscored={include_unscored!r}; use True or False")
        put(self, "include_unscored", unscored)
        if text is None:
            text = ""
        if not isinstance(text, str):
            raise ValueError(f"Criteria: text={text!r} is not text; pass a string")
        put(self, "text", text.strip())

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def build(cls, base: Criteria | Mapping[str, Any] | None = None, **keywords: Any) -> Criteria:
        """Criteria from another (or a mapping of keywords) with ``keywords`` on top.

        Accepts the field names and ``type`` for ``types``; an unknown keyword
        raises ``TypeError`` listing the valid ones.

        Examples
        --------
        >>> Criteria.build(type="video", text="launch").types
        ('video',)
        """
        if base is None:
            start = cls()
        elif isinstance(base, Criteria):
            start = base
        elif isinstance(base, Mapping):
            start = cls().replace(**base)
        else:
            raise TypeError(
                f"criteria must be a newsnb.Criteria or a mapping of keywords, got "
                f"{type(base).__name__}"
            )
        return start.replace(**keywords) if keywords else start

    def replace(self, **changes: Any) -> Criteria:
        """A copy with some criteria changed (``None`` or ``[]`` clears one).

        Examples
        --------
        >>> Criteria(topics=["AI"]).replace(topics=None, text="chip")
        Criteria(text='chip')
        """
        fields = {f.name for f in dataclasses.fields(self)}
        resolved: dict[str, Any] = {}
        for key, value in changes.items():
            name = ALIASES.get(key, key)
            if name not in fields:
                valid = ", ".join(sorted(fields | set(ALIASES)))
                raise TypeError(f"unknown criterion {key!r}; the criteria are: {valid}")
            if name == "topic_mode" and value is None:
                value = "any"
            if name == "include_unscored" and value is None:
                value = True
            resolved[name] = value
        return dataclasses.replace(self, **resolved)

    def without(self, facet: str) -> Criteria:
        """These criteria with one facet's filter left out (for facet counts).

        Examples
        --------
        >>> Criteria(topics=["AI"], text="chip").without("topics")
        Criteria(text='chip')
        """
        if facet not in FACETS:
            raise ValueError(f"unknown facet {facet!r}; use one of {list(FACETS)}")
        defaults = Criteria()
        return dataclasses.replace(self, **{f: getattr(defaults, f) for f in FACETS[facet]})

    # -- reading ------------------------------------------------------------------------------

    @property
    def is_empty(self) -> bool:
        """True when nothing is filtered (``include_unscored`` alone filters nothing)."""
        return not self.active()

    def active(self) -> list[str]:
        """The facets that filter something, in :data:`FACETS` order.

        Examples
        --------
        >>> Criteria(text="chip", start="2024-01-01").active()
        ['dates', 'text']
        """
        defaults = Criteria()
        return [
            facet
            for facet, fields in FACETS.items()
            if any(getattr(self, f) != getattr(defaults, f) for f in fields)
        ]

    def describe(self) -> list[str]:
        """Short plain-text phrases for the active criteria (the status line's words).

        Examples
        --------
        >>> Criteria(topics=["AI", "ML"], topic_mode="all", text="chip").describe()
        ['topics: all of AI, ML', 'text: chip']
        """
        parts = []
        if self.start is not None or self.end is not None:
            parts.append(f"dates: {_text(self.start) or '…'} to {_text(self.end) or '…'}")
        if self.topics:
            mode = f"{self.topic_mode} of " if len(self.topics) > 1 else ""
            parts.append(f"topics: {mode}{', '.join(self.topics)}")
        for label, names in (("providers", self.providers), ("type", self.types)):
            if names:
                more = f" +{len(names) - 3}" if len(names) > 3 else ""
                parts.append(f"{label}: {', '.join(names[:3])}{more}")
        if self.published is not None:
            parts.append("published" if self.published else "unpublished")
        for label, span in (("quality", self.quality), ("heat", self.heat)):
            if span is not None:
                lo, hi = ("…" if v is None else f"{v:g}" for v in span)
                scored = "" if self.include_unscored else ", scored only"
                parts.append(f"{label}: {lo}–{hi}{scored}")
        if self.text:
            parts.append(f"text: {self.text}")
        return parts

    def __repr__(self) -> str:
        defaults = Criteria()
        shown = ", ".join(
            f"{f.name}={getattr(self, f.name)!r}"
            for f in dataclasses.fields(self)
            if getattr(self, f.name) != getattr(defaults, f.name)
        )
        return f"Criteria({shown})"

    # -- JSON ---------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The criteria that differ from the defaults, as JSON-ready values.

        Examples
        --------
        >>> Criteria(start="2024-01-01", topics="AI").to_dict()
        {'start': '2024-01-01', 'topics': ['AI']}
        """
        defaults = Criteria()
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value == getattr(defaults, f.name):
                continue
            if isinstance(value, (dt.date, dt.datetime)):
                value = _text(value)
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out

    def to_json(self) -> str:
        """The criteria as JSON text (only those that differ from the defaults).

        Examples
        --------
        >>> Criteria(types="video", published=True).to_json()
        '{"types": ["video"], "published": true}'
        """
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | bytes | Mapping[str, Any]) -> Criteria:
        """Criteria from :meth:`to_json`'s text (or the dict of :meth:`to_dict`).

        Examples
        --------
        >>> Criteria.from_json('{"topics": ["AI"], "end": "2024-03-31T12:00:00+00:00"}').end
        datetime.datetime(2024, 3, 31, 12, 0, tzinfo=datetime.timezone.utc)
        """
        values = text if isinstance(text, Mapping) else json.loads(text)
        if not isinstance(values, Mapping):
            raise ValueError(
                f"Criteria.from_json: expected a JSON object of criteria, got {values!r}"
            )
        return cls.build(values)


def _text(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value.isoformat()


def unknown_names(
    criteria: Criteria, known: Mapping[str, Iterable[str]]
) -> dict[str, tuple[list[str], list[str]]]:
    """The topics, providers or types ``criteria`` name that ``known`` lacks.

    ``known`` maps ``"topics"``, ``"providers"``, ``"types"`` to the names that
    exist; the result maps each facet with unknown names to (those names, the
    known ones), for a message in the caller's words.

    Examples
    --------
    >>> unknown_names(Criteria(topics=["AI", "Robots"]), {"topics": ["AI", "Cloud"]})
    {'topics': (['Robots'], ['AI', 'Cloud'])}
    """
    found = {}
    for facet, names in known.items():
        listed = [str(n) for n in names]
        have = set(listed)
        missing = [n for n in getattr(criteria, facet) if n not in have]
        if missing:
            found[facet] = (missing, listed)
    return found


def check_names(
    criteria: Criteria, known: Mapping[str, Iterable[str]], *, where: str = "filter"
) -> None:
    """Raise ``ValueError`` if ``criteria`` name a topic, provider or type ``known`` lacks.

    ``known`` maps ``"topics"``, ``"providers"``, ``"types"`` to the names that
    exist (see :func:`unknown_names`); the message suggests the closest ones (a
    typo would otherwise silently show nothing).

    Examples
    --------
    >>> check_names(Criteria(topics=["Portal"]), {"topics": ["Portals", "AI"]})
    Traceback (most recent call last):
    ...
    ValueError: filter: topics ['Portal'] not in this corpus (did you mean 'Portals'?); pass names from the topics list
    """
    for facet, (missing, names) in unknown_names(criteria, known).items():
        hint = difflib.get_close_matches(missing[0], names, n=3)
        also = f" (did you mean {', '.join(map(repr, hint))}?)" if hint else ""
        raise ValueError(
            f"{where}: {facet} {missing!r} not in this corpus{also}; "
            f"pass names from the {facet} list"
        )
