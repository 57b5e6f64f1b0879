"""Span scoring the way Presidio's evaluation does, and recognizer-vector normalization."""

from __future__ import annotations

import math

import pytest
from peer import scoring


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [((0, 10), (0, 10), 1.0), ((0, 10), (10, 20), 0.0), ((0, 10), (5, 15), 5 / 15),
     ((0, 10), (1, 10), 0.9), ((3, 4), (0, 10), 0.1)],
)
def test_iou(a: tuple[int, int], b: tuple[int, int], expected: float) -> None:
    assert math.isclose(scoring.iou(a, b), expected)


def test_f2_weighs_recall_twice() -> None:
    assert math.isclose(scoring.f_beta(1.0, 0.5), 5 * 0.5 / (4 + 0.5))
    assert scoring.f_beta(0.5, 1.0) > scoring.f_beta(1.0, 0.5)
    assert scoring.f_beta(0.0, 0.0) == 0.0


def test_exact_and_near_spans_are_true_positives() -> None:
    tally = scoring.Tally()
    tally.add([(0, 10, "EMAIL_ADDRESS"), (20, 30, "PHONE_NUMBER")],
              [(0, 10, "EMAIL_ADDRESS"), (20, 29, "PHONE_NUMBER")])
    assert tally.counts("EMAIL_ADDRESS").as_dict()["tp"] == 1
    phone = tally.counts("PHONE_NUMBER")
    assert (phone.tp, phone.fp, phone.fn) == (1, 0, 0)


def test_iou_below_threshold_is_a_miss_and_a_false_positive() -> None:
    tally = scoring.Tally()
    tally.add([(0, 10, "PHONE_NUMBER")], [(0, 8, "PHONE_NUMBER")])  # IoU 0.8
    phone = tally.counts("PHONE_NUMBER")
    assert (phone.tp, phone.fp, phone.fn) == (0, 1, 1)


def test_wrong_type_is_false_positive_for_it_and_false_negative_for_gold() -> None:
    tally = scoring.Tally()
    tally.add([(0, 16, "CREDIT_CARD")], [(0, 16, "PHONE_NUMBER")])
    assert tally.counts("PHONE_NUMBER").fp == 1
    assert tally.counts("CREDIT_CARD").fn == 1
    assert tally.counts("CREDIT_CARD").tp == 0


def test_gold_span_matches_only_once() -> None:
    tally = scoring.Tally()
    tally.add([(0, 10, "US_SSN")], [(0, 10, "US_SSN"), (0, 10, "US_SSN")])
    ssn = tally.counts("US_SSN")
    assert (ssn.tp, ssn.fp, ssn.fn) == (1, 1, 0)


def test_prediction_on_unscored_annotation_is_ignored() -> None:
    tally = scoring.Tally()
    tally.add([], [(5, 12, "STREET_ADDRESS")], unscored=[(5, 12)])
    assert tally.counts("STREET_ADDRESS").fp == 0
    tally.add([], [(40, 50, "STREET_ADDRESS")], unscored=[(5, 12)])
    assert tally.counts("STREET_ADDRESS").fp == 1


def test_micro_total_and_ratios() -> None:
    tally = scoring.Tally()
    tally.add([(0, 5, "A"), (10, 15, "B")], [(0, 5, "A"), (20, 25, "B")])
    total = tally.total(["A", "B"])
    assert (total.tp, total.fp, total.fn) == (1, 1, 1)
    assert total.precision == 0.5
    assert total.recall == 0.5


def test_mapped_renames_and_drops() -> None:
    spans = [(0, 3, "EMAIL", 1.0), (4, 9, "ORDER_ID", 0.9)]
    assert scoring.mapped(spans, {"EMAIL": "EMAIL_ADDRESS"}) == [(0, 3, "EMAIL_ADDRESS")]


def test_vector_case_shapes() -> None:
    iban = scoring.vector_case({"file": "f", "iban": "AL47", "expected_len": 1,
                                "expected_res": [[0, 4]]})
    assert iban is not None and iban.text == "AL47" and iban.expected == ((0, 4),)
    single = scoring.vector_case({"file": "f", "text": "x", "expected_len": 1,
                                  "expected_position": [0, 1], "expected_score": 1.0})
    assert single is not None and single.expected == ((0, 1),)
    negative = scoring.vector_case({"file": "f", "text": "x", "expected_len": 0})
    assert negative is not None and negative.expected == ()
    assert scoring.vector_case({"file": "f", "number": "1", "expected": True}) is None
    assert scoring.vector_case({"file": "f", "text": "x", "expected_len": 1, "leniency": 2,
                                "expected_positions": [[0, 1]]}) is None


def test_weak_cases_may_stay_silent_only_leniently() -> None:
    weak = scoring.vector_case({"file": "f", "text": "078051121", "expected_len": 1,
                                "expected_positions": [[0, 9]],
                                "expected_score_ranges": [[0.0, 0.4]]})
    strong = scoring.vector_case({"file": "f", "text": "078-05-1123", "expected_len": 1,
                                  "expected_positions": [[0, 11]],
                                  "expected_score_ranges": [[0.5, 0.6]]})
    assert weak is not None and weak.weak
    assert strong is not None and not strong.weak
    assert scoring.vector_passes(weak, []) == (False, True)
    assert scoring.vector_passes(weak, [(0, 9)]) == (True, True)
    assert scoring.vector_passes(strong, []) == (False, False)
    assert scoring.vector_passes(strong, [(0, 11), (0, 11)]) == (True, True)
    assert scoring.vector_passes(strong, [(0, 11), (3, 5)]) == (False, False)
