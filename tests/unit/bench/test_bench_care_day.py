"""bench/care_day.py: the generated day is what the docs say, and its section renders."""

from __future__ import annotations

from email import message_from_bytes

import care_day
from lib.report import render_care_day
from stdnum import ean

from crossguard.core.ids import tracking
from crossguard.synth.customers import generate_customers


def test_the_day_has_replies_a_campaign_and_leaks() -> None:
    customers = generate_customers(60, seed=3)
    sizes = {"customers": 60, "replies": 80, "campaign": 12, "leaks": 5}
    mails = care_day.the_day(customers, sizes)
    labels = [mail.label for mail in mails]
    assert (labels.count("reply"), labels.count("leak"), labels.count("campaign")) == (75, 5, 12)
    assert [mail.at for mail in mails] == sorted(mail.at for mail in mails)
    assert mails[-1].at - mails[0].at <= care_day.HOURS * 3600
    assert len({mail.rcpt for mail in mails if mail.label != "campaign"}) == 60
    reply = message_from_bytes(next(m for m in mails if m.label == "reply").raw)
    assert reply["In-Reply-To"] and reply["From"] in {care_day.SHARED} | {
        f"agent{n:02d}@example.com" for n in range(1, 26)}
    campaign = message_from_bytes(next(m for m in mails if m.label == "campaign").raw)
    assert campaign["In-Reply-To"] is None and campaign["From"] == care_day.SHARED


def test_generated_reference_numbers_validate() -> None:
    import random

    rng = random.Random(1)
    assert all(tracking.is_ups(care_day.ups_number(rng)) for _ in range(50))
    assert all(ean.is_valid(care_day.barcode(rng)) for _ in range(50))


def test_section_renders_both_modes() -> None:
    mode = {"replies": 100, "false_holds": 0, "false_hold_rate_pct": 0.0, "leaks_held": 5,
            "leaks": 5, "campaign_held": 10, "campaign": 12,
            "campaign_delivered_before_first_hold": 2, "messages_per_s": 300.0, "p50_ms": 1.0,
            "p99_ms": 5.0, "false_holds_by_rule": {}}
    result = {"sizes": {"replies": 100, "leaks": 5, "campaign": 12, "customers": 60},
              "agents": 25, "hours": 8, "distinct_customers_answered": 60,
              "shared_address_share": 0.7, "acceptance": {"all_leaks_held": True},
              "modes": {"campaign": mode, "sender": {**mode, "false_holds": 40,
                                                      "false_holds_by_rule": {"bulk_send": 40}}}}
    text = "\n".join(render_care_day(result))
    assert "| campaign (default) | 100 | 0 | 0.000% | 5/5 | 10/12 | 2 |" in text
    assert "| sender (before issue 16) | bulk_send | 40 |" in text
    assert "all_leaks_held: pass" in text
