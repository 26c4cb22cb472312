from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("yearly/", views.yearly, name="yearly"),
    path("yearly/narrative/", views.yearly_narrative, name="yearly_narrative"),
    path("yearly/publish/", views.yearly_publish, name="yearly_publish"),
    path("yearly/download.<str:fmt>", views.yearly_download, name="yearly_download"),
]
