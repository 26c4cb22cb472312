"""Emerging themes: poorly covered points grouped, described by their words, deterministic."""

import json
from pathlib import Path

import pytest

from reviewhub.themes.engine.emerging import coverage, find_emerging

# the development corpus beside the checkout (../shared/corpus), as the benchmarks read it
CORPUS = Path(__file__).resolve().parents[4].parent / "shared" / "corpus"

DROWNING = [
    "A toddler drowned in a garden pond while visiting relatives. Water safety advice was not "
    "part of health visitor contacts.",
    "The boy, aged 4, drowned in a paddling pool while his mother was on the phone. Families "
    "need water safety advice in summer.",
    "Two children drowned in an open-water quarry in hot weather. Schools and councils should "
    "run water safety campaigns each spring.",
]
SCAMS = [
    "An older man lost his savings to a romance scam run by people he met online. Banks and "
    "adult social care did not share concerns about the fraud.",
    "Scammers phoned the woman daily and she sent them thousands of pounds; the bank's fraud "
    "team did not refer her for a safeguarding enquiry.",
    "Fraudsters persuaded the pensioner to move his money to a 'safe account'; the bank did not "
    "flag the unusual payments as fraud.",
]
COVERED = [
    "The baby had bruising but was not mobile; no referral was made to children's social care.",
    "Mother's partner was not known to agencies; nobody asked who lived in the house.",
    "The adult hoarded belongings and refused care; his mental capacity was not assessed.",
]


def _items():
    texts = COVERED + DROWNING + SCAMS
    return [{"learned": t} for t in texts], [f"p{n}" for n in range(len(texts))]


def test_points_the_taxonomy_lacks_form_groups_described_by_their_words(engine):
    items, ids = _items()
    found = find_emerging(engine, items, ids)
    assert found.looked_at == 9 and found.poorly_covered >= 6
    groups = {frozenset(c.ids): c for c in found.clusters}
    drowning, scams = frozenset(ids[3:6]), frozenset(ids[6:9])
    assert drowning in groups and scams in groups
    assert {"drowned", "water safety"} <= set(groups[drowning].terms)
    assert "fraud" in groups[scams].terms
    # the covered points are in no group, and every group names the themes nearest to it
    assert not set(ids[:3]) & {i for c in found.clusters for i in c.ids}
    for c in found.clusters:
        assert set(c.nearest) == {"circumstances", "practice"}
        assert 0 <= c.coverage < 0.5 and c.examples == c.ids[:3]


def test_emerging_themes_are_the_same_every_time_and_need_three_points(engine):
    items, ids = _items()
    first = find_emerging(engine, items, ids)
    again = find_emerging(engine, list(reversed(items)), list(reversed(ids)))
    assert [(sorted(c.ids), c.terms) for c in first.clusters] == [
        (sorted(c.ids), c.terms) for c in again.clusters
    ]
    two = find_emerging(engine, items[3:5], ids[3:5])  # two drowning points are not a theme
    assert two.clusters == [] and two.poorly_covered == 2
    assert find_emerging(engine, [], []).clusters == []
    with pytest.raises(ValueError, match="same length"):
        find_emerging(engine, items, ids[:2])


def test_group_terms_leave_out_words_all_safeguarding_writing_uses(engine):
    """'family' and 'year old' are in every point of this group, but also in much of the
    taxonomy's and codebook's text: they say nothing about what the group is about."""
    from reviewhub.themes.engine.emerging import COMMON_SHARE, background

    df, n = background(engine.taxonomy)
    assert df["family"] > COMMON_SHARE * n and df["year old"] > COMMON_SHARE * n
    assert df["families"] == 0  # counted as "family"
    assert df["drowned"] == 0  # the taxonomy has no water-safety theme
    texts = [
        "A three-year-old drowned in the family garden pond during a barbecue. Water safety "
        "advice was never given.",
        "The family's four-year-old drowned in a paddling pool in the summer holidays. Water "
        "safety was not discussed by the health visitor.",
        "A two-year-old drowned in the bath while the family were downstairs. Water safety and "
        "bath seats were not covered in antenatal classes.",
    ]
    found = find_emerging(engine, [{"learned": t} for t in texts], ["a", "b", "c"])
    assert [sorted(c.ids) for c in found.clusters] == [["a", "b", "c"]]
    terms = found.clusters[0].terms
    assert "water safety" in terms and "drowned" in terms
    # nor a pair that overlaps a common pair: "old drowned" in "three year old drowned"
    assert not {"family", "year old", "old drowned", "year"} & set(terms)


def test_a_word_sharing_a_stem_with_a_common_word_is_still_shown(engine):
    """The engine's stemmer makes "car" and "care" one stem, and "care" is in a tenth of the
    background texts; commonness is judged on the words as written, so "hot car" stays."""
    texts = [
        "A toddler died after being left in a hot car outside the supermarket for two hours.",
        "A boy died of heatstroke in a hot car parked in the sun; car seat alarms could have "
        "warned his parents.",
        "Two children were left in a locked hot car while their mother was at the casino; a "
        "passer-by broke the window.",
    ]
    found = find_emerging(engine, [{"learned": t} for t in texts], ["a", "b", "c"])
    assert [sorted(c.ids) for c in found.clusters] == [["a", "b", "c"]]
    assert "hot car" in found.clusters[0].terms


def test_coverage_is_high_for_published_learning_from_publishers_the_model_has_not_seen():
    """Nine in ten points of the dev corpus must not look like gaps to a model trained on other
    publishers' codes (see emerging.coverage), while the points above do."""
    from reviewhub.themes.engine import Engine, train
    from reviewhub.themes.engine.results import item_text
    from reviewhub.themes.taxonomy import default

    if not (CORPUS / "learning.jsonl").is_file():
        pytest.fail(f"the dev corpus is missing at {CORPUS}")
    items = [json.loads(x) for x in (CORPUS / "learning.jsonl").read_text().splitlines() if x]
    labels = {
        x["id"]: x for x in map(json.loads, (CORPUS / "labels.jsonl").read_text().splitlines()) if x
    }
    pubs = sorted({i["publisher"] for i in items})
    seen = set(pubs[::2])
    examples = [
        {"text": item_text(i), **{a: labels[i["id"]][a] for a in ("circumstances", "practice")}}
        for i in items
        if i["publisher"] in seen
    ]
    engine = Engine.load(taxonomy=default(), model_state=train(default(), examples))
    unseen = [i for i in items if i["publisher"] not in seen]
    covered = [coverage(s) for s in engine.suggest_many(unseen, reasons=False)]
    assert sum(c >= 0.5 for c in covered) / len(covered) >= 0.85
    novel = [coverage(s) for s in engine.suggest_many(DROWNING + SCAMS, reasons=False)]
    assert max(novel) < 0.5
