"""The aiosmtpd handler: envelope in, verdict-driven reply out, never an error's text."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from crossguard.gateway.acceptor import Acceptor
from crossguard.gateway.clients import ClientPolicy
from crossguard.gateway.limits import peer_host
from crossguard.gateway.relay import RelayWorker

log = logging.getLogger("crossguard.gateway")


def submitter(session: Any) -> str:
    """Who handed the message in: the AUTH login, else the client's address."""
    login = getattr(session.auth_data, "login", None) if session.authenticated else None
    if isinstance(login, bytes):
        return "auth:" + login.decode("utf-8", "replace").casefold()
    return "client:" + peer_host(session.peer)


def incident_reply(where: str, error: BaseException) -> str:
    """Log an incident id with the exception type only; the 451 the peer sees."""
    incident = secrets.token_hex(6)
    log.error("incident %s: %s during %s", incident, type(error).__name__, where)
    return f"451 4.7.0 temporary failure, incident {incident}"


class GatewayHandler:
    """Checks every message on DATA; the envelope recipients (Bcc included) are checked."""

    def __init__(self, acceptor: Acceptor, relay: RelayWorker, clients: ClientPolicy) -> None:
        self.acceptor = acceptor
        self.relay = relay
        self.clients = clients

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:
        """Refuse a client outside ``gateway.allow_clients`` that did not AUTH."""
        refusal = self.clients.refusal(session.peer, bool(session.authenticated))
        if refusal is not None:
            log.warning("refused MAIL from a client outside gateway.allow_clients")
            return refusal
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Spool, check, act; any failure answers 451 with an incident id."""
        body = envelope.content
        if isinstance(body, str):
            body = body.encode("utf-8", "surrogateescape")
        try:
            outcome = await self.acceptor.accept(
                envelope.mail_from or "", list(envelope.rcpt_tos), body, submitter(session)
            )
        except Exception as error:  # fail closed: the client retries
            self.acceptor.metrics.decided("error")
            return incident_reply("DATA", error)
        if outcome.quarantine_id is not None:
            log.info("spool %s: %s rules=%s quarantine=%s", outcome.spool_id, outcome.action,
                     ",".join(outcome.rules), outcome.quarantine_id)
        else:
            log.info("spool %s: %s", outcome.spool_id, outcome.action)
        if outcome.queued:
            self.relay.wake()
        return outcome.reply

    async def handle_exception(self, error: Exception) -> str:
        """aiosmtpd's hook for errors outside DATA: a 451, never ``str(error)``."""
        return incident_reply("session", error)
