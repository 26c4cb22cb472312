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
    # One query for every suggestion, grouped here, rather than one per entry.
    suggested: dict[int, set[str]] = {}
    rows = Code.objects.filter(
        exercise__isnull=True, source="suggested", score__gte=MIN_SCORE
    ).values_list("point_id", "theme__theme_id")
    for point_id, theme_id in rows.iterator(chunk_size=2000):
        suggested.setdefault(point_id, set()).add(theme_id)
    uncoded = SearchEntry.objects.filter(kind="learning", theme_keys="")
    for pk, object_pk in uncoded.values_list("pk", "object_pk").iterator(chunk_size=2000):
        if object_pk in suggested:
            SearchEntry.objects.filter(pk=pk).update(
                suggested_theme_ids=sorted(suggested[object_pk])
            )


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
