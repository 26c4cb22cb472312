"""The packaged codebook is training data: a wrong id or an impossible coding would silently
teach the default model something false, so its shape is checked here."""

from collections import Counter

from reviewhub.themes.codebook import load_codebook, load_codebook_phrases, load_codebook_points
from reviewhub.themes.taxonomy import default


def test_every_statement_is_filed_under_a_theme_of_the_default_taxonomy():
    ids = {t.id for t in default().active()}
    book = load_codebook()
    assert set(book) == ids  # every theme has examples, and no example names an unknown theme
    assert all(len(statements) >= 10 for statements in book.values())


def test_example_points_are_coded_like_an_analyst_codes_on_both_axes():
    axis = {t.id: t.axis for t in default().active()}
    points = load_codebook_points()
    assert len(points) >= 200
    texts = Counter(p.text for p in points)
    assert texts.most_common(1)[0][1] == 1  # no duplicates
    for p in points:
        assert 1 <= len(p.practice) <= 3, p.text
        assert 0 <= len(p.circumstances) <= 3, p.text
        assert len(set(p.practice)) == len(p.practice), p.text
        assert all(axis.get(t) == "practice" for t in p.practice), p.text
        assert all(axis.get(t) == "circumstances" for t in p.circumstances), p.text
        assert 25 <= len(p.text.split()) <= 130, p.text
    # every practice theme is the primary of some points, so none is learned only as a negative
    primaries = Counter(p.practice[0] for p in points)
    assert {t for t, a in axis.items() if a == "practice"} <= set(primaries)


def test_phrase_lexicon_covers_every_practice_theme_with_new_distinctive_phrases():
    practice = {t.id: t for t in default().active("practice")}
    lexicon = load_codebook_phrases()
    # practice themes only: circumstances phrases lowered that axis's recall (codebook.yaml)
    assert set(lexicon) == set(practice)
    for tid, phrases in lexicon.items():
        assert len(phrases) >= 30, tid
        folded = [p.casefold() for p in phrases]
        assert len(set(folded)) == len(folded), tid  # no phrase twice
        assert all(1 <= len(p.split()) <= 5 for p in phrases), tid
        # the taxonomy's own keywords are already a signal; the lexicon adds new phrases
        own = {k.casefold() for k in practice[tid].keywords}
        assert not own & set(folded), (tid, own & set(folded))
