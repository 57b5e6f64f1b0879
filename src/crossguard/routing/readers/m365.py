"""Microsoft 365 / Exchange distribution groups exported to CSV with ``Export-Csv``.

Two kinds of file, told apart by their header:

* groups: ``Get-DistributionGroup -ResultSize Unlimited | Export-Csv`` with the
  documented properties (https://learn.microsoft.com/powershell/module/exchange/get-distributiongroup)
  ``PrimarySmtpAddress``, ``EmailAddresses`` (proxy addresses, ``smtp:`` ones are
  aliases), ``ManagedBy``, ``RequireSenderAuthenticationEnabled`` (True: only
  authenticated, i.e. internal, senders), ``AcceptMessagesOnlyFromSendersOrMembers``
  and ``ModerationEnabled``. Multi-valued cells are joined with ``;`` or ``,``.
* members: ``Get-DistributionGroupMember``
  (https://learn.microsoft.com/powershell/module/exchange/get-distributiongroupmember)
  rows with the member's ``PrimarySmtpAddress`` (or ``ExternalEmailAddress`` for a
  mail contact, ``SMTP:`` prefix allowed), ``RecipientType``, and a column naming the
  group, added by the export script: ``GroupPrimarySmtpAddress`` (or ``Group``).

Exchange distribution groups do not rewrite Reply-To: replies go to the sender.
Windows PowerShell 5's ``#TYPE`` first line is skipped.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from crossguard.routing.addresses import normalize
from crossguard.routing.model import Group, Membership, Problem, ReadResult
from crossguard.routing.readers.neutral import alias_group

GROUP_COLUMNS = ("GroupPrimarySmtpAddress", "GroupSmtpAddress", "Group", "DistributionGroup")
_MULTI = re.compile(r"[;,\s]+")


def read_m365(path: Path, text: str) -> ReadResult:
    """Read a groups or a members CSV export."""
    result = ReadResult()
    offset = 0
    if text.startswith("#TYPE"):
        text = text.partition("\n")[2]
        offset = 1
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    group_column = next((c for c in GROUP_COLUMNS if c in header), None)
    if "PrimarySmtpAddress" not in header and "ExternalEmailAddress" not in header:
        result.problems.append(Problem(f"{path}:1", "no PrimarySmtpAddress column"))
        return result
    try:
        for row in reader:
            where = f"{path}:{reader.line_num + offset}"
            if group_column is None:
                _group_row(row, where, result)
            else:
                _member_row(row, group_column, where, result)
    except csv.Error as error:
        result.problems.append(Problem(f"{path}:{reader.line_num + offset}", f"bad CSV ({error})"))
    return result


def _cell(row: dict[str, str | None], name: str) -> str:
    return (row.get(name) or "").strip()


def _true(value: str) -> bool:
    return value.lower() in ("true", "1", "yes")


def _group_row(row: dict[str, str | None], where: str, result: ReadResult) -> None:
    address = normalize(_cell(row, "PrimarySmtpAddress"))
    if address is None:
        result.problems.append(Problem(where, "PrimarySmtpAddress is not an address"))
        return
    if _true(_cell(row, "ModerationEnabled")):
        who = "moderated"
    elif _cell(row, "AcceptMessagesOnlyFromSendersOrMembers").strip("{} "):
        who = "members"
    elif _true(_cell(row, "RequireSenderAuthenticationEnabled")):
        who = "domain"
    else:
        who = "anyone"
    owners = [o.strip() for o in re.split(r"[;,]", _cell(row, "ManagedBy")) if o.strip()]
    result.groups.append(
        Group(
            address=address,
            members=(),
            owners=tuple(normalize(o) or o for o in owners),
            who_can_post=who,
            reply_to="sender",
            custom_reply_to=None,
            allow_external_members=True,
            source=where,
        )
    )
    for proxy in _MULTI.split(_cell(row, "EmailAddresses")):
        if proxy.lower().startswith("smtp:"):
            alias = normalize(proxy[5:])
            if alias is not None and alias != address:
                result.groups.append(alias_group(alias, (address,), where))


def _member_row(
    row: dict[str, str | None], group_column: str, where: str, result: ReadResult
) -> None:
    group = normalize(_cell(row, group_column))
    raw = _cell(row, "PrimarySmtpAddress") or _cell(row, "ExternalEmailAddress")
    if raw.lower().startswith("smtp:"):
        raw = raw[5:]
    member = normalize(raw)
    if group is None or member is None:
        result.problems.append(Problem(where, "group or member is not an address"))
        return
    result.memberships.append(Membership(group, member, where))
