"""Words, stems, snippets and query analysis (no database)."""

from reviewhub.search.query import analyse, theme_labels, thesaurus
from reviewhub.search.text import plain_snippet, render_snippet, snippet, stem, tokens


def test_stems_bring_inflections_together():
    assert stem("dads") == stem("dad")
    assert stem("babies") == stem("baby")
    assert stem("bruising") == stem("bruises") == stem("bruise")
    assert stem("hiding") == stem("hide")


def test_every_thesaurus_theme_exists_in_the_taxonomy():
    known = set(theme_labels())
    for _, _, themes in thesaurus():
        assert set(themes) <= known


def test_the_thesaurus_is_broad():
    assert len(thesaurus()) >= 90


def test_everyday_words_expand_to_report_words_and_themes():
    a = analyse("dads who are never asked")
    assert "male carer" in a.expansions and "fathers-and-men" in a.themes
    assert "criminal exploitation" in analyse("gangs").expansions
    assert "disguised compliance" in analyse("hiding abuse").expansions


def test_a_word_inside_a_longer_phrase_does_not_trigger_it():
    # "moved in" (a new partner) must not fire for "moving from children's to adult services"
    assert (
        "new partner" not in analyse("moving from children's services to adult services").expansions
    )


def test_snippet_marks_matches_and_rendering_escapes_everything_else():
    marked, hits = snippet("Before <b>the</b> fathers & mothers were seen.", {stem("father")})
    assert hits == 1
    html = str(render_snippet(marked))
    assert "<mark>fathers</mark>" in html and "&lt;b&gt;" in html and "&amp;" in html
    assert plain_snippet(marked).count("[fathers]") == 1


def test_markers_in_stored_text_cannot_forge_highlights():
    html = str(render_snippet(snippet("evil \x02<img src=x>\x03 text", {"text"})[0]))
    assert "<img" not in html


def test_a_phrase_that_repeats_a_word_needs_it_twice():
    # "child on child" once matched every query with "child" in it (the words were a set)
    assert "peer on peer abuse" in analyse("child on child abuse").expansions
    assert "peer on peer abuse" not in analyse("what the child says about daily life").expansions
    assert "peer on peer abuse" not in analyse("child protection meeting").expansions


def test_an_ordered_phrase_does_not_match_its_words_in_another_order():
    # "=care home" is matched in order: home care is not a care home, and a phrase with "not"
    # must not fire when the query drops the negation
    assert "organisational-abuse-in-care-settings" in analyse("abuse in a care home").themes
    assert "organisational-abuse-in-care-settings" not in analyse("home care agency").themes
    assert "exploitation" not in analyse("missed home visits").expansions
    assert "health visitor not informed" in analyse("health visitor not informed").expansions
    assert "health visitor not informed" not in analyse("mum told the health visitor").expansions


def test_every_theme_is_reached_from_everyday_words():
    known = set(theme_labels())
    reached = {t for _, _, themes in thesaurus() for t in themes}
    assert reached == known
    assert "children-not-in-school" in analyse("home schooled kids").themes
    assert "self-neglect" in analyse("hoarder living in squalor").themes
    assert "domestic-abuse" in analyse("DV").themes
    assert "harmful-practices-honour-faith" in analyse("FGM").themes


def test_words_matched_in_any_order_must_be_close_together():
    # "man in the house" once fired for the man and the house of this query, five words apart
    far = analyse("old man living in a filthy house")
    assert "men in the household" not in far.expansions
    assert "adults-posing-risk" not in far.themes
    # next to each other, in either order, they still match
    assert "information sharing" in analyse("info sharing").expansions
    assert "information sharing" in analyse("sharing of info").expansions


def test_the_longest_reading_of_the_words_wins():
    # "filthy" alone means neglect; "filthy house" is self-neglect, and takes it over
    filthy_house = analyse("filthy house")
    assert "self-neglect" in filthy_house.themes and "neglect" not in filthy_house.themes
    assert "neglect" in analyse("filthy kids").themes
    # "old man" is an older person, not a man in the household
    assert "fathers-and-men" not in analyse("old man").themes
    assert "fathers-and-men" in analyse("the man in the house").themes


def test_accented_words_are_folded_not_cut_at_the_accent():
    # "café" had become "caf" and "naïve" two words, "na" and "ve"
    assert tokens("Zoë's naïve café ﬁlthy") == ["zoe", "naive", "cafe", "filthy"]
    assert "self-neglect" in analyse("ﬁlthy house").themes
