from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/pages/<int:number>/", views.document_page, name="page"),
    path("<int:pk>/download/", views.document_download, name="download"),
    path("<int:pk>/candidates/<int:candidate_pk>/", views.candidate_decide, name="candidate"),
    path("<int:pk>/personal-data/", views.document_pii, name="pii"),
    path("<int:pk>/personal-data/check/", views.document_pii_check, name="pii_check"),
    path(
        "<int:pk>/personal-data/pseudonymise/",
        views.document_pii_pseudonymise,
        name="pii_pseudonymise",
    ),
    path(
        "<int:pk>/personal-data/<int:finding_pk>/keep/",
        views.document_pii_override,
        name="pii_override",
    ),
    path("<int:pk>/publish/", views.document_publish, name="publish"),
    path("imports/<int:pk>/", views.import_job, name="job"),
]
