"""RAG derivation against hand-worked dates.

Dates are chosen so each day count can be checked on a calendar: today is Monday 2 June 2025
unless a test says otherwise.
"""

from datetime import date, datetime

import pytest

from reviewhub.actions.rag import (
    AMBER,
    BLUE,
    GREEN,
    GREY,
    RED,
    Milestone,
    RagPolicy,
    derive_rag,
)

TODAY = date(2025, 6, 2)


def rag(**kwargs):
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("status", "in_progress")
    return derive_rag(**kwargs)


class TestComplete:
    def test_complete_with_evidence_is_blue(self):
        result = rag(
            target_date=date(2025, 7, 1),
            status="complete",
            evidence_count=1,
            completed_date=date(2025, 5, 20),
        )
        assert result.rag == BLUE
        assert "20 May 2025" in result.reason
        assert not result.overridden

    def test_complete_with_evidence_after_target_is_still_blue_and_says_how_late(self):
        # 31 March 2025 -> 10 April 2025 is 10 days.
        result = rag(
            target_date=date(2025, 3, 31),
            status="complete",
            evidence_count=2,
            completed_date=date(2025, 4, 10),
        )
        assert result.rag == BLUE
        assert "10 days after the target date" in result.reason

    def test_complete_without_evidence_before_target_is_amber(self):
        result = rag(target_date=date(2025, 7, 1), status="complete", evidence_count=0)
        assert result.rag == AMBER
        assert "no evidence" in result.reason

    def test_complete_without_evidence_past_target_is_red(self):
        result = rag(target_date=date(2025, 5, 1), status="complete", evidence_count=0)
        assert result.rag == RED
        assert "no evidence" in result.reason

    def test_complete_with_evidence_ignores_a_stale_override(self):
        result = rag(
            target_date=date(2025, 5, 1),
            status="complete",
            evidence_count=1,
            override=RED,
            override_reason="Was slipping in April",
        )
        assert result.rag == BLUE
        assert not result.overridden


class TestPastTarget:
    def test_one_day_past_target_is_red(self):
        # Target Sunday 1 June, today Monday 2 June: 1 day late.
        result = rag(target_date=date(2025, 6, 1), progress_percent=95)
        assert result.rag == RED
        assert "passed 1 day ago" in result.reason

    def test_target_date_itself_is_not_late(self):
        result = rag(target_date=TODAY, progress_percent=100)
        assert result.rag == GREEN

    def test_not_started_past_target_is_red(self):
        result = rag(target_date=date(2025, 3, 31), status="not_started")
        assert result.rag == RED
        # 31 March -> 2 June: 30 days of April + 31 of May + 2 = 63.
        assert "63 days ago" in result.reason

    def test_reopened_action_past_target_is_red(self):
        result = rag(target_date=date(2025, 5, 30), status="reopened", progress_percent=80)
        assert result.rag == RED


class TestMilestones:
    def test_missed_milestone_is_amber_even_far_from_target(self):
        result = rag(
            target_date=date(2025, 12, 31),
            progress_percent=40,
            milestones=[Milestone("Draft guidance", date(2025, 5, 30))],
        )
        assert result.rag == AMBER
        assert "Draft guidance" in result.reason
        assert "30 May 2025" in result.reason

    def test_milestone_due_today_is_not_yet_missed(self):
        result = rag(
            target_date=date(2025, 12, 31),
            milestones=[Milestone("Draft guidance", TODAY)],
        )
        assert result.rag == GREEN

    def test_milestone_done_late_no_longer_counts(self):
        result = rag(
            target_date=date(2025, 12, 31),
            milestones=[Milestone("Draft", date(2025, 5, 1), completed_date=date(2025, 5, 20))],
        )
        assert result.rag == GREEN

    def test_reason_names_earliest_overdue_milestone_and_counts_the_rest(self):
        result = rag(
            target_date=date(2025, 12, 31),
            milestones=[
                Milestone("Train staff", date(2025, 5, 15)),
                Milestone("Draft guidance", date(2025, 4, 1)),
                Milestone("Audit", date(2025, 9, 1)),
            ],
        )
        assert "Draft guidance" in result.reason
        assert "1 more overdue" in result.reason

    def test_any_object_with_milestone_attributes_is_accepted(self):
        class Row:
            title = "Policy signed off"
            due_date = datetime(2025, 5, 1, 9, 30)
            completed_date = None

        assert rag(target_date=date(2025, 12, 31), milestones=[Row()]).rag == AMBER

    def test_not_started_with_missed_milestone_is_amber(self):
        result = rag(
            target_date=date(2025, 12, 31),
            status="not_started",
            milestones=[Milestone("Kick-off", date(2025, 5, 1))],
        )
        assert result.rag == AMBER


class TestAmberWindow:
    # Default window 28 days; expected progress = 100 - 50 * days_left / 28.

    def test_just_outside_window_low_progress_is_green(self):
        # 2 June + 29 days = 1 July.
        assert rag(target_date=date(2025, 7, 1), progress_percent=0).rag == GREEN

    def test_window_edge_needs_half_done(self):
        # 2 June + 28 days = 30 June: expected exactly 50%.
        assert rag(target_date=date(2025, 6, 30), progress_percent=50).rag == GREEN
        result = rag(target_date=date(2025, 6, 30), progress_percent=49)
        assert result.rag == AMBER
        assert "28 days to the target date and 49% done; 50% expected" in result.reason

    def test_fourteen_days_out_needs_three_quarters(self):
        # 2 June + 14 = 16 June: expected 100 - 50 * 14/28 = 75%.
        assert rag(target_date=date(2025, 6, 16), progress_percent=75).rag == GREEN
        assert rag(target_date=date(2025, 6, 16), progress_percent=74.5).rag == AMBER

    def test_on_target_day_needs_full_progress(self):
        assert rag(target_date=TODAY, progress_percent=99).rag == AMBER
        assert rag(target_date=TODAY, progress_percent=100).rag == GREEN

    def test_inside_window_without_progress_is_amber(self):
        result = rag(target_date=date(2025, 6, 10))
        assert result.rag == AMBER
        assert "no progress recorded" in result.reason

    def test_outside_window_without_progress_is_green(self):
        assert rag(target_date=date(2025, 9, 1)).rag == GREEN

    def test_policy_changes_window_and_start(self):
        policy = RagPolicy(amber_window_days=10, expected_at_window_start=0)
        # 2 June + 5 = 7 June: expected 100 - 100 * 5/10 = 50%.
        assert rag(target_date=date(2025, 6, 7), progress_percent=50, policy=policy).rag == GREEN
        assert rag(target_date=date(2025, 6, 7), progress_percent=49, policy=policy).rag == AMBER
        # 11 days out is outside a 10-day window.
        assert rag(target_date=date(2025, 6, 13), progress_percent=0, policy=policy).rag == GREEN

    def test_bad_policy_is_refused(self):
        with pytest.raises(ValueError):
            RagPolicy(amber_window_days=0)
        with pytest.raises(ValueError):
            RagPolicy(expected_at_window_start=120)


class TestNotStarted:
    def test_not_started_far_from_target_is_grey(self):
        result = rag(target_date=date(2025, 9, 1), status="not_started")
        assert result.rag == GREY
        assert "1 September 2025" in result.reason

    def test_not_started_inside_window_is_amber(self):
        # 2 June + 20 = 22 June.
        result = rag(target_date=date(2025, 6, 22), status="not_started")
        assert result.rag == AMBER
        assert "20 days" in result.reason


class TestNoTargetDate:
    def test_in_progress_without_target_is_amber(self):
        assert rag(target_date=None, progress_percent=90).rag == AMBER

    def test_not_started_without_target_is_amber(self):
        assert rag(target_date=None, status="not_started").rag == AMBER


class TestOverride:
    def test_override_wins_and_keeps_the_derived_colour(self):
        result = rag(
            target_date=date(2025, 5, 1),
            override=GREEN,
            override_reason="Target extended by the board on 12 May",
        )
        assert result.rag == GREEN
        assert result.overridden
        assert result.derived == RED
        assert "Target extended by the board" in result.reason

    def test_override_without_reason_is_refused(self):
        with pytest.raises(ValueError, match="reason"):
            rag(target_date=date(2025, 9, 1), override=RED)

    def test_whitespace_reason_is_refused(self):
        with pytest.raises(ValueError, match="reason"):
            rag(target_date=date(2025, 9, 1), override=RED, override_reason="  \n ")

    @pytest.mark.parametrize("colour", [BLUE, GREY, "purple"])
    def test_override_cannot_set_completion_or_not_started(self, colour):
        with pytest.raises(ValueError, match="override must be one of"):
            rag(target_date=date(2025, 9, 1), override=colour, override_reason="x")

    def test_empty_override_means_none(self):
        result = rag(target_date=date(2025, 9, 1), override="")
        assert not result.overridden


class TestInputs:
    def test_unknown_status_is_refused(self):
        with pytest.raises(ValueError, match="status"):
            rag(target_date=date(2025, 9, 1), status="done")

    @pytest.mark.parametrize("progress", [-1, 100.5])
    def test_progress_outside_range_is_refused(self, progress):
        with pytest.raises(ValueError):
            rag(target_date=date(2025, 9, 1), progress_percent=progress)

    def test_datetimes_are_read_as_their_day(self):
        result = derive_rag(
            target_date=datetime(2025, 6, 1, 23, 59),
            today=datetime(2025, 6, 2, 0, 1),
            status="in_progress",
        )
        assert result.rag == RED

    def test_string_date_is_refused(self):
        with pytest.raises(TypeError):
            rag(target_date="2025-06-01")

    def test_label_reads_well(self):
        assert rag(target_date=date(2025, 5, 1)).label == "Red (off track)"
