"""Fictional demo cases at every stage, dated relative to today so the clocks stay meaningful
(the overdue rapid review stays overdue; the hold's review date stays due soon)."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from reviewhub.accounts.models import Agency
from reviewhub.calendar.selectors import working_calendar

from .choices import (
    AbuseCategory,
    CaseKind,
    Ethnicity,
    Nature,
    Outcome,
    Partner,
    Plan,
    PublicationMode,
    Sex,
)
from .models import (
    AgencySummary,
    Case,
    CaseAbuseCategory,
    CaseAgency,
    Child,
    Decision,
    LiaisonEntry,
    Notification,
    PartnerSignOff,
    ProceedingsHold,
    Publication,
    RapidReview,
    Review,
    ReviewExtension,
)
from .services import next_reference


def _agencies(partnership):
    found = {a.kind: a for a in Agency.objects.filter(partnership=partnership)}
    return found.get("la_childrens"), found.get("police"), found.get("health")


@transaction.atomic
def load(partnership, users) -> None:
    """Create the demo cases once (matched by title, so running again adds nothing)."""
    today = timezone.localdate()
    cal = working_calendar()

    def wd_ago(n):
        return cal.subtract_working_days(today, n)

    council, police, health = _agencies(partnership)
    involved = [a for a in (council, police) if a is not None]

    def new_case(title, awareness, *, kind=CaseKind.CHILD, nature=Nature.SERIOUS_HARM, **kw):
        if Case.objects.filter(partnership=partnership, title=title).exists():
            return None
        case = Case.objects.create(
            partnership=partnership,
            reference=next_reference(partnership, awareness.year),
            kind=kind,
            title=title,
            nature=nature,
            incident_date=kw.pop("incident", awareness - timedelta(days=1)),
            awareness_date=awareness,
            **kw,
        )
        for agency in involved:
            CaseAgency.objects.create(case=case, agency=agency)
        return case

    def tag(case, *categories):
        for category in categories:
            CaseAbuseCategory.objects.create(case=case, category=category)

    def child(case, label="Child A", **kw):
        defaults = {
            "age_years": 4,
            "sex": Sex.FEMALE,
            "ethnicity": Ethnicity.WHITE_BRITISH,
            "plan": Plan.CHILD_IN_NEED,
        }
        Child.objects.create(case=case, label=label, **{**defaults, **kw})

    def notified(case, day):
        Notification.objects.create(
            case=case, notified_on=day, notifier="Head of Safeguarding", notifier_agency=council
        )

    def rapid(case, start, completed=None):
        rr = RapidReview.objects.create(
            case=case,
            started_on=start,
            meeting_date=completed,
            completed_on=completed,
            immediate_learning="Information about the household was not shared at the point "
            "of referral."
            if completed
            else "",
            summary_outcome="The criteria for an LCSPR are met." if completed else "",
        )
        for agency in involved:
            AgencySummary.objects.create(
                rapid_review=rr,
                agency=agency,
                requested_on=start,
                received_on=start + timedelta(days=7) if completed else None,
            )
        return rr

    def decide(case, day, outcome=Outcome.LCSPR, signed=Partner.values, panel=True):
        panel = panel and case.kind == CaseKind.CHILD
        decision = Decision.objects.create(
            case=case,
            outcome=outcome,
            decided_on=day,
            criterion_a=outcome == Outcome.LCSPR,
            criterion_c=outcome == Outcome.LCSPR,
            reasons="Concerns about how agencies worked together; improvements needed.",
            panel_response="The Panel agrees a local review is appropriate." if panel else "",
            panel_response_on=day + timedelta(days=10) if panel else None,
        )
        if case.kind == CaseKind.CHILD:
            for partner in signed:
                PartnerSignOff.objects.create(
                    decision=decision, partner=partner, signed_by="Director", signed_on=day
                )
        return decision

    def review(case, decision, *, reviewer=None, start=None, completed=None):
        start = start or decision.decided_on + timedelta(days=14)
        return Review.objects.create(
            case=case,
            partnership=partnership,
            review_type=decision.review_type,
            title=f"{case.reference} {case.title}",
            methodology="SCIE Learning Together",
            lead_reviewer=reviewer,
            terms_of_reference="Multi-agency response to neglect; information sharing.",
            family_offered=True,
            family_taken_up=True,
            started_on=start,
            target_on=decision.decided_on + relativedelta(months=6),
            completed_on=completed,
        )

    # 1. Just became aware: notification due within 5 working days.
    case = new_case("Child A, infant head injury", wd_ago(2), nature=Nature.SERIOUS_HARM)
    if case:
        child(case, age_years=0, age_months=4, sex=Sex.MALE)
        tag(case, AbuseCategory.PHYSICAL)

    # 2. Overdue rapid review: notified 20 working days ago, no outcome yet.
    case = new_case("Child B, neglect", wd_ago(24))
    if case:
        child(case, age_years=9)
        child(case, label="Child C", age_years=6, sex=Sex.MALE)
        tag(case, AbuseCategory.NEGLECT)
        notified(case, wd_ago(20))
        rapid(case, wd_ago(19))

    # 3. Decision awaiting the police and ICB sign-off.
    case = new_case("Child D, adolescent exploitation", wd_ago(40))
    if case:
        child(case, age_years=15, ethnicity=Ethnicity.MIXED_WHITE_CARIBBEAN)
        tag(case, AbuseCategory.CCE, AbuseCategory.CSE)
        notified(case, wd_ago(37))
        rapid(case, wd_ago(36), completed=wd_ago(24))
        decide(case, wd_ago(22), signed=[Partner.LOCAL_AUTHORITY], panel=False)

    # 4. LCSPR in progress, led by the demo reviewer, extended once.
    case = new_case("Child E, domestic abuse", today - timedelta(days=120))
    if case:
        child(case, age_years=11, sex=Sex.MALE, ethnicity=Ethnicity.BLACK_AFRICAN)
        tag(case, AbuseCategory.DOMESTIC_ABUSE, AbuseCategory.EMOTIONAL)
        notified(case, case.awareness_date + timedelta(days=3))
        rapid(case, case.awareness_date + timedelta(days=3), completed=today - timedelta(days=95))
        decision = decide(case, today - timedelta(days=90))
        rev = review(case, decision, reviewer=users.get("reviewer"))
        ReviewExtension.objects.create(
            review=rev,
            agreed_on=today - timedelta(days=10),
            new_target_on=rev.target_on + relativedelta(months=2),
            reason="Family asked for more time to contribute.",
        )

    # 5. LCSPR completed and held while criminal proceedings run.
    case = new_case("Child F, fatal assault", today - relativedelta(months=14), nature=Nature.DEATH)
    if case:
        child(case, age_years=2, looked_after=False, plan=Plan.CHILD_PROTECTION)
        tag(case, AbuseCategory.PHYSICAL)
        notified(case, case.awareness_date + timedelta(days=2))
        rapid(
            case,
            case.awareness_date + timedelta(days=2),
            completed=case.awareness_date + timedelta(days=20),
        )
        decision = decide(case, case.awareness_date + timedelta(days=25))
        rev = review(case, decision, completed=today - relativedelta(months=3))
        hold = ProceedingsHold.objects.create(
            review=rev,
            started_on=today - relativedelta(months=3),
            review_on=cal.add_working_days(today, 5),
            reason="Trial listed at the Crown Court; CPS asked for publication to wait.",
        )
        LiaisonEntry.objects.create(
            hold=hold,
            contacted_on=today - relativedelta(months=1),
            with_whom="CPS case lawyer",
            note="Trial date confirmed; review the hold after the verdict.",
        )

    # 6. Published LCSPR.
    case = new_case("Child G, chronic neglect", today - relativedelta(months=16))
    if case:
        child(case, age_years=7, disability="yes")
        tag(case, AbuseCategory.NEGLECT)
        notified(case, case.awareness_date + timedelta(days=3))
        rapid(
            case,
            case.awareness_date + timedelta(days=3),
            completed=case.awareness_date + timedelta(days=21),
        )
        decision = decide(case, case.awareness_date + timedelta(days=24))
        rev = review(case, decision, completed=decision.decided_on + relativedelta(months=5))
        published = decision.decided_on + relativedelta(months=6) - timedelta(days=3)
        published = min(published, today)
        Publication.objects.create(
            review=rev,
            mode=PublicationMode.FULL,
            notice_sent_on=cal.subtract_working_days(published, 10),
            planned_on=published,
            published_on=published,
            address="https://northshire.example/reviews/child-g.pdf",
            remove_after=published + relativedelta(years=1),
        )

    # 7. Legacy SCR, entered with its own dates, published in 2018.
    case = new_case(
        "Child H (legacy SCR)",
        today.replace(year=2017, month=3, day=6),
        kind=CaseKind.LEGACY_SCR,
        nature=Nature.DEATH,
    )
    if case:
        decision = decide(case, case.awareness_date + timedelta(days=30), outcome=Outcome.SCR)
        rev = review(case, decision, completed=case.awareness_date + relativedelta(months=9))
        Publication.objects.create(
            review=rev,
            mode=PublicationMode.IMPROVEMENTS_ONLY,
            reason="A surviving sibling could be identified from the full report.",
            notice_sent_on=rev.completed_on + timedelta(days=14),
            published_on=rev.completed_on + timedelta(days=30),
            address="https://northshire.example/reviews/scr-child-h.pdf",
            remove_after=rev.completed_on + relativedelta(years=1, days=30),
        )

    # 8. SAR: referral, discretionary decision, review in progress (no 5/15-day clocks).
    case = new_case("Adult J, self-neglect", today - timedelta(days=70), kind=CaseKind.ADULT_SAR)
    if case:
        decision = decide(case, today - timedelta(days=50), outcome=Outcome.SAR_DISCRETIONARY)
        review(case, decision)

    # 9. Closed after a rapid review found no further review was needed.
    case = new_case("Child K, no further review", today - relativedelta(months=5))
    if case:
        child(case, age_years=16, sex=Sex.MALE)
        notified(case, case.awareness_date + timedelta(days=2))
        rapid(
            case,
            case.awareness_date + timedelta(days=2),
            completed=case.awareness_date + timedelta(days=18),
        )
        decide(case, case.awareness_date + timedelta(days=20), outcome=Outcome.NO_FURTHER_REVIEW)
        case.closed_on = case.awareness_date + timedelta(days=40)
        case.save(update_fields=["closed_on"])

    # 10. A looked-after child's death with no abuse or neglect suspected: notified to the
    # Secretary of State and Ofsted (not under s16C); rapid review criteria recorded as not met.
    case = new_case("Child L, looked-after death", wd_ago(12), nature=Nature.DEATH)
    if case:
        child(case, age_years=14, looked_after=True, plan=Plan.NONE)
        Notification.objects.create(
            case=case,
            notified_on=wd_ago(11),
            notifier="Head of Safeguarding",
            notifier_agency=council,
            under_s16c=False,
            abuse_suspected=False,
            looked_after_death=True,
            criteria_not_met_on=wd_ago(9),
            criteria_not_met_reason="Expected death from a life-limiting condition; no abuse "
            "or neglect known or suspected.",
            criteria_not_met_by=users.get("manager"),
        )
