"""Routing directory benchmark: read, expand and audit 10,000 groups with 200,000 members.

Generates a neutral JSON directory and the same directory as a Postfix
``virtual`` file, with 10-level nesting and membership cycles, then times
reading, expanding every group and the full audit, best of three runs; wall
and CPU seconds are both recorded because the machine is shared. Prints a
table and writes bench/results/routing.json.
Run: ``.venv/bin/python bench/routing.py``.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from lib.results import write_result

from crossguard.routing.audit import audit
from crossguard.routing.directory import Directory

GROUPS = 10_000
MEMBERS_PER_GROUP = 20
NESTING = 10
CYCLES = 50
REPEATS = 3
DOMAIN = "company.example"


def generate(seed: int = 8) -> dict[str, list[dict[str, Any]]]:
    """Groups with 20 members each: users, ~10% external, some nested groups and cycles."""
    rng = random.Random(seed)
    groups: list[dict[str, Any]] = []
    for number in range(GROUPS):
        members = []
        for slot in range(MEMBERS_PER_GROUP):
            if slot == 0 and number % 10 == 0 and number + 1 < GROUPS:
                members.append(f"g{rng.randrange(number + 1, GROUPS)}@{DOMAIN}")
            elif rng.random() < 0.1:
                members.append(f"c{number}.{slot}@mail{rng.randrange(50)}.example")
            else:
                members.append(f"u{(number * MEMBERS_PER_GROUP + slot) % 100_000}@{DOMAIN}")
        groups.append({
            "address": f"g{number}@{DOMAIN}",
            "members": members,
            "owners": [f"u{number}@{DOMAIN}"] if number % 7 else [],
            "who_can_post": rng.choice(["anyone", "domain", "members", "owners"]),
            "reply_to": rng.choice(["sender", "sender", "sender", "list"]),
        })
    for level in range(NESTING):  # g0 -> g1 -> ... -> g10: 10 levels of nesting
        groups[level]["members"][1] = f"g{level + 1}@{DOMAIN}"
    for pair in range(CYCLES):  # g(5000+2k) <-> g(5001+2k)
        first, second = 5000 + 2 * pair, 5001 + 2 * pair
        groups[first]["members"][2] = f"g{second}@{DOMAIN}"
        groups[second]["members"][2] = f"g{first}@{DOMAIN}"
    return {"groups": groups}


def as_virtual(data: dict[str, list[dict[str, Any]]]) -> str:
    """The same directory as a Postfix virtual(5) source file."""
    return "".join(f"{g['address']}\t{', '.join(g['members'])}\n" for g in data["groups"])


def measure(path: Path, fmt: str) -> dict[str, Any]:
    """Seconds to read, to expand every group, and to audit, for one file."""
    cpu_started = time.process_time()
    started = time.perf_counter()
    directory = Directory.from_sources([(path, fmt)], [DOMAIN])
    read = time.perf_counter()
    recipients = sum(len(directory.expand(g.address)) for g in directory.groups())
    expanded = time.perf_counter()
    findings = audit(directory, [f"g0@{DOMAIN}"])
    audited = time.perf_counter()
    cpu = time.process_time() - cpu_started
    assert len(directory.cycles()) == CYCLES, "cycle detection"
    assert directory.expansion(f"g0@{DOMAIN}").depth >= NESTING + 1, "nesting"
    return {
        "format": fmt,
        "groups": len(directory),
        "members": sum(len(g.members) for g in directory.groups()),
        "recipients_expanded": recipients,
        "findings": len(findings),
        "read_s": round(read - started, 3),
        "expand_all_s": round(expanded - read, 3),
        "audit_s": round(audited - expanded, 3),
        "total_s": round(audited - started, 3),
        "total_cpu_s": round(cpu, 3),
    }


def main() -> None:
    """Run the benchmark, print the table and write the JSON results."""
    data = generate()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        neutral = Path(folder) / "directory.json"
        neutral.write_text(json.dumps(data), encoding="utf-8")
        virtual = Path(folder) / "virtual"
        virtual.write_text(as_virtual(data), encoding="utf-8")
        for path, fmt in ((neutral, "neutral"), (virtual, "postfix-virtual")):
            runs = [measure(path, fmt) for _ in range(REPEATS)]
            rows.append(min(runs, key=lambda row: row["total_s"]))
    print(f"{'format':<16}{'groups':>8}{'members':>9}{'findings':>9}{'read s':>8}"
          f"{'expand s':>9}{'audit s':>8}{'total s':>8}{'cpu s':>7}")
    for r in rows:
        print(f"{r['format']:<16}{r['groups']:>8}{r['members']:>9}{r['findings']:>9}"
              f"{r['read_s']:>8.3f}{r['expand_all_s']:>9.3f}{r['audit_s']:>8.3f}"
              f"{r['total_s']:>8.3f}{r['total_cpu_s']:>7.3f}")
    print(f"load average (1 min): {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    write_result("routing", {"target_total_s": 2.0, "repeats": REPEATS, "rows": rows},
                 quick=False)


if __name__ == "__main__":
    main()
