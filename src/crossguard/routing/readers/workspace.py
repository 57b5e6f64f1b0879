"""Google Workspace groups exported as JSON from the Admin SDK.

One record per group: the Directory API group resource
(https://developers.google.com/admin-sdk/directory/reference/rest/v1/groups:
``email``, ``name``, ``aliases``) with its ``members`` (members.list items,
https://developers.google.com/admin-sdk/directory/reference/rest/v1/members:
``email``, ``role`` OWNER/MANAGER/MEMBER, ``type`` USER/GROUP/CUSTOMER/EXTERNAL)
and its ``settings`` (the Groups Settings resource,
https://developers.google.com/admin-sdk/groups-settings/v1/reference/groups:
``whoCanPostMessage``, ``messageModerationLevel``, ``replyTo``, ``customReplyTo``,
``membersCanPostAsTheGroup``, ``allowExternalMembers``; booleans are the
strings ``"true"``/``"false"`` as the API returns them). The top level is a
``groups.list`` page (``{"kind": "admin#directory#groups", "groups": [...]}``)
or a plain list of such records.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crossguard.routing.addresses import normalize
from crossguard.routing.model import Group, Problem, ReadResult
from crossguard.routing.readers.jsonlines import loads_with_lines
from crossguard.routing.readers.neutral import alias_group

WHO_CAN_POST = {
    "ANYONE_CAN_POST": "anyone",
    "ALL_IN_DOMAIN_CAN_POST": "domain",
    "ALL_MEMBERS_CAN_POST": "members",
    "ALL_MANAGERS_CAN_POST": "owners",
    "ALL_OWNERS_CAN_POST": "owners",
    "NONE_CAN_POST": "owners",
}
REPLY_TO = {
    "REPLY_TO_SENDER": "sender",
    "REPLY_TO_IGNORE": "sender",
    "REPLY_TO_LIST": "list",
    "REPLY_TO_OWNER": "owners",
    "REPLY_TO_MANAGERS": "owners",
    "REPLY_TO_CUSTOM": "custom",
}
_OWNER_ROLES = frozenset({"OWNER", "MANAGER"})


def looks_like_workspace(text: str) -> bool:
    """True when JSON text carries Admin SDK markers rather than the neutral format."""
    head = text[:4096]
    return "admin#directory#" in head or ('"email"' in head and '"address"' not in head)


def _flag(value: object) -> bool:
    return value is True or str(value).lower() == "true"


def read_workspace(path: Path, text: str) -> ReadResult:
    """Read a Workspace groups export."""
    result = ReadResult()
    try:
        data, positions = loads_with_lines(text)
    except json.JSONDecodeError as error:
        result.problems.append(Problem(f"{path}:{error.lineno}", "not valid JSON"))
        return result
    key = "groups" if isinstance(data, dict) else ""
    records = data.get("groups") if isinstance(data, dict) else data
    lines = positions.get(key)
    if not isinstance(records, list) or not isinstance(lines, list):
        result.problems.append(Problem(f"{path}:1", "expected a list of groups"))
        return result
    for number, record in enumerate(records):
        where = f"{path}:{lines[number]}"
        if not isinstance(record, dict):
            result.problems.append(Problem(where, "a group must be an object"))
            continue
        group = _group(record, where, result.problems)
        if group is None:
            continue
        result.groups.append(group)
        for alias in record.get("aliases") or []:
            address = normalize(str(alias))
            if address is None:
                result.problems.append(Problem(where, "a group alias is not an address"))
            else:
                result.groups.append(alias_group(address, (group.address,), where))
    return result


def _group(record: dict[str, Any], where: str, problems: list[Problem]) -> Group | None:
    address = normalize(str(record.get("email", "")))
    if address is None:
        problems.append(Problem(where, "group has no valid email"))
        return None
    settings = record.get("settings") or {}
    if not isinstance(settings, dict):
        problems.append(Problem(where, "settings must be an object"))
        settings = {}
    who_value = str(settings.get("whoCanPostMessage", "ALL_MEMBERS_CAN_POST"))
    reply_value = str(settings.get("replyTo", "REPLY_TO_IGNORE"))
    who = WHO_CAN_POST.get(who_value)
    reply = REPLY_TO.get(reply_value)
    if who is None or reply is None:
        bad = who_value if who is None else reply_value
        problems.append(Problem(where, f"unknown settings value {bad[:40]!r}"))
        return None
    if who != "owners" and settings.get("messageModerationLevel") in (
        "MODERATE_ALL_MESSAGES",
        "MODERATE_NON_MEMBERS",
    ):
        who = "moderated"
    members: list[str] = []
    owners: list[str] = []
    for index, member in enumerate(record.get("members") or []):
        entry = member if isinstance(member, dict) else {}
        if entry.get("type") == "CUSTOMER":
            problems.append(Problem(where, "a member is every user of the domain", "note"))
            continue
        email = normalize(str(entry.get("email", "")))
        if email is None:
            problems.append(Problem(where, f"members[{index}] has no valid email"))
            continue
        members.append(email)
        if entry.get("role") in _OWNER_ROLES:
            owners.append(email)
    custom = settings.get("customReplyTo")
    return Group(
        address=address,
        members=tuple(dict.fromkeys(members)),
        owners=tuple(dict.fromkeys(owners)),
        who_can_post=who,
        reply_to=reply,
        custom_reply_to=normalize(str(custom)) if custom else None,
        allow_external_members=_flag(settings.get("allowExternalMembers", False)),
        source=where,
        members_can_post_as_group=_flag(settings.get("membersCanPostAsTheGroup", False)),
    )
