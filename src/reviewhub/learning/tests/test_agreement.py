"""Agreement figures checked against values worked out by hand."""

import pytest

from reviewhub.learning.agreement import Table, agreement, kappa


def test_kappa_of_an_unbalanced_table_matches_the_hand_computed_value():
    # A says yes on 3 of 5 items, B on 2 of them: po = 0.8, pe = 0.6*0.4 + 0.4*0.6 = 0.48.
    assert kappa(Table(both=2, a_only=1, b_only=0, neither=2)) == pytest.approx(0.32 / 0.52)


def test_kappa_is_undefined_when_both_coders_always_make_the_same_single_decision():
    assert kappa(Table(0, 0, 0, 5)) is None
    assert kappa(Table(5, 0, 0, 0)) is None
    assert kappa(Table(0, 0, 0, 0)) is None


def test_kappa_is_negative_when_coders_systematically_disagree():
    assert kappa(Table(0, 2, 2, 0)) == pytest.approx(-1.0)


def test_agreement_on_a_small_hand_made_set():
    a = {1: {"t1"}, 2: {"t1", "t2"}, 3: set(), 4: {"t2"}}
    b = {1: {"t1"}, 2: {"t1"}, 3: {"t2"}, 4: {"t2"}}
    result = agreement([1, 2, 3, 4], a, b, ["t1", "t2"])

    t1_table, t1_kappa = result.per_theme["t1"]
    assert t1_table == Table(both=2, a_only=0, b_only=0, neither=2)
    assert t1_kappa == pytest.approx(1.0)
    t2_table, t2_kappa = result.per_theme["t2"]
    assert t2_table == Table(both=1, a_only=1, b_only=1, neither=1)
    assert t2_kappa == pytest.approx(0.0)
    # Pooled table 3/1/1/3: po = 0.75, pe = 0.5, kappa = 0.5. Mean of 1.0 and 0.0 = 0.5.
    assert result.pooled_kappa == pytest.approx(0.5)
    assert result.mean_kappa == pytest.approx(0.5)
    # tp = 3, fp = 1, fn = 1: F1 = 6 / 8.
    assert result.f1 == pytest.approx(0.75)
    assert (result.items_agreed, result.items) == (2, 4)


def test_items_missing_from_a_coding_count_as_coded_with_no_themes():
    result = agreement([1, 2], {1: {"t"}}, {1: {"t"}, 2: {"t"}}, ["t"])
    assert result.per_theme["t"][0] == Table(both=1, a_only=0, b_only=1, neither=0)
    assert result.f1 == pytest.approx(2 / 3)
