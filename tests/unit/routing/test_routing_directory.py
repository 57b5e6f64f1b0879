"""Directory: lookup, expansion, cycles, depth limit, internal/external classing."""

from __future__ import annotations

from pathlib import Path

import pytest

from crossguard.errors import ConfigError
from crossguard.routing import Directory, Group
from crossguard.routing.addresses import normalize


def _group(address: str, *members: str, kind: str = "group") -> Group:
    return Group(address, members, (), "members", "sender", None, False, "test:1", kind)


def test_expand_nested_groups_to_final_recipients() -> None:
    directory = Directory(
        [
            _group("all@co.example", "team@co.example", "x@cust.example"),
            _group("team@co.example", "a@co.example", "b@sub.co.example"),
        ],
        ["co.example"],
    )
    assert directory.expand("ALL@co.example") == {"x@cust.example", "a@co.example",
                                                   "b@sub.co.example"}
    assert directory.external_members("all@co.example") == {"x@cust.example"}
    assert directory.expand("solo@else.example") == {"solo@else.example"}
    assert directory.is_group("team@co.example")
    assert not directory.is_group("a@co.example")
    assert directory.group("nobody@co.example") is None


def test_cycle_terminates_and_is_reported() -> None:
    directory = Directory(
        [
            _group("a@co.example", "b@co.example", "p@co.example"),
            _group("b@co.example", "c@co.example"),
            _group("c@co.example", "a@co.example", "q@out.example"),
            _group("self@co.example", "self@co.example"),
        ],
        ["co.example"],
    )
    assert directory.expand("a@co.example") == {"p@co.example", "q@out.example"}
    assert directory.expand("self@co.example") == frozenset()
    assert directory.cycles() == [
        ("a@co.example", "b@co.example", "c@co.example"),
        ("self@co.example",),
    ]


def test_depth_limit_cuts_expansion() -> None:
    chain = [_group(f"g{i}@co.example", f"g{i + 1}@co.example", f"u{i}@co.example")
             for i in range(10)]
    chain.append(_group("g10@co.example", "deep@out.example"))
    full = Directory(chain, ["co.example"])
    assert full.expansion("g0@co.example").depth == 11
    assert "deep@out.example" in full.expand("g0@co.example")
    cut = Directory(chain, ["co.example"], max_depth=3)
    expansion = cut.expansion("g0@co.example")
    assert expansion.truncated
    assert expansion.recipients == {"u0@co.example", "u1@co.example", "u2@co.example"}


def test_is_internal_counts_subdomains_only() -> None:
    directory = Directory([], ["Company.example"])
    assert directory.is_internal("x@company.example")
    assert directory.is_internal("x@eu.company.example")
    assert not directory.is_internal("x@notcompany.example")
    assert not directory.is_internal("x@company.example.evil.test")


def test_from_files_reads_yaml_and_reports_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "dir.yaml"
    path.write_text(
        "groups:\n"
        "  - address: support@co.example\n"
        "    members: [a@cust.example, not-an-address]\n"
        "    reply_to: list\n"
        "aliases:\n"
        "  fwd@co.example: [x@gmail.example]\n",
        encoding="utf-8",
    )
    directory = Directory.from_files([path], ["co.example"])
    group = directory.group("support@co.example")
    assert group is not None
    assert group.reply_to == "list"
    assert group.source == f"{path}:2"
    assert group.members == ("a@cust.example",)
    assert [str(p) for p in directory.problems] == [
        f"{path}:2: error: members[1] is not an address"
    ]
    alias = directory.group("fwd@co.example")
    assert alias is not None and alias.kind == "alias" and alias.source == f"{path}:6"


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        Directory.from_files([tmp_path / "absent.yaml"])


def test_external_members_of_a_plain_address() -> None:
    directory = Directory([_group("g@co.example", "x@out.example")], ["co.example"])
    assert directory.external_members("X@Out.example") == {"x@out.example"}
    assert directory.external_members("a@co.example") == frozenset()
    assert directory.external_members("Team <G@co.example>") == {"x@out.example"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A.B@Example.COM", "a.b@example.com"),
        ("  Care Team <Care@Company.example> ", "care@company.example"),
        ("@company.example", "@company.example"),
        ("no-at-sign", None),
        ("two@@example.com", None),
        ("a@-bad.example", None),
        ("a b@example.com", None),
    ],
)
def test_normalize(text: str, expected: str | None) -> None:
    assert normalize(text) == expected
