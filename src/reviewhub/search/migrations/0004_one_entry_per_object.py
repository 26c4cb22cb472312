"""Remove duplicate index entries left by an earlier upsert that keyed on the public id.

A learning point created on the web was indexed once under its primary key and again under the
external id it is given after its first save, so it showed twice in results. Every kind but
document pages has one entry per object: keep the newest of each and drop the rest.
"""

from django.db import migrations
from django.db.models import Max


def dedupe(apps, schema_editor):
    SearchEntry = apps.get_model("search", "SearchEntry")
    single = SearchEntry.objects.exclude(kind="document_page")
    keep = single.values("kind", "object_pk").annotate(newest=Max("id")).values_list("newest")
    single.exclude(id__in=keep).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0003_sentence_embeddings")]

    operations = [migrations.RunPython(dedupe, migrations.RunPython.noop)]
