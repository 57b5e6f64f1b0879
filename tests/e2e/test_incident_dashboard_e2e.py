"""A real browser (Debian's chromium, headless) as the privacy officer: an incident's page.

Logs in as a reviewer, opens the incident from the list, sees the Art. 33
deadline and the flagged state rules, downloads a letter and finds the
download in the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from tests.e2e.test_dashboard_e2e import CHROMIUM_ARGS, shots

from crossguard.api.server import BackgroundApi
from crossguard.app import create_app
from crossguard.config import settings_from_dict
from crossguard.index.build import build_index
from crossguard.index.customer_input import read_customers
from crossguard.synth.customers import generate_customers, write_customers_csv

#: The written incident became known 2026-03-05T08:30Z: the Art. 33 deadline is 72 h later.
INCIDENT_DEADLINE = "2026-03-08T08:30:00+00:00"
pytestmark = pytest.mark.e2e
PASSWORD = "a long passphrase"
NAME = "2026-03-02-support-list"


@pytest.fixture
def dashboard(tmp_path: Path, write_incident: Callable[[Path], Path]) -> Iterator[str]:
    (tmp_path / "crossguard.key").write_text("7c" * 32, encoding="ascii")
    write_incident(tmp_path / "reports" / NAME)
    settings = settings_from_dict({
        "key_file": "crossguard.key", "index": {"path": "index"},
        "store": {"url": f"sqlite:///{tmp_path / 'store.db'}", "spool_dir": str(tmp_path / "sp")},
        "api": {"secure_cookies": False, "reports_dir": str(tmp_path / "reports")},
    }, source=tmp_path / "crossguard.toml")
    assert settings.index.path is not None
    customers = write_customers_csv(generate_customers(5, seed=9), tmp_path / "customers.csv")
    build_index(read_customers(customers), settings.index.path, settings.secret_key())
    app = create_app(settings)
    state = app.state.crossguard
    state.access.add_user("petra", PASSWORD, "reviewer")
    with BackgroundApi(app) as server:
        yield server.url
    state.store.close()


def test_privacy_officer_downloads_a_letter_and_sees_the_deadline(dashboard: str,
                                                                   tmp_path: Path) -> None:
    folder = shots(tmp_path)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
        try:
            page: Page = browser.new_page(viewport={"width": 1280, "height": 900},
                                          accept_downloads=True)
            errors: list[str] = []
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error"
                    else None)
            page.goto(f"{dashboard}/ui/login")
            page.get_by_label("Name").fill("petra")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.get_by_role("link", name="Incident reports").click()
            row = page.locator("table.reports tr", has_text=NAME)
            expect(row).to_contain_text(INCIDENT_DEADLINE)
            row.get_by_role("link", name=NAME).click()

            expect(page.get_by_role("heading", name=f"Incident {NAME}")).to_be_visible()
            expect(page.locator("#affected")).to_have_text("2")
            art33 = page.locator("table.deadlines tr", has_text="GDPR Art. 33")
            expect(art33.locator("td.deadline")).to_have_text(INCIDENT_DEADLINE)
            expect(page.locator("table.deadlines tr.crossed", has_text="US-NY")).to_have_count(1)
            expect(page.locator("table.deadlines tr", has_text="US-TX")).to_contain_text("no")
            page.screenshot(path=str(folder / "dashboard-incident.png"), full_page=True)

            with page.expect_download() as info:
                page.get_by_role("link", name="C1.eml").click()
            download = info.value
            assert download.suggested_filename == "C1.eml"
            letter = message_from_bytes(Path(download.path()).read_bytes(), policy=default)
            assert letter["To"] == "c1@mail.example"
            assert letter["X-Crossguard-Customer"] == "C1"
            assert "WHAT HAPPENED" in letter.get_content()  # type: ignore[attr-defined]

            with page.expect_download() as info:
                page.get_by_role("link", name="art33.md").click()
            assert Path(info.value.path()).read_text(encoding="utf-8").startswith(
                "# Personal data breach notification (GDPR Art. 33): DRAFT")

            page.get_by_role("link", name="Audit trail").click()
            downloads = page.locator("table.audit tr", has_text="incident.download")
            expect(downloads).to_have_count(2)
            expect(downloads.first).to_contain_text("web:petra")
            expect(page.locator("table.audit tr", has_text="letters/C1.eml")).to_have_count(1)
            assert not errors, errors
        finally:
            browser.close()
