"""Publishing the yearly report: every narrative written, no personal data, then frozen."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from reviewhub.accounts.choices import Role
from reviewhub.reports.services import (
    yearly_narrative_save,
    yearly_report,
    yearly_report_publish,
)

pytestmark = pytest.mark.django_db

A, B = date(2024, 4, 1), date(2025, 3, 31)


def _all_sections(world, text):
    report = yearly_report(world.partnership, A, B)
    return {s.key: text for s in report.sections if s.guidance}


def test_publishing_needs_every_narrative_and_no_personal_data_then_freezes(world):
    user = world.users[Role.ANALYST]
    with pytest.raises(ValidationError, match="Write the narrative of every section"):
        yearly_report_publish(partnership=world.partnership, date_from=A, date_to=B, user=user)
    narrative = _all_sections(world, "Partners met their targets this year.")
    first = next(iter(narrative))
    narrative[first] = "Jayden Smith, aged 4, lived at 12 Acacia Avenue, Leeds LS6 2AB."
    yearly_narrative_save(
        partnership=world.partnership, date_from=A, date_to=B, narrative=narrative, user=user
    )
    with pytest.raises(ValidationError, match="personal data"):
        yearly_report_publish(partnership=world.partnership, date_from=A, date_to=B, user=user)
    narrative[first] = "Practice improved after the review."
    yearly_narrative_save(
        partnership=world.partnership, date_from=A, date_to=B, narrative=narrative, user=user
    )
    draft = yearly_report_publish(partnership=world.partnership, date_from=A, date_to=B, user=user)
    assert draft.published_at is not None and draft.published_by == user
    with pytest.raises(ValidationError, match="published"):
        yearly_narrative_save(
            partnership=world.partnership, date_from=A, date_to=B, narrative=narrative, user=user
        )
