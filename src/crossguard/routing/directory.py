"""The routing directory: groups, lists and aliases, expanded to final recipients.

The policy engine builds one with :meth:`Directory.from_files` and asks it, per
recipient or Reply-To address, whether it is a group and who it reaches.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from crossguard.routing.addresses import DomainClassifier, normalize
from crossguard.routing.model import Group, Membership, Problem, ReadResult
from crossguard.routing.readers import read_source
from crossguard.routing.readers.neutral import alias_group

__all__ = ["Directory", "Expansion", "Group", "Problem"]

DEFAULT_MAX_DEPTH = 20


@dataclass(frozen=True, slots=True)
class Expansion:
    """The final recipients of an address and whether nesting was cut at the depth limit."""

    recipients: frozenset[str]
    truncated: bool
    depth: int


class Directory:
    """An immutable set of groups and aliases with cached expansion."""

    def __init__(
        self,
        groups: Sequence[Group],
        company_domains: Sequence[str] = (),
        *,
        problems: Sequence[Problem] = (),
        max_depth: int = DEFAULT_MAX_DEPTH,
    ) -> None:
        self._groups: dict[str, Group] = {group.address: group for group in groups}
        self._classifier = DomainClassifier(company_domains)
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.max_depth = max_depth
        self._cache: dict[str, Expansion] = {}
        self._external: dict[str, frozenset[str]] = {}
        self._all_external: frozenset[str] | None = None

    @classmethod
    def from_files(
        cls,
        paths: Sequence[Path],
        company_domains: Sequence[str] = (),
        *,
        max_depth: int = DEFAULT_MAX_DEPTH,
    ) -> Directory:
        """Read every file, its format told by extension and content."""
        sources = [(Path(path), None) for path in paths]
        return cls.from_sources(sources, company_domains, max_depth=max_depth)

    @classmethod
    def from_sources(
        cls,
        sources: Sequence[tuple[Path, str | None]],
        company_domains: Sequence[str] = (),
        *,
        max_depth: int = DEFAULT_MAX_DEPTH,
    ) -> Directory:
        """Read ``(path, format)`` pairs (None: detect); ConfigError when a file is unreadable."""
        default_domain = company_domains[0].lower() if company_domains else None
        results = [read_source(path, fmt, default_domain) for path, fmt in sources]
        groups, problems = _merge(results)
        return cls(groups, company_domains, problems=problems, max_depth=max_depth)

    def __len__(self) -> int:
        return len(self._groups)

    def groups(self) -> Iterator[Group]:
        """Every group and alias, in the order read."""
        return iter(self._groups.values())

    @property
    def company_domains(self) -> tuple[str, ...]:
        """The company domains this directory classes as internal."""
        return self._classifier.domains

    def is_group(self, address: str) -> bool:
        """True when the address is a group, list or alias that redistributes mail."""
        return _key(address) in self._groups

    def group(self, address: str) -> Group | None:
        """The group or alias at ``address``, or None."""
        return self._groups.get(_key(address))

    def is_internal(self, address: str) -> bool:
        """True for addresses in a company domain or one of its subdomains."""
        return self._classifier.is_internal(address)

    def expand(self, address: str) -> frozenset[str]:
        """The final recipients of ``address`` ({address} when it is not a group)."""
        return self.expansion(address).recipients

    def external_members(self, address: str) -> frozenset[str]:
        """The final recipients of ``address`` outside the company domains (cached)."""
        key = _key(address)
        if key not in self._groups:
            return frozenset() if self.is_internal(key) else frozenset((key,))
        external = self._external.get(key)
        if external is None:
            external = self.expand(key) & self._all_external_members()
            self._external[key] = external
        return external

    def _all_external_members(self) -> frozenset[str]:
        """Every member, at any level, outside the company: classed once per address."""
        if self._all_external is None:
            internal = self._classifier.is_internal
            members = {m for g in self._groups.values() for m in g.members}
            self._all_external = frozenset(
                m for m in members if m not in self._groups and not internal(m)
            )
        return self._all_external

    def expansion(self, address: str) -> Expansion:
        """Expand breadth-first, each group once (cycles end), no deeper than ``max_depth``."""
        key = _key(address)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._expand(key)
            self._cache[key] = cached
        return cached

    def _expand(self, start: str) -> Expansion:
        if start not in self._groups:
            return Expansion(frozenset((start,)), False, 0)
        seen = {start}
        recipients: set[str] = set()
        frontier = [start]
        depth = 0
        while frontier:
            if depth == self.max_depth:
                return Expansion(frozenset(recipients), True, depth)
            depth += 1
            following: list[str] = []
            for address in frontier:
                for member in self._groups[address].members:
                    if member not in self._groups:
                        recipients.add(member)
                    elif member not in seen:
                        seen.add(member)
                        following.append(member)
            frontier = following
        return Expansion(frozenset(recipients), False, depth)

    def cycles(self) -> list[tuple[str, ...]]:
        """Every set of groups that contain each other (strongly connected), sorted."""
        return _strongly_connected(self._groups)


def _key(address: str) -> str:
    """The lookup key: lower-cased, and the bare address when given as ``Name <a@b>``."""
    key = address.strip().lower()
    return (normalize(key) or key) if "<" in key else key


def _merge(results: Sequence[ReadResult]) -> tuple[list[Group], list[Problem]]:
    """Combine files: later definitions of an address win; loose memberships join their group."""
    groups: dict[str, Group] = {}
    problems: list[Problem] = []
    memberships: list[Membership] = []
    for result in results:
        problems.extend(result.problems)
        memberships.extend(result.memberships)
        for group in result.groups:
            earlier = groups.get(group.address)
            if earlier is not None:
                problems.append(
                    Problem(group.source, f"{group.address} also defined at {earlier.source}; "
                            "this definition wins", "note")
                )
            groups[group.address] = group
    extra: dict[str, list[str]] = {}
    for row in memberships:
        if row.group not in groups:
            problems.append(
                Problem(row.source, f"{row.group} has members but no group record", "note")
            )
            groups[row.group] = dataclasses.replace(
                alias_group(row.group, (), row.source), kind="group"
            )
        extra.setdefault(row.group, []).append(row.member)
    for address, members in extra.items():
        group = groups[address]
        combined = tuple(dict.fromkeys((*group.members, *members)))
        groups[address] = dataclasses.replace(group, members=combined)
    return list(groups.values()), problems


def _strongly_connected(groups: dict[str, Group]) -> list[tuple[str, ...]]:
    """Tarjan's algorithm, iterative; returns components that form a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[tuple[str, ...]] = []
    counter = 0
    for root in groups:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(groups[root].members))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in groups:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(groups[child].members)))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in groups[node].members:
                    found.append(tuple(sorted(component)))
    return sorted(found)
