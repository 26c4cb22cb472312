from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("", views.point_list, name="point_list"),
    path("new/", views.point_create, name="point_create"),
    path("<int:pk>/", views.point_detail, name="point_detail"),
    path("<int:pk>/publish/", views.point_publish, name="point_publish"),
    path("coding/", views.coding_start, name="coding_start"),
    path("coding/<int:pk>/", views.coding_point, name="coding_point"),
    path("coding/<int:pk>/code/", views.coding_change, name="coding_change"),
    path("coding/<int:pk>/suggest/", views.coding_suggest, name="coding_suggest"),
    path("coding/<int:pk>/complete/", views.coding_complete, name="coding_complete"),
    path("taxonomy/", views.taxonomy_view, name="taxonomy"),
    path("taxonomy/export/", views.taxonomy_export, name="taxonomy_export"),
    path("taxonomy/import/", views.taxonomy_import, name="taxonomy_import"),
    path("taxonomy/versions/<int:pk>/", views.taxonomy_version, name="taxonomy_version"),
    path("taxonomy/emerging/", views.emerging_themes, name="emerging"),
    path("taxonomy/emerging/new/", views.emerging_adopt, name="emerging_adopt"),
    path("taxonomy/emerging/fold/", views.emerging_fold, name="emerging_fold"),
    path("taxonomy/themes/new/", views.theme_create, name="theme_create"),
    path("taxonomy/themes/<int:pk>/", views.theme_edit, name="theme_edit"),
    path("taxonomy/themes/<int:pk>/retire/", views.theme_retire, name="theme_retire"),
    path("taxonomy/themes/<int:pk>/delete/", views.theme_delete, name="theme_delete"),
    path("exercises/", views.exercise_list, name="exercise_list"),
    path("exercises/new/", views.exercise_create, name="exercise_create"),
    path("exercises/<int:pk>/", views.exercise_detail, name="exercise_detail"),
    path("exercises/<int:pk>/points/<int:point_pk>/", views.exercise_code, name="exercise_code"),
    path("exercises/<int:pk>/finish/", views.exercise_finish, name="exercise_finish"),
    path("exercises/<int:pk>/agreement/", views.exercise_agreement, name="exercise_agreement"),
    path(
        "exercises/<int:pk>/settle-agreed/",
        views.exercise_settle_agreed,
        name="exercise_settle_agreed",
    ),
    path(
        "exercises/<int:pk>/points/<int:point_pk>/settle/",
        views.exercise_settle,
        name="exercise_settle",
    ),
]
