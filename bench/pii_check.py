"""Measure the personal-data check: speed on a 60-page report, recall per kind, false alarms.

Run: HF_HUB_OFFLINE=1 PYTHONPATH=src /work/main/.venv/bin/python bench/pii_check.py

Every person, address and number below is invented. Recall is measured on generated snippets
that each hide one item of a known kind at a known place, for three configurations:
  spacy-raw     the small English model's own entities, any label (what it "saw" at all);
  spacy-person  presidio with the spaCy recogniser only (PERSON), i.e. before the UK recognisers;
  full          reviewhub.documents.pii.check_text.
"""

from __future__ import annotations

import collections
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from reviewhub.documents import pii, testing

FIRST = [
    "Jayden",
    "Amelia",
    "Tyler",
    "Kacey",
    "Oliver",
    "Leah",
    "Reuben",
    "Skye",
    "Harvey",
    "Mia",
    "Kyle",
    "Chantelle",
    "Darren",
    "Shannon",
    "Bradley",
    "Tia",
    "Mohammed",
    "Aisha",
    "Kieran",
    "Bethany",
    "Lewis",
    "Ruby",
    "Callum",
    "Imogen",
    "Dariusz",
    "Zofia",
    "Tomasz",
    "Precious",
]
LAST = [
    "Okafor",
    "Brennan",
    "Whitlock",
    "Haverford",
    "Pembery",
    "Ashdown",
    "Kowalczyk",
    "Mbeki",
    "Fairweather",
    "Trelawney",
    "Osei",
    "Gallagher",
    "Huxley",
    "Penrose",
    "Nakamura",
    "Quigley",
]
STREETS = [
    "Larkspur Crescent",
    "Holloway Road",
    "Acacia Avenue",
    "Mill Lane",
    "Foxglove Close",
    "Station Road",
    "Kingfisher Way",
    "Orchard Gardens",
    "Beech Grove",
    "Tanner Street",
]
TOWNS = [
    "Dunmore",
    "Halbury",
    "Eastwick",
    "Northam",
    "Cresford",
    "Wetherby",
    "Leeds",
    "Barnsley",
]
POSTCODES = [
    "DN4 7QT",
    "LS6 2AB",
    "HX1 5RN",
    "SW1A 1AA",
    "M14 6HL",
    "B33 8TH",
    "CR2 6XH",
    "EC1A 1BB",
]
SCHOOLS = [
    "Brambleside Primary School",
    "Little Acorns Day Nursery",
    "Little Stars Nursery",
    "St Aidan's Catholic Primary School",
    "Hillcrest Academy",
    "Oakfield Infant School",
    "Westgate High School",
    "Sunflowers Pre-School",
]
NHS = ["943 476 5919", "4010232137", "401 023 2137", "9434765870", "291 417 7763"]
NI = ["JK 12 34 56 C", "AB123456A", "PE 44 21 90 D", "WL 39 11 04 B"]
PHONES = [
    "07700 900461",
    "07700900123",
    "0113 496 0321",
    "+44 7700 900982",
    "(0161) 496 0755",
]
EMAILS = ["c.okafor88@example.org", "tyler.b@example.net", "mum_of_3@example.co.uk"]
MONTHS = ["January", "March", "June", "September", "November"]

TEMPLATES = {
    pii.NAME: [
        "The referral said that {name} had bruising to the arm.",
        "Practitioners did not speak to {name} on her own.",
        "{name} told the teacher that she was hungry.",
        "During the visit, {name} was asleep upstairs.",
        "The social worker phoned {name} twice that week.",
        "Concerns about {name} were first raised by a neighbour.",
        "{first} said that she was scared to go home.",
        "Her older brother {first} was also at home.",
        "Adult B's new partner, {name}, had convictions for violence.",
    ],
    pii.DATE: [
        "The strategy discussion took place on {date}.",
        "On {date} the case was closed to Early Help.",
        "A home visit was made on {date} by the Health Visitor.",
    ],
    pii.DATE_OF_BIRTH: [
        "Child A was born on {date}.",
        "Date of birth: {date}",
        "The baby was born {date} at 34 weeks.",
        "DOB {date}.",
    ],
    pii.AGE: [
        ("{first}, aged {n}, was not brought to the appointment.", "aged {n}"),
        ("{first} ({n}) was seen at the walk-in centre.", "{n}"),
        ("{first}, a {n}-year-old boy, lived with his grandmother.", "a {n}-year-old"),
    ],
    pii.ADDRESS: [
        "The family lived at {address}.",
        "Police attended {address} after a neighbour called.",
        "The family moved to {address} in the spring.",
    ],
    pii.POSTCODE: [
        "The new address was in {town} {postcode}.",
        "Postcode: {postcode}",
        "The family were rehoused in the {postcode} area.",
    ],
    pii.SCHOOL: [
        "Child A attended {school} until the summer.",
        "{school} made a referral to the MASH.",
        "The Designated Safeguarding Lead at {school} was not told.",
    ],
    pii.NHS_NUMBER: [
        "NHS number {nhs}.",
        "The GP record ({nhs}) showed no entry.",
        "NHS no: {nhs}",
    ],
    pii.NI_NUMBER: [
        "Her national insurance number is {ni}.",
        "NI number {ni} was on the form.",
    ],
    pii.PHONE: [
        "Mother could be reached on {phone}.",
        "Call {phone} out of hours.",
        "Tel: {phone}",
    ],
    pii.EMAIL: ["The school e-mailed {email} twice.", "Contact: {email}"],
}

# Written after the recognisers were tuned, and not used to tune them: a check on how far the
# figures above generalise to phrasings the rules were not shaped around.
UNSEEN_TEMPLATES = {
    pii.NAME: [
        "A teacher, {name}, noticed the weight loss.",
        "When interviewed, {name} denied any injury.",
        "Grandmother said {first} was often left alone.",
        "{name}'s mobile was seized by the Police.",
    ],
    pii.DATE: [
        "Records from {date} show no follow-up.",
        "Between {date} and the next visit nobody saw Child A.",
    ],
    pii.DATE_OF_BIRTH: ["Adult B (born {date}) was the father.", "d.o.b. {date}"],
    pii.AGE: [
        ("{first}, then aged {n}, was excluded from school.", "aged {n}"),
        ("{first} (aged {n}) was not registered with a GP.", "aged {n}"),
    ],
    pii.ADDRESS: [
        "A neighbour at {address} heard shouting.",
        "Housing offered {address}, which was unsuitable.",
    ],
    pii.POSTCODE: ["The GP practice ({postcode}) was closed.", "{town}, {postcode}"],
    pii.SCHOOL: [
        "Attendance at {school} fell to 60%.",
        "Staff from {school} attended the conference.",
    ],
    pii.NHS_NUMBER: ["The discharge letter quoted {nhs} as the NHS number."],
    pii.NI_NUMBER: ["Benefits were paid against {ni}."],
    pii.PHONE: ["Texts from {phone} were threatening."],
    pii.EMAIL: ["Messages were sent from {email} to the school."],
}

NEGATIVES = [
    "Child A was seen by the Health Visitor and the GP.",
    "Mother told Children's Social Care that Adult B had left the home.",
    "The ICB, CAMHS and Early Help were all involved in March 2022.",
    "Working Together 2018 sets out the duties of the safeguarding partners.",
    "Baby B was born in 2021 and was known to the Police.",
    "The Designated Safeguarding Lead at the school referred Child C to the MASH.",
    "Sibling D attended nursery three days a week.",
    "The Independent Reviewer met the Lead Reviewer and the Virtual School Head.",
    "Northshire Safeguarding Children Partnership commissioned the review in June 2023.",
    "Leeds City Council and West Yorkshire Police contributed chronologies.",
    "The Child Safeguarding Practice Review Panel was notified within five working days.",
    "Stepfather E had a history of domestic abuse known to Probation.",
    "Paragraph 3.2 describes 14 contacts over 18 months.",
    "The Children Act 1989 section 47 enquiry began on a Monday.",
    "Professionals in Health, Education and Housing were interviewed.",
    "The Emergency Department saw Child A at 02:30.",
    "Mother took Child A to Leeds General Infirmary and then to the Family Court.",
    "The family moved from West Yorkshire to North Lincolnshire in the spring.",
    "A referral was made to the Youth Justice Service and to Barnardo's.",
    "The Sure Start centre and the Jobcentre Plus office were both nearby.",
    "Adult B was arrested by officers from Northshire Police and released on bail.",
    "The case was discussed at the Multi-Agency Risk Assessment Conference in May.",
    "She used Snapchat and WhatsApp to contact Adult C.",
    "The GP practice, Riverside Surgery, had no record of the injury.",
]


def _sample(rng: random.Random, kind: str, templates=TEMPLATES) -> tuple[str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    day, year = rng.randint(1, 28), rng.randint(2005, 2024)
    month = rng.choice(MONTHS)
    date = rng.choice(
        [
            f"{day} {month} {year}",
            f"{day:02d}/{rng.randint(1, 12):02d}/{year}",
            f"{day}th {month[:3]} {year}",
            f"{month} {day}, {year}",
        ]
    )
    number = rng.randint(1, 140)
    address = rng.choice(
        [
            f"{number} {rng.choice(STREETS)}",
            f"Flat {rng.randint(1, 9)}, {number} {rng.choice(STREETS)}",
            f"{number}a {rng.choice(STREETS)}",
        ]
    )
    values = {
        "name": rng.choice([f"{first} {last}", f"Mrs {last}", f"Mr {last}", f"{first} {last}"]),
        "first": first,
        "n": str(rng.randint(1, 16)),
        "date": date,
        "address": address,
        "town": rng.choice(TOWNS),
        "postcode": rng.choice(POSTCODES),
        "school": rng.choice(SCHOOLS),
        "nhs": rng.choice(NHS),
        "ni": rng.choice(NI),
        "phone": rng.choice(PHONES),
        "email": rng.choice(EMAILS),
    }
    template = rng.choice(templates[kind])
    if kind == pii.NAME and "{first}" in template:
        values["name"] = values["first"]
        template = template.replace("{first}", "{name}")
    text = template.format(**values) if isinstance(template, str) else ""
    target = {
        pii.NAME: values["name"],
        pii.DATE: values["date"],
        pii.DATE_OF_BIRTH: values["date"],
        pii.ADDRESS: values["address"],
        pii.POSTCODE: values["postcode"],
        pii.SCHOOL: values["school"],
        pii.NHS_NUMBER: values["nhs"],
        pii.NI_NUMBER: values["ni"],
        pii.PHONE: values["phone"],
        pii.EMAIL: values["email"],
    }.get(kind)
    if kind == pii.AGE:
        text, target = template[0].format(**values), template[1].format(**values)
    return text, target


def recall_table(
    samples_per_kind: int = 60, seed: int = 7, templates=TEMPLATES, title: str = ""
) -> None:
    rng = random.Random(seed)
    analyzer = pii.build_analyzer()
    person_only = pii.build_analyzer(with_uk_recognizers=False)
    nlp = analyzer.nlp_engine.nlp["en"]
    found = collections.Counter()
    exact = collections.Counter()
    base = collections.Counter()
    raw = collections.Counter()
    raw_labels: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for kind in templates:
        for _ in range(samples_per_kind):
            text, target = _sample(rng, kind, templates)
            start = text.index(target)
            end = start + len(target)
            findings = pii.check_text(text, analyzer=analyzer)
            if any(f.kind == kind and f.start < end and start < f.end for f in findings):
                found[kind] += 1
            if any(f.kind == kind and (f.start, f.end) == (start, end) for f in findings):
                exact[kind] += 1
            person = person_only.analyze(text=text, language="en")
            if kind == pii.NAME and any(r.start < end and start < r.end for r in person):
                base[kind] += 1
            with nlp.select_pipes(enable=["ner"]):
                ents = [e for e in nlp(text).ents if e.start_char < end and start < e.end_char]
            if ents:
                raw[kind] += 1
            raw_labels[kind].update(e.label_ for e in ents) if ents else raw_labels[kind].update(
                ["(nothing)"]
            )
    n = samples_per_kind
    print(f"\nRecall per kind on {n} generated fictional snippets each (seed {seed}){title}:")
    print(f"{'kind':<15}{'full':>7}{'exact':>7}{'spacy-person':>14}{'spacy-raw':>11}  model labels")
    for kind in templates:
        labels = ", ".join(f"{k} {v}" for k, v in raw_labels[kind].most_common(4))
        person = f"{base[kind] / n:.2f}" if kind == pii.NAME else "-"
        print(
            f"{kind:<15}{found[kind] / n:>7.2f}{exact[kind] / n:>7.2f}{person:>14}"
            f"{raw[kind] / n:>11.2f}  {labels}"
        )
    if templates is not TEMPLATES:
        return
    towns = collections.Counter()
    for town in TOWNS:
        for template in (
            "The family moved to {t} in 2019.",
            "{t} Council housed the family.",
        ):
            text = template.format(t=town)
            with nlp.select_pipes(enable=["ner"]):
                ents = [e.label_ for e in nlp(text).ents if town in e.text]
            towns.update(ents or ["(nothing)"])
    print(
        f"\nHow the model labels {len(TOWNS)} town names in two sentences each: "
        + ", ".join(f"{k} {v}" for k, v in towns.most_common())
        + " (towns alone are not flagged; only as part of an address)"
    )
    false_alarms = []
    for text in NEGATIVES:
        false_alarms += [(f.kind, f.text) for f in pii.check_text(text, analyzer=analyzer)]
    print(f"\nFalse alarms on {len(NEGATIVES)} must-not-flag sentences: {len(false_alarms)}")
    for kind, text in false_alarms:
        print(f"  {kind}: {text!r}")
    person_fp = []
    for text in NEGATIVES:
        person_fp += [text[r.start : r.end] for r in person_only.analyze(text=text, language="en")]
    print(f"  (spaCy PERSON alone would have flagged {len(person_fp)}: {person_fp})")


def unseen_recall(samples_per_kind: int = 30) -> None:
    """Recall on templates written after tuning (the honest figure)."""
    recall_table(
        samples_per_kind,
        seed=11,
        templates=UNSEEN_TEMPLATES,
        title=", templates written after tuning",
    )


def report_text(pages: int = 60, seed: int = 3) -> str:
    """Return a realistic 60-page report: pseudonymised prose with planted personal data."""
    rng = random.Random(seed)
    body = testing.make_report_pages(pages, lines_per_page=38)
    out = []
    for page in body:
        planted = [_sample(rng, rng.choice(list(TEMPLATES)))[0] for _ in range(3)]
        out.append(page + "\n\n" + " ".join(planted))
    return "\f".join(out)


def speed(pages: int = 60, repeats: int = 3) -> None:
    t0 = time.perf_counter()
    analyzer = pii.build_analyzer()
    load = time.perf_counter() - t0
    text = report_text(pages)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        findings = pii.check_text(text, analyzer=analyzer)
        times.append(time.perf_counter() - t0)
    print(
        f"Model load: {load:.2f} s. {pages}-page report ({len(text):,} chars, "
        f"{len(text.split()):,} words, {len(findings)} findings): "
        f"median {statistics.median(times):.2f} s, best {min(times):.2f} s over {repeats} runs "
        f"(target < 15 s)."
    )


def corpus_findings(
    path: str = str(Path(__file__).resolve().parents[2] / "shared" / "corpus" / "learning.jsonl"),
) -> None:
    """Report findings on real published learning points (they should hold almost none)."""
    import json

    if not Path(path).exists():
        return
    rows = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    counts = collections.Counter()
    for row in rows:
        for field in ("heading", "learned", "action"):
            for finding in pii.check_text(row.get(field) or ""):
                counts[(finding.kind, finding.text)] += 1
    print(
        f"\nFindings on {len(rows)} real published learning points ({path}): "
        f"{sum(counts.values())} ({len(counts)} distinct). Most are the reviews' own first-name "
        "pseudonyms (a name is flagged; the author overrides it with a reason):"
    )
    for (kind, text), n in counts.most_common():
        print(f"  {n:>3} {kind}: {text!r}")


if __name__ == "__main__":
    speed()
    recall_table()
    unseen_recall()
    corpus_findings()
