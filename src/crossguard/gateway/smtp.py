"""aiosmtpd's SMTP protocol with DATA read in blocks instead of line by line.

aiosmtpd reads DATA one line per ``readuntil`` (about a hundred awaits for a
3 KB mail) from a stream whose buffer pauses the socket every 2 KB. Here the
stream buffer is 64 KiB and DATA is read up to its terminator
``CRLF . CRLF`` in one ``readuntil`` when it fits, never past it (a pipelining
client may send its next command right behind it). The replies are
aiosmtpd's: ``500`` for a line over 1,000 characters, ``552`` over the size
limit, both after the whole section has been read (RFC 5321 4.2.5).

Bounds per client: a connection over ``gateway.max_connections`` or
``max_connections_per_client`` is answered ``421`` and closed; a RCPT past
``max_recipients`` is answered ``452 4.5.3``; AUTH PLAIN/LOGIN credentials
are checked by :class:`crossguard.gateway.auth.Authenticator` off the loop.

Plain ``<local@domain>`` addresses in MAIL and RCPT are split by a regular
expression; anything else goes to aiosmtpd's RFC 5322 parser, as before. An
address the next hop could not be sent (:func:`crossguard.gateway.envelope.carriable`)
is answered ``553`` there.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from aiosmtpd.smtp import MISSING, SMTP, AuthResult, LoginPassword, syntax

from crossguard.gateway.auth import Authenticator
from crossguard.gateway.envelope import carriable
from crossguard.gateway.limits import TOO_MANY, ConnectionLimits, peer_host

TERMINATOR = b"\r\n.\r\n"
#: Longest line, CRLF included (RFC 5321 4.5.3.1.6; aiosmtpd's ``line_length_limit``).
MAX_LINE = 1001
#: Stream buffer: the largest block one read returns (and the longest command line buffered).
BUFFER = 64 * 1024

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
#: ``<dot-atom@host.name>`` and what follows it: the form nearly every client sends.
PLAIN_ADDRESS = re.compile(
    rf"\s*<({_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})*)>(?:[ \t]+([^\s(].*))?", re.S)


def partial_terminator(data: bytes | bytearray) -> int:
    """Length of the longest end of ``data`` that begins the terminator (0-4)."""
    for size in (4, 3, 2, 1):
        if data.endswith(TERMINATOR[:size]):
            return size
    return 0


class DataRefused(Exception):
    """A DATA section read to its end but refused; ``args[0]`` is the reply."""


async def read_data(reader: asyncio.StreamReader, max_bytes: int | None) -> bytes:
    """Read one DATA section and return its bytes with the dot-stuffing removed.

    Reads never go past the terminator: after an end that may begin it, only
    the bytes that could complete it are read.
    """
    data = bytearray(b"\r\n")  # DATA's own line end: the section starts at a line start
    size, too_much = 0, False
    while not data.endswith(TERMINATOR):
        tail = partial_terminator(data)
        if tail:
            chunk = await reader.readexactly(len(TERMINATOR) - tail)
        else:
            try:
                chunk = await reader.readuntil(TERMINATOR)
            except asyncio.LimitOverrunError as error:
                chunk = await reader.read(error.consumed)
        size += len(chunk)
        data += chunk
        if max_bytes and size - 3 > max_bytes:  # the final ".\r\n" is not content
            too_much = True
            del data[:-len(TERMINATOR)]  # keep only what may end in the terminator
    if too_much:
        raise DataRefused("552 Error: Too much mail data")
    stuffed = bytes(data[:-3])
    if len(stuffed) > MAX_LINE and max(map(len, stuffed.split(b"\r\n"))) + 2 > MAX_LINE:
        raise DataRefused("500 Line too long (see RFC5321 4.5.3.1.6)")
    return stuffed.replace(b"\r\n.", b"\r\n")[2:]


class GatewaySMTP(SMTP):
    """aiosmtpd's SMTP session with block-read DATA; content is always bytes."""

    line_length_limit = BUFFER  # aiosmtpd sizes its stream buffer with this

    def __init__(self, handler: Any, *, limits: ConnectionLimits, max_recipients: int,
                 verifier: Authenticator | None = None, plaintext_auth: bool = False,
                 **options: Any) -> None:
        super().__init__(handler, authenticator=verifier, auth_require_tls=True, **options)
        # Set after aiosmtpd's constructor, which warns about it: the gateway allows it
        # only on a loopback listener, when asked to (gateway.auth_plaintext_loopback).
        self._auth_require_tls = not plaintext_auth
        self._limits = limits
        self._max_recipients = max_recipients
        self._verifier = verifier
        self._client: str | None = None
        self._refused = False
        self._offered: LoginPassword | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Count the connection (not again after STARTTLS); over a limit, ``421`` and close."""
        if self.transport is None and not self._refused:
            client = peer_host(transport.get_extra_info("peername"))
            if not self._limits.admit(client):
                self._refused = True
                assert isinstance(transport, asyncio.WriteTransport)
                transport.write(TOO_MANY)
                transport.close()
                return
            self._client = client
        super().connection_made(transport)

    def connection_lost(self, error: Exception | None) -> None:
        """Release the connection's count once."""
        if self._refused:
            return
        if self._client is not None:
            self._limits.release(self._client)
            self._client = None
        super().connection_lost(error)

    @syntax("RCPT TO: <address>", extended=" [SP <mail-parameters>]")
    async def smtp_RCPT(self, arg: str | None) -> None:
        """aiosmtpd's RCPT, answered ``452 4.5.3`` past ``max_recipients``."""
        envelope = self.envelope
        if (envelope is not None and envelope.mail_from
                and len(envelope.rcpt_tos) >= self._max_recipients):
            await self.push("452 4.5.3 Too many recipients")
            return
        await super().smtp_RCPT(arg)

    def _authenticate(self, mechanism: str, auth_data: Any) -> AuthResult:
        """Keep the parsed credentials for :meth:`_verified` (no checking on the loop)."""
        self._offered = auth_data if isinstance(auth_data, LoginPassword) else None
        return AuthResult(success=False, handled=False)

    async def _verified(self, mechanism: str, parsed: AuthResult) -> AuthResult:
        offered, self._offered = self._offered, None
        if offered is None or self._verifier is None:
            return parsed
        assert self.session is not None
        return await self._verifier.verify(peer_host(self.session.peer), mechanism, offered)

    async def auth_PLAIN(self, _: Any, args: list[str]) -> AuthResult:
        """aiosmtpd's PLAIN exchange; the password is checked off the loop."""
        return await self._verified("PLAIN", await super().auth_PLAIN(_, args))

    async def auth_LOGIN(self, _: Any, args: list[str]) -> AuthResult:
        """aiosmtpd's LOGIN exchange; the password is checked off the loop."""
        return await self._verified("LOGIN", await super().auth_LOGIN(_, args))

    def _getaddr(self, arg: str) -> tuple[str | None, str | None]:
        """aiosmtpd's (address, rest of the argument); plain addresses without its parser.

        An address with a control character or undecodable bytes is malformed
        (``None``: aiosmtpd answers ``553 5.1.3``).
        """
        plain = PLAIN_ADDRESS.fullmatch(arg)
        if plain is None or self.local_part_limit:
            address, rest = super()._getaddr(arg)
            if address is not None and not carriable(address):
                return None, None
            return address, rest
        return plain[1], plain[2] or ""

    @syntax("DATA")
    async def smtp_DATA(self, arg: str) -> None:
        """DATA as aiosmtpd answers it, read by :func:`read_data`."""
        if await self.check_helo_needed() or await self.check_auth_needed("DATA"):
            return
        assert self.envelope is not None
        if not self.envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        if arg:
            await self.push("501 Syntax: DATA")
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        try:
            content = await read_data(self._reader, self.data_size_limit)
        except asyncio.CancelledError:  # the connection was lost during DATA
            self._writer.close()
            raise
        except DataRefused as refused:
            self.envelope = self._create_envelope()  # aiosmtpd's post-DATA state
            await self.push(str(refused.args[0]))
            return
        self.envelope.content = content
        self.envelope.original_content = content
        status: Any = await self._call_handler_hook("DATA")
        self.envelope = self._create_envelope()
        await self.push("250 OK" if status is MISSING else status)
