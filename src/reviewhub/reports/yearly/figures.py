"""The counts behind the yearly report, and the report built from them.

``YearlyFigures`` is a plain record of numbers and short lists. The database layer counts them
(within the partnership, for the period) and this module lays them out as sections, tables and
charts, each table saying how its figures were counted. Keeping the counting out of here lets
the layout be tested with hand-made figures and lets the counting be tested against the
database on its own.

The section list follows what a yearly report must contain: for children, Working Together
2023 (priorities, learning, impact, evidence, improvement) and the content the 2018 guidance
asked for (evidence of impact, areas of little progress, decisions and actions taken on local
and national reviews and the improvements that resulted, use of feedback from children and
families); for adults, Care Act 2014 Schedule 2 paragraph 4 (what the board and each member
did, findings of SARs concluded in the year, SARs ongoing, implementation of findings and the
reasons for not implementing any finding).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from reviewhub.actions.rag import RAG_COLOURS, RAG_LABELS, RAG_ORDER
from reviewhub.reports.charts import make_chart

from .model import ADULTS, CHILDREN, Section, Table, YearlyReport, format_date, paragraphs

#: Labels for the notification types the cases app stores.
NOTIFICATION_TYPES = {"death": "Death", "serious_harm": "Serious harm", "other": "Other"}

#: How many themes the chart shows; the table lists them all.
THEMES_IN_CHART = 10

#: How many actions the document lists per table; the spreadsheet version lists all.
LISTED_IN_REPORT = 40


@dataclass
class ImpactEntry:
    """A completed action with its evidence of impact."""

    recommendation: str
    action: str
    agency: str
    evidence: str
    scope: str = ""
    completed: date | None = None


@dataclass
class ProgressEntry:
    """An action making little progress: red, or amber for long."""

    recommendation: str
    action: str
    agency: str
    target_date: date | None = None
    reason: str = ""


@dataclass
class BriefingReach:
    """A briefing disseminated in the year and how far it reached."""

    title: str
    sent: int
    opened: int
    acknowledged: int
    issued: date | None = None


@dataclass
class SarConcluded:
    """A Safeguarding Adults Review concluded in the year and its findings."""

    title: str
    findings: str
    concluded: date | None = None


@dataclass
class SarOngoing:
    """A Safeguarding Adults Review still under way at the end of the year."""

    title: str
    stage: str
    started: date | None = None


@dataclass
class FindingNotImplemented:
    """A review finding the board decided not to implement, and why (Care Act Sch 2)."""

    review: str
    finding: str
    reason: str


@dataclass
class YearlyFigures:
    """Everything the yearly report counts, for one partnership and one period.

    Mappings keep their insertion order in tables and charts, except themes, which are
    ordered by this year's count. List fields accept the dataclasses above or plain tuples in
    the same field order. ``how_counted`` overrides the default note of a section by key.
    """

    partnership_name: str
    period_from: date
    period_to: date
    kind: str = CHILDREN
    notifications_by_type: Mapping[str, int] = field(default_factory=dict)
    notifications_previous: Mapping[str, int] | None = None
    notifications_looked_after: int | None = None
    rapid_reviews_completed: int = 0
    rapid_reviews_within_15_days: int = 0
    decisions_by_outcome: Mapping[str, int] = field(default_factory=dict)
    reviews_started: int = 0
    reviews_completed: int = 0
    reviews_completed_within_6_months: int | None = None
    reviews_published: int = 0
    reviews_held: int = 0
    learning_points_coded: int | None = None
    themes: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    actions_by_agency_rag: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    actions_with_impact: Sequence[ImpactEntry | tuple] = ()
    actions_little_progress: Sequence[ProgressEntry | tuple] = ()
    briefings: Sequence[BriefingReach | tuple] = ()
    sars_concluded: Sequence[SarConcluded | tuple] = ()
    sars_ongoing: Sequence[SarOngoing | tuple] = ()
    findings_not_implemented: Sequence[FindingNotImplemented | tuple] = ()
    how_counted: Mapping[str, str] = field(default_factory=dict)
    counted_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.kind not in (CHILDREN, ADULTS):
            raise ValueError(f"kind must be children or adults, not {self.kind!r}")
        if self.rapid_reviews_within_15_days > self.rapid_reviews_completed:
            raise ValueError("more rapid reviews in time than completed")
        for name, kind in (
            ("actions_with_impact", ImpactEntry),
            ("actions_little_progress", ProgressEntry),
            ("briefings", BriefingReach),
            ("sars_concluded", SarConcluded),
            ("sars_ongoing", SarOngoing),
            ("findings_not_implemented", FindingNotImplemented),
        ):
            items = [i if isinstance(i, kind) else kind(*i) for i in getattr(self, name)]
            setattr(self, name, items)
        for agency, by_rag in self.actions_by_agency_rag.items():
            unknown = set(by_rag) - set(RAG_ORDER)
            if unknown:
                raise ValueError(f"{agency}: unknown RAG keys {sorted(unknown)}")


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "-"


def _period(fig: YearlyFigures) -> str:
    return f"from {format_date(fig.period_from)} to {format_date(fig.period_to)}"


def _previous_label(fig: YearlyFigures) -> str:
    a = fig.period_from
    if (a.month, a.day) == (4, 1):
        return f"{a.year - 1} to {a.year}"
    return "Previous year"


def _this_label(fig: YearlyFigures) -> str:
    a, b = fig.period_from, fig.period_to
    if (a.month, a.day) == (4, 1) and b.year == a.year + 1:
        return f"{a.year} to {b.year}"
    return "This year"


class _Builder:
    def __init__(self, fig: YearlyFigures, limit: int):
        self.fig = fig
        self.limit = limit
        self.sections: list[Section] = []

    def listed(self, n: int) -> str:
        if n <= self.limit:
            return ""
        return (
            f" This report lists the first {self.limit} of {n}; the spreadsheet version lists "
            "them all."
        )

    def note(self, key: str, default: str) -> str:
        return self.fig.how_counted.get(key, default)

    def add(self, key: str, title: str, guidance: str, tables=()) -> Section:
        section = Section(key=key, title=title, guidance=guidance, tables=list(tables))
        self.sections.append(section)
        return section

    # Sections shared by both kinds -------------------------------------------------------

    def introduction(self) -> None:
        board = "board" if self.fig.kind == ADULTS else "partnership"
        self.add(
            "introduction",
            "About this report",
            f"Introduce the {board}, its priorities for the year and what this report covers; "
            "say what changed for children, adults and families as a result of its work.",
        )

    def at_a_glance(self) -> None:
        f = self.fig
        rows: list[list] = []
        if f.kind == CHILDREN:
            rows.append(["Serious incident notifications", sum(f.notifications_by_type.values())])
            rows.append(["Rapid reviews completed", f.rapid_reviews_completed])
            rows.append(
                [
                    "Rapid reviews completed within 15 working days",
                    _percent(f.rapid_reviews_within_15_days, f.rapid_reviews_completed),
                ]
            )
            review = "Local child safeguarding practice reviews"
        else:
            rows.append(
                [
                    "Referrals for a Safeguarding Adults Review",
                    sum(f.notifications_by_type.values()),
                ]
            )
            review = "Safeguarding Adults Reviews"
        rows += [
            [f"{review} started", f.reviews_started],
            [f"{review} completed", f.reviews_completed],
            [f"{review} published", f.reviews_published],
            ["Actions completed with evidence of impact", len(f.actions_with_impact)],
            ["Briefings disseminated", len(f.briefings)],
        ]
        table = Table(
            caption=f"Key figures, {_period(f)}",
            columns=["Measure", "Number"],
            rows=rows,
            how_counted=self.note(
                "at_a_glance",
                "Each figure is counted as described in its own section of this report.",
            ),
        )
        self.add("at_a_glance", "The year at a glance", "", [table])

    def themes(self) -> None:
        f = self.fig
        ordered = sorted(f.themes.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))
        this, prev = _this_label(f), _previous_label(f)
        rows = [[label, a, b, _signed(a - b)] for label, (a, b) in ordered]
        top = ordered[:THEMES_IN_CHART]
        chart = None
        if top:
            chart = make_chart(
                "bar",
                f"The {len(top)} most frequent themes, this year and last",
                [label for label, _ in top],
                {this: [a for _, (a, _) in top], prev: [b for _, (_, b) in top]},
                horizontal=True,
                category_label="Theme",
                value_label="Learning points",
            )
        coded = (
            f" {f.learning_points_coded} learning points were coded this year."
            if f.learning_points_coded is not None
            else ""
        )
        table = Table(
            caption="Themes of the year against the previous year",
            columns=["Theme", this, prev, "Change"],
            rows=rows,
            chart=chart,
            how_counted=self.note(
                "themes",
                "Learning points from reviews in the year whose theme codes an analyst has "
                "confirmed, counted once per theme; a learning point with several themes counts "
                "under each. Suggested codes not yet confirmed are not counted." + coded,
            ),
        )
        self.add(
            "themes",
            "Themes of the year",
            "Say which themes came up most, what is new against last year, and why.",
            [table],
        )

    def actions(self, key: str, title: str, guidance: str) -> None:
        f = self.fig
        agencies = list(f.actions_by_agency_rag)
        present = [r for r in RAG_ORDER if any(f.actions_by_agency_rag[a].get(r) for a in agencies)]
        rags = present or list(RAG_ORDER[:3])
        rows = []
        for agency in agencies:
            counts = [f.actions_by_agency_rag[agency].get(r, 0) for r in rags]
            rows.append([agency, *counts, sum(counts)])
        if rows:
            totals = [sum(row[i] for row in rows) for i in range(1, len(rags) + 2)]
            rows.append(["All agencies", *totals])
        chart = None
        if agencies:
            chart = make_chart(
                "bar",
                "Actions by lead agency and RAG status",
                agencies,
                {
                    RAG_LABELS[r]: [f.actions_by_agency_rag[a].get(r, 0) for a in agencies]
                    for r in rags
                },
                stacked=True,
                horizontal=True,
                colours=[RAG_COLOURS[r] for r in rags],
                category_label="Lead agency",
                value_label="Actions",
            )
        table = Table(
            caption=f"Actions by lead agency and RAG status on {format_date(f.period_to)}",
            columns=["Lead agency", *[RAG_LABELS[r] for r in rags], "Total"],
            rows=rows,
            chart=chart,
            total_row=bool(rows),
            how_counted=self.note(
                "actions",
                "Actions open at any time in the year, by lead agency, with the RAG status "
                f"they had on {format_date(f.period_to)}: red when past the target date and not "
                "complete; amber when a milestone is overdue, the target is near and progress "
                "is behind, or completion lacks evidence; green when on track; blue when "
                "complete with evidence of impact; grey when not yet started. A status set by "
                "hand, with its reason, counts as set.",
            ),
        )
        self.add(key, title, guidance, [table])

    def impact(self) -> None:
        f = self.fig
        # Most recent first, so a shortened list shows the year's latest evidence.
        entries = sorted(
            f.actions_with_impact,
            key=lambda e: (e.completed is None, -(e.completed or date.min).toordinal()),
        )
        rows = [[e.recommendation, e.action, e.agency, e.evidence, e.completed] for e in entries]
        table = Table(
            caption="Actions completed in the year with evidence of impact",
            columns=["Recommendation", "Action", "Lead agency", "Evidence of impact", "Completed"],
            rows=rows,
            how_counted=self.note(
                "impact",
                f"Actions whose completion was signed off by the business unit {_period(f)}, "
                "with the evidence of impact recorded against each, most recent first. Actions "
                "completed without evidence are not counted as complete." + self.listed(len(rows)),
            ),
            display_limit=self.limit,
        )
        local_national = (
            "local and national review recommendations"
            if f.kind == CHILDREN
            else "the findings of Safeguarding Adults Reviews"
        )
        self.add(
            "impact",
            "Evidence of impact",
            f"Describe the decisions and actions taken to implement {local_national}, "
            "and the improvements that resulted, with the evidence.",
            [table],
        )

    def little_progress(self) -> None:
        f = self.fig
        # Longest overdue first.
        entries = sorted(
            f.actions_little_progress,
            key=lambda e: (e.target_date is None, e.target_date or date.max),
        )
        rows = [[e.recommendation, e.action, e.agency, e.target_date, e.reason] for e in entries]
        table = Table(
            caption="Actions making little progress",
            columns=["Recommendation", "Action", "Lead agency", "Target date", "Why"],
            rows=rows,
            how_counted=self.note(
                "little_progress",
                f"Actions that were red on {format_date(f.period_to)}: past their target date "
                "and not complete with evidence, longest overdue first." + self.listed(len(rows)),
            ),
            display_limit=self.limit,
        )
        self.add(
            "little_progress",
            "Areas of little progress",
            "Say where progress has been slow, why, and what the partnership will do about it.",
            [table],
        )

    def briefings(self) -> None:
        f = self.fig
        rows = [
            [b.title, b.issued, b.sent, b.opened, b.acknowledged, _percent(b.acknowledged, b.sent)]
            for b in f.briefings
        ]
        if rows:
            sent = sum(b.sent for b in f.briefings)
            acked = sum(b.acknowledged for b in f.briefings)
            opened = sum(b.opened for b in f.briefings)
            rows.append(["All briefings", None, sent, opened, acked, _percent(acked, sent)])
        table = Table(
            caption="Briefings disseminated and their reach",
            columns=["Briefing", "Issued", "Sent to", "Opened", "Acknowledged", "Acknowledged (%)"],
            rows=rows,
            total_row=bool(rows),
            how_counted=self.note(
                "briefings",
                f"Briefings issued {_period(f)}. Sent to counts the people it was sent to; opened "
                "and acknowledged count each person once, however often they opened it.",
            ),
        )
        self.add(
            "briefings",
            "Learning disseminated",
            "Say how learning was shared (briefings, events, training) and how it was used.",
            [table],
        )

    def feedback(self) -> None:
        who = "adults and their families" if self.fig.kind == ADULTS else "children and families"
        self.add(
            "feedback",
            f"Feedback from {who}",
            f"Say how feedback from {who} was sought and how it shaped the work.",
        )

    def priorities(self) -> None:
        self.add(
            "priorities",
            "Priorities for next year",
            "Set out next year's priorities and how progress will be evidenced.",
        )

    # Children only -----------------------------------------------------------------------

    def notifications(self) -> None:
        f = self.fig
        labels = [NOTIFICATION_TYPES.get(k, k) for k in f.notifications_by_type]
        this = list(f.notifications_by_type.values())
        this_label = _this_label(f)
        series = {this_label: this}
        columns = ["Type", this_label]
        rows = [[label, n] for label, n in zip(labels, this, strict=True)]
        if f.notifications_previous is not None:
            prev = [f.notifications_previous.get(k, 0) for k in f.notifications_by_type]
            series[_previous_label(f)] = prev
            columns.append(_previous_label(f))
            for row, p in zip(rows, prev, strict=True):
                row.append(p)
        if rows:
            rows.append(["All notifications", *[sum(v) for v in series.values()]])
        chart = (
            make_chart(
                "bar",
                "Serious incident notifications by type",
                labels,
                series,
                category_label="Type",
                value_label="Notifications",
            )
            if labels
            else None
        )
        looked_after = (
            f" {f.notifications_looked_after} of them concerned children looked after."
            if f.notifications_looked_after is not None
            else ""
        )
        table = Table(
            caption="Serious incident notifications by type",
            columns=columns,
            rows=rows,
            chart=chart,
            total_row=bool(rows),
            how_counted=self.note(
                "notifications",
                f"Notifications made to the Child Safeguarding Practice Review Panel {_period(f)}, "
                "by the date of notification, one per child, by the type recorded on the "
                "notification." + looked_after,
            ),
        )
        self.add(
            "notifications",
            "Serious incident notifications",
            "Comment on the number and kinds of notification against last year.",
            [table],
        )

    def rapid_reviews(self) -> None:
        f = self.fig
        done, in_time = f.rapid_reviews_completed, f.rapid_reviews_within_15_days
        rows = [
            ["Rapid reviews completed", done],
            ["Within 15 working days", in_time],
            ["Later than 15 working days", done - in_time],
            ["Completed within 15 working days (%)", _percent(in_time, done)],
        ]
        chart = make_chart(
            "bar",
            "Rapid reviews completed within and after 15 working days",
            ["Within 15 working days", "Later"],
            {"Rapid reviews": [in_time, done - in_time]},
            category_label="Timeliness",
            value_label="Rapid reviews",
        )
        table = Table(
            caption="Rapid reviews and timeliness",
            columns=["Measure", "Number"],
            rows=rows,
            chart=chart,
            how_counted=self.note(
                "rapid_reviews",
                f"Rapid reviews sent to the Panel {_period(f)}. In time means sent within 15 "
                "working days of the partnership learning of the incident, counting working "
                "days (Monday to Friday, not bank holidays in England and Wales) after that "
                "day.",
            ),
        )
        self.add(
            "rapid_reviews",
            "Rapid reviews and timeliness",
            "Explain any rapid reviews that took longer than 15 working days and what was done.",
            [table],
        )

    def decisions(self, title: str, what: str) -> None:
        f = self.fig
        labels = list(f.decisions_by_outcome)
        counts = list(f.decisions_by_outcome.values())
        rows = [[label, n] for label, n in zip(labels, counts, strict=True)]
        if rows:
            rows.append(["All decisions", sum(counts)])
        chart = (
            make_chart(
                "bar",
                title,
                labels,
                {"Decisions": counts},
                category_label="Decision",
                value_label="Decisions",
                horizontal=len(labels) > 4,
            )
            if labels
            else None
        )
        table = Table(
            caption=title,
            columns=["Decision", "Number"],
            rows=rows,
            chart=chart,
            total_row=bool(rows),
            how_counted=self.note("decisions", f"{what} {_period(f)}, by the decision recorded."),
        )
        self.add("decisions", title, "Say what decided whether a review was held.", [table])

    def reviews(self, name: str, key_guidance: str) -> None:
        f = self.fig
        rows = [
            ["Started", f.reviews_started],
            ["Completed", f.reviews_completed],
        ]
        if f.kind == CHILDREN and f.reviews_completed_within_6_months is not None:
            rows.append(["Completed within 6 months", f.reviews_completed_within_6_months])
        rows += [
            ["Published", f.reviews_published],
            ["Held back from publication for criminal proceedings", f.reviews_held],
        ]
        chart = make_chart(
            "bar",
            f"{name} started, completed and published",
            ["Started", "Completed", "Published", "Held for criminal proceedings"],
            {
                "Reviews": [
                    f.reviews_started,
                    f.reviews_completed,
                    f.reviews_published,
                    f.reviews_held,
                ]
            },
            category_label="Stage",
            value_label="Reviews",
        )
        six = (
            " Completed within 6 months counts reviews completed within six months of the "
            "decision to hold them."
            if f.kind == CHILDREN
            else ""
        )
        table = Table(
            caption=f"{name} started, completed and published",
            columns=["Stage", "Number"],
            rows=rows,
            chart=chart,
            how_counted=self.note(
                "reviews",
                f"Reviews whose start (the decision to hold one), completion (the final report "
                f"agreed) or publication fell {_period(f)}; held counts reviews complete but not "
                "published at the end of the year because of criminal proceedings." + six,
            ),
        )
        self.add("reviews", name, key_guidance, [table])

    # Adults only -------------------------------------------------------------------------

    def referrals(self) -> None:
        f = self.fig
        labels = list(f.notifications_by_type)
        counts = list(f.notifications_by_type.values())
        rows = [[label, n] for label, n in zip(labels, counts, strict=True)]
        if rows:
            rows.append(["All referrals", sum(counts)])
        table = Table(
            caption="Referrals for a Safeguarding Adults Review",
            columns=["Referred by", "Number"],
            rows=rows,
            total_row=bool(rows),
            how_counted=self.note(
                "referrals", f"Referrals received {_period(f)}, by the referring agency."
            ),
        )
        self.add(
            "referrals",
            "Referrals for a Safeguarding Adults Review",
            "Comment on the number and source of referrals.",
            [table],
        )

    def sars_concluded(self) -> None:
        f = self.fig
        table = Table(
            caption="Safeguarding Adults Reviews concluded in the year and their findings",
            columns=["Review", "Concluded", "Findings"],
            rows=[[s.title, s.concluded, s.findings] for s in f.sars_concluded],
            how_counted=self.note(
                "sars_concluded", f"Reviews whose final report the board agreed {_period(f)}."
            ),
        )
        self.add(
            "sars_concluded",
            "Findings of reviews concluded in the year",
            "Summarise what the concluded reviews found.",
            [table],
        )

    def sars_ongoing(self) -> None:
        f = self.fig
        table = Table(
            caption="Safeguarding Adults Reviews ongoing at the end of the year",
            columns=["Review", "Started", "Stage"],
            rows=[[s.title, s.started, s.stage] for s in f.sars_ongoing],
            how_counted=self.note(
                "sars_ongoing",
                f"Reviews started but not concluded on {format_date(f.period_to)}.",
            ),
        )
        self.add("sars_ongoing", "Reviews ongoing", "", [table])

    def not_implemented(self) -> None:
        f = self.fig
        table = Table(
            caption="Findings the board decided not to implement, with its reasons",
            columns=["Review", "Finding", "Reason for not implementing"],
            rows=[[x.review, x.finding, x.reason] for x in f.findings_not_implemented],
            how_counted=self.note(
                "findings_not_implemented",
                f"Findings recorded as not to be implemented {_period(f)}, with the reason the "
                "board recorded (Care Act 2014, Schedule 2, paragraph 4).",
            ),
        )
        self.add(
            "findings_not_implemented",
            "Findings not implemented",
            "Explain each decision not to implement a finding.",
            [table],
        )

    def members(self) -> None:
        self.add(
            "members",
            "What each member did",
            "Set out what the board and each of its members did to implement its strategy "
            "(Care Act 2014, Schedule 2, paragraph 4).",
        )


def _signed(n: int) -> str:
    return f"+{n}" if n > 0 else str(n)


def build_yearly_report(
    data: YearlyFigures,
    narrative: Mapping[str, str | Sequence[str]] | None = None,
    *,
    list_limit: int = LISTED_IN_REPORT,
) -> YearlyReport:
    """Lay out the figures as a yearly report and insert the analyst's narrative by section key.

    ``narrative`` maps section keys (see ``SECTION_KEYS``) to a string (paragraphs separated
    by blank lines) or a list of paragraphs. Lists of actions show at most ``list_limit``
    rows in the document; the XLSX version carries every row.
    """
    b = _Builder(data, list_limit)
    b.introduction()
    b.at_a_glance()
    if data.kind == CHILDREN:
        b.notifications()
        b.rapid_reviews()
        b.decisions(
            "Decisions after rapid review",
            "Rapid reviews whose decision on a local review was made",
        )
        b.reviews(
            "Local child safeguarding practice reviews",
            "Comment on the reviews held, their timeliness and any delays to publication.",
        )
        b.themes()
        b.actions(
            "actions",
            "Actions and their progress",
            "Say how agencies are progressing the actions from reviews.",
        )
        b.impact()
        b.little_progress()
        b.briefings()
        b.feedback()
        b.priorities()
    else:
        b.members()
        b.referrals()
        b.decisions(
            "Decisions on referrals",
            "Referrals decided (mandatory review, discretionary review or no review)",
        )
        b.reviews(
            "Safeguarding Adults Reviews",
            "Comment on the reviews held, their timeliness and publication.",
        )
        b.sars_concluded()
        b.sars_ongoing()
        b.actions(
            "actions",
            "Implementation of findings",
            "Say how agencies are implementing the findings of reviews.",
        )
        b.impact()
        b.not_implemented()
        b.little_progress()
        b.themes()
        b.briefings()
        b.feedback()
        b.priorities()
    report = YearlyReport(
        partnership_name=data.partnership_name,
        period_from=data.period_from,
        period_to=data.period_to,
        kind=data.kind,
        sections=b.sections,
        counted_at=data.counted_at,
    )
    if narrative:
        report.set_narrative({k: paragraphs(v) for k, v in narrative.items()})
    return report


#: Section keys in order, for the narrative form (a test checks they match the builder).
SECTION_KEYS = {
    CHILDREN: [
        "introduction",
        "at_a_glance",
        "notifications",
        "rapid_reviews",
        "decisions",
        "reviews",
        "themes",
        "actions",
        "impact",
        "little_progress",
        "briefings",
        "feedback",
        "priorities",
    ],
    ADULTS: [
        "introduction",
        "at_a_glance",
        "members",
        "referrals",
        "decisions",
        "reviews",
        "sars_concluded",
        "sars_ongoing",
        "actions",
        "impact",
        "findings_not_implemented",
        "little_progress",
        "themes",
        "briefings",
        "feedback",
        "priorities",
    ],
}
