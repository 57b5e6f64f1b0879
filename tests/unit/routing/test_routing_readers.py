"""Each directory reader on the vendor fixtures, malformed lines included."""

from __future__ import annotations

from pathlib import Path

import pytest

from crossguard.routing import Directory
from crossguard.routing.readers import detect_format

FIXTURES = Path(__file__).parents[2] / "fixtures" / "routing"
DOMAINS = ["company.example"]


def _problems(directory: Directory) -> list[str]:
    """Problems as ``file:where level: message`` with the folder dropped."""
    return [f"{p.source.rsplit('/', 1)[-1]} {p.level}: {p.message}" for p in directory.problems]


def test_postfix_virtual_reads_continuations_and_reports_bad_lines() -> None:
    path = FIXTURES / "postfix" / "virtual"
    directory = Directory.from_sources([(path, "postfix-virtual")], DOMAINS)
    support = directory.group("support@company.example")
    assert support is not None and support.kind == "alias"
    assert support.members == (
        "ana.pereira@mail.example", "b.okafor@post.test", "chen.wei@mail.example",
        "care-team@company.example",
    )
    assert support.source == f"{path}:4"
    care = directory.group("care-team@company.example")
    assert care is not None and care.members == ("agent1@company.example",
                                                 "agent2@company.example")
    assert not directory.is_group("company.example")
    weird = directory.group("weird@company.example")
    assert weird is not None and weird.members == ("good@company.example",)
    assert _problems(directory) == [
        "virtual:12 error: pattern has no address",
        "virtual:13 error: pattern is not an address",
        "virtual:14 error: address 2 is not an address",
        "virtual:15 error: regular expression lookup tables are not read",
    ]


def test_postfix_aliases_qualifies_local_names_and_notes_includes() -> None:
    path = FIXTURES / "postfix" / "aliases"
    directory = Directory.from_sources([(path, "postfix-aliases")], DOMAINS)
    assert directory.expand("postmaster@company.example") == {"ops@company.example"}
    billing = directory.group("billing@company.example")
    assert billing is not None
    assert billing.members == ("accounts@company.example",
                               "bookkeeper@external-accounting.example")
    assert _problems(directory) == [
        "aliases:5 note: billing@company.example delivers to a command or file",
        "aliases:8 note: team@company.example includes /etc/postfix/team.list (not read)",
        "aliases:9 note: archive@company.example delivers to a command or file",
        "aliases:10 error: expected 'name: value, value, ...'",
    ]


def test_workspace_export_maps_settings_roles_and_aliases() -> None:
    path = FIXTURES / "workspace" / "groups.json"
    directory = Directory.from_sources([(path, "workspace")], DOMAINS)
    support = directory.group("support@company.example")
    assert support is not None
    assert (support.who_can_post, support.reply_to) == ("anyone", "list")
    assert support.allow_external_members and support.members_can_post_as_group
    assert support.owners == ()
    assert "care-team@company.example" in support.members
    care = directory.group("care-team@company.example")
    assert care is not None
    assert (care.who_can_post, care.reply_to, care.owners) == (
        "domain", "sender", ("lead@company.example",))
    assert not care.allow_external_members
    partners = directory.group("partners@company.example")
    assert partners is not None
    assert (partners.reply_to, partners.custom_reply_to) == ("custom", "support@company.example")
    assert partners.owners == ("manager@company.example",)
    assert directory.expand("preorders@company.example") == directory.expand(
        "support@company.example")
    assert directory.group("bad-settings@company.example") is None
    assert _problems(directory) == [
        "groups.json:4 error: members[4] has no valid email",
        "groups.json:29 note: a member is every user of the domain",
        "groups.json:59 error: unknown settings value 'EVERYONE_EVERYWHERE'",
    ]


def test_m365_groups_and_members_csv_merge() -> None:
    folder = FIXTURES / "m365"
    directory = Directory.from_sources(
        [(folder / "groups.csv", "m365"), (folder / "members.csv", "m365")], DOMAINS)
    support = directory.group("support@company.example")
    assert support is not None
    assert (support.who_can_post, support.reply_to, support.owners) == ("anyone", "sender", ())
    assert support.source == f"{folder / 'groups.csv'}:3"
    assert directory.external_members("support@company.example") == {
        "ana.pereira@mail.example", "b.okafor@post.test", "chen.wei@mail.example"}
    care = directory.group("care-team@company.example")
    assert care is not None and care.who_can_post == "domain"
    assert care.owners == ("lead@company.example",)
    announce = directory.group("announce@company.example")
    assert announce is not None
    assert (announce.who_can_post, announce.owners) == ("moderated", ("Comms Lead",))
    assert directory.expand("preorders@company.example") == directory.expand(
        "support@company.example")
    assert _problems(directory) == [
        "groups.csv:6 error: PrimarySmtpAddress is not an address",
        "members.csv:8 error: group or member is not an address",
    ]


def test_m365_members_for_unknown_group_create_it_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text("Group,PrimarySmtpAddress\nlist@company.example,x@out.example\n",
                    encoding="utf-8")
    directory = Directory.from_files([path], DOMAINS)
    assert directory.external_members("list@company.example") == {"x@out.example"}
    assert [p.level for p in directory.problems] == ["note"]


def test_neutral_json_and_invalid_values(tmp_path: Path) -> None:
    path = tmp_path / "directory.json"
    path.write_text(
        '{"groups": [\n'
        '  {"address": "a@company.example", "members": ["b@x.example"],\n'
        '   "who_can_post": "everyone"},\n'
        '  {"address": "c@company.example"}],\n'
        ' "aliases": {\n'
        '  "f@company.example": "g@y.example, h@company.example"}}',
        encoding="utf-8",
    )
    directory = Directory.from_files([path], DOMAINS)
    assert directory.group("a@company.example") is None
    assert directory.group("c@company.example") is not None
    assert directory.expand("f@company.example") == {"g@y.example", "h@company.example"}
    alias = directory.group("f@company.example")
    assert alias is not None and alias.source == f"{path}:6"
    group = directory.group("c@company.example")
    assert group is not None and group.source == f"{path}:4"
    assert [p.source for p in directory.problems] == [f"{path}:2"]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("d.yaml", "groups: []", "neutral"),
        ("d.json", '{"groups": [{"address": "a@b.example"}]}', "neutral"),
        ("w.json", '{"kind": "admin#directory#groups", "groups": []}', "workspace"),
        ("g.csv", "PrimarySmtpAddress\n", "m365"),
        ("virtual", "# c\na@b.example c@d.example\n", "postfix-virtual"),
        ("aliases", "# c\nroot: ops@b.example\n", "postfix-aliases"),
    ],
)
def test_detect_format(name: str, text: str, expected: str) -> None:
    assert detect_format(Path(name), text) == expected


def test_duplicate_definition_later_wins_with_note(tmp_path: Path) -> None:
    first = tmp_path / "a.yaml"
    second = tmp_path / "b.yaml"
    first.write_text("aliases:\n  x@company.example: [a@company.example]\n", encoding="utf-8")
    second.write_text("aliases:\n  x@company.example: [b@company.example]\n", encoding="utf-8")
    directory = Directory.from_files([first, second], DOMAINS)
    assert directory.expand("x@company.example") == {"b@company.example"}
    assert [(p.source, p.level) for p in directory.problems] == [(f"{second}:2", "note")]
