"""Hostile input to every form in the product (reliability plan C2, C3), found from the pages
themselves: each POST URL of the policy table is opened as a role allowed to use it, the fields of
its forms are read from the HTML, and hostile values are sent in all of them. No answer may be a
server error, and nothing typed may come back as live markup. Runs on SQLite and PostgreSQL."""

import re

import pytest
from django.urls import reverse

from .policy import POLICY
from .test_security import PAYLOADS, form_body

pytestmark = pytest.mark.django_db

FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', re.I)
SKIP = {"csrfmiddlewaretoken"}
# One of each kind of trouble; the 1 MB string rides in one field per request.
VALUES = [p for p in PAYLOADS if len(p) < 1000] + ["2024-02-30", "-1", "99999999999999999999"]

# The two-factor forms are fuzzed with Hypothesis in test_security.py (they need a session that
# has not passed two-factor yet, which this test's signed-in clients have).
OWN_FUZZING = {"accounts:otp_setup", "accounts:otp_verify"}
FORM_URLS = sorted(
    name
    for name, rule in POLICY.items()
    if rule.post
    and rule.get & rule.post
    and not rule.public
    and not rule.api
    and name not in OWN_FUZZING
)
# Used where a page shows no form to this record (a step the case is not ready for): the
# POST handler must still refuse hostile input cleanly.
GENERIC_FIELDS = ["title", "reason", "date", "notes", "agency", "outcome", "text", "name"]


@pytest.mark.parametrize("name", FORM_URLS)
def test_hostile_values_in_every_field_never_crash(world, login, name):
    rule = POLICY[name]
    role = sorted(rule.get & rule.post)[0]
    client = login(world.users[role])
    url = reverse(name, kwargs=rule.kwargs(world) if rule.kwargs else None)
    page = client.get(url)
    assert page.status_code == 200, (name, page.status_code)
    fields = sorted(set(FIELD.findall(page.content.decode())) - SKIP) or GENERIC_FIELDS
    for n, value in enumerate(VALUES):
        body = dict.fromkeys(fields, value)
        body[fields[n % len(fields)]] = "x" * 1_000_000 if n == 0 else value
        response = client.post(
            url, form_body(body), content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code in {200, 302, 400, 404, 413}, (
            name,
            value[:20],
            response.status_code,
        )
        assert b"<script>alert(1)</script>" not in response.content, name


LIST_URLS = sorted(
    name
    for name, rule in POLICY.items()
    if rule.get and not rule.post and not rule.public and not rule.api and rule.kwargs is None
)


@pytest.mark.parametrize("name", LIST_URLS)
def test_hostile_query_strings_never_crash(world, login, name):
    rule = POLICY[name]
    role = sorted(rule.get)[0]
    client = login(world.users[role])
    url = reverse(name)
    page = client.get(url)
    fields = sorted(set(FIELD.findall(page.content.decode())) - SKIP) or ["q"]
    for value in VALUES:
        query = form_body(dict.fromkeys(fields, value)).decode("ascii")
        response = client.get(f"{url}?{query}")
        assert response.status_code in {200, 302, 400, 404}, (
            name,
            value[:20],
            response.status_code,
        )
        assert b"<script>alert(1)</script>" not in response.content, name


def test_ids_beyond_the_database_integer_range_are_field_errors(world):
    from django import forms

    from reviewhub.accounts.models import Agency

    class F(forms.Form):
        one = forms.ModelChoiceField(Agency.objects.all())
        many = forms.ModelMultipleChoiceField(Agency.objects.all())

    form = F({"one": "99999999999999999999", "many": ["-99999999999999999999"]})
    assert not form.is_valid()
    assert set(form.errors) == {"one", "many"}
    ok = F({"one": str(world.agency.pk), "many": [str(world.agency.pk)]})
    assert ok.is_valid()


def test_date_fields_show_stored_dates_in_the_format_date_inputs_read():
    from datetime import date

    from django import forms
    from django.template.loader import render_to_string

    class F(forms.Form):
        when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))

    html = render_to_string(
        "includes/field.html", {"field": F(initial={"when": date(2024, 3, 4)})["when"]}
    )
    assert 'value="2024-03-04"' in html
