"""SMTP to the next hop: TLS policy, AUTH, connections kept open per hop between messages.

Per-recipient outcome of one attempt: ``(temporary, permanent, summary)``.
A hop that cannot be reached (or cannot do the TLS the policy demands) sends
the recipients to the next hop of the destination; when none is left they are
temporary failures.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import ssl

import aiosmtplib

from crossguard.gateway.delivery.router import Destination, Hop

log = logging.getLogger("crossguard.gateway.relay")

Outcome = tuple[list[str], list[str], str | None]
#: Failures that move on to the next hop (the connection, TLS or AUTH did not work).
UNREACHABLE = (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPServerDisconnected,
               aiosmtplib.SMTPException, OSError, TimeoutError, ssl.SSLError)


#: A hop that does not answer QUIT at shutdown is not waited for longer.
QUIT_TIMEOUT_SECONDS = 5.0


def tls_context(hop: Hop) -> ssl.SSLContext:
    """Verified: the hop's certificate must chain to the CA file (or the system's) and name it."""
    if hop.tls == "verified":
        return ssl.create_default_context(cafile=str(hop.ca_file) if hop.ca_file else None)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class Client(aiosmtplib.SMTP):
    """aiosmtplib's client whose close drops the socket at once.

    aiosmtplib closes gracefully, also when a connect, STARTTLS or AUTH fails;
    a TLS connection then waits for the peer's close_notify, which may outlive
    the event loop (an unclosed transport). A relay has nothing left to say on
    a connection it closes, so it aborts it.
    """

    def close(self) -> None:
        if isinstance(self.transport, asyncio.Transport) and not self.transport.is_closing():
            self.transport.abort()
        super().close()


class Transport:
    """Sends one message to a destination's hops; reuses idle connections per hop."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._idle: dict[Hop, list[aiosmtplib.SMTP]] = {}

    async def _open(self, hop: Hop) -> aiosmtplib.SMTP:
        implicit = hop.port == 465 and hop.tls != "none"
        options: dict[str, object] = {
            "timeout": self.timeout, "hostname": hop.host, "use_tls": implicit,
            "start_tls": None if implicit else {"none": False, "opportunistic": None}.get(
                hop.tls, True),
            "tls_context": tls_context(hop) if hop.tls != "none" else None,
            "validate_certs": hop.tls == "verified",
        }
        if hop.address is not None:  # an MX: connect to the address we resolved
            loop = asyncio.get_running_loop()
            family = socket.AF_INET6 if ":" in hop.address else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            sock.setblocking(False)
            try:
                await asyncio.wait_for(loop.sock_connect(sock, (hop.address, hop.port)),
                                       self.timeout)
            except BaseException:
                sock.close()
                raise
            smtp = Client(sock=sock, **options)  # type: ignore[arg-type]
        else:
            smtp = Client(port=hop.port, **options)  # type: ignore[arg-type]
        await smtp.connect()  # start_tls=True raises when the hop offers no STARTTLS
        if hop.user:
            try:
                await smtp.login(hop.user, hop.password or "")
            except BaseException:
                smtp.close()
                raise
        return smtp

    async def _connection(self, hop: Hop) -> aiosmtplib.SMTP:
        idle = self._idle.get(hop, [])
        while idle:
            smtp = idle.pop()
            if smtp.is_connected:
                return smtp
        return await self._open(hop)

    async def send(self, destination: Destination, mail_from: str, body: bytes) -> Outcome:
        """Deliver to the first hop that takes the transaction."""
        rcpts = destination.rcpts
        if destination.failure is not None:
            failure = destination.failure
            return ([], list(rcpts), failure.summary) if failure.permanent \
                else (list(rcpts), [], failure.summary)
        error = "no hop"
        for hop in destination.hops:
            try:
                smtp = await self._connection(hop)
            except UNREACHABLE as exc:
                error = f"{hop.host}: {type(exc).__name__}"
                log.warning("relay: %s unreachable (%s), trying the next hop", hop.host,
                            type(exc).__name__)
                continue
            return await self._transaction(hop, smtp, mail_from, rcpts, body)
        return list(rcpts), [], error

    async def _transaction(self, hop: Hop, smtp: aiosmtplib.SMTP, mail_from: str,
                           rcpts: list[str], body: bytes) -> Outcome:
        """One MAIL/RCPT/DATA on an open connection; the connection is kept if it is sound."""
        try:
            refused, _ = await smtp.sendmail(mail_from, rcpts, body)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            refused = {r.recipient: aiosmtplib.SMTPResponse(r.code, r.message)
                       for r in exc.recipients}
            await self._reset(hop, smtp)
        except aiosmtplib.SMTPResponseException as exc:
            await self._reset(hop, smtp)
            if exc.code >= 500:
                return [], list(rcpts), f"upstream {exc.code}"
            return list(rcpts), [], f"upstream {exc.code}"
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            smtp.close()
            return list(rcpts), [], type(exc).__name__
        except BaseException:
            smtp.close()
            raise
        else:
            self._idle.setdefault(hop, []).append(smtp)
        temporary = [rcpt for rcpt, reply in refused.items() if reply.code < 500]
        permanent = [rcpt for rcpt, reply in refused.items() if reply.code >= 500]
        codes = sorted({str(reply.code) for reply in refused.values()})
        return temporary, permanent, f"upstream {'/'.join(codes)}" if codes else None

    async def _reset(self, hop: Hop, smtp: aiosmtplib.SMTP) -> None:
        """After a refused transaction: keep the connection if RSET works, else drop it."""
        try:
            await smtp.rset()
        except (aiosmtplib.SMTPException, OSError, TimeoutError):
            smtp.close()
        else:
            self._idle.setdefault(hop, []).append(smtp)

    async def close(self) -> None:
        """QUIT every idle connection."""
        idle, self._idle = self._idle, {}
        for connections in idle.values():
            for smtp in connections:
                with contextlib.suppress(aiosmtplib.SMTPException, OSError, TimeoutError):
                    await smtp.quit(timeout=QUIT_TIMEOUT_SECONDS)
                smtp.close()
        await asyncio.sleep(0)  # aborted sockets finish closing before the loop may stop
