"""Time building and rendering the yearly report at the scale of a large partnership.

Scale (issue 7): 200 cases, 1,000 learning points and 2,000 actions. The figures are synthetic
but shaped like real ones (the DB-side counting is timed separately once it exists): all 200
cases notified in the year, the 39 default themes over 1,000 learning points, 2,000 actions
over 15 agencies, of which 600 completed with evidence of impact (each listed in the report)
and 250 red (listed as little progress). Target: under 5 seconds per format.

Run:  PYTHONPATH=src python bench/report_yearly.py [--out-dir DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml

from reviewhub.reports.yearly import YearlyFigures, build_yearly_report, render

THEMES_YAML = Path(__file__).resolve().parents[1] / "src/reviewhub/learning/data/themes.yaml"
AGENCIES = [
    "Police",
    "Children's social care",
    "Health (ICB)",
    "Acute hospital trust",
    "Community health",
    "Mental health trust",
    "Education",
    "Early years",
    "Probation",
    "Youth justice",
    "Housing",
    "Adult social care",
    "Ambulance service",
    "Voluntary sector",
    "Drug and alcohol service",
]
WORDS = [
    "practitioners",
    "supervision",
    "audit",
    "referral",
    "strategy",
    "discussion",
    "assessment",
    "neglect",
    "escalation",
    "family",
    "father",
    "record",
    "health",
    "visitor",
    "school",
    "police",
    "information",
    "sharing",
    "training",
    "guidance",
    "threshold",
    "plan",
    "review",
    "outcome",
    "improvement",
    "evidence",
    "children",
]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def theme_labels() -> list[str]:
    data = yaml.safe_load(THEMES_YAML.read_text(encoding="utf-8"))
    return [theme["label"] for axis in data["axes"] for theme in axis["themes"]]


def synthetic_figures(seed: int = 7) -> YearlyFigures:
    rng = random.Random(seed)
    labels = theme_labels()
    # 1,000 learning points with ~2 themes each, skewed as real coding is.
    weights = [1 / (i + 1) ** 0.8 for i in range(len(labels))]
    this = rng.choices(labels, weights, k=2000)
    prev = rng.choices(labels, weights[::-1], k=1800)
    themes = {label: (this.count(label), prev.count(label)) for label in labels}
    rags = ["red", "amber", "green", "blue", "grey"]
    actions = rng.choices(AGENCIES, k=2000)
    rag_of = rng.choices(rags, [250, 400, 650, 600, 100], k=2000)
    by_agency: dict[str, dict[str, int]] = {a: {} for a in AGENCIES}
    for agency, rag in zip(actions, rag_of, strict=True):
        by_agency[agency][rag] = by_agency[agency].get(rag, 0) + 1
    start = date(2024, 4, 1)
    impact = [
        (
            sentence(rng, 10),
            sentence(rng, 12),
            agency,
            sentence(rng, 30),
            rng.choice(["local", "national"]),
            start + timedelta(days=rng.randrange(365)),
        )
        for agency, rag in zip(actions, rag_of, strict=True)
        if rag == "blue"
    ]
    little = [
        (
            sentence(rng, 10),
            sentence(rng, 12),
            agency,
            start + timedelta(days=rng.randrange(300)),
            "Target date passed and not complete.",
        )
        for agency, rag in zip(actions, rag_of, strict=True)
        if rag == "red"
    ]
    briefings = [
        (
            f"Briefing {i + 1}: {sentence(rng, 4)}",
            s := rng.randrange(200, 1500),
            o := rng.randrange(s // 3, s),
            rng.randrange(o // 2, o),
            start + timedelta(days=12 * i),
        )
        for i in range(30)
    ]
    return YearlyFigures(
        partnership_name="Bench Safeguarding Children Partnership",
        period_from=start,
        period_to=date(2025, 3, 31),
        notifications_by_type={"death": 90, "serious_harm": 100, "other": 10},
        notifications_previous={"death": 95, "serious_harm": 92, "other": 13},
        notifications_looked_after=44,
        rapid_reviews_completed=190,
        rapid_reviews_within_15_days=151,
        decisions_by_outcome={
            "Local review (LCSPR)": 40,
            "No further review": 120,
            "National review": 8,
            "Other learning process": 32,
        },
        reviews_started=40,
        reviews_completed=35,
        reviews_completed_within_6_months=19,
        reviews_published=30,
        reviews_held=5,
        learning_points_coded=1000,
        themes=themes,
        actions_by_agency_rag=by_agency,
        actions_with_impact=impact,
        actions_little_progress=little,
        briefings=briefings,
        counted_at=datetime(2025, 4, 20, 10, 0),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, help="write the rendered files here")
    parser.add_argument("--repeat", type=int, default=1, help="runs per format (best is shown)")
    args = parser.parse_args()

    t0 = time.perf_counter()
    import matplotlib.figure  # noqa: F401  (import cost shown apart from rendering)
    import weasyprint  # noqa: F401

    print(f"imports (matplotlib, weasyprint): {time.perf_counter() - t0:.2f} s")

    figures = synthetic_figures()
    print(
        f"scale: 200 cases, 1,000 learning points, 2,000 actions; "
        f"{len(figures.actions_with_impact)} actions with evidence listed, "
        f"{len(figures.actions_little_progress)} red actions listed, "
        f"{len(figures.themes)} themes"
    )
    print(
        f"{'format':<6} {'wall s':>7} {'cpu s':>7} {'size KB':>8}  (each: build + render, fresh charts)"
    )
    for fmt in ("html", "pdf", "docx", "xlsx"):
        best = None
        for _ in range(args.repeat):
            w, c = time.perf_counter(), time.process_time()
            report = build_yearly_report(figures, {"introduction": "Bench narrative."})
            data = render(report, fmt)
            run = (time.perf_counter() - w, time.process_time() - c, len(data))
            best = run if best is None or run[0] < best[0] else best
        print(f"{fmt:<6} {best[0]:7.2f} {best[1]:7.2f} {best[2] / 1024:8.0f}")
        if args.out_dir:
            args.out_dir.mkdir(parents=True, exist_ok=True)
            (args.out_dir / f"yearly.{fmt}").write_bytes(data)


if __name__ == "__main__":
    main()
