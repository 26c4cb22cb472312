"""The document library: uploads, access, download, personal data before publication, imports."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from reviewhub.accounts.choices import Role
from reviewhub.audit.models import AuditEvent
from reviewhub.documents.choices import FindingStatus, JobStatus
from reviewhub.documents.models import Document, ImportJob
from reviewhub.documents.services import (
    PublicationRefused,
    document_import,
    document_pii_check,
    document_pii_override,
    document_pii_pseudonymise,
    document_publish,
)
from reviewhub.documents.testing import make_text_pdf

pytestmark = pytest.mark.django_db

REPORT = (
    "Learning review\n\n1. Findings\n"
    "Jayden Smith, aged 4, lived at 12 Acacia Avenue, Leeds LS6 2AB with his mother.\n"
    "Practitioners did not see Jayden on his own.\n\n"
    "2. Recommendations\n1. Health visitors should see children on their own at each visit.\n"
)


def upload(client, name, data):
    return client.post(reverse("documents:list"), {"files": [_file(name, data)]})


def _file(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_upload_extracts_pages_sections_and_candidates(world, login):
    client = login(world.users[Role.ANALYST])
    response = upload(client, "learning review.txt", REPORT.encode())
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:detail", kwargs={"pk": document.pk})
    assert document.page_count == 1
    assert document.stored_name != "learning review.txt"
    assert ".." not in document.stored_name
    kinds = set(document.candidates.values_list("kind", flat=True))
    assert kinds == {"learning_point", "recommendation"}
    assert AuditEvent.objects.filter(object_type="documents.document", action="create").exists()


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("report.pdf", b"MZ\x90\x00 not a pdf", ""),
        ("empty.txt", b"", "empty"),
        ("binary.txt", b"\x00\x01\x02", ""),
    ],
)
def test_bad_uploads_are_refused_with_a_message_and_nothing_kept(world, login, name, data, message):
    client = login(world.users[Role.ANALYST])
    response = upload(client, name, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    if message:
        assert message in body.lower()
    assert not Document.objects.exists()


def test_path_tricks_in_names_never_reach_storage(world, login):
    client = login(world.users[Role.ANALYST])
    upload(client, "../../etc/passwd.txt", REPORT.encode())
    document = Document.objects.get()
    assert "/" not in document.original_name and ".." not in document.original_name
    assert document.stored_name.endswith(".txt") and len(document.stored_name) > 30


def test_scanned_pdf_is_reported_not_imported_empty(world, login):
    from reviewhub.documents.testing import make_scanned_pdf

    client = login(world.users[Role.ANALYST])
    response = upload(client, "scan.pdf", make_scanned_pdf(2))
    assert "no text layer" in response.content.decode()
    assert not Document.objects.exists()


def test_same_file_twice_is_held_once(world):
    first = document_import(partnership=world.partnership, name="a.txt", data=REPORT.encode())
    second = document_import(partnership=world.partnership, name="b.txt", data=REPORT.encode())
    assert first.created and not second.created
    assert Document.objects.count() == 1


def test_download_is_an_audited_attachment(world, login):
    doc = world.document()
    client = login(world.users[Role.BUSINESS_UNIT])
    response = client.get(reverse("documents:download", kwargs={"pk": doc.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/octet-stream"
    assert b"".join(response.streaming_content).startswith(b"Local child safeguarding")
    assert AuditEvent.objects.filter(action="download", object_id=str(doc.pk)).count() == 1


def test_practitioners_see_published_documents_only(world, login):
    doc = world.document()
    client = login(world.users[Role.PRACTITIONER])
    assert client.get(reverse("documents:detail", kwargs={"pk": doc.pk})).status_code == 404
    assert AuditEvent.objects.filter(
        action="denied", object_type="documents.document", object_id=str(doc.pk)
    ).exists()
    Document.objects.filter(pk=doc.pk).update(published=True)
    assert client.get(reverse("documents:detail", kwargs={"pk": doc.pk})).status_code == 200


def test_other_partnerships_never_see_a_document(world, login):
    doc = world.document()
    Document.objects.filter(pk=doc.pk).update(published=True)
    client = login(world.outsider_admin)
    for name in ("documents:detail", "documents:download", "documents:pii"):
        assert client.get(reverse(name, kwargs={"pk": doc.pk})).status_code == 404
    listing = client.get(reverse("documents:list")).content.decode()
    assert reverse("documents:detail", kwargs={"pk": doc.pk}) not in listing


def test_publication_is_blocked_then_fixed_then_published(world):
    user = world.users[Role.ANALYST]
    doc = document_import(
        partnership=world.partnership, name="r.txt", data=REPORT.encode()
    ).document
    with pytest.raises(PublicationRefused, match="need a decision"):
        document_publish(document=doc, user=user)
    doc.refresh_from_db()
    assert not doc.published
    kinds = set(doc.findings.values_list("kind", flat=True))
    assert {"name", "postcode", "address", "age"} <= kinds
    # Keep one finding with a reason, replace the rest with pseudonyms.
    age = doc.findings.get(kind="age")
    document_pii_override(finding=age, reason="Age is needed to understand the learning", user=user)
    document_pii_pseudonymise(document=doc, user=user)
    text = doc.text
    assert "Jayden" not in text and "LS6 2AB" not in text
    assert text.count("Child A") == 2  # the same child is the same pseudonym everywhere
    assert "aged 4" in text
    document_publish(document=doc, user=user)
    doc.refresh_from_db()
    assert doc.published
    assert not doc.findings.filter(status=FindingStatus.OPEN).exists()


def test_override_needs_a_reason(world):
    doc = world.document()
    finding = doc.findings.first()
    with pytest.raises(ValueError, match="reason"):
        document_pii_override(finding=finding, reason="  ", user=world.users[Role.ANALYST])


def test_publish_view_refuses_with_the_reason(world, login):
    doc = document_import(
        partnership=world.partnership, name="r.txt", data=REPORT.encode()
    ).document
    client = login(world.users[Role.ANALYST])
    response = client.post(reverse("documents:publish", kwargs={"pk": doc.pk}), follow=True)
    assert "Publication refused" in response.content.decode()
    doc.refresh_from_db()
    assert not doc.published


def test_recheck_keeps_decisions(world):
    doc = document_import(
        partnership=world.partnership, name="r.txt", data=REPORT.encode()
    ).document
    user = world.users[Role.ANALYST]
    document_pii_check(document=doc, user=user)
    age = doc.findings.get(kind="age")
    document_pii_override(finding=age, reason="needed", user=user)
    open_before = doc.findings.filter(status=FindingStatus.OPEN).count()
    assert document_pii_check(document=doc, user=user) == open_before


def test_import_command_skips_held_files_and_reports_failures(world, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "one.txt").write_text(REPORT)
    (folder / "two.pdf").write_bytes(make_text_pdf(["Findings\nSome learning.", "More text."]))
    (folder / "bad.pdf").write_bytes(b"not a pdf at all")
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "import",
            str(folder),
            "--partnership",
            world.partnership.slug,
            "--no-progress",
            stdout=out,
        )
    assert exit_info.value.code == 1
    assert "Imported 2, skipped 0 already held, 1 failed" in out.getvalue()
    assert "FAILED bad.pdf" in out.getvalue()
    # Run again, as after an interruption: nothing is imported twice.
    (folder / "bad.pdf").unlink()
    out = io.StringIO()
    call_command(
        "import", str(folder), "--partnership", world.partnership.slug, "--no-progress", stdout=out
    )
    assert "Imported 0, skipped 2 already held, 0 failed" in out.getvalue()
    assert Document.objects.count() == 2
    assert Document.objects.get(doc_type="pdf").pages.get(number=2).text.strip() == "More text."


def test_bulk_upload_runs_as_a_background_job_with_progress(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.users[Role.ANALYST])
    files = [
        _file("a.txt", REPORT.encode()),
        _file("b.txt", b"Findings\nOther text."),
        _file("c.pdf", b"junk"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:list"), {"files": files})
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("documents:job", kwargs={"pk": job.pk})
    job.refresh_from_db()  # the test settings run tasks in-process
    assert job.status == JobStatus.FINISHED
    assert (job.done, job.skipped, len(job.failures)) == (2, 0, 1)
    page = client.get(reverse("documents:job", kwargs={"pk": job.pk})).content.decode()
    assert "2 imported" in page and "c.pdf" in page


def test_reviewers_see_draft_documents_of_their_own_review_only(world, login):
    review = world.case.review
    mine = document_import(
        partnership=world.partnership, name="mine.txt", data=REPORT.encode(), review=review
    ).document
    other = world.document()
    client = login(world.users[Role.REVIEWER])
    assert client.get(reverse("documents:detail", kwargs={"pk": mine.pk})).status_code == 200
    assert client.get(reverse("documents:detail", kwargs={"pk": other.pk})).status_code == 404
    # The partner lead's agency is involved in the case, so they may read it too.
    lead = login(world.users[Role.PARTNER_LEAD])
    assert lead.get(reverse("documents:detail", kwargs={"pk": mine.pk})).status_code == 200
    assert (
        login(world.users[Role.PRACTITIONER])
        .get(reverse("documents:detail", kwargs={"pk": mine.pk}))
        .status_code
        == 404
    )


def test_opening_an_edit_page_is_audited_as_a_view_not_a_change(world, login):
    doc = world.document()
    client = login(world.users[Role.ANALYST])
    before = AuditEvent.objects.filter(object_id=str(doc.pk), action="change").count()
    assert client.get(reverse("documents:pii", kwargs={"pk": doc.pk})).status_code == 200
    assert AuditEvent.objects.filter(object_id=str(doc.pk), action="change").count() == before
    assert AuditEvent.objects.filter(
        object_type="documents.document", object_id=str(doc.pk), action="view"
    ).exists()
