from django.apps import AppConfig


class ActionsConfig(AppConfig):
    """Agency action plans: owners, due dates, RAG and evidence of impact."""

    name = "reviewhub.actions"
