"""Briefings in the product: import, versions, downloads, the personal-data gate, publication,
dissemination, acknowledgement and reach."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from reviewhub.accounts.choices import Role
from reviewhub.audit.models import AuditEvent
from reviewhub.briefings.choices import BriefingStatus
from reviewhub.briefings.document import parse_text
from reviewhub.briefings.models import Briefing, BriefingDelivery
from reviewhub.briefings.services import (
    PublicationRefused,
    briefing_acknowledge,
    briefing_create,
    briefing_pii_findings,
    briefing_pii_keep,
    briefing_pseudonymise,
    briefing_publish,
)
from reviewhub.tests.factories import BRIEFING_TEXT

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).parent / "data" / "reference-briefing.txt"


def test_importing_the_reference_briefing_from_the_web_gives_14_themes(world, login):
    client = login(world.users[Role.ANALYST])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("briefings:list"),
        {"file": SimpleUploadedFile("note3.txt", REFERENCE.read_bytes())},
    )
    briefing = Briefing.objects.get()
    assert response["Location"] == reverse("briefings:detail", kwargs={"pk": briefing.pk})
    assert len(briefing.current.content["themes"]) == 14
    assert briefing.status == BriefingStatus.DRAFT
    assert briefing.title == "Learning from Local Reviews 2021 Thematic Briefing Note 3"


def test_a_malformed_file_is_refused_naming_the_line(world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(world.users[Role.ANALYST])
    bad = b"A title\n\nWhat you should do\n\nSomething.\n"
    response = client.post(reverse("briefings:list"), {"file": SimpleUploadedFile("b.txt", bad)})
    body = response.content.decode()
    assert "There is a problem" in body and "line 3" in body
    assert not Briefing.objects.exists()


def test_import_command_json_previews_and_import_saves(world, tmp_path):
    out = io.StringIO()
    import json
    import sys

    real = sys.stdout
    sys.stdout = out
    try:
        call_command("briefing", "import", str(REFERENCE), "--json")
    finally:
        sys.stdout = real
    data = json.loads(out.getvalue())
    assert len(data["themes"]) == 14 and data["themes"][3]["number"] == 4
    assert not Briefing.objects.exists()
    msg = io.StringIO()
    call_command(
        "briefing", "import", str(REFERENCE), "--partnership", world.partnership.slug, stdout=msg
    )
    assert "(14 themes)" in msg.getvalue()
    bad = tmp_path / "bad.txt"
    bad.write_text("Title\n\nWhat we have learned\n\nx\n")
    with pytest.raises(CommandError, match="line"):
        call_command("briefing", "import", str(bad), "--json")


def test_editing_saves_a_version_and_bad_text_names_the_line(world, login):
    briefing = world.briefing()
    client = login(world.users[Role.ANALYST])
    url = reverse("briefings:edit", kwargs={"pk": briefing.pk})
    page = client.get(url).content.decode()
    assert "## Theme 1: Who is in the household" in page
    edited = BRIEFING_TEXT.replace("Hearing the child", "Hearing the child's voice")
    response = client.post(url, {"text": edited, "note": "clearer title"})
    assert response.status_code == 302
    briefing.refresh_from_db()
    assert briefing.current.number == 2
    assert briefing.current.content["themes"][1]["title"] == "Hearing the child's voice"
    assert briefing.versions.get(number=1).content["themes"][1]["title"] == "Hearing the child"
    broken = edited.replace("## Theme 2", "## Theme 5")
    response = client.post(url, {"text": broken})
    assert "line" in response.content.decode() and "There is a problem" in response.content.decode()
    assert briefing.versions.count() == 2


@pytest.mark.parametrize(
    "fmt,magic",
    [
        ("pdf", b"%PDF"),
        ("docx", b"PK"),
        ("md", b"Northshire Test Partnership\n\n# "),
        ("html", b"<!DOCTYPE"),
    ],
)
def test_downloads_in_every_format(world, login, fmt, magic):
    briefing = world.briefing()
    client = login(world.users[Role.ANALYST])
    response = client.get(reverse("briefings:download", kwargs={"pk": briefing.pk, "fmt": fmt}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(magic)
    if fmt == "docx":
        xml = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
        assert "Theme 1: Who is in the household" in xml
    assert AuditEvent.objects.filter(action="export", object_id=str(briefing.pk)).exists()


def test_publication_is_refused_until_personal_data_is_decided(world):
    analyst = world.users[Role.ANALYST]
    text = BRIEFING_TEXT.replace(
        "Practitioners did not know who lived in the home.",
        "Practitioners did not know that Kyle Dawson, aged 2, lived at 5 Elm Road, Leeds LS6 2AB.",
    )
    briefing = briefing_create(partnership=world.partnership, doc=parse_text(text), user=analyst)
    with pytest.raises(PublicationRefused, match="need a decision"):
        briefing_publish(briefing=briefing, user=analyst)
    _, findings = briefing_pii_findings(briefing)
    age = next(f for f in findings if f.kind == "age")
    briefing_pii_keep(
        briefing=briefing, text=age.text, kind=age.kind, reason="needed", user=analyst
    )
    assert briefing_pseudonymise(briefing=briefing, user=analyst) >= 3
    briefing.refresh_from_db()
    content = str(briefing.current.content)
    assert "Kyle" not in content and "LS6 2AB" not in content and "Child A" in content
    briefing_publish(briefing=briefing, user=analyst)
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.PUBLISHED


def test_publishing_sends_to_agencies_and_reach_counts_follow(
    world, login, django_capture_on_commit_callbacks
):
    analyst = world.users[Role.ANALYST]
    lead = world.users[Role.PARTNER_LEAD]  # acts for world.agency
    lead.email = "lead@example.org"
    lead.save()
    briefing = world.briefing()
    with django_capture_on_commit_callbacks(execute=True):
        sent = briefing_publish(briefing=briefing, user=analyst, agencies=[world.agency])
    assert sent == 1
    assert [m.to for m in mail.outbox] == [["lead@example.org"]]
    assert briefing.title in mail.outbox[0].subject
    client = login(lead)
    client.get(reverse("briefings:detail", kwargs={"pk": briefing.pk}))
    response = client.post(
        reverse("briefings:acknowledge", kwargs={"pk": briefing.pk}),
        {"confirm": "on", "thoughts": "We will ask at every visit."},
    )
    assert response.status_code == 302
    delivery = BriefingDelivery.objects.get(briefing=briefing, user=lead)
    assert delivery.sent_at and delivery.opened_at and delivery.acknowledged_at
    assert delivery.reflection == {"thoughts": "We will ask at every visit."}
    reach = login(analyst).get(reverse("briefings:reach", kwargs={"pk": briefing.pk}))
    assert reach.context["rows"] == [
        {"agency": world.agency.name, "sent": 1, "opened": 1, "acknowledged": 1}
    ]


def test_practitioners_read_published_briefings_only(world, login):
    briefing = world.briefing()
    client = login(world.users[Role.PRACTITIONER])
    url = reverse("briefings:detail", kwargs={"pk": briefing.pk})
    assert client.get(url).status_code == 404
    briefing_publish(briefing=briefing, user=world.users[Role.ANALYST])
    assert client.get(url).status_code == 200
    assert client.get(reverse("briefings:edit", kwargs={"pk": briefing.pk})).status_code == 403
    other = login(world.outsider_admin)
    assert other.get(url).status_code == 404


def test_a_draft_cannot_be_acknowledged_and_a_published_one_not_edited(world):
    briefing = world.briefing()
    with pytest.raises(PublicationRefused):
        briefing_acknowledge(briefing=briefing, user=world.users[Role.ANALYST], answers={})
    briefing_publish(briefing=briefing, user=world.users[Role.ANALYST])
    from reviewhub.briefings.services import briefing_version_save

    with pytest.raises(PublicationRefused):
        briefing_version_save(
            briefing=briefing, doc=parse_text(BRIEFING_TEXT), user=world.users[Role.ANALYST]
        )


def test_a_briefing_can_be_sent_to_a_team_of_people(world, django_capture_on_commit_callbacks):
    from reviewhub.accounts.models import Team

    practitioner = world.users[Role.PRACTITIONER]
    practitioner.email = "jo@example.org"
    practitioner.save()
    outsider = world.outsider_admin  # in the team by mistake, but not in this partnership
    team = Team.objects.create(partnership=world.partnership, name="Health visiting")
    team.members.add(practitioner, outsider)
    briefing = world.briefing()
    with django_capture_on_commit_callbacks(execute=True):
        sent = briefing_publish(briefing=briefing, user=world.users[Role.ANALYST], teams=[team])
    assert sent == 1
    assert [m.to for m in mail.outbox] == [["jo@example.org"]]
    assert BriefingDelivery.objects.filter(briefing=briefing).count() == 1
