"""A real browser (Debian's chromium, headless, via Playwright) reviews a held message.

Logs in, opens the held message, releases it with a reason through the confirmation
that lists its recipients, and finds the release in the audit trail. With JavaScript
on, a wrong password and a rejected reason show their errors. Screenshots go to
$CROSSGUARD_SCREENSHOTS (e.g. docs/img) when set, else to the test's temporary folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from crossguard.api.server import BackgroundApi
from crossguard.app import create_app
from crossguard.config import settings_from_dict
from crossguard.core.private import write_private
from crossguard.index.build import build_index
from crossguard.index.customer_input import read_customers
from crossguard.store.access import Access
from crossguard.synth import mail
from crossguard.synth.customers import Customer, generate_customers, write_customers_csv

pytestmark = pytest.mark.e2e
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "a long passphrase"


class Dashboard:
    """A running API with one held message and a reviewer."""

    def __init__(self, url: str, entry_id: str, owner: Customer) -> None:
        self.url, self.entry_id, self.owner = url, entry_id, owner


@pytest.fixture
def dashboard(tmp_path: Path) -> Iterator[Dashboard]:
    write_private(tmp_path / "crossguard.key", "7c" * 32)
    (tmp_path / "reports" / "2026-03-02-support-list").mkdir(parents=True)
    (tmp_path / "reports" / "2026-03-02-support-list" / "report.html").write_text("<h1>r</h1>")
    settings = settings_from_dict({
        "key_file": "crossguard.key", "index": {"path": "index"},
        "policy": {"company_domains": [mail.COMPANY_DOMAIN]},
        "store": {"url": f"sqlite:///{tmp_path / 'store.db'}", "spool_dir": str(tmp_path / "sp")},
        "api": {"secure_cookies": False, "reports_dir": str(tmp_path / "reports")},
    }, source=tmp_path / "crossguard.toml")
    customers = generate_customers(20, seed=9)
    assert settings.index.path is not None
    build_index(read_customers(write_customers_csv(customers, tmp_path / "customers.csv")),
                settings.index.path, settings.secret_key())
    app = create_app(settings)
    state = app.state.crossguard
    state.access.add_user("rita", PASSWORD, "reviewer")
    token = Access(state.store.sessions).create_token("checker")[1]
    with BackgroundApi(app) as server:
        entry_ids = []
        for author in (0, 3):
            outbound = mail.redistributed(mail.customer_reply(customers[author], seed=author),
                                          customers[:6])
            response = httpx.post(f"{server.url}/v1/check", content=outbound.raw, params={
                "mail_from": outbound.mail_from, "rcpt": list(outbound.rcpts), "hold": "true"},
                headers={"authorization": f"Bearer {token}", "content-type": "message/rfc822"})
            entry_ids.append(response.json()["quarantine_id"])
        yield Dashboard(server.url, entry_ids[0], customers[0])
    state.store.close()


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CROSSGUARD_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_review_release_and_audit_in_a_real_browser(dashboard: Dashboard, tmp_path: Path) -> None:
    folder = shots(tmp_path)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
        try:
            page: Page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors: list[str] = []
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error"
                    else None)
            page.goto(f"{dashboard.url}/ui/quarantine")
            expect(page).to_have_url(f"{dashboard.url}/ui/login")
            page.get_by_label("Name").fill("rita")
            page.get_by_label("Password").fill(PASSWORD)
            page.screenshot(path=str(folder / "dashboard-login.png"))
            page.get_by_role("button", name="Log in").click()
            expect(page.get_by_role("heading", name="Quarantine")).to_be_visible()
            expect(page.locator("table.queue tbody tr")).to_have_count(2)
            page.screenshot(path=str(folder / "dashboard-queue.png"), full_page=True)

            page.locator(f'a[href="/ui/quarantine/{dashboard.entry_id}"]').click()
            expect(page.get_by_role("heading", name=f"Customer {dashboard.owner.customer_id}"))\
                .to_be_visible()
            expect(page.locator("mark.finding").first).to_be_visible()
            page.screenshot(path=str(folder / "dashboard-message.png"), full_page=True)
            html = page.content()
            assert dashboard.owner.driver_licence not in html
            assert dashboard.owner.email not in html and dashboard.owner.phone not in html

            page.get_by_role("button", name="Release").click()  # no reason: the browser refuses
            expect(page.get_by_text("Message released.")).to_have_count(0)
            page.get_by_label("Reason").fill("customer confirmed the recipients by phone")
            page.get_by_role("button", name="Release").click()
            expect(page.get_by_role("heading", name="Release message")).to_be_visible()
            # redistributed to the first six customers but its author: five recipients
            expect(page.locator("table.recipients tbody tr")).to_have_count(5)
            expect(page.get_by_role("alert")).to_contain_text("cross_customer")
            page.screenshot(path=str(folder / "dashboard-release-confirm.png"), full_page=True)
            expect(page.get_by_text("Message released.")).to_have_count(0)
            page.get_by_role("button", name="Yes, release").click()
            expect(page.get_by_text("Message released.")).to_be_visible()
            expect(page.get_by_text("released by web:rita")).to_be_visible()

            page.get_by_role("link", name="Audit trail").click()
            expect(page.get_by_text("Chain verified")).to_be_visible()
            release = page.locator("table.audit tr", has_text="quarantine.release")
            expect(release).to_have_count(1)
            expect(release).to_contain_text("customer confirmed the recipients by phone")
            expect(release).to_contain_text("web:rita")
            page.screenshot(path=str(folder / "dashboard-audit.png"), full_page=True)

            page.get_by_role("link", name="Incident reports").click()
            expect(page.get_by_role("link", name="2026-03-02-support-list")).to_be_visible()
            page.get_by_role("button", name="Log out").click()
            expect(page).to_have_url(f"{dashboard.url}/ui/login")
            assert not errors, errors  # no CSP violations or script errors
        finally:
            browser.close()
    assert (folder / "dashboard-audit.png").stat().st_size > 10_000


def test_errors_show_with_javascript_on(dashboard: Dashboard, tmp_path: Path) -> None:
    """htmx swaps 4xx pages in: a wrong password and a rejected reason are shown."""
    folder = shots(tmp_path)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
        try:
            page: Page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{dashboard.url}/ui/login")
            page.wait_for_function("window.htmx !== undefined")
            page.get_by_label("Name").fill("rita")
            page.get_by_label("Password").fill("not the password")
            page.get_by_role("button", name="Log in").click()
            expect(page.get_by_role("alert")).to_have_text("Wrong name or password.")
            page.screenshot(path=str(folder / "dashboard-login-error.png"))

            page.get_by_label("Name").fill("rita")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            expect(page.get_by_role("heading", name="Quarantine")).to_be_visible()
            page.goto(f"{dashboard.url}/ui/quarantine/{dashboard.entry_id}")
            page.wait_for_function("window.htmx !== undefined")
            page.get_by_label("Reason").fill("!!!")  # not empty, so the browser sends it
            page.get_by_role("button", name="Release").click()
            expect(page.get_by_role("alert")).to_contain_text("a reason is required")
            page.screenshot(path=str(folder / "dashboard-bad-reason.png"), full_page=True)
        finally:
            browser.close()
