"""The exposure graph, filters, the regulator clock and the timeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crossguard.incident.graph import Filters, build_graph
from crossguard.incident.summary import clock_of, summary, summary_json
from crossguard.incident.timeline import buckets, timeline_svg
from crossguard.incident.worker import Hit, Outcome

DAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
EVIDENCE = (("DRIVER_LICENCE", "M*****16"), ("PHONE", "+1 ***-***-3222"))


def _outcome(seq: int, when: datetime | None, sender: str, *recipients: str,
             customer: str = "C1", message_id: str | None = None) -> Outcome:
    hits = tuple(Hit(customer, recipient, EVIDENCE) for recipient in recipients)
    return Outcome(seq, f"a.mbox#{seq}", message_id or f"<m{seq}@x>", when, sender, hits,
                   None, True)


OUTCOMES = [
    _outcome(2, DAY + timedelta(hours=5), "bob@gmail.com", "x@gmail.com", customer="C2"),
    _outcome(0, DAY, "ann@yahoo.com", "x@gmail.com", "y@corp.org"),
    _outcome(1, DAY + timedelta(hours=1), "ann@yahoo.com", "x@gmail.com"),
    Outcome(3, "a.mbox#3", error="MessageParseError: empty message"),
    Outcome(4, "a.mbox#4", "<m4@x>", DAY, "news@example.com"),
]


def test_edges_merge_messages_per_customer_and_recipient() -> None:
    graph = build_graph(OUTCOMES)
    assert sorted(graph.edges) == [("C1", "x@gmail.com"), ("C1", "y@corp.org"),
                                   ("C2", "x@gmail.com")]
    edge = graph.edges["C1", "x@gmail.com"]
    assert edge.message_ids == {"<m0@x>", "<m1@x>"}
    assert edge.first == DAY and edge.kinds == ["DRIVER_LICENCE", "PHONE"]
    assert edge.senders == {"ann@yahoo.com"}
    assert [a.customer_id for a in graph.affected()] == ["C1", "C2"]
    assert graph.read == 5 and graph.malformed == [("a.mbox#3", "MessageParseError: empty message")]


def test_same_result_whatever_the_completion_order() -> None:
    forward = summary_json(summary(build_graph(OUTCOMES), clock_of(build_graph(OUTCOMES), None)))
    backward_graph = build_graph(list(reversed(OUTCOMES)))
    assert summary_json(summary(backward_graph, clock_of(backward_graph, None))) == forward


def test_filters_on_dates_and_domains() -> None:
    later = build_graph(OUTCOMES, Filters(since=DAY + timedelta(minutes=30)))
    assert set(later.edges) == {("C1", "x@gmail.com"), ("C2", "x@gmail.com")}
    assert later.outside_filters == 2
    early = build_graph(OUTCOMES, Filters(until=DAY + timedelta(minutes=30)))
    assert set(early.edges) == {("C1", "x@gmail.com"), ("C1", "y@corp.org")}
    by_sender = build_graph(OUTCOMES, Filters(sender_domain="gmail.com"))
    assert set(by_sender.edges) == {("C2", "x@gmail.com")}
    by_recipient = build_graph(OUTCOMES, Filters(recipient_domain="corp.org"))
    assert set(by_recipient.edges) == {("C1", "y@corp.org")}


def test_regulator_clock_is_awareness_plus_72_hours() -> None:
    graph = build_graph(OUTCOMES)
    aware = DAY + timedelta(days=2, hours=3)
    clock = clock_of(graph, aware)
    assert clock.first_exposure == DAY
    assert clock.last_exposure == DAY + timedelta(hours=5)
    assert clock.deadline == aware + timedelta(hours=72)
    assert clock_of(graph, None).as_dict()["notification_deadline"] is None


def test_summary_masks_senders_and_counts() -> None:
    data = summary(build_graph(OUTCOMES), clock_of(build_graph(OUTCOMES), None))
    assert data["exposures"] == {"affected_customers": 2, "recipients": 2, "edges": 3}
    assert data["messages"]["exposing"] == 3 and data["messages"]["malformed"] == 1
    assert data["top_senders"][0] == {"sender": "a***@yahoo.com", "messages": 2}
    assert "ann@yahoo.com" not in summary_json(data)


def test_timeline_buckets_by_hour_for_a_short_incident() -> None:
    step, rows = buckets([DAY, DAY + timedelta(minutes=10), DAY + timedelta(hours=2)])
    assert step == timedelta(hours=1)
    assert [count for _, count in rows] == [2, 0, 1]
    step, rows = buckets([DAY, DAY + timedelta(days=5)])
    assert step == timedelta(days=1) and len(rows) == 6
    svg = timeline_svg([DAY, DAY + timedelta(hours=2)])
    assert svg.startswith("<svg") and svg.count("<rect") == 3 and "http" not in svg
