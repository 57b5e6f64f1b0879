"""A verification campaign end to end: CLI, real SMTP sink, three customers in chromium, a reviewer.

`crossguard verify campaign create --send` mails three customers through a real
SMTP sink on 127.0.0.1; each opens their link in headless chromium and uploads a
generated licence photo (their own, another customer's, an unreadable one); the
reviewer sees match / mismatch / unreadable with masked values and decides. Then
the uploads are gone from the database and its WAL, no raw identifier of the
documents is in any file crossguard wrote, and reused, expired, revoked and
forged links are refused. The limits (oversize, wrong type, decompression bomb)
each get a clear page and leave nothing behind.
"""

from __future__ import annotations

import csv
import email
import io
import json
import logging
import os
import re
import stat
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from email import policy
from pathlib import Path

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import select
from tests.integration.support.gateway import Sink

from crossguard.api.server import BackgroundApi
from crossguard.app import create_app
from crossguard.config import settings_from_dict
from crossguard.index.build import build_index
from crossguard.index.customer_input import read_customers
from crossguard.store.store import Store
from crossguard.synth.customers import Customer, generate_customers, write_customers_csv
from crossguard.synth.idimages import licence_photo
from crossguard.verify.models import VerifyItem

pytestmark = pytest.mark.e2e
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "a long passphrase"
MAX_UPLOAD = 2_000_000
LINK = re.compile(r"http://127\.0\.0\.1:\d+/verify/[0-9a-f]{32}\.[A-Za-z0-9_-]{32}")



@dataclass
class Env:
    """A running API with a verification-ready config, the sink and the customers."""

    url: str
    data: Path
    config: Path
    store: Store
    sink: Sink
    customers: list[Customer]
    close: Callable[[], None]


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    data = tmp_path / "cg"
    data.mkdir(mode=0o700)
    customers = generate_customers(20, seed=9)
    base = {
        "index": {"path": str(data / "index")},
        "policy": {"company_domains": ["example.com"]},
        "store": {"url": f"sqlite:///{data / 'store' / 'crossguard.db'}",
                  "spool_dir": str(data / "spool")},
        "api": {"secure_cookies": False},
        "verify": {"max_upload_bytes": MAX_UPLOAD},
    }
    settings = settings_from_dict(base)
    build_index(read_customers(write_customers_csv(customers, tmp_path / "customers.csv")),
                data / "index", settings.secret_key())
    sink = Sink().start()
    app = create_app(settings)
    state = app.state.crossguard
    state.access.add_user("rita", PASSWORD, "reviewer")
    server = BackgroundApi(app)
    config = tmp_path / "crossguard.toml"
    config.write_text(
        f'[index]\npath = "{data / "index"}"\n'
        f'[store]\nurl = "sqlite:///{data / "store" / "crossguard.db"}"\n'
        f'spool_dir = "{data / "spool"}"\n'
        f'[gateway]\nupstream = "127.0.0.1:{sink.port}"\n'
        f'[verify]\npublic_url = "{server.url}"\nmail_from = "care@example.com"\n'
        f'company = "Example Phones customer care"\n', encoding="utf-8")
    closed: list[bool] = []

    def close() -> None:
        if not closed:
            closed.append(True)
            server.stop()
            state.store.close()

    try:
        server.start()
        yield Env(server.url, data, config, state.store, sink, customers, close)
    finally:
        close()
        sink.stop()


def cli(env: Env, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `crossguard ARGS --config ...` as a real process."""
    return subprocess.run([sys.executable, "-m", "crossguard.cli", *args, "--config",
                           str(env.config)], capture_output=True, text=True, timeout=120,
                          env=os.environ.copy(), check=False)


def invitees_csv(path: Path, customers: list[Customer]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["customer_id", "email"])
        writer.writerows([customer.customer_id, customer.email] for customer in customers)
    return path


def licence(customer: Customer) -> bytes:
    return licence_photo(customer.name, customer.address, customer.driver_licence,
                         date.fromisoformat(customer.dob))


def blank_photo() -> bytes:
    """A photo of nothing in particular: a grey card with no text or code."""
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (182, 176, 170)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def png_bomb(side: int = 20_000) -> bytes:
    """A real decompression bomb: a 1-bit PNG of side x side zero pixels, a few dozen KB."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body))

    row = b"\0" * (1 + (side + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat)
            + chunk(b"IEND", b""))


def document_values(customer: Customer) -> list[str]:
    """The identifiers printed on or encoded in a customer's generated licence."""
    born = date.fromisoformat(customer.dob)
    first, last = customer.name.split()[0], customer.name.split()[-1]
    return [customer.driver_licence, customer.street, customer.street.upper(), first.upper(),
            last.upper(), f"{first} {last}", f"{first} {last}".lower(), customer.dob,
            born.strftime("%m%d%Y"), born.strftime("%m/%d/%Y")]


#: Run in another process: which needles (hex, JSON on stdin) occur in files under argv[1].
CANARY = """
import json, sys
from pathlib import Path
needles = [bytes.fromhex(item) for item in json.load(sys.stdin)]
files = [path for path in Path(sys.argv[1]).rglob("*") if path.is_file()]
found = []
for path in files:
    content = path.read_bytes()
    lowered = content.lower()
    found += [[path.name, needle.hex()] for needle in needles
              if needle in content or needle in lowered]
print(json.dumps({"files": [path.name for path in files], "found": found}))
"""


def names_under(folder: Path) -> set[Path]:
    """The files under ``folder``, by name only: opening a live SQLite file from this
    process would drop its POSIX locks."""
    return {path for path in folder.rglob("*") if path.is_file()}


def files_under(folder: Path) -> dict[Path, bytes]:
    """Every file's bytes (only once the store is closed)."""
    return {path: path.read_bytes() for path in sorted(names_under(folder))}


def rows(env: Env) -> dict[str, VerifyItem]:
    with env.store.reads() as session:
        return {row.customer_id: row for row in session.scalars(select(VerifyItem))}


def upload(page: Page, link: str, name: str, mime: str, data: bytes, address: str | None) -> None:
    page.goto(link)
    page.get_by_label("Photo or PDF of your ID").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}])
    if address:
        page.get_by_label(address).check()
    page.get_by_role("button", name="Send securely").click()


def accessible(page: Page) -> None:
    """axe-core (WCAG 2 A/AA rules) finds no violation on the page."""
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21aa"],
                                       "resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CROSSGUARD_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_campaign_upload_review_purge(env: Env, tmp_path: Path,
                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    folder = shots(tmp_path)
    a, b, c = env.customers[0], env.customers[1], env.customers[2]
    other = env.customers[7]  # B uploads this customer's licence: not B's document
    doc_a, doc_other, doc_blank = licence(a), licence(other), blank_photo()

    made = cli(env, "verify", "campaign", "create",
               str(invitees_csv(tmp_path / "invite.csv", [a, b, c])),
               "--name", "pre-order check", "--send")
    assert made.returncode == 0, made.stderr
    assert "3 links, 3 invitations sent" in made.stdout
    assert env.sink.wait_for(3)
    links: dict[str, str] = {}
    for mail_from, rcpts, raw in env.sink.messages:
        message = email.message_from_bytes(raw, policy=policy.default)
        assert mail_from == "care@example.com" and len(rcpts) == 1  # one customer a message
        assert message["To"] == rcpts[0] and message["Cc"] is None
        body = message.get_body().get_content()  # type: ignore[union-attr]
        found = LINK.findall(body)
        assert len(found) == 1
        links[rcpts[0]] = found[0]
    link_a, link_b, link_c = links[a.email], links[b.email], links[c.email]
    assert len({link_a, link_b, link_c}) == 3
    for customer in (a, b, c):  # no personal data in any link
        for value in (customer.customer_id, customer.email, customer.name.split()[-1]):
            assert all(value.lower() not in link.lower() for link in links.values())

    before = names_under(env.data)
    with sync_playwright() as playwright:
        browser: Browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                      args=CHROMIUM_ARGS)
        try:
            phone = browser.new_context(viewport={"width": 390, "height": 844},
                                        java_script_enabled=False)
            page = phone.new_page()

            # The limits, on C's link: a clear page each, nothing kept, the link still open.
            upload(page, link_c, "big.jpg", "image/jpeg",
                   b"\xff\xd8\xff\xe0" + os.urandom(MAX_UPLOAD + 200_000), None)
            expect(page.get_by_role("alert")).to_contain_text("larger than 2 MB")
            page.screenshot(path=str(folder / "verify-too-large.png"), full_page=True)
            upload(page, link_c, "licence.jpg", "image/jpeg",
                   b"MZ\x90\x00" + os.urandom(4000), None)
            expect(page.get_by_role("alert")).to_contain_text("not a photo (JPEG, PNG or HEIC)")
            upload(page, link_c, "licence.png", "image/png", png_bomb(), None)
            expect(page.get_by_role("alert")).to_contain_text("far too many pixels")
            expect(page.get_by_role("alert")).to_contain_text("Nothing of this file was kept")
            page.screenshot(path=str(folder / "verify-bomb.png"), full_page=True)
            after_limits = rows(env)[c.customer_id]
            assert after_limits.state == "pending" and after_limits.upload is None
            assert names_under(env.data) == before  # no file appeared

            # A's session and form cannot upload on B's link; a forged link is not valid.
            with httpx.Client(base_url=env.url, timeout=30) as client:
                page_a = client.get(link_a.removeprefix(env.url))
                form_token = re.search(r'name="csrf" value="([^"]+)"', page_a.text)
                assert form_token is not None
                crossed = client.post(link_b.removeprefix(env.url),
                                      data={"csrf": form_token.group(1), "address": "yes"},
                                      files={"document": ("a.jpg", doc_a, "image/jpeg")})
                assert crossed.status_code == 400 and "form expired" in crossed.text
                item_b, mac_a = link_b.rsplit("/", 1)[1][:32], link_a.rsplit(".", 1)[1]
                forged = client.get(f"/verify/{item_b}.{mac_a}")
                assert forged.status_code == 404 and "not valid" in forged.text
            assert rows(env)[b.customer_id].state == "pending"

            # The three uploads.
            upload(page, link_a, "licence.jpg", "image/jpeg", doc_a, "Yes, it is correct")
            expect(page.get_by_role("heading", name="Received")).to_be_visible()
            page.screenshot(path=str(folder / "verify-received.png"), full_page=True)
            page.reload()
            expect(page.get_by_role("heading", name="Received")).to_be_visible()
            upload(page, link_b, "licence.jpg", "image/jpeg", doc_other, None)
            expect(page.get_by_role("heading", name="Received")).to_be_visible()
            upload(page, link_c, "photo.jpg", "image/jpeg", doc_blank, None)
            expect(page.get_by_role("heading", name="Received")).to_be_visible()

            # The upload form, on a fresh link, for the docs.
            fresh = cli(env, "verify", "campaign", "create",
                        str(invitees_csv(tmp_path / "one.csv", [env.customers[5]])),
                        "--name", "screenshot", "--export", str(tmp_path / "links.csv"))
            assert fresh.returncode == 0, fresh.stderr
            assert stat.S_IMODE((tmp_path / "links.csv").stat().st_mode) == 0o600
            fresh_link = LINK.findall((tmp_path / "links.csv").read_text())[0]
            page.goto(fresh_link)
            expect(page.get_by_text("Privacy")).to_be_visible()
            page.screenshot(path=str(folder / "verify-upload.png"), full_page=True)
            audit_page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
            audit_page.goto(fresh_link)  # axe needs JavaScript; the customer's page does not
            accessible(audit_page)
            audit_page.get_by_label("Photo or PDF of your ID").set_input_files(
                files=[{"name": "x.txt", "mimeType": "text/plain", "buffer": b"hello"}])
            audit_page.get_by_role("button", name="Send securely").click()
            expect(audit_page.get_by_role("alert")).to_be_visible()
            accessible(audit_page)
            audit_page.goto(link_a)
            accessible(audit_page)

            stored = rows(env)
            ciphertexts = [stored[customer.customer_id].upload for customer in (a, b, c)]
            assert all(blob and len(blob) > 1000 for blob in ciphertexts)

            # The reviewer.
            desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            desk.goto(f"{env.url}/ui/login")
            desk.get_by_label("Name").fill("rita")
            desk.get_by_label("Password").fill(PASSWORD)
            desk.get_by_role("button", name="Log in").click()
            desk.get_by_role("link", name="Verifications").click()
            expect(desk.get_by_role("heading", name="Verifications")).to_be_visible()
            waiting = desk.locator("table.queue").first.locator("tbody tr")
            expect(waiting).to_have_count(3)
            accessible(desk)
            desk.screenshot(path=str(folder / "verify-dashboard.png"), full_page=True)
            expected = [(a, "match", "belongs to this customer", "verified"),
                        (b, "mismatch", "does not belong to this customer", "rejected"),
                        (c, "unreadable", "could not be read", "rejected")]
            for customer, outcome, text, decision in expected:
                desk.goto(f"{env.url}/ui/verify/items/{stored[customer.customer_id].id}")
                expect(desk.locator("#outcome")).to_contain_text(outcome)
                expect(desk.locator("#outcome")).to_contain_text(text)
                html = desk.content()
                for value in document_values(a) + document_values(other):
                    assert value not in html
                if customer is a:
                    expect(desk.get_by_text("confirmed by the customer")).to_be_visible()
                    expect(desk.locator("mark.finding").first).to_be_visible()
                    desk.screenshot(path=str(folder / "verify-review.png"), full_page=True)
                    accessible(desk)
                desk.get_by_label("Reason").fill(f"document checked: {outcome}")
                desk.get_by_role("button", name=decision.capitalize()).click()
                expect(desk.get_by_text(f"{decision} by web:rita")).to_be_visible()
                expect(desk.get_by_text("were deleted when the decision was made")).to_be_visible()
            desk.goto(f"{env.url}/ui/verify")
            expect(desk.get_by_text("Nothing is waiting.")).to_be_visible()

            # Reused, expired and revoked links are refused.
            page.goto(link_a)
            expect(page.get_by_role("heading", name="Received")).to_be_visible()
            with httpx.Client(timeout=30) as client:
                again = client.post(link_a, files={"document": ("a.jpg", doc_a, "image/jpeg")})
            assert again.status_code == 409 and "already been used" in again.text
            short = cli(env, "verify", "campaign", "create",
                        str(invitees_csv(tmp_path / "short.csv", [env.customers[4]])),
                        "--name", "short", "--days", "0.00002",
                        "--export", str(tmp_path / "short-links.csv"))
            assert short.returncode == 0, short.stderr
            time.sleep(2.0)
            page.goto(LINK.findall((tmp_path / "short-links.csv").read_text())[0])
            expect(page.get_by_role("heading", name="This link has expired")).to_be_visible()
            campaign_id = fresh.stdout.split()[1].rstrip(":")
            revoked = cli(env, "verify", "campaign", "revoke", campaign_id)
            assert revoked.returncode == 0 and "1 unused links revoked" in revoked.stdout
            page.goto(fresh_link)
            expect(page.get_by_role("heading", name="This link has expired")).to_be_visible()
        finally:
            browser.close()

    # Gone from the database: no upload, no reading; only the decisions remain.
    final = rows(env)
    for customer, outcome, _text, decision in expected:
        row = final[customer.customer_id]
        assert row.state == decision and row.outcome == outcome
        assert row.upload is None and row.reading is None and row.purged_at is not None

    # Every step in the audit chain, which verifies; files 0600 in 0700 folders.
    events = [entry.event for entry in env.store.audit.entries(limit=1000)]
    for event, count in (("verify.upload", 3), ("verify.read", 3), ("verify.decide", 3),
                         ("verify.purge", 3), ("verify.upload_refused", 5)):
        assert events.count(event) == count, event
    assert env.store.audit.verify().ok
    store_dir = env.data / "store"
    assert stat.S_IMODE(store_dir.stat().st_mode) == 0o700
    for path in store_dir.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path

    exported = cli(env, "verify", "decisions", "--out", str(tmp_path / "decisions.csv"))
    assert exported.returncode == 0 and "3 decisions written" in exported.stdout
    decided = list(csv.DictReader(
        (tmp_path / "decisions.csv").read_text(encoding="utf-8").splitlines()))
    assert stat.S_IMODE((tmp_path / "decisions.csv").stat().st_mode) == 0o600
    assert {row["customer_id"]: row["decision"] for row in decided} == {
        a.customer_id: "verified", b.customer_id: "rejected", c.customer_id: "rejected"}

    # The canary: nothing of the documents anywhere crossguard wrote (db, WAL, spool, index):
    # first while the server runs (read by another process: opening a live SQLite file here
    # would drop this process's locks on it), then once everything is closed.
    needles = [value.lower().encode() for value in document_values(a) + document_values(other)]
    needles += [blob[start:start + 48] for blob in ciphertexts if blob
                for start in (0, len(blob) // 2, len(blob) - 48)]
    needles += [raw[200:264] for raw in (doc_a, doc_other, doc_blank)]
    live = subprocess.run([sys.executable, "-c", CANARY, str(env.data)], capture_output=True,
                          input=json.dumps([needle.hex() for needle in needles]), text=True,
                          timeout=120, check=True)
    report = json.loads(live.stdout)
    assert any(name.endswith("-wal") for name in report["files"])
    assert report["found"] == []
    env.close()
    for path, content in files_under(env.data).items():
        lowered = content.lower()
        assert not [needle for needle in needles if needle in lowered or needle in content], path
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for value in document_values(a) + document_values(other):
        assert value not in logged
