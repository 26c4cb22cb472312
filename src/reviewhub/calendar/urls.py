from django.urls import path

from . import views

app_name = "calendar"

urlpatterns = [
    path("holidays/", views.holiday_list, name="holidays"),
    path("holidays/<int:pk>/delete/", views.holiday_delete, name="holiday_delete"),
]
