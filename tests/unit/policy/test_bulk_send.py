"""bulk_send in campaign mode: templates and new conversations are counted, replies are not."""

from __future__ import annotations

import re
from collections.abc import Callable

from hypothesis import example, given
from hypothesis import strategies as st

from crossguard.config import Settings
from crossguard.message.model import Message, Part
from crossguard.policy import template
from crossguard.policy.bulk import MemoryRecipientCounter
from crossguard.policy.template import is_one_to_one_reply, template_key
from crossguard.scan import Guard

HOUR = 3600.0
T0 = 1_800_000_000.0


def _guard(make_settings: Callable[..., Settings], **rule: object) -> Guard:
    return Guard.from_settings(make_settings(rules={"bulk_send": rule}))


def _bulk(guard: Guard, raw: bytes, rcpt: str, now: float) -> bool:
    evaluation = guard.evaluate(raw, mail_from="care@example.com", rcpts=[rcpt], now=now)
    return "bulk_send" in {rule.rule for rule in evaluation.verdict.rules}


def test_one_to_one_replies_are_never_counted(make_settings: Callable[..., Settings],
                                              make_mail: Callable[..., bytes]) -> None:
    guard = _guard(make_settings, min_new_recipients=5, max_template_recipients=3)
    held = []
    for number in range(300):
        address = f"person{number}@example.org"
        raw = make_mail("Thanks, your replacement ships today.", to=(address,),
                        subject="Re: my phone", in_reply_to=f"<q{number}@example.org>")
        held.append(_bulk(guard, raw, address, T0 + number))
    assert not any(held)


def test_one_template_to_many_recipients_is_held(make_settings: Callable[..., Settings],
                                                 make_mail: Callable[..., bytes]) -> None:
    guard = _guard(make_settings, max_template_recipients=10)
    held = []
    for number in range(14):
        address = f"person{number}@example.org"
        body = (f"Hello Person{number},\n\nBefore we ship order 10{number}44 please reply with "
                "a copy of your ID.\n")
        raw = make_mail(body, to=(address,), subject=f"Your order 10{number}44")
        held.append(_bulk(guard, raw, address, T0 + number * 60))
    assert held == [False] * 10 + [True] * 4


def test_a_script_mailing_the_customer_list_is_held(make_settings: Callable[..., Settings],
                                                    make_mail: Callable[..., bytes]) -> None:
    guard = _guard(make_settings, min_new_recipients=20, max_template_recipients=1000)
    held = []
    for number in range(25):
        address = f"person{number}@example.org"
        body = f"Account notice {number}: " + " ".join(f"word{number}x{n}" for n in range(5))
        held.append(_bulk(guard, make_mail(body, to=(address,)), address, T0 + number))
    assert held == [False] * 20 + [True] * 5


def test_the_limit_follows_the_senders_own_baseline(make_settings: Callable[..., Settings],
                                                    make_mail: Callable[..., bytes]) -> None:
    guard = _guard(make_settings, min_new_recipients=10, baseline_factor=2.0)
    # Yesterday this sender started 30 conversations in one hour: today's limit is 60.
    for number in range(30):
        address = f"old{number}@example.org"
        raw = make_mail(f"Unique note {number} " + "z" * number, to=(address,))
        assert _bulk(guard, raw, address, T0 - 86400 + number) == (number >= 10)
    held = []
    for number in range(70):
        address = f"new{number}@example.org"
        raw = make_mail(f"Unique note {number} " + "y" * number, to=(address,))
        held.append(_bulk(guard, raw, address, T0 + number))
    assert held == [False] * 60 + [True] * 10


def test_sender_mode_counts_every_recipient(make_settings: Callable[..., Settings],
                                            make_mail: Callable[..., bytes]) -> None:
    guard = _guard(make_settings, mode="sender", max_recipients=3)
    held = []
    for number in range(5):
        address = f"person{number}@example.org"
        raw = make_mail("Thanks.", to=(address,), in_reply_to=f"<q{number}@example.org>")
        held.append(_bulk(guard, raw, address, T0 + number))
    assert held == [False] * 3 + [True] * 2


def test_template_key_ignores_names_numbers_and_quotes() -> None:
    def message(body: str, subject: str) -> Message:
        return Message(subject=subject, parts=[Part("1", "text/plain", text=body)])

    one = message("Hi Ana,\nyour order 123-4567 ships Monday.\n> my old question\n", "Order 1")
    two = message("Hi Bo,\nyour order 999-0000 ships Monday.\n", "Re: Order 2")
    other = message("Hi Bo,\nyour order 999-0000 was cancelled.\n", "Order 2")
    assert template_key(one) == template_key(two) != template_key(other)
    # One French template answering two customers, each quoting their own message.
    french = [message(f"Bonjour {name},\nvotre colis part lundi.\n\nLe lun. 7 déc. 2026, {name} "
                      f"<{name.lower()}@x.test> a écrit :\n{question}\n", "Re: colis")
              for name, question in (("Ana", "Où est mon colis ?"), ("Bo", "Et ma commande ?"))]
    assert template_key(french[0]) == template_key(french[1])
    assert is_one_to_one_reply(Message(in_reply_to="<a@x>"), 1)
    assert not is_one_to_one_reply(Message(in_reply_to="<a@x>"), 2)
    assert not is_one_to_one_reply(Message(), 1)


def test_a_raw_byte_in_a_content_type_or_address_still_counts(
        make_settings: Callable[..., Settings]) -> None:
    """The parser escapes a raw 8-bit byte to a lone surrogate (an attachment's
    Content-Type, an 8-bit envelope address from the milter): the template key and the
    recipient token hash it instead of failing the check with UnicodeEncodeError."""
    raw = (b"From: care@example.com\r\nTo: x@example.net\r\nSubject: Your order\r\n"
           b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
           b"Content-Type: text/plain\r\n\r\nHello\r\n--b\r\n"
           b"Content-Type: application/x-\x91sheet\r\nContent-Disposition: attachment\r\n"
           b"\r\ndata\r\n--b--\r\n")
    guard = _guard(make_settings, max_template_recipients=1)
    assert not _bulk(guard, raw, "j\udce9@example.net", T0)
    assert _bulk(guard, raw, "ann@example.net", T0 + 1)  # the same template, a second address
    assert template.recipient_token("J\udce9@example.net") == template.recipient_token(
        "j\udce9@example.net")


@given(st.text(alphabet="aZ9_'.- \n,", max_size=30))
@example("e.g. don't re-send it -- now.")
def test_template_words_are_those_of_the_word_pattern(text: str) -> None:
    """The ASCII fast path splits out exactly the words the pattern finds (joiners inside
    a word, at its ends, doubled or alone)."""
    assert template._words(text) == re.findall(r"[^\W_]+(?:['.-][^\W_]+)*", text)


def test_memory_counter_keeps_marks_for_the_baseline() -> None:
    counter = MemoryRecipientCounter()
    assert counter.record_and_count("k", ["a", "b"], 60, 1000.0, keep_seconds=600) == 2
    assert counter.record_and_count("k", ["c"], 60, 1100.0, keep_seconds=600) == 1
    assert counter.peak("k", 0.0, 1100.0, 60) == 2
    assert counter.record_and_count("k", [], 60, 1700.0, keep_seconds=600) == 0
    assert counter.peak("k", 0.0, 1700.0, 60) == 1  # a and b expired after 600 s


@given(st.lists(st.tuples(st.lists(st.sampled_from("abcde"), max_size=3),
                          st.integers(0, 400),
                          st.sampled_from([(60, 0), (60, 300), (100, 150), (30, 300)])),
                max_size=30))
@example([(["a"], 100, (60, 300)), (["b"], 90, (60, 300)), (["a"], 100, (60, 300)),
          (["c"], 400, (60, 300)), (["b"], 95, (60, 300))])
@example([(["a"], 0, (60, 300)), (["b"], 40, (30, 300)), ([], 45, (60, 300))])
def test_memory_counter_counts_as_a_plain_reading_of_the_marks(
        calls: list[tuple[list[str], int, tuple[int, int]]]) -> None:
    """Checks that finish in any order (``now`` going back), marks repeated at one time, a
    window that shrinks and grows again: the count is that of every recipient's last mark,
    read afresh."""
    counter = MemoryRecipientCounter()
    last: dict[str, float] = {}
    for recipients, at, (window, keep) in calls:
        now = 1000.0 + at
        horizon = now - max(window, keep)
        last = {who: seen for who, seen in last.items() if seen >= horizon}
        for who in recipients:
            last[who] = max(last.get(who, now), now)
        expected = sum(1 for seen in last.values() if seen >= now - window)
        assert counter.record_and_count("k", recipients, window, now, keep) == expected


def test_memory_counter_reads_a_peak_once_a_bucket() -> None:
    """The baseline moves by the bucket of ``until``, as the store's counter's does: marks a
    busy sender adds within the bucket are read when the next bucket starts."""
    counter = MemoryRecipientCounter()
    counter.record_and_count("k", ["a", "b"], 60, 1000.0, keep_seconds=6000)
    assert counter.peak("k", 0.0, 1030.0, 60) == 2
    counter.record_and_count("k", ["c", "d", "e"], 60, 1010.0, keep_seconds=6000)
    assert counter.peak("k", 0.0, 1030.0, 60) == 2  # the same bucket of until: remembered
    assert counter.peak("k", 0.0, 1090.0, 60) == 5  # the next bucket reads the marks again


def test_memory_counter_forgets_keys_whose_marks_expired() -> None:
    counter = MemoryRecipientCounter()
    for number in range(9_999):
        counter.record_and_count(f"template:{number}", ["a"], 60, 1000.0)
    counter.record_and_count("template:last", ["a"], 60, 5000.0)  # the 10,000th: a sweep
    assert counter.peak("template:1", 0.0, 9e9, 60) == 0
    assert counter.record_and_count("template:last", [], 60, 5001.0) == 1
