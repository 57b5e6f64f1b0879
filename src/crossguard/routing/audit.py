"""The routing audit: configurations that fan mail out to people outside the company.

Each finding names the address, where it is defined, a severity and a concrete
fix. External recipients appear only masked (they are customers' addresses).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from crossguard.core.mask import mask_email
from crossguard.routing.addresses import normalize
from crossguard.routing.directory import Directory
from crossguard.routing.fanout import CustomerCheck, customer_fanout
from crossguard.routing.model import Group

SEVERITIES: tuple[str, ...] = ("info", "low", "medium", "high", "critical")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
EXAMPLES = 3


@dataclass(frozen=True, slots=True)
class RoutingFinding:
    """One risky routing configuration with the fix that removes it."""

    code: str
    severity: str
    address: str
    source: str
    title: str
    detail: str
    fix: str

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (already masked)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "address": self.address,
            "source": self.source,
            "title": self.title,
            "detail": self.detail,
            "fix": self.fix,
        }


def _sample(addresses: Iterable[str]) -> str:
    """A count and a few masked examples: ``3 (a***@x.example, ...)``."""
    ordered = sorted(addresses)
    shown = ", ".join(mask_email(a) for a in ordered[:EXAMPLES])
    more = ", ..." if len(ordered) > EXAMPLES else ""
    return f"{len(ordered)} ({shown}{more})"


#: External recipients an address may redistribute to without an index before it is HIGH.
MAX_EXTERNAL_MEMBERS = 10


def audit(
    directory: Directory, care_senders: Sequence[str] = (), *,
    is_customer: CustomerCheck | None = None, max_external: int = MAX_EXTERNAL_MEMBERS,
) -> list[RoutingFinding]:
    """Every finding for ``directory``, most severe first.

    ``is_customer`` (the index's email lookup) decides whether an address that
    redistributes outside mail reaches customers; without it, more than
    ``max_external`` external recipients do.
    """
    findings: list[RoutingFinding] = []
    for raw in care_senders:
        address = normalize(raw)
        if address is not None:
            findings.extend(_care_sender(directory, address))
    for group in directory.groups():
        findings.extend(_group_findings(directory, group, is_customer, max_external))
    for cycle in directory.cycles():
        first = directory.group(cycle[0])
        findings.append(
            RoutingFinding(
                code="cycle",
                severity="medium",
                address=cycle[0],
                source=first.source if first else "",
                title="groups contain each other",
                detail="membership loop: " + " -> ".join((*cycle, cycle[0])),
                fix="remove one of these memberships so that no group contains itself",
            )
        )
    findings.sort(key=lambda f: (-SEVERITY_RANK[f.severity], f.address, f.code))
    return findings


def _care_sender(directory: Directory, address: str) -> list[RoutingFinding]:
    group = directory.group(address)
    external = directory.external_members(address)
    if group is None or not external:
        return []
    return [
        RoutingFinding(
            code="care_reply_fanout",
            severity="critical",
            address=address,
            source=group.source,
            title="customer-care From/Reply-To address redistributes to external recipients",
            detail=(
                f"customer care sends as {address}; every reply to it reaches "
                f"{_sample(external)} external recipients"
            ),
            fix=(
                f"send customer care from a mailbox or ticketing address that does not "
                f"redistribute, and remove the external members from {address} "
                f"(or restrict who can post to owners and set replies to go to the sender)"
            ),
        )
    ]


def _group_findings(
    directory: Directory, group: Group, is_customer: CustomerCheck | None, max_external: int
) -> list[RoutingFinding]:
    found: list[RoutingFinding] = []
    expansion = directory.expansion(group.address)
    external = directory.external_members(group.address)

    def add(code: str, severity: str, title: str, detail: str, fix: str) -> None:
        found.append(RoutingFinding(code, severity, group.address, group.source, title,
                                    detail, fix))

    if expansion.truncated:
        add("nesting_too_deep", "medium", "nesting deeper than the depth limit",
            f"expansion stopped after {expansion.depth} levels; deeper recipients are unchecked",
            "flatten the nesting (or raise routing.max_depth if it is intended)")
    fanout = customer_fanout(directory, group, external, is_customer, max_external)
    if fanout and not (group.kind == "group" and group.who_can_post == "anyone"):
        add("customer_fanout", "high", "outside mail is redistributed to customers", fanout,
            f"make {group.address} a mailbox or ticket queue, or remove the external recipients "
            "(and restrict posting to the company domain)")
    if group.kind == "alias":
        forwards = [member for member in group.members if member in external]
        if forwards and not fanout:
            add("external_forward", "medium", "alias forwards to external domains",
                f"mail to {group.address} is forwarded to {_sample(forwards)} external addresses",
                f"remove the forward from {group.address} or point it at an internal mailbox")
        return found
    if external and group.who_can_post == "anyone":
        add("open_external_group", "high",
            "group accepts posts from anyone and redistributes them to external members",
            f"anyone can post; {_sample(external)} external recipients receive every post",
            "restrict who can post to owners, members or the company domain "
            "(Workspace whoCanPostMessage, Exchange RequireSenderAuthenticationEnabled), "
            "or remove the external members")
    custom = group.custom_reply_to if group.reply_to == "custom" else None
    to_list = group.reply_to == "list" or custom == group.address
    if external and (to_list or group.members_can_post_as_group):
        why = "replies go to the list" if to_list else (
            "members can post as the group, so replies come back to it")
        add("reply_to_list_external", "critical",
            "the list is the From or Reply-To of what it sends: replies reach external members",
            f"{why}; {_sample(external)} external recipients receive every reply",
            "set replies to go to the sender (Workspace replyTo REPLY_TO_SENDER) and stop "
            "members posting as the group, or remove the external members")
    if custom and custom != group.address:
        custom_external = directory.external_members(custom)
        if custom_external:
            shown = custom if directory.is_internal(custom) else mask_email(custom)
            add("reply_to_list_external", "critical", "custom Reply-To redistributes externally",
                f"replies go to {shown}, which reaches {_sample(custom_external)} external "
                "recipients",
                "point the custom Reply-To at an internal mailbox or reply to the sender")
    if not group.owners:
        add("unowned_group", "low", "nobody owns the group",
            "no owner or manager is recorded, so nobody reviews its members and settings",
            f"assign an owner to {group.address}")
    return found


def at_or_above(findings: Iterable[RoutingFinding], severity: str) -> bool:
    """True when any finding is at least ``severity``."""
    floor = SEVERITY_RANK[severity]
    return any(SEVERITY_RANK[f.severity] >= floor for f in findings)
