"""Every routing finding type, the incident's configuration, and masked reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from crossguard.routing import Directory, Group
from crossguard.routing.audit import RoutingFinding, at_or_above, audit
from crossguard.routing.report import FORMATS, AuditReport, render

FIXTURES = Path(__file__).parents[2] / "fixtures" / "routing"
DOMAINS = ["company.example"]
CUSTOMERS = ["ana.pereira@mail.example", "b.okafor@post.test", "chen.wei@mail.example",
             "dmitri.k@inbox.test"]


def _group(address: str, *members: str, who: str = "members", reply: str = "sender",
           owners: tuple[str, ...] = ("lead@company.example",), kind: str = "group",
           custom: str | None = None, post_as_group: bool = False) -> Group:
    return Group(address, members, owners, who, reply, custom, True, f"t:{address}", kind,
                 post_as_group)


def _codes(findings: list[RoutingFinding]) -> list[tuple[str, str, str]]:
    return [(f.severity, f.code, f.address) for f in findings]


def test_incident_configuration_is_critical_with_a_fix() -> None:
    directory = Directory.from_files([FIXTURES / "incident.yaml"], DOMAINS)
    findings = audit(directory, ["Support@Company.example"])
    assert _codes(findings) == [
        ("critical", "care_reply_fanout", "support@company.example"),
        ("critical", "reply_to_list_external", "support@company.example"),
        ("high", "open_external_group", "support@company.example"),
        ("low", "unowned_group", "support@company.example"),
    ]
    critical = findings[0]
    assert critical.source.endswith("incident.yaml:5")
    assert "4 (a***@mail.example" in critical.detail
    assert "does not redistribute" in critical.fix
    assert "remove the external members from support@company.example" in critical.fix


@pytest.mark.parametrize("name", ["postfix/virtual", "workspace/groups.json"])
def test_incident_is_critical_in_vendor_formats(name: str) -> None:
    directory = Directory.from_files([FIXTURES / name], DOMAINS)
    findings = audit(directory, ["support@company.example"])
    assert ("critical", "care_reply_fanout", "support@company.example") in _codes(findings)
    assert findings[0].severity == "critical"


def test_m365_incident_is_critical() -> None:
    folder = FIXTURES / "m365"
    directory = Directory.from_files([folder / "groups.csv", folder / "members.csv"], DOMAINS)
    assert _codes(audit(directory, ["support@company.example"]))[0] == (
        "critical", "care_reply_fanout", "support@company.example")


def test_care_sender_that_stays_internal_is_fine() -> None:
    directory = Directory(
        [_group("care@company.example", "a@company.example", "b@eu.company.example")], DOMAINS)
    assert audit(directory, ["care@company.example", "agent@company.example"]) == []


def test_open_group_with_external_members_is_high() -> None:
    directory = Directory([_group("news@company.example", "x@out.example", who="anyone")],
                          DOMAINS)
    assert _codes(audit(directory)) == [("high", "open_external_group", "news@company.example")]
    closed = Directory([_group("news@company.example", "x@out.example", who="domain")], DOMAINS)
    assert audit(closed) == []


@pytest.mark.parametrize(
    ("group", "phrase"),
    [
        (_group("l@company.example", "x@out.example", reply="list"), "replies go to the list"),
        (_group("l@company.example", "x@out.example", post_as_group=True),
         "members can post as the group"),
        (_group("l@company.example", "x@out.example", reply="custom",
                custom="l@company.example"), "replies go to the list"),
    ],
)
def test_list_as_reply_to_or_from_with_external_members_is_critical(group: Group,
                                                                   phrase: str) -> None:
    findings = audit(Directory([group], DOMAINS))
    assert _codes(findings) == [("critical", "reply_to_list_external", "l@company.example")]
    assert phrase in findings[0].detail


def test_custom_reply_to_an_external_list_is_critical_and_masked() -> None:
    directory = Directory(
        [
            _group("team@company.example", "a@company.example", reply="custom",
                   custom="fans@out.example"),
            _group("fans@out.example", "x@other.example", kind="alias"),
        ],
        DOMAINS,
    )
    findings = [f for f in audit(directory) if f.code == "reply_to_list_external"]
    assert [f.address for f in findings] == ["team@company.example"]
    assert "f***@out.example" in findings[0].detail
    assert "fans@out.example" not in findings[0].detail


def test_alias_forwarding_outside_is_medium_but_alias_to_group_is_not() -> None:
    directory = Directory(
        [
            _group("sales@company.example", "p@agency.example", "a@company.example",
                   kind="alias"),
            _group("help@company.example", "list@company.example", kind="alias"),
            _group("list@company.example", "x@out.example"),
        ],
        DOMAINS,
    )
    assert _codes(audit(directory)) == [
        ("medium", "external_forward", "sales@company.example")]


def test_cycles_and_deep_nesting_are_medium() -> None:
    groups = [_group("a@company.example", "b@company.example"),
              _group("b@company.example", "a@company.example")]
    groups += [_group(f"n{i}@company.example", f"n{i + 1}@company.example") for i in range(5)]
    directory = Directory(groups, DOMAINS, max_depth=3)
    findings = audit(directory)
    assert ("medium", "cycle", "a@company.example") in _codes(findings)
    cycle = next(f for f in findings if f.code == "cycle")
    assert cycle.detail == ("membership loop: a@company.example -> b@company.example -> "
                            "a@company.example")
    deep = {f.address for f in findings if f.code == "nesting_too_deep"}
    assert deep == {"n0@company.example", "n1@company.example"}


def test_unowned_group_is_low_and_aliases_need_no_owner() -> None:
    directory = Directory(
        [_group("g@company.example", "a@company.example", owners=()),
         _group("al@company.example", "a@company.example", owners=(), kind="alias")],
        DOMAINS,
    )
    assert _codes(audit(directory)) == [("low", "unowned_group", "g@company.example")]


def test_at_or_above() -> None:
    findings = audit(Directory([_group("g@company.example", owners=())], DOMAINS))
    assert at_or_above(findings, "low")
    assert not at_or_above(findings, "medium")
    assert not at_or_above([], "info")


@pytest.mark.parametrize("fmt", FORMATS)
def test_reports_never_show_a_customer_address(fmt: str) -> None:
    directory = Directory.from_files([FIXTURES / "incident.yaml"], DOMAINS)
    report = AuditReport.build(directory, audit(directory, ["support@company.example"]))
    text = render(report, fmt)
    assert "support@company.example" in text
    assert "care_reply_fanout" in text
    for customer in CUSTOMERS:
        assert customer not in text
        assert customer.split("@")[0] not in text


def test_html_report_escapes_markup(tmp_path: Path) -> None:
    path = tmp_path / "<i>.yaml"
    path.write_text("groups:\n  - address: a@company.example\n    members: [x@out.example]\n",
                    encoding="utf-8")
    directory = Directory.from_files([path], DOMAINS)
    html = render(AuditReport.build(directory, audit(directory)), "html")
    assert "&lt;i&gt;.yaml:2" in html
    assert "<i>" not in html
