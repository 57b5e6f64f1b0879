"""`crossguard demo`: replay the incident on generated customers and show what is held."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from crossguard import demo as replay_demo
from crossguard.scan import Guard


@click.command()
@click.option("--workdir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Keep the generated customers, key, index and directory here, with the "
                   "incident's mail archive, a contacts file and a crossguard.toml.")
def demo(workdir: Path | None) -> int:
    """Replay the support-list incident on 1,000 generated customers."""
    console = Console(file=sys.stdout, width=140)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="crossguard-demo-") as scratch:
        folder = workdir or Path(scratch)
        console.print(f"generating {replay_demo.CUSTOMERS} customers and building the index "
                      f"in {folder} ...")
        settings, customers = replay_demo.prepare(folder)
        guard = Guard.from_settings(settings)
        console.print(f"ready in {time.perf_counter() - started:.1f} s; replaying the incident\n")
        stages = replay_demo.replay(guard, customers)
        incident = replay_demo.write_incident_files(folder, customers) if workdir else None
    table = Table("stage", "messages", "outcome", "rules fired", "expected",
                  title="crossguard: the support-list incident, replayed")
    wrong = 0
    for stage in stages:
        total = sum(stage.actions.values())
        outcome = ", ".join(f"{count} {action}" for action, count in stage.actions.most_common())
        rules = ", ".join(f"{rule} ({count})" for rule, count in stage.rules.most_common())
        ok = stage.actions[stage.expected] == total
        wrong += 0 if ok else 1
        table.add_row(stage.title, str(total), outcome, rules or "-",
                      ("[green]" if ok else "[red]") + stage.expected + "[/]")
    console.print(table)
    for stage in stages:
        if stage.example is not None and stage.example.held:
            console.print(f"\n[bold]{stage.title}[/], for example:")
            for rule in stage.example.rules:
                console.print(f"  {rule.rule} -> {rule.action}: {rule.reason}")
            for attribution in stage.example.attributions[:1]:
                shown = ", ".join(f"{e.kind} {e.masked}" for e in attribution.evidence[:6])
                console.print(f"  evidence for {attribution.customer_id}: {shown}")
    if incident is not None:
        archive, contacts, config = incident
        console.print(f"\nthe incident's mail archive: {archive}\nscope it with:\n  crossguard "
                      f"incident scan {archive} --config {config} --contacts-csv {contacts} "
                      f"--customers {folder / 'customers.csv'} --out {folder / 'incident'}",
                      soft_wrap=True)
    console.print(f"\ndone in {time.perf_counter() - started:.1f} s")
    return 0 if wrong == 0 else 1
