"""The demo partnership: actions at every RAG state, and its yearly report rendered in every
format with its charts, from the command line and from the web."""

import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reviewhub.accounts.demo import load_people
from reviewhub.actions import demo as actions_demo
from reviewhub.actions.models import Action
from reviewhub.cases import demo as cases_demo
from reviewhub.learning import demo as learning_demo
from reviewhub.reports import demo as reports_demo
from reviewhub.reports.forms import previous_financial_year
from reviewhub.reports.models import YearlyReportDraft

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    partnership, users = load_people()
    for module in (cases_demo, learning_demo, actions_demo, reports_demo):
        module.load(partnership, users)
    return partnership, users


def test_demo_actions_cover_every_rag_state_and_loading_again_adds_nothing(loaded):
    partnership, users = loaded
    colours = {a.rag().rag for a in Action.objects.filter(partnership=partnership)}
    assert colours == {"red", "amber", "green", "blue"}
    done = Action.objects.get(partnership=partnership, status="complete")
    assert done.signed_off_by == users["manager"] and done.evidence.count() == 2
    before = (Action.objects.count(), YearlyReportDraft.objects.count())
    actions_demo.load(partnership, users)
    reports_demo.load(partnership, users)
    assert (Action.objects.count(), YearlyReportDraft.objects.count()) == before


def test_the_demo_yearly_report_renders_in_every_format_with_its_charts(loaded, tmp_path):
    partnership, _ = loaded
    a, b = previous_financial_year(timezone.localdate())
    outputs = {}
    for fmt in ("html", "pdf", "docx", "xlsx"):
        out = tmp_path / f"report.{fmt}"
        call_command(
            "report",
            "yearly",
            "--from",
            a.isoformat(),
            "--to",
            b.isoformat(),
            "--format",
            fmt,
            "--out",
            str(out),
            "--partnership",
            partnership.slug,
        )
        outputs[fmt] = out.read_bytes()
    html = outputs["html"].decode()
    assert "Neglect and information sharing were again" in html  # the saved narrative
    # Notifications, rapid reviews, reviews, actions (the demo's learning points are recorded
    # today, so their themes count in this year's report, not last year's).
    assert html.count("data:image/svg+xml;base64,") >= 4
    assert "How counted" in html
    assert outputs["pdf"].startswith(b"%PDF")
    with zipfile.ZipFile(io.BytesIO(outputs["docx"])) as docx:
        images = [n for n in docx.namelist() if n.startswith("word/media/")]
        assert len(images) >= 4
        assert "Neglect and information sharing" in docx.read("word/document.xml").decode()
    assert outputs["xlsx"][:2] == b"PK"


def test_the_command_refuses_bad_input_and_writes_nothing(loaded, tmp_path):
    from django.core.management.base import CommandError

    slug = loaded[0].slug
    out = tmp_path / "r.html"
    for args, message in (
        (["--from", "2025-04-01", "--to", "2024-03-31", "--partnership", slug], "on or after"),
        (["--from", "31/03/2024", "--to", "2025-03-31", "--partnership", slug], "not a date"),
        (["--from", "2024-04-01", "--to", "2025-03-31"], "several partnerships"),
        (["--from", "2024-04-01", "--to", "2025-03-31", "--partnership", "nope"], "No partnership"),
    ):
        with pytest.raises(CommandError, match=message):
            call_command("report", "yearly", *args, "--format", "html", "--out", str(out))
    assert not out.exists()


def test_the_analyst_edits_the_narrative_previews_and_downloads_from_the_web(loaded, login):
    partnership, users = loaded
    client = login(users["analyst"])
    a, b = previous_financial_year(timezone.localdate())
    query = f"?date_from={a.isoformat()}&date_to={b.isoformat()}"
    default = client.get(reverse("reports:yearly")).content.decode()
    assert f'value="{a.isoformat()}"' in default and f'value="{b.isoformat()}"' in default
    form = client.get(reverse("reports:yearly_narrative") + query).content.decode()
    assert "Neglect and information sharing were again" in form
    response = client.post(
        reverse("reports:yearly_narrative") + query,
        {"introduction": "A new introduction.", "themes": "Neglect again."},
    )
    assert response.status_code == 302
    draft = YearlyReportDraft.objects.get(partnership=partnership, period_from=a, period_to=b)
    assert draft.narrative == {"introduction": "A new introduction.", "themes": "Neglect again."}
    page = client.get(reverse("reports:yearly") + query).content.decode()
    assert "A new introduction." in page and "data:image/svg+xml;base64," in page
    csv = client.get(reverse("reports:yearly_download", kwargs={"fmt": "csv"}) + query)
    assert csv.status_code == 200
    assert "Rapid reviews and timeliness" in csv.content.decode("utf-8-sig")
    docx = client.get(reverse("reports:yearly_download", kwargs={"fmt": "docx"}) + query)
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    bad = client.get(reverse("reports:yearly") + "?date_from=2025-04-01&date_to=2024-04-01")
    assert "The end of the period must be on or after its start." in bad.content.decode()


def test_the_dashboard_shows_each_chart_with_its_data_table(loaded, login):
    _, users = loaded
    page = login(users["manager"]).get(reverse("reports:dashboard")).content.decode()
    for title in (
        "Statutory clocks met and missed",
        "Cases by stage",
        "Cases by decision",
        "Most frequent themes by year",
        "Actions by lead agency and RAG status",
    ):
        assert title in page
        assert f"Data for the chart: {title}" in page
    lead = login(users["lead.police"]).get(reverse("reports:dashboard")).content.decode()
    assert "Actions by lead agency and RAG status" in lead
