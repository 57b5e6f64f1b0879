"""The vendor-neutral routing records every reader produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

WHO_CAN_POST: tuple[str, ...] = ("anyone", "domain", "members", "owners", "moderated")
REPLY_TO: tuple[str, ...] = ("sender", "list", "owners", "custom")


@dataclass(frozen=True, slots=True)
class Group:
    """A distribution address: a group or list (``kind="group"``) or a plain alias/forward.

    ``who_can_post`` and ``reply_to`` are normalized across vendors (see docs/routing.md).
    ``source`` is ``file:line`` where the record starts.
    """

    address: str
    members: tuple[str, ...]
    owners: tuple[str, ...]
    who_can_post: str
    reply_to: str
    custom_reply_to: str | None
    allow_external_members: bool
    source: str
    kind: str = "group"
    members_can_post_as_group: bool = False


@dataclass(frozen=True, slots=True)
class Problem:
    """A line or record that could not be read (``error``) or was read with a caveat (``note``)."""

    source: str
    message: str
    level: Literal["error", "note"] = "error"

    def __str__(self) -> str:
        return f"{self.source}: {self.level}: {self.message}"


@dataclass(frozen=True, slots=True)
class Membership:
    """One member of a group, read apart from the group (an Exchange member export row)."""

    group: str
    member: str
    source: str


@dataclass(slots=True)
class ReadResult:
    """What one file contributed: groups, loose memberships and problems."""

    groups: list[Group] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
