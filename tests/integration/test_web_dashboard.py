"""The dashboard without JavaScript: login, sessions, CSRF, queue, message view, decisions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from tests.integration.support.api import ApiEnv, MakeApi, leak, running_api

from crossguard.store.access import Access
from crossguard.synth import mail

pytestmark = pytest.mark.integration
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiEnv]:
    folder = tmp_path_factory.mktemp("dash")
    reports = folder / "reports"
    (reports / "2026-03-incident").mkdir(parents=True)
    (reports / "2026-03-incident" / "report.html").write_text("<h1>Incident report</h1>")
    (reports / "not-a-report").mkdir()
    with running_api(folder, api={"reports_dir": str(reports)}) as running:
        access = Access(running.store.sessions)
        access.add_user("rita", PASSWORD, "reviewer")
        access.add_user("carl", PASSWORD, "checker")
        yield running


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


def browser(env: ApiEnv) -> httpx.Client:
    return httpx.Client(base_url=env.url, timeout=30, follow_redirects=False)


@contextmanager
def login(env: ApiEnv, name: str = "rita") -> Iterator[httpx.Client]:
    with browser(env) as client:
        token = csrf_of(client.get("/ui/login").text)
        response = client.post("/ui/login", data={"csrf": token, "username": name,
                                                  "password": PASSWORD})
        assert response.status_code == 303 and response.headers["location"] == "/ui/quarantine"
        yield client


def test_session_cookie_is_httponly_and_samesite_strict(env: ApiEnv) -> None:
    with browser(env) as client:
        cookie = client.get("/ui/login").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie


def test_secure_flag_is_on_by_default(make_api: MakeApi) -> None:
    with browser(make_api(api={"secure_cookies": True})) as client:
        cookie = client.get("/ui/login").headers["set-cookie"].lower()
    assert "; secure" in cookie


def test_pages_need_a_login(env: ApiEnv) -> None:
    with browser(env) as client:
        for path in ("/ui/quarantine", "/ui/audit", "/ui/reports", "/ui/quarantine/x"):
            response = client.get(path)
            assert response.status_code == 303 and response.headers["location"] == "/ui/login"
        client.cookies.set("cg_session", "forged.value.here")
        assert client.get("/ui/quarantine").status_code == 303


def test_login_checks_csrf_and_password(env: ApiEnv) -> None:
    with browser(env) as client:
        token = csrf_of(client.get("/ui/login").text)
        no_csrf = client.post("/ui/login", data={"username": "rita", "password": PASSWORD})
        assert no_csrf.status_code == 400
        token = csrf_of(client.get("/ui/login").text)
        wrong = client.post("/ui/login", data={"csrf": token, "username": "rita",
                                               "password": "wrong password"})
        assert wrong.status_code == 401 and "Wrong name or password" in wrong.text
        nobody = client.post("/ui/login", data={"csrf": token, "username": "nobody",
                                                "password": PASSWORD})
        assert nobody.status_code == 401


def test_login_issues_a_fresh_session(env: ApiEnv) -> None:
    with browser(env) as client:
        before = csrf_of(client.get("/ui/login").text)
        client.post("/ui/login", data={"csrf": before, "username": "rita", "password": PASSWORD})
        after = csrf_of(client.get("/ui/quarantine").text)
    assert after != before


def test_a_checker_may_not_review(env: ApiEnv) -> None:
    with login(env, "carl") as client:
        response = client.get("/ui/quarantine")
    assert response.status_code == 403 and "reviewer role" in response.text


def test_queue_filters_and_counts(env: ApiEnv) -> None:
    entry_id = env.hold(leak(env.customers, author=2, seed=2))
    with login(env) as client:
        page = client.get("/ui/quarantine")
        filtered = client.get("/ui/quarantine", params={"rule": "bulk_send"})
        by_sender = client.get("/ui/quarantine", params={"sender": "preorder",
                                                         "max_age_hours": "2"})
    assert page.status_code == 200 and f"/ui/quarantine/{entry_id}" in page.text
    assert "cross_customer" in page.text and re.search(r"held <b>\d+</b>", page.text)
    assert entry_id not in filtered.text and "Nothing matches." in filtered.text
    assert entry_id in by_sender.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"


def test_message_view_shows_rules_customers_and_masked_findings(env: ApiEnv) -> None:
    owner = env.customers[3]
    entry_id = env.hold(leak(env.customers, author=3, seed=3))
    with login(env) as client:
        page = client.get(f"/ui/quarantine/{entry_id}").text
    assert f"Customer <code>{owner.customer_id}</code>" in page
    assert "cross_customer" in page and "external_fanout" in page
    assert 'class="finding"' in page and "DRIVER_LICENCE" in page
    assert owner.driver_licence not in page and owner.email not in page
    assert "text/plain" in page and "Reply-To" in page


def test_release_needs_csrf_and_a_reason_then_lands_in_the_audit(env: ApiEnv) -> None:
    entry_id = env.hold(leak(env.customers, author=4, seed=4))
    with login(env) as client:
        page = client.get(f"/ui/quarantine/{entry_id}").text
        url = f"/ui/quarantine/{entry_id}/decide"
        forged = client.post(url, data={"decision": "release", "reason": "x",
                                        "csrf": "not-the-token"})
        assert forged.status_code == 400 and "form expired" in forged.text
        blank = client.post(url, data={"decision": "release", "reason": " ",
                                       "csrf": csrf_of(page)})
        assert blank.status_code == 400 and "a reason is required" in blank.text
        asked = client.post(url, data={"decision": "release", "reason": "checked by phone",
                                       "csrf": csrf_of(page)})
        assert asked.status_code == 200 and "Yes, release" in asked.text
        assert env.store.quarantine.show(entry_id).state == "held", "nothing before confirming"
        done = client.post(url, data={"decision": "release", "reason": "checked by phone",
                                      "csrf": csrf_of(page), "confirmed": "yes"})
        assert done.status_code == 303
        shown = client.get(done.headers["location"]).text
        again = client.post(url, data={"decision": "discard", "reason": "late",
                                       "csrf": csrf_of(page), "confirmed": "yes"})
        audit = client.get("/ui/audit", params={"limit": 500}).text
    assert "Message released." in shown and "by <b>web:rita</b>" in shown
    assert again.status_code == 409
    assert "Chain verified" in audit and "quarantine.release" in audit
    assert "checked by phone" in audit and "web:rita" in audit


def test_discard_from_the_dashboard(env: ApiEnv) -> None:
    entry_id = env.hold(leak(env.customers, author=5, seed=5))
    with login(env) as client:
        page = client.get(f"/ui/quarantine/{entry_id}").text
        url = f"/ui/quarantine/{entry_id}/decide"
        asked = client.post(url, data={"decision": "discard", "reason": "leak",
                                       "csrf": csrf_of(page)})
        assert asked.status_code == 200 and "Yes, discard" in asked.text
        assert "dropped for good" in asked.text
        done = client.post(url, data={"decision": "discard", "reason": "leak",
                                      "csrf": csrf_of(page), "confirmed": "yes"})
        shown = client.get(done.headers["location"]).text
    assert "Message discarded." in shown and "body was dropped" in shown


def test_release_confirmation_lists_recipients_and_warns_of_a_cross_customer_leak(
    env: ApiEnv,
) -> None:
    outbound = leak(env.customers, author=7, seed=7)
    entry_id = env.hold(outbound)
    with login(env) as client:
        page = client.get(f"/ui/quarantine/{entry_id}").text
        asked = client.post(f"/ui/quarantine/{entry_id}/decide",
                            data={"decision": "release", "reason": "asked by the agent",
                                  "csrf": csrf_of(page)}).text
    external = [r for r in outbound.rcpts if not r.endswith("@" + mail.COMPANY_DOMAIN)]
    assert f"<b>{len(outbound.rcpts)}</b> recipient(s)" in asked
    assert f"<b>{len(external)}</b> external" in asked
    assert asked.count("<td>external</td>") == len(external)
    assert "Warning." in asked and "cross_customer" in asked
    for address in outbound.rcpts:
        assert address not in asked, "recipients are shown masked"


def test_reports_list_folders_with_a_report(env: ApiEnv) -> None:
    with login(env) as client:
        page = client.get("/ui/reports").text
        report = client.get("/ui/reports/2026-03-incident/report.html")
        other = client.get("/ui/reports/not-a-report/report.html")
        escape = client.get("/ui/reports/..%2F..%2Fcrossguard.key/report.html")
    assert "2026-03-incident" in page and "not-a-report" not in page
    assert report.status_code == 200 and "<h1>Incident report</h1>" in report.text
    assert other.status_code == 404 and escape.status_code == 404


def test_logout_needs_csrf_and_ends_the_session(env: ApiEnv) -> None:
    with login(env) as client:
        page = client.get("/ui/quarantine").text
        assert client.post("/ui/logout", data={}).status_code == 400
        out = client.post("/ui/logout", data={"csrf": csrf_of(page)})
        assert out.status_code == 303 and out.headers["location"] == "/ui/login"
        assert client.get("/ui/quarantine").status_code == 303


def test_a_cookie_replayed_after_logout_gets_401_and_cannot_discard(env: ApiEnv) -> None:
    entry_id = env.hold(leak(env.customers, author=6, seed=6))
    with login(env) as client:
        page = client.get(f"/ui/quarantine/{entry_id}").text
        stolen = client.cookies["cg_session"]
        client.post("/ui/logout", data={"csrf": csrf_of(page)})
    with browser(env) as replay:
        replay.cookies.set("cg_session", stolen)
        assert replay.get("/ui/quarantine").status_code == 401
    with browser(env) as replay:  # the 401 page set a fresh cookie: replay the stolen one again
        replay.cookies.set("cg_session", stolen)
        discard = replay.post(f"/ui/quarantine/{entry_id}/decide",
                              data={"decision": "discard", "reason": "x", "csrf": csrf_of(page)})
    assert discard.status_code == 401 and "session has ended" in discard.text
    assert env.store.quarantine.show(entry_id).state == "held"


def test_a_new_password_or_a_deleted_user_ends_open_sessions(env: ApiEnv) -> None:
    access = Access(env.store.sessions)
    access.add_user("vera", PASSWORD, "reviewer")
    with login(env, "vera") as client:
        assert client.get("/ui/quarantine").status_code == 200
        access.set_password("vera", "another long one", actor="test")
        assert client.get("/ui/quarantine").status_code == 401
    access.set_password("vera", PASSWORD, actor="test")
    with login(env, "vera") as client:
        access.delete_user("vera", actor="test")
        assert client.get("/ui/quarantine").status_code == 401
    events = [entry.event for entry in env.store.audit.entries(limit=10_000)]
    assert {"access.user_passwd", "access.user_delete", "web.logout"} <= set(events)


def test_static_htmx_is_served_with_its_licence_header(env: ApiEnv) -> None:
    with browser(env) as client:
        script = client.get("/ui/static/htmx.min.js")
    assert script.status_code == 200 and script.text.startswith("/*! htmx.org 2.0.11")
