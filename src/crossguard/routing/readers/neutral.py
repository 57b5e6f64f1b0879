"""The neutral directory format (YAML or JSON) described in docs/routing.md.

::

    groups:
      - address: support@company.example
        members: [a@customer.example, team@company.example]
        owners: [lead@company.example]
        who_can_post: anyone        # anyone | domain | members | owners | moderated
        reply_to: list              # sender | list | owners | custom
        custom_reply_to: null
        allow_external_members: true
        members_can_post_as_group: false
    aliases:
      sales@company.example: [alice@company.example, partner@agency.example]
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from crossguard.routing.addresses import normalize
from crossguard.routing.model import REPLY_TO, WHO_CAN_POST, Group, Problem, ReadResult
from crossguard.routing.readers.jsonlines import Lines, loads_with_lines

_LINE = "__line__"
_KEY_LINES = "__key_lines__"


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that records the line of every mapping and of its keys."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[_LINE] = node.start_mark.line + 1
    mapping[_KEY_LINES] = {
        key.value: key.start_mark.line + 1 for key, _ in node.value if hasattr(key, "value")
    }
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_neutral(path: Path, text: str) -> ReadResult:
    """Read a neutral directory file; JSON by extension or leading brace, else YAML."""
    result = ReadResult()
    positions: dict[str, Lines] = {}
    try:
        if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
            data, positions = loads_with_lines(text)
        else:
            data = yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        mark = getattr(error, "problem_mark", None)
        line = getattr(error, "lineno", None) or (mark.line + 1 if mark else 1)
        result.problems.append(Problem(f"{path}:{line}", "not valid JSON/YAML"))
        return result
    if not isinstance(data, dict):
        result.problems.append(Problem(f"{path}:1", "top level must be a mapping"))
        return result
    groups = data.get("groups") or []
    if not isinstance(groups, list):
        result.problems.append(Problem(f"{path}:{data.get(_LINE, 1)}", "groups must be a list"))
        groups = []
    group_lines = positions.get("groups")
    for number, record in enumerate(groups):
        where = _where(path, record, group_lines, number)
        group = _group(record, where, result.problems)
        if group is not None:
            result.groups.append(group)
    aliases = data.get("aliases") or {}
    if not isinstance(aliases, dict):
        result.problems.append(Problem(f"{path}:{data.get(_LINE, 1)}", "aliases must be a mapping"))
        aliases = {}
    aliases_line = data.get(_LINE, 1)
    key_lines = positions.get("aliases") or aliases.get(_KEY_LINES)
    if not isinstance(key_lines, dict):
        key_lines = {}
    for key, targets in aliases.items():
        if key in (_LINE, _KEY_LINES):
            continue
        where = f"{path}:{key_lines.get(key, aliases_line)}"
        alias = _alias(str(key), targets, where, result.problems)
        if alias is not None:
            result.groups.append(alias)
    return result


def _where(path: Path, record: object, lines: Lines, number: int) -> str:
    """``file:line`` of the n-th group (YAML records carry it, JSON positions list it)."""
    if isinstance(record, dict) and _LINE in record:
        return f"{path}:{record[_LINE]}"
    if isinstance(lines, list) and number < len(lines):
        return f"{path}:{lines[number]}"
    return f"{path}:groups[{number}]"


def _addresses(values: object, where: str, field: str, problems: list[Problem]) -> tuple[str, ...]:
    """Normalized addresses from a list (or comma-separated string); bad ones become problems."""
    if values is None:
        return ()
    items = values.split(",") if isinstance(values, str) else values
    if not isinstance(items, list):
        problems.append(Problem(where, f"{field} must be a list of addresses"))
        return ()
    out: list[str] = []
    for number, item in enumerate(items):
        address = normalize(item) if isinstance(item, str) else None
        if address is None:
            problems.append(Problem(where, f"{field}[{number}] is not an address"))
        else:
            out.append(address)
    return tuple(dict.fromkeys(out))


def _group(record: object, where: str, problems: list[Problem]) -> Group | None:
    if not isinstance(record, dict):
        problems.append(Problem(where, "a group must be a mapping"))
        return None
    address = normalize(str(record.get("address", "")))
    if address is None:
        problems.append(Problem(where, "group has no valid address"))
        return None
    who = str(record.get("who_can_post", "anyone")).lower()
    reply = str(record.get("reply_to", "sender")).lower()
    if who not in WHO_CAN_POST:
        problems.append(Problem(where, f"who_can_post must be one of {', '.join(WHO_CAN_POST)}"))
        return None
    if reply not in REPLY_TO:
        problems.append(Problem(where, f"reply_to must be one of {', '.join(REPLY_TO)}"))
        return None
    custom = record.get("custom_reply_to")
    return Group(
        address=address,
        members=_addresses(record.get("members"), where, "members", problems),
        owners=_addresses(record.get("owners"), where, "owners", problems),
        who_can_post=who,
        reply_to=reply,
        custom_reply_to=normalize(str(custom)) if custom else None,
        allow_external_members=bool(record.get("allow_external_members", False)),
        source=where,
        members_can_post_as_group=bool(record.get("members_can_post_as_group", False)),
    )


def _alias(key: str, targets: object, where: str, problems: list[Problem]) -> Group | None:
    address = normalize(key)
    if address is None:
        problems.append(Problem(where, "alias key is not an address"))
        return None
    return alias_group(address, _addresses(targets, where, "targets", problems), where)


def alias_group(address: str, targets: tuple[str, ...], where: str) -> Group:
    """A plain alias: anyone may send to it, it forwards to ``targets`` and nobody owns it."""
    return Group(
        address=address,
        members=targets,
        owners=(),
        who_can_post="anyone",
        reply_to="sender",
        custom_reply_to=None,
        allow_external_members=True,
        source=where,
        kind="alias",
    )
