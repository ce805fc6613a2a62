"""Normalisation: a parsed front matter mapping -> one :class:`Record`, pure.

Known fields are renamed to snake_case and coerced to their types, with a
``(field, problem)`` warning for each coercion ("expected a whole number, got
the text 'high'; left empty"); every other field lands in ``extra``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

__all__ = ["KNOWN_FIELDS", "Record", "normalise"]

#: Top-level fields the format names; anything else goes to ``extra``.
KNOWN_FIELDS = frozenset(
    {
        "category",
        "title",
        "excerpt",
        "publishedDateTime",
        "originalUrl",
        "webUrl",
        "ampWebUrl",
        "cdnAmpWebUrl",
        "type",
        "quality",
        "heat",
        "published",
        "featuredContent",
        "provider",
        "topics",
        "images",
        "related",
        "secured",
    }
)
_TEXT_FIELDS = {
    "category": "category",
    "title": "title",
    "excerpt": "excerpt",
    "type": "type",
    "webUrl": "web_url",
    "originalUrl": "original_url",
    "ampWebUrl": "amp_url",
    "cdnAmpWebUrl": "cdn_amp_url",
    "featuredContent": "featured_content",
    "secured": "secured",
}
_RELATED_TEXT_FIELDS = {
    "title": "title",
    "excerpt": "excerpt",
    "type": "type",
    "webUrl": "web_url",
    "ampWebUrl": "amp_url",
    "cdnAmpWebUrl": "cdn_amp_url",
}
_RELATED_KNOWN = frozenset(
    {*_RELATED_TEXT_FIELDS, "publishedDateTime", "provider", "quality", "images"}
)
_PROVIDER_KNOWN = frozenset({"name", "domain", "images"})
_UTC = dt.timezone.utc


@dataclass
class Record:
    """One parsed record, before it becomes rows of the corpus tables.

    ``article`` holds the article columns (see the README's table reference),
    ``topics`` the topic names, ``images`` and ``related`` one dict per item,
    and ``warnings`` one ``(field, problem)`` pair per coerced field.
    """

    article: dict[str, Any]
    topics: list[str] = field(default_factory=list)
    images: list[dict[str, Any]] = field(default_factory=list)
    related: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)


def normalise(meta: dict[Any, Any], body: str = "") -> Record:
    """Turn a parsed front matter mapping into a :class:`Record`.

    Known fields are renamed to snake_case and coerced to their types (with a
    warning for each coercion); every other field lands in ``extra``.
    """
    warnings: list[tuple[str, str]] = []
    warn = _Warn(warnings)
    article: dict[str, Any] = {}
    get = meta.get
    for key, column in _TEXT_FIELDS.items():
        text = get(key)
        article[column] = text if text is None or type(text) is str else _text(text, key, warn)
    for key in ("title", "publishedDateTime"):
        if key not in meta:
            warn(key, "the field is missing; left empty")
    article["published_at"] = _timestamp(meta.get("publishedDateTime"), "publishedDateTime", warn)
    article["quality"] = _integer(meta.get("quality"), "quality", warn)
    heat = _integer(meta.get("heat"), "heat", warn)
    article["heat"] = None if heat == -1 else heat  # -1 means "unknown" in the format
    article["published"] = _boolean(meta.get("published"), "published", warn)
    extra = {} if meta.keys() <= KNOWN_FIELDS else _extra(meta, KNOWN_FIELDS)
    name, domain, logo = _provider(meta.get("provider"), "provider", warn, extra)
    article["provider_name"] = name
    article["provider_domain"] = domain
    article["provider_logo_url"] = logo
    topics = _topics(meta.get("topics"), warn)
    images = _images(meta.get("images"), "images", warn)
    related = _related(meta.get("related"), warn)
    article["image_url"] = images[0]["url"] if images else None
    article["n_images"] = len(images)
    article["n_related"] = len(related)
    article["body"] = body
    article["extra"] = extra
    return Record(article, topics, images, related, warnings)


class _Warn:
    __slots__ = ("warnings",)

    def __init__(self, warnings: list[tuple[str, str]]) -> None:
        self.warnings = warnings

    def __call__(self, field_name: Any, problem: str) -> None:
        self.warnings.append((_field_name(field_name), problem))


def _field_name(name: Any) -> str:
    """Field names are built lazily, as (parent, child) tuples, only for warnings.

    ``(("related", 2), "quality")`` is ``related[2].quality``.
    """
    if isinstance(name, str):
        return name
    parent, child = name
    if isinstance(child, int):
        return f"{_field_name(parent)}[{child}]"
    return f"{_field_name(parent)}.{child}"


def _show(value: Any) -> str:
    """A short description of a bad value for a warning message."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    kind = {str: "the text", bool: "the boolean", int: "the number", float: "the number"}.get(
        type(value), f"a {type(value).__name__}"
    )
    return f"{kind} {text}" if not isinstance(value, (dict, list)) else kind


def _text(value: Any, name: Any, warn: _Warn) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float, dt.date)):
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        warn(name, f"expected text, got {_show(value)}; read as {text!r}")
        return text
    warn(name, f"expected text, got {_show(value)}; left empty")
    return None


def _timestamp(value: Any, name: Any, warn: _Warn) -> dt.datetime | None:
    if value is None:
        return None
    if type(value) is dt.datetime and value.tzinfo is _UTC:
        return value
    if isinstance(value, dt.datetime):
        return _in_utc(value, name, warn)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=_UTC)
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            warn(
                name,
                f"could not read {_show(value)} as a date; left empty (use ISO 8601, e.g. 2023-06-01T09:00:00Z)",
            )
            return None
        moment = _in_utc(parsed, name, warn)
        if moment is not None:
            warn(name, f"the date was given as quoted text {value!r}; read as a date")
        return moment
    warn(name, f"expected a date, got {_show(value)}; left empty")
    return None


def _in_utc(moment: dt.datetime, name: Any, warn: _Warn) -> dt.datetime | None:
    # A timestamp without an offset is taken as UTC, like the format's 'Z'.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=_UTC)
    try:
        return moment.astimezone(_UTC)
    except OverflowError:  # 9999-12-31T23:59:59-12:00 is in the year 10000 in UTC
        warn(
            name,
            f"the date {moment.isoformat()} falls outside the years 1 to 9999 once converted "
            "to UTC, which no table can hold; left empty",
        )
        return None


def _integer(value: Any, name: Any, warn: _Warn) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        warn(name, f"expected a whole number, got {_show(value)}; left empty")
        return None
    if isinstance(value, int):
        if -(2**63) <= value < 2**63:
            return value
        warn(name, f"the number {value} is too large; left empty")
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        warn(name, f"expected a whole number, got {value!r}; read as {int(value)}")
        return int(value)
    if isinstance(value, str):
        try:
            number = int(value.strip())
        except ValueError:
            pass
        else:
            if -(2**63) <= number < 2**63:
                warn(name, f"expected a number, got {_show(value)}; read as {number}")
                return number
    warn(name, f"expected a whole number, got {_show(value)}; left empty")
    return None


_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def _boolean(value: Any, name: Any, warn: _Warn) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (str, int)) and str(value).strip().lower() in _TRUE | _FALSE:
        result = str(value).strip().lower() in _TRUE
        warn(name, f"expected true or false, got {_show(value)}; read as {str(result).lower()}")
        return result
    warn(name, f"expected true or false, got {_show(value)}; left empty")
    return None


def _provider(
    value: Any, name: Any, warn: _Warn, extra: dict[str, Any] | None
) -> tuple[str | None, str | None, str | None]:
    if value is None:
        return None, None, None
    if isinstance(value, str):
        warn(
            name, f"expected a mapping with name and domain, got {_show(value)}; taken as the name"
        )
        return value, None, None
    if not isinstance(value, dict):
        warn(name, f"expected a mapping with name and domain, got {_show(value)}; left empty")
        return None, None, None
    prov_name, domain = value.get("name"), value.get("domain")
    if not (prov_name is None or type(prov_name) is str):
        prov_name = _text(prov_name, (name, "name"), warn)
    if not (domain is None or type(domain) is str):
        domain = _text(domain, (name, "domain"), warn)
    logos = _images(value.get("images"), (name, "images"), warn) if "images" in value else []
    if extra is not None and not value.keys() <= _PROVIDER_KNOWN:
        for key, item in value.items():
            if key not in _PROVIDER_KNOWN:
                extra[f"{_field_name(name)}.{key}"] = item
    return prov_name, domain, (logos[0]["url"] if logos else None)


def _topics(value: Any, warn: _Warn) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        warn("topics", f"expected a list of topics, got the text {value!r}; read as [{value!r}]")
        value = [value]
    elif not isinstance(value, list):
        warn("topics", f"expected a list of topics, got {_show(value)}; left empty")
        return []
    topics: list[str] = []
    for item in value:
        if item is None:
            warn("topics", "an empty topic was skipped")
            continue
        if not isinstance(item, str):
            if isinstance(item, (dict, list)):
                warn("topics", f"a topic is {_show(item)}, not text; skipped")
                continue
            warn("topics", f"a topic is {_show(item)}, not text; read as {str(item)!r}")
            item = str(item)
        if item in topics:
            warn("topics", f"the topic {item!r} is listed twice; counted once")
            continue
        topics.append(item)
    return topics


def _items(value: Any, name: Any, what: str, warn: _Warn) -> list[Any]:
    """A list field whose items should be mappings."""
    if value is None:
        return []
    if isinstance(value, dict):
        warn(name, f"expected a list of {what}, got a single mapping; read as a list of one")
        return [value]
    if not isinstance(value, list):
        warn(name, f"expected a list of {what}, got {_show(value)}; left empty")
        return []
    return value


def _images(value: Any, name: Any, warn: _Warn) -> list[dict[str, Any]]:
    images = []
    for position, item in enumerate(_items(value, name, "images", warn)):
        if type(item) is dict:
            url, width, height = item.get("url"), item.get("width"), item.get("height")
            title, cached = item.get("title"), item.get("isCached")
            # The common case, every field of its type, without a call per field.
            if (
                type(url) is str
                and type(width) is int
                and type(height) is int
                and (title is None or type(title) is str)
                and (cached is None or type(cached) is bool)
            ):
                images.append(
                    {
                        "url": url,
                        "width": width,
                        "height": height,
                        "title": title,
                        "is_cached": cached,
                    }
                )
                continue
        where = (name, position)
        if isinstance(item, str):
            warn(where, f"expected a mapping with url, got {_show(item)}; taken as the url")
            item = {"url": item}
        if not isinstance(item, dict):
            warn(where, f"expected a mapping with url, got {_show(item)}; skipped")
            continue
        images.append(
            {
                "url": _text(item.get("url"), (where, "url"), warn),
                "width": _integer(item.get("width"), (where, "width"), warn),
                "height": _integer(item.get("height"), (where, "height"), warn),
                "title": _text(item.get("title"), (where, "title"), warn),
                "is_cached": _boolean(item.get("isCached"), (where, "isCached"), warn),
            }
        )
    return images


def _related(value: Any, warn: _Warn) -> list[dict[str, Any]]:
    related = []
    for position, item in enumerate(_items(value, "related", "related items", warn)):
        where = ("related", position)
        if not isinstance(item, dict):
            warn(where, f"expected a mapping (a related item), got {_show(item)}; skipped")
            continue
        get = item.get
        row: dict[str, Any] = {}
        for key, column in _RELATED_TEXT_FIELDS.items():
            text = get(key)
            row[column] = (
                text if text is None or type(text) is str else _text(text, (where, key), warn)
            )
        row["published_at"] = _timestamp(
            get("publishedDateTime"), (where, "publishedDateTime"), warn
        )
        extra = {} if item.keys() <= _RELATED_KNOWN else _extra(item, _RELATED_KNOWN)
        row["provider_name"], row["provider_domain"], _ = _provider(
            get("provider"), (where, "provider"), warn, extra
        )
        quality = get("quality")
        row["quality"] = (
            quality if type(quality) is int else _integer(quality, (where, "quality"), warn)
        )
        images = _images(get("images"), (where, "images"), warn)
        row["image_url"] = images[0]["url"] if images else None
        row["n_images"] = len(images)
        row["extra"] = extra
        related.append(row)
    return related


def _extra(mapping: dict[Any, Any], known: frozenset[str]) -> dict[str, Any]:
    return {str(k): v for k, v in mapping.items() if k not in known}
