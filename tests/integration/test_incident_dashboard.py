"""The privacy officer's incident pages over real HTTP: roles, downloads, audit, no escapes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.integration.support.api import ApiEnv, running_api
from tests.integration.test_web_dashboard import PASSWORD, login

from crossguard.store.access import Access

#: The written incident became known 2026-03-05T08:30Z: the Art. 33 deadline is 72 h later.
INCIDENT_DEADLINE = "2026-03-08T08:30:00+00:00"
pytestmark = pytest.mark.integration
NAME = "2026-03-support-list"


@pytest.fixture
def env(tmp_path: Path, write_incident: Callable[[Path], Path]) -> Iterator[ApiEnv]:
    write_incident(tmp_path / "reports" / NAME)
    with running_api(tmp_path, api={"reports_dir": str(tmp_path / "reports")}) as running:
        access = Access(running.store.sessions)
        access.add_user("rita", PASSWORD, "reviewer")
        access.add_user("carl", PASSWORD, "checker")
        yield running


def test_incident_page_downloads_and_their_audit(env: ApiEnv) -> None:
    with login(env) as client:
        listing = client.get("/ui/reports").text
        page = client.get(f"/ui/reports/{NAME}").text
        letter = client.get(f"/ui/reports/{NAME}/files/letters/C1.eml")
        draft = client.get(f"/ui/reports/{NAME}/files/art33.json")
        report = client.get(f"/ui/reports/{NAME}/report.html")
    assert INCIDENT_DEADLINE in listing and "US-NY" in listing
    assert INCIDENT_DEADLINE in page and "notice-0003.eml" in page and "C2.eml" in page
    assert letter.status_code == 200 and letter.headers["content-type"] == "message/rfc822"
    assert 'attachment; filename="C1.eml"' in letter.headers["content-disposition"]
    assert b"To: c1@mail.example" in letter.content
    assert draft.json()["data_subjects"]["count"] == 2
    assert "script-src 'none'" in report.headers["content-security-policy"]
    rows = [(entry.actor, entry.event, json.loads(entry.payload))
            for entry in env.store.audit.entries()
            if entry.event.startswith("incident.")]
    assert rows == [
        ("web:rita", "incident.download", {"incident": NAME, "file": "letters/C1.eml"}),
        ("web:rita", "incident.download", {"incident": NAME, "file": "art33.json"}),
        ("web:rita", "incident.view", {"incident": NAME, "file": "report.html"}),
    ]


def test_only_listed_outputs_and_only_for_reviewers(env: ApiEnv) -> None:
    with login(env) as client:
        refused = [client.get(f"/ui/reports/{NAME}/files/{name}").status_code for name in (
            "exposures.jsonl", "..%2F..%2Fstore.db", "letters/..%2F..%2Fstore.db",
            "letters/nobody.eml", "phases/1/art33.md")]
        other = client.get("/ui/reports/..%2Fcrossguard.key/files/art33.md").status_code
    assert refused == [404] * 5 and other == 404
    with login(env, "carl") as client:
        denied = client.get(f"/ui/reports/{NAME}/files/letters/C1.eml")
    assert denied.status_code == 403 and b"To:" not in denied.content
    assert not [entry for entry in env.store.audit.entries()
                if entry.event.startswith("incident.")], "a refused request downloads nothing"
