"""Background retraining of theme models (django-tasks)."""

from django_tasks import task


@task()
def retrain_theme_model(partnership_id: int) -> str:
    """Train a new model version for one partnership and return its version string."""
    from reviewhub.accounts.models import Partnership

    from .services import model_version_train

    return model_version_train(partnership=Partnership.objects.get(pk=partnership_id)).version
