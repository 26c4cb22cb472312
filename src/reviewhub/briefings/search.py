"""Index briefings for search (title and current text) and register who may see them."""

from django.db.models.signals import post_delete, post_save
from django.urls import reverse


def visible_pks(user, pks):
    from .models import Briefing

    return Briefing.objects.restrict(user, "view").filter(pk__in=pks).values_list("pk", flat=True)


def index_briefing(briefing) -> None:
    from reviewhub.search.services import search_index_upsert

    from .services import briefing_text

    if briefing.current is None:
        return
    published = briefing.status == "published"
    search_index_upsert(
        kind="briefing",
        object_pk=briefing.pk,
        object_id=str(briefing.pk),
        partnership_id=briefing.partnership_id,
        title=briefing.title,
        body=briefing_text(briefing),
        url=reverse("briefings:detail", kwargs={"pk": briefing.pk}),
        published=published,
        year=(briefing.published_at or briefing.created_at).year if briefing.created_at else None,
    )


def _briefing_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_briefing(instance)


def _version_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_briefing(instance.briefing)


def _briefing_deleted(sender, instance, **kwargs):
    from reviewhub.search.services import search_index_delete

    search_index_delete("briefing", instance.pk)


def connect() -> None:
    from reviewhub.search.registry import register_kind

    from .models import Briefing, BriefingVersion

    register_kind("briefing", visible_pks, label="Briefing")
    post_save.connect(_briefing_saved, sender=Briefing, dispatch_uid="briefing-index")
    post_save.connect(_version_saved, sender=BriefingVersion, dispatch_uid="briefing-v-index")
    post_delete.connect(_briefing_deleted, sender=Briefing, dispatch_uid="briefing-unindex")
