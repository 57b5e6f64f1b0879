"""Readers never raise on arbitrary text; expansion ends and returns only final recipients."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossguard.routing import Directory, Group
from crossguard.routing.readers import read_source
from crossguard.routing.readers.jsonlines import loads_with_lines

FORMATS = ["neutral", "postfix-virtual", "postfix-aliases", "workspace", "m365"]
LINES = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from([
            "a@co.example b@x.example", "root: ops", "  c@co.example", "# x", "groups:",
            "  - address: g@co.example", "    members: [a@x.example, 1]", "{", '"email": 3',
            "PrimarySmtpAddress,Group", "a@co.example,g@co.example", ":include:/x", "|cmd",
        ]),
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=LINES, fmt=st.sampled_from(FORMATS))
def test_readers_never_raise(tmp_path: Path, lines: list[str], fmt: str) -> None:
    path = tmp_path / "input"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = read_source(path, fmt, "co.example")
    for group in result.groups:
        assert group.address == group.address.lower()
        assert all(member == member.lower() for member in group.members)


NAMES = [f"g{i}@co.example" for i in range(6)] + ["u@co.example", "x@out.example"]


def _reachable(edges: dict[str, list[str]], start: str) -> set[str]:
    """Final recipients by plain depth-first search (the reference)."""
    if start not in edges:
        return {start}
    seen, stack, found = {start}, [start], set()
    while stack:
        for member in edges[stack.pop()]:
            if member not in edges:
                found.add(member)
            elif member not in seen:
                seen.add(member)
                stack.append(member)
    return found


@settings(max_examples=200, deadline=None)
@given(edges=st.dictionaries(st.sampled_from(NAMES[:6]),
                             st.lists(st.sampled_from(NAMES), max_size=5)))
def test_expansion_matches_reference_and_ends(edges: dict[str, list[str]]) -> None:
    groups = [Group(a, tuple(m), (), "members", "sender", None, False, "t:1")
              for a, m in edges.items()]
    directory = Directory(groups, ["co.example"])
    for address in NAMES:
        assert directory.expand(address) == _reachable(edges, address)
        assert not directory.expansion(address).truncated
        expected = {r for r in _reachable(edges, address) if r == "x@out.example"}
        assert directory.external_members(address) == expected


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner,
                                                                 max_size=3),
    max_leaves=10,
)


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(st.lists(JSON, max_size=3), st.dictionaries(st.text(max_size=3), JSON,
                                                                    max_size=3)),
       indent=st.sampled_from([None, 0, 2]))
def test_json_with_lines_decodes_like_json(value: object, indent: int | None) -> None:
    text = json.dumps(value, indent=indent)
    data, positions = loads_with_lines(text)
    assert data == value
    if isinstance(value, list):
        assert len(positions[""]) == len(value)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet='{}[],:"ab1 \n', max_size=20))
def test_json_with_lines_rejects_what_json_rejects(text: str) -> None:
    try:
        expected = json.loads(text)
    except json.JSONDecodeError:
        with pytest.raises(json.JSONDecodeError):
            loads_with_lines(text)
    else:
        if isinstance(expected, list | dict):
            assert loads_with_lines(text)[0] == expected
