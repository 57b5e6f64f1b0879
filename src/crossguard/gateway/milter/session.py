"""One MTA connection: collect each message's envelope, headers and body; decide at its end.

Postfix opens one milter connection per SMTP client connection and may send
several messages over it (``SMFIC_ABORT`` ends one early). The message is
rebuilt as the MTA received it: the headers in order (folded lines joined with
CRLF), an empty line, the body (Postfix sends it with CRLF line ends).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from crossguard.gateway.milter import protocol as p

log = logging.getLogger("crossguard.milter")


@dataclass(slots=True)
class Transaction:
    """One message as the MTA showed it to the filter."""

    mail_from: str = ""
    rcpts: list[str] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytearray = field(default_factory=bytearray)
    size: int = 0
    macros: dict[str, str] = field(default_factory=dict)

    def add_body(self, chunk: bytes, limit: int) -> None:
        """Keep the body up to ``limit`` bytes; count all of it."""
        self.size += len(chunk)
        if self.size <= limit:
            self.body += chunk

    def raw(self) -> bytes:
        """The message bytes: headers, an empty line, the body."""
        lines = []
        for name, value in self.headers:
            text = f"{name}:{value}".replace("\r\n", "\n").replace("\n", "\r\n")
            lines.append(text.encode("utf-8", "surrogateescape") + b"\r\n")
        return b"".join(lines) + b"\r\n" + bytes(self.body)


#: Decides one finished transaction; returns the reply packet for end-of-message.
Decide = Callable[[Transaction], Awaitable[bytes]]


class MilterSession:
    """The protocol state of one MTA connection."""

    def __init__(self, decide: Decide, max_bytes: int) -> None:
        self._decide = decide
        self._max_bytes = max_bytes
        self._flags = 0
        self._connection_macros: dict[str, str] = {}
        self.message = Transaction()

    def _reply(self, silent_flag: int) -> list[bytes]:
        """``continue``, unless the negotiation said this event is not answered."""
        return [] if self._flags & silent_flag else [p.encode(p.CONTINUE)]

    async def handle(self, packet: p.Packet) -> list[bytes]:
        """The reply packets for one command (often one, none for silent commands)."""
        command, data = packet.command, packet.data
        if command == p.OPTNEG:
            reply = p.negotiate(data)
            self._flags = p.negotiated_flags(reply)
            return [reply]
        if command == p.MACRO:
            values = p.macros(data)
            if data[:1] in (p.CONNECT, p.HELO):
                self._connection_macros.update(values)
            else:
                self.message.macros.update(values)
            return []
        if command in (p.ABORT, p.QUIT_NC):
            self.message = Transaction()
            return []
        if command == p.MAIL:
            args = p.strings(data)
            macros = dict(self.message.macros)
            self.message = Transaction(mail_from=p.address(args[0]) if args else "",
                                       macros=macros)
            return self._reply(p.NR_MAIL)
        if command == p.RCPT:
            args = p.strings(data)
            if args:
                self.message.rcpts.append(p.address(args[0]))
            return self._reply(p.NR_RCPT)
        if command == p.HEADER:
            name, value = [*p.strings(data), "", ""][:2]
            self.message.headers.append((name, value))
            return self._reply(p.NR_HDR)
        if command == p.EOH:
            return self._reply(p.NR_EOH)
        if command == p.BODY:
            self.message.add_body(data, self._max_bytes)
            return self._reply(p.NR_BODY)
        if command == p.BODYEOB:
            self.message.add_body(data, self._max_bytes)
            message, self.message = self.message, Transaction()
            return [await self._decide(message)]
        if command in (p.CONNECT, p.HELO, p.DATA, p.UNKNOWN):
            flag = {p.CONNECT: p.NR_CONN, p.HELO: p.NR_HELO, p.DATA: p.NR_DATA}
            return self._reply(flag.get(command, p.NR_UNKN))
        raise p.ProtocolError(f"unknown milter command {command!r}")


async def serve_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                           decide: Decide, max_bytes: int) -> None:
    """Answer one MTA connection until it quits or closes."""
    session = MilterSession(decide, max_bytes)
    try:
        while True:
            packet = await p.read_packet(reader)
            if packet.command == p.QUIT:
                break
            for reply in await session.handle(packet):
                writer.write(reply)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass  # the MTA closed the connection; an unfinished message was never accepted
    except p.ProtocolError as error:
        log.warning("milter: closing a connection: %s", error)
    finally:
        writer.close()
