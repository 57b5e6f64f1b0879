"""The milter over a real socket, driven by a small MTA side written from the protocol."""

from __future__ import annotations

import asyncio
import stat
import struct
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from crossguard.config import Settings
from crossguard.errors import ConfigError
from crossguard.gateway.milter import protocol as p
from crossguard.gateway.milter.server import Milter, parse_listen
from crossguard.gateway.settings import MilterSettings
from crossguard.scan import Guard
from crossguard.store.settings import StoreSettings
from crossguard.store.store import Store
from crossguard.synth.customers import Customer

#: Everything Postfix 3.7 offers at protocol version 6.
OFFERED = 0x1FFFFF


class Mta:
    """The MTA side of one milter connection."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def send(self, command: bytes, data: bytes = b"") -> None:
        self.writer.write(p.encode(command, data))
        await self.writer.drain()

    async def ask(self, command: bytes, data: bytes = b"") -> p.Packet:
        await self.send(command, data)
        return await p.read_packet(self.reader)

    async def negotiate(self, offered: int = OFFERED) -> int:
        reply = await self.ask(p.OPTNEG, struct.pack("!III", 6, 0x1FF, offered))
        assert reply.command == p.OPTNEG
        version, actions, flags = struct.unpack("!III", reply.data)
        assert (version, actions) == (6, 0)
        return int(flags)

    async def message(self, mail_from: str, rcpts: list[str], raw: bytes,
                      queue_id: str = "4AbCdE") -> p.Packet:
        """One transaction the way Postfix sends it (no replies to headers, EOH, body)."""
        await self.send(p.MACRO, b"M" + b"i\0" + queue_id.encode() + b"\0")
        assert (await self.ask(p.MAIL, f"<{mail_from}>\0SIZE=10\0".encode())).command == b"c"
        for rcpt in rcpts:
            assert (await self.ask(p.RCPT, f"<{rcpt}>\0".encode())).command == b"c"
        head, _, body = raw.partition(b"\r\n\r\n")
        for line in head.replace(b"\r\n ", b"\n ").split(b"\r\n"):
            name, _, value = line.partition(b":")
            await self.send(p.HEADER, name + b"\0" + value + b"\0")
        await self.send(p.EOH)
        await self.send(p.BODY, body)
        return await self.ask(p.BODYEOB)


def settings_store(tmp_path: Path) -> Store:
    return Store(StoreSettings(url=f"sqlite:///{tmp_path / 's.db'}",
                               spool_dir=tmp_path / "spool"), secret_key=b"k" * 32)


def run_milter(settings: Settings, store: Store, milter_settings: MilterSettings,
               script: Callable[[Mta], object]) -> list[Milter]:
    """Start a milter in this loop, connect an MTA, run ``script``, stop; the milter."""
    started: list[Milter] = []

    async def main() -> None:
        milter = Milter(milter_settings, Guard.from_settings(settings), store)
        started.append(milter)
        await milter.start()
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", milter.port)
            await script(Mta(reader, writer))  # type: ignore[misc]
            writer.close()
        finally:
            await milter.stop()

    asyncio.run(main())
    return started


def leak(owner: Customer, reader: Customer) -> bytes:
    return (f"From: Care <care@example.com>\r\nTo: {reader.email}\r\nSubject: your\r\n"
            f" order\r\nMessage-ID: <u-leak@example.com>\r\n\r\n"
            f"The order of {owner.email}, phone {owner.phone}.\r\n").encode()


def test_negotiation_asks_only_what_the_mta_offers() -> None:
    reply = p.negotiate(struct.pack("!III", 6, 0x1FF, p.NOHELO | p.NR_HDR))
    assert p.negotiated_flags(reply) == p.NOHELO | p.NR_HDR
    with pytest.raises(p.ProtocolError):
        p.negotiate(b"\0\0\0\1")


def test_reply_code_escapes_percent_and_folds_whitespace() -> None:
    packet = p.reply_code("550 5.7.1 100% refused\r\n now")
    assert packet[4:] == b"y550 5.7.1 100%% refused now\0"


@pytest.mark.parametrize(("value", "expected"), [
    ("inet:127.0.0.1:8897", ("inet", "127.0.0.1", 8897)),
    ("inet:8897@localhost", ("inet", "localhost", 8897)),
    ("inet6:[::1]:8897", ("inet", "::1", 8897)),
    ("unix:/run/crossguard/milter.sock", ("unix", "/run/crossguard/milter.sock", 0)),
])
def test_parse_listen(value: str, expected: tuple[str, str, int]) -> None:
    assert parse_listen(value) == expected


@pytest.mark.parametrize("value", ["127.0.0.1:8897", "inet:host", "unix:", "inet:h:99999"])
def test_parse_listen_refuses(value: str) -> None:
    with pytest.raises(ConfigError, match=r"milter\.listen"):
        parse_listen(value)


def test_allow_continues_and_a_leak_is_quarantined_then_discarded(
    tmp_path: Path, make_settings: Callable[..., Settings], customers: list[Customer],
) -> None:
    store = settings_store(tmp_path)
    reader, owner = customers[0], customers[1]
    replies: list[p.Packet] = []

    async def script(mta: Mta) -> None:
        flags = await mta.negotiate()
        assert flags == p.WANTED
        replies.append(await mta.message("care@example.com", [reader.email],
                                         b"Subject: hi\r\n\r\nYour parcel left.\r\n"))
        replies.append(await mta.message("care@example.com", [reader.email],
                                         leak(owner, reader)))

    milters = run_milter(make_settings(), store, MilterSettings(), script)
    try:
        assert [reply.command for reply in replies] == [p.CONTINUE, p.DISCARD]
        registry = milters[0].metrics.registry
        assert registry.get_sample_value("crossguard_mail_messages_total",
                                         {"front": "milter", "action": "allow"}) == 1
        assert registry.get_sample_value("crossguard_mail_held_total",
                                         {"front": "milter", "rule": "cross_customer"}) == 1
        assert registry.get_sample_value("crossguard_mail_check_seconds_count",
                                         {"front": "milter"}) == 2
        [entry] = store.quarantine.list()
        assert entry.rules == ["cross_customer"]
        body = store.quarantine.body(entry.id)
        assert b"Subject: your\r\n order\r\n" in body, "folded header rebuilt with CRLF"
        assert owner.phone.encode() in body
        events = [item.event for item in store.audit.entries()]
        assert events == ["message.allow", "quarantine.hold"]
        assert owner.email not in str([item.payload for item in store.audit.entries()])
    finally:
        store.close()


def test_hold_reply_reject_names_reason_and_quarantine_id(
    tmp_path: Path, make_settings: Callable[..., Settings], customers: list[Customer],
) -> None:
    store = settings_store(tmp_path)
    replies: list[p.Packet] = []

    async def script(mta: Mta) -> None:
        await mta.negotiate()
        replies.append(await mta.message("care@example.com", [customers[2].email],
                                         leak(customers[3], customers[2])))

    run_milter(make_settings(), store, MilterSettings(hold_action="reject"), script)
    try:
        [entry] = store.quarantine.list()
        assert replies[0].command == p.REPLYCODE
        text = replies[0].data.rstrip(b"\0").decode()
        assert text == ("550 5.7.1 the message carries data of a customer who is not among "
                        f"its recipients (quarantine {entry.id})")
        assert customers[3].customer_id not in text
    finally:
        store.close()


def test_abort_forgets_the_message_and_a_timeout_tempfails(
    tmp_path: Path, make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch,
) -> None:
    check = Guard.check

    def slow_check(self: Guard, *args: object, **kwargs: object) -> object:
        time.sleep(0.5)  # far over the 0.05 s budget below
        return check(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Guard, "check", slow_check)
    store = settings_store(tmp_path)
    replies: list[p.Packet] = []

    async def script(mta: Mta) -> None:
        await mta.negotiate()
        await mta.ask(p.MAIL, b"<care@example.com>\0")
        await mta.ask(p.RCPT, b"<first@cust.test>\0")
        await mta.send(p.ABORT)
        replies.append(await mta.message("care@example.com", ["second@cust.test"],
                                         b"Subject: x\r\n\r\nbody\r\n"))

    run_milter(make_settings(), store, MilterSettings(check_timeout_seconds=0.05), script)
    try:
        assert replies[0].command == p.REPLYCODE
        assert replies[0].data.startswith(b"451 4.7.0 temporary failure, incident ")
        assert store.audit.entries() == [] and store.quarantine.list() == []
    finally:
        store.close()


def test_too_big_is_refused_and_unknown_command_closes(
    tmp_path: Path, make_settings: Callable[..., Settings],
) -> None:
    store = settings_store(tmp_path)
    replies: list[p.Packet] = []

    async def script(mta: Mta) -> None:
        await mta.negotiate()
        replies.append(await mta.message("care@example.com", ["a@cust.test"],
                                         b"Subject: x\r\n\r\n" + b"y" * 200 + b"\r\n"))
        await mta.send(b"Z")
        assert await mta.reader.read() == b""  # the milter closed the connection

    run_milter(make_settings(), store, MilterSettings(max_message_bytes=100), script)
    try:
        assert replies[0].data.startswith(b"552 5.3.4 ")
    finally:
        store.close()


def test_unix_socket_gets_its_mode(tmp_path: Path, make_settings: Callable[..., Settings]
                                   ) -> None:
    store = settings_store(tmp_path)
    path = tmp_path / "milter.sock"
    path.write_text("stale")
    modes: list[int] = []

    async def main() -> None:
        milter = Milter(MilterSettings(listen=f"unix:{path}", socket_mode="660"),
                        Guard.from_settings(make_settings()), store)
        await milter.start()
        modes.append(stat.S_IMODE(path.stat().st_mode))
        reader, writer = await asyncio.open_unix_connection(path)
        await Mta(reader, writer).negotiate()
        writer.close()
        await milter.stop()

    asyncio.run(main())
    assert modes == [0o660]
