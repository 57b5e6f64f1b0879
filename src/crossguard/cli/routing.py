"""`crossguard routing audit`: report routing that fans mail out to external recipients."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from crossguard.cli.options import config_option, index_option, settings_for
from crossguard.config import Settings
from crossguard.errors import CrossguardError
from crossguard.index.attribute import Attributor
from crossguard.index.customer_index import CustomerIndex
from crossguard.routing.audit import SEVERITIES, at_or_above, audit
from crossguard.routing.directory import Directory
from crossguard.routing.fanout import CustomerCheck
from crossguard.routing.report import FORMATS, AuditReport, render

_FILE = click.Path(dir_okay=False, path_type=Path)


@click.group(name="routing")
def routing() -> None:
    """Audit the mail routing directory (groups, lists, aliases)."""


@routing.command(name="audit")
@click.option("--postfix-virtual", multiple=True, type=_FILE, help="Postfix virtual(5) source.")
@click.option("--postfix-aliases", multiple=True, type=_FILE, help="Postfix aliases(5) source.")
@click.option("--workspace-groups", multiple=True, type=_FILE, help="Google Workspace JSON export.")
@click.option("--m365-groups", multiple=True, type=_FILE,
              help="Exchange Get-DistributionGroup or Get-DistributionGroupMember CSV.")
@click.option("--directory", "neutral", multiple=True, type=_FILE,
              help="Neutral directory file (YAML/JSON, docs/routing.md).")
@config_option
@click.option("--care-sender", multiple=True, metavar="ADDR",
              help="Customer-care From/Reply-To address (adds to routing.care_senders).")
@click.option("--company-domain", multiple=True, metavar="DOMAIN",
              help="Company mail domain (replaces policy.company_domains).")
@index_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Report format.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), default="high", show_default=True,
              help="Exit 1 when a finding of this severity or worse exists.")
@click.pass_context
def audit_command(
    ctx: click.Context,
    postfix_virtual: Sequence[Path],
    postfix_aliases: Sequence[Path],
    workspace_groups: Sequence[Path],
    m365_groups: Sequence[Path],
    neutral: Sequence[Path],
    config_path: Path | None,
    care_sender: Sequence[str],
    company_domain: Sequence[str],
    index_path: Path | None,
    fmt: str,
    fail_on: str,
) -> None:
    """Report addresses whose posts or replies reach external recipients; exit 1 at --fail-on."""
    try:
        settings = settings_for(config_path)
        sources: list[tuple[Path, str | None]] = [(p, None) for p in settings.policy.directory]
        for paths, kind in (
            (postfix_virtual, "postfix-virtual"),
            (postfix_aliases, "postfix-aliases"),
            (workspace_groups, "workspace"),
            (m365_groups, "m365"),
            (neutral, "neutral"),
        ):
            sources += [(path, kind) for path in paths]
        if not sources:
            raise click.UsageError("give at least one directory file (see --help)")
        domains = list(company_domain) or settings.policy.company_domains
        directory = Directory.from_sources(sources, domains, max_depth=settings.routing.max_depth)
        findings = audit(directory, [*settings.routing.care_senders, *care_sender],
                         is_customer=_customer_check(settings, index_path),
                         max_external=settings.routing.max_external_members)
    except CrossguardError as error:
        click.echo(f"crossguard: error: {error}", err=True)
        ctx.exit(2)
    click.echo(render(AuditReport.build(directory, findings), fmt))
    ctx.exit(1 if at_or_above(findings, fail_on) else 0)


def _customer_check(settings: Settings, index_path: Path | None) -> CustomerCheck | None:
    """The index's "is this address a customer's?" when an index is given or configured."""
    path = index_path or settings.index.path
    if path is None:
        return None
    attributor = Attributor(CustomerIndex.open(path, settings.secret_key()),
                            settings.secret_key(), settings.index)
    return lambda address: bool(attributor.customers_with_email(address))
