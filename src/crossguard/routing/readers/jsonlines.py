"""Decode JSON and keep the line of every record one level below the top.

``json.loads`` forgets positions; directory problems must name a line. This
walks the top-level container by hand and decodes each child with the C
scanner (``raw_decode``), so it costs about one ordinary parse.
"""

from __future__ import annotations

import json
from typing import Any

_DECODER = json.JSONDecoder()
Lines = list[int] | dict[str, int] | None
_SPACE = " \t\n\r"


class _Lines:
    """Line numbers of increasing offsets, counted incrementally."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._offset = 0
        self._line = 1

    def at(self, offset: int) -> int:
        self._line += self._text.count("\n", self._offset, offset)
        self._offset = offset
        return self._line


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in _SPACE:
        index += 1
    return index


def _expect(text: str, index: int, char: str) -> int:
    if text[index : index + 1] != char:
        raise json.JSONDecodeError(f"expected {char!r}", text, index)
    return index + 1


def _separator(text: str, index: int, close: str) -> int:
    """Skip a ``,`` (or stop before ``close``) after a value."""
    index = _skip(text, index)
    if text[index : index + 1] == ",":
        index = _skip(text, index + 1)
        if text[index : index + 1] in (close, ""):
            raise json.JSONDecodeError("trailing comma", text, index)
        return index
    if text[index : index + 1] != close:
        raise json.JSONDecodeError(f"expected ',' or {close!r}", text, index)
    return index


def _value(text: str, index: int, lines: _Lines, walk: bool) -> tuple[Any, int, Lines]:
    """Decode one value; with ``walk``, arrays and objects also give their children's lines."""
    char = text[index : index + 1]
    if walk and char == "[":
        return _array(text, index, lines)
    if walk and char == "{":
        mapping, end, key_lines, _nested = _object(text, index, lines, walk=False)
        return mapping, end, key_lines
    value, end = _DECODER.raw_decode(text, index)
    return value, end, None


def _array(text: str, index: int, lines: _Lines) -> tuple[list[Any], int, list[int]]:
    items: list[Any] = []
    item_lines: list[int] = []
    index = _skip(text, _expect(text, index, "["))
    while text[index : index + 1] != "]":
        item_lines.append(lines.at(index))
        value, index = _DECODER.raw_decode(text, index)
        items.append(value)
        index = _separator(text, index, "]")
    return items, index + 1, item_lines


def _object(
    text: str, index: int, lines: _Lines, *, walk: bool
) -> tuple[dict[str, Any], int, dict[str, int], dict[str, Lines]]:
    mapping: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    nested: dict[str, Lines] = {}
    index = _skip(text, _expect(text, index, "{"))
    while text[index : index + 1] != "}":
        line = lines.at(index)
        if text[index : index + 1] != '"':
            raise json.JSONDecodeError("expected a string key", text, index)
        key, index = _DECODER.raw_decode(text, index)
        index = _skip(text, _expect(text, _skip(text, index), ":"))
        mapping[key], index, nested[key] = _value(text, index, lines, walk)
        key_lines[key] = line
        index = _separator(text, index, "}")
    return mapping, index + 1, key_lines, nested


def loads_with_lines(text: str) -> tuple[Any, dict[str, Lines]]:
    """``json.loads(text)`` plus the lines of the records one level below the top.

    For a top-level object, each key maps to the line list of its array's items
    (or ``{key: line}`` for an object value, None for a scalar); a top-level
    array's item lines are under ``""``. Raises ``json.JSONDecodeError``.
    """
    lines = _Lines(text)
    start = _skip(text, 0)
    data: Any
    positions: dict[str, Lines]
    if text[start : start + 1] == "[":
        data, end, item_lines = _array(text, start, lines)
        positions = {"": item_lines}
    else:
        data, end, _keys, positions = _object(text, start, lines, walk=True)
    if _skip(text, end) != len(text):
        raise json.JSONDecodeError("extra data", text, _skip(text, end))
    return data, positions
