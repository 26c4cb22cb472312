from django.urls import path

from . import views

app_name = "briefings"

urlpatterns = [
    path("", views.briefing_list, name="list"),
    path("build/", views.briefing_build, name="build"),
    path("<int:pk>/", views.briefing_detail, name="detail"),
    path("<int:pk>/edit/", views.briefing_edit, name="edit"),
    path("<int:pk>/download/<str:fmt>/", views.briefing_download, name="download"),
    path("<int:pk>/publish/", views.briefing_publish, name="publish"),
    path("<int:pk>/publish/keep/", views.briefing_pii_keep, name="pii_keep"),
    path("<int:pk>/publish/pseudonymise/", views.briefing_pseudonymise, name="pseudonymise"),
    path("<int:pk>/acknowledge/", views.briefing_acknowledge, name="acknowledge"),
    path("<int:pk>/reach/", views.briefing_reach, name="reach"),
]
