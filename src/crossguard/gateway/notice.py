"""The sender knows: a notice to the internal sender of a held message.

The notice is queued in the spool in the same transaction as the hold, so it is
relayed like any accepted message (and never without the hold). It names the
quarantine id, the rules' public reasons (``data/rule_reasons.toml``), the
recipients masked, and how to ask for release (a link to the dashboard entry
when ``gateway.dashboard_url`` is set); never the subject, the body or any
identifier found. Only senders in ``policy.company_domains`` get one: a notice
to an outside sender would tell a stranger what crossguard looks for.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from importlib import resources
from pathlib import Path

from jinja2 import Environment, StrictUndefined, TemplateSyntaxError

from crossguard.errors import ConfigError
from crossguard.gateway.reasons import deciding_rules, public_reason
from crossguard.gateway.settings import GatewaySettings
from crossguard.policy.verdict import Verdict
from crossguard.store.quarantine import masked_addresses


def is_internal(address: str, company_domains: Sequence[str]) -> bool:
    """True when the address's domain is one of the company's (or a subdomain)."""
    domain = address.rpartition("@")[2].lower()
    return bool(domain) and any(
        domain == own or domain.endswith("." + own)
        for own in (item.lower().lstrip("@") for item in company_domains))


def load_template(path: Path | None) -> str:
    """The notice template: the configured file, else the packaged one."""
    if path is None:
        return resources.files("crossguard").joinpath("data/hold_notice.txt.j2").read_text(
            "utf-8")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"gateway.notice_template: {path}: cannot read "
                          f"({type(error).__name__})") from None


class Notifier:
    """Builds the hold notice for a sender, or nothing for an outside sender."""

    def __init__(self, gateway: GatewaySettings, company_domains: Sequence[str]) -> None:
        self.domains = list(company_domains)
        self.enabled = gateway.notify_sender and bool(self.domains)
        self.sender = gateway.notice_from or (
            f"postmaster@{self.domains[0]}" if self.domains else "postmaster@localhost")
        self.dashboard = gateway.dashboard_url.rstrip("/")
        self.release_contact = gateway.release_contact
        environment = Environment(undefined=StrictUndefined, keep_trailing_newline=True,
                                  autoescape=False)
        try:
            self.template = environment.from_string(load_template(gateway.notice_template))
        except TemplateSyntaxError as error:
            raise ConfigError(f"gateway.notice_template: line {error.lineno}: "
                              f"{error.message}") from None

    def notice(self, mail_from: str, rcpts: Sequence[str], quarantine_id: str,
               verdict: Verdict) -> bytes | None:
        """The notice's bytes for an internal ``mail_from``; None for anyone else."""
        if not self.enabled or not is_internal(mail_from, self.domains):
            return None
        reasons = [public_reason(rule) for rule in deciding_rules(verdict)]
        link = f"{self.dashboard}/ui/quarantine/{quarantine_id}" if self.dashboard else ""
        text = self.template.render(
            company=self.domains[0], quarantine_id=quarantine_id, reasons=reasons,
            recipients=masked_addresses(rcpts), link=link, release_contact=self.release_contact,
            received=formatdate(time.time(), usegmt=True),
        )
        message = EmailMessage()
        message["From"] = f"crossguard <{self.sender}>"
        message["To"] = mail_from
        message["Subject"] = f"Held: your message was not sent (quarantine {quarantine_id})"
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2])
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(text)
        return message.as_bytes()
