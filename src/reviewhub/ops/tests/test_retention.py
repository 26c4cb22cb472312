"""The retention purge destroys what has expired, never what is held, and audits each deletion."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from reviewhub.audit.models import AuditEvent
from reviewhub.cases.models import Case
from reviewhub.cases.tests.factories import case as make_case
from reviewhub.documents.models import Document
from reviewhub.documents.services import document_import, storage_dir
from reviewhub.ops.models import LegalHold
from reviewhub.ops.retention import case_destroy_after, purge

pytestmark = pytest.mark.django_db


def _closed(world, closed_on, **kw):
    c = make_case(world.partnership, "review", **kw)
    Case.objects.filter(pk=c.pk).update(closed_on=closed_on)
    c.refresh_from_db()
    return c


def test_an_expired_case_is_destroyed_with_its_documents_and_each_deletion_audited(
    world, django_capture_on_commit_callbacks
):
    old = _closed(world, date(2010, 1, 1))
    doc = document_import(
        partnership=world.partnership, name="r.txt", data=b"Findings\nText.", review=old.review
    ).document
    path = storage_dir() / doc.stored_name
    recent = _closed(world, date(2024, 1, 1))
    open_case = make_case(world.partnership, "review")
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        report = purge(today=date(2026, 1, 1))
    assert report.cases == [old.reference]
    assert not Case.objects.filter(pk=old.pk).exists()
    assert Case.objects.filter(pk__in=[recent.pk, open_case.pk]).count() == 2
    assert not Document.objects.filter(pk=doc.pk).exists()
    assert AuditEvent.objects.filter(
        action="purge", object_type="cases.case", object_id=str(old.pk)
    ).exists()
    assert AuditEvent.objects.filter(action="purge", object_type="documents.document").exists()
    assert not path.exists()  # the stored file goes once the deletion commits


def test_a_legal_hold_stops_destruction_until_lifted(world):
    old = _closed(world, date(2010, 1, 1))
    LegalHold.objects.create(
        partnership=world.partnership,
        object_type="cases.case",
        object_id=str(old.pk),
        reason="inquiry",
    )
    report = purge(today=date(2026, 1, 1))
    assert report.held == [old.reference] and report.cases == []
    assert Case.objects.filter(pk=old.pk).exists()


def test_dry_run_destroys_nothing(world):
    old = _closed(world, date(2010, 1, 1))
    out = io.StringIO()
    call_command("retention", "purge", "--dry-run", stdout=out)
    assert "Would destroy 1 case(s)" in out.getvalue()
    assert Case.objects.filter(pk=old.pk).exists()


def test_published_cases_are_kept_until_the_youngest_child_is_25(world):
    c = _closed(world, date(2020, 1, 1))
    from reviewhub.cases.models import Publication

    Publication.objects.create(review=c.review, mode="full", published_on=date(2020, 6, 1))
    c.refresh_from_db()
    child = c.children.first()
    # 25 years after publication, or the child's 25th birthday if later.
    expected = max(
        date(2045, 6, 1), c.incident_date.replace(year=c.incident_date.year + 25 - child.age_years)
    )
    assert case_destroy_after(c) == expected
