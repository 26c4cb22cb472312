"""Demo briefings: a published thematic briefing and a 7-minute briefing, with acknowledgements."""

from importlib import resources

from reviewhub.accounts.models import Agency

from .document import parse_text
from .models import Briefing
from .services import briefing_acknowledge, briefing_create, briefing_publish


def _load(partnership, users, filename):
    text = resources.files("reviewhub.briefings").joinpath("data", filename).read_text()
    doc = parse_text(text)
    briefing = Briefing.objects.filter(partnership=partnership, title=doc.title).first()
    if briefing is None:
        briefing = briefing_create(partnership=partnership, doc=doc, user=users["analyst"])
    if briefing.status != "published":
        briefing_publish(
            briefing=briefing,
            user=users["analyst"],
            agencies=Agency.objects.filter(partnership=partnership),
        )
        briefing.refresh_from_db()
    return briefing


def load(partnership, users):
    thematic = _load(partnership, users, "demo-thematic.md")
    seven = _load(partnership, users, "demo-seven-minute.md")
    for briefing in (thematic, seven):
        briefing_acknowledge(
            briefing=briefing,
            user=users["practitioner"],
            answers={"thoughts": "We will ask about new adults in every home visit."},
        )
    briefing_acknowledge(briefing=thematic, user=users["lead.police"], answers={})
