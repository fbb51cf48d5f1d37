"""Snapshots keep the cohort figures of cadre.metrics.figures: rates in per cent (they were
fractions) and offers of help beside them."""

from django.db import migrations, models

RATES = ("attendance_rate", "attendance_prev", "follow_through", "follow_through_prev")


def to_per_cent(apps, schema_editor):
    CohortHealth = apps.get_model("health", "CohortHealth")
    for row in CohortHealth.objects.all():
        for name in RATES:
            value = getattr(row, name)
            if value is not None:
                setattr(row, name, round(100 * value, 1))
        row.save(update_fields=list(RATES))


def to_fraction(apps, schema_editor):
    CohortHealth = apps.get_model("health", "CohortHealth")
    for row in CohortHealth.objects.all():
        for name in RATES:
            value = getattr(row, name)
            if value is not None:
                setattr(row, name, round(value / 100, 3))
        row.save(update_fields=list(RATES))


class Migration(migrations.Migration):
    dependencies = [("health", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="cohorthealth",
            name="help_offered",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="cohorthealth",
            name="help_offered_prev",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(to_per_cent, to_fraction),
    ]
