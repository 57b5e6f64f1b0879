"""The base every settings section derives from: strict, documented fields."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Section(BaseModel):
    """A settings section: unknown keys are errors, every field has a default and help text."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)
