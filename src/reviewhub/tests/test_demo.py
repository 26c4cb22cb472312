"""The demo partnership loads fully and loading it again adds nothing."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def _counts():
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label not in {"audit", "sessions", "axes", "django_tasks_database"}
    }


def test_demo_loads_and_is_idempotent():
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "Demo logins" in out.getvalue()
    first = _counts()
    assert first["accounts.User"] >= 8
    assert first["documents.Document"] >= 2
    call_command("demo", stdout=io.StringIO())
    assert _counts() == first
