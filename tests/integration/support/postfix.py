"""A private Postfix instance for integration tests: own config, queue and data folders.

Loopback only, high ports, delivery to a sink through ``relayhost``. Postfix
daemons run as the postfix user, so the root folder is made outside pytest's
0700 tmp. No tests here.
"""

from __future__ import annotations

import os
import pwd
import shutil
import smtplib
import subprocess
import tempfile
from pathlib import Path

from tests.integration.support.net import free_port, wait_until

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
    """A private Postfix: ``front_port`` accepts mail; ``master`` and ``main`` add settings."""

    def __init__(self, sink_port: int, *, main: str = "", master: str = "") -> None:
        self.root = Path(tempfile.mkdtemp(prefix="crossguard-postfix-"))
        self.root.chmod(0o755)
        root = self.root
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
{main}""", encoding="utf-8")
        (self.config / "master.cf").write_text(SERVICES + master.format(
            front=self.front_port, back=self.back_port), encoding="utf-8")

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

    def queued(self) -> int:
        """Messages in this instance's queue (postqueue -j: one JSON line each)."""
        binary = shutil.which("postqueue") or "/usr/sbin/postqueue"
        result = subprocess.run([binary, "-c", str(self.config), "-j"], capture_output=True,
                                text=True, timeout=30, check=False)
        return len([line for line in result.stdout.splitlines() if line.strip()])

    def stop(self) -> None:
        self.postfix("stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        return self.maillog.read_text(errors="replace") if self.maillog.exists() else ""
