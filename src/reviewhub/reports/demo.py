"""A saved yearly-report narrative for the demo partnership's previous financial year."""

from django.utils import timezone

from .forms import previous_financial_year
from .models import YearlyReportDraft
from .services import yearly_narrative_save

NARRATIVE = {
    "introduction": (
        "This report sets out what the Northshire partnership did this year to learn from "
        "serious incidents and to improve practice.\n\nIt is written for the partners, "
        "practitioners and the people of Northshire."
    ),
    "rapid_reviews": "Rapid reviews that took longer were delayed by late agency summaries.",
    "themes": (
        "Neglect and information sharing were again the most frequent themes. Professional "
        "curiosity about who lives in the household featured in most reviews."
    ),
    "actions": "Most actions are on track; the overdue police action awaits an IT change.",
    "impact": "The re-audit of referrals shows household composition now recorded in 95%.",
    "priorities": "Next year: neglect, and hearing the voice of the child.",
}


def load(partnership, users) -> None:
    date_from, date_to = previous_financial_year(timezone.localdate())
    if YearlyReportDraft.objects.filter(
        partnership=partnership, period_from=date_from, period_to=date_to
    ).exists():
        return
    yearly_narrative_save(
        partnership=partnership,
        date_from=date_from,
        date_to=date_to,
        narrative=NARRATIVE,
        user=users["analyst"],
    )
