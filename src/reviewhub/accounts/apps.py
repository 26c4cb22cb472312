from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, agencies, roles and memberships; the access rule."""

    name = "reviewhub.accounts"
    verbose_name = "Accounts"

    def ready(self):
        from reviewhub import checks  # noqa: F401  (registers the start-up checks)
        from reviewhub.forms_hardening import install

        install()
