"""Add the engine's suggested themes to the index and fill them for points already indexed.

Only learning points nobody has coded carry them (see learning/search.py); the threshold is
learning.search.SUGGESTION_MIN_SCORE at the time of writing, copied so the migration does not
change if that setting does.
"""

from django.db import migrations, models

MIN_SCORE = 0.5


def fill(apps, schema_editor):
    SearchEntry = apps.get_model("search", "SearchEntry")
    Code = apps.get_model("learning", "Code")
    uncoded = SearchEntry.objects.filter(kind="learning", theme_keys="")
    for entry in uncoded.iterator(chunk_size=500):
        themes = sorted(
            set(
                Code.objects.filter(
                    point_id=entry.object_pk,
                    exercise__isnull=True,
                    source="suggested",
                    score__gte=MIN_SCORE,
                ).values_list("theme__theme_id", flat=True)
            )
        )
        if themes:
            SearchEntry.objects.filter(pk=entry.pk).update(suggested_theme_ids=themes)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_one_entry_per_object"),
        ("learning", "0003_recommendation_scope"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="suggested_theme_ids",
            # Nullable with no default: SQLite adds it in place, keeping the full-text triggers.
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
