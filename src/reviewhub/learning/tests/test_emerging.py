"""The emerging-themes pages: analysts see groups of poorly covered learning, make a group a new
theme or fold it into an existing one; bad input changes nothing."""

import pytest

from reviewhub.accounts.choices import Role
from reviewhub.audit.models import AuditEvent
from reviewhub.learning.choices import THEME_MAX_KEYWORDS
from reviewhub.learning.models import Theme
from reviewhub.themes.engine import ModelState
from reviewhub.themes.models import ModelVersion
from reviewhub.themes.tests.test_emerging import DROWNING, SCAMS

from .factories import point, small_taxonomy, theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def gaps(world):
    small_taxonomy(world.partnership)
    point(world.partnership, heading="Bruised baby", learned="The non-mobile baby had bruising.")
    for n, text in enumerate(DROWNING):
        point(world.partnership, heading=f"Drowning {n}", learned=text, action="")
    for n, text in enumerate(SCAMS):
        point(world.partnership, heading=f"Scam {n}", learned=text, action="", published=True)
    # another partnership's gap is never shown here
    for n, text in enumerate(DROWNING):
        point(world.other, heading=f"Elsewhere {n}", learned=text)
    return world


def test_analysts_see_groups_of_poorly_covered_learning_with_their_words(gaps, login):
    analyst = login(gaps.users[Role.ANALYST])
    page = analyst.get("/learning/taxonomy/emerging/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("data-cluster") >= 1 and "water safety" in html
    assert "Drowning 0" in html and "Elsewhere" not in html
    assert "/learning/taxonomy/emerging/new/?term=" in html
    assert '<option value="0.5" selected>' in html  # the default threshold is the one shown
    # the page read unpublished learning: audited as a search, filter names only
    event = AuditEvent.objects.filter(action="search", detail__startswith="emerging themes").get()
    assert event.user_id == gaps.users[Role.ANALYST].pk and event.changed_fields == ["emerging"]
    # a threshold the page does not offer is an error, and nothing is computed
    bad = analyst.get("/learning/taxonomy/emerging/?coverage=9").content.decode()
    assert "Select a valid choice" in bad and "data-summary" not in bad
    assert (
        login(gaps.users[Role.PRACTITIONER]).get("/learning/taxonomy/emerging/").status_code == 403
    )


def test_a_group_becomes_a_new_theme_and_the_model_is_retrained(
    gaps, login, django_capture_on_commit_callbacks
):
    analyst = login(gaps.users[Role.ANALYST])
    form = analyst.get("/learning/taxonomy/emerging/new/?term=water+safety&term=drowned")
    assert form.status_code == 200
    assert b"water safety\ndrowned" in form.content and b'value="water-safety"' in form.content
    assert b'name="display_order" type="number" value="7"' in form.content  # after the six
    versions = gaps.partnership.taxonomy.versions.count()
    with django_capture_on_commit_callbacks(execute=True):
        done = analyst.post(
            "/learning/taxonomy/emerging/new/",
            {
                "theme_id": "water-safety",
                "axis": "circumstances",
                "label": "Water safety and drowning",
                "definition": "Children who drowned or nearly drowned.",
                "keywords": "water safety\ndrowned\n",
                "display_order": "30",
                "note": "",
            },
        )
    assert done.status_code == 302
    new = theme(gaps.partnership, "water-safety")
    assert new.keywords == ["water safety", "drowned"] and new.display_order == 30
    taxonomy = gaps.partnership.taxonomy
    assert taxonomy.versions.count() == versions + 1
    assert "emerging theme" in taxonomy.versions.order_by("-number").first().note
    model = ModelVersion.objects.get(partnership=gaps.partnership)
    assert "water-safety" in ModelState.from_bytes(bytes(model.state)).axes


def test_a_new_theme_with_a_bad_or_taken_id_is_refused_and_nothing_is_added(gaps, login):
    analyst = login(gaps.users[Role.ANALYST])
    before = Theme.objects.count()
    for theme_id, message in (("Water Safety!", b"lower-case"), ("neglect", b"already exists")):
        page = analyst.post(
            "/learning/taxonomy/emerging/new/",
            {"theme_id": theme_id, "axis": "circumstances", "label": "W", "display_order": "1"},
        )
        assert page.status_code == 200 and message in page.content
    assert Theme.objects.count() == before


def test_a_group_folds_into_an_existing_theme_as_new_keywords_only(
    gaps, login, django_capture_on_commit_callbacks
):
    analyst = login(gaps.users[Role.ANALYST])
    neglect = theme(gaps.partnership, "neglect")
    page = analyst.get(f"/learning/taxonomy/emerging/fold/?term=water+safety&theme={neglect.pk}")
    assert page.status_code == 200 and b"water safety" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        done = analyst.post(
            "/learning/taxonomy/emerging/fold/",
            {"theme": str(neglect.pk), "keywords": "Neglect\nwater safety\n  open   water \n"},
        )
    assert done.status_code == 302
    neglect.refresh_from_db()
    assert neglect.keywords == ["neglect", "dental decay", "water safety", "open water"]
    event = AuditEvent.objects.filter(object_type="learning.theme", action="change").last()
    assert event.changed_fields == ["keywords"]
    assert ModelVersion.objects.filter(partnership=gaps.partnership).count() == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"keywords": "water"}, b"This field is required"),
        ({"theme": "abc", "keywords": "water"}, b"Select a valid choice"),
        ({"theme": "OTHER", "keywords": "water"}, b"Select a valid choice"),
        ({"theme": "NEGLECT", "keywords": "\n \n"}, b"This field is required"),
        ({"theme": "NEGLECT", "keywords": "neglect\nDental decay"}, b"already has all"),
        ({"theme": "NEGLECT", "keywords": "x" * 101}, b"at most 100 characters"),
        ({"theme": "NEGLECT", "keywords": "\n".join(f"w{n}" for n in range(21))}, b"at most 20"),
    ],
)
def test_folding_refuses_bad_input_and_changes_nothing(gaps, login, data, message):
    small_taxonomy(gaps.other)
    pks = {
        "NEGLECT": theme(gaps.partnership, "neglect").pk,
        "OTHER": theme(gaps.other, "neglect").pk,
    }
    data = {k: str(pks.get(v, v)) if k == "theme" else v for k, v in data.items()}
    before = list(Theme.objects.values_list("pk", "keywords"))
    page = login(gaps.users[Role.ANALYST]).post("/learning/taxonomy/emerging/fold/", data)
    assert page.status_code == 200 and message in page.content
    assert list(Theme.objects.values_list("pk", "keywords")) == before


def test_a_retired_theme_is_not_offered_to_fold_into(gaps, login):
    neglect = theme(gaps.partnership, "neglect")
    neglect.retired = True
    neglect.save()
    page = login(gaps.users[Role.ANALYST]).post(
        "/learning/taxonomy/emerging/fold/", {"theme": str(neglect.pk), "keywords": "water"}
    )
    assert page.status_code == 200 and b"Select a valid choice" in page.content


def test_points_the_analyst_codes_blind_are_left_out(gaps, login):
    from reviewhub.learning import services
    from reviewhub.learning.models import LearningPoint

    analyst = gaps.users[Role.ANALYST]
    drowning = LearningPoint.objects.filter(
        partnership=gaps.partnership, heading__startswith="Drowning"
    )
    services.coding_exercise_create(
        partnership=gaps.partnership,
        name="Blind",
        coder_a=analyst,
        coder_b=gaps.users[Role.ADMINISTRATOR],
        points=list(drowning),
        user=analyst,
    )
    html = login(analyst).get("/learning/taxonomy/emerging/").content.decode()
    assert "Looked at 4 recent" in html and "Drowning 0" not in html


def test_every_taxonomy_change_queues_a_retraining_but_loading_the_default_does_not(
    world, django_capture_on_commit_callbacks
):
    from reviewhub.learning import services

    with django_capture_on_commit_callbacks() as loaded:
        services.taxonomy_load_default(partnership=world.partnership)
    assert loaded == []
    with django_capture_on_commit_callbacks() as added:
        services.theme_create(
            taxonomy=world.partnership.taxonomy,
            user=world.users[Role.ADMINISTRATOR],
            theme_id="water-safety",
            axis="circumstances",
            label="Water safety",
        )
    assert len(added) == 1


def test_a_new_theme_keeps_keywords_within_limits(gaps, login):
    page = login(gaps.users[Role.ANALYST]).post(
        "/learning/taxonomy/emerging/new/",
        {
            "theme_id": "water",
            "axis": "circumstances",
            "label": "Water",
            "keywords": "x" * 101,
            "display_order": "1",
        },
    )
    assert page.status_code == 200 and b"at most 100 characters" in page.content
    assert not Theme.objects.filter(theme_id="water").exists()
    form = login(gaps.users[Role.ANALYST]).get("/learning/taxonomy/emerging/new/?term=_x_")
    assert b'value="x"' in form.content  # a prefilled id is one the form accepts


def test_folding_past_a_themes_keyword_limit_is_refused_and_changes_nothing(gaps, login):
    """The form caps one fold at 20 words; the theme itself holds at most 100 keywords."""
    from reviewhub.learning.models import TaxonomyVersion

    neglect = theme(gaps.partnership, "neglect")
    neglect.keywords = [f"word {n}" for n in range(THEME_MAX_KEYWORDS - 1)]
    neglect.save()
    versions = TaxonomyVersion.objects.count()
    page = login(gaps.users[Role.ANALYST]).post(
        "/learning/taxonomy/emerging/fold/",
        {"theme": str(neglect.pk), "keywords": "drowning\nwater safety"},
    )
    assert page.status_code == 200 and b"at most 100 keywords" in page.content
    neglect.refresh_from_db()
    assert len(neglect.keywords) == THEME_MAX_KEYWORDS - 1
    assert TaxonomyVersion.objects.count() == versions
