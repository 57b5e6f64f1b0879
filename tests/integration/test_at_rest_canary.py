"""Acceptance (issue 21): no raw canary anywhere crossguard writes or answers; files 0600/0700.

One customer's identifiers (card, SSN, phone, e-mail, name) are planted in the
bodies, the Subject, an X- header, a display name, the Message-ID and an
attachment's file name. Then the whole product runs on one workspace: the demo,
the SMTP gateway (allow, hold, release from the CLI, delivery), the HTTP API
(check raw and JSON, hold, release), the dashboard pages, the CLI (check,
quarantine list/show) and an incident scan whose report the dashboard shows.
Every file under the workspace, every HTTP response, SMTP reply, CLI output
and log line is searched for the canaries and their common renderings.

The canary e-mail is never an envelope or header recipient, so no file may
hold it, not even exposures.csv (whose recipient column docs/verdict.md names
as addresses in clear on purpose).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import smtplib
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from urllib.parse import quote, quote_plus

import httpx
import pytest
from tests.integration.support.api import api_settings
from tests.integration.support.gateway import Sink, start_gateway
from tests.integration.support.net import wait_until

from crossguard.api.server import BackgroundApi
from crossguard.app import create_app
from crossguard.config import Settings
from crossguard.index.build import build_index
from crossguard.index.customer_input import read_customers
from crossguard.store.access import ROLES, Access
from crossguard.store.store import Store
from crossguard.synth.customers import Customer, generate_customers, write_customers_csv

pytestmark = pytest.mark.integration

CLI = [sys.executable, "-m", "crossguard.cli"]
#: The planted identifiers: one customer of the index owns them all.
CANARY = {
    "card": "4556 7375 8689 9855",
    "ssn": "372-58-1946",
    "phone": "(646) 283-7719",
    "email": "quintessa.zabriskie@example.net",
    "name": "Quintessa Zabriskie",
}
#: Where the owner receives mail (a second address of hers, not a canary).
OWNER_INBOX = "q.inbox@example.org"


def renderings(value: str) -> set[str]:
    """The value as written, digits only, URL-encoded, lower-cased (as searched)."""
    forms = {value, quote(value), quote(value, safe=""), quote_plus(value)}
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 9:
        forms.add(digits)
    if "@" not in value and not digits:
        forms |= {value.replace(" ", sep) for sep in ("+", "%20", ".", "_", "-", "")}
        forms |= {value.split()[-1] + ", " + value.split()[0]}
    return {form.lower() for form in forms}


NEEDLES = {form: name for name, value in CANARY.items() for form in renderings(value)}
#: The identifiers' renderings without the person's name (which has its own test).
NUMBER_NEEDLES = {form: name for form, name in NEEDLES.items() if name != "name"}
NAME_NEEDLES = {form: name for form, name in NEEDLES.items() if name == "name"}


def canary_customers() -> list[Customer]:
    """Generated customers; the first one carries the canaries (and the owner's inbox)."""
    customers = generate_customers(12, seed=21)
    owner = dataclasses.replace(
        customers[0], name=CANARY["name"], email=f"{CANARY['email']};{OWNER_INBOX}",
        phone=CANARY["phone"], card=CANARY["card"], national_id=CANARY["ssn"])
    return [owner, *customers[1:]]


def canary_message(to: str, number: int) -> bytes:
    """Every canary in the Subject, an X- header, a display name, the Message-ID,
    a file name and the bodies."""
    card_digits = re.sub(r"\D", "", CANARY["card"])
    message = EmailMessage()
    message["From"] = f'"{CANARY["name"]}" <care@example.com>'
    message["To"] = to
    message["Subject"] = f"{CANARY['name']} card {CANARY['card']} SSN {CANARY['ssn']}"
    message["X-Customer-Ref"] = f"{CANARY['email']} {CANARY['phone']}"
    message["Message-ID"] = f"<{card_digits}.{number}.{CANARY['ssn']}@example.com>"
    message.set_content(
        f"Dear team,\n\n{CANARY['name']} (card {CANARY['card']}, SSN {CANARY['ssn']}, "
        f"phone {CANARY['phone']}, e-mail {CANARY['email']}) asked about her order.\n")
    sheet = f"{CANARY['name']}\n{CANARY['email']}\n{CANARY['phone']}\n{CANARY['card']}\n"
    message.add_attachment(
        sheet.encode(), maintype="text", subtype="plain",
        filename=f"{CANARY['name']} SSN {CANARY['ssn']} card {card_digits}.txt")
    return message.as_bytes(policy=SMTP)


@dataclass
class Run:
    """What one run of every flow left behind, and what was on disk while the store was open."""

    work: Path
    texts: list[tuple[str, str]] = field(default_factory=list)  # (where, text) answered
    live: dict[str, tuple[int, bytes | None]] = field(default_factory=dict)

    def snapshot(self) -> None:
        """Keep every path's mode and bytes now (SQLite removes -wal and -shm on close)."""
        for path in self.work.rglob("*"):
            self.live[str(path.relative_to(self.work))] = (
                stat.S_IMODE(path.stat().st_mode), None if path.is_dir() else path.read_bytes())

    def paths(self) -> dict[str, tuple[int, bytes | None]]:
        """Every path crossguard created (relative): its mode and, for a file, its bytes."""
        self.snapshot()
        return self.live


def write_inputs(folder: Path, customers: list[Customer], work: Path) -> Path:
    """The operator's inputs (not crossguard's output): customer table, config, archive."""
    folder.mkdir()
    write_customers_csv(customers, folder / "customers.csv")
    config = folder / "crossguard.toml"
    config.write_text(
        f'key_file = "{work / "crossguard.key"}"\n'
        f'[index]\npath = "{work / "index"}"\n'
        f'[policy]\ncompany_domains = ["example.com"]\n'
        f'[store]\nurl = "sqlite:///{work / "store.db"}"\nspool_dir = "{work / "spool"}"\n',
        encoding="utf-8")
    (folder / "held.eml").write_bytes(canary_message(customers[1].email, 99))
    archive = folder / "sent.mbox"
    with archive.open("wb") as handle:
        for number, to in enumerate([customers[1].email, customers[2].email]):
            handle.write(b"From care@example.com Sat Nov 28 03:00:00 2026\n")
            handle.write(canary_message(to, 100 + number).replace(b"\r\n", b"\n") + b"\n")
    return config


def run_cli(run: Run, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A crossguard command in a child process; its stdout and stderr are searched."""
    done = subprocess.run([*CLI, *args, "--config", str(config)], capture_output=True,
                          text=True, cwd=run.work, check=False,
                          env={**os.environ, "COLUMNS": "200"})
    run.texts += [(f"crossguard {args[0]} {args[1]} stdout", done.stdout),
                  (f"crossguard {args[0]} {args[1]} stderr", done.stderr)]
    return done


def login(client: httpx.Client) -> None:
    page = client.get("/ui/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf
    response = client.post("/ui/login", data={"csrf": csrf.group(1), "username": "rita",
                                              "password": "s3cret-passphrase"})
    assert response.status_code == 303


def gateway_flow(run: Run, settings: Settings, customers: list[Customer], sink: Sink,
                 config: Path) -> None:
    """Allow (to the owner), hold (to another customer), release from the CLI, deliver."""
    gateway = start_gateway(settings)
    try:
        with smtplib.SMTP("127.0.0.1", gateway.gateway.port, timeout=30) as client:
            for number, rcpt in enumerate([OWNER_INBOX, customers[3].email]):
                reply = client.sendmail("care@example.com", [rcpt], canary_message(rcpt, number))
                run.texts.append(("smtp reply", repr(reply)))
        assert sink.wait_for(1), "the owner's copy is delivered"
        listed = run_cli(run, config, "quarantine", "list", "--json")
        held = [entry["id"] for entry in json.loads(listed.stdout)]
        assert len(held) == 1, listed.stderr
        run_cli(run, config, "quarantine", "show", held[0])
        released = run_cli(run, config, "quarantine", "release", held[0], "--reason", "ok")
        assert released.returncode == 0, released.stderr
        assert sink.wait_for(2), "the released copy is delivered"
    finally:
        gateway.stop()


def api_flow(run: Run, app_settings: Settings, customers: list[Customer],
             sink: Sink) -> None:
    """Check raw and JSON (held), release one through the API, fetch every page."""
    app = create_app(app_settings)
    store: Store = app.state.crossguard.store
    access: Access = app.state.crossguard.access
    tokens = {role: access.create_token(role, f"test {role}")[1] for role in ROLES}
    access.add_user("rita", "s3cret-passphrase", "reviewer")
    server = BackgroundApi(app)
    relay = start_gateway(app_settings, instance="gw2")
    try:
        url = server.start()
        api = httpx.Client(base_url=url, timeout=60,
                           headers={"authorization": f"Bearer {tokens['admin']}"})
        with api:
            raw = api.post("/v1/check", content=canary_message(customers[4].email, 10),
                           headers={"content-type": "message/rfc822"},
                           params={"mail_from": "care@example.com", "rcpt": customers[4].email,
                                   "hold": "true"})
            described = {
                "from": "care@example.com", "to": [customers[5].email],
                "subject": f"{CANARY['name']} card {CANARY['card']}",
                "text": f"SSN {CANARY['ssn']}, phone {CANARY['phone']}, {CANARY['email']}",
                "attachments": [{"filename": f"{CANARY['name']} {CANARY['ssn']}.txt",
                                 "content_type": "text/plain",
                                 "content_base64": "Y2FyZCA0NTU2IDczNzUgODY4OSA5ODU1Cg=="}]}
            composed = api.post("/v1/check", json=described, params={"hold": "true"})
            held = [raw.json()["quarantine_id"], composed.json()["quarantine_id"]]
            assert all(held), (raw.text, composed.text)
            run.texts += [("POST /v1/check raw", raw.text), ("POST /v1/check json", composed.text)]
            released = api.post(f"/v1/quarantine/{held[0]}/release", json={"reason": "ok"})
            run.texts.append(("release", released.text))
            assert released.status_code == 200 and sink.wait_for(3)
            paths = ["/v1/quarantine?state=all", "/v1/audit?limit=1000", "/v1/audit/verify",
                     "/metrics", *[f"/v1/quarantine/{entry}" for entry in held]]
            for path in paths:
                response = api.get(path)
                assert response.status_code == 200, path
                run.texts.append((path, response.text))
        with httpx.Client(base_url=url, timeout=60) as browser:
            login(browser)
            pages = ["/ui/quarantine", "/ui/quarantine?state=all", "/ui/audit?limit=500",
                     "/ui/reports", "/ui/reports/incident/report.html",
                     *[f"/ui/quarantine/{entry}" for entry in held]]
            for path in pages:
                response = browser.get(path)
                assert response.status_code == 200, path
                run.texts.append((path, response.text))
        run.snapshot()  # after delivery, with the database, its WAL and -shm open
    finally:
        relay.stop()
        server.stop()
        store.close()


def run_everything(root: Path, umask: int) -> Run:
    """Every flow on one workspace (``root/work``) under ``umask``."""
    before = os.umask(umask)
    try:
        run = Run(root / "work")
        run.work.mkdir(mode=0o700)
        run.work.chmod(0o700)
        customers = canary_customers()
        config = write_inputs(root / "input", customers, run.work)
        sink = Sink().start()
        try:
            settings = api_settings(
                run.work, f"sqlite:///{run.work / 'store.db'}",
                api={"reports_dir": str(run.work / "reports")},
                gateway={"listen": "127.0.0.1:0", "upstream": f"127.0.0.1:{sink.port}",
                         "poll_seconds": 0.1, "retry_base_seconds": 0.2})
            assert settings.index.path is not None
            build_index(read_customers(root / "input" / "customers.csv"), settings.index.path,
                        settings.secret_key())
            checked = run_cli(run, config, "check", str(root / "input" / "held.eml"), "--json")
            assert checked.returncode == 1, checked.stderr
            contacts = root / "input" / "contacts.csv"  # letters go to a contact address
            contacts.write_text("customer_id,email\n" + "".join(
                f"{customer.customer_id},letters-{n}@contact.test\n"
                for n, customer in enumerate(customers)), encoding="utf-8")
            scanned = run_cli(run, config, "incident", "scan", str(root / "input" / "sent.mbox"),
                              "--out", str(run.work / "reports" / "incident"), "--workers", "1",
                              "--contacts-csv", str(contacts))
            assert scanned.returncode == 0, scanned.stderr
            gateway_flow(run, settings, customers, sink, config)
            api_flow(run, settings, customers, sink)
            assert wait_until(lambda: not any((run.work / "spool").glob("*.eml")))
        finally:
            sink.stop()
        demo = subprocess.run([*CLI, "demo", "--workdir", str(run.work / "demo")],
                              capture_output=True, text=True, cwd=run.work, check=False)
        assert demo.returncode == 0, demo.stderr
        run.texts += [("crossguard demo stdout", demo.stdout),
                      ("crossguard demo stderr", demo.stderr)]
        return run
    finally:
        os.umask(before)


@pytest.fixture(scope="module", params=[0o022, 0o000], ids=["umask022", "umask000"])
def everything(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[Run]:
    root = tmp_path_factory.mktemp(f"canary-{request.param:03o}")
    before = os.environ.pop("CROSSGUARD_KEY", None)  # the key file is read, as in production
    handler = _Collect()
    logging.getLogger().addHandler(handler)
    crossguard_log = logging.getLogger("crossguard")
    crossguard_log.setLevel(logging.DEBUG)
    try:
        run = run_everything(root, request.param)
        run.texts += [("log", line) for line in handler.lines]
        yield run
    finally:
        logging.getLogger().removeHandler(handler)
        crossguard_log.setLevel(logging.NOTSET)
        if before is not None:
            os.environ["CROSSGUARD_KEY"] = before


class _Collect(logging.Handler):
    """Every log line of the in-process gateway, API and store: crossguard's at DEBUG,
    the libraries' at the levels ``crossguard serve`` leaves on (``mail.log`` WARNING)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith("crossguard") or record.levelno >= logging.WARNING:
            self.lines.append(self.format(record))


def hits_in(where: str, text: str, needles: dict[str, str] = NEEDLES) -> list[str]:
    """One line per rendering found in ``text``, with the text around its first place."""
    lowered = text.lower()
    hits = []
    for form, name in needles.items():
        at = lowered.find(form)
        if at >= 0:
            around = re.sub(r"[^ -~]", ".", text[max(0, at - 30):at + len(form) + 12])
            hits.append(f"{where}: {name} as {form!r} in ...{around}...")
    return hits


def _hits(everything: Run, needles: dict[str, str]) -> list[str]:
    paths = everything.paths()
    files = {name: data for name, (_, data) in paths.items() if data is not None}
    names = {Path(name).name for name in files}
    assert {"store.db", "store.db-wal", "store.db-shm", "manifest.json", "exposures.csv",
            "report.html", "summary.json", "crossguard.key"} <= names, "the flows wrote these"
    assert any(Path(name).parent.name == "letters" for name in files)
    hits = [hit for name, data in files.items()
            for hit in hits_in(name, data.decode("latin-1"), needles)]
    hits += [hit for where, text in everything.texts for hit in hits_in(where, text, needles)]
    hits += [f"file name {name}" for name in paths if hits_in("", name, needles)]
    return hits


def test_no_raw_canary_in_any_file_response_or_log(everything: Run) -> None:
    hits = _hits(everything, NUMBER_NEEDLES)
    assert not hits, "raw canaries found:\n" + "\n".join(sorted(set(hits)))


def test_no_raw_canary_name_in_any_file_response_or_log(everything: Run) -> None:
    hits = _hits(everything, NAME_NEEDLES)
    assert not hits, "raw canary names found:\n" + "\n".join(sorted(set(hits)))


def test_every_file_is_0600_and_every_folder_0700(everything: Run) -> None:
    paths = everything.paths()
    assert {"store.db", "store.db-wal", "store.db-shm", "spool", "index", "crossguard.key",
            "reports/incident/letters", "demo/crossguard.key", "demo/index"} <= set(paths)
    wrong = {name: f"{mode:04o}" for name, (mode, data) in paths.items()
             if mode != (0o700 if data is None else 0o600)}
    print(f"{len(paths)} paths:", " ".join(f"{mode:04o} {name}" for name, (mode, _)
                                          in sorted(paths.items())))
    assert not wrong, f"{len(wrong)} of {len(paths)} paths not private: {wrong}"
