"""A DNS server for tests on 127.0.0.1 (dnslib): answers from a zone text, with NXDOMAIN only
for names it does not know (a known name without the asked type is NOERROR, empty). No tests."""

from __future__ import annotations

from typing import Any

from dnslib import QTYPE, RCODE, RR
from dnslib.server import BaseResolver, DNSLogger, DNSServer
from tests.integration.support.net import free_port


class ZoneAnswers(BaseResolver):  # type: ignore[misc]
    def __init__(self, zone: str) -> None:
        self.records = RR.fromZone(zone)
        self.names = {rr.rname for rr in self.records}
        self.asked: list[tuple[str, str]] = []

    def resolve(self, request: Any, handler: Any) -> Any:
        reply = request.reply()
        qname, qtype = request.q.qname, QTYPE[request.q.qtype]
        self.asked.append((str(qname), qtype))
        for rr in self.records:
            if rr.rname == qname and QTYPE[rr.rtype] == qtype:
                reply.add_answer(rr)
        if qname not in self.names:
            reply.header.rcode = RCODE.NXDOMAIN
        return reply


class DnsServer:
    """``with DnsServer(zone) as dns:`` serves UDP on ``dns.address`` (``127.0.0.1:PORT``)."""

    def __init__(self, zone: str) -> None:
        self.resolver = ZoneAnswers(zone)
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self._server = DNSServer(self.resolver, port=self.port, address="127.0.0.1",
                                 logger=DNSLogger("-request,-reply,-truncated,-error,-recv,"
                                                  "-send,-data", prefix=False))

    def __enter__(self) -> DnsServer:
        self._server.start_thread()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.stop()
        self._server.server.server_close()
