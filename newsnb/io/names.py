"""File names as text every table, cache and terminal can hold.

A POSIX file name is bytes.  Python decodes the bytes that are not UTF-8 to
lone surrogates (``bad-\\xff.md`` is ``'bad-\\udcff.md'``), which no Arrow
string, JSON file or terminal accepts.  The loader keeps that exact ``str``
wherever it opens or stats a file, and uses these two forms elsewhere:

- :func:`shown` for what people read (the ``path`` columns, error messages):
  each undecodable byte becomes U+FFFD, the replacement character.
- :func:`key` for what must stay unique and stable (``article_id``, the
  cache's manifest): undecodable bytes become ``\\xNN`` escapes.  Names that
  are valid UTF-8 without a backslash, nearly all of them, are left as they
  are; in the others backslashes are doubled too, so two different names can
  never get the same key.
"""

from __future__ import annotations

__all__ = ["is_clean", "key", "raw", "shown"]


def is_clean(name: str) -> bool:
    """Whether ``name`` is valid UTF-8 text (no undecodable bytes)."""
    if name.isascii():
        return True
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def raw(name: str) -> bytes:
    """``name`` as the bytes it names on disk (what the load cache records).

    Examples
    --------
    >>> raw("news/bad-\\udcff.md")
    b'news/bad-\\xff.md'
    """
    try:
        return name.encode("utf-8", "surrogateescape")  # the bytes on disk (POSIX)
    except UnicodeEncodeError:  # a lone UTF-16 surrogate (a Windows name)
        return name.encode("utf-8", "surrogatepass")


def shown(name: str) -> str:
    """``name`` for display: each undecodable byte as U+FFFD.

    Examples
    --------
    >>> shown("news/bad-\\udcff.md")
    'news/bad-\\ufffd.md'
    """
    if is_clean(name):
        return name
    return raw(name).decode("utf-8", "replace")


def key(name: str) -> str:
    """``name`` as unique, stable text: ``\\xNN`` for each undecodable byte.

    Examples
    --------
    >>> key("news/bad-\\udcff.md")
    'news/bad-\\\\xff.md'
    >>> key("plain.md"), key("a\\\\b.md")
    ('plain.md', 'a\\\\\\\\b.md')
    """
    if "\\" not in name and is_clean(name):
        return name
    return raw(name.replace("\\", "\\\\")).decode("utf-8", "backslashreplace")
