"""The pipeline end to end: the incident replay, and no raw identifier in any verdict or log."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossguard import demo
from crossguard.config import Settings
from crossguard.scan import Guard
from crossguard.synth import mail
from crossguard.synth.customers import Customer


def test_incident_replay_holds_every_stage_for_the_right_reason(tmp_path: Path) -> None:
    settings, customers = demo.prepare(tmp_path)
    stages = demo.replay(Guard.from_settings(settings), customers)
    outcome = {stage.title: (dict(stage.actions), set(stage.rules)) for stage in stages}
    visible, bcc, replies, to_support, one_to_one = outcome.values()
    assert visible == ({"quarantine": 1}, {"visible_recipients", "reply_path", "large_audience",
                                           "sensitive_request", "bulk_send"})
    # The Bcc'd campaign is addressed To the support list: its members count as visible.
    assert bcc == ({"quarantine": 1}, {"reply_path", "large_audience", "sensitive_request",
                                       "bulk_send", "visible_recipients"})
    assert replies[0] == {"quarantine": demo.REPLIES}
    assert {"cross_customer", "external_fanout"} <= replies[1]
    assert to_support == ({"allow": 20}, set())
    assert one_to_one == ({"allow": 50}, set())


def test_each_redistributed_reply_names_its_author(
    make_settings: Callable[..., Settings], customers: list[Customer]
) -> None:
    guard = Guard.from_settings(make_settings())
    for customer in customers[:10]:
        outbound = mail.redistributed(mail.customer_reply(customer), customers[:12])
        verdict = guard.check(outbound.raw, mail_from=outbound.mail_from,
                              rcpts=list(outbound.rcpts))
        cross = [rule for rule in verdict.rules if rule.rule == "cross_customer"]
        assert cross and cross[0].customers == (customer.customer_id,)


def _raw_values(customer: Customer) -> list[str]:
    return [customer.email, customer.phone, customer.card, customer.driver_licence,
            customer.passport, customer.national_id, customer.street, customer.name]


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picks=st.lists(st.integers(0, 299), min_size=1, max_size=3),
       fields=st.lists(st.integers(0, 7), min_size=1, max_size=8),
       filler=st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_no_raw_identifier_in_verdicts_or_logs(
    picks: list[int], fields: list[int], filler: str, customers: list[Customer],
    make_settings: Callable[..., Settings], make_mail: Callable[..., bytes],
    caplog: pytest.LogCaptureFixture,
) -> None:
    guard = Guard.from_settings(make_settings())
    chosen = [customers[i] for i in picks]
    values = [_raw_values(c)[f] for c in chosen for f in fields]
    body = filler + "\n" + "\n".join(values)
    with caplog.at_level(logging.DEBUG):
        verdict = guard.check(make_mail(body, to=("x@example.org",)),
                              mail_from="care@example.com")
    shown = verdict.to_json() + repr(verdict) + caplog.text
    for value in values:
        assert value not in shown


def test_verdict_json_follows_docs_schema(make_settings: Callable[..., Settings],
                                          customers: list[Customer],
                                          make_mail: Callable[..., bytes]) -> None:
    import json
    import re

    docs = (Path(__file__).parents[2] / "docs" / "verdict.md").read_text(encoding="utf-8")
    schema = json.loads(re.search(r"```json\n(\{\n  \"\$schema\".*?)\n```", docs, re.S)[1])
    verdict = Guard.from_settings(make_settings()).check(
        make_mail(f"Licence {customers[1].driver_licence}", to=(customers[0].email,)),
        mail_from="care@example.com",
    ).as_dict()
    assert set(schema["required"]) == set(verdict)
    rule_schema = schema["properties"]["rules"]["items"]
    assert set(rule_schema["required"]) == set(verdict["rules"][0])
    assert verdict["rules"][0]["rule"] in rule_schema["properties"]["rule"]["enum"]
    from crossguard.policy.rules import RULES

    assert set(rule_schema["properties"]["rule"]["enum"]) == set(RULES)
    for key, section in (("findings", verdict["findings"][0]),
                         ("attributions", verdict["attributions"][0])):
        assert set(schema["properties"][key]["items"]["required"]) == set(section)


def test_evaluation_names_recipients_who_may_not_see_a_customers_data(
    make_settings: Callable[..., Settings], make_mail: Callable[..., bytes],
    customers: list[Customer],
) -> None:
    owner, other = customers[0], customers[1]
    guard = Guard.from_settings(make_settings())
    raw = make_mail(f"Licence {owner.driver_licence}, phone {owner.phone}.",
                    to=(owner.email, other.email, "care@example.com"))
    evaluation = guard.evaluate(raw, mail_from="care@example.com",
                                rcpts=[owner.email, other.email, "care@example.com"])
    assert [a.customer_id for a in evaluation.verdict.attributions] == [owner.customer_id]
    unauthorized = evaluation.unauthorized_recipients(evaluation.verdict.attributions[0])
    assert [recipient.address for recipient in unauthorized] == [other.email.lower()]


def test_guard_answers_reach_and_index_without_its_internals(
    make_settings: Callable[..., Settings], built_index: Path,
) -> None:
    guard = Guard.from_settings(make_settings())
    assert not guard.may_reach_outside(["care@example.com", "billing@EXAMPLE.com"])
    assert guard.may_reach_outside(["care@example.com", "someone@example.org"])
    assert guard.index is not None and guard.index.path == built_index
    assert Guard(Settings()).index is None


def test_subject_message_id_and_file_names_are_stored_masked(
    make_settings: Callable[..., Settings], customers: list[Customer],
    make_mail: Callable[..., bytes],
) -> None:
    owner, other = customers[0], customers[1]
    ssn, card = "219-44-7713", owner.card
    raw = make_mail("Hello", to=(other.email,), subject=f"Re: card {card} for you",
                    attachments=((f"SSN {ssn} card {card}.txt", b"see name", "text/plain"),))
    raw = raw.replace(b"<test@example.com>", f"<{card}.x@example.com>".encode())
    verdict = Guard.from_settings(make_settings()).check(raw, mail_from="care@example.com",
                                                         rcpts=[other.email])
    shown = verdict.to_json()
    assert card not in shown and ssn not in shown
    assert verdict.subject == f"Re: card {card[:4]} **** **** {card[-4:]} for you"
    assert verdict.message_id == f"<{card[:4]} **** **** {card[-4:]}.x@example.com>"
    paths = {finding.part for finding in verdict.findings}
    assert "2/attachment:SSN ***-**-7713 card " + f"{card[:4]} **** **** {card[-4:]}.txt/filename" \
        in paths
    assert "cross_customer" in {rule.rule for rule in verdict.rules}


def test_a_customers_name_in_subject_and_file_name_is_stored_masked(
    make_settings: Callable[..., Settings], customers: list[Customer],
    make_mail: Callable[..., bytes],
) -> None:
    owner, other = customers[0], customers[1]
    first, last = owner.name.split()[0], owner.name.split()[-1]
    raw = make_mail(f"Card {owner.card}", to=(other.email,),
                    subject=f"Re: {owner.name} ticket 12",
                    attachments=((f"{owner.name} notes.txt", b"see name", "text/plain"),))
    verdict = Guard.from_settings(make_settings()).check(raw, mail_from="care@example.com",
                                                         rcpts=[other.email])
    assert [item.customer_id for item in verdict.attributions] == [owner.customer_id]
    shown = verdict.to_json()
    assert first not in shown and last not in shown
    masked = f"{first[0]}{'*' * (len(first) - 1)} {last[0]}{'*' * (len(last) - 1)}"
    assert verdict.subject == f"Re: {masked} ticket 12"
    names = {(evidence.part, evidence.masked, tuple((p.start, p.end) for p in evidence.places))
             for evidence in verdict.attributions[0].evidence if evidence.kind == "PERSON_NAME"}
    assert ("header:Subject", masked, ((4, 4 + len(owner.name)),)) in names
    assert (f"2/attachment:{masked} notes.txt/filename", masked, ((0, len(owner.name)),)) \
        in names


def test_a_word_in_one_field_does_not_decide_a_number_in_the_next(
    make_settings: Callable[..., Settings], customers: list[Customer],
    make_mail: Callable[..., bytes],
) -> None:
    owner, other = customers[0], customers[1]
    raw = make_mail("Hello", to=(other.email,), subject="Your order")
    raw = raw.replace(b"Subject: Your order", f"Subject: Your order\nX-Note: {owner.card}".encode())
    verdict = Guard.from_settings(make_settings()).check(raw, mail_from="care@example.com",
                                                         rcpts=[other.email])
    assert [(f.kind, f.part) for f in verdict.findings] == [("CARD", "header:X-Note")]
    assert "cross_customer" in {rule.rule for rule in verdict.rules}
