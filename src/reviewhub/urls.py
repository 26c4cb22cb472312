"""Top-level URLs. Every URL here must have an entry in the permission policy table
(``reviewhub/tests/policy.py``); the permission battery fails otherwise."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("accounts/", include("reviewhub.accounts.urls")),
    path("audit/", include("reviewhub.audit.urls")),
    path("api/", include("reviewhub.api.urls")),
    path("documents/", include("reviewhub.documents.urls")),
    path("briefings/", include("reviewhub.briefings.urls")),
    path("profile/tokens/", include("reviewhub.api.token_urls")),
    path("cases/", include("reviewhub.cases.urls")),
    path("calendar/", include("reviewhub.calendar.urls")),
    path("learning/", include("reviewhub.learning.urls")),
    path("search/", include("reviewhub.search.urls")),
    path("actions/", include("reviewhub.actions.urls")),
    path("reports/", include("reviewhub.reports.urls")),
]

handler400 = "reviewhub.views.bad_request"
handler403 = "reviewhub.views.permission_denied"
handler404 = "reviewhub.views.page_not_found"
handler500 = "reviewhub.views.server_error"
