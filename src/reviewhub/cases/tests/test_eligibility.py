"""The s16C duty to notify the Panel and the looked-after and care-leaver death routes."""

import pytest

from reviewhub.cases.choices import IncidentPlace, Nature
from reviewhub.cases.eligibility import assess


def facts(**overrides):
    base = {
        "abuse_suspected": True,
        "nature": Nature.DEATH,
        "place": IncidentPlace.IN_AREA,
        "looked_after_death": False,
        "care_leaver_death": False,
    }
    return {**base, **overrides}


@pytest.mark.parametrize("nature", [Nature.DEATH, Nature.SERIOUS_HARM])
@pytest.mark.parametrize("place", [IncidentPlace.IN_AREA, IncidentPlace.OUTSIDE_ENGLAND])
def test_abuse_suspected_and_death_or_serious_harm_here_or_outside_england_must_be_notified(
    nature, place
):
    answer = assess(**facts(nature=nature, place=place))
    assert answer.must_notify_panel is True
    assert answer.reason.startswith("Yes:")


def test_the_reason_names_the_place_and_what_happened():
    assert (
        "seriously harmed outside England"
        in assess(**facts(nature=Nature.SERIOUS_HARM, place=IncidentPlace.OUTSIDE_ENGLAND)).reason
    )
    assert "died in this local authority's area" in assess(**facts()).reason


def test_no_abuse_or_neglect_suspected_means_no_s16c_duty():
    answer = assess(**facts(abuse_suspected=False))
    assert answer.must_notify_panel is False
    assert answer.reason == "No: abuse or neglect is not known or suspected."


def test_nature_other_is_not_death_or_serious_harm():
    answer = assess(**facts(nature=Nature.OTHER))
    assert answer.must_notify_panel is False
    assert "neither died nor was seriously harmed" in answer.reason


def test_an_incident_in_another_english_authoritys_area_is_theirs_to_notify():
    answer = assess(**facts(place=IncidentPlace.ELSEWHERE))
    assert answer.must_notify_panel is False
    assert "the duty sits with the authority where the child died" in answer.reason


def test_a_looked_after_child_death_goes_to_the_secretary_of_state_and_ofsted_abuse_or_not():
    without_abuse = assess(**facts(abuse_suspected=False, looked_after_death=True))
    assert without_abuse.must_notify_panel is False
    assert without_abuse.looked_after_route is True
    assert "Secretary of State and Ofsted" in without_abuse.looked_after_reason
    assert "the Panel does not consider it" in without_abuse.looked_after_reason
    with_abuse = assess(**facts(looked_after_death=True))
    assert with_abuse.must_notify_panel is True and with_abuse.looked_after_route is True


def test_the_looked_after_route_needs_a_death():
    answer = assess(**facts(nature=Nature.SERIOUS_HARM, looked_after_death=True))
    assert answer.looked_after_route is False
    assert answer.looked_after_reason == "No: the case's nature is not a child death."
    assert assess(**facts()).looked_after_route is False


@pytest.mark.parametrize(("age", "route"), [(None, True), (18, True), (24, True), (25, False)])
def test_care_leaver_deaths_are_notified_up_to_and_including_24(age, route):
    answer = assess(**facts(abuse_suspected=False, care_leaver_death=True, care_leaver_age=age))
    assert answer.care_leaver_route is route
    assert answer.must_notify_panel is False
    if not route:
        assert "up to and including age 24" in answer.care_leaver_reason


def test_no_care_leaver_route_without_a_care_leaver_death():
    answer = assess(**facts())
    assert answer.care_leaver_route is False
    assert answer.care_leaver_reason == "No: not recorded as a care leaver's death."
    harmed = assess(**facts(nature=Nature.SERIOUS_HARM, care_leaver_death=True))
    assert harmed.care_leaver_route is False
