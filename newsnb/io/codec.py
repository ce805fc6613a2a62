"""The ``extra`` columns as JSON text: one tagged-JSON codec for every place that stores them.

``extra`` holds whatever else a record has, as YAML parsed it: text,
numbers, booleans, dates, timestamps, lists, mappings, and (from tags the
safe loader allows) bytes, sets and pairs.  JSON has no type for some of
those, so they become tagged objects: ``{"$date": "2024-01-31"}``,
``{"$datetime": "2024-01-31T09:00:00+00:00"}``, ``{"$bytes": "<base64>"}``,
``{"$set": [...]}``, ``{"$tuple": [...]}``, ``{"$float": "nan"}`` (or
``"inf"``, ``"-inf"``) and ``{"$map": [[key, value], ...]}`` for a mapping
whose keys are not all text or start with ``$``.  The Parquet dataset, the
load cache and the Explorer's exports all store ``extra`` this way.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["JSON_COLUMNS", "decode_column", "decode_json", "encode_exact", "encode_json"]

#: The (table, column) pairs stored as this JSON.
JSON_COLUMNS = frozenset({("articles", "extra"), ("related", "extra")})


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [_jsonable(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        return {"$set": [_jsonable(v) for v in value]}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: _jsonable(v) for k, v in value.items()}
        return {"$map": [[_jsonable(k), _jsonable(v)] for k, v in value.items()]}
    raise TypeError(
        f"cannot store a {type(value).__name__} of an extra field in Parquet; "
        "extra holds what YAML can express (text, numbers, dates, lists, mappings)"
    )


_TAGS: dict[str, Callable[[Any], Any]] = {
    "$datetime": dt.datetime.fromisoformat,
    "$date": dt.date.fromisoformat,
    "$bytes": base64.b64decode,
    "$tuple": tuple,
    "$set": set,
    "$float": float,
    "$map": lambda pairs: {(tuple(k) if isinstance(k, list) else k): v for k, v in pairs},
}


def _untag(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        ((key, value),) = obj.items()
        decode = _TAGS.get(key)
        if decode is not None:
            return decode(value)
    return obj


def encode_json(value: dict[str, Any]) -> str:
    """An ``extra`` mapping as JSON text, with dates and other non-JSON values tagged.

    Examples
    --------
    >>> import datetime as dt
    >>> encode_json({"seen": dt.date(2024, 1, 31), "n": 3})
    '{"seen": {"$date": "2024-01-31"}, "n": 3}'
    """
    if not value:
        return "{}"
    return json.dumps(_jsonable(value), ensure_ascii=False, allow_nan=False)


def decode_json(text: str | None) -> dict[str, Any]:
    """The ``extra`` mapping back from :func:`encode_json`'s text.

    Examples
    --------
    >>> decode_json('{"seen": {"$date": "2024-01-31"}, "n": 3}')
    {'seen': datetime.date(2024, 1, 31), 'n': 3}
    """
    if text is None or text == "{}":
        return {}
    result: dict[str, Any] = json.loads(text, object_hook=_untag)
    return result


def encode_exact(value: dict[str, Any]) -> str | None:
    """:func:`encode_json`, or ``None`` if the text would not decode to an equal value.

    The load cache stores only what it can serve back unchanged (a NaN, which
    equals nothing, is parsed again on the next load rather than cached).
    ASCII escapes keep the text valid UTF-8 whatever the strings hold.

    Examples
    --------
    >>> encode_exact({"n": 3}), encode_exact({"n": float("nan")})
    ('{"n": 3}', None)
    """
    if not value:
        return "{}"
    try:
        text = json.dumps(_jsonable(value), allow_nan=False)
    except (TypeError, ValueError):
        return None
    return text if decode_json(text) == value else None


def decode_column(texts: Iterable[Any]) -> list[dict[str, Any]]:
    """:func:`decode_json` of every value of a column (``None`` decodes to ``{}``).

    One ``json.loads`` call for the whole column is ~3x faster than one per
    row, and the tag hook runs only when a ``$`` tag occurs at all.

    Examples
    --------
    >>> decode_column(['{"a": 1}', None, "{}"])
    [{'a': 1}, {}, {}]
    """
    texts = list(texts)
    present = [t for t in texts if isinstance(t, str) and t != "{}"]
    if not present:
        return [{} for _ in texts]
    joined = "[" + ",".join(present) + "]"
    hook = _untag if '"$' in joined else None
    decoded = iter(json.loads(joined, object_hook=hook))
    return [next(decoded) if isinstance(t, str) and t != "{}" else {} for t in texts]
