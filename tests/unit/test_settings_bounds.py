"""Every size, count and time setting has validated bounds; a bad value names its field."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import annotated_types
import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from crossguard.config import Settings, settings_from_dict
from crossguard.errors import ConfigError


def numeric_fields(model: type[BaseModel], prefix: tuple[str, ...] = ()
                   ) -> Iterator[tuple[tuple[str, ...], FieldInfo]]:
    """(path, field) of every int and float setting, sections walked recursively."""
    for name, field in model.model_fields.items():
        kind = field.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            yield from numeric_fields(kind, (*prefix, name))
        elif kind in (int, float):
            yield (*prefix, name), field


FIELDS = sorted(numeric_fields(Settings))
IDS = [".".join(path) for path, _ in FIELDS]


def as_dict(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    data: dict[str, Any] = {path[-1]: value}
    for part in reversed(path[:-1]):
        data = {part: data}
    return data


def bound(field: FieldInfo, *kinds: type) -> float | None:
    for meta in field.metadata:
        if isinstance(meta, kinds):
            return float(getattr(meta, type(meta).__name__.lower()))
    return None


def test_there_are_settings_to_check() -> None:
    assert len(FIELDS) > 40


@pytest.mark.parametrize(("path", "field"), FIELDS, ids=IDS)
def test_setting_has_lower_and_upper_bounds(path: tuple[str, ...], field: FieldInfo) -> None:
    assert bound(field, annotated_types.Ge, annotated_types.Gt) is not None, "no lower bound"
    assert bound(field, annotated_types.Le, annotated_types.Lt) is not None, "no upper bound"


@pytest.mark.parametrize(("path", "field"), FIELDS, ids=IDS)
def test_negative_setting_is_refused_naming_the_field(path: tuple[str, ...],
                                                      field: FieldInfo) -> None:
    with pytest.raises(ConfigError, match=rf"^{re.escape('.'.join(path))}: "):
        settings_from_dict(as_dict(path, -1))


@pytest.mark.parametrize(("path", "field"), FIELDS, ids=IDS)
def test_zero_is_refused_unless_its_meaning_is_documented(path: tuple[str, ...],
                                                          field: FieldInfo) -> None:
    try:
        settings_from_dict(as_dict(path, 0))
    except ConfigError as error:
        assert str(error).startswith(".".join(path) + ": ")
    else:
        assert "(0: " in (field.description or ""), "0 accepted but its meaning is not documented"


@pytest.mark.parametrize(("path", "field"), FIELDS, ids=IDS)
def test_value_past_the_upper_bound_is_refused(path: tuple[str, ...], field: FieldInfo) -> None:
    ceiling = bound(field, annotated_types.Le, annotated_types.Lt)
    assert ceiling is not None
    with pytest.raises(ConfigError, match=rf"^{re.escape('.'.join(path))}: "):
        settings_from_dict(as_dict(path, int(ceiling) + 1))


def test_gateway_max_message_bytes_zero_is_not_unlimited() -> None:
    with pytest.raises(ConfigError, match=r"^gateway.max_message_bytes: .*greater than or equal"):
        settings_from_dict({"gateway": {"max_message_bytes": 0}})
