"""Hand-made figures for the yearly report tests (numbers chosen to be checked by eye)."""

from datetime import date, datetime

from reviewhub.reports.yearly import YearlyFigures

PARTNERSHIP = "Northshire <Safeguarding> Children & Partners"


def children_figures(**overrides) -> YearlyFigures:
    values = {
        "partnership_name": PARTNERSHIP,
        "period_from": date(2024, 4, 1),
        "period_to": date(2025, 3, 31),
        "notifications_by_type": {"death": 7, "serious_harm": 11, "other": 1},
        "notifications_previous": {"death": 9, "serious_harm": 8, "other": 2},
        "notifications_looked_after": 4,
        "rapid_reviews_completed": 17,
        "rapid_reviews_within_15_days": 13,
        "decisions_by_outcome": {
            "Local review (LCSPR)": 4,
            "No further review": 10,
            "National review": 1,
            "Other learning process": 2,
        },
        "reviews_started": 4,
        "reviews_completed": 3,
        "reviews_completed_within_6_months": 1,
        "reviews_published": 2,
        "reviews_held": 1,
        "learning_points_coded": 61,
        "themes": {
            "Domestic abuse": (11, 12),
            "Neglect": (14, 9),
            "Safe sleep": (3, 1),
            "Professional curiosity": (6, 3),
        },
        "actions_by_agency_rag": {
            "Police": {"red": 2, "amber": 3, "green": 5, "blue": 4},
            "Children's social care": {"red": 1, "amber": 2, "green": 7, "blue": 6, "grey": 1},
            "Health (ICB)": {"amber": 4, "green": 3, "blue": 2},
        },
        "actions_with_impact": [
            (
                "Improve supervision of neglect cases",
                "Introduce the neglect toolkit in supervision",
                "Children's social care",
                "Audit of 30 cases found the toolkit used in 26; re-referrals for neglect fell "
                "from 22% to 15%.",
                "local",
                date(2025, 1, 31),
            )
        ],
        "actions_little_progress": [
            (
                "Record fathers and other adults",
                '=HYPERLINK("http://x")',
                "Health (ICB)",
                date(2024, 12, 31),
                "Target date passed 90 days ago",
            )
        ],
        "briefings": [
            ("7-minute briefing: Safe sleep", 420, 310, 255, date(2024, 6, 3)),
            ("Thematic briefing: Neglect", 800, 512, 388, date(2024, 11, 12)),
        ],
        "counted_at": datetime(2025, 4, 20, 10, 0),
    }
    values.update(overrides)
    return YearlyFigures(**values)


def adults_figures() -> YearlyFigures:
    return YearlyFigures(
        partnership_name="Northshire Safeguarding Adults Board",
        period_from=date(2024, 4, 1),
        period_to=date(2025, 3, 31),
        kind="adults",
        notifications_by_type={"Adult social care": 6, "Police": 3, "Health": 4},
        decisions_by_outcome={"Mandatory review": 3, "Discretionary review": 2, "No review": 8},
        reviews_started=5,
        reviews_completed=2,
        reviews_published=2,
        themes={"Self-neglect": (4, 3), "Mental capacity": (3, 1)},
        actions_by_agency_rag={"Adult social care": {"green": 4, "blue": 2}},
        sars_concluded=[("SAR Adult B", "Self-neglect was not escalated.", date(2024, 10, 1))],
        sars_ongoing=[("SAR Adult D", "Panel reviewing chronology", date(2025, 1, 10))],
        findings_not_implemented=[
            (
                "SAR Adult B",
                "Create a new self-neglect panel",
                "The existing high-risk panel now covers self-neglect; a second panel would split it.",
            )
        ],
    )
