"""The retention purge for every record type besides cases and audit events: each expires exactly
at its boundary, a legal hold keeps it, a dry run deletes nothing, each destruction is audited in
its own transaction, files go only after the commit, and what is still needed stays."""

import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from reviewhub.accounts.choices import Role
from reviewhub.accounts.models import Membership, User
from reviewhub.actions.models import Action, Evidence
from reviewhub.actions.services import evidence_dir
from reviewhub.actions.tests import factories as af
from reviewhub.api.models import ApiToken
from reviewhub.api.services import api_token_create
from reviewhub.audit.models import AuditEvent
from reviewhub.audit.services import audit_event_record
from reviewhub.cases.models import Case, Review
from reviewhub.cases.tests.factories import case as make_case
from reviewhub.documents.models import Document, ImportJob
from reviewhub.documents.services import document_import, storage_dir
from reviewhub.learning.tests import factories as lf
from reviewhub.ops.models import LegalHold
from reviewhub.ops.retention import DEFAULTS, PSEUDONYM, purge, schedule
from reviewhub.search.models import SearchEntry
from reviewhub.tests import factories as f

pytestmark = pytest.mark.django_db

_seq = itertools.count(1)
START = date(2015, 3, 10)  # the day each test record is stamped with (its retention start)


def _at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _library_document(world, day=START, **kw):
    n = next(_seq)
    doc = document_import(
        partnership=world.partnership,
        name=f"report-{n}.txt",
        data=f"Review report {n}\n\nFindings\nAgencies did not share information.\n".encode(),
        **kw,
    ).document
    Document.objects.filter(pk=doc.pk).update(uploaded_at=_at(day))
    return doc


def _completed_action(world, day=START, *, src=None, with_file=True):
    rec = af.recommendation(world.partnership, src=src)
    bu = world.users[Role.BUSINESS_UNIT]
    action = af.action(rec, world.agency, user=bu)
    from reviewhub.actions.services import evidence_add

    evidence_add(
        action=action,
        user=bu,
        kind="audit",
        summary="Audit of 20 files.",
        upload_name="audit.txt" if with_file else "",
        data=f"Audit results {next(_seq)}.\n".encode() if with_file else None,
    )
    Action.objects.filter(pk=action.pk).update(
        status="complete", completed_on=day, signed_off_by=bu, signed_off_at=_at(day)
    )
    return action


def _disabled_user(world, day=START):
    user = f.user(world.partnership, Role.ANALYST, first_name="Ann", last_name="Example")
    User.objects.filter(pk=user.pk).update(
        is_active=False, last_login=_at(day), email="ann@example.org"
    )
    return user


def _token(world, day=START):
    token, _ = api_token_create(user=world.users[Role.ANALYST], name=f"t{next(_seq)}")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=_at(day))
    return token


def _revoked_token(world, day=START):
    token, _ = api_token_create(user=world.users[Role.ANALYST], name=f"t{next(_seq)}")
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=_at(day))  # expiry is months later
    return token


def _unconfirmed_device(world, day=START):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(
        user=world.users[Role.REVIEWER], name="phone", confirmed=False
    )
    TOTPDevice.objects.filter(pk=device.pk).update(created_at=_at(day))
    return device


def _import_job(world, day=START):
    stored = f"staged-{next(_seq)}.upload"
    (storage_dir() / "staging").mkdir(exist_ok=True)
    (storage_dir() / "staging" / stored).write_bytes(b"left behind")
    job = ImportJob.objects.create(
        partnership=world.partnership,
        total=2,
        failures=[{"name": "child-a-chronology.pdf", "reason": "scanned"}],
        staged=[{"name": "report.txt", "stored": stored}],
    )
    ImportJob.objects.filter(pk=job.pk).update(finished_at=_at(day), status="finished")
    return job


def _task_row(world, day=START):
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.create(
        status=TaskResultStatus.FAILED,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="reviewhub.documents.tasks.run_import_job",
        backend_name="default",
        run_after=_at(day),
        finished_at=_at(day),
        exception_class_path="builtins.ValueError",
        traceback="ValueError: child-a-chronology.pdf",
    )


def _lifted_hold(world, day=START):
    return LegalHold.objects.create(
        partnership=world.partnership,
        object_type="cases.case",
        object_id="999",
        reason="Police inquiry",
        lifted_at=_at(day),
    )


def _session(world, day=START):
    store = SessionStore()
    store["_auth_user_id"] = str(world.users[Role.ANALYST].pk)
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=_at(day))
    return Session.objects.get(session_key=store.session_key)


def _sign_in_log(world, day=START):
    from axes.models import AccessLog

    entry = AccessLog.objects.create(
        username="analyst-user", ip_address="192.0.2.1", user_agent="x", http_accept="*/*"
    )
    AccessLog.objects.filter(pk=entry.pk).update(attempt_time=_at(day))
    return entry


def _failed_attempt(world, day=START):
    from axes.models import AccessAttempt

    entry = AccessAttempt.objects.create(
        username="analyst-user",
        ip_address="192.0.2.1",
        user_agent="x",
        http_accept="*/*",
        failures_since_start=1,
    )
    AccessAttempt.objects.filter(pk=entry.pk).update(attempt_time=_at(day))
    return entry


@dataclass
class Kind:
    object_type: str
    make: Callable
    period: relativedelta
    # Whether the record is still there, unchanged (a user is pseudonymised, not deleted).
    alive: Callable = None
    per_record_audit: bool = True

    def __post_init__(self):
        if self.alive is None:
            self.alive = lambda obj: type(obj).objects.filter(pk=obj.pk).exists()


KINDS = {
    "library document": Kind("documents.document", _library_document, relativedelta(years=2)),
    "action": Kind("actions.action", _completed_action, relativedelta(years=7)),
    "disabled user": Kind(
        "accounts.user",
        _disabled_user,
        relativedelta(years=2),
        alive=lambda u: User.objects.filter(pk=u.pk, username=u.username).exists(),
    ),
    "expired API token": Kind("api.apitoken", _token, relativedelta(days=90)),
    "revoked API token": Kind("api.apitoken", _revoked_token, relativedelta(days=90)),
    "unconfirmed authenticator": Kind(
        "otp_totp.totpdevice", _unconfirmed_device, relativedelta(days=1)
    ),
    "import job": Kind("documents.importjob", _import_job, relativedelta(days=90)),
    "task row": Kind("django_tasks_database.dbtaskresult", _task_row, relativedelta(days=30)),
    "lifted hold": Kind("ops.legalhold", _lifted_hold, relativedelta(years=7)),
    "expired session": Kind(
        "sessions.session",
        _session,
        relativedelta(days=0),
        alive=lambda s: Session.objects.filter(pk=s.pk).exists(),
        per_record_audit=False,
    ),
    "sign-in log": Kind(
        "axes.accesslog", _sign_in_log, relativedelta(days=90), per_record_audit=False
    ),
    "failed sign-in attempt": Kind(
        "axes.accessattempt", _failed_attempt, relativedelta(days=90), per_record_audit=False
    ),
}


@pytest.mark.parametrize("name", list(KINDS))
def test_each_record_type_expires_the_day_after_its_boundary_and_each_deletion_is_audited(
    world, name, django_capture_on_commit_callbacks
):
    kind = KINDS[name]
    record = kind.make(world)
    boundary = START + kind.period
    with django_capture_on_commit_callbacks(execute=True):
        purge(today=boundary - timedelta(days=1))
        purge(today=boundary)
    assert kind.alive(record), "kept up to and including its boundary day"
    assert not AuditEvent.objects.filter(action="purge", object_type=kind.object_type).exists()
    with django_capture_on_commit_callbacks(execute=True):
        report = purge(today=boundary + timedelta(days=1))
    assert not kind.alive(record), "gone the day after"
    events = AuditEvent.objects.filter(action="purge", object_type=kind.object_type)
    if kind.per_record_audit:
        assert str(record.pk) in report.destroyed[kind.object_type]
        assert list(events.values_list("object_id", flat=True)) == [str(record.pk)]
    else:
        assert events.count() == 1 and events.get().detail.startswith("1 ")


def test_every_default_period_is_tested_or_belongs_to_cases_and_audit():
    tested = {"library_document_years", "action_completed_years", "user_disabled_years"}
    tested |= {"api_token_days", "otp_unconfirmed_days", "import_job_days", "task_result_days"}
    tested |= {"legal_hold_lifted_years", "session_expired_days", "access_attempt_days"}
    cases_and_audit = {"case_published_years", "case_unreviewed_years", "audit_years"}
    assert set(DEFAULTS) == tested | cases_and_audit


def test_the_audit_event_of_a_destruction_holds_no_content(world):
    doc = _library_document(world, title="Child A review")
    _disabled_user(world)
    purge(today=date(2026, 1, 1))
    for event in AuditEvent.objects.filter(action="purge"):
        assert "Child A" not in event.detail and "Ann" not in event.detail
        assert "Example" not in event.detail and "ann@" not in event.detail
    assert AuditEvent.objects.filter(object_id=str(doc.pk), action="purge").exists()


@pytest.mark.parametrize("name", ["library document", "action", "disabled user"])
def test_a_legal_hold_keeps_an_expired_record_until_lifted(world, name):
    kind = KINDS[name]
    record = kind.make(world)
    hold = LegalHold.objects.create(
        partnership=world.partnership,
        object_type=kind.object_type,
        object_id=str(record.pk),
        reason="Public inquiry",
    )
    report = purge(today=date(2026, 1, 1))
    assert kind.alive(record)
    assert f"{kind.object_type} {record.pk}" in report.held
    assert not AuditEvent.objects.filter(action="purge", object_type=kind.object_type).exists()
    LegalHold.objects.filter(pk=hold.pk).update(lifted_at=timezone.now())
    purge(today=date(2026, 1, 1))
    assert not kind.alive(record)


def test_dry_run_lists_what_would_go_and_deletes_nothing(world):
    records = {name: kind.make(world) for name, kind in KINDS.items()}
    doc_file = storage_dir() / records["library document"].stored_name
    before = AuditEvent.objects.count()
    report = purge(today=date(2026, 1, 1), dry_run=True)
    for name, kind in KINDS.items():
        assert kind.alive(records[name]), name
        if kind.per_record_audit:
            assert str(records[name].pk) in report.destroyed[kind.object_type], name
    assert report.counted == {
        "expired session(s)": 1,
        "sign-in log entries": 1,
        "failure log entries": 0,
        "failed sign-in attempt record(s)": 1,
    }
    assert doc_file.exists()
    assert AuditEvent.objects.count() == before
    out = io.StringIO()
    call_command("retention", "purge", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"Would destroy 1 library document(s): {records['library document'].pk}." in text
    assert (
        f"Would destroy 1 disabled user account(s), pseudonymised (not deleted): {records['disabled user'].pk}."
        in text
    )
    assert "Would destroy 1 expired session(s)." in text
    assert Document.objects.filter(pk=records["library document"].pk).exists()


def test_a_library_document_goes_with_its_search_entries_and_then_its_file(
    world, django_capture_on_commit_callbacks
):
    doc = _library_document(world)
    path = storage_dir() / doc.stored_name
    assert SearchEntry.objects.filter(kind="document_page", object_pk=doc.pk).exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        purge(today=date(2026, 1, 1))
        assert not Document.objects.filter(pk=doc.pk).exists()
        assert not SearchEntry.objects.filter(kind="document_page", object_pk=doc.pk).exists()
        assert path.exists(), "the file stays until the deletion commits"
    for callback in callbacks:
        callback()
    assert not path.exists()


def test_published_and_review_documents_are_not_library_documents_to_purge(world):
    published = _library_document(world)
    Document.objects.filter(pk=published.pk).update(published=True)
    review = make_case(world.partnership, "review").review
    attached = _library_document(world, review=review)
    purge(today=date(2026, 1, 1))
    assert Document.objects.filter(pk__in=[published.pk, attached.pk]).count() == 2


@pytest.mark.django_db(transaction=True)
def test_files_are_deleted_after_a_real_commit_and_kept_when_the_transaction_rolls_back(world):
    doc = _library_document(world)
    action = _completed_action(world)
    files = [
        storage_dir() / doc.stored_name,
        evidence_dir() / action.evidence.get().stored_name,
    ]
    with pytest.raises(RuntimeError), transaction.atomic():
        purge(today=date(2026, 1, 1))
        assert not Document.objects.filter(pk=doc.pk).exists()
        raise RuntimeError("something later in the same transaction failed")
    assert Document.objects.filter(pk=doc.pk).exists()
    assert Action.objects.filter(pk=action.pk).exists()
    assert all(p.exists() for p in files), "a rolled-back deletion leaves the files"
    purge(today=date(2026, 1, 1))
    assert not Document.objects.filter(pk=doc.pk).exists()
    assert not any(p.exists() for p in files)


def test_a_file_that_cannot_be_deleted_is_reported_and_the_purge_goes_on(
    world, django_capture_on_commit_callbacks
):
    stuck = _library_document(world)
    other = _library_document(world)
    path = storage_dir() / stuck.stored_name
    path.unlink()
    path.mkdir()  # unlink() of a directory fails, as a file on a read-only disk would
    (path / "x").write_text("x")
    with django_capture_on_commit_callbacks(execute=True):
        report = purge(today=date(2026, 1, 1))
    assert not Document.objects.filter(pk__in=[stuck.pk, other.pk]).exists()
    assert len(report.file_errors) == 1 and stuck.stored_name in report.file_errors[0]
    assert not (storage_dir() / other.stored_name).exists()


def test_an_action_of_a_retained_case_stays_and_goes_with_its_case(
    world, django_capture_on_commit_callbacks
):
    case = make_case(world.partnership, "review")
    src = lf.source(world.partnership, review=case.review, title=f"Review {case.pk}")
    action = _completed_action(world, src=src)
    evidence = action.evidence.get()
    path = evidence_dir() / evidence.stored_name
    report = purge(today=date(2026, 1, 1))
    assert Action.objects.filter(pk=action.pk).exists()
    assert report.kept == [f"actions.action {action.pk} (its case {case.pk} is retained)"]
    # Once the case closes and its own period ends, the dry run and the purge take both.
    Case.objects.filter(pk=case.pk).update(closed_on=date(2010, 1, 1))
    dry = purge(today=date(2026, 1, 1), dry_run=True)
    assert dry.cases == [case.reference]
    assert dry.destroyed["actions.action"] == [str(action.pk)]
    assert dry.destroyed["actions.evidence"] == [str(evidence.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        report = purge(today=date(2026, 1, 1))
    assert not Review.objects.filter(pk=case.review.pk).exists()
    assert not Action.objects.filter(pk=action.pk).exists()
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert AuditEvent.objects.filter(
        action="purge", object_type="actions.evidence", object_id=str(evidence.pk)
    ).exists()
    assert not path.exists()


def test_open_and_reopened_actions_are_never_purged(world):
    rec = af.recommendation(world.partnership)
    old_open = af.action(rec, world.agency, target_date=date(2012, 1, 1))
    reopened = _completed_action(world)
    Action.objects.filter(pk=reopened.pk).update(status="reopened", completed_on=None)
    purge(today=date(2040, 1, 1))
    assert Action.objects.filter(pk__in=[old_open.pk, reopened.pk]).count() == 2


def test_a_disabled_account_is_pseudonymised_not_deleted_and_its_records_stay(
    world, django_capture_on_commit_callbacks
):
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from reviewhub.accounts.models import Team

    user = _disabled_user(world)
    team = Team.objects.create(partnership=world.partnership, name="Health visitors")
    team.members.add(user)
    token, _ = api_token_create(user=user, name="script")
    totp = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    case = make_case(world.partnership, "review", lead_reviewer=user)  # PROTECT reference
    worked = audit_event_record(action="view", obj=case, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        report = purge(today=date(2026, 1, 1))
    user.refresh_from_db()
    assert user.username == PSEUDONYM.format(pk=user.pk) == f"former user {user.pk}"
    assert (user.first_name, user.last_name, user.email) == ("", "", "")
    assert not user.has_usable_password() and not user.is_active
    assert not Membership.objects.filter(user=user).exists()
    assert not team.members.filter(pk=user.pk).exists()
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert not TOTPDevice.objects.filter(pk=totp.pk).exists()
    assert not StaticDevice.objects.filter(pk=static.pk).exists()
    assert Review.objects.get(case=case).lead_reviewer_id == user.pk
    assert report.destroyed["accounts.user"] == [str(user.pk)]
    for object_type, pk in [
        ("accounts.user", user.pk),
        ("api.apitoken", token.pk),
        ("otp_totp.totpdevice", totp.pk),
        ("otp_static.staticdevice", static.pk),
    ]:
        assert AuditEvent.objects.filter(
            action="purge", object_type=object_type, object_id=str(pk)
        ).exists(), object_type
    # The audit events written while the person worked keep their name (7 years).
    worked.refresh_from_db()
    assert (worked.user_id, worked.user_display) == (user.pk, "Ann Example")
    # A second run leaves the pseudonymised account alone.
    again = purge(today=date(2026, 1, 1))
    assert "accounts.user" not in again.destroyed


def test_an_active_account_unused_for_the_period_is_listed_never_changed(world):
    dormant = f.user(world.partnership, Role.PRACTITIONER, username="dormant")
    User.objects.filter(pk=dormant.pk).update(last_login=_at(START))
    report = purge(today=date(2026, 1, 1))
    assert str(dormant.pk) in report.dormant_users
    assert User.objects.get(pk=dormant.pk).username == "dormant"
    assert User.objects.get(pk=dormant.pk).is_active


def test_live_tokens_confirmed_authenticators_and_running_jobs_stay(world):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    live, _ = api_token_create(user=world.users[Role.ANALYST], name="live")
    device = TOTPDevice.objects.create(user=world.users[Role.ANALYST], name="p", confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(created_at=_at(START))
    job = ImportJob.objects.create(partnership=world.partnership, total=1)
    purge()
    assert ApiToken.objects.filter(pk=live.pk).exists()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert ImportJob.objects.filter(pk=job.pk).exists()


def test_an_import_job_takes_its_staged_files_after_the_commit(
    world, django_capture_on_commit_callbacks
):
    job = _import_job(world)
    staged = storage_dir() / "staging" / job.staged[0]["stored"]
    with django_capture_on_commit_callbacks(execute=True):
        purge(today=date(2026, 1, 1))
    assert not ImportJob.objects.filter(pk=job.pk).exists()
    assert not staged.exists()


def test_periods_are_overridden_in_settings_and_a_bad_entry_refused(world, settings):
    doc = _library_document(world)
    settings.REVIEWHUB_RETENTION = {"library_document_years": "5"}
    assert schedule()["library_document_years"] == 5
    purge(today=START + relativedelta(years=5))
    assert Document.objects.filter(pk=doc.pk).exists()
    purge(today=START + relativedelta(years=5, days=1))
    assert not Document.objects.filter(pk=doc.pk).exists()
    settings.REVIEWHUB_RETENTION = {"library_documents_years": "5"}
    with pytest.raises(ImproperlyConfigured, match="unknown period 'library_documents_years'"):
        schedule()
    settings.REVIEWHUB_RETENTION = {"api_token_days": "-1"}
    with pytest.raises(ImproperlyConfigured, match="api_token_days must be a whole number"):
        schedule()
    settings.REVIEWHUB_RETENTION = {"audit_years": "0"}  # would wipe the audit log
    with pytest.raises(ImproperlyConfigured, match="audit_years must be a whole number of 1 or"):
        schedule()
    settings.REVIEWHUB_RETENTION = {"session_expired_days": "0"}  # gone once expired: allowed
    assert schedule()["session_expired_days"] == 0


def test_the_environment_variable_reaches_the_start_up_check():
    """REVIEWHUB_RETENTION is read from the environment; a typo stops `reviewhub check`."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    src = str(Path(__file__).resolve().parents[3])
    env = {**os.environ, "REVIEWHUB_TESTING": "1", "PYTHONPATH": src}

    def check(value):
        return subprocess.run(
            [sys.executable, "-m", "reviewhub", "check"],
            env={**env, "REVIEWHUB_RETENTION": value},
            capture_output=True,
            text=True,
            timeout=120,
        )

    ok = check("api_token_days=30, library_document_years=4")
    assert ok.returncode == 0, ok.stderr
    bad = check("library_document_year=4")
    assert bad.returncode != 0
    assert "reviewhub.E010" in bad.stderr and "library_document_year" in bad.stderr


# --- reviewhub retention hold add --------------------------------------------------------------


def _hold(*args):
    out = io.StringIO()
    call_command("retention", "hold", "add", *args, "--reason", "Inquiry", stdout=out)
    return out.getvalue()


def test_holds_can_cover_each_new_record_type(world):
    doc = _library_document(world)
    action = _completed_action(world)
    user = world.users[Role.ANALYST]
    assert "placed on library document" in _hold("documents.document", str(doc.pk))
    assert "placed on action" in _hold("actions.action", f"00{action.pk}")
    assert "placed on user account" in _hold("accounts.user", str(user.pk))
    holds = LegalHold.objects.filter(lifted_at__isnull=True)
    assert {(h.object_type, h.object_id) for h in holds} == {
        ("documents.document", str(doc.pk)),
        ("actions.action", str(action.pk)),  # stored as the purge looks it up
        ("accounts.user", str(user.pk)),
    }
    assert {h.partnership_id for h in holds} == {world.partnership.pk}
    assert AuditEvent.objects.filter(action="create", object_type="ops.legalhold").count() == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("documents.page", "1"), "Unknown record type 'documents.page': a hold can cover"),
        (("documents.document", "abc"), "No library document with id 'abc'"),
        (("actions.action", "999999"), "No action with id '999999'"),
        (("accounts.user", "999999"), "No user account with id '999999'"),
        (("cases.case", "-1"), "No case with id '-1'"),
    ],
)
def test_hold_add_refuses_an_unknown_type_or_id_clearly(world, args, message):
    with pytest.raises(CommandError, match=message):
        _hold(*args)
    assert not LegalHold.objects.exists()


def test_hold_add_sends_a_review_document_to_its_case(world):
    case = make_case(world.partnership, "review")
    doc = _library_document(world, review=case.review)
    with pytest.raises(CommandError, match=rf"hold the case instead \(cases.case {case.pk}\)"):
        _hold("documents.document", str(doc.pk))


def test_hold_add_on_a_user_of_several_partnerships_asks_which(world):
    user = world.users[Role.ANALYST]
    Membership.objects.create(user=user, partnership=world.other, role=Role.ANALYST)
    with pytest.raises(CommandError, match="--partnership SLUG"):
        _hold("accounts.user", str(user.pk))
    with pytest.raises(CommandError, match="has no role in 'nowhere'|No partnership 'nowhere'"):
        _hold("accounts.user", str(user.pk), "--partnership", "nowhere")
    _hold("accounts.user", str(user.pk), "--partnership", world.other.slug)
    assert LegalHold.objects.get().partnership == world.other
