"""One message through the worker: hits for leaked data, none for a customer's own data."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest
from distributed.protocol.serialize import Serialize, deserialize, serialize
from tests.corpus.shared import OUTLOOK_DATA
from tests.unit.incident.world import World

from crossguard.errors import CrossguardError
from crossguard.incident import worker
from crossguard.incident.scoping import ScopeRequest, scope
from crossguard.incident.sources import Item, read_sources
from crossguard.incident.worker import guard_for, scan_batch, scan_item, without_rules
from crossguard.policy.settings import Rules
from crossguard.scan import GuardSpec
from crossguard.synth import mail
from crossguard.synth.archive import CAMPAIGN_SIZE, mbox_entry


def _spec(world: World) -> GuardSpec:
    return GuardSpec(world.settings(), world.index)


def test_a_redistributed_reply_exposes_its_author_to_every_other_member(world: World) -> None:
    author = world.customers[5]
    reply = mail.customer_reply(author, seed=1)
    members = world.customers[:CAMPAIGN_SIZE]
    copy = mail.redistributed(reply, members)
    headers = b"To: " + ", ".join(copy.rcpts).encode() + b"\n"
    outcome = scan_item(guard_for(_spec(world)), Item(0, "x", headers + copy.raw))
    assert outcome.error is None and outcome.evaluated
    assert {hit.customer_id for hit in outcome.hits} == {author.customer_id}
    assert sorted(hit.recipient for hit in outcome.hits) == sorted(
        member.email.lower() for member in members if member is not author)
    kinds = {kind for kind, _ in outcome.hits[0].evidence}
    assert {"DRIVER_LICENCE", "PHONE"} <= kinds
    for _, masked in outcome.hits[0].evidence:
        assert author.driver_licence not in masked and author.phone not in masked


def test_bcc_header_recipients_count(world: World) -> None:
    author = world.customers[7]
    reply = mail.customer_reply(author, seed=2).as_bytes()
    raw = reply.replace(b"To: ", b"Bcc: " + world.customers[8].email.encode() + b"\nTo: ", 1)
    outcome = scan_item(guard_for(_spec(world)), Item(0, "x", raw))
    assert [hit.recipient for hit in outcome.hits] == [world.customers[8].email.lower()]
    assert outcome.date == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert outcome.sender == author.email.lower()


def test_own_data_and_internal_mail_expose_nobody(world: World) -> None:
    customer = world.customers[300]
    own = mail.support_reply(customer, seed=3).raw
    internal = mail.customer_to_support(customer, seed=3).raw
    own_outcome, internal_outcome = scan_batch(_spec(world), [Item(0, "a", own),
                                                              Item(1, "b", internal)]).outcomes
    assert own_outcome.evaluated and own_outcome.hits == ()
    assert not internal_outcome.evaluated and internal_outcome.hits == ()
    assert internal_outcome.sender == customer.email.lower() and internal_outcome.date is not None


def test_a_batch_travels_as_one_pickle(world: World) -> None:
    """Dask serializes a list result item by item; the batch's wrapper goes in one piece."""
    customer = world.customers[300]
    items = [Item(seq, "a", mail.support_reply(customer, seed=seq).raw) for seq in range(3)]
    scanned = scan_batch(_spec(world), items)
    header, frames = serialize(Serialize(scanned))
    assert header["serializer"] == "pickle" and "is-collection" not in header
    assert len(frames) == 1
    assert [outcome.seq for outcome in deserialize(header, frames).outcomes] == [0, 1, 2]


def test_malformed_messages_become_errors_not_exceptions(world: World) -> None:
    outcomes = scan_batch(_spec(world), [Item(0, "empty", b"   \n"),
                                         Item(1, "bad.msg", b"not an ole file",
                                              outlook=True)]).outcomes
    assert [outcome.seq for outcome in outcomes] == [0, 1]
    assert all(outcome.error for outcome in outcomes)
    assert outcomes[0].error is not None and outcomes[0].error.startswith("MessageParseError")


def test_outlook_msg_goes_through_the_same_guard(world: World, tmp_path: Path) -> None:
    target = tmp_path / "note.msg"
    target.write_bytes((OUTLOOK_DATA / "test_Blammo.msg").read_bytes())
    (item,) = read_sources([target])
    outcome = scan_item(guard_for(_spec(world)), item)
    assert outcome.error is None and outcome.evaluated


def test_guard_is_built_once_per_process(world: World) -> None:
    spec = _spec(world)
    assert guard_for(spec) is guard_for(GuardSpec(world.settings(), world.index))


def test_the_worker_guard_runs_no_rule_but_keeps_who_is_internal(world: World) -> None:
    settings = world.settings()
    policy = without_rules(settings.policy)
    assert policy.company_domains == settings.policy.company_domains
    assert [name for name in Rules.model_fields if getattr(policy.rules, name).enabled] == []
    assert any(getattr(settings.policy.rules, name).enabled for name in Rules.model_fields)
    author = world.customers[5]
    leak = mail.customer_reply(author, to=world.customers[6].email, seed=1).as_bytes()
    evaluation = guard_for(_spec(world)).evaluate(leak)
    assert evaluation.verdict.rules == [] and evaluation.verdict.attributions


def test_a_missing_index_fails_before_any_worker_starts(world: World, tmp_path: Path) -> None:
    request = ScopeRequest([world.archive], tmp_path / "out")
    settings = world.settings()
    with pytest.raises(CrossguardError):
        scope(GuardSpec(settings, tmp_path / "no-index"), settings.incident, request)
    assert not (tmp_path / "out").exists()


def test_mixed_folder_maildir_eml_msg_and_gzip_mbox(world: World, tmp_path: Path) -> None:
    author, reader = world.customers[10], world.customers[11]
    leak = mail.customer_reply(author, to=reader.email, seed=4).as_bytes()
    own = mail.support_reply(reader, seed=4).raw
    (tmp_path / "box" / "cur").mkdir(parents=True)
    (tmp_path / "box" / "new").mkdir()
    (tmp_path / "box" / "cur" / "1.host:2,S").write_bytes(leak)
    (tmp_path / "loose.eml").write_bytes(own)
    (tmp_path / "note.msg").write_bytes((OUTLOOK_DATA / "test_Blammo.msg").read_bytes())
    with gzip.open(tmp_path / "old.mbox.gz", "wb") as handle:
        handle.write(mbox_entry(leak, mail.EPOCH) + mbox_entry(b"\n\n", mail.EPOCH))
    outcomes = scan_batch(_spec(world), list(read_sources([tmp_path]))).outcomes
    by_source = {Path(outcome.source.split("#")[0]).name + outcome.source.partition("#")[2]:
                 outcome for outcome in outcomes}
    assert sorted(by_source) == ["1.host:2,S", "loose.eml", "note.msg", "old.mbox.gz0",
                                 "old.mbox.gz1"]
    for name in ("1.host:2,S", "old.mbox.gz0"):
        assert [(hit.customer_id, hit.recipient) for hit in by_source[name].hits] == [
            (author.customer_id, reader.email.lower())]
    assert by_source["loose.eml"].hits == () and by_source["note.msg"].error is None
    assert by_source["old.mbox.gz1"].error is not None


def test_a_message_nested_too_deep_to_parse_is_still_read_and_checked(world: World) -> None:
    """Its header block is read alone for the recipients; the Guard's own parse gives up
    on the nesting (RecursionError) and reads the rest as one text part."""
    author, reader = world.customers[12], world.customers[13]
    inner = "Content-Type: text/plain\r\n\r\nhello"
    for level in range(3000):
        inner = (f'Content-Type: multipart/mixed; boundary="b{level}"\r\n\r\n'
                 f"--b{level}\r\n{inner}\r\n--b{level}--")
    raw = (f"From: {author.email}\r\nTo: {reader.email}\r\n"
           f"Date: Mon, 2 Mar 2026 09:00:00 +0000\r\nSubject: my phone is {author.phone}\r\n"
           f"{inner}\r\n").encode()
    outcome = scan_item(guard_for(_spec(world)), Item(0, "deep", raw))
    assert outcome.error is None and outcome.evaluated
    assert outcome.date == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert [(hit.customer_id, hit.recipient) for hit in outcome.hits] == [
        (author.customer_id, reader.email.lower())]


def test_a_boundary_the_parser_cannot_read_is_still_read_and_checked(world: World) -> None:
    """``boundary*`` beside ``boundary*0*`` makes the stdlib's parser fail (TypeError):
    the message is read as one text part, never counted as unreadable and left unscanned."""
    author, reader = world.customers[14], world.customers[15]
    raw = (f"From: {author.email}\r\nTo: {reader.email}\r\n"
           "Content-Type: multipart/mixed; boundary*=bb; boundary*0*=bb\r\n\r\n"
           f"--bb\r\nContent-Type: text/plain\r\n\r\nmy phone is {author.phone}\r\n"
           "--bb--\r\n").encode()
    outcome = scan_item(guard_for(_spec(world)), Item(0, "boundary", raw))
    assert outcome.error is None and outcome.evaluated
    assert [(hit.customer_id, hit.recipient) for hit in outcome.hits] == [
        (author.customer_id, reader.email.lower())]


def test_a_large_message_has_its_headers_read_first(world: World,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Internal mail with a large attachment is not parsed whole; a leak of the same size
    is still checked (the Guard parses it)."""
    parsed_whole: list[int] = []
    original = worker.parse_bytes

    def counting(raw: bytes) -> object:
        parsed_whole.append(len(raw))
        return original(raw)

    monkeypatch.setattr(worker, "parse_bytes", counting)
    author, reader = world.customers[14], world.customers[15]
    padding = "\r\n" + "x" * 76
    large = padding * (2 * worker._WHOLE_PARSE_BYTES // len(padding))
    support = f"care.team@{world.settings().policy.company_domains[0]}"
    internal = (f"From: {author.email}\r\nTo: {support}\r\n"
                f"Subject: hello\r\n\r\nplease call me{large}\r\n").encode()
    leak = (f"From: {author.email}\r\nTo: {reader.email}\r\n"
            f"Subject: my phone is {author.phone}\r\n\r\nhello{large}\r\n").encode()
    small = mail.customer_reply(author, to=reader.email, seed=5).as_bytes()
    assert len(small) <= worker._WHOLE_PARSE_BYTES < len(internal)
    guard = guard_for(_spec(world))
    quiet, leaked, checked = (scan_item(guard, Item(n, "x", raw))
                              for n, raw in enumerate((internal, leak, small)))
    assert not quiet.evaluated and quiet.error is None
    assert leaked.evaluated and [(hit.customer_id, hit.recipient) for hit in leaked.hits] == [
        (author.customer_id, reader.email.lower())]
    assert checked.evaluated and parsed_whole == [len(small)]
