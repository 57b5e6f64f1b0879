"""Postfix in front: before-queue smtpd_proxy_filter -> gateway -> second smtpd -> sink.

The test writes its own Postfix instance into a tmp folder (own config,
queue and data directories, loopback only, high ports) and stops it at
teardown. A held message's 550 must reach the sending client through Postfix.
"""

from __future__ import annotations

import os
import pwd
import shutil
import smtplib
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.support.gateway import (
    MakeDatabase,
    MakeGateway,
    Sink,
    gateway_settings,
    mail,
    with_rule,
)
from tests.integration.support.net import free_port, wait_until

from crossguard.gateway.server import BackgroundGateway

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SERVICES = """\
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""


class Postfix:
    """A private Postfix instance: a filtering front smtpd and a re-injection smtpd."""

    def __init__(self, root: Path, filter_port: int, sink_port: int) -> None:
        self.root = root
        self.front_port, self.back_port = free_port(), free_port()
        self.config = root / "etc"
        self.config.mkdir(parents=True)
        (root / "queue").mkdir()
        (root / "data").mkdir()
        owner = pwd.getpwnam("postfix")
        os.chown(root / "data", owner.pw_uid, owner.pw_gid)
        self.maillog = root / "maillog"
        (self.config / "main.cf").write_text(f"""\
compatibility_level = 3.6
queue_directory = {root / 'queue'}
data_directory = {root / 'data'}
maillog_file = {self.maillog}
maillog_file_prefixes = {root}
inet_interfaces = loopback-only
inet_protocols = ipv4
myhostname = postfix.crossguard.test
mydestination =
relay_domains =
local_transport = error:no local delivery
default_transport = smtp
relay_transport = relay
relayhost = [127.0.0.1]:{sink_port}
smtp_dns_support_level = disabled
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
smtpd_recipient_restrictions = permit_mynetworks, reject
alias_maps =
alias_database =
biff = no
""", encoding="utf-8")
        (self.config / "master.cf").write_text(SERVICES + f"""\
127.0.0.1:{self.front_port} inet n - n - - smtpd
  -o smtpd_proxy_filter=127.0.0.1:{filter_port}
  -o smtpd_proxy_timeout=60s
127.0.0.1:{self.back_port} inet n - n - - smtpd
  -o smtpd_proxy_filter=
  -o smtpd_authorized_xforward_hosts=127.0.0.0/8
""", encoding="utf-8")

    def postfix(self, *args: str) -> subprocess.CompletedProcess[str]:
        binary = shutil.which("postfix") or "/usr/sbin/postfix"
        return subprocess.run([binary, "-c", str(self.config), *args], capture_output=True,
                              text=True, timeout=60, check=False)

    def start(self) -> None:
        result = self.postfix("start")
        assert result.returncode == 0, result.stderr
        assert wait_until(self._listening, timeout=30), self.log()

    def _listening(self) -> bool:
        try:
            with smtplib.SMTP("127.0.0.1", self.front_port, timeout=2) as client:
                return client.noop()[0] == 250
        except OSError:
            return False

    def stop(self) -> None:
        self.postfix("stop")

    def log(self) -> str:
        return self.maillog.read_text(errors="replace") if self.maillog.exists() else ""


@pytest.fixture
def chain(tmp_path: Path, sink: Sink, make_database: MakeDatabase, make_gateway: MakeGateway
          ) -> Iterator[tuple[Postfix, BackgroundGateway, Sink]]:
    """Sink, then the gateway relaying to Postfix's second smtpd, then Postfix in front."""
    filter_port = free_port()
    # Postfix daemons run as the postfix user: its folders cannot live under pytest's 0700 tmp.
    root = Path(tempfile.mkdtemp(prefix="crossguard-postfix-"))
    root.chmod(0o755)
    postfix = Postfix(root, filter_port, sink.port)
    settings = gateway_settings(make_database("sqlite"), tmp_path / "spool", postfix.back_port,
                                listen=f"127.0.0.1:{filter_port}")
    settings = with_rule(settings, "large_audience", action="reject", max_recipients=5)
    gateway = make_gateway(settings)
    try:
        postfix.start()
        yield postfix, gateway, sink
    finally:
        postfix.stop()
        shutil.rmtree(root, ignore_errors=True)


def test_postfix_before_queue_filter_relays_and_refuses(
    chain: tuple[Postfix, BackgroundGateway, Sink],
) -> None:
    postfix, gateway, sink = chain
    allowed = mail("pf-allow@example.com", ["alice@cust.test"])
    with smtplib.SMTP("127.0.0.1", postfix.front_port, timeout=60) as client:
        client.sendmail("care@example.com", ["alice@cust.test"], allowed)
    assert sink.wait_for(1, timeout=60), postfix.log()
    assert sink.message_ids() == ["<pf-allow@example.com>"]
    assert sink.messages[0][1] == ["alice@cust.test"]

    held_rcpts = ["alice@cust.test", "bob@other.test"]
    with smtplib.SMTP("127.0.0.1", postfix.front_port, timeout=60) as client:
        client.ehlo()
        client.mail("care@example.com")
        for rcpt in held_rcpts:
            client.rcpt(rcpt)
        code, text = client.data(mail("pf-held@example.com", held_rcpts))
    assert code == 250, text
    assert wait_until(lambda: len(gateway.gateway.store.quarantine.list()) == 1)
    assert sink.message_ids() == ["<pf-allow@example.com>"]


def test_refusal_reaches_the_client_through_postfix(
    chain: tuple[Postfix, BackgroundGateway, Sink],
) -> None:
    postfix, _, sink = chain
    rcpts = [f"customer{n}@cust.test" for n in range(8)]
    with smtplib.SMTP("127.0.0.1", postfix.front_port, timeout=60) as client:
        client.ehlo()
        client.mail("care@example.com")
        for rcpt in rcpts:
            client.rcpt(rcpt)
        code, text = client.data(mail("pf-reject@example.com", ["care@example.com"]))
    assert code == 550
    assert text.decode() == "5.7.1 message refused by policy: large_audience"
    with smtplib.SMTP("127.0.0.1", postfix.front_port, timeout=60) as client:
        client.sendmail("care@example.com", ["alice@cust.test"],
                        mail("pf-after@example.com", ["alice@cust.test"]))
    assert sink.wait_for(1, timeout=60), postfix.log()
    assert sink.message_ids() == ["<pf-after@example.com>"]
