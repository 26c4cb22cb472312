from django.urls import path

from . import views
from .actions import ACTIONS

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("due/", views.due_soon, name="due_soon"),
    path("new/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
]
# One form per statutory step: /cases/<pk>/notify/, /cases/<pk>/decision/, ...
urlpatterns += [
    path(f"<int:pk>/{code}/", views.step_view(code), name=f"step_{code.replace('-', '_')}")
    for code in ACTIONS
]
