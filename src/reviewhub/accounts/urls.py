from django.urls import path

from . import otp_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("partnership/", views.partnership_switch, name="partnership_switch"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/<int:pk>/", views.team_edit, name="team_edit"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reset-2fa/", otp_views.user_otp_reset, name="user_otp_reset"),
    path("two-factor/setup/", otp_views.otp_setup, name="otp_setup"),
    path("two-factor/verify/", otp_views.otp_verify_view, name="otp_verify"),
]
