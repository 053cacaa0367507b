from django.db import migrations, models


def mark_system_rows(apps, schema_editor):
    """Before this field, the system acted as ``actor=None``. Users are never deleted (only
    deactivated), so a row without an actor was written by the system."""
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditEvent.objects.filter(actor__isnull=True).update(by_system=True)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="by_system",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(mark_system_rows, migrations.RunPython.noop),
    ]
