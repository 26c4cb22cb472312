"""API endpoints over cases, learning, themes and briefings: the same selectors and access rule
as the pages. Every list is paginated (``limit``/``offset``); every read of case records (and a
list holding unpublished learning) is audited; a record the token's user may not see answers
404, like one that does not exist."""

from datetime import date

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from reviewhub.accounts.access import Action
from reviewhub.accounts.models import Partnership
from reviewhub.audit.choices import AuditAction
from reviewhub.audit.services import audit_event_record

from .inputs import QueryIn

router = Router()


class ErrorOut(Schema):
    detail: str


class InvalidOut(Schema):
    detail: str
    errors: list[dict]


# Every endpoint documents its error answers, so clients (and schema checks) know them.
ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: InvalidOut}


def _partnership(request) -> Partnership:
    if request.partnership_id is None:
        raise Http404("No partnership.")
    return Partnership.objects.get(pk=request.partnership_id)


# --- Cases ---------------------------------------------------------------------------------------


class ClockOut(Schema):
    name: str
    due: date | None
    stopped: date | None
    status: str
    working_days_left: int | None
    label: str


class CaseOut(Schema):
    id: int
    reference: str
    title: str
    kind: str
    stage: str
    incident_date: date | None
    awareness_date: date | None
    closed_on: date | None


class CaseDetailOut(CaseOut):
    clocks: list[ClockOut]


def _case_out(case, clocks=None) -> dict:
    data = {
        "id": case.pk,
        "reference": case.reference,
        "title": case.title,
        "kind": case.kind,
        "stage": str(case.stage),
        "incident_date": case.incident_date,
        "awareness_date": case.awareness_date,
        "closed_on": case.closed_on,
    }
    if clocks is not None:
        data["clocks"] = [
            {
                "name": c.name,
                "due": c.due,
                "stopped": c.stopped,
                "status": str(c.status),
                "working_days_left": c.working_days_left,
                "label": c.label,
            }
            for c in clocks
        ]
    return data


@router.get(
    "/cases", response={200: list[CaseOut], **ERRORS}, tags=["cases"], summary="Cases you may see"
)
@paginate(LimitOffsetPagination)
def cases(request):
    from reviewhub.cases.selectors import case_queryset

    qs = (
        case_queryset()
        .restrict(request.user, Action.VIEW)
        .filter(partnership_id=request.partnership_id)
    )
    # A list of case records is audited as a search, as the case register page is.
    audit_event_record(action=AuditAction.SEARCH, object_type="cases.case", detail="api case list")
    return [_case_out(c) for c in qs]


@router.get(
    "/cases/{case_id}", response={200: CaseDetailOut, **ERRORS}, tags=["cases"], summary="One case"
)
def case(request, case_id: int):
    from reviewhub.cases.selectors import case_clocks, case_get

    found = case_get(user=request.user, pk=case_id)
    return _case_out(found, case_clocks(found))


# --- Learning ------------------------------------------------------------------------------------


class PointFilters(QueryIn):
    theme: str | None = Field(None, max_length=80, pattern=r"^[a-z0-9][a-z0-9-]*$")
    year: int | None = Field(None, ge=1900, le=2100)
    review_type: str | None = Field(None, max_length=30, pattern=r"^[A-Za-z][A-Za-z ]*$")
    published: bool | None = None


class PointOut(Schema):
    id: int
    external_id: str
    heading: str
    learned: str
    action: str
    year: int | None
    review_type: str
    published: bool
    circumstances: list[str]
    practice: list[str]


def _point_out(point) -> dict:
    from reviewhub.learning.choices import CONFIRMED_SOURCES

    codes = [
        c for c in point.codes.all() if c.exercise_id is None and c.source in CONFIRMED_SOURCES
    ]
    return {
        "id": point.pk,
        "external_id": point.external_id or str(point.pk),
        "heading": point.heading,
        "learned": point.learned,
        "action": point.action,
        "year": point.source.year,
        "review_type": point.source.review_type,
        "published": point.published,
        "circumstances": [c.theme.theme_id for c in codes if c.theme.axis == "circumstances"],
        "practice": [c.theme.theme_id for c in codes if c.theme.axis == "practice"],
    }


@router.get(
    "/learning-points",
    response={200: list[PointOut], **ERRORS},
    tags=["learning"],
    summary="Learning points",
)
@paginate(LimitOffsetPagination)
def learning_points(request, filters: Query[PointFilters]):
    from reviewhub.learning.selectors import (
        clean_filters,
        learning_list_audit,
        learning_point_list,
    )

    raw = {k: v for k, v in filters.dict().items() if v is not None}
    if "year" in raw:
        raw["year"] = str(raw["year"])
    if "published" in raw:
        raw["published"] = "yes" if raw["published"] else "no"
    qs = learning_point_list(user=request.user, filters=clean_filters(raw)).prefetch_related(
        "codes__theme"
    )
    learning_list_audit(points=qs, filters=raw, detail="api learning list")
    return [_point_out(p) for p in qs]


@router.get(
    "/learning-points/{point_id}",
    response={200: PointOut, **ERRORS},
    tags=["learning"],
    summary="One point",
)
def learning_point(request, point_id: int):
    from reviewhub.learning.selectors import learning_point_get

    return _point_out(learning_point_get(user=request.user, pk=point_id))


# --- Themes --------------------------------------------------------------------------------------


class ThemeOut(Schema):
    id: str
    axis: str
    label: str
    definition: str
    retired: bool


class SuggestIn(Schema):
    heading: str = Field("", max_length=1000)
    learned: str = Field(..., min_length=1, max_length=20000)
    action: str = Field("", max_length=20000)


class SuggestedTheme(Schema):
    id: str
    score: float
    selected: bool
    reason: str


class SuggestOut(Schema):
    circumstances: list[SuggestedTheme]
    practice: list[SuggestedTheme]


@router.get(
    "/themes", response={200: list[ThemeOut], **ERRORS}, tags=["themes"], summary="The taxonomy"
)
def themes(request):
    from reviewhub.learning.selectors import themes_for

    return [
        {
            "id": t.theme_id,
            "axis": t.axis,
            "label": t.label,
            "definition": t.definition,
            "retired": t.retired,
        }
        for t in themes_for(_partnership(request))
    ]


@router.post(
    "/themes/suggest",
    response={200: SuggestOut, **ERRORS},
    tags=["themes"],
    summary="Suggest themes for a text (writes nothing)",
)
def suggest(request, body: SuggestIn):
    from reviewhub.learning.engine import get_engine

    answer = get_engine(_partnership(request)).suggest(body.heading, body.learned, body.action)
    return {
        axis: [
            {"id": s.theme_id, "score": s.score, "selected": s.selected, "reason": s.reason}
            for s in answer.get(axis, [])
        ]
        for axis in ("circumstances", "practice")
    }


# --- Briefings -----------------------------------------------------------------------------------


class BriefingOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    published_at: str | None


class BriefingDetailOut(BriefingOut):
    markdown: str


def _briefing_out(b) -> dict:
    return {
        "id": b.pk,
        "title": b.title,
        "kind": b.kind,
        "status": b.status,
        "published_at": b.published_at.isoformat() if b.published_at else None,
    }


@router.get(
    "/briefings",
    response={200: list[BriefingOut], **ERRORS},
    tags=["briefings"],
    summary="Briefings",
)
@paginate(LimitOffsetPagination)
def briefings(request):
    from reviewhub.briefings.selectors import briefing_list

    return [_briefing_out(b) for b in briefing_list(user=request.user)]


@router.get(
    "/briefings/{briefing_id}",
    response={200: BriefingDetailOut, **ERRORS},
    tags=["briefings"],
    summary="One briefing, as Markdown",
)
def briefing(request, briefing_id: int):
    from reviewhub.briefings.selectors import briefing_get
    from reviewhub.briefings.services import briefing_text

    found = briefing_get(user=request.user, pk=briefing_id)
    return {**_briefing_out(found), "markdown": briefing_text(found)}
